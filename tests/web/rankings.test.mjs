// SPDX-License-Identifier: Apache-2.0
// Assessment 考核 in the console (issue 16): the leader lands on the command center with
// this month's standings; the rankings page lists regions with scores, grades and the
// counts behind each indicator, opens a row's breakdown and drills down to its cases;
// switching kind and period reloads; the monthly analysis page shows the server's report.
// Screenshots in tests/web/artifacts/rankings-*.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, newPage, shot, login } from './lib/browser.mjs';

const AREA = '510105002002';
let srv;
let browser;
let u;
before(async () => {
  ({ srv, browser } = await setup());
  u = { worker: await srv.as('worker'), operator: await srv.as('operator') };
  // two cases in AREA this month: one worker report, one hotline call, both filed
  for (const channel of ['worker', 'hotline']) {
    const who = channel === 'worker' ? u.worker : u.operator;
    const r = await who.post('/api/v1/cases', { category: 'E0102', description: '暴露垃圾', channel, grid: AREA });
    assert.equal(r.status, 201, r.text);
    assert.equal((await u.operator.post(`/api/v1/cases/${r.body.id}/actions`, { action: 'file' })).status, 200);
  }
});
after(async () => {
  await browser?.close();
  if (srv) assert.equal((await srv.stop()).code, 0);
});

test('the leader sees the standings, the rankings with their counts, a drill-down and the analysis', async () => {
  const page = await newPage(browser, srv);
  try {
    await login(page, 'leader');
    await page.waitForURL('**/command');
    await page.waitForSelector('#standings ul[data-kind="region"] li');
    // the district's one street with cases, scored on a small base
    assert.match(await page.textContent('#standings ul[data-kind="region"]'), /— · \d+\.\d\d .*样本不足|样本不足/);
    assert.equal(await page.textContent('section.panel:has(#standings) h2'), '本月考核排名');

    await page.click('#nav a[href="/rankings"]');
    await page.waitForURL((url) => url.pathname === '/rankings');
    await page.waitForSelector('#rk-table[data-kind="region"] tbody tr');
    assert.equal(await page.textContent('main h1'), '考核排名');
    assert.match(await page.textContent('#rk-meta'), /考核方案 v0/);
    const heads = await page.$$eval('#rk-table thead th', (els) => els.map((e) => e.textContent));
    assert.deepEqual(heads.slice(0, 5), ['排名', '对象', '得分', '等级', '较上期']);
    assert.ok(heads.includes('上报率') && heads.includes('结案率'), heads.join());
    // the street holding AREA: 2 reports, 1 by a grid worker; too few to be ranked
    const street = page.locator('#rk-table tbody tr[data-subject="510105002"]');
    assert.match(await street.textContent(), /50\.0% \(1\/2\)/);
    assert.match(await street.textContent(), /样本不足/);
    await shot(page, 'rankings-region');

    await street.click();
    await page.waitForSelector('#rk-detail[data-subject="510105002"]');
    assert.match(await page.textContent('#rk-detail'), /上报率/);
    await page.click('#rk-cases');
    await page.waitForURL((url) => url.pathname === '/cases' && url.searchParams.get('grid') === '510105002');

    await page.goBack();
    await page.waitForSelector('#rk-table tbody tr');
    await page.selectOption('#rk-kind', 'worker');
    await page.waitForSelector('#rk-table[data-kind="worker"]');
    const worker = await page.textContent('#rk-table tbody');
    assert.match(worker, /worker/);
    assert.match(worker, /100\.0% \(1\/1\)/); // 有效上报率: 1 report, filed
    await page.selectOption('#rk-period', 'year');
    await page.waitForFunction(() => /-01-01/.test(document.querySelector('#rk-meta')?.textContent ?? ''));
    await shot(page, 'rankings-worker-year');

    await page.click('#rk-report');
    await page.waitForURL('**/analysis');
    const frame = page.frameLocator('#an-frame');
    await frame.locator('h2').first().waitFor();
    const h2 = await frame.locator('h2').allTextContents();
    assert.deepEqual(h2.slice(0, 2), ['一、总体情况', '二、各渠道受理量']);
    await shot(page, 'rankings-analysis');
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});
