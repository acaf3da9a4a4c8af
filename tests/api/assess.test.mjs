// SPDX-License-Identifier: Apache-2.0
// Assessment 考核 (issue 16): rankings of departments, regions, workers and operators for a
// month in China time, worked out by hand on a small scenario; scope; scheme versions
// (weights must add up to 100 %, a new version never changes a past period); closing a
// period (frozen against later corrections) and appeals 申诉 decided by a leader; and
// `gridgov assess --json` answering what the API answers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { startServer, makeDatabase, gridgovOk, tempDir, USERS, DATA } from './lib/harness.mjs';

const GRID = '510105002002';
let srv, u, db;
const ids = {};

before(async () => {
  const d = makeDatabase({ users: [...USERS,
    { name: 'hw', role: 'department', dept: 'HW', scope: '510105' },
    { name: 'sz', role: 'department', dept: 'SZ', scope: '510105' },
    { name: 'street3', role: 'street', scope: '510105003' }] });
  db = d.db;
  gridgovOk(['import', 'categories', '--db', d.db, path.join(DATA, 'categories.csv')]);
  srv = await startServer(d);
  u = {};
  for (const n of ['admin', 'operator', 'leader', 'worker', 'hw', 'sz', 'street', 'street3', 'community']) u[n] = await srv.as(n);
  await srv.setClock('2026-03-09T09:00:00+08:00'); // a Monday
});
after(async () => {
  const { code } = await srv.stop();
  assert.equal(code, 0);
});

async function report(who, channel, grid = GRID) {
  const r = await who.post('/api/v1/cases', { category: 'E0102', description: '暴露垃圾', channel, grid });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}
async function run(id, steps) {
  for (const [who, action, extra] of steps) {
    const r = await u[who].post(`/api/v1/cases/${id}/actions`, { action, ...extra });
    assert.equal(r.status, 200, `${action}: ${r.text}`);
  }
}
const rank = (q) => u.leader.get(`/api/v1/rankings?${q}`);

