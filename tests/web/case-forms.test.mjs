// SPDX-License-Identifier: Apache-2.0
// The case desk's other forms in a real browser, and the grid worker's phone page:
// reporting with photos and the phone's GPS and closing a small matter on the spot
// 自处置 (before/after photos, the case pinned on the map); reject needs a reason; merge
// names the surviving case; an extension asked by the department and approved by the
// operator; feedback with a photo; evaluation; a whistle 吹哨 with two departments, one
// reporting and rated, the other supervised 督办 once its deadline passes (the test
// clock moves, so that test runs last). Screenshots in tests/web/artifacts/forms-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, newPage, shot, login } from './lib/browser.mjs';
import { act, shownState } from './lib/desk.mjs';
import { tinyJpeg } from '../api/lib/images.mjs';
import { pointsIn } from '../api/lib/harness.mjs';

const AREA = '510105002002'; // the community of the test's worker and community users
let srv;
let browser;
let u;
before(async () => {
  ({ srv, browser } = await setup());
  u = { worker: await srv.as('worker'), operator: await srv.as('operator'), dept: await srv.as('dept') };
});
after(async () => {
  await browser?.close();
  if (srv) assert.equal((await srv.stop()).code, 0);
});

/** A point inside one of the area's basic grids. */
async function pointInArea() {
  return (await pointsIn(u.operator, AREA))[0];
}

async function report(extra = {}) {
  const r = await u.worker.post('/api/v1/cases', { category: 'C0121', channel: 'worker', description: '报刊亭破损', grid: AREA, ...extra });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

async function apiAct(who, id, action, extra = {}) {
  const r = await who.post(`/api/v1/cases/${id}/actions`, { action, ...extra });
  assert.equal(r.status, 200, `${action}: ${r.text}`);
  return r.body;
}

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

/** The thumbnails under a selector, once each has loaded (naturalWidth > 0). */
async function loadedPhotos(page, sel) {
  await page.waitForFunction((s) => {
    const imgs = [...document.querySelectorAll(`${s} img.thumb`)];
    return imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0);
  }, sel);
  return page.$$eval(`${sel} img.thumb`, (els) => els.length);
}

test('a grid worker reports from the phone with photo and GPS and closes it on the spot', async () => {
  const p = await pointInArea();
  let id;
  await asUser('worker', { viewport: { width: 390, height: 844 }, geolocation: { longitude: p.lon, latitude: p.lat } }, async (page) => {
    await page.waitForSelector('#worker-report-form');
    await page.fill('#w-desc', '井盖松动，已现场加固');
    // no category is chosen for the worker: the form says so and sends nothing
    assert.equal(await page.getAttribute('#w-category', 'data-value'), '');
    await page.click('#worker-report-form button[type=submit]');
    await page.waitForSelector('#worker-report-form .form-error');
    assert.equal(await page.textContent('#worker-report-form .form-error'), '请选择类别');
    // 上水井盖 found by its pinyin initials
    await page.fill('#w-category-search', 'ssjg');
    assert.deepEqual(await page.$$eval('#w-category-list .cat-item', (els) => els.map((e) => e.dataset.code)), ['C0101']);
    await page.click('#w-category-list .cat-item[data-code="C0101"]');
    assert.equal(await page.getAttribute('#w-category', 'data-value'), 'C0101');
    await page.setInputFiles('#w-photos', jpeg('before.jpg', 11));
    await page.click('#w-locate');
    await page.waitForFunction(() => /经度/.test(document.querySelector('#w-where')?.textContent ?? ''));
    await page.check('#w-self');
    // 自处置 without the after photo is refused in the form
    await page.click('#worker-report-form button[type=submit]');
    await page.waitForSelector('#worker-report-form .form-error');
    assert.match(await page.textContent('#worker-report-form .form-error'), /处置前、处置后/);
    await page.setInputFiles('#w-after', jpeg('after.jpg', 12));
    await page.click('#worker-report-form button[type=submit]');
    await page.waitForSelector('#worker-sent');
    id = (await page.textContent('#worker-sent')).match(/案件编号 (\d+)/)[1];
    // the after-photo picker folds away with the form; the closed case is no task
    assert.equal(await page.isVisible('#w-after'), false);
    await page.waitForSelector('#worker-tasks :is(.cards, .state)');
    assert.equal(await page.$(`#worker-tasks li[data-id="${id}"]`), null);
    await shot(page, 'forms-1-worker-reported');

    await page.goto(`/cases/${id}`);
    assert.equal(await shownState(page), '结案');
    assert.equal(await loadedPhotos(page, '#case-photos'), 1, 'the before photo');
    assert.equal(await loadedPhotos(page, '#case-photos-after'), 1, 'and the after photo');
    assert.equal(await loadedPhotos(page, '.timeline li:first-child'), 1, 'the report shows the before photo');
    assert.equal(await loadedPhotos(page, '.timeline li:last-child'), 2, 'the 自处置 entry both');
    await page.waitForSelector('#case-map[data-pin] canvas');
    const [lon, lat] = (await page.getAttribute('#case-map', 'data-pin')).split(',').map(Number);
    assert.ok(Math.abs(lon - p.lon) < 1e-6 && Math.abs(lat - p.lat) < 1e-6, 'pinned where the phone was');
    // the photo opens full size
    await page.click('#case-photos .photo');
    await page.waitForFunction(() => document.querySelector('dialog.lightbox img.full')?.naturalWidth > 0);
    await shot(page, 'forms-2-self-closed-detail');
    await page.click('dialog.lightbox button');
  });
  const c = (await u.operator.get(`/api/v1/cases/${id}`)).body;
  assert.equal(c.state, 'closed');
  assert.equal(c.channel, 'worker');
  assert.equal(c.category, 'C0101');
  assert.equal(c.photos.length, 2);
  assert.deepEqual(c.timeline.map((e) => e.action), ['create', 'self_close']);
  assert.deepEqual(c.timeline[1].attachments, [c.photos[0].sha256, c.photos[1].sha256]);
  assert.ok(c.grid.startsWith(p.grid), `${c.grid} is in ${p.grid}`);
});

