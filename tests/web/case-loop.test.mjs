// SPDX-License-Identifier: Apache-2.0
// The real case loop through the web console: a grid worker reports a case through the
// API; then, in the browser, the operator files and dispatches it to the department,
// the department accepts it and feeds back, and the operator verifies and closes it.
// Each step clicks the action button the case detail offers (the server's
// allowed_actions), fills the form and submits, and checks the state the detail shows.
// Screenshots in tests/web/artifacts/case-loop-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, newPage, shot, login } from './lib/browser.mjs';
import { act, offered, shownState } from './lib/desk.mjs';

let srv;
let browser;
before(async () => { ({ srv, browser } = await setup()); });
after(async () => {
  await browser?.close();
  if (srv) {
    const { code } = await srv.stop();
    assert.equal(code, 0, 'the server exits 0 on SIGTERM');
  }
});

async function asUser(name, home, fn) {
  const page = await newPage(browser, srv);
  try {
    await login(page, name);
    await page.waitForURL(`**${home}`);
    await fn(page);
    assert.deepEqual(page.errors, [], `${name}: no console errors`);
  } finally {
    await page.context().close();
  }
}

test('operator dispatches, the department accepts and feeds back, the operator verifies and closes', async () => {
  const worker = await srv.as('worker');
  const r = await worker.post('/api/v1/cases', {
    category: 'C0121', channel: 'worker', description: '报刊亭破损（浏览器闭环测试）', grid: '510105002002',
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const id = r.body.id;
  assert.equal(r.body.state, 'reported');

  await asUser('operator', '/command', async (page) => {
    await page.goto(`/cases/${id}`);
    assert.equal(await shownState(page), '上报');
    // A grid worker's report is filed by the operator, then dispatched.
    await act(page, 'file', '立案');
    await shot(page, 'case-loop-1-filed');
    await act(page, 'dispatch', '派遣', async (form) => {
      assert.equal(await page.inputValue(`${form} select[name=department]`), 'CGZF', "the category's department is proposed");
      assert.deepEqual(await page.$$eval(`${form} select[name=class] option`, (o) => o.map((e) => e.value)), ['general', 'engineering', 'special']);
      await page.selectOption(`${form} select[name=class]`, 'general');
      await page.fill(`${form} textarea[name=note]`, '请城管执法局处置');
    });
    assert.match(await page.textContent('#case-department'), /^\S.* \(CGZF\)$/, 'the department by name and code');
    assert.equal(await page.textContent('#case-category'), '公共设施类 › 报刊亭 (C0121)', 'major › item, with the code');
    // The operator holds no department action: accept is not offered.
    assert.ok(!(await offered(page)).includes('accept'));
    await shot(page, 'case-loop-2-dispatched');
  });

  await asUser('dept', '/queue', async (page) => {
    // The work queue shows the case; it opens the detail.
    await page.waitForSelector('#queue-table');
    await page.click(`#queue-table a[href="/cases/${id}"]`);
    await page.waitForURL(`**/cases/${id}`);
    assert.equal(await shownState(page), '派遣');
    // return needs a reason: the form says so and sends nothing without one.
    await page.click('.action-buttons button[data-action="return"]');
    await page.click('form.action-form[data-action="return"] button[type=submit]');
    assert.equal(await page.getAttribute('form.action-form[data-action="return"] textarea[name=note]', 'required'), '');
    assert.equal(await shownState(page), '派遣');
    await act(page, 'accept', '签收');
    await shot(page, 'case-loop-3-accepted');
    await act(page, 'handle', '处置反馈', async (form) => {
      await page.fill(`${form} textarea[name=note]`, '已更换报刊亭顶棚');
    });
    // Verifying is not the department's to do.
    assert.ok(!(await offered(page)).includes('verify'));
    await shot(page, 'case-loop-4-handled');
  });

  await asUser('operator', '/command', async (page) => {
    await page.goto(`/cases/${id}`);
    assert.equal(await shownState(page), '处置反馈');
    await act(page, 'verify', '核查', async (form) => {
      await page.fill(`${form} textarea[name=note]`, '现场核查属实');
    });
    await act(page, 'close', '结案');
    const timeline = await page.$$eval('.timeline li strong', (els) => els.map((e) => e.textContent));
    assert.deepEqual(timeline.slice(-6), ['立案', '派遣', '签收', '处置反馈', '核查通过', '结案']);
    assert.match(await page.textContent('.timeline'), /已更换报刊亭顶棚/);
    await shot(page, 'case-loop-5-closed');
  });

  const final = await (await srv.as('operator')).get(`/api/v1/cases/${id}`);
  assert.equal(final.body.state, 'closed');
  assert.deepEqual(final.body.timeline.map((e) => e.action).slice(-6), ['file', 'dispatch', 'accept', 'handle', 'verify', 'close']);
  assert.equal(final.body.department, 'CGZF');
});