test('a month of rankings equals the hand count', async () => {
  // A: the worker's report, HW on time, satisfied.
  const a = await report(u.worker, 'worker');
  await run(a, [['operator', 'file'], ['operator', 'dispatch', { department: 'HW' }], ['hw', 'accept'],
    ['hw', 'handle'], ['worker', 'verify'], ['operator', 'close'], ['operator', 'evaluate', { rating: 'satisfied' }]]);
  // B: a hotline call in the worker's community (漏报), HW returns it, SZ handles, reworked once.
  const b = await report(u.operator, 'hotline');
  await run(b, [['operator', 'file'], ['operator', 'dispatch', { department: 'HW' }], ['hw', 'return', { note: '非本部门' }],
    ['operator', 'dispatch', { department: 'SZ' }], ['sz', 'accept'], ['sz', 'handle'], ['worker', 'rework', { note: '未清理' }],
    ['sz', 'accept'], ['sz', 'handle'], ['worker', 'verify'], ['operator', 'close']]);
  // C: the worker's report, rejected. D: another street, filed only.
  const c = await report(u.worker, 'worker');
  await run(c, [['operator', 'reject', { note: '不属于受理范围' }]]);
  const d = await report(u.operator, 'hotline', '510105003003');
  await run(d, [['operator', 'file']]);
  ids.a = a;

  let r = await rank('kind=department&period=month&at=2026-03-09');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.period, { kind: 'month', from: '2026-03-01', to: '2026-03-31',
    previous_from: '2026-02-01', previous_to: '2026-02-28' });
  assert.deepEqual(r.body.scheme, { id: 'department', version: 0, valid_from: '1970-01-01' });
  assert.equal(r.body.frozen, null);
  const by = Object.fromEntries(r.body.items.map((i) => [i.subject, i]));
  // HW: A only (B went back to the desk before SZ took it): 按期处置 1/1, 返工 0/1, 延期 0/1,
  // 满意 1/1 → 100; 1 dispatched < 10: scored, not ranked.
  assert.equal(by.HW.score, 100);
  assert.equal(by.HW.grade, 'A');
  assert.equal(by.HW.rank, null);
  assert.equal(by.HW.small, true);
  assert.deepEqual(by.HW.indicators.handled_on_time_rate, { name: '按期处置率', value: 1, num: 1, weight: 40, den: 1 });
  // SZ: B: handled on time 1/1, reworked 1/1 → 0, 延期 0/1 → 1, no rating:
  // (40×1 + 20×0 + 15×1) / 75 = 73.33 → C
  assert.equal(by.SZ.score, 73.33);
  assert.equal(by.SZ.grade, 'C');
  assert.deepEqual(by.SZ.indicators.rework_rate, { name: '返工率', value: 0, num: 1, weight: 20, den: 1 });
  assert.equal(by.CGZF.score, null); // nothing to score

  // regions: the communities of street 510105002; 510105002002 holds A, B, C
  r = await rank('kind=region&period=month&at=2026-03-09&under=510105002');
  assert.equal(r.status, 200, r.text);
  const reg = r.body.items.find((i) => i.subject === GRID);
  assert.equal(reg.counts.reported, 3);
  assert.equal(reg.counts.filed, 2);
  assert.equal(reg.counts.closed, 2);
  assert.equal(reg.counts.worker_reported, 2);
  assert.deepEqual(reg.indicators.reporting_rate, { name: '上报率', value: 0.6667, num: 2, weight: 20, den: 3 });
  assert.ok(r.body.items.every((i) => i.subject.startsWith('510105002')));

  // the grid worker: 2 reports, 1 filed; 2 核查; of the 3 cases of their community 1 came
  // from the hotline (漏报 1/3)
  r = await rank('kind=worker&period=month&at=2026-03-09');
  assert.equal(r.status, 200, r.text);
  const w = r.body.items.find((i) => i.name === 'worker');
  assert.equal(w.counts.own_reported, 2);
  assert.equal(w.counts.own_effective, 1);
  assert.equal(w.counts.verified, 2);
  assert.equal(w.counts.grid_reported, 3);
  assert.equal(w.counts.grid_missed, 1);
  assert.equal(w.indicators.effective_report_rate.value, 0.5);
  assert.equal(w.indicators.missed_rate.value, 0.6667);
  assert.equal(w.small, true); // 2 reports < 5

  // the operator: 立案 3 (A, B, D; C was rejected), all on time; 派遣 3, of cases A and B
  // (B returned once): accurate 2 of 3 dispatch entries
  r = await rank('kind=operator&period=month&at=2026-03-09');
  const o = r.body.items.find((i) => i.name === 'operator');
  assert.equal(o.counts.filed_by, 3);
  assert.equal(o.counts.filed_by_on_time, 3);
  assert.equal(o.counts.dispatched_by, 3);
  assert.equal(o.counts.dispatched_by_accurate, 1);
});

test('bad queries and scope', async () => {
  assert.equal((await rank('kind=mayor&period=month')).status, 422);
  assert.equal((await rank('kind=region&period=decade')).status, 422);
  assert.equal((await rank('kind=region&period=month&at=March')).status, 422);
  assert.equal((await rank('kind=region&period=month&order=up')).status, 422);
  // a street sees its own street, not another's
  assert.equal((await u.street.get('/api/v1/rankings?kind=region&period=month&under=510105003')).status, 403);
  let r = await u.street.get('/api/v1/rankings?kind=region&period=month&at=2026-03-09');
  assert.equal(r.status, 200, r.text);
  assert.ok(r.body.items.length > 0 && r.body.items.every((i) => i.subject.startsWith('510105002')));
  // street 510105003 sees only D's community: none of A, B, C counts there
  r = await u.street3.get('/api/v1/rankings?kind=department&period=month&at=2026-03-09');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.items.find((i) => i.subject === 'HW').counts.handled, undefined);
  assert.equal((await u.street3.get('/api/v1/rankings?kind=worker&period=month&at=2026-03-09')).body.items.length, 0);
  // grid workers and department staff read no rankings
  assert.equal((await u.worker.get('/api/v1/rankings?kind=worker&period=month')).status, 403);
  assert.equal((await u.hw.get('/api/v1/rankings?kind=department&period=month')).status, 403);
  // worst first: ranked subjects from the bottom
  r = await rank('kind=region&period=month&at=2026-03-09&under=510105&order=worst');
  assert.equal(r.status, 200);
  const ranks = r.body.items.filter((i) => i.rank !== null).map((i) => i.rank);
  assert.deepEqual(ranks, [...ranks].sort((x, y) => y - x));
});

