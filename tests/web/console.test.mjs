// SPDX-License-Identifier: Apache-2.0
// The console's daily work (issue 14, items 1, 2, 3, 7, 8), each as the role that does it:
// the operator's 坐席录入 (caller, phone, a point on the map, the category picker searched
// by pinyin initials, photos, the likely duplicates shown before saving); 立案 correcting
// a misfiled category, recorded in the trail; the department's work queue (open cases,
// earliest deadline first, counts per state, names not codes); the case detail showing
// channel, reporter (masked for the department), times, rating, before/after photos and
// the department in the timeline; server errors in the user's language, and an unknown
// case said as such. Screenshots at 1920, 1366 and 360 px in tests/web/artifacts/console-*.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, newPage, shot, login } from './lib/browser.mjs';
import { act } from './lib/desk.mjs';
import { tinyJpeg } from '../api/lib/images.mjs';
import { pointsIn } from '../api/lib/harness.mjs';

const AREA = '510105002002';
const WIDTHS = [[1920, 1080], [1366, 800], [360, 740]];
let srv;
let browser;
let u;
let p; // a point inside a basic grid of AREA
before(async () => {
  ({ srv, browser } = await setup());
  u = { worker: await srv.as('worker'), operator: await srv.as('operator'), dept: await srv.as('dept') };
  p = (await pointsIn(u.operator, AREA))[0];
});
after(async () => {
  await browser?.close();
  if (srv) assert.equal((await srv.stop()).code, 0);
});

const jpeg = (name, variant) => ({ name, mimeType: 'image/jpeg', buffer: tinyJpeg(variant) });

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

async function apiAct(who, id, action, extra = {}) {
  const r = await who.post(`/api/v1/cases/${id}/actions`, { action, ...extra });
  assert.equal(r.status, 200, `${action}: ${r.text}`);
  return r.body;
}

/** One screenshot per width of what the page shows once ready() resolves. */
async function shots(page, name, ready) {
  for (const [width, height] of WIDTHS) {
    await page.setViewportSize({ width, height });
    if (ready) await ready();
    await page.mouse.move(0, 0);
    // nothing wider than the screen: no sideways scrolling on a phone
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${name} fits ${width} px`);
    await shot(page, `console-${name}-${width}`);
  }
  await page.setViewportSize({ width: 1366, height: 800 });
}

let entered; // the case the operator enters, followed through the loop

test('the operator enters a caller\'s case: picker by pinyin, point on the map, duplicates before saving', async () => {
  // an open case of the same kind where the caller is calling from
  const dup = await u.worker.post('/api/v1/cases', { category: 'E0101', channel: 'worker', description: '楼顶违建', lon: p.lon, lat: p.lat });
  assert.equal(dup.status, 201, dup.text);
  await asUser('operator', {}, async (page) => {
    await page.click('#nav a[href="/entry"]');
    await page.waitForURL('**/entry');
    assert.equal(await page.textContent('main h1'), '坐席录入 · 新建案件');
    await page.waitForSelector('#e-map[data-ready="1"] canvas');
    // no category is preselected, and saving without one is refused in the form
    assert.equal(await page.getAttribute('#e-category', 'data-value'), '');
    assert.equal(await page.textContent('#e-category-chosen'), '请选择类别');
    await page.fill('#e-description', '小区楼顶新搭建彩钢房');
    await page.click('#e-save');
    assert.equal(await page.textContent('#e-msg'), '请选择类别');
    // grouped major › minor › item; 私搭乱建 by its initials, then by a part of its name
    assert.ok((await page.$$('#e-category-list .cat-major')).length >= 10, 'grouped by major class');
    await page.fill('#e-category-search', 'sdlj');
    assert.deepEqual(await page.$$eval('#e-category-list .cat-item', (els) => els.map((e) => e.dataset.code)), ['E0101']);
    assert.deepEqual(await page.$$eval('#e-category-list .cat-major', (els) => els.map((e) => e.textContent)), ['市容环境 · 事件']);
    await page.fill('#e-category-search', '井盖');
    assert.ok((await page.$$('#e-category-list .cat-item')).length >= 10, 'every 井盖');
    await page.fill('#e-category-search', 'sdlj');
    await page.click('#e-category-list .cat-item[data-code="E0101"]');
    assert.equal(await page.textContent('#e-category-chosen'), '已选：市容环境 › 私搭乱建 (E0101)');
    // a click on the map places a point (and names its grid)
    // (the locator scrolls the map into view first: the grouped list above it can push it
    // below the fold, and a click at coordinates outside the viewport reaches nothing)
    await page.locator('#e-map canvas').first().click();
    await page.waitForFunction(() => /经度/.test(document.querySelector('#e-where')?.textContent ?? ''));
    // the caller's place, typed as "lon,lat": its grid, and the open case there shown before saving
    await page.fill('#e-grid-search', `${p.lon},${p.lat}`);
    await page.press('#e-grid-search', 'Enter');
    await page.waitForFunction((g) => document.querySelector('#e-where')?.dataset.grid?.startsWith(g), p.grid);
    await page.waitForSelector(`#e-dups li[data-id="${dup.body.id}"]`);
    assert.match(await page.textContent(`#e-dups li[data-id="${dup.body.id}"]`), /私搭乱建 · 上报 .* · 0 米/);
    await page.fill('#e-caller', '王女士');
    await page.fill('#e-phone', '139 1234 5678');
    await page.fill('#e-address', '东城根街 88 号');
    await page.setInputFiles('#e-photos', jpeg('call.jpg', 21));
    await shots(page, 'entry', () => page.waitForSelector('#e-map canvas'));
    await page.click('#e-save');
    await page.waitForSelector('#entry-saved');
    entered = Number(await page.getAttribute('#entry-saved', 'data-id'));
    assert.match(await page.textContent('#entry-saved h2'), new RegExp(`案件编号 ${entered}`));
    assert.match(await page.textContent('#entry-code'), /^[2-9A-Z]{10}$/);
    assert.match(await page.textContent('#entry-saved'), new RegExp(`${dup.body.id}`), 'the answer names the duplicate too');
    await shot(page, 'console-entry-saved');
  });
  const c = (await u.operator.get(`/api/v1/cases/${entered}`)).body;
  assert.equal(c.category, 'E0101');
  assert.equal(c.channel, 'operator');
  assert.equal(c.reporter, '王女士');
  assert.equal(c.address, '东城根街 88 号');
  assert.ok(c.grid.startsWith(p.grid));
  assert.equal(c.photos.length, 1);
  assert.ok(Math.abs(c.lon - p.lon) < 1e-6 && Math.abs(c.lat - p.lat) < 1e-6);
});