test('reject needs a reason; merge names the surviving case', async () => {
  const p = await pointInArea();
  const a = await report({ lon: p.lon, lat: p.lat });
  const b = await report({ lon: p.lon, lat: p.lat });
  const c = await report();
  await asUser('operator', {}, async (page) => {
    await page.goto(`/cases/${a}`);
    await page.click('.action-buttons button[data-action="reject"]');
    const note = 'form.action-form[data-action="reject"] textarea[name=note]';
    await page.click('form.action-form[data-action="reject"] button[type=submit]');
    assert.ok(await page.$eval(note, (e) => e.validity.valueMissing), 'the form asks for the reason');
    // spaces are no reason either: the form says so itself
    await page.fill(note, '   ');
    await page.click('form.action-form[data-action="reject"] button[type=submit]');
    await page.waitForFunction(() => document.querySelector('form.action-form[data-action="reject"] .form-error')?.textContent);
    assert.equal(await page.textContent('form.action-form[data-action="reject"] .form-error'), '此操作须填写理由');
    assert.equal(await shownState(page), '上报');
    await act(page, 'reject', '不予立案', (f) => page.fill(`${f} textarea[name=note]`, '非本区域管辖'));
    assert.match(await page.textContent('.timeline'), /非本区域管辖/);

    await page.goto(`/cases/${b}`);
    await act(page, 'merge', '已合并', (f) => page.fill(`${f} input[name=into]`, String(c)));
    await shot(page, 'forms-3-merged');
    await page.goto(`/cases/${c}`);
    await page.waitForSelector('.timeline');
    assert.match(await page.textContent('.timeline'), /合并来件/);
  });
  assert.equal((await u.operator.get(`/api/v1/cases/${b}`)).body.merged_into, c);
});

