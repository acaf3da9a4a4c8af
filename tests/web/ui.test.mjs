// SPDX-License-Identifier: Apache-2.0
// The web console in a real browser against the real server: login and each role's
// landing screen, wrong password, language switch, grid browser, command center, citizen
// page, logout and 401, and no console errors. Screenshots in tests/web/artifacts/.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { setup, newPage, shot, login, hasRoute } from './lib/browser.mjs';

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

const QINGYANG_STREETS = ['草市街街道', '西御河街道', '少城街道', '草堂街道', '府南街道', '光华街道',
  '金沙街道', '黄田坝街道', '苏坡街道', '文家街道', '蔡桥街道', '康河街道'];

async function withPage(opts, fn) {
  const page = await newPage(browser, srv, opts);
  try {
    return await fn(page);
  } finally {
    await page.context().close();
  }
}

describe('login', () => {
  test('the login page is in Simplified Chinese by default', () => withPage({}, async (page) => {
    await page.goto('/');
    await page.waitForURL('**/login');
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.equal(await page.textContent('.login-card h1'), '网格化社会治理平台');
    assert.equal(await page.textContent('#login-submit'), '登录');
    await shot(page, 'login-zh');
  }));

  test('operator logs in and lands on the command center', () => withPage({}, async (page) => {
    await login(page, 'operator');
    await page.waitForURL('**/command');
    assert.equal(await page.textContent('main h1'), '指挥中心 · 一屏观');
    await page.waitForSelector('main[data-loaded="1"]');
    const labels = await page.$$eval('.kpi .kpi-label', (els) => els.map((e) => e.textContent));
    assert.deepEqual(labels, ['今日上报', '在办案件', '超期案件', '按期结案率', '满意率']);
    assert.match(await page.textContent('.who'), /operator（指挥中心坐席）/);
    assert.ok(await page.evaluate(() => sessionStorage.getItem('gridgov.token')), 'token kept in sessionStorage');
    assert.deepEqual(await page.$$eval('#nav a', (els) => els.map((e) => e.getAttribute('href'))), ['/command', '/cases', '/grids']);
    // The map draws /api/v1/grids.geojson when the server has it, else says there is no data.
    if (await hasRoute(srv, '/api/v1/grids.geojson?under=510105&level=grid', (await srv.as('operator')).token)) {
      assert.equal(await page.$('#cc-map > .state'), null);
      assert.ok(await page.$('#cc-map canvas'));
    } else {
      assert.equal(await page.textContent('#cc-map > .state'), '暂无数据：该功能的服务端接口尚未开通');
    }
    await shot(page, 'command-center');
  }));

  test('a wrong password shows the error and keeps the user on the login page', () => withPage({}, async (page) => {
    await login(page, 'operator', 'not-the-password');
    await page.waitForFunction(() => document.querySelector('#login-error')?.textContent !== '');
    assert.equal(await page.textContent('#login-error'), '用户名或密码错误');
    assert.match(page.url(), /\/login$/);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('gridgov.token')), null);
    assert.equal(await page.inputValue('#login-password'), '', 'the password field is cleared');
    await shot(page, 'login-wrong-password');
  }));

  test('each role lands on its own screen with its own navigation', async () => {
    const expect = {
      leader: ['/command', ['/command', '/cases', '/grids']],
      street: ['/cases', ['/cases', '/grids']],
      community: ['/cases', ['/cases', '/grids']],
      worker: ['/worker', ['/worker']],
      dept: ['/tasks', ['/tasks']],
      admin: ['/grids', ['/grids']],
    };
    for (const [name, [home, nav]] of Object.entries(expect)) {
      await withPage(name === 'worker' ? { viewport: { width: 390, height: 844 } } : {}, async (page) => {
        await login(page, name);
        await page.waitForURL(`**${home}`);
        assert.deepEqual(await page.$$eval('#nav a', (els) => els.map((e) => e.getAttribute('href'))), nav, name);
        if (name === 'worker') {
          await page.waitForSelector('#worker-grid strong');
          assert.equal(await page.textContent('#worker-grid strong'), '八宝街社区居民委员会');
          await page.waitForSelector('#worker-report-form');
          // On a phone the navigation folds behind the menu button.
          assert.equal(await page.isVisible('#nav'), false);
          await page.click('.menu-btn');
          assert.equal(await page.isVisible('#nav a[href="/worker"]'), true);
          assert.equal(await page.isVisible('#logout'), true);
          await page.click('.menu-btn');
          await shot(page, 'worker-phone');
        }
        if (name === 'street') await shot(page, 'case-desk');
      });
    }
  });
});