test('立案 corrects a misfiled 随手拍 category, and the trail says from what to what', async () => {
  const r = await u.worker.post('/api/v1/cases', { category: 'E0199', channel: 'worker', description: '人行道上堆放建筑垃圾', lon: p.lon, lat: p.lat });
  const id = r.body.id;
  await asUser('operator', {}, async (page) => {
    await page.goto(`/cases/${id}`);
    await act(page, 'file', '立案', async (f) => {
      // the picker shows the case's own category, not a catalogue default
      assert.equal(await page.getAttribute('#a-file-category', 'data-value'), 'E0199');
      await page.fill('#a-file-category-search', '积存垃圾');
      await page.click('#a-file-category-list .cat-item[data-code="E0103"]');
      await page.fill(`${f} textarea[name=note]`, '类别更正后立案');
    });
    assert.equal(await page.textContent('#case-category'), '市容环境 › 积存垃圾渣土 (E0103)');
    const entry = await page.textContent('#case-timeline li[data-action="recategorize"]');
    assert.match(entry, /更正类别/);
    assert.match(entry, /E0199 其他市容环境问题 → E0103 积存垃圾渣土/);
    // 派遣 may correct it again; the department follows the new category until one is picked
    await page.click('.action-buttons button[data-action="dispatch"]');
    await page.waitForSelector('form.action-form[data-action="dispatch"]');
    assert.equal(await page.getAttribute('#a-dispatch-category', 'data-value'), 'E0103');
    await shots(page, 'file-recategorized');
  });
  const c = (await u.operator.get(`/api/v1/cases/${id}`)).body;
  assert.equal(c.category, 'E0103');
  assert.deepEqual(c.timeline.map((e) => e.action), ['create', 'recategorize', 'file']);
});

