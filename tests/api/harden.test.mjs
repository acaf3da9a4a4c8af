// SPDX-License-Identifier: Apache-2.0
// Hardening (issue 12, item 8): what attackers send to the edges. The locator does not
// name grids outside the caller's area; an administrator with a scope sees photos by
// case like everyone else; a tracking code never reaches the access log; tracking-code
// lookups and ratings are rate-limited per address with Retry-After.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, makeDatabase, pointsIn, USERS } from './lib/harness.mjs';
import { tinyJpeg } from './lib/images.mjs';

const LON = 104.0553, LAT = 30.6677; // inside the demo map

function form(files, fields = {}) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  for (const [name, bytes, filename, type] of files) fd.append(name, new Blob([bytes], { type }), filename);
  return fd;
}

describe('scope at the edges', () => {
  let srv, u = {};
  before(async () => {
    const users = [...USERS, { name: 'admin2', role: 'admin', scope: '510105002' }];
    srv = await startServer({ setup: { map: true, users }, args: ['--report-rate', '0', '--public-rate', '3'] });
    for (const n of ['admin', 'admin2', 'worker', 'operator']) u[n] = await srv.as(n);
  });
  after(async () => { assert.equal((await srv.stop()).code, 0); });

  test('GET /grids/locate names no grid outside the caller\'s area', async () => {
    const [inside] = await pointsIn(u.admin, '510105002002');
    const [outside] = await pointsIn(u.admin, '510105018');
    let r = await u.worker.get(`/api/v1/grids/locate?lon=${inside.lon}&lat=${inside.lat}`);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.body.code.startsWith('510105002002'));
    r = await u.worker.get(`/api/v1/grids/locate?lon=${outside.lon}&lat=${outside.lat}`);
    assert.equal(r.status, 404, r.text);
    assert.ok(!r.text.includes('510105018'), 'the other street is not named');
    r = await u.admin.get(`/api/v1/grids/locate?lon=${outside.lon}&lat=${outside.lat}`);
    assert.equal(r.status, 200);
  });

  test('an administrator with a scope does not read every photo', async () => {
    const [sha] = await u.operator.upload(tinyJpeg(7));
    assert.equal((await u.admin.get(`/api/v1/media/${sha}`)).status, 200);
    assert.equal((await u.admin2.get(`/api/v1/media/${sha}`)).status, 403);
    assert.equal((await u.admin2.get(`/api/v1/media/${sha}/thumbnail`)).status, 403);
    assert.equal((await u.worker.get(`/api/v1/media/${sha}`)).status, 403);
  });

  test('tracking codes stay out of the access log; lookups and ratings are rate-limited', async () => {
    const r = await srv.request('POST', '/api/v1/public/reports', {
      body: form([], { description: '路灯不亮', lon: String(LON), lat: String(LAT) }),
    });
    assert.equal(r.status, 201, r.text);
    const code = r.body.code;
    for (let i = 0; i < 3; i++)
      assert.equal((await srv.request('GET', `/api/v1/public/reports/${code}`)).status, 200);
    const limited = await srv.request('GET', `/api/v1/public/reports/${code}`);
    assert.equal(limited.status, 429, limited.text);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    // guessing codes is limited the same way
    assert.equal((await srv.request('GET', '/api/v1/public/reports/ZZZZZZZZZZ')).status, 429);
    for (let i = 0; i < 3; i++)
      assert.notEqual((await srv.request('POST', `/api/v1/public/reports/${code}/rating`, { body: { rating: 'satisfied' } })).status, 429);
    const rl = await srv.request('POST', `/api/v1/public/reports/${code}/rating`, { body: { rating: 'satisfied' } });
    assert.equal(rl.status, 429);
    assert.ok(rl.headers.get('retry-after'));
    await srv.advance(60);
    assert.equal((await srv.request('GET', `/api/v1/public/reports/${code}`)).status, 200, 'the bucket refills');
    assert.ok(!srv.log.includes(code), 'the tracking code is not logged');
    assert.match(srv.log, /"path":"\/api\/v1\/public\/reports\/\{code\}"/);
  });
});
