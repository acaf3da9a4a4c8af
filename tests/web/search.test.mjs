// SPDX-License-Identifier: Apache-2.0
// The case list's search, exports, print view and response templates (issue 14, items
// 4, 5, 6), each as the role that uses it: the operator searches by number, keyword,
// phone, address, a grid picked by name, a category from the shared picker and CST
// dates, and the URL keeps the filter (reload, back and forward restore it); columns
// sort; the operator exports the filter to Excel and CSV; the department fills its
// feedback from a template; the operator prints a case as its 派遣单 (A4, read back from
// a PDF). Screenshots at 1920, 1366 and 360 px in tests/web/artifacts/search-*.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setup, newPage, shot, login, ARTIFACTS } from './lib/browser.mjs';
import { act } from './lib/desk.mjs';
import { tinyJpeg } from '../api/lib/images.mjs';
import { pointsIn } from '../api/lib/harness.mjs';

const AREA = '510105002002';
const WIDTHS = [[1920, 1080], [1366, 800], [360, 740]];
let srv, browser, u, p;
const made = {};

before(async () => {
  ({ srv, browser } = await setup());
  u = { worker: await srv.as('worker'), operator: await srv.as('operator'), dept: await srv.as('dept') };
  p = (await pointsIn(u.operator, AREA))[0];
  const report = async (key, body) => {
    const r = await u.operator.post('/api/v1/cases', { channel: 'hotline', lon: p.lon, lat: p.lat, ...body });
    assert.equal(r.status, 201, r.text);
    made[key] = r.body;
  };
  await report('a', { category: 'E0101', description: '检索测试：楼顶违建彩钢棚', address: '检索路 1 号', caller: '赵先生', caller_phone: '13612345678' });
  await report('b', { category: 'E0101', description: '检索测试：围墙私搭', address: '检索路 2 号', caller: '钱女士', caller_phone: '13687654321' });
  await report('c', { category: 'E0102', description: '检索测试：垃圾堆放', address: '检索路 3 号', caller: '赵先生', caller_phone: '136 1234 5678' });
});
after(async () => {
  await browser?.close();
  if (srv) assert.equal((await srv.stop()).code, 0);
});

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