test('the department lands on its queue: open cases by deadline, counts per state, names not codes', async () => {
  // the entered case goes to the department (城管, CGZF) with two more
  await apiAct(u.operator, entered, 'file');
  await apiAct(u.operator, entered, 'dispatch', { department: 'CGZF', class: 'general' });
  const more = [];
  for (const [cat, cls] of [['C0121', 'special'], ['E0101', 'general']]) {
    const r = await u.worker.post('/api/v1/cases', { category: cat, channel: 'worker', description: '排队测试', lon: p.lon, lat: p.lat });
    await apiAct(u.operator, r.body.id, 'file');
    await apiAct(u.operator, r.body.id, 'dispatch', { department: 'CGZF', class: cls });
    more.push(r.body.id);
  }
  await apiAct(u.dept, more[0], 'accept');
  await asUser('dept', {}, async (page) => {
    await page.waitForURL('**/queue');
    await page.waitForSelector('#queue-table');
    assert.equal(await page.textContent('main h1'), '待办工作');
    const rows = await page.$$eval('#queue-table tbody tr', (trs) => trs.map((tr) => ({
      id: Number(tr.dataset.id), state: tr.dataset.state,
      left: Number(tr.querySelector('[data-left]')?.dataset.left ?? Infinity),
      dept: tr.querySelector('td[data-department]').textContent })));
    for (const id of [entered, ...more]) assert.ok(rows.some((r) => r.id === id), `case ${id} is queued`);
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1].left <= rows[i].left, 'earliest deadline first');
    for (const r of rows) {
      assert.ok(['dispatched', 'accepted', 'handled', 'filed', 'verified', 'reported', 'suspended'].includes(r.state), 'open only');
      assert.notEqual(r.dept, 'CGZF', 'the department by name');
      assert.ok(r.dept.length > 0);
    }
    // counts per state, which filter the queue
    const chips = Object.fromEntries(await page.$$eval('#queue-counts .chip', (els) => els.map((e) => [e.dataset.state, Number(e.querySelector('strong').textContent)])));
    assert.equal(chips.all, rows.length);
    assert.equal(chips.accepted, rows.filter((r) => r.state === 'accepted').length);
    assert.equal(chips.dispatched, rows.filter((r) => r.state === 'dispatched').length);
    await shots(page, 'queue', () => page.waitForSelector('#queue-table'));
    await page.click('#queue-counts .chip[data-state="accepted"]');
    await page.waitForURL('**/queue?state=accepted');
    await page.waitForSelector('#queue-table');
    assert.deepEqual(await page.$$eval('#queue-table tbody tr', (trs) => [...new Set(trs.map((tr) => tr.dataset.state))]), ['accepted']);
  });
});