test('schemes: weights add up to 100 %, versions start from a day on', async () => {
  const scheme = (w0, validFrom) => ({ kind: 'department', valid_from: validFrom, indicators: [
    { key: 'handled_on_time_rate', name: '按期处置率', num: 'handled_on_time', den: 'handled', weight: w0 },
    { key: 'satisfaction_rate', name: '满意率', num: 'satisfied', den: 'rated', weight: 50 }],
    min_volume: { count: 'dispatched', min: 1 } });
  let r = await u.admin.post('/api/v1/assess/schemes', scheme(49, '2026-04-01'));
  assert.equal(r.status, 422, r.text);
  assert.equal(r.body.error.field, 'indicators');
  assert.match(r.body.error.message, /99/);
  assert.equal((await u.leader.post('/api/v1/assess/schemes', scheme(50, '2026-04-01'))).status, 403);
  assert.equal((await u.admin.post('/api/v1/assess/schemes', scheme(50, '2026-03-01'))).status, 422); // backdated
  r = await u.admin.post('/api/v1/assess/schemes', scheme(50, '2026-04-01'));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.version, 1);
  // March keeps version 0; April is scored with version 1
  r = await rank('kind=department&period=month&at=2026-03-09');
  assert.equal(r.body.scheme.version, 0);
  r = await rank('kind=department&period=month&at=2026-04-09');
  assert.equal(r.body.scheme.version, 1);
  assert.deepEqual(Object.keys(r.body.items[0].indicators), ['handled_on_time_rate', 'satisfaction_rate']);
  r = await u.leader.get('/api/v1/assess/schemes?kind=department&at=2026-04-02');
  assert.equal(r.status, 200);
  assert.equal(r.body.current.version, 1);
  assert.deepEqual(r.body.versions.map((v) => v.version), [0, 1]);
});

