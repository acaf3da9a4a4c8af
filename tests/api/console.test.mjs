// SPDX-License-Identifier: Apache-2.0
// What the console's daily work needs from the API (issue 14): the likely duplicates of a
// report asked before saving it, a case the center types in for a caller, and the
// category corrected at 立案 and at 派遣 with the trail naming the old and the new one; the
// caller's phone kept sealed with a tracking code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, makeDatabase, gridgovOk, dbContains, USERS, DATA } from './lib/harness.mjs';

const GRID = '510105002002';
let srv, u;
before(async () => {
  const d = makeDatabase({ users: [...USERS, { name: 'worker2', role: 'grid_worker', scope: '510105003003' }] });
  gridgovOk(['import', 'categories', '--db', d.db, path.join(DATA, 'categories.csv')]);
  srv = await startServer(d);
  u = {};
  for (const n of ['operator', 'worker', 'worker2', 'dept']) u[n] = await srv.as(n);
  await srv.setClock('2026-03-09T09:00:00+08:00'); // a Monday
});
after(async () => {
  const { code } = await srv.stop();
  assert.equal(code, 0);
});

async function report(who, body = {}) {
  const r = await who.post('/api/v1/cases', { category: 'E0101', description: '违建', channel: 'grid_app', grid: GRID, ...body });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

test('duplicates are looked up before saving: same category, within 50 m, visible, nearest first', async () => {
  const a = await report(u.worker, { category: 'E0201', lon: 104.0612, lat: 30.6712 });
  const b = await report(u.worker, { category: 'E0201', lon: 104.0613, lat: 30.6712 });
  await report(u.worker, { category: 'E0202', lon: 104.0612, lat: 30.6712 }); // another category
  const r = await u.operator.get('/api/v1/cases/duplicates?category=E0201&lon=104.06121&lat=30.6712');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.items.map((c) => c.id), [a.id, b.id]);
  assert.equal(r.body.total, 2);
  assert.ok(r.body.items[0].distance_m <= r.body.items[1].distance_m);
  assert.equal(r.body.items[0].state, 'reported');
  // a worker of another grid sees none of them
  const w2 = await u.worker2.get('/api/v1/cases/duplicates?category=E0201&lon=104.06121&lat=30.6712');
  assert.equal(w2.status, 200);
  assert.deepEqual(w2.body.items, []);
  const far = await u.operator.get('/api/v1/cases/duplicates?category=E0201&lon=104.0700&lat=30.6712');
  assert.deepEqual(far.body.items, []);
  // refusals name the field
  let bad = await u.operator.get('/api/v1/cases/duplicates?lon=104.06&lat=30.67');
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.field, 'category');
  bad = await u.operator.get('/api/v1/cases/duplicates?category=E0201&lon=abc&lat=30.67');
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.field, 'lon');
  bad = await u.operator.get('/api/v1/cases/duplicates?category=E0201&lon=104');
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.code, 'missing_field');
  assert.equal(bad.body.error.field, 'lat');
  // the case route still answers ids
  assert.equal((await u.operator.get(`/api/v1/cases/${a.id}`)).status, 200);
});

test('the center enters a case for a caller; others may not name one', async () => {
  const c = await report(u.operator, { channel: 'hotline', caller: '王女士' });
  assert.equal(c.reporter, '王女士');
  assert.equal(c.channel, 'hotline');
  const r = await u.worker.post('/api/v1/cases', { category: 'E0101', description: 'x', channel: 'grid_app', grid: GRID, caller: '王女士' });
  assert.equal(r.status, 403);
  assert.equal(r.body.error.field, 'caller');
  // the caller's phone is kept sealed, with a tracking code the caller can look the case up by
  const PHONE = '13912345678';
  const p = await report(u.operator, { channel: 'hotline', caller: '李先生', caller_phone: '139-1234-5678' });
  assert.match(p.tracking_code, /^[2-9A-Z]{10}$/);
  assert.ok(!JSON.stringify(p).includes(PHONE));
  const pub = await srv.request('GET', `/api/v1/public/reports/${p.tracking_code}`);
  assert.equal(pub.status, 200, pub.text);
  assert.equal(pub.body.state, 'reported');
  assert.ok(!dbContains(srv.db, PHONE), 'the phone is sealed');
  const bp = await u.operator.post('/api/v1/cases', { category: 'E0101', description: 'x', channel: 'hotline', grid: GRID, caller_phone: 'call me' });
  assert.equal(bp.status, 422);
  assert.equal(bp.body.error.field, 'caller_phone');
  const wp = await u.worker.post('/api/v1/cases', { category: 'E0101', description: 'x', channel: 'grid_app', grid: GRID, caller_phone: PHONE });
  assert.equal(wp.status, 403);
  assert.equal(wp.body.error.field, 'caller_phone');
  const e = await u.operator.post('/api/v1/cases', { category: 'E0101', description: 'x', channel: 'hotline', grid: GRID, caller: '王'.repeat(21) });
  assert.equal(e.status, 422);
  assert.equal(e.body.error.field, 'caller');
});

test('the category is corrected at 立案 and at 派遣, and the trail names both', async () => {
  const c = await report(u.worker, { category: 'E0199' });
  // a correction with another action, or to an unknown category, is refused
  let r = await u.operator.post(`/api/v1/cases/${c.id}/actions`, { action: 'file', category: 'NOPE' });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'category');
  r = await u.operator.post(`/api/v1/cases/${c.id}/actions`, { action: 'file', category: 'C0101' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'filed');
  assert.equal(r.body.category, 'C0101');
  assert.equal(r.body.proposed_department, 'GS');
  r = await u.operator.post(`/api/v1/cases/${c.id}/actions`, { action: 'dispatch', category: 'E0101' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.category, 'E0101');
  assert.equal(r.body.department, 'CGZF'); // E0101's department, the new proposal
  const d = (await u.operator.get(`/api/v1/cases/${c.id}`)).body;
  assert.equal(d.reporter, 'worker');
  const rc = d.timeline.filter((e) => e.action === 'recategorize');
  assert.equal(rc.length, 2);
  assert.match(rc[0].note, /^E0199 其他市容环境问题 → C0101 上水井盖$/);
  assert.match(rc[1].note, /^C0101 上水井盖 → E0101 私搭乱建$/);
  assert.deepEqual(d.timeline.map((e) => e.action), ['create', 'recategorize', 'file', 'recategorize', 'dispatch']);
  // the department holding it sees the reporter masked
  const dd = (await u.dept.get(`/api/v1/cases/${c.id}`)).body;
  assert.equal(dd.reporter, 'w**');
  assert.deepEqual(dd.reporters, ['w**']);
  const called = await report(u.operator, { channel: 'hotline', caller: '王女士' });
  await u.operator.post(`/api/v1/cases/${called.id}/actions`, { action: 'file' });
  await u.operator.post(`/api/v1/cases/${called.id}/actions`, { action: 'dispatch', department: 'CGZF' });
  assert.equal((await u.dept.get(`/api/v1/cases/${called.id}`)).body.reporter, '王**');
  assert.equal((await u.operator.get(`/api/v1/cases/${called.id}`)).body.reporter, '王女士');
  // the department now sees it under its new category
  const l = (await u.dept.get('/api/v1/cases?category=E0101')).body.items.map((x) => x.id);
  assert.ok(l.includes(c.id));
});