describe('language', () => {
  test('the English switch changes the visible text and is remembered', () => withPage({}, async (page) => {
    await page.goto('/login');
    assert.equal(await page.textContent('.login-card h2'), '登录');
    await page.click('#lang');
    await page.waitForFunction(() => document.querySelector('.login-card h2')?.textContent === 'Sign in');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.textContent('label[for=login-name]'), 'User name');
    await page.reload();
    assert.equal(await page.textContent('.login-card h2'), 'Sign in', 'the choice survives a reload');
    await login(page, 'street');
    await page.waitForURL('**/cases');
    assert.equal(await page.textContent('main h1'), 'Case desk');
    assert.equal(await page.textContent('#nav a[href="/grids"]'), 'Grid tree');
    await shot(page, 'case-desk-en');
    await page.click('#lang');
    await page.waitForFunction(() => document.querySelector('main h1')?.textContent === '案件受理');
    assert.equal(await page.textContent('#nav a[href="/grids"]'), '网格树');
  }));

  test('in English no Chinese text is left on the screens (apart from the switch back)', () => withPage({}, async (page) => {
    await page.goto('/login');
    await page.evaluate(() => localStorage.setItem('gridgov.lang', 'en'));
    const han = async () => (await page.evaluate(() => document.body.innerText)).replace(/中文/g, '').match(/\p{Script=Han}+/gu) ?? [];
    await page.goto('/login');
    await page.waitForSelector('#login-submit');
    assert.deepEqual(await han(), [], 'login page');
    await page.goto('/report');
    await page.waitForSelector('#report-form');
    assert.deepEqual(await han(), [], 'citizen page');
    await login(page, 'operator');
    await page.waitForURL('**/command');
    await page.waitForSelector('main[data-loaded="1"]');
    assert.deepEqual(await han(), [], 'command center');
    await shot(page, 'command-center-en');
    await page.click('#nav a[href="/cases"]');
    await page.waitForSelector('#case-filters button[type=submit]');
    await page.waitForFunction(() => !document.querySelector('main .state-loading'));
    // Department names are data, not interface text: leave the department filter out.
    const text = await page.evaluate(() => {
      const f = document.querySelector('#f-department');
      if (f) f.remove();
      return document.body.innerText;
    });
    assert.deepEqual(text.replace(/中文/g, '').match(/\p{Script=Han}+/gu) ?? [], [], 'case desk');
  }));
});

describe('grid browser', () => {
  test("shows Qingyang's 12 streets", () => withPage({}, async (page) => {
    await login(page, 'operator');
    await page.waitForURL('**/command');
    await page.click('#nav a[href="/grids"]');
    await page.waitForSelector('#grid-table');
    assert.deepEqual(await page.$$eval('#grid-table tbody tr', (r) => r.map((e) => e.dataset.code)), ['510105']);
    await page.click('#grid-table a.grid-link');
    await page.waitForURL('**/grids?code=510105');
    await page.waitForSelector('.crumb.current');
    assert.equal(await page.textContent('.crumb.current'), '四川省成都市青羊区');
    const names = await page.$$eval('#grid-table tbody a.grid-link', (els) => els.map((e) => e.textContent));
    assert.deepEqual([...names].sort(), [...QINGYANG_STREETS].sort());
    assert.equal(await page.textContent('#grid-total'), '共 12 个');
    await shot(page, 'grid-browser');
    // One level further: a street's communities, and the way back by the breadcrumb.
    await page.click('#grid-table tr[data-code="510105002"] a.grid-link');
    await page.waitForURL('**/grids?code=510105002');
    await page.waitForSelector('.crumb.current');
    assert.equal(await page.textContent('.crumb.current'), '草市街街道');
    assert.ok((await page.$$('#grid-table tbody tr')).length > 0);
  }));

  test('a street user sees only its own street', () => withPage({}, async (page) => {
    await login(page, 'street');
    await page.waitForURL('**/cases');
    await page.goto('/grids?code=510105');
    await page.waitForSelector('#grid-table');
    assert.deepEqual(await page.$$eval('#grid-table tbody tr', (r) => r.map((e) => e.dataset.code)), ['510105002']);
  }));
});

