// SPDX-License-Identifier: Apache-2.0
// The console's live side (issue 14, items 9, 10 and 14), each as the role that uses it:
// the administrator issues a wall screen; the screen opens with its one-time link (no
// login), shows the clock, KPIs, map and complete rankings, and takes a case made
// through the API into its feed and KPIs without a reload (the server's event stream);
// it is still signed in after the clock moved past 8 hours, and signed out once revoked.
// The department sees a badge (and hears a chime) when a task is dispatched to it. The
// operator's drill-down opens a grid's profile with its open cases only. Screenshots at
// 1920 (wall), 1366 and 360 px in tests/web/artifacts/wall-*.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, newPage, shot, login } from './lib/browser.mjs';
import { pointsIn } from '../api/lib/harness.mjs';

const IN = '510105002002';
let srv;
let browser;
let u;
before(async () => {
  ({ srv, browser } = await setup());
  u = { admin: await srv.as('admin'), operator: await srv.as('operator') };
});
after(async () => {
  await browser?.close();
  if (srv) assert.equal((await srv.stop()).code, 0);
});

const report = async (grid, extra = {}) => {
  const r = await u.operator.post('/api/v1/cases', { category: 'E0101', channel: 'hotline_seat', description: '占道经营', ...(grid ? { grid } : {}), ...extra });
  assert.equal(r.status, 201, r.text);
  return r.body;
};
const apiAct = async (id, action, extra = {}) => {
  const r = await u.operator.post(`/api/v1/cases/${id}/actions`, { action, ...extra });
  assert.equal(r.status, 200, `${action}: ${r.text}`);
};

async function asUser(name, opts, fn) {
  const page = await newPage(browser, srv, opts);
  try {
    await login(page, name);
    await page.waitForURL((url) => url.pathname !== '/login');
    await fn(page);
    assert.deepEqual(page.errors, [], `${name}: no console errors`);
  } finally {
    await page.context().close();
  }
}

