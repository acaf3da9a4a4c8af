// SPDX-License-Identifier: Apache-2.0
// Search and filters of the case list (issue 14, item 4) and the response templates 常用语
// (item 6) and exports (item 5): the case number, words of the description and the address, the caller's
// phone found exactly by its keyed hash (never stored in clear), a creation range in CST
// days, each combined with the other filters and within the caller's scope; the
// templates of a kind for a category, most specific first, kept by an admin.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startServer, makeDatabase, gridgovOk, USERS, DATA, PG, ENV, dbContains } from './lib/harness.mjs';

const GRIDS = ['510105002002', '510105003003'];
let srv, op, dept, worker2, admin;
const ids = {};

before(async () => {
  const d = makeDatabase({ users: [...USERS, { name: 'worker2', role: 'grid_worker', scope: GRIDS[1] }] });
  gridgovOk(['import', 'categories', '--db', d.db, path.join(DATA, 'categories.csv')]);
  ENV.GRIDGOV_EXPORT_MAX = '3'; // a small export cap for this server (test clock only)
  srv = await startServer(d);
  delete ENV.GRIDGOV_EXPORT_MAX;
  [op, dept, worker2, admin] = await Promise.all(['operator', 'dept', 'worker2', 'admin'].map((u) => srv.as(u)));
  await srv.setClock('2026-03-09T09:00:00+08:00');
  const report = async (key, body) => {
    const r = await op.post('/api/v1/cases', { channel: 'hotline', grid: GRIDS[0], ...body });
    assert.equal(r.status, 201, r.text);
    ids[key] = r.body.id;
  };
  // day 1 (9 March, CST)
  await report('garbage', { category: 'E0102', description: '小区门口垃圾堆积三天无人清理', address: '草市街12号', caller: '王先生', caller_phone: '138 0013 8000' });
  await report('lamp', { category: 'E0101', description: '路灯不亮', address: '青龙街3号', caller_phone: '13900139000' });
  // day 2, late in the evening CST (15:30 UTC): still 10 March
  await srv.setClock('2026-03-10T23:30:00+08:00');
  await report('again', { category: 'E0102', description: '垃圾又堆积了', address: '草市街12号', caller: '王先生', caller_phone: '13800138000', grid: GRIDS[1] });
  // day 3
  await srv.setClock('2026-03-11T00:30:00+08:00');
  await report('noise', { category: 'E0101', description: '夜间施工噪音', address: '西大街1号' });
});
after(async () => {
  const { code } = await srv.stop();
  assert.equal(code, 0);
});

const list = async (who, q) => {
  const r = await who.get(`/api/v1/cases?${q}`);
  assert.equal(r.status, 200, r.text);
  return r.body.items.map((c) => c.id);
};

describe('case list search', () => {
  test('by case number', async () => {
    assert.deepEqual(await list(op, `number=${ids.lamp}`), [ids.lamp]);
    assert.deepEqual(await list(op, `number=${ids.lamp}&category=E0102`), []);
    const bad = await op.get('/api/v1/cases?number=abc');
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.field, 'number');
  });

  test('by words of the description and of the address', async () => {
    assert.deepEqual(await list(op, `keyword=${encodeURIComponent('垃圾')}`), [ids.again, ids.garbage]);
    assert.deepEqual(await list(op, `keyword=${encodeURIComponent('垃圾')}&grid=${GRIDS[1]}`), [ids.again]);
    assert.deepEqual(await list(op, `address=${encodeURIComponent('草市街')}`), [ids.again, ids.garbage]);
    assert.deepEqual(await list(op, `address=${encodeURIComponent('不存在的路')}`), []);
    const long = await op.get(`/api/v1/cases?keyword=${'x'.repeat(101)}`);
    assert.equal(long.status, 422);
    assert.equal(long.body.error.field, 'keyword');
  });

  test('by the caller\'s phone, exactly, in any spelling; the phone is never stored in clear', async () => {
    assert.deepEqual(await list(op, 'phone=13800138000'), [ids.again, ids.garbage]);
    assert.deepEqual(await list(op, `phone=${encodeURIComponent('138-0013-8000')}`), [ids.again, ids.garbage]);
    assert.deepEqual(await list(op, 'phone=13900139000'), [ids.lamp]);
    assert.deepEqual(await list(op, 'phone=13700137000'), []);
    assert.deepEqual(await list(op, 'phone=13800138000&from=2026-03-10'), [ids.again]);
    if (!PG) assert.equal(dbContains(srv.db, '13800138000'), false, 'no phone in clear in the database');
    const bad = await op.get('/api/v1/cases?phone=abc');
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.field, 'phone');
  });

  test('a department does not search by phone; a worker finds only within its grid', async () => {
    const r = await dept.get('/api/v1/cases?phone=13800138000');
    assert.equal(r.status, 403);
    assert.equal(r.body.error.field, 'phone');
    // worker2's grid holds only the second report of that caller
    assert.deepEqual(await list(worker2, 'phone=13800138000'), [ids.again]);
    assert.deepEqual(await list(worker2, `number=${ids.garbage}`), []);
    assert.deepEqual(await list(worker2, `keyword=${encodeURIComponent('垃圾')}`), [ids.again]);
  });

  test('a creation range is in CST days, the end day included', async () => {
    assert.deepEqual(await list(op, 'from=2026-03-09&to=2026-03-09'), [ids.lamp, ids.garbage]);
    // 23:30 CST on the 10th is 15:30 UTC: the 10th, not the 11th
    assert.deepEqual(await list(op, 'from=2026-03-10&to=2026-03-10'), [ids.again]);
    assert.deepEqual(await list(op, 'from=2026-03-11'), [ids.noise]);
    assert.deepEqual(await list(op, 'to=2026-03-10&category=E0101'), [ids.lamp]);
    assert.deepEqual(await list(op, 'from=2026-03-12'), []);
    const r = await op.get('/api/v1/cases?from=2026-03-10&to=2026-03-09');
    assert.equal(r.status, 422);
    assert.equal(r.body.error.field, 'to');
    const bad = await op.get('/api/v1/cases?from=10.3.2026');
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.field, 'from');
  });

  test('the total counts the filter', async () => {
    const r = await op.get(`/api/v1/cases?keyword=${encodeURIComponent('垃圾')}&per_page=1`);
    assert.equal(r.body.total, 2);
    assert.equal(r.body.items.length, 1);
    assert.equal(r.body.next, ids.again);
  });
});

