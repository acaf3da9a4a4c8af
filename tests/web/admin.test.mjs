// SPDX-License-Identifier: Apache-2.0
// The admin screens 系统管理 (issue 14, item 11) as the admin uses them: the 管理 entry in
// the nav; users searched, added (the form's checks in Chinese and English, the temporary
// password shown once), locked after a confirmation (the user's live session ends),
// unlocked and reset (the user must set a new password before anything else);
// departments added and renamed; a category's time limits edited; a GPS tracker
// registered for a user; an API key issued and revoked after a confirmation. Screenshots
// of each tab at 1920, 1366 and 360 px in tests/web/artifacts/admin-*.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, newPage, shot, login, PASSWORD } from './lib/browser.mjs';

const WIDTHS = [[1920, 1080], [1366, 800], [360, 740]];
let srv;
let browser;
before(async () => {
  ({ srv, browser } = await setup());
});
after(async () => {
  await browser?.close();
  if (srv) assert.equal((await srv.stop()).code, 0);
});

async function asAdmin(fn, opts) {
  const page = await newPage(browser, srv, opts);
  try {
    await login(page, 'admin');
    await page.waitForURL((url) => url.pathname !== '/login');
    await fn(page);
    assert.deepEqual(page.errors, [], 'no page errors');
  } finally {
    await page.context().close();
  }
}

const tab = (page, name) => page.goto(`/admin?tab=${name}`).then(() => page.waitForSelector('#admin-table'));
const fieldError = (page, f) => page.locator(`#admin-dialog .field-error[data-field="${f}"]`);

test('users: search, add with checked fields, lock with a confirmation, reset', async () => {
  await asAdmin(async (page) => {
    await page.click('[data-nav="/admin"]');
    await page.waitForSelector('#admin-users #admin-table');
    await page.fill('#admin-search', 'worker');
    await page.waitForFunction(() => [...document.querySelectorAll('#admin-table tbody tr')].every((r) => r.textContent.includes('worker')));

    // the form says what is wrong before anything is sent
    await page.click('#admin-add');
    await page.click('#admin-form-submit');
    assert.equal(await fieldError(page, 'name').textContent(), '必填');
    await page.fill('#f-name', 'cw new');
    await page.fill('#f-scope', '5101050');
    await page.click('#admin-form-submit');
    assert.match(await fieldError(page, 'name').textContent(), /空格/);
    assert.match(await fieldError(page, 'scope').textContent(), /网格编码/);
    // the server's refusal lands under its field, in Chinese
    await page.fill('#f-name', 'cw-new');
    await page.selectOption('#f-role', 'community');
    await page.fill('#f-scope', '510199');
    await page.click('#admin-form-submit');
    await page.waitForFunction(() => document.querySelector('.field-error[data-field="scope"]').textContent.includes('管辖范围'));
    await page.fill('#f-scope', '510105002002');
    await page.click('#admin-form-submit');
    const temp = (await page.locator('#secret-value').textContent()).trim();
    assert.match(temp, /^[A-Za-z0-9_-]{12}$/);
    await page.click('#admin-secret-close');

    // lock asks first; the worker's live session ends at once
    const w = await srv.as('worker');
    await page.fill('#admin-search', 'worker');
    const row = page.locator('[data-user="worker"]');
    await row.locator('[data-act="lock"]').click();
    await page.click('#admin-confirm-no');
    assert.equal((await w.get('/api/v1/session')).status, 200, 'no lock without the confirmation');
    await row.locator('[data-act="lock"]').click();
    assert.match(await page.locator('#admin-confirm').textContent(), /worker/);
    await page.click('#admin-confirm-yes');
    await page.waitForSelector('[data-locked="true"]');
    assert.equal((await w.get('/api/v1/session')).status, 401);
    await shot(page, 'admin-users-locked');
    await row.locator('[data-act="unlock"]').click();
    await page.waitForFunction(() => !document.querySelector('[data-locked="true"]'));
    await row.locator('[data-act="reset"]').click();
    await page.click('#admin-confirm-yes');
    const reset = (await page.locator('#secret-value').textContent()).trim();
    await page.click('#admin-secret-close');

    // the worker signs in with it and must choose a new password first
    const wp = await newPage(browser, srv, { viewport: { width: 360, height: 740 } });
    try {
      await login(wp, 'worker', reset);
      await wp.waitForURL('**/password');
      await wp.fill('#pw-old', reset);
      await wp.fill('#pw-new', 'new-password-9');
      await wp.fill('#pw-again', 'other-password');
      await wp.click('#pw-submit');
      assert.match(await wp.locator('#pw-error').textContent(), /不一致/);
      await shot(wp, 'admin-password-360');
      await wp.fill('#pw-again', 'new-password-9');
      await wp.click('#pw-submit');
      await wp.waitForURL('**/worker');
    } finally {
      await wp.context().close();
    }
    await srv.login('worker', 'new-password-9');
  });
});