test('closing a month freezes it; appeals are decided once by a leader', async () => {
  const close = { kind: 'department', period: 'month', at: '2026-03-09' };
  let r = await u.leader.post('/api/v1/rankings/close', close);
  assert.equal(r.status, 409, r.text); // March has not ended
  assert.equal(r.body.error.code, 'invalid_state');
  await srv.setClock('2026-04-02T09:00:00+08:00');
  assert.equal((await u.operator.post('/api/v1/rankings/close', close)).status, 403);
  r = await u.leader.post('/api/v1/rankings/close', close);
  assert.equal(r.status, 201, r.text);
  assert.match(r.body.frozen.hash, /^[0-9a-f]{64}$/);
  assert.equal(r.body.frozen.prev_hash, '0'.repeat(64));
  const frozen = r.body;
  assert.equal((await u.leader.post('/api/v1/rankings/close', close)).status, 409);
  // a later correction (a late rating of B, reported in March) changes the live figures
  // but not the published ranking
  const before = (await rank('kind=department&period=month&at=2026-03-09')).body;
  assert.deepEqual(before, frozen);
  r = await rank('kind=region&period=month&at=2026-03-09&under=510105002');
  const evaluatedBefore = r.body.items.find((i) => i.subject === GRID).counts.rated ?? 0;
  const list = await u.operator.get('/api/v1/cases?state=closed');
  const b = list.body.items.find((c) => c.id !== ids.a);
  await run(b.id, [['operator', 'evaluate', { rating: 'unsatisfied' }]]);
  r = await rank('kind=region&period=month&at=2026-03-09&under=510105002');
  assert.equal(r.body.items.find((i) => i.subject === GRID).counts.rated, evaluatedBefore + 1);
  assert.deepEqual((await rank('kind=department&period=month&at=2026-03-09')).body, frozen);

  // appeals: only the subject appeals, only against a closed period
  const appeal = { ...close, subject: 'SZ', reason: '返工系天气原因', evidence: '气象局证明' };
  assert.equal((await u.hw.post('/api/v1/rankings/appeals', appeal)).status, 403);
  assert.equal((await u.sz.post('/api/v1/rankings/appeals', { ...appeal, at: '2026-02-09' })).status, 409);
  r = await u.sz.post('/api/v1/rankings/appeals', appeal);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.state, 'open');
  assert.equal(r.body.snapshot, frozen.frozen.id);
  const id = r.body.id;
  assert.equal((await u.operator.post(`/api/v1/rankings/appeals/${id}/decide`, { state: 'upheld' })).status, 403);
  r = await u.leader.post(`/api/v1/rankings/appeals/${id}/decide`, { state: 'upheld', decision: '同意扣除返工' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'upheld');
  assert.equal(r.body.decided_by, 'leader');
  assert.equal((await u.leader.post(`/api/v1/rankings/appeals/${id}/decide`, { state: 'rejected' })).status, 409);
  r = await u.leader.get(`/api/v1/rankings/appeals?snapshot=${frozen.frozen.id}`);
  assert.deepEqual(r.body.items.map((x) => [x.subject, x.state]), [['SZ', 'upheld']]);
});

test('gridgov assess --json answers what the API answers', async () => {
  const api = (await rank('kind=region&period=month&at=2026-03-09&under=510105002')).body;
  const out = gridgovOk(['assess', '--db', db, '--kind', 'region', '--period', 'month', '--at', '2026-03-09',
    '--under', '510105002', '--json']);
  const cli = JSON.parse(out.stdout ?? out);
  assert.deepEqual(cli.items, api.items);
  assert.deepEqual(cli.period, api.period);
});