async function fits(page, name, width, height) {
  await page.setViewportSize({ width, height });
  await page.mouse.move(0, 0);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${name} fits ${width} px`);
  await shot(page, `wall-${name}-${width}`);
}

let screenUrl;
test('the admin issues a wall screen and gets a one-time link', async () => {
  await asUser('admin', {}, async (page) => {
    await page.click('#nav a[href="/screens"]');
    await page.waitForURL('**/screens');
    await page.fill('#screen-name', '指挥中心大屏');
    await page.fill('#screen-scope', '510105');
    await page.click('#screen-issue');
    await page.waitForSelector('#screen-url');
    screenUrl = new URL(await page.getAttribute('#screen-url', 'href'));
    assert.equal(screenUrl.pathname, '/wall');
    assert.ok(screenUrl.searchParams.get('kiosk'));
    await page.waitForSelector('#screen-table tbody tr');
    assert.equal(await page.textContent('#screen-table .screen-status'), '待打开');
    await fits(page, 'screens', 1366, 800);
  });
});

test('the wall screen opens with its link, without the top bar, and follows a new case live', async () => {
  const page = await newPage(browser, srv, { viewport: { width: 1920, height: 1080 } });
  try {
    await page.goto(screenUrl.pathname + screenUrl.search);
    await page.waitForSelector('main.wall[data-loaded="1"]');
    assert.equal(new URL(page.url()).search, '', 'the used code is dropped from the address bar');
    assert.equal(await page.$('header.topbar'), null, 'no top bar on the wall');
    assert.match(await page.textContent('#wall-clock'), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    await page.waitForSelector('#wall-live[data-connected="1"]');
    await page.waitForSelector('#wall-map canvas');
    const kpi = () => page.textContent('.kpi[data-kpi="kpi.today"] .kpi-value');
    const before = Number(await kpi());
    const [pt] = await pointsIn(u.operator, IN);
    const c = await report(null, { lon: pt.lon, lat: pt.lat });
    // no reload: the feed, the KPI and the map's points follow the event stream
    await page.waitForSelector(`#wall-feed li[data-id="${c.id}"][data-action="create"]`, { timeout: 5000 });
    await page.waitForFunction((n) => document.querySelector('.kpi[data-kpi="kpi.today"] .kpi-value')?.textContent === String(n), before + 1, { timeout: 5000 });
    assert.match(await page.textContent(`#wall-feed li[data-id="${c.id}"]`), /上报/);
    assert.ok(Number(await page.getAttribute('#wall-map', 'data-points')) >= 1, 'case points on the map');
    assert.ok(Number(await page.getAttribute('#wall-map', 'data-max')) >= 1, 'the legend has a value');
    await apiAct(c.id, 'file');
    await page.waitForSelector(`#wall-feed li[data-id="${c.id}"][data-action="file"]`, { timeout: 5000 });
    await apiAct(c.id, 'dispatch', { department: 'CGZF' });
    await page.waitForSelector(`#wall-feed li[data-id="${c.id}"][data-action="dispatch"]`, { timeout: 5000 });
    // rankings: every department with cases, counts beside the rates, worst first by default
    await page.waitForSelector('#wall-rank-dept table');
    const dept = await u.operator.get('/api/v1/stats/indicators?by=department&under=510105');
    const keyed = dept.body.items.filter((x) => x.key);
    assert.equal((await page.$$('#wall-rank-dept tbody tr')).length, keyed.length, 'no department dropped');
    for (const cell of await page.$$eval('#wall-rank-dept tbody td[data-count]', (els) => els.map((e) => e.textContent)))
      assert.match(cell, /^\d+\/\d+$/);
    // a KPI tile opens what it counts
    for (const [width, height] of [[1920, 1080], [1366, 800], [360, 740]]) await fits(page, 'screen', width, height);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.click('.kpi[data-kpi="kpi.overdue"]');
    await page.waitForURL('**/cases?light=red');
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('the wall screen stays signed in past 8 hours, and is signed out once revoked', async () => {
  const page = await newPage(browser, srv, { viewport: { width: 1920, height: 1080 } });
  try {
    const issued = await u.admin.post('/api/v1/kiosk', { name: '街道大屏', scope: '510105002' });
    assert.equal(issued.status, 201, issued.text);
    await page.goto(issued.body.url);
    await page.waitForSelector('main.wall[data-loaded="1"]');
    await srv.advance(9 * 3600);
    u = { admin: await srv.as('admin'), operator: await srv.as('operator') }; // their logins expired
    await page.reload();
    await page.waitForSelector('main.wall[data-loaded="1"]');
    assert.equal(new URL(page.url()).pathname, '/wall', 'still signed in after 9 hours');
    await page.waitForSelector('#wall-live[data-connected="1"]');
    const c = await report(IN);
    await page.waitForSelector(`#wall-feed li[data-id="${c.id}"]`, { timeout: 5000 });
    const r = await u.admin.del(`/api/v1/kiosk/${issued.body.id}`);
    assert.equal(r.status, 200, r.text);
    await page.reload();
    await page.waitForURL('**/login');
  } finally {
    await page.context().close();
  }
});

test('a task dispatched to the department shows a badge with a chime on its open page', async () => {
  await asUser('dept', {}, async (page) => {
    await page.waitForURL('**/queue');
    assert.equal(await page.isVisible('#task-badge'), false, 'no badge before a task');
    // the stream is open once the page has rendered
    await page.waitForSelector('html[data-live="1"]');
    const c = await report(IN);
    await apiAct(c.id, 'file');
    await apiAct(c.id, 'dispatch', { department: 'CGZF' });
    await page.waitForSelector('#task-badge:not([hidden])', { timeout: 5000 });
    assert.equal(await page.getAttribute('#task-badge', 'data-count'), '1');
    assert.equal(await page.evaluate(() => document.body.dataset.chimes), '1');
    await fits(page, 'badge', 1366, 800);
    await fits(page, 'badge', 360, 740);
    await page.setViewportSize({ width: 1366, height: 800 });
    await page.click('#task-badge');
    await page.waitForSelector(`#queue-table tr[data-id="${c.id}"], #queue-table a[href="/cases/${c.id}"]`);
    assert.equal(await page.isVisible('#task-badge'), false, 'looked at: the badge is gone');
  });
});

test('the grid profile lists the grid\'s open cases only, with its staff and people', async () => {
  const kids = await u.operator.get(`/api/v1/grids/${IN}/children`);
  const grid = kids.body.items[1].code;
  const open = [await report(grid), await report(grid)];
  const gone = await report(grid);
  await apiAct(gone.id, 'reject', { note: '非本辖区' });
  await asUser('operator', {}, async (page) => {
    await page.goto(`/grids?code=${IN}`);
    await page.click(`#grid-table tr[data-code="${grid}"] a.grid-profile`);
    await page.waitForURL(`**/grid/${grid}`);
    await page.waitForSelector('main[data-loaded="1"] #profile-cases');
    const ids = await page.$$eval('#profile-cases tbody tr', (r) => r.map((e) => Number(e.dataset.id)));
    for (const c of open) assert.ok(ids.includes(c.id), `open case ${c.id} listed`);
    assert.ok(!ids.includes(gone.id), 'the rejected case is not');
    const p = (await u.operator.get(`/api/v1/grids/${grid}/profile`)).body;
    assert.equal(ids.length, p.open_cases.total);
    assert.equal(await page.textContent('[data-fact="open"] .kpi-value'), String(p.open_cases.total));
    assert.ok((await page.$$('#profile-staff li')).length > 0, 'its staff');
    assert.notEqual(await page.textContent('[data-fact="households"] .kpi-value'), '—');
    await fits(page, 'profile', 1366, 800);
    await fits(page, 'profile', 360, 740);
  });
});
