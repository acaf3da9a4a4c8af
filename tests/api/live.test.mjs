// SPDX-License-Identifier: Apache-2.0
// The console's live side (issue 14, items 9, 10 and 14): GET /api/v1/events streams each
// committed case change (`case` events with the case id and state) to the sessions whose
// scope holds it, a `task` event when work reaches a department or a grid worker, a
// heartbeat comment, Last-Event-ID resume, and a bounded number of streams (503 past it);
// wall-screen kiosk sessions (issued by an admin, one-time code, read-only, never expiring
// at 8 hours, revocable); and the grid profile (staff, people, open cases — the count the
// map colours by — and this month's indicators), refused outside the caller's scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, makeDatabase, gridgovOk, DATA, USERS } from './lib/harness.mjs';
import { openStream } from './lib/sse.mjs';

const IN = '510105002002', OUT = '510105018006';
let srv, u;
before(async () => {
  const d = makeDatabase({ map: true, users: [...USERS, { name: 'worker_out', role: 'grid_worker', scope: OUT }] });
  gridgovOk(['import', 'categories', '--db', d.db, path.join(DATA, 'categories.csv')]);
  srv = await startServer({ db: d.db, dir: d.dir, args: ['--sse-heartbeat', '1', '--sse-clients', '6', '--login-rate', '0'] });
  u = {};
  for (const n of ['admin', 'operator', 'leader', 'worker', 'worker_out', 'dept']) u[n] = await srv.as(n);
});
after(async () => {
  const { code } = await srv.stop();
  assert.equal(code, 0);
});

/** A stream once the server has a place for it (closed ones are noticed at their next heartbeat). */
async function openFree(token, headers) {
  for (let i = 0; ; i++) {
    const s = await openStream(srv.url, token, headers);
    if (s.status !== 503 || i === 40) return s;
    await new Promise((r) => setTimeout(r, 250));
  }
}

const report = async (grid, extra = {}) => {
  const r = await u.operator.post('/api/v1/cases', { category: 'E0101', description: '违建', channel: 'hotline_seat', grid, ...extra });
  assert.equal(r.status, 201, r.text);
  return r.body;
};
const act = async (who, id, action, extra = {}) => {
  const r = await who.post(`/api/v1/cases/${id}/actions`, { action, ...extra });
  assert.equal(r.status, 200, `${action}: ${r.text}`);
  return r.body;
};

test('case events reach the sessions whose scope holds the case, after the commit, with id and state', async () => {
  const leader = await openStream(srv.url, u.leader.token);
  const worker = await openStream(srv.url, u.worker.token);
  const out = await openStream(srv.url, u.worker_out.token);
  try {
    assert.equal(leader.status, 200);
    assert.match(leader.headers.get('content-type'), /^text\/event-stream/);
    assert.equal(leader.headers.get('cache-control'), 'no-store');
    const c = await report(IN);
    const e = await leader.next((x) => x.event === 'case' && x.json?.id === c.id);
    assert.equal(e.json.state, 'reported');
    assert.equal(e.json.action, 'create');
    assert.equal(e.json.grid.slice(0, IN.length), IN);
    assert.match(e.id, /^[0-9a-f]+-\d+$/);
    const w = await worker.next((x) => x.event === 'case' && x.json?.id === c.id);
    assert.equal(w.json.state, 'reported');
    // a case of another street: the leader (whole district) sees it, the worker of IN does not
    const o = await report(OUT);
    await leader.next((x) => x.json?.id === o.id);
    await out.next((x) => x.json?.id === o.id);
    assert.ok(!worker.events.some((x) => x.json?.id === o.id), 'out of scope: no event');
    assert.ok(!out.events.some((x) => x.json?.id === c.id), 'out of scope: no event');
    // a refused action writes nothing and announces nothing
    const bad = await u.operator.post(`/api/v1/cases/${c.id}/actions`, { action: 'accept' });
    assert.ok(bad.status >= 400 && bad.status < 500, bad.text);
    await act(u.operator, c.id, 'file');
    const f = await leader.next((x) => x.json?.id === c.id && x.json.action === 'file');
    assert.equal(f.json.state, 'filed');
    assert.equal(leader.events.filter((x) => x.json?.id === c.id).length, 2, 'create and file, nothing for the refusal');
  } finally {
    for (const s of [leader, worker, out]) s.close();
  }
});

