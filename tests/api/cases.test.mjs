// SPDX-License-Identifier: Apache-2.0
// Cases end to end: the category catalog, the closed loop with its refusals, return and
// rework, deadlines on the 2026 working-day calendar, supervision 督办 escalating as the
// clock moves, a whistle with three departments (one late), duplicates and merging, the
// hash-chained trail checked by `gridgov audit verify`, and indicators on a fixed scenario.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { startServer, makeDatabase, gridgov, gridgovOk, tempDir, freshDb, dbExec, USERS, DATA } from './lib/harness.mjs';
import { tinyJpeg } from './lib/images.mjs';

const GRID = '510105002002'; // 草市街道 community, where worker and community users work
const USERS_CASES = [...USERS,
  { name: 'hw', role: 'department', dept: 'HW', scope: '510105' },
  { name: 'sz', role: 'department', dept: 'SZ', scope: '510105' },
  { name: 'ga', role: 'department', dept: 'GA', scope: '510105' },
  { name: 'worker2', role: 'grid_worker', scope: '510105003003' }];

function database() {
  const d = makeDatabase({ users: USERS_CASES });
  gridgovOk(['import', 'categories', '--db', d.db, path.join(DATA, 'categories.csv')]);
  return d;
}

const at = (iso) => Date.parse(iso);
/** Assert an RFC 3339 time lies within a minute after the expected one (the test clock runs). */
function near(actual, expected) {
  const d = at(actual) - at(expected);
  assert.ok(d >= 0 && d < 60000, `${actual} should be just after ${expected}`);
}

