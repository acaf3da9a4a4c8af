// SPDX-License-Identifier: Apache-2.0
// The foundation end to end: health, errors, login and lock-out, token expiry, scope.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORD } from './lib/harness.mjs';

let srv;
before(async () => { srv = await startServer({ args: ['--token-ttl', '3600'] }); });
after(async () => {
  const { code } = await srv.stop();
  assert.equal(code, 0, 'the server exits 0 on SIGTERM');
});

describe('service endpoints', () => {
  test('healthz answers 200 with the schema version', async () => {
    const r = await srv.request('GET', '/healthz');
    assert.equal(r.status, 200);
    assert.equal(r.body.status, 'ok');
    assert.ok(r.body.schema >= 1);
  });

  test('metrics are Prometheus text with requests by route and status', async () => {
    await srv.request('GET', '/healthz');
    const r = await srv.request('GET', '/metrics');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/plain/);
    assert.match(r.text, /gridgov_http_requests_total\{route="\/healthz",method="GET",status="200"\} [1-9]/);
    assert.match(r.text, /gridgov_http_request_duration_seconds_bucket\{le="\+Inf"\} \d+/);
    // a read connection per polling thread and worker (4 + 4, see the harness), the writer's
    assert.match(r.text, /gridgov_db_connections_open 9/);
  });
});

describe('errors are JSON with the right status', () => {
  test('unknown route is 404', async () => {
    const r = await srv.request('GET', '/api/v1/nothing-here');
    assert.equal(r.status, 404);
    assert.equal(r.body.error.code, 'not_found');
    assert.ok(r.body.error.message);
  });

  test('wrong method is 405 with Allow', async () => {
    const r = await srv.request('PUT', '/api/v1/session', { body: {} });
    assert.equal(r.status, 405);
    assert.equal(r.body.error.code, 'method_not_allowed');
    assert.match(r.headers.get('allow'), /POST/);
  });

  test('bad JSON is 400', async () => {
    const r = await srv.request('POST', '/api/v1/session', { body: '{"name": ', headers: { 'content-type': 'application/json' } });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'bad_json');
  });

  test('a JSON array where an object belongs is 400', async () => {
    const r = await srv.request('POST', '/api/v1/session', { body: '[1,2]' });
    assert.equal(r.status, 400);
  });

  test('missing field is 422 and names the field', async () => {
    const r = await srv.request('POST', '/api/v1/session', { body: { name: 'operator' } });
    assert.equal(r.status, 422);
    assert.equal(r.body.error.code, 'missing_field');
    assert.equal(r.body.error.field, 'password');
  });

  test('oversized body is 413', async () => {
    const big = JSON.stringify({ name: 'x', password: 'y'.repeat(2 << 20) });
    const r = await srv.request('POST', '/api/v1/session', { body: big });
    assert.equal(r.status, 413);
    assert.equal(r.body.error.code, 'payload_too_large');
  });
});

describe('login', () => {
  test('right password gives a bearer token that works', async () => {
    const r = await srv.request('POST', '/api/v1/session', { body: { name: 'operator', password: PASSWORD } });
    assert.equal(r.status, 201);
    assert.match(r.body.token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(r.body.user.role, 'operator');
    const me = await srv.request('GET', '/api/v1/session', { token: r.body.token });
    assert.equal(me.status, 200);
    assert.equal(me.body.name, 'operator');
    assert.equal(me.body.scope, '510105');
  });

  test('wrong password and unknown user are both 401, alike', async () => {
    const a = await srv.request('POST', '/api/v1/session', { body: { name: 'operator', password: 'nope-nope' } });
    const b = await srv.request('POST', '/api/v1/session', { body: { name: 'nobody', password: 'nope-nope' } });
    assert.equal(a.status, 401);
    assert.equal(b.status, 401);
    assert.equal(a.body.error.message, b.body.error.message);
  });

  test('five wrong passwords lock the account, even for the right one, until time passes', async () => {
    for (let i = 0; i < 4; i++) {
      const r = await srv.request('POST', '/api/v1/session', { body: { name: 'leader', password: 'wrong-' + i } });
      assert.equal(r.status, 401);
    }
    const fifth = await srv.request('POST', '/api/v1/session', { body: { name: 'leader', password: 'wrong-5' } });
    assert.equal(fifth.status, 423);
    const right = await srv.request('POST', '/api/v1/session', { body: { name: 'leader', password: PASSWORD } });
    assert.equal(right.status, 423);
    assert.equal(right.body.error.code, 'account_locked');
    assert.ok(Number(right.headers.get('retry-after')) > 0);
    await srv.advance(16 * 60);
    const later = await srv.request('POST', '/api/v1/session', { body: { name: 'leader', password: PASSWORD } });
    assert.equal(later.status, 201);
  });

  test('logout ends the token', async () => {
    const token = await srv.login('street');
    const out = await srv.request('DELETE', '/api/v1/session', { token });
    assert.equal(out.status, 200);
    const r = await srv.request('GET', '/api/v1/session', { token });
    assert.equal(r.status, 401);
  });

  test('a token expires after its lifetime', async () => {
    const token = await srv.login('community');
    assert.equal((await srv.request('GET', '/api/v1/session', { token })).status, 200);
    await srv.advance(3601);
    const r = await srv.request('GET', '/api/v1/session', { token });
    assert.equal(r.status, 401);
    assert.equal(r.body.error.code, 'unauthorized');
  });
});

describe('authorisation by role and scope', () => {
  test('no token is 401, a made-up token is 401', async () => {
    assert.equal((await srv.request('GET', '/api/v1/departments')).status, 401);
    const r = await srv.request('GET', '/api/v1/departments', { token: 'x'.repeat(43) });
    assert.equal(r.status, 401);
  });

  test('departments are listed as {items,total}', async () => {
    const c = await srv.as('worker');
    const r = await c.get('/api/v1/departments');
    assert.equal(r.status, 200);
    assert.equal(r.body.total, r.body.items.length);
    assert.ok(r.body.items.some((d) => d.code === 'CGZF' && d.name === '城市管理和综合执法局'));
  });

  test('a street user sees its street and the path to it, and nothing beside it', async () => {
    const c = await srv.as('street');
    const kids = await c.get('/api/v1/grids/510105/children');
    assert.equal(kids.status, 200);
    assert.deepEqual(kids.body.items.map((g) => g.code), ['510105002']);
    const own = await c.get('/api/v1/grids/510105002');
    assert.equal(own.status, 200);
    assert.equal(own.body.name, '草市街街道');
    assert.equal(own.body.level, 'street');
    assert.deepEqual(own.body.ancestors.map((a) => a.code), ['510105']);
    const comm = await c.get('/api/v1/grids/510105002/children');
    assert.ok(comm.body.total >= 5);
    const other = await c.get('/api/v1/grids/510105003');
    assert.equal(other.status, 403);
    assert.equal(other.body.error.code, 'forbidden');
    const otherKids = await c.get('/api/v1/grids/510105003/children');
    assert.equal(otherKids.status, 403);
  });

  test('the operator sees all 12 streets; a missing grid is 404', async () => {
    const c = await srv.as('operator');
    const r = await c.get('/api/v1/grids/510105/children');
    assert.equal(r.body.total, 12);
    for (const g of r.body.items) assert.ok(g.code && g.name && g.level === 'street');
    assert.equal((await c.get('/api/v1/grids/510105999')).status, 404);
  });
});
