// SPDX-License-Identifier: Apache-2.0
// The standard indicators (上报数 … 满意率) on a fixed scenario of five cases, with every
// number worked out by hand below.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, makeDatabase, gridgovOk, USERS, DATA } from './lib/harness.mjs';

const GRID = '510105002002';
let srv, u;

before(async () => {
  const d = makeDatabase({ users: [...USERS,
    { name: 'hw', role: 'department', dept: 'HW', scope: '510105' },
    { name: 'sz', role: 'department', dept: 'SZ', scope: '510105' }] });
  gridgovOk(['import', 'categories', '--db', d.db, path.join(DATA, 'categories.csv')]);
  srv = await startServer(d);
  u = {};
  for (const n of ['operator', 'worker', 'hw', 'sz', 'street']) u[n] = await srv.as(n);
  await srv.setClock('2026-03-09T09:00:00+08:00'); // Monday
});
after(async () => {
  const { code } = await srv.stop();
  assert.equal(code, 0);
});

async function report(who, grid = GRID) {
  const r = await who.post('/api/v1/cases', { category: 'E0102', description: '暴露垃圾', channel: 'patrol', grid });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}
async function run(id, steps) {
  for (const [who, action, extra] of steps) {
    const r = await u[who].post(`/api/v1/cases/${id}/actions`, { action, ...extra });
    assert.equal(r.status, 200, `${action}: ${r.text}`);
  }
}

test('indicators by department, street and period equal the hand count', async () => {
  // A: the plain loop at HW, on time, satisfied.
  const a = await report(u.worker);
  await run(a, [['operator', 'file'], ['operator', 'dispatch', { department: 'HW' }], ['hw', 'accept'],
    ['hw', 'handle'], ['worker', 'verify'], ['operator', 'close'], ['operator', 'evaluate', { rating: 'satisfied' }]]);
  // B: HW returns it (a wrong dispatch), SZ handles, verification fails once (rework), basically satisfied.
  const b = await report(u.worker);
  await run(b, [['operator', 'file'], ['operator', 'dispatch', { department: 'HW' }], ['hw', 'return', { note: '非本部门' }],
    ['operator', 'dispatch', { department: 'SZ' }], ['sz', 'accept'], ['sz', 'handle'], ['worker', 'rework', { note: '未清理' }],
    ['sz', 'accept'], ['sz', 'handle'], ['worker', 'verify'], ['operator', 'close'], ['operator', 'evaluate', { rating: 'basically' }]]);
  // D: rejected. E: another street, filed only.
  const d = await report(u.worker);
  await run(d, [['operator', 'reject', { note: '不属于受理范围' }]]);
  const e = await report(u.operator, '510105003003');
  await run(e, [['operator', 'file']]);
  // C: HW, extended by 8 h (due Tuesday 14:00), handled late on Wednesday, closed, not rated.
  const c = await report(u.worker);
  await run(c, [['operator', 'file'], ['operator', 'dispatch', { department: 'HW' }], ['hw', 'accept'],
    ['hw', 'extend', { hours: 8, note: '需要车辆' }], ['operator', 'approve_extension']]);
  await srv.setClock('2026-03-11T09:00:00+08:00');
  await run(c, [['hw', 'handle'], ['worker', 'verify'], ['operator', 'close']]);

  let r = await u.operator.get('/api/v1/stats/indicators?by=department&from=2026-03-09&to=2026-03-10');
  assert.equal(r.status, 200, r.text);
  const by = Object.fromEntries(r.body.items.map((i) => [i.key, i]));
  const pick = (i) => ({ 上报数: i.上报数, 立案数: i.立案数, 按时立案率: i.按时立案率, 派遣数: i.派遣数,
    准确派遣率: i.准确派遣率, 处置数: i.处置数, 按期处置率: i.按期处置率, 结案数: i.结案数, 结案率: i.结案率,
    按期结案率: i.按期结案率, 返工率: i.返工率, 延期率: i.延期率, 满意率: i.满意率 });
  // HW holds A and C: both filed at once and never returned; C handled late, so half on time;
  // C was extended (1 of 2 dispatched); only A is rated, satisfied.
  assert.deepEqual(pick(by.HW), { 上报数: 2, 立案数: 2, 按时立案率: 1, 派遣数: 2, 准确派遣率: 1, 处置数: 2,
    按期处置率: 0.5, 结案数: 2, 结案率: 1, 按期结案率: 0.5, 返工率: 0, 延期率: 0.5, 满意率: 1 });
  // SZ holds B: dispatched twice (the first went back), so not accurate; reworked once.
  assert.deepEqual(pick(by.SZ), { 上报数: 1, 立案数: 1, 按时立案率: 1, 派遣数: 1, 准确派遣率: 0, 处置数: 1,
    按期处置率: 1, 结案数: 1, 结案率: 1, 按期结案率: 1, 返工率: 1, 延期率: 0, 满意率: 1 });
  // No department: D (rejected) and E (filed, waiting).
  assert.deepEqual(pick(by['']), { 上报数: 2, 立案数: 1, 按时立案率: 1, 派遣数: 0, 准确派遣率: null, 处置数: 0,
    按期处置率: null, 结案数: 0, 结案率: 0, 按期结案率: null, 返工率: null, 延期率: null, 满意率: null });
  // All five: 3 of 4 filed closed; 2 of 3 dispatches accurate, handled on time, closed on time.
  assert.deepEqual(pick(r.body.all), { 上报数: 5, 立案数: 4, 按时立案率: 1, 派遣数: 3, 准确派遣率: 0.6667, 处置数: 3,
    按期处置率: 0.6667, 结案数: 3, 结案率: 0.75, 按期结案率: 0.6667, 返工率: 0.3333, 延期率: 0.3333, 满意率: 1 });

  r = await u.operator.get('/api/v1/stats/indicators?by=street');
  const st = Object.fromEntries(r.body.items.map((i) => [i.key, [i.上报数, i.立案数, i.结案数]]));
  assert.deepEqual(st, { '510105002': [4, 3, 3], '510105003': [1, 1, 0] });

  // a street sees only its own subtree
  r = await u.street.get('/api/v1/stats/indicators?by=street');
  assert.deepEqual(r.body.items.map((i) => i.key), ['510105002']);

  // a window without reports lists only the groups with open cases now, with 0 reported
  r = await u.operator.get('/api/v1/stats/indicators?by=department&from=2026-03-10');
  assert.ok(r.body.items.every((i) => i.上报数 === 0 && i.在办数 > 0), JSON.stringify(r.body.items));
  assert.equal(r.body.all.上报数, 0);
  r = await u.operator.get('/api/v1/stats/indicators?by=planet');
  assert.equal(r.status, 422);
  r = await u.worker.get('/api/v1/stats/indicators');
  assert.equal(r.status, 403);
});