test('a dispatch is a task for the department: a `case` and a `task` event on its stream', async () => {
  const dept = await openFree(u.dept.token);
  try {
    const c = await report(IN);
    await act(u.operator, c.id, 'file');
    assert.ok(!dept.events.some((x) => x.json?.id === c.id), 'not the department\'s before the dispatch');
    await act(u.operator, c.id, 'dispatch', { department: 'CGZF' });
    const t = await dept.next((x) => x.event === 'task' && x.json?.id === c.id);
    assert.equal(t.json.state, 'dispatched');
    assert.equal(t.json.department, 'CGZF');
    await dept.next((x) => x.event === 'case' && x.json?.id === c.id);
  } finally {
    dept.close();
  }
});

test('an idle stream gets a heartbeat comment; Last-Event-ID resumes after the last event seen', async () => {
  const s = await openFree(u.leader.token);
  let first;
  try {
    await s.comment(/^gridgov events$/);
    assert.equal(s.retry, 3000);
    await s.comment(/^heartbeat$/, 4000);
    first = await report(IN);
    await s.next((x) => x.json?.id === first.id);
  } finally {
    s.close();
  }
  const seen = s.events.find((x) => x.json?.id === first.id).id;
  // two more while nobody listens
  const a = await report(IN), b = await report(IN);
  const again = await openFree(u.leader.token, { 'Last-Event-ID': seen });
  try {
    await again.next((x) => x.json?.id === b.id);
    assert.deepEqual(again.events.filter((x) => x.event === 'case').map((x) => x.json.id), [a.id, b.id]);
  } finally {
    again.close();
  }
  // an id of another process (or garbage) starts afresh: nothing old is replayed
  const fresh = await openFree(u.leader.token, { 'Last-Event-ID': 'feed-1' });
  try {
    const c = await report(IN);
    await fresh.next((x) => x.json?.id === c.id);
    assert.ok(!fresh.events.some((x) => x.json?.id === a.id));
  } finally {
    fresh.close();
  }
});

test('streams are bounded: past --sse-clients a clear 503 with Retry-After; a closed one frees its place', async () => {
  const open = [];
  try {
    for (let i = 0; i < 6; i++) {
      const s = await openFree(u.leader.token);
      assert.equal(s.status, 200);
      open.push(s);
    }
    const no = await openStream(srv.url, u.leader.token);
    assert.equal(no.status, 503, no.text);
    assert.equal(no.body.error.code, 'unavailable');
    assert.match(no.body.error.message, /event streams/);
    assert.ok(Number(no.headers.get('retry-after')) > 0);
    open.pop().close();
    // the server notices the closed connection at its next writes (heartbeats: 1 s here)
    const again = await openFree(u.leader.token);
    assert.equal(again.status, 200);
    open.push(again);
  } finally {
    open.forEach((s) => s.close());
  }
  const none = await openStream(srv.url, null);
  assert.equal(none.status, 401);
  const m = await srv.request('GET', '/metrics');
  assert.match(m.text, /^gridgov_events_published_total [1-9]\d*$/m);
  assert.match(m.text, /^gridgov_events_streams_open \d+$/m);
});

let kiosk; // {id, code}
test('an admin issues a wall screen: one-time code for a token that is read-only', async () => {
  let r = await u.operator.post('/api/v1/kiosk', { name: '指挥中心大屏1' });
  assert.equal(r.status, 403, r.text);
  r = await u.admin.post('/api/v1/kiosk', {});
  assert.equal(r.status, 422);
  r = await u.admin.post('/api/v1/kiosk', { name: '指挥中心大屏1', scope: '510105' });
  assert.equal(r.status, 201, r.text);
  kiosk = r.body;
  assert.equal(kiosk.url, `/wall?kiosk=${kiosk.code}`);
  assert.equal(kiosk.claimed, false);
  r = await srv.request('POST', '/api/v1/kiosk/session', { body: { code: kiosk.code } });
  assert.equal(r.status, 201, r.text);
  kiosk.token = r.body.token;
  assert.equal(r.body.user.role, 'leader');
  assert.equal(r.body.expires_at, null);
  // the code works once
  r = await srv.request('POST', '/api/v1/kiosk/session', { body: { code: kiosk.code } });
  assert.equal(r.status, 401);
  r = await srv.request('GET', '/api/v1/session', { token: kiosk.token });
  assert.equal(r.status, 200);
  assert.equal(r.body.kiosk, true);
  assert.equal(r.body.scope, '510105');
  r = await srv.request('GET', '/api/v1/stats/indicators?under=510105', { token: kiosk.token });
  assert.equal(r.status, 200, r.text);
  r = await srv.request('POST', '/api/v1/cases', { token: kiosk.token, body: { category: 'E0101', description: 'x', grid: IN } });
  assert.equal(r.status, 403, r.text);
  assert.match(r.body.error.message, /wall-screen session may only read/);
  const list = await u.admin.get('/api/v1/kiosk');
  const row = list.body.items.find((x) => x.id === kiosk.id);
  assert.equal(row.claimed, true);
  assert.ok(!JSON.stringify(list.body).includes(kiosk.code), 'the code is never listed');
  assert.ok(!JSON.stringify(list.body).includes(kiosk.token), 'the token is never listed');
});

