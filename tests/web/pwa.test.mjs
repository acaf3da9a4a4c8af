// SPDX-License-Identifier: Apache-2.0
// The field app offline and the citizen page (issue 14, items 12 and 13), in headless
// Chromium: the web app manifest and the service worker served at the web root; the grid
// worker's page installed as a PWA goes offline (context.setOffline), a report with a photo
// is made and shows as waiting (a list with a count), the page reloads offline from the
// cached shell and still lists it, the network returns and the case exists exactly once
// (through the API), in the worker's own grid (no GPS); a send whose answer is dropped
// (route interception aborts the first answer) is retried and still makes one case; a
// feedback (核查) made offline on the case page waits in the outbox and is applied once; the
// worker's case page logs no 403 for its map; the citizen's report placed by a tap on the
// map, its code kept on the device across a reload with a copy button, an offline report
// sent once when the network returns, and the lookup showing the department's reply and
// the after photo. Screenshots at 1366 and 360 px in tests/web/artifacts/pwa-*.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, newPage, shot, login, PASSWORD } from './lib/browser.mjs';
import { tinyJpeg } from '../api/lib/images.mjs';
import { gridgovOk, pointsIn } from '../api/lib/harness.mjs';

const AREA = '510105002002'; // the worker's community in the test users
const PHONE = { width: 360, height: 740 };
let srv;
let browser;
let u;

before(async () => {
  ({ srv, browser } = await setup());
  u = { operator: await srv.as('operator'), dept: await srv.as('dept') };
});
after(async () => {
  await browser?.close();
  if (srv) assert.equal((await srv.stop()).code, 0);
});

const jpeg = (name, variant) => ({ name, mimeType: 'image/jpeg', buffer: tinyJpeg(variant) });

/** The cases the operator sees whose description is desc. */
async function casesNamed(desc) {
  const r = await u.operator.get('/api/v1/cases?per_page=100');
  assert.equal(r.status, 200, r.text);
  return r.body.items.filter((c) => c.description === desc);
}

async function waitFor(fn, what, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Tap the middle of a map (the locator scrolls it into view first). */
async function tapCenter(page, sel) {
  const el = page.locator(sel);
  await el.scrollIntoViewIfNeeded();
  const box = await el.boundingBox();
  await el.click({ position: { x: box.width / 2, y: box.height / 2 } });
}

async function pickCategory(page, id, query, code) {
  await page.fill(`#${id}-search`, query);
  await page.click(`#${id}-list .cat-item[data-code="${code}"]`);
  assert.equal(await page.getAttribute(`#${id}`, 'data-value'), code);
}

test('the manifest and the service worker are served at the web root', async () => {
  const m = await fetch(`${srv.url}/manifest.webmanifest`);
  assert.equal(m.status, 200);
  assert.match(m.headers.get('content-type'), /^application\/manifest\+json/);
  const man = await m.json();
  assert.equal(man.display, 'standalone');
  assert.ok(man.start_url && man.name && man.short_name);
  for (const size of ['192x192', '512x512']) {
    const icon = man.icons.find((i) => i.sizes === size && i.type === 'image/png');
    assert.ok(icon, `an icon of ${size}`);
    const r = await fetch(srv.url + icon.src);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'image/png');
  }
  const sw = await fetch(`${srv.url}/sw.js`);
  assert.equal(sw.status, 200);
  assert.match(sw.headers.get('content-type'), /^text\/javascript/);
  assert.equal(sw.headers.get('cache-control'), 'no-cache');
  assert.equal(sw.headers.get('service-worker-allowed'), '/');
  const src = await sw.text();
  const shell = JSON.parse(src.match(/const SHELL = (\[.*?\]);/)[1]);
  assert.ok(shell.includes('/index.html') && shell.includes('/manifest.webmanifest'));
  assert.ok(shell.some((f) => /^\/assets\/.*\.js$/.test(f)), 'the built scripts are in the shell');
  // every file of the shell exists, or the worker would not install
  for (const f of shell) assert.equal((await fetch(srv.url + f)).status, 200, f);
  const html = await (await fetch(`${srv.url}/worker`)).text();
  assert.match(html, /<link rel="manifest" href="\/manifest.webmanifest"/);
});