test('extension asked and approved; feedback with a photo; verified, closed and evaluated', async () => {
  const id = await report();
  await apiAct(u.operator, id, 'file');
  await apiAct(u.operator, id, 'dispatch');
  const before = (await u.operator.get(`/api/v1/cases/${id}`)).body.deadline;
  await asUser('dept', {}, async (page) => {
    await page.goto(`/cases/${id}`);
    await act(page, 'accept', '签收');
    await act(page, 'extend', '签收', async (f) => {
      await page.fill(`${f} input[name=hours]`, '16');
      await page.fill(`${f} textarea[name=note]`, '需订购配件');
    });
    // the department cannot approve its own request
    assert.ok(!(await page.$('.action-buttons button[data-action="approve_extension"]')));
  });
  await asUser('operator', {}, async (page) => {
    await page.goto(`/cases/${id}`);
    await act(page, 'approve_extension', '签收');
    assert.deepEqual((await page.$$eval('.timeline li strong', (e) => e.map((x) => x.textContent))).slice(-2), ['申请延期', '批准延期']);
  });
  const extended = (await u.operator.get(`/api/v1/cases/${id}`)).body.deadline;
  assert.ok(Date.parse(extended) > Date.parse(before), `deadline ${before} moved to ${extended}`);
  await asUser('dept', {}, async (page) => {
    await page.goto(`/cases/${id}`);
    await act(page, 'handle', '处置反馈', async (f) => {
      await page.fill(`${f} textarea[name=note]`, '已更换顶棚');
      await page.setInputFiles(`${f} input[name=photos]`, jpeg('done.jpg', 13));
    });
    assert.equal(await loadedPhotos(page, '#case-photos-after'), 1, 'the feedback photo is an after photo');
    assert.equal(await page.$('#case-photos'), null);
  });
  await asUser('operator', {}, async (page) => {
    await page.goto(`/cases/${id}`);
    assert.equal(await loadedPhotos(page, '.timeline'), 1, "the department's photo on its feedback");
    await act(page, 'verify', '核查');
    await act(page, 'close', '结案');
    await act(page, 'evaluate', '评价', (f) => page.selectOption(`${f} select[name=rating]`, 'basically'));
    await shot(page, 'forms-4-evaluated');
  });
  const c = (await u.operator.get(`/api/v1/cases/${id}`)).body;
  assert.equal(c.rating, 'basically');
  assert.equal(c.photos.length, 1);
});

/** A datetime-local value (Asia/Shanghai wall time) hours after now. */
function localIn(hours) {
  const d = new Date(Date.now() + hours * 3600e3 + 8 * 3600e3);
  return d.toISOString().slice(0, 16);
}

test('a whistle summons two departments: one reports and is rated, the late one is supervised', async () => {
  const id = await report();
  await apiAct(u.operator, id, 'file');
  await asUser('community', {}, async (page) => {
    await page.goto(`/cases/${id}`);
    await act(page, 'whistle', '立案', async (f) => {
      await page.selectOption(`${f} select[name=type]`, 'assembly');
      await page.selectOption(`${f} select[name=departments]`, ['CGZF', 'HW']);
      await page.fill(`${f} input[name=deadline]`, localIn(2));
    });
    await page.waitForSelector('#case-whistles');
    assert.deepEqual(await page.$$eval('#case-whistles tbody tr', (r) => r.map((x) => x.dataset.department).sort()), ['CGZF', 'HW']);
    assert.match(await page.textContent('#case-whistles tr[data-department="HW"]'), /未报到/);
  });
  await asUser('dept', {}, async (page) => {
    await page.goto(`/cases/${id}`);
    await act(page, 'report', '立案', (f) => page.fill(`${f} textarea[name=note]`, '已到场'));
    assert.doesNotMatch(await page.textContent('#case-whistles tr[data-department="CGZF"]'), /未报到/);
  });
  // HW never comes: a day later its report is supervised (and so is the late filing).
  await srv.advance(24 * 3600);
  u.operator = await srv.as('operator'); // the old token has expired meanwhile
  for (let i = 0; ; i++) {
    const c = (await u.operator.get(`/api/v1/cases/${id}`)).body;
    if (c.supervision_rounds.some((v) => v.stage === 'report' && v.target === 'HW')) break;
    assert.ok(i < 100, 'the scheduler supervises the late report');
    await new Promise((r) => setTimeout(r, 100));
  }
  await asUser('community', {}, async (page) => {
    await page.goto(`/cases/${id}`);
    await act(page, 'rate_department', '立案', async (f) => {
      assert.deepEqual(await page.$$eval(`${f} select[name=department] option`, (o) => o.map((e) => e.value).sort()), ['CGZF', 'HW']);
      await page.selectOption(`${f} select[name=department]`, 'CGZF');
      await page.selectOption(`${f} select[name=rating]`, 'satisfied');
    });
    assert.match(await page.textContent('#case-whistles tr[data-department="CGZF"]'), /满意/);
    assert.match(await page.textContent('#case-whistles tr[data-department="HW"]'), /已督办/);
    const rows = await page.$$eval('#case-supervision tbody tr', (r) => r.map((x) => x.textContent));
    assert.ok(rows.some((r) => /报到/.test(r) && /HW/.test(r)), rows.join(' | '));
    await shot(page, 'forms-5-whistle-supervised');
  });
});