test('the daily trend, stable English keys, names, live open counts and under=', async () => {
  // After the scenario above: A and B closed on Monday 9 March, C on Wednesday 11 March;
  // E is still open (filed); D was rejected. The clock stands at Wednesday 09:00.
  let r = await u.operator.get('/api/v1/stats/indicators?by=day&from=2026-03-09&to=2026-03-11');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.items.map((i) => [i.day, i.reported, i.closed]),
    [['2026-03-09', 5, 2], ['2026-03-10', 0, 0], ['2026-03-11', 0, 1]]);
  assert.equal(r.body.all.reported, 5);
  assert.equal(r.body.all.reported, r.body.all.上报数);
  assert.equal(r.body.all.closed_on_time_rate, r.body.all.按期结案率);
  assert.equal(r.body.all.open, 1, 'E is the one case still open');
  assert.equal(r.body.all.在办数, 1);

  r = await u.operator.get('/api/v1/stats/indicators?by=department&from=2026-03-09&to=2026-03-09');
  const hw = r.body.items.find((i) => i.key === 'HW');
  assert.equal(hw.name, '环境卫生管理所');
  assert.equal(hw.reported, 2);

  r = await u.operator.get('/api/v1/stats/indicators?by=street&under=510105003');
  assert.deepEqual(r.body.items.map((i) => [i.key, i.name, i.reported]), [['510105003', '西御河街道', 1]]);
  r = await u.street.get('/api/v1/stats/indicators?by=street&under=510105003');
  assert.equal(r.status, 403);
  r = await u.street.get('/api/v1/stats/indicators?by=street&under=510105');
  assert.deepEqual(r.body.items.map((i) => i.key), ['510105002'], 'an ancestor of the scope narrows to the scope');

  r = await u.operator.get('/api/v1/stats/indicators?by=day&from=2026-03-09');
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'to');
});

test('indicators by channel count each door a case came in by', async () => {
  const r0 = await u.operator.post('/api/v1/cases', { category: 'E0102', description: '热线转来', channel: 'hotline', grid: GRID });
  assert.equal(r0.status, 201, r0.text);
  const r = await u.operator.get('/api/v1/stats/indicators?by=channel');
  assert.equal(r.status, 200, r.text);
  const by = Object.fromEntries(r.body.items.map((i) => [i.key, i.reported]));
  assert.deepEqual(by, { patrol: 5, hotline: 1 });
});