test('the case detail shows all: channel, reporter, times, rating, before/after photos, departments in the timeline', async () => {
  // the department handles it with an after photo, the center verifies, closes, rates
  await apiAct(u.dept, entered, 'accept');
  const up = new FormData();
  up.append('photo', new Blob([tinyJpeg(22)], { type: 'image/jpeg' }), 'done.jpg');
  const media = await srv.request('POST', '/api/v1/media', { body: up, token: u.dept.token });
  assert.equal(media.status, 201, media.text);
  await apiAct(u.dept, entered, 'handle', { note: '已拆除', attachments: [media.body.items[0].sha256] });
  await apiAct(u.operator, entered, 'verify');
  await apiAct(u.operator, entered, 'close');
  await apiAct(u.operator, entered, 'evaluate', { rating: 'satisfied' });
  const dept = (await u.operator.get('/api/v1/departments')).body.items.find((d) => d.code === 'CGZF').name;
  await asUser('operator', {}, async (page) => {
    await page.goto(`/cases/${entered}`);
    await page.waitForSelector('#case-state');
    assert.equal(await page.textContent('#case-channel'), '坐席录入');
    assert.equal(await page.textContent('#case-reporter'), '王女士');
    assert.match(await page.textContent('#case-created'), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    assert.equal(await page.textContent('#case-rating'), '满意');
    assert.match(await page.textContent('#case-department'), new RegExp(`^${dept} \\(CGZF\\)$`));
    assert.match(await page.textContent('#case-timeline li[data-action="dispatch"]'), new RegExp(`派遣 派往 ${dept}`));
    assert.match(await page.textContent('#case-timeline li[data-action="evaluate"]'), /评价 · 满意/);
    assert.match(await page.textContent('#case-timeline li[data-action="accept"]'), new RegExp(`签收 · dept \\(${dept}\\)`), 'the department acting, by name');
    await page.waitForFunction(() => [...document.querySelectorAll('#case-photos img.thumb, #case-photos-after img.thumb')].every((i) => i.naturalWidth > 0));
    assert.equal((await page.$$('#case-photos img.thumb')).length, 1, 'the photo of the call, before');
    assert.equal((await page.$$('#case-photos-after img.thumb')).length, 1, "the department's photo, after");
    await page.waitForSelector('#case-map canvas');
    assert.ok((await page.getAttribute('#case-map', 'data-grid')).startsWith(p.grid), 'its grid on the map');
    await shots(page, 'detail', () => page.waitForSelector('#case-map canvas'));
  });
  // the department sees the caller masked
  await asUser('dept', {}, async (page) => {
    await page.goto(`/cases/${entered}`);
    await page.waitForSelector('#case-reporter');
    assert.equal(await page.textContent('#case-reporter'), '王**');
  });
});

test('server errors speak the user\'s language; an unknown case is not "not available"', async () => {
  await asUser('operator', {}, async (page) => {
    await page.goto('/cases/99999999');
    await page.waitForSelector('[data-state="not-found"]');
    const text = await page.textContent('main');
    assert.match(text, /该案件不存在，或您无权查看/);
    assert.doesNotMatch(text, /尚未开通/);
    await shot(page, 'console-unknown-case');
    // a refusal naming a field: merging into a case that does not exist
    const r = await u.worker.post('/api/v1/cases', { category: 'E0101', channel: 'worker', description: '合并测试', lon: p.lon, lat: p.lat });
    await page.goto(`/cases/${r.body.id}`);
    await page.click('.action-buttons button[data-action="merge"]');
    const f = 'form.action-form[data-action="merge"]';
    await page.fill(`${f} input[name=into]`, '99999999');
    await page.click(`${f} button[type=submit]`);
    await page.waitForFunction((s) => document.querySelector(`${s} .form-error`)?.textContent, f);
    assert.equal(await page.textContent(`${f} .form-error`), '填写的内容有误：请检查「并入案件编号」');
    // the same in English, with the server's own words after ours
    await page.click('#lang');
    await page.waitForSelector('.action-buttons button[data-action="merge"]');
    await page.click('.action-buttons button[data-action="merge"]');
    await page.fill(`${f} input[name=into]`, '99999999');
    await page.click(`${f} button[type=submit]`);
    await page.waitForFunction((s) => document.querySelector(`${s} .form-error`)?.textContent, f);
    assert.match(await page.textContent(`${f} .form-error`), /^A field has an invalid value: check "case to merge into" \(case 99999999 is not/);
    await page.click('#lang');
  });
  // a grid worker's report outside the map: the grid message, in Chinese
  await asUser('worker', { viewport: { width: 360, height: 740 }, geolocation: { longitude: 100.0, latitude: 20.0 } }, async (page) => {
    await page.waitForSelector('#worker-report-form');
    await page.fill('#w-category-search', 'sdlj');
    await page.click('#w-category-list .cat-item[data-code="E0101"]');
    await page.fill('#w-desc', '地图外的点');
    await page.click('#w-locate');
    await page.waitForFunction(() => /经度/.test(document.querySelector('#w-where')?.textContent ?? ''));
    await page.click('#worker-report-form button[type=submit]');
    await page.waitForSelector('#worker-report-form .form-error[data-code]');
    const msg = await page.textContent('#worker-report-form .form-error');
    assert.doesNotMatch(msg, /[a-z]{4,}/, `no English in: ${msg}`);
    await shot(page, 'console-worker-error-360');
  });
});

test('the citizen chooses the kind of problem with the same picker, or leaves it to the center', async () => {
  const page = await newPage(browser, srv, { viewport: { width: 360, height: 740 }, geolocation: { longitude: p.lon, latitude: p.lat } });
  try {
    await page.goto('/report');
    await page.waitForSelector('#r-category-list .cat-item');
    assert.equal(await page.getAttribute('#r-category', 'data-value'), '', 'nothing chosen for the citizen');
    await page.fill('#r-category-search', 'bllj');
    await page.click('#r-category-list .cat-item[data-code="E0102"]');
    await page.fill('#r-desc', '路边暴露垃圾');
    await page.click('#r-locate');
    await page.waitForFunction(() => /经度/.test(document.querySelector('#r-where')?.textContent ?? ''));
    await page.setInputFiles('#r-photo', jpeg('street.jpg', 23));
    await shots(page, 'citizen', () => page.waitForSelector('#r-category-list'));
    await page.setViewportSize({ width: 360, height: 740 });
    await page.click('#r-submit');
    await page.waitForSelector('#r-code');
    const code = (await page.textContent('#r-code')).trim();
    const r = await srv.request('GET', `/api/v1/public/reports/${code}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.category, '暴露垃圾');
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test("the grid worker's tasks come earliest deadline first, with the time left", async () => {
  await asUser('worker', { viewport: { width: 360, height: 740 } }, async (page) => {
    await page.waitForSelector('#worker-tasks li[data-id]');
    const left = await page.$$eval('#worker-tasks li[data-id]', (els) => els.map((e) => Number(e.querySelector('[data-left]')?.dataset.left ?? Infinity)));
    assert.ok(left.length >= 2, `${left.length} tasks`);
    for (let i = 1; i < left.length; i++) assert.ok(left[i - 1] <= left[i], 'earliest deadline first');
    assert.match(await page.textContent('#worker-tasks li[data-id]'), /剩 |已超期 |无时限/);
    await shots(page, 'worker', () => page.waitForSelector('#worker-tasks li[data-id]'));
  });
});