describe('response templates 常用语', () => {
  test('a kind for a category: the category\'s own first, then the general ones', async () => {
    const r = await op.get('/api/v1/templates?kind=feedback&category=E0102');
    assert.equal(r.status, 200, r.text);
    const items = r.body.items;
    assert.ok(items.length >= 4);
    assert.equal(items[0].category, 'E01');
    assert.ok(items.every((t) => t.kind === 'feedback' && (t.category === '' || 'E0102'.startsWith(t.category))));
    assert.ok(items.slice(1).every((t) => t.category === ''));
    const g = await op.get('/api/v1/templates?kind=feedback&category=G0101');
    assert.ok(g.body.items.some((t) => t.category === 'G01'));
    assert.ok(!g.body.items.some((t) => t.category === 'E01'));
    for (const kind of ['reject', 'reply']) {
      const k = await dept.get(`/api/v1/templates?kind=${kind}&category=E0102`);
      assert.equal(k.status, 200);
      assert.ok(k.body.items.length >= 3, kind);
    }
    const bad = await op.get('/api/v1/templates?kind=joke');
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.field, 'kind');
  });

  test('an admin adds, changes and deletes one; others may not', async () => {
    const body = { kind: 'reply', category: 'E0102', title: '垃圾清运答复', body: '您好，垃圾已清运。', sort: 0 };
    assert.equal((await op.post('/api/v1/templates', body)).status, 403);
    const made = await admin.post('/api/v1/templates', body);
    assert.equal(made.status, 201, made.text);
    const id = made.body.id;
    let r = await op.get('/api/v1/templates?kind=reply&category=E0102');
    assert.equal(r.body.items[0].id, id, 'the most specific first');
    assert.equal((await admin.put(`/api/v1/templates/${id}`, { ...body, body: '已清运完毕。' })).status, 200);
    r = await op.get('/api/v1/templates?kind=reply&category=E0102');
    assert.equal(r.body.items[0].body, '已清运完毕。');
    const badCat = await admin.post('/api/v1/templates', { ...body, category: 'X99' });
    assert.equal(badCat.status, 422);
    assert.equal(badCat.body.error.field, 'category');
    const long = await admin.post('/api/v1/templates', { ...body, title: '长'.repeat(61) });
    assert.equal(long.status, 422);
    assert.equal(long.body.error.field, 'title');
    assert.equal((await admin.del(`/api/v1/templates/${id}`)).status, 200);
    assert.equal((await admin.del(`/api/v1/templates/${id}`)).status, 404);
    r = await op.get('/api/v1/templates?kind=reply&category=E0102');
    assert.ok(!r.body.items.some((t) => t.id === id));
  });
});

