// SPDX-License-Identifier: Apache-2.0
// The web console in a real browser against the real server: login and each role's
// landing screen, wrong password, language switch, grid browser, command center, citizen
// page, logout and 401, and no console errors. Screenshots in tests/web/artifacts/.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { setup, newPage, shot, login } from './lib/browser.mjs';
import { tinyJpeg } from '../api/lib/images.mjs';
import { pointsIn } from '../api/lib/harness.mjs';

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
    assert.deepEqual(labels, ['今日上报', '在办案件', '超期案件', '按期结案率 · 近 30 天', '满意率 · 近 30 天']);
    assert.match(await page.textContent('.who'), /operator（指挥中心坐席）/);
    assert.ok(await page.evaluate(() => sessionStorage.getItem('gridgov.token')), 'token kept in sessionStorage');
    assert.deepEqual(await page.$$eval('#nav a', (els) => els.map((e) => e.getAttribute('href'))), ['/command', '/wall', '/queue', '/entry', '/cases', '/grids']);
    // The map draws the district's grids from /api/v1/grids.geojson.
    assert.equal(await page.$('#cc-map > .state'), null);
    assert.ok(await page.$('#cc-map canvas'));
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
      leader: ['/command', ['/command', '/wall', '/queue', '/cases', '/grids', '/rankings']],
      street: ['/queue', ['/queue', '/cases', '/grids']],
      community: ['/queue', ['/queue', '/cases', '/grids']],
      worker: ['/worker', ['/worker']],
      dept: ['/queue', ['/queue', '/tasks']],
      admin: ['/grids', ['/grids', '/screens', '/admin']],
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
    await page.waitForURL('**/queue');
    assert.equal(await page.textContent('main h1'), 'My work queue');
    await page.click('#nav a[href="/cases"]');
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
    // Department and place names are data, not interface text: leave those filters out.
    const text = await page.evaluate(() => {
      for (const id of ['#f-department', '#f-grid']) document.querySelector(id)?.remove();
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
    await page.waitForURL('**/queue');
    await page.goto('/grids?code=510105');
    await page.waitForSelector('#grid-table');
    assert.deepEqual(await page.$$eval('#grid-table tbody tr', (r) => r.map((e) => e.dataset.code)), ['510105002']);
  }));
});