test('rankings download as CSV with a BOM and as XLSX', async () => {
  const q = 'kind=region&period=month&at=2026-03-09&under=510105002';
  const api = (await rank(q)).body;
  const res = await fetch(`${srv.url}/api/v1/rankings?${q}&format=csv`, { headers: { authorization: `Bearer ${u.leader.token}` } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /text\/csv/);
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString('utf8').trim().split(/\r?\n/);
  assert.match(lines[0], /^排名 rank,对象 subject,名称 name,得分 score,等级 grade/);
  assert.match(lines[0], /上报率,上报率 分子,上报率 分母/);
  assert.equal(lines.length, api.items.length + 1);
  const row = lines.find((l) => l.includes(GRID)).split(',');
  const item = api.items.find((i) => i.subject === GRID);
  assert.equal(Number(row[3]), item.score);
  assert.equal(row[row.length - 1], '3'); // 上报率's base: 3 reports

  const x = await fetch(`${srv.url}/api/v1/rankings?${q}&format=xlsx`, { headers: { authorization: `Bearer ${u.leader.token}` } });
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  const dir = tempDir();
  const file = path.join(dir, 'r.xlsx');
  writeFileSync(file, Buffer.from(await x.arrayBuffer()));
  const wb = execFileSync('unzip', ['-p', file, 'xl/workbook.xml'], { encoding: 'utf8' });
  assert.match(wb, /<sheet name="排名"/);
  // (constant-memory workbooks keep their text inline in the sheet)
  const sheet = execFileSync('unzip', ['-p', file, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
  assert.ok(sheet.includes('上报率 分母'));
  assert.ok(sheet.includes(item.name));
  assert.match(sheet, new RegExp(`<v>${item.score}</v>`));
  rmSync(dir, { recursive: true, force: true });
  assert.equal((await rank(`${q}&format=pdf`)).status, 422);
});

test('the monthly analysis report: JSON, HTML, PDF (pdftotext) and XLSX with one sheet per table', async () => {
  const q = 'under=510105002&month=2026-03';
  let r = await u.leader.get(`/api/v1/reports/monthly?${q}&format=json`);
  assert.equal(r.status, 200, r.text);
  const rep = r.body;
  assert.equal(rep.title, '月度分析');
  assert.deepEqual(rep.period, { kind: 'month', from: '2026-03-01', to: '2026-03-31' });
  assert.deepEqual(rep.last_year, { from: '2025-03-01', to: '2025-03-31' });
  const ov = Object.fromEntries(rep.overview.map((x) => [x.key, x]));
  assert.deepEqual([ov.reported.n, ov.reported.previous, ov.reported.last_year], [3, 0, 0]); // A, B, C
  assert.equal(ov.filed.n, 2);
  assert.deepEqual(rep.channels.map((c) => [c.channel, c.n]), [['worker', 2], ['hotline', 1]]);
  assert.deepEqual(rep.categories.map((c) => [c.code, c.n]), [['E0102', 3]]);
  assert.deepEqual(rep.grids.map((g) => [g.code, g.n]), [[GRID, 3]]);
  assert.ok(rep.rankings.region.some((i) => i.subject === GRID));
  assert.ok(rep.rankings.department.some((i) => i.subject === 'SZ'));
  // outside the caller's scope
  assert.equal((await u.street.get('/api/v1/reports/monthly?under=510105003&month=2026-03')).status, 403);
  assert.equal((await u.leader.get('/api/v1/reports/monthly?month=March')).status, 422);

  const headings = ['一、总体情况', '二、各渠道受理量', '三、热点问题类别', '四、热点区域', '五、处置最慢的部门',
    '六、最久未结案件', '七、考核排名'];
  r = await u.leader.get(`/api/v1/reports/monthly?${q}&format=html`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/html/);
  for (const h of headings) assert.ok(r.text.includes(h), h);
  assert.ok(r.text.includes('<svg'));

  const dir = tempDir();
  const get = async (fmt) => {
    const res = await fetch(`${srv.url}/api/v1/reports/monthly?${q}&format=${fmt}`, { headers: { authorization: `Bearer ${u.leader.token}` } });
    assert.equal(res.status, 200, await res.clone().text());
    const file = path.join(dir, `r.${fmt}`);
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    return { file, type: res.headers.get('content-type') };
  };
  const pdf = await get('pdf');
  assert.equal(pdf.type, 'application/pdf');
  const text = execFileSync('pdftotext', ['-layout', pdf.file, '-'], { encoding: 'utf8' });
  for (const h of headings) assert.ok(text.includes(h), `PDF lacks ${h}`);
  assert.ok(text.includes('月度分析'));

  const x = await get('xlsx');
  const wb = execFileSync('unzip', ['-p', x.file, 'xl/workbook.xml'], { encoding: 'utf8' });
  const names = [...wb.matchAll(/<sheet name="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(names, ['总体情况', '渠道', '热点类别', '热点区域', '部门', '未结案件', '区域排名', '部门排名']);
  const s2 = execFileSync('unzip', ['-p', x.file, 'xl/worksheets/sheet2.xml'], { encoding: 'utf8' });
  assert.ok(s2.includes('worker') && s2.includes('hotline'));
  assert.match(s2, /<v>2<\/v>/);
  rmSync(dir, { recursive: true, force: true });

  r = await u.leader.get('/api/v1/reports/weekly?under=510105002&at=2026-03-09&format=json');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.title, '周报');
  assert.deepEqual(r.body.period, { kind: 'week', from: '2026-03-09', to: '2026-03-15' });
});
