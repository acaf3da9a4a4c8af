// SPDX-License-Identifier: Apache-2.0
// Login lock-out under attack (issue 12, item 7): a parallel burst of guesses gets at
// most lock_after passwords checked; a right password during a lock is refused; the
// lock holds for the guessing address, not for everyone, until lock_after_all failures
// from all addresses; unknown names answer exactly as real ones; and login attempts are
// throttled per address with Retry-After.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, PASSWORD } from './lib/harness.mjs';

let srv;
before(async () => { srv = await startServer({ args: ['--login-rate', '0'] }); });
after(async () => { assert.equal((await srv.stop()).code, 0); });

/** POST /api/v1/session from a chosen loopback address (127.0.0.0/8 all reach the server). */
function login(name, password, from = '127.0.0.1') {
  const u = new URL(srv.url);
  const body = JSON.stringify({ name, password });
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: '/api/v1/session', method: 'POST', localAddress: from,
      agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(text), retry: res.headers['retry-after'] }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const count = (rs, status) => rs.filter((r) => r.status === status).length;

test('32 parallel guesses get at most five passwords checked; then the right one is refused', async () => {
  const rs = await Promise.all(Array.from({ length: 32 }, (_, i) => login('admin', 'guess-' + i, '127.0.0.2')));
  const checked = count(rs, 401) + rs.filter((r) => r.status === 423 && /after 5/.test(r.body.error.message) && !r.retry?.startsWith('0')).length;
  assert.ok(count(rs, 401) <= 4, `${count(rs, 401)} wrong passwords were answered 401`);
  assert.equal(count(rs, 201), 0);
  assert.ok(checked >= 1);
  for (const r of rs) assert.ok([401, 423, 429].includes(r.status), JSON.stringify(r));
  const right = await login('admin', PASSWORD, '127.0.0.2');
  assert.equal(right.status, 423, JSON.stringify(right));
  assert.ok(Number(right.retry) > 0);
  // the guessing address does not lock the administrator out everywhere
  const elsewhere = await login('admin', PASSWORD, '127.0.0.1');
  assert.equal(elsewhere.status, 201, JSON.stringify(elsewhere));
  await srv.advance(16 * 60);
});

test('unknown names answer exactly as real ones, lock included', async () => {
  const seq = async (name) => {
    const out = [];
    for (let i = 0; i < 6; i++) {
      const r = await login(name, 'wrong-' + i, '127.0.0.3');
      out.push([r.status, r.body.error.code, r.body.error.message.replace(/\d+ minutes/, 'N minutes')]);
    }
    return out;
  };
  const real = await seq('leader');
  const unknown = await seq('no-such-user');
  assert.deepEqual(unknown, real);
  assert.deepEqual(real.map((x) => x[0]), [401, 401, 401, 401, 423, 423]);
  await srv.advance(16 * 60);
});

test('failures from many addresses lock a name for everyone', async () => {
  for (const a of ['127.0.0.4', '127.0.0.5', '127.0.0.6', '127.0.0.7'])
    for (let i = 0; i < 5; i++) await login('street', 'wrong-' + i, a);
  const r = await login('street', PASSWORD, '127.0.0.8');
  assert.equal(r.status, 423, JSON.stringify(r));
  await srv.advance(16 * 60);
  assert.equal((await login('street', PASSWORD, '127.0.0.8')).status, 201);
});

describe('per-address throttling', () => {
  let s2;
  before(async () => { s2 = await startServer({ args: ['--login-rate', '5'] }); });
  after(async () => { assert.equal((await s2.stop()).code, 0); });
  test('the sixth attempt in a minute from one address is 429 with Retry-After', async () => {
    const rs = [];
    for (let i = 0; i < 6; i++) rs.push(await s2.request('POST', '/api/v1/session', { body: { name: 'n' + i, password: 'x' } }));
    assert.deepEqual(rs.map((r) => r.status), [401, 401, 401, 401, 401, 429]);
    assert.ok(Number(rs[5].headers.get('retry-after')) >= 1);
    await s2.advance(60);
    assert.equal((await s2.request('POST', '/api/v1/session', { body: { name: 'admin', password: PASSWORD } })).status, 201);
  });
});