describe('case desk', () => {
  test('filters go into the address and survive a reload; reset clears them', () => withPage({}, async (page) => {
    await login(page, 'community');
    await page.waitForURL('**/cases');
    await page.waitForSelector('#case-filters button[type=submit]');
    assert.deepEqual(await page.$$eval('#f-state option', (o) => o.map((e) => e.textContent)),
      ['全部', '上报', '立案', '不予立案', '派遣', '签收', '处置反馈', '核查', '结案', '评价', '挂账']);
    await page.selectOption('#f-state', 'dispatched');
    await page.selectOption('#f-light', 'red');
    await page.fill('#f-grid', '510105002002');
    await page.click('#case-filters button[type=submit]');
    await page.waitForURL('**/cases?state=dispatched&light=red&grid=510105002002');
    await page.reload();
    await page.waitForSelector('#case-filters button[type=submit]');
    assert.equal(await page.inputValue('#f-state'), 'dispatched');
    assert.equal(await page.inputValue('#f-light'), 'red');
    assert.equal(await page.inputValue('#f-grid'), '510105002002');
    await page.click('#case-filters button[type=button]');
    await page.waitForURL(/\/cases$/);
    await page.waitForSelector('#case-filters button[type=submit]');
    assert.equal(await page.inputValue('#f-state'), '');
  }));
});

describe('session', () => {
  test('sign-out drops the token and returns to the login page', () => withPage({}, async (page) => {
    await login(page, 'admin');
    await page.waitForURL('**/grids');
    await page.click('#logout');
    await page.waitForURL('**/login');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('gridgov.token')), null);
    await page.goto('/grids');
    await page.waitForURL('**/login');
  }));

  test('a 401 from the API sends the user back to the login page', () => withPage({}, async (page) => {
    await page.goto('/login');
    await page.evaluate(() => {
      sessionStorage.setItem('gridgov.token', 'x'.repeat(43));
      sessionStorage.setItem('gridgov.user', JSON.stringify({ name: 'admin', role: 'admin', scope: '' }));
    });
    await page.goto('/grids');
    await page.waitForURL('**/login');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('gridgov.token')), null);
  }));
});

describe('citizen page 随手拍', () => {
  test('needs no login, asks for a description, and submits or says the service is not open', () => withPage({ viewport: { width: 390, height: 844 }, geolocation: { longitude: 103.98, latitude: 30.68 } }, async (page) => {
    await page.goto('/report');
    assert.equal(await page.textContent('main h1'), '随手拍');
    assert.deepEqual(await page.$$eval('#nav a', (els) => els.map((e) => e.getAttribute('href'))), ['/report', '/login']);
    assert.equal(await page.textContent('#r-photo-count'), '未选择照片');
    await page.setInputFiles('#r-photo', { name: 'a.png', mimeType: 'image/png', buffer: Buffer.from('89504e470d0a1a0a', 'hex') });
    assert.equal(await page.textContent('#r-photo-count'), '已选择 1 张照片');
    await page.setInputFiles('#r-photo', []);
    assert.equal(await page.textContent('#r-photo-count'), '未选择照片');
    await page.click('#r-submit');
    assert.equal(await page.textContent('#r-msg'), '请填写问题描述');
    await page.fill('#r-desc', '草市街口井盖缺失');
    await page.click('#r-locate');
    await page.waitForFunction(() => /经度/.test(document.querySelector('#r-where')?.textContent ?? ''));
    assert.equal(await page.textContent('#r-where'), '经度 103.980000，纬度 30.680000');
    await page.click('#r-submit');
    if (await hasRoute(srv, '/api/v1/public/reports/none')) {
      await page.waitForSelector('#r-code');
      const code = await page.textContent('#r-code');
      assert.match(code, /^[A-Za-z0-9]{6,}$/);
      await page.click('#lookup-form button');
      await page.waitForSelector('#r-lookup-result .timeline');
    } else {
      await page.waitForSelector('#r-msg [data-state=unavailable]');
      assert.equal(await page.textContent('#r-msg'), '上报服务暂未开通，请稍后再试或拨打 12345');
    }
    await shot(page, 'citizen-report-phone');
  }));
});

describe('the built UI', () => {
  test('loads with no console errors', async () => {
    const token = (await srv.as('operator')).token;
    await withPage({}, async (page) => {
      await page.goto('/login');
      await login(page, 'operator');
      await page.waitForURL('**/command');
      await page.waitForSelector('main[data-loaded="1"]');
      await page.click('#nav a[href="/grids"]');
      await page.waitForSelector('#grid-table');
      await page.click('#nav a[href="/cases"]');
      await page.waitForSelector('#case-filters button');
      await page.goto('/report');
      await page.waitForSelector('#report-form');
      assert.deepEqual(page.errors, []);
      // The only failed requests allowed are API routes this server does not have yet.
      for (const f of page.failedRequests) {
        const u = new URL(f.url);
        assert.match(u.pathname, /^\/api\/v1\//, `failed request ${f.url}`);
        assert.equal(await hasRoute(srv, u.pathname + u.search, token), false, `${f.url} failed though the route exists`);
      }
    });
  });
});