test('the wall screen outlives 8 hours (a login does not), streams events, and is 401 once revoked', async () => {
  const login = await srv.login('leader');
  await srv.advance(9 * 3600);
  let r = await srv.request('GET', '/api/v1/session', { token: login });
  assert.equal(r.status, 401, 'a login expires after 8 hours');
  r = await srv.request('GET', '/api/v1/session', { token: kiosk.token });
  assert.equal(r.status, 200, r.text);
  for (const n of Object.keys(u)) u[n] = await srv.as(n); // the logins of before are gone
  const s = await openFree(kiosk.token);
  try {
    assert.equal(s.status, 200);
    const c = await u.operator.post('/api/v1/cases', { category: 'E0101', description: '违建', channel: 'hotline_seat', grid: IN });
    await s.next((x) => x.json?.id === c.body.id);
  } finally {
    s.close();
  }
  r = await u.operator.del(`/api/v1/kiosk/${kiosk.id}`);
  assert.equal(r.status, 403);
  r = await u.admin.del(`/api/v1/kiosk/${kiosk.id}`);
  assert.equal(r.status, 200, r.text);
  r = await srv.request('GET', '/api/v1/session', { token: kiosk.token });
  assert.equal(r.status, 401);
  assert.equal((await openStream(srv.url, kiosk.token)).status, 401);
  r = await u.admin.del(`/api/v1/kiosk/${kiosk.id}`);
  assert.equal(r.status, 404);
});

test('the grid profile: staff, people, open cases (what the map colour counts) and the month', async () => {
  const grids = await u.operator.get(`/api/v1/grids/${IN}/children`);
  assert.equal(grids.status, 200, grids.text);
  const grid = grids.body.items[0].code;
  const a = await report(grid), b = await report(grid), closed = await report(grid);
  await act(u.operator, closed.id, 'reject', { note: '重复' });
  const r = await u.operator.get(`/api/v1/grids/${grid}/profile`);
  assert.equal(r.status, 200, r.text);
  const p = r.body;
  assert.equal(p.grid.code, grid);
  assert.ok(p.people.households > 0 && p.people.population > 0, JSON.stringify(p.people));
  assert.ok(p.staff.length > 0, 'the demo map has grid staff');
  const ids = p.open_cases.items.map((c) => c.id);
  assert.ok(ids.includes(a.id) && ids.includes(b.id));
  assert.ok(!ids.includes(closed.id), 'a rejected case is not open');
  assert.ok(p.open_cases.items.every((c) => !['closed', 'evaluated', 'rejected', 'merged'].includes(c.state)));
  // the map's colour: the open count of the grid in the indicators by grid
  const ind = await u.operator.get(`/api/v1/stats/indicators?by=grid&under=${IN}`);
  const row = ind.body.items.find((x) => x.key === grid);
  assert.equal(p.open_cases.total, row.open);
  assert.match(p.month.month, /^\d{4}-\d{2}$/);
  assert.ok(p.month.reported >= 3, JSON.stringify(p.month));
  // outside the caller's scope
  const out = await u.worker_out.get(`/api/v1/grids/${grid}/profile`);
  assert.equal(out.status, 403);
  const none = await u.operator.get('/api/v1/grids/510105002999/profile');
  assert.equal(none.status, 404);
});