describe('exports of the case list', () => {
  let dir;
  before(async () => {
    // the lamp and the garbage go to their departments, so the file names them
    for (const id of [ids.lamp, ids.garbage]) {
      for (const [action, extra] of [['file', {}], ['dispatch', { department: 'CGZF', class: 'general' }]]) {
        const r = await op.post(`/api/v1/cases/${id}/actions`, { action, ...extra });
        assert.equal(r.status, 200, r.text);
      }
    }
    dir = mkdtempSync(path.join(tmpdir(), 'gridgov-export-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const csvRows = (text) => text.replace(/^\uFEFF/, '').trim().split('\r\n').map((l) => l.split(','));

  test('CSV: a UTF-8 BOM, the list\'s filters, names not codes', async () => {
    const r = await srv.request('GET', `/api/v1/cases/export?format=csv&keyword=${encodeURIComponent('垃圾')}`, { token: op.token });
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-type'), /^text\/csv/);
    assert.match(r.headers.get('content-disposition'), /^attachment; filename="cases-\d{8}\.csv"$/);
    // (text() drops a BOM: the bytes as sent)
    const raw = await fetch(`${srv.url}/api/v1/cases/export?format=csv&keyword=${encodeURIComponent('垃圾')}`, { headers: { authorization: `Bearer ${op.token}` } });
    const bytes = Buffer.from(await raw.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a byte order mark');
    const rows = csvRows(r.text);
    assert.deepEqual(rows[0].slice(0, 4), ['案件编号', '上报时间', '类别', '类别编码']);
    assert.deepEqual(rows.slice(1).map((x) => Number(x[0])), [ids.again, ids.garbage], 'the filter, newest first');
    const g = rows.find((x) => Number(x[0]) === ids.garbage);
    const col = (name) => g[rows[0].indexOf(name)];
    assert.equal(col('类别'), '市容环境 › 暴露垃圾');
    assert.equal(col('状态'), '派遣');
    const dept = (await op.get('/api/v1/departments')).body.items.find((d) => d.code === 'CGZF').name;
    assert.equal(col('处置部门'), dept);
    assert.equal(col('渠道'), '12345 热线');
    assert.equal(col('上报人'), '王先生');
    assert.equal(col('上报时间'), '2026-03-09 09:00:00', 'CST');
    assert.ok(!/^\d+$/.test(col('网格')), `the grid by name: ${col('网格')}`);
    // the same filters as the list: a creation day
    const d = await srv.request('GET', '/api/v1/cases/export?format=csv&from=2026-03-11', { token: op.token });
    assert.deepEqual(csvRows(d.text).slice(1).map((x) => Number(x[0])), [ids.noise]);
  });

  test('XLSX through the shared writer, read back', async () => {
    const r = await fetch(`${srv.url}/api/v1/cases/export?format=xlsx&category=E0102`, { headers: { authorization: `Bearer ${op.token}` } });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /spreadsheetml/);
    const file = path.join(dir, 'cases.xlsx');
    writeFileSync(file, Buffer.from(await r.arrayBuffer()));
    const sheet = execFileSync('unzip', ['-p', file, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
    // (constant-memory workbooks keep strings inline, in the sheet)
    const all = sheet;
    assert.match(all, /市容环境 › 暴露垃圾/);
    assert.match(all, /王先生/);
    assert.doesNotMatch(all, /路灯不亮/, 'only the filter\'s cases');
    assert.equal((sheet.match(/<row /g) ?? []).length, 3, 'the header and two cases');
  });

  test('the caller\'s scope and role: a worker\'s grid only, the reporter masked for a department', async () => {
    const w = await srv.request('GET', '/api/v1/cases/export?format=csv', { token: worker2.token });
    assert.equal(w.status, 200, w.text);
    assert.deepEqual(csvRows(w.text).slice(1).map((x) => Number(x[0])), [ids.again]);
    const d = await srv.request('GET', '/api/v1/cases/export?format=csv', { token: dept.token });
    const rows = csvRows(d.text);
    assert.deepEqual(rows.slice(1).map((x) => Number(x[0])).sort(), [ids.garbage, ids.lamp].sort(), 'its own cases only');
    assert.equal(rows.find((x) => Number(x[0]) === ids.garbage)[rows[0].indexOf('上报人')], '王**');
    assert.equal((await srv.request('GET', '/api/v1/cases/export?format=csv&phone=13800138000', { token: dept.token })).status, 403);
  });

  test('a bad format, a bad filter, and more rows than the cap are refused with the count', async () => {
    const f = await op.get('/api/v1/cases/export?format=pdf');
    assert.equal(f.status, 422);
    assert.equal(f.body.error.field, 'format');
    assert.equal((await op.get('/api/v1/cases/export')).body.error.field, 'format');
    const s = await op.get('/api/v1/cases/export?format=csv&state=lost');
    assert.equal(s.body.error.field, 'state', 'the list\'s own parser');
    // this server's cap is 3 (GRIDGOV_EXPORT_MAX on the test clock); 4 cases match
    const big = await op.get('/api/v1/cases/export?format=xlsx');
    assert.equal(big.status, 422, big.text);
    assert.equal(big.body.error.field, 'filters');
    assert.equal(big.body.error.count, 4);
    assert.equal(big.body.error.max, 3);
    assert.match(big.body.error.message, /4 cases match; an export holds at most 3/);
  });
});

describe('12345 callers', () => {
  test('a 12345 order\'s caller is found by phone too', async () => {
    const r = await op.post('/api/v1/intake/hotline', { order_no: 'GD20260311000001', received_at: '2026-03-11T00:40:00+08:00',
      caller_name: '孙女士', caller_phone: '+86 135-0013-5000', content: '楼道堆物', address: '草市街1号', category_hint: 'E0102' });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(await list(op, `phone=${encodeURIComponent('+8613500135000')}`), [r.body.case_id]);
    assert.deepEqual(await list(op, 'phone=13500135000'), [], 'exactly: the number as given');
    if (!PG) assert.equal(dbContains(srv.db, '13500135000'), false, 'no phone in clear in the database');
  });
});