test('departments, category limits, a tracker and an API key', async () => {
  await asAdmin(async (page) => {
    await tab(page, 'departments');
    await page.click('#admin-add');
    await page.fill('#f-code', 'wgb');
    await page.fill('#f-name', '网格化服务管理中心');
    await page.click('#admin-form-submit');
    assert.match(await fieldError(page, 'code').textContent(), /大写字母/);
    await page.fill('#f-code', 'WGB');
    await page.click('#admin-form-submit');
    await page.fill('#admin-search', 'WGB');
    await page.locator('[data-act="edit"][data-code="WGB"]').click();
    await page.fill('#f-name', '网格中心');
    await page.click('#admin-form-submit');
    await page.waitForFunction(() => document.querySelector('#admin-table').textContent.includes('网格中心'));

    await tab(page, 'categories');
    await page.fill('#admin-search', 'C0101');
    await page.locator('[data-act="edit"][data-code="C0101"]').click();
    await page.fill('#f-limit_general_h', '500');
    await page.click('#admin-form-submit');
    assert.match(await fieldError(page, 'limit_general_h').textContent(), /一般 ≤ 工程/);
    await page.fill('#f-limit_general_h', '3');
    await page.click('#admin-form-submit');
    await page.waitForFunction(() => document.querySelector('[data-limits="C0101"]')?.textContent.startsWith('3 /'));
    const op = await srv.as('operator');
    const cat = (await op.get('/api/v1/categories')).body.items.find((c) => c.code === 'C0101');
    assert.equal(cat.limits_h.general, 3);

    await tab(page, 'devices').catch(() => page.waitForSelector('#admin-devices [data-state="empty"]'));
    await page.click('#admin-add');
    await page.selectOption('#f-type', 'tracker');
    await page.fill('#f-id', 'gps-w1');
    await page.click('#admin-form-submit');
    assert.equal(await fieldError(page, 'user').textContent(), '必填');
    await page.fill('#f-user', 'worker');
    await page.click('#admin-form-submit');
    assert.match((await page.locator('#secret-value').textContent()).trim(), /^[A-Za-z0-9_-]{40,}$/);
    await page.click('#admin-secret-close');
    await page.waitForFunction(() => document.querySelector('#admin-table')?.textContent.includes('由 worker 携带'));

    await page.goto('/admin?tab=apikeys');
    await page.waitForSelector('#admin-add');
    await page.click('#admin-add');
    await page.fill('#f-name', 'gateway');
    await page.click('#admin-form-submit');
    const key = (await page.locator('#secret-value').textContent()).trim();
    await page.click('#admin-secret-close');
    await page.locator('[data-act="revoke"][data-key="gateway"]').click();
    assert.match(await page.locator('#admin-confirm').textContent(), /gateway/);
    await page.click('#admin-confirm-yes');
    await page.waitForSelector('[data-revoked="true"]');
    const r = await srv.request('POST', '/api/v1/intake/hotline', { body: { order_no: 'W1', content: 'x' }, headers: { 'x-api-key': key } });
    assert.equal(r.status, 401);
  });
});

test('the forms speak English too; every tab at 1920, 1366 and 360 px', async () => {
  await asAdmin(async (page) => {
    await page.goto('/admin?tab=users');
    await page.click('#lang');
    await page.waitForSelector('#admin-table');
    await page.click('#admin-add');
    await page.click('#admin-form-submit');
    assert.equal(await fieldError(page, 'name').textContent(), 'Required');
    await page.keyboard.press('Escape');
    await page.click('#lang');
    for (const name of ['users', 'departments', 'categories', 'devices', 'apikeys']) {
      for (const [width, height] of WIDTHS) {
        await page.setViewportSize({ width, height });
        await page.goto(`/admin?tab=${name}`);
        await page.waitForSelector(`#admin-${name} #admin-table, #admin-${name} [data-state]`);
        await shot(page, `admin-${name}-${width}`);
      }
    }
    // paging: the category list has more than one page
    await page.goto('/admin?tab=categories');
    await page.waitForSelector('#admin-table');
    const first = await page.locator('#admin-page').textContent();
    await page.click('#admin-next');
    await page.waitForFunction((f) => document.querySelector('#admin-page').textContent !== f, first);
  });
});

test('a non-admin gets no 管理 entry and the page refuses', async () => {
  const page = await newPage(browser, srv);
  try {
    await login(page, 'operator');
    await page.waitForURL((url) => url.pathname !== '/login');
    assert.equal(await page.locator('[data-nav="/admin"]').count(), 0);
    await page.goto('/admin');
    await page.waitForSelector('[data-state="forbidden"]');
  } finally {
    await page.context().close();
  }
  assert.ok(PASSWORD);
});