async function shots(page, name, ready) {
  for (const [width, height] of WIDTHS) {
    await page.setViewportSize({ width, height });
    if (ready) await ready();
    await page.mouse.move(0, 0);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${name} fits ${width} px`);
    await shot(page, `search-${name}-${width}`);
  }
  await page.setViewportSize({ width: 1366, height: 800 });
}

const rowIds = (page) => page.$$eval('#case-table tbody tr', (trs) => trs.map((tr) => Number(tr.dataset.id)));
const cstDay = (iso) => new Date(new Date(iso).getTime() + 8 * 3600e3).toISOString().slice(0, 10);

test('the operator searches: words, phone, a grid and a category by name, dates; the URL keeps it', async () => {
  await asUser('operator', {}, async (page) => {
    await page.goto('/cases');
    await page.waitForSelector('#case-filters #f-grid-0');
    // the grid by name, street › community › grid (never a code typed in)
    await page.selectOption('#f-grid-0', p.grid.slice(0, 9));
    await page.waitForSelector('#f-grid-1');
    await page.selectOption('#f-grid-1', p.grid.slice(0, 12));
    await page.waitForSelector('#f-grid-2');
    await page.selectOption('#f-grid-2', p.grid.slice(0, 15));
    assert.ok(!/^\d+$/.test(await page.$eval('#f-grid-2', (s) => s.selectedOptions[0].textContent)), 'grids by name');
    await page.fill('#f-keyword', '检索测试');
    await page.click('#f-apply');
    await page.waitForURL(/keyword=/);
    await page.waitForSelector('#case-table');
    assert.deepEqual(await rowIds(page), [made.c.id, made.b.id, made.a.id]);
    const url1 = page.url();
    assert.match(url1, new RegExp(`grid=${p.grid.slice(0, 15)}`));

    // the category from the shared picker, and the caller's phone in another spelling
    await page.click('#f-category-summary');
    await page.fill('#f-category-search', 'sdlj');
    await page.click('#f-category-list .cat-item[data-code="E0101"]');
    assert.match(await page.textContent('#f-category-summary'), /私搭乱建/);
    await page.fill('#f-phone', '136-1234-5678');
    await page.click('#f-apply');
    await page.waitForURL(/phone=/);
    await page.waitForFunction(() => document.querySelectorAll('#case-table tbody tr').length === 1);
    assert.deepEqual(await rowIds(page), [made.a.id]);
    assert.match(page.url(), /category=E0101/);
    await shots(page, 'list', () => page.waitForSelector('#case-table'));

    // reload: the same filter, shown in the form and applied
    await page.reload();
    await page.waitForSelector('#case-table');
    assert.deepEqual(await rowIds(page), [made.a.id]);
    assert.equal(await page.inputValue('#f-phone'), '136-1234-5678');
    assert.equal(await page.inputValue('#f-keyword'), '检索测试');
    assert.equal(await page.inputValue('#f-grid-2'), p.grid.slice(0, 15));
    assert.match(await page.textContent('#f-category-summary'), /私搭乱建/);
    // back: the filter before; forward: this one again
    await page.goBack();
    await page.waitForFunction(() => document.querySelectorAll('#case-table tbody tr').length === 3);
    assert.equal(page.url(), url1);
    assert.equal(await page.inputValue('#f-phone'), '');
    await page.goForward();
    await page.waitForFunction(() => document.querySelectorAll('#case-table tbody tr').length === 1);
    assert.equal(await page.inputValue('#f-phone'), '136-1234-5678');

    // the case number alone; an address; a day range in CST
    await page.goto(`/cases?number=${made.b.id}`);
    await page.waitForSelector('#case-table');
    assert.deepEqual(await rowIds(page), [made.b.id]);
    assert.equal(await page.inputValue('#f-number'), String(made.b.id));
    await page.goto(`/cases?address=${encodeURIComponent('检索路 3')}`);
    await page.waitForSelector('#case-table');
    assert.deepEqual(await rowIds(page), [made.c.id]);
    const day = cstDay(made.a.created_at);
    await page.goto('/cases?keyword=' + encodeURIComponent('检索测试'));
    await page.waitForSelector('#case-table');
    await page.fill('#f-from', day);
    await page.fill('#f-to', day);
    await page.click('#f-apply');
    await page.waitForURL(/from=/);
    await page.waitForSelector('#case-table');
    assert.equal((await rowIds(page)).length, 3, 'reported today (CST)');
    const next = new Date(new Date(day).getTime() + 86400e3).toISOString().slice(0, 10);
    await page.goto(`/cases?keyword=${encodeURIComponent('检索测试')}&from=${next}`);
    await page.waitForSelector('main .state, #case-table');
    assert.equal(await page.$('#case-table'), null, 'nothing reported tomorrow');
  });
});

test('columns sort, and the sort is kept in the URL', async () => {
  await asUser('operator', {}, async (page) => {
    await page.goto('/cases?keyword=' + encodeURIComponent('检索测试'));
    await page.waitForSelector('#case-table');
    await page.click('#case-table th[data-sort="id"] button');
    await page.waitForURL(/sort=id/);
    await page.waitForSelector('#case-table th[data-sort="id"][aria-sort="ascending"]');
    assert.deepEqual(await rowIds(page), [made.a.id, made.b.id, made.c.id]);
    await page.click('#case-table th[data-sort="id"] button');
    await page.waitForURL(/sort=-id/);
    await page.waitForSelector('#case-table th[data-sort="id"][aria-sort="descending"]');
    assert.deepEqual(await rowIds(page), [made.c.id, made.b.id, made.a.id]);
    await page.click('#case-table th[data-sort="category"] button');
    await page.waitForURL(/sort=category/);
    await page.waitForSelector('#case-table th[data-sort="category"][aria-sort="ascending"]');
    const cats = await page.$$eval('#case-table tbody td[data-category]', (tds) => tds.map((td) => td.dataset.category));
    assert.deepEqual(cats, [...cats].sort());
    await page.reload();
    await page.waitForSelector('#case-table th[data-sort="category"][aria-sort="ascending"]');
  });
});

test('the operator exports the filter to Excel and CSV', async () => {
  await asUser('operator', {}, async (page) => {
    await page.goto('/cases?keyword=' + encodeURIComponent('检索测试') + '&category=E0101');
    await page.waitForSelector('#case-table');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    assert.match(csv.suggestedFilename(), /^cases-\d{8}\.csv$/);
    const file = path.join(ARTIFACTS, 'search-export.csv');
    await csv.saveAs(file);
    const bytes = readFileSync(file);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a UTF-8 BOM');
    const lines = bytes.toString('utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    assert.equal(lines.length, 3, 'the header and the two cases of the filter');
    assert.match(lines[1], /私搭乱建/);
    await page.waitForFunction(() => /已导出/.test(document.querySelector('#export-msg')?.textContent ?? ''));
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('#export-xlsx')]);
    assert.match(xlsx.suggestedFilename(), /^cases-\d{8}\.xlsx$/);
    const x = path.join(ARTIFACTS, 'search-export.xlsx');
    await xlsx.saveAs(x);
    const sheet = execFileSync('unzip', ['-p', x, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
    assert.match(sheet, /赵先生/);
    assert.match(sheet, /钱女士/);
    assert.equal((sheet.match(/<row /g) ?? []).length, 3);
  });
});

test('the department fills its feedback from a template 常用语 of the category', async () => {
  const id = made.a.id;
  await u.operator.post(`/api/v1/cases/${id}/actions`, { action: 'file' });
  await u.operator.post(`/api/v1/cases/${id}/actions`, { action: 'dispatch', department: 'CGZF', class: 'general' });
  await u.dept.post(`/api/v1/cases/${id}/actions`, { action: 'accept' });
  const templates = (await u.dept.get('/api/v1/templates?kind=feedback&category=E0101')).body.items;
  await asUser('dept', {}, async (page) => {
    await page.goto(`/cases/${id}`);
    await act(page, 'handle', '处置反馈', async (f) => {
      await page.waitForSelector('#a-handle-template[data-ready="1"]');
      const options = await page.$$eval('#a-handle-template option[data-id]', (os) => os.map((o) => o.textContent));
      assert.deepEqual(options, templates.map((t) => t.title));
      await page.selectOption('#a-handle-template', { label: templates[0].title });
      assert.equal(await page.inputValue(`${f} textarea[name=note]`), templates[0].body);
      await page.fill(`${f} textarea[name=note]`, templates[0].body + '（已回访）');
      await shots(page, 'template', () => page.waitForSelector('#a-handle-template'));
    });
  });
  const c = (await u.operator.get(`/api/v1/cases/${id}`)).body;
  assert.equal(c.timeline.at(-1).note, templates[0].body + '（已回访）');
});

test('the operator rejects with a rejection template', async () => {
  const r = await u.worker.post('/api/v1/cases', { category: 'E0101', channel: 'worker', description: '重复的上报', lon: p.lon, lat: p.lat });
  await asUser('operator', {}, async (page) => {
    await page.goto(`/cases/${r.body.id}`);
    await act(page, 'reject', '不予立案', async (f) => {
      await page.waitForSelector('#a-reject-template[data-ready="1"]');
      await page.selectOption('#a-reject-template', { label: '重复上报' });
      assert.match(await page.inputValue(`${f} textarea[name=note]`), /重复/);
    });
  });
});

test('a case printed as its 派遣单: A4, the case, the trail and the photos', async () => {
  // a case with a photo, dispatched
  const up = new FormData();
  up.append('photo', new Blob([tinyJpeg(31)], { type: 'image/jpeg' }), 'p.jpg');
  const media = await srv.request('POST', '/api/v1/media', { body: up, token: u.operator.token });
  const r = await u.operator.post('/api/v1/cases', { category: 'E0101', channel: 'hotline', description: '打印测试：违建', lon: p.lon, lat: p.lat, photos: [media.body.items[0].sha256] });
  const id = r.body.id;
  await u.operator.post(`/api/v1/cases/${id}/actions`, { action: 'file', note: '立案' });
  await u.operator.post(`/api/v1/cases/${id}/actions`, { action: 'dispatch', department: 'CGZF', class: 'general' });
  await asUser('operator', {}, async (page) => {
    await page.goto(`/cases/${id}`);
    await page.waitForSelector('#case-state');
    await page.click('#case-print');
    await page.waitForURL(`**/cases/${id}/print`);
    await page.waitForSelector('#print-sheet[data-ready="1"]');
    assert.equal(await page.$('.topbar'), null, 'no top bar on paper');
    assert.equal(await page.textContent('#print-sheet h1'), '网格化服务管理 案件派遣单（案卷）');
    assert.deepEqual(await page.$$eval('#print-sheet h2', (hs) => hs.map((x) => x.textContent)), ['案件信息', '处置经过', '现场照片', '签字']);
    assert.equal(await page.textContent('#print-id'), String(id));
    assert.match(await page.textContent('#print-category'), /私搭乱建/);
    assert.doesNotMatch(await page.textContent('#print-department'), /^CGZF$/, 'the department by name');
    assert.deepEqual(await page.$$eval('#print-trail tbody tr', (trs) => trs.map((tr) => tr.dataset.action)), ['create', 'file', 'dispatch']);
    assert.ok(await page.$eval('.print-photo', (i) => i.naturalWidth > 0), 'the photo loaded');
    await shots(page, 'print', () => page.waitForSelector('#print-sheet[data-ready="1"]'));
    // as printed: the tools are hidden, the sheet is A4
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.$eval('.print-tools', (b) => getComputedStyle(b).display), 'none');
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    const file = path.join(ARTIFACTS, 'search-print.pdf');
    writeFileSync(file, pdf);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    const [, w, hgt] = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info);
    assert.ok(Math.abs(Number(w) - 595.3) < 2 && Math.abs(Number(hgt) - 841.9) < 2, `A4: ${w} x ${hgt}`);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    for (const heading of ['案件派遣单', '案件信息', '处置经过', '现场照片', '签字']) assert.match(text, new RegExp(heading), heading);
    assert.match(text, /打印测试：违建/);
    await page.emulateMedia({ media: 'screen' });
  });
});