async function waitFor(fn, what) {
  for (let i = 0; i < 100; i++) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

let srv, u;
before(async () => {
  const d = database();
  srv = await startServer(d);
  u = {};
  for (const n of ['admin', 'operator', 'leader', 'street', 'community', 'worker', 'dept', 'hw', 'sz', 'ga', 'worker2'])
    u[n] = await srv.as(n);
  await srv.setClock('2026-03-09T09:00:00+08:00'); // a Monday
});
after(async () => {
  const { code } = await srv.stop();
  assert.equal(code, 0, 'the server exits 0 on SIGTERM');
});

async function report(who, body = {}) {
  const r = await who.post('/api/v1/cases', { category: 'E0101', description: '违建', channel: 'grid_app', grid: GRID, ...body });
  assert.equal(r.status, 201, r.text);
  return r.body;
}
async function act(who, id, action, extra = {}, status = 200) {
  const r = await who.post(`/api/v1/cases/${id}/actions`, { action, ...extra });
  assert.equal(r.status, status, `${action}: ${r.text}`);
  return r.body;
}

describe('category catalog', () => {
  test('import refuses a bad row with its line number and loads nothing', () => {
    const dir = tempDir();
    const db = freshDb(dir, 'c.db');
    gridgovOk(['init', '--db', db]);
    const head = 'code,kind,major_code,major_name,major_name_en,minor_code,minor_name,minor_name_en,name,name_en,department,limit_general_h,limit_engineering_h,limit_special_h,verify_min,urgency\n';
    const good = 'G990101,社会治理,G99,测试,Test,G9901,测试,Test,测试项,Test item,MZ,4,8,16,60,normal\n';
    writeFileSync(path.join(dir, 'bad.csv'), head + good + good.replace('G990101', 'G990102').replace(',MZ,', ',NOPE,'));
    let r = gridgov(['import', 'categories', '--db', db, path.join(dir, 'bad.csv')]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /line 3: .*unknown department 'NOPE'/);
    writeFileSync(path.join(dir, 'good.csv'), head + good);
    r = gridgovOk(['import', 'categories', '--db', db, path.join(dir, 'good.csv')]);
    assert.match(r.stdout, /imported 1 categories/);
    r = gridgov(['import', 'categories', '--help']);
    assert.equal(r.status, 0);
    rmSync(dir, { recursive: true, force: true });
  });

  test('the demo database has the catalog', () => {
    const dir = tempDir();
    const r = gridgovOk(['demo', '--db', freshDb(dir, 'demo.db')]);
    assert.match(r.stdout, /categories: 207/);
    rmSync(dir, { recursive: true, force: true });
  });

  test('lists 207 items with real codes, departments and limits', async () => {
    const r = await u.worker.get('/api/v1/categories');
    assert.equal(r.status, 200);
    assert.equal(r.body.total, 207);
    const cover = r.body.items.find((c) => c.code === 'C0101');
    assert.equal(cover.name, '上水井盖');
    assert.equal(cover.department, 'GS');
    assert.deepEqual(cover.limits_h, { general: 6, engineering: 24, special: 40 });
    const g = r.body.items.filter((c) => c.kind === '社会治理');
    assert.equal(g.length, 68);
    assert.ok(g.some((c) => c.major_name === '矛盾纠纷'));
  });

  test('an admin edits an item; others may not; limits stay ordered', async () => {
    let r = await u.admin.put('/api/v1/categories/E0104', { limit_general_h: 3, urgency: 'urgent' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.limits_h.general, 3);
    assert.equal(r.body.urgency, 'urgent');
    r = await u.admin.put('/api/v1/categories/E0104', { limit_general_h: 9999 });
    assert.equal(r.status, 422);
    r = await u.admin.put('/api/v1/categories/E0104', { department: 'NOPE' });
    assert.equal(r.status, 422);
    r = await u.operator.put('/api/v1/categories/E0104', { limit_general_h: 2 });
    assert.equal(r.status, 403);
  });
});

describe('the closed loop', () => {
  test('report › file › dispatch › accept › handle › verify › close › evaluate', async () => {
    const c = await report(u.worker);
    assert.equal(c.state, 'reported');
    assert.equal(c.grid, GRID);
    assert.equal(c.community, GRID);
    assert.equal(c.street, '510105002');
    assert.equal(c.proposed_department, 'CGZF');
    assert.deepEqual(c.allowed_actions, ['self_close', 'escalate']);

    let r = await u.operator.get(`/api/v1/cases/${c.id}`);
    assert.deepEqual(r.body.allowed_actions, ['file', 'reject', 'merge']);
    assert.equal(r.body.light, 'green');

    await act(u.operator, c.id, 'file');
    const d = await act(u.operator, c.id, 'dispatch', { note: '请处置' });
    assert.equal(d.state, 'dispatched');
    assert.equal(d.department, 'CGZF');
    near(d.deadline, '2026-03-09T06:00:00Z'); // 09:00 + 4 working hours = 14:00 +08:00 (lunch skipped)
    await act(u.dept, c.id, 'accept');
    const [after] = await u.dept.upload(tinyJpeg(1));
    await act(u.dept, c.id, 'handle', { note: '已拆除', attachments: [after] });
    await act(u.worker, c.id, 'verify');
    await act(u.operator, c.id, 'close');
    const e = await act(u.operator, c.id, 'evaluate', { rating: 'satisfied' });
    assert.equal(e.state, 'evaluated');
    assert.deepEqual(e.allowed_actions, []);

    r = await u.operator.get(`/api/v1/cases/${c.id}`);
    assert.deepEqual(r.body.timeline.map((t) => t.action),
      ['create', 'file', 'dispatch', 'accept', 'handle', 'verify', 'close', 'evaluate']);
    const h = r.body.timeline[4];
    assert.equal(h.actor, 'dept');
    assert.equal(h.role, 'department');
    assert.deepEqual(h.attachments, [after]);
    // the photo is the case's now: the operator sees it in the detail and may fetch it
    assert.deepEqual(r.body.photos.map((p) => p.sha256), [after]);
    const img = await fetch(srv.url + r.body.photos[0].url, { headers: { authorization: `Bearer ${u.operator.token}` } });
    assert.equal(img.status, 200);
    assert.equal(img.headers.get('content-type'), 'image/jpeg');
    assert.equal(r.body.timeline[1].to, 'filed');
  });

  test('refusals: 409 for state, 403 for role or scope, with allowed_actions', async () => {
    const c = await report(u.worker);
    let r = await u.operator.post(`/api/v1/cases/${c.id}/actions`, { action: 'accept' });
    assert.equal(r.status, 409);
    assert.equal(r.body.error.code, 'invalid_state');
    assert.deepEqual(r.body.error.allowed_actions, ['file', 'reject', 'merge']);
    // a department does not see a case not yet dispatched to it
    r = await u.dept.get(`/api/v1/cases/${c.id}`);
    assert.equal(r.status, 403);
    r = await u.worker.post(`/api/v1/cases/${c.id}/actions`, { action: 'file' });
    assert.equal(r.status, 403);
    assert.deepEqual(r.body.error.allowed_actions, ['self_close', 'escalate']);
    // another grid's worker cannot even see it
    r = await u.worker2.get(`/api/v1/cases/${c.id}`);
    assert.equal(r.status, 403);
    // self_close needs before and after photos, uploaded first
    const [before, after] = await u.worker.upload(tinyJpeg(2), tinyJpeg(3));
    r = await u.worker.post(`/api/v1/cases/${c.id}/actions`, { action: 'self_close', attachments: [before] });
    assert.equal(r.status, 422);
    r = await u.worker.post(`/api/v1/cases/${c.id}/actions`, { action: 'self_close', attachments: ['before.jpg', 'after.jpg'] });
    assert.equal(r.status, 422);
    assert.equal(r.body.error.field, 'attachments');
    r = await u.worker.post(`/api/v1/cases/${c.id}/actions`, { action: 'self_close', attachments: [before, before] });
    assert.equal(r.status, 422);
    // a photo somebody else uploaded (and nobody attached) is not the worker's to use
    const [theirs] = await u.operator.upload(tinyJpeg(4));
    r = await u.worker.post(`/api/v1/cases/${c.id}/actions`, { action: 'self_close', attachments: [before, theirs] });
    assert.equal(r.status, 422);
    assert.match(r.body.error.message, /attachments\[1\]/);
    const s = await act(u.worker, c.id, 'self_close', { attachments: [before, after] });
    assert.equal(s.state, 'closed');
    r = await u.worker.get(`/api/v1/cases/${c.id}`);
    assert.deepEqual(r.body.photos.map((p) => p.sha256), [before, after]);
    assert.deepEqual(r.body.timeline.at(-1).attachments, [before, after]);
    r = await u.operator.post(`/api/v1/cases/${c.id}/actions`, { action: 'fly' });
    assert.equal(r.status, 422);
  });

  test('photos at the report; the same photo from two people may be used by both', async () => {
    const [p1, p2] = await u.worker.upload(tinyJpeg(5), tinyJpeg(6));
    const c = await report(u.worker, { photos: [p1, p2] });
    let r = await u.operator.get(`/api/v1/cases/${c.id}`);
    assert.deepEqual(r.body.photos.map((p) => p.sha256), [p1, p2]);
    assert.deepEqual(r.body.timeline[0].attachments, [p1, p2]);
    assert.equal(r.body.photos[0].thumbnail_url, `/api/v1/media/${p1}/thumbnail`);
    // a bad photo list refuses the whole report: no case is left behind
    const before = (await u.operator.get('/api/v1/cases?per_page=1')).body.total;
    r = await u.worker.post('/api/v1/cases', { category: 'E0101', description: '违建', channel: 'grid_app', grid: GRID, photos: [p1, 'x'] });
    assert.equal(r.status, 422);
    assert.equal(r.body.error.field, 'photos');
    assert.equal((await u.operator.get('/api/v1/cases?per_page=1')).body.total, before);
    // the department uploads the very same bytes as the worker (a forwarded picture)
    await act(u.operator, c.id, 'file');
    await act(u.operator, c.id, 'dispatch');
    await act(u.dept, c.id, 'accept');
    const [same] = await u.dept.upload(tinyJpeg(5));
    assert.equal(same, p1);
    const h = await act(u.dept, c.id, 'handle', { attachments: [same] });
    assert.equal(h.state, 'handled');
  });

  test('return goes back to the center; rework back to the same department', async () => {
    const c = await report(u.worker);
    await act(u.operator, c.id, 'file');
    await act(u.operator, c.id, 'dispatch', { department: 'HW' });
    // another department cannot touch it
    let r = await u.dept.post(`/api/v1/cases/${c.id}/actions`, { action: 'accept' });
    assert.equal(r.status, 403);
    await act(u.hw, c.id, 'return', {}, 422); // a reason is required
    const back = await act(u.hw, c.id, 'return', { note: '非本部门职责' });
    assert.equal(back.state, 'filed');
    assert.equal(back.department, undefined);
    await act(u.operator, c.id, 'dispatch', { department: 'CGZF' });
    await act(u.dept, c.id, 'accept');
    await act(u.dept, c.id, 'handle');
    const rw = await act(u.worker, c.id, 'rework', { note: '未拆除干净' });
    assert.equal(rw.state, 'dispatched');
    assert.equal(rw.department, 'CGZF');
    await act(u.dept, c.id, 'accept');
    // extension: requested by the department, approved by a leader
    await act(u.dept, c.id, 'extend', { hours: 8, note: '需要机械' });
    await act(u.dept, c.id, 'extend', { hours: 8, note: 'again' }, 409);
    const before = (await u.leader.get(`/api/v1/cases/${c.id}`)).body;
    assert.ok(before.allowed_actions.includes('approve_extension'));
    const ok = await act(u.leader, c.id, 'approve_extension');
    assert.equal(at(ok.deadline) - at(before.deadline), 8 * 3600 * 1000 + 16 * 3600 * 1000,
      'eight working hours is one working day later (16 h of night between)');
    // escalation, one level at a time, with a reason
    const e1 = await act(u.community, c.id, 'escalate', { note: '社区无法协调' });
    assert.equal(e1.level, 'street');
    const e2 = await act(u.street, c.id, 'escalate', { note: '街道上报' });
    assert.equal(e2.level, 'district');
    await act(u.street, c.id, 'escalate', { note: 'again' }, 409);
  });

  test('an unsatisfied rating reopens the case once', async () => {
    const c = await report(u.worker);
    for (const [who, a] of [['operator', 'file'], ['operator', 'dispatch'], ['dept', 'accept'], ['dept', 'handle'], ['worker', 'verify'], ['operator', 'close']])
      await act(u[who], c.id, a);
    const re = await act(u.operator, c.id, 'evaluate', { rating: 'unsatisfied' });
    assert.equal(re.state, 'dispatched');
    assert.equal(re.reopened, 1);
    for (const [who, a] of [['dept', 'accept'], ['dept', 'handle'], ['worker', 'verify'], ['operator', 'close']])
      await act(u[who], c.id, a);
    const fin = await act(u.operator, c.id, 'evaluate', { rating: 'unsatisfied' });
    assert.equal(fin.state, 'evaluated');
  });

  test('lists are scoped and filtered', async () => {
    let r = await u.operator.get('/api/v1/cases?state=evaluated');
    assert.equal(r.status, 200);
    assert.ok(r.body.total >= 2, r.text);
    assert.ok(r.body.items.every((c) => c.state === 'evaluated'));
    r = await u.hw.get('/api/v1/cases');
    assert.ok(r.body.items.every((c) => c.department === 'HW'));
    r = await u.worker2.get('/api/v1/cases');
    assert.equal(r.body.total, 0);
    r = await u.operator.get('/api/v1/cases?light=purple');
    assert.equal(r.status, 422);
    // open=true leaves out what is finished; per_page sizes the page
    const all = (await u.operator.get('/api/v1/cases?per_page=100')).body;
    assert.equal(all.items.length, Math.min(all.total, 100));
    const open = (await u.operator.get('/api/v1/cases?open=true&per_page=100')).body;
    const final = ['closed', 'evaluated', 'rejected', 'merged'];
    assert.ok(open.items.length > 0 && open.items.every((c) => !final.includes(c.state)));
    assert.equal(open.total, all.items.filter((c) => !final.includes(c.state)).length);
    r = await u.operator.get('/api/v1/cases?per_page=2&page=2');
    assert.deepEqual(r.body.items.map((c) => c.id), all.items.slice(2, 4).map((c) => c.id));
    for (const bad of ['per_page=0', 'per_page=101', 'per_page=x', 'open=maybe']) {
      r = await u.operator.get(`/api/v1/cases?${bad}`);
      assert.equal(r.status, 422, bad);
      assert.equal(r.body.error.field, bad.split('=')[0]);
    }
  });
});

describe('time limits', () => {
  test('Friday 17:00 with two working days across 清明 is due Wednesday 17:00', async () => {
    await srv.setClock('2026-04-03T17:00:00+08:00');
    const c = await report(u.worker, { category: 'E0103' }); // 积存垃圾渣土: 16 working hours
    await act(u.operator, c.id, 'file');
    const d = await act(u.operator, c.id, 'dispatch', { department: 'HW' });
    near(d.deadline, '2026-04-08T09:00:00Z'); // 17:00 +08:00 on Wednesday 8 April
  });

  test('supervision escalates three times as the clock moves', async () => {
    await srv.setClock('2026-03-16T09:00:00+08:00'); // Monday
    const c = await report(u.worker); // 私搭乱建: 4 working hours, due 14:00
    await act(u.operator, c.id, 'file');
    await act(u.operator, c.id, 'dispatch');
    const rounds = async (n) => waitFor(async () => {
      const r = await u.operator.get(`/api/v1/cases/${c.id}`);
      return r.body.supervision_rounds.length >= n ? r.body : null;
    }, `${n} supervision rounds`);
    let r = await u.operator.get(`/api/v1/cases/${c.id}`);
    assert.equal(r.body.light, 'green');
    await srv.setClock('2026-03-16T13:30:00+08:00');
    r = await u.operator.get(`/api/v1/cases/${c.id}`);
    assert.equal(r.body.light, 'yellow'); // 3.5 of 4 hours used
    assert.equal(r.body.overdue, false);
    assert.equal(r.body.supervision_rounds.length, 0);
    await srv.setClock('2026-03-16T14:01:00+08:00');
    let b = await rounds(1);
    assert.equal(b.light, 'red');
    assert.equal(b.overdue, true);
    assert.deepEqual(b.supervision_rounds.map((s) => [s.round, s.level, s.supervisor, s.target, s.points]),
      [[1, 'street', '510105002', 'CGZF', 1]]);
    await srv.setClock('2026-03-17T14:01:00+08:00'); // a working day later
    b = await rounds(2);
    await srv.setClock('2026-03-18T14:01:00+08:00');
    b = await rounds(3);
    assert.deepEqual(b.supervision_rounds.map((s) => [s.round, s.level, s.points]),
      [[1, 'street', 1], [2, 'district', 2], [3, 'district', 3]]);
    await srv.setClock('2026-03-25T14:01:00+08:00');
    r = await u.operator.get(`/api/v1/cases/${c.id}`);
    assert.equal(r.body.supervision_rounds.length, 3, 'never more than three');
    assert.equal(r.body.timeline.filter((t) => t.action === 'supervise').length, 3);
  });
});

describe('吹哨报到', () => {
  test('a whistle with three departments, one late', async () => {
    await srv.setClock('2026-03-23T09:00:00+08:00');
    const c = await report(u.worker);
    await act(u.operator, c.id, 'file');
    let r = await u.street.post(`/api/v1/cases/${c.id}/actions`, { action: 'whistle', type: 'party', departments: ['HW'], deadline: '2026-03-23T11:00:00+08:00' });
    assert.equal(r.status, 422);
    await act(u.street, c.id, 'whistle', { type: 'assembly', departments: ['HW', 'SZ', 'GA'], deadline: '2026-03-23T11:00:00+08:00' });
    // summoned departments see the case and may report; others may not
    r = await u.hw.get(`/api/v1/cases/${c.id}`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.allowed_actions, ['report']);
    await act(u.dept, c.id, 'report', {}, 403);
    await act(u.hw, c.id, 'report', { note: '已到场' });
    await act(u.sz, c.id, 'report');
    await act(u.hw, c.id, 'report', {}, 403); // only once
    await srv.setClock('2026-03-23T11:05:00+08:00');
    const b = await waitFor(async () => {
      const x = await u.street.get(`/api/v1/cases/${c.id}`);
      return x.body.whistles.some((w) => w.department === 'GA' && w.supervised) ? x.body : null;
    }, 'the late department to be supervised');
    const byDept = Object.fromEntries(b.whistles.map((w) => [w.department, w]));
    assert.equal(byDept.HW.supervised, false);
    assert.equal(byDept.SZ.supervised, false);
    assert.equal(byDept.GA.reported_at, null);
    assert.deepEqual(b.supervision_rounds.filter((s) => s.stage === 'report').map((s) => [s.round, s.target, s.points]), [[1, 'GA', 1]]);
    // the whistle-blower rates each department that reported (一哨一评价)
    assert.ok(b.allowed_actions.includes('rate_department'));
    await act(u.street, c.id, 'rate_department', { department: 'HW', rating: 'satisfied' });
    await act(u.street, c.id, 'rate_department', { department: 'GA', rating: 'satisfied' }, 422);
    await act(u.community, c.id, 'rate_department', { department: 'SZ', rating: 'basically' }, 403);
    const fin = (await u.street.get(`/api/v1/cases/${c.id}`)).body;
    assert.equal(fin.whistles.find((w) => w.department === 'HW').rating, 'satisfied');
  });
});

describe('duplicates', () => {
  test('the same category within 50 m and 24 h is offered, and the operator merges', async () => {
    const a = await report(u.worker, { category: 'E0201', lon: 104.0612, lat: 30.6712 });
    // reported ~22 m away by a worker of the neighbouring grid, across the boundary
    const b = await report(u.worker2, { category: 'E0201', lon: 104.0614, lat: 30.6713, grid: '510105003003' });
    assert.deepEqual(b.duplicates, [a.id]);
    assert.equal((await u.worker2.get(`/api/v1/cases/${a.id}`)).status, 403);
    const far = await report(u.worker, { category: 'E0201', lon: 104.0700, lat: 30.6712 }); // ~840 m
    assert.deepEqual(far.duplicates, []);
    const m = await act(u.operator, b.id, 'merge', { into: a.id });
    assert.equal(m.state, 'merged');
    assert.equal(m.merged_into, a.id);
    const s = (await u.operator.get(`/api/v1/cases/${a.id}`)).body;
    const mi = s.timeline.find((t) => t.action === 'merge_in');
    assert.match(mi.note, new RegExp(`merged case ${b.id} reported by worker2`));
    assert.deepEqual(s.reporters, ['worker', 'worker2']);
    assert.deepEqual(s.merged_cases, [b.id]);
    // the reporter of the merged case now follows the survivor
    const seen = await u.worker2.get(`/api/v1/cases/${a.id}`);
    assert.equal(seen.status, 200);
    assert.equal(seen.body.state, 'reported');
  });
});

describe('trail', () => {
  test('audit verify passes, then detects an edited row', async () => {
    let r = gridgov(['audit', 'verify', '--db', srv.db]);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /, 0 breaks/);
    const edit = "UPDATE case_log SET note='nothing happened' WHERE case_id=1 AND seq=5;";
    dbExec(srv.db, { sqlite: 'DROP TRIGGER case_log_no_update; ' + edit, pg: 'DROP TRIGGER case_log_no_update ON case_log; ' + edit });
    r = gridgov(['audit', 'verify', '--db', srv.db]);
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, /break: case 1 entry 5 \(handle\): hash does not match/);
    assert.match(r.stdout, /, 1 breaks/);
  });
});