test('offline: the worker reports with a photo, sees it waiting, and it is sent once when the network returns', async () => {
  const page = await newPage(browser, srv, { viewport: PHONE });
  const context = page.context();
  try {
    await login(page, 'worker');
    await page.waitForURL('**/worker');
    // the service worker installs and takes the page (the shell is cached)
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await waitFor(() => page.evaluate(() => !!navigator.serviceWorker.controller), 'the service worker to control the page');
    await page.waitForSelector('#w-category-search');
    await page.waitForSelector('#worker-outbox[data-count="0"]');

    await context.setOffline(true);
    const desc = '离线上报：路边违建 ' + Date.now();
    await pickCategory(page, 'w-category', 'sdlj', 'E0101');
    await page.fill('#w-desc', desc);
    await page.setInputFiles('#w-photos', jpeg('offline.jpg', 31));
    // no GPS: the form says where it goes
    assert.match(await page.textContent('#w-where'), /本网格/);
    await page.click('#w-submit');
    await page.waitForSelector('#worker-queued');
    await page.waitForSelector('#worker-outbox[data-count="1"]');
    assert.match(await page.textContent('#worker-outbox-title'), /待发送 1 条/);
    assert.match(await page.textContent('#worker-outbox-list'), new RegExp(desc));
    assert.equal((await casesNamed(desc)).length, 0, 'nothing reached the server');
    // a second one waits too
    const desc2 = desc + ' 之二';
    await pickCategory(page, 'w-category', 'sdlj', 'E0101');
    await page.fill('#w-desc', desc2);
    await page.click('#w-submit');
    await page.waitForSelector('#worker-outbox[data-count="2"]');
    await shot(page, 'pwa-worker-offline-360');
    await page.setViewportSize({ width: 1366, height: 800 });
    await shot(page, 'pwa-worker-offline-1366');
    await page.setViewportSize(PHONE);

    // still offline, the page opens again from the cached shell and the reports still wait
    await page.reload();
    await page.waitForSelector('#worker-outbox[data-count="2"]');
    await page.waitForSelector('#w-category-search'); // the catalogue kept on the device

    await context.setOffline(false);
    await page.waitForSelector('#worker-outbox[data-count="0"]', { timeout: 30000 });
    const made = await casesNamed(desc);
    assert.equal(made.length, 1, 'the case exists exactly once');
    assert.equal((await casesNamed(desc2)).length, 1);
    assert.ok(made[0].grid.startsWith(AREA), `filed in the worker's own grid (${made[0].grid})`);
    const full = (await u.operator.get(`/api/v1/cases/${made[0].id}`)).body;
    assert.equal(full.photos?.length, 1, 'the photo went with it');
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test('a dropped answer: the report is sent again and still made once', async () => {
  // no service worker here, so the page's own requests are the ones intercepted
  const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', baseURL: srv.url, serviceWorkers: 'block' });
  const page = await context.newPage();
  try {
    await login(page, 'worker');
    await page.waitForURL('**/worker');
    await page.waitForSelector('#w-category-search');
    let dropped = 0;
    await page.route('**/api/v1/cases', async (route) => {
      if (route.request().method() === 'POST' && !dropped) {
        dropped++;
        const res = await route.fetch(); // the server makes the case…
        assert.equal(res.status(), 201, await res.text());
        await route.abort('connectionreset'); // …and its answer is lost
        return;
      }
      await route.continue();
    });
    const desc = '应答丢失重发 ' + Date.now();
    await pickCategory(page, 'w-category', 'sdlj', 'E0101');
    await page.fill('#w-desc', desc);
    await page.setInputFiles('#w-photos', jpeg('dropped.jpg', 32));
    await page.click('#w-submit');
    await page.waitForSelector('#worker-queued'); // the send failed as if the network had dropped
    await page.waitForSelector('#worker-outbox[data-count="1"]');
    assert.equal(dropped, 1);
    assert.equal((await casesNamed(desc)).length, 1, 'the first send made the case');
    await page.click('#worker-outbox-list button:has-text("立即重试")');
    await page.waitForSelector('#worker-outbox[data-count="0"]');
    const made = await casesNamed(desc);
    assert.equal(made.length, 1, 'the retry did not make a second case');
    await page.waitForSelector(`[data-sent="${made[0].id}"]`);
  } finally {
    await context.close();
  }
});

test('offline feedback: the worker\'s 核查 on a case waits in the outbox and is applied once', async () => {
  const [p] = await pointsIn(u.operator, AREA);
  const worker = await srv.as('worker');
  const c = (await worker.post('/api/v1/cases', { category: 'E0101', description: '离线核查 ' + Date.now(), channel: 'worker', lon: p.lon, lat: p.lat })).body;
  for (const [who, action, extra] of [[u.operator, 'file'], [u.operator, 'dispatch', { note: '请处置' }], [u.dept, 'accept'], [u.dept, 'handle', { note: '已处置' }]]) {
    const r = await who.post(`/api/v1/cases/${c.id}/actions`, { action, ...extra });
    assert.equal(r.status, 200, `${action}: ${r.text}`);
  }
  const page = await newPage(browser, srv, { viewport: PHONE });
  const context = page.context();
  try {
    await login(page, 'worker');
    await page.waitForURL('**/worker');
    await page.goto(`/cases/${c.id}`);
    await page.waitForSelector('.action-buttons button[data-action="verify"]');
    await context.setOffline(true);
    await page.click('.action-buttons button[data-action="verify"]');
    const form = 'form.action-form[data-action="verify"]';
    await page.fill(`${form} textarea[name="note"]`, '现场核查：已整改');
    await page.setInputFiles(`${form} input[type="file"]`, jpeg('check.jpg', 36));
    await page.click(`${form} button[type=submit]`);
    await page.waitForSelector('#action-queued');
    await page.click('.menu-btn'); // the phone's menu
    await page.click('#nav a[href="/worker"]');
    await page.waitForSelector('#worker-outbox[data-count="1"]');
    assert.match(await page.textContent('#worker-outbox-list'), new RegExp(`#${c.id}`));
    await context.setOffline(false);
    await page.waitForSelector('#worker-outbox[data-count="0"]', { timeout: 30000 });
    const after = (await u.operator.get(`/api/v1/cases/${c.id}`)).body;
    assert.equal(after.state, 'verified');
    assert.equal(after.timeline.filter((e) => e.action === 'verify').length, 1, 'verified once');
    assert.equal(after.photos.length, 1, 'with its photo');
  } finally {
    await context.close();
  }
});

test('the worker taps the place on the map; the case page asks for no map outside the worker\'s scope', async () => {
  const [p] = await pointsIn(u.operator, AREA);
  gridgovOk(['user', 'add', '--db', srv.db, '--name', 'gw-basic', '--role', 'grid_worker', '--scope', p.grid], { input: `${PASSWORD}\n` });
  const gw = await srv.as('gw-basic');
  const c = await gw.post('/api/v1/cases', { category: 'E0101', description: '地图上的违建', channel: 'worker', lon: p.lon, lat: p.lat });
  assert.equal(c.status, 201, c.text);
  const page = await newPage(browser, srv, { viewport: PHONE });
  try {
    await login(page, 'gw-basic');
    await page.waitForURL('**/worker');
    await page.waitForSelector('#worker-map[data-ready="1"] canvas');
    await tapCenter(page, '#worker-map');
    await page.waitForFunction(() => /地图选点/.test(document.querySelector('#w-where')?.textContent ?? ''));
    await page.goto(`/cases/${c.body.id}`);
    await page.waitForSelector('#case-state');
    await page.waitForTimeout(500);
    const refused = page.failedRequests.filter((r) => r.status === 403 || /403/.test(r.text ?? ''));
    assert.deepEqual(refused, [], 'no 403 on the case page');
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('the citizen: a point on the map, the kind of problem, the code kept on the device, copied, and the lookup with reply and after photo', async () => {
  const page = await newPage(browser, srv, { viewport: PHONE });
  const context = page.context();
  try {
    await page.goto('/report');
    await page.waitForSelector('#r-category-search');
    // only what a citizen may report: no social-governance items
    assert.equal(await page.locator('#r-category-list .cat-item[data-code^="G"]').count(), 0);
    assert.ok(await page.locator('#r-category-list .cat-item[data-code="E0101"]').count());
    await page.waitForSelector('#r-map[data-ready="1"] canvas');
    const desc = '市民随手拍：井盖缺失 ' + Date.now();
    await pickCategory(page, 'r-category', 'sdlj', 'E0101');
    await page.fill('#r-desc', desc);
    await page.setInputFiles('#r-photo', jpeg('citizen.jpg', 33));
    await tapCenter(page, '#r-map');
    await page.waitForFunction(() => /地图选点/.test(document.querySelector('#r-where')?.textContent ?? ''));
    await page.click('#r-submit');
    await page.waitForSelector('#r-code');
    const code = (await page.textContent('#r-code')).trim();
    assert.match(code, /^[2-9A-HJ-NP-Z]{10}$/);
    await page.waitForSelector(`#r-mine li[data-code="${code}"]`);

    // the code survives a reload, and the copy button copies it
    await page.reload();
    await page.waitForSelector(`#r-mine li[data-code="${code}"]`);
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.click(`#r-mine li[data-code="${code}"] .r-copy`);
    await page.waitForFunction((c) => document.querySelector(`#r-mine li[data-code="${c}"] .r-copy`)?.textContent === '已复制', code);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), code);

    // the department handles it, with a reply and an after photo
    const [c] = (await u.operator.get('/api/v1/cases?channel=citizen&per_page=100')).body.items.filter((x) => x.description === desc);
    assert.ok(c, 'the report is a case');
    const [afterSha] = await u.dept.upload(tinyJpeg(34));
    for (const [who, action, extra] of [[u.operator, 'file'], [u.operator, 'dispatch', { note: '请处置' }], [u.dept, 'accept'],
      [u.dept, 'handle', { note: '班组 王五', reply: '井盖已补装，感谢反映', attachments: [afterSha] }]]) {
      const r = await who.post(`/api/v1/cases/${c.id}/actions`, { action, ...extra });
      assert.equal(r.status, 200, `${action}: ${r.text}`);
    }
    await page.click(`#r-mine li[data-code="${code}"] .r-look`);
    await page.waitForSelector('#r-reply');
    assert.match(await page.textContent('#r-reply'), /井盖已补装，感谢反映/);
    assert.ok(!(await page.textContent('#r-lookup-result')).includes('王五'), 'the internal note stays internal');
    await page.waitForFunction(() => { const i = document.querySelector('#r-after img'); return i && i.complete && i.naturalWidth > 0; });
    await shot(page, 'pwa-report-360');
    await page.setViewportSize({ width: 1366, height: 800 });
    await shot(page, 'pwa-report-1366');
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test('the citizen offline: the report waits on the device and is sent once when the network returns', async () => {
  const page = await newPage(browser, srv, { viewport: PHONE });
  const context = page.context();
  try {
    await page.goto('/report');
    await page.waitForSelector('#r-map[data-ready="1"] canvas');
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await context.setOffline(true);
    const desc = '市民离线上报 ' + Date.now();
    await page.fill('#r-desc', desc);
    await page.setInputFiles('#r-photo', jpeg('citizen-offline.jpg', 35));
    await tapCenter(page, '#r-map');
    await page.waitForFunction(() => /地图选点/.test(document.querySelector('#r-where')?.textContent ?? ''));
    await page.click('#r-submit');
    await page.waitForSelector('#r-queued');
    await page.waitForSelector('#r-mine[data-pending="1"]');
    await context.setOffline(false);
    await page.waitForSelector('#r-mine[data-pending="0"]', { timeout: 30000 });
    const sent = await page.getAttribute('#r-msg [data-sent]', 'data-sent');
    await page.waitForSelector(`#r-mine li[data-code="${sent}"]`);
    const made = (await u.operator.get('/api/v1/cases?channel=citizen&per_page=100')).body.items.filter((x) => x.description === desc);
    assert.equal(made.length, 1, 'the report exists exactly once');
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});