describe('case desk', () => {
  test('filters go into the address and survive a reload; reset clears them', () => withPage({}, async (page) => {
    await login(page, 'community');
    await page.waitForURL('**/queue');
    await page.goto('/cases');
    await page.waitForSelector('#case-filters button[type=submit]');
    assert.deepEqual(await page.$$eval('#f-state option', (o) => o.map((e) => e.textContent)),
      ['全部', '上报', '立案', '不予立案', '派遣', '签收', '处置反馈', '核查', '结案', '评价', '挂账']);
    await page.selectOption('#f-state', 'dispatched');
    await page.selectOption('#f-light', 'red');
    // the grid is picked by name (search.test.mjs covers the picker itself)
    await page.waitForSelector('#f-grid-0 option:nth-child(2)', { state: 'attached' });
    const g = await page.$eval('#f-grid-0', (s) => s.options[1].value);
    await page.selectOption('#f-grid-0', g);
    await page.click('#case-filters button[type=submit]');
    await page.waitForURL((u) => u.pathname === '/cases' && u.searchParams.get('state') === 'dispatched'
      && u.searchParams.get('light') === 'red' && u.searchParams.get('grid') === g);
    await page.reload();
    await page.waitForSelector('#case-filters button[type=submit]');
    assert.equal(await page.inputValue('#f-state'), 'dispatched');
    assert.equal(await page.inputValue('#f-light'), 'red');
    await page.waitForSelector('#f-grid-0');
    assert.equal(await page.inputValue('#f-grid-0'), g);
    await page.click('#f-reset');
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
  test('needs no login, asks for a description, submits with a photo, finds the report by its code and rates the result', () => withPage({ viewport: { width: 390, height: 844 }, geolocation: { longitude: 103.98, latitude: 30.68 } }, async (page) => {
    await page.goto('/report');
    assert.equal(await page.textContent('main h1'), '随手拍');
    assert.deepEqual(await page.$$eval('#nav a', (els) => els.map((e) => e.getAttribute('href'))), ['/report', '/login']);
    assert.equal(await page.textContent('#r-photo-count'), '未选择照片');
    await page.setInputFiles('#r-photo', { name: 'a.png', mimeType: 'image/png', buffer: Buffer.from('89504e470d0a1a0a', 'hex') });
    assert.equal(await page.textContent('#r-photo-count'), '已选择 1 张照片');
    await page.setInputFiles('#r-photo', []);
    assert.equal(await page.textContent('#r-photo-count'), '未选择照片');
    await page.setInputFiles('#r-photo', { name: 'well.jpg', mimeType: 'image/jpeg', buffer: tinyJpeg(21) });
    await page.click('#r-submit');
    assert.equal(await page.textContent('#r-msg'), '请填写问题描述');
    await page.fill('#r-desc', '草市街口井盖缺失');
    await page.click('#r-locate');
    await page.waitForFunction(() => /经度/.test(document.querySelector('#r-where')?.textContent ?? ''));
    assert.equal(await page.textContent('#r-where'), '经度 103.980000，纬度 30.680000');
    await page.click('#r-submit');
    await page.waitForSelector('#r-code');
    const code = await page.textContent('#r-code');
    assert.match(code, /^[A-Za-z0-9]{10}$/);
    await page.click('#lookup-form button');
    await page.waitForSelector('#r-lookup-result .timeline');
    assert.match(await page.textContent('#r-lookup-result'), /上报/);
    await shot(page, 'citizen-report-phone');

    // The center works the case through; the citizen comes back with the code and rates it.
    const op = await srv.as('operator');
    const dept = await srv.as('dept');
    // (the public answer carries no case number; the desk finds the citizen's case)
    const mine = (await op.get('/api/v1/cases?channel=citizen')).body.items.filter((x) => x.description === '草市街口井盖缺失');
    assert.equal(mine.length, 1);
    const id = mine[0].id;
    const c = (await op.get(`/api/v1/cases/${id}`)).body;
    assert.equal(c.photos.length, 1, 'the photo came with the report');
    for (const [who, action, extra] of [[op, 'file'], [op, 'dispatch', { department: 'CGZF' }], [dept, 'accept'],
      [dept, 'handle', { note: '井盖已补齐' }], [op, 'verify'], [op, 'close']]) {
      const r = await who.post(`/api/v1/cases/${id}/actions`, { action, ...extra });
      assert.equal(r.status, 200, `${action}: ${r.text}`);
    }
    await page.goto(`/report?code=${code}`);
    await page.waitForSelector('#r-lookup-result .timeline');
    assert.match(await page.textContent('#r-lookup-result'), /结案/);
    await page.click('#r-lookup-result button:has-text("满意")');
    await page.waitForSelector('#r-lookup-result .notice.ok');
    assert.equal((await op.get(`/api/v1/cases/${id}`)).body.rating, 'satisfied');
    assert.deepEqual(page.errors, []);
  }));
});

describe('command center with cases', () => {
  // Today is a day of China Standard Time: at 01:30 CST the UTC date is still yesterday,
  // so a console that asked for a UTC date would show 0 here. The browser runs in UTC, as
  // an outside machine may, to show that only the server's zone counts.
  test('at 01:30 CST the KPI tiles, heat map, trend and rankings follow today\'s cases; a grid drills down to its profile', () => withPage({ timezoneId: 'UTC' }, async (page) => {
    const now = (await srv.request('GET', '/api/v1/time')).body;
    assert.equal(now.time_zone, 'Asia/Shanghai');
    assert.equal(now.utc_offset, 8 * 3600);
    // the next CST day at 01:30 (the clock only moves forward)
    const [y, m, d] = now.today.split('-').map(Number);
    const next = new Date(Date.UTC(y, m - 1, d + 1));
    const day = `${next.getUTCFullYear()}-${String(next.getUTCMonth() + 1).padStart(2, '0')}-${String(next.getUTCDate()).padStart(2, '0')}`;
    await srv.setClock(`${day}T01:30:00+08:00`);
    const then = (await srv.request('GET', '/api/v1/time')).body;
    assert.equal(then.today, day, 'the server counts 01:30 CST as that CST day');
    assert.match(then.local, new RegExp(`^${day}T01:3\\d:\\d\\d\\+08:00$`));
    assert.notEqual(then.now.slice(0, 10), day, 'while the UTC date is the day before');

    const worker = await srv.as('worker');
    const op = await srv.as('operator');
    const [{ lon, lat, grid }] = await pointsIn(op, '510105002002');
    for (let i = 0; i < 3; i++) {
      const r = await worker.post('/api/v1/cases', { category: 'C0121', channel: 'worker', description: `报刊亭破损 ${i}`, lon, lat });
      assert.equal(r.status, 201, r.text);
    }
    const today = (await op.get(`/api/v1/stats/indicators?under=510105&from=${day}&to=${day}`)).body.all;
    assert.equal(today.reported, 3, 'the three cases of 01:30 are today\'s, and only they');
    await login(page, 'operator');
    await page.waitForURL('**/command');
    await page.waitForSelector('main[data-loaded="1"]');
    const kpi = async (k) => page.textContent(`.kpi[data-kpi="${k}"] .kpi-value`);
    assert.equal(await kpi('kpi.today'), '3');
    assert.equal(await kpi('kpi.open'), String(today.open));
    assert.match(await page.textContent('#cc-updated'), new RegExp(`${day} 01:3\\d`), 'times are shown on the CST clock');
    for (const box of ['#cc-map', '#cc-heat', '#cc-trend']) {
      assert.equal(await page.$(`${box} > .state`), null, `${box} has data`);
      assert.ok(await page.$(`${box} canvas`), `${box} is drawn`);
    }
    await shot(page, 'command-center-cases');
    // Drill down: a click on a grid of the map opens its profile (its open cases: issue 14, item 9).
    const box = await page.locator('#cc-map canvas').first().boundingBox();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForURL(/\/grid\/510105\d{9}$/);
    await page.waitForSelector('main[data-loaded="1"] #profile-facts');
    // and the grid with the cases lists them
    await page.goto('/cases?grid=' + grid);
    await page.waitForSelector('#case-table');
    assert.ok((await page.$$('#case-table tbody tr')).length >= 3);
  }));
});

describe('phone layout', () => {
  test('no screen is wider than a phone: nothing scrolls sideways at 360 px', async () => {
    const op = await srv.as('operator');
    const id = (await op.get('/api/v1/cases?per_page=1')).body.items[0]?.id;
    assert.ok(id, 'an earlier test left a case to show');
    const screens = {
      operator: ['/command', '/cases', `/cases/${id}`, '/grids?code=510105'],
      dept: ['/tasks'],
      worker: ['/worker'],
    };
    for (const [name, paths] of Object.entries(screens)) {
      await withPage({ viewport: { width: 360, height: 740 } }, async (page) => {
        await login(page, name);
        await page.waitForURL((url) => url.pathname !== '/login');
        for (const p of paths) {
          await page.goto(p);
          await page.waitForFunction(() => document.querySelector('main h1') && !document.querySelector('main .state-loading'));
          await page.waitForTimeout(300); // charts lay themselves out after the data comes
          const [sw, iw] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
          assert.ok(sw <= iw, `${name} ${p}: page is ${sw} px wide on a ${iw} px screen`);
          await shot(page, `phone-${name}${p.replace(/[/?=]+/g, '-')}`);
        }
        assert.deepEqual(page.errors, []);
      });
    }
    await withPage({ viewport: { width: 360, height: 740 } }, async (page) => {
      await page.goto('/report');
      await page.waitForSelector('#report-form');
      const [sw, iw] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      assert.ok(sw <= iw, `/report: page is ${sw} px wide on a ${iw} px screen`);
    });
  });
});

describe('the built UI', () => {
  test('loads with no console errors', async () => {
    await withPage({}, async (page) => {
      await page.goto('/login');
      await login(page, 'operator');
      await page.waitForURL('**/command');
      await page.waitForSelector('main[data-loaded="1"]');
      await page.click('#nav a[href="/grids"]');
      await page.waitForSelector('#grid-table');
      await page.click('#nav a[href="/cases"]');
      await page.waitForSelector('#case-filters button[type=submit]');
      await page.goto('/report');
      await page.waitForSelector('#report-form');
      assert.deepEqual(page.errors, []);
      assert.deepEqual(page.failedRequests, [], 'every request the screens make succeeds');
    });
  });
});
