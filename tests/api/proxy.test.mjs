// SPDX-License-Identifier: Apache-2.0
// Per-client limits behind a reverse proxy: with `serve --trusted-proxy CIDR`, requests
// from that proxy are keyed by the client X-Forwarded-For names (its right-most entry, so
// a client cannot pick its key by prepending, nor by sending its own header line before
// the proxy's), in rate limits and the access log; from any other peer the header is
// ignored and every claimed address shares the peer's bucket. Login counters per address
// follow the same key, so one client behind the proxy cannot lock a name for the others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { startServer, gridgov, PASSWORD } from './lib/harness.mjs';

const LIST = '/open311/v2/requests.json'; // public and rate-limited per client (API_RATED)

/** GET path with X-Forwarded-For as given: a string, or an array for several header lines. */
function get(srv, p, xff) {
  const u = new URL(srv.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: u.hostname, port: u.port, path: p, method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    if (xff !== undefined) req.setHeader('X-Forwarded-For', xff);
    req.on('error', reject);
    req.end();
  });
}

/** POST a JSON login with X-Forwarded-For; the status. */
function login(srv, name, password, xff) {
  const u = new URL(srv.url);
  const body = JSON.stringify({ name, password });
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: u.hostname, port: u.port, path: '/api/v1/session', method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-forwarded-for': xff } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('--trusted-proxy refuses what is not an address range', () => {
  for (const bad of ['proxy', '10.0.0.0/33', '127.0.0.1,']) {
    const r = gridgov(['serve', '--db', '/nonexistent', '--trusted-proxy', bad]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /--trusted-proxy: /);
  }
});

test('behind a trusted proxy each client has its own bucket, named by the proxy\'s entry', async () => {
  const srv = await startServer({ args: ['--trusted-proxy', '127.0.0.1/32,::1', '--public-rate', '2'] });
  try {
    assert.equal(await get(srv, LIST, '203.0.113.5'), 200);
    assert.equal(await get(srv, LIST, '203.0.113.5'), 200);
    assert.equal(await get(srv, LIST, '203.0.113.5'), 429);
    // another client behind the same proxy is not held back
    assert.equal(await get(srv, LIST, '203.0.113.6'), 200);
    // prepending addresses does not change the key: the proxy's entry is the last one
    assert.equal(await get(srv, LIST, '198.51.100.1, 198.51.100.2, 203.0.113.5'), 429);
    // nor does a header line of the client's own before the one the proxy added
    assert.equal(await get(srv, LIST, ['198.51.100.3', '203.0.113.5']), 429);
    // without the header the proxy itself is the client
    assert.equal(await get(srv, LIST), 200);
    await new Promise((r) => setTimeout(r, 100));
    const lines = srv.log.split('\n').filter((l) => l.includes('"/open311/v2/requests.json"'));
    assert.ok(lines.some((l) => l.includes('"ip":"203.0.113.5"') && l.includes('"status":429')), lines.join('\n'));
    assert.ok(lines.some((l) => l.includes('"ip":"203.0.113.6"')));
    assert.ok(!lines.some((l) => l.includes('198.51.100.')), 'claimed addresses are never used');
  } finally {
    assert.equal((await srv.stop()).code, 0);
  }
});

test('from a peer that is not a trusted proxy, X-Forwarded-For is ignored', async () => {
  for (const args of [['--trusted-proxy', '10.0.0.0/8'], []]) {
    const srv = await startServer({ args: [...args, '--public-rate', '2'] });
    try {
      assert.equal(await get(srv, LIST, '203.0.113.7'), 200);
      assert.equal(await get(srv, LIST, '203.0.113.8'), 200);
      assert.equal(await get(srv, LIST, '203.0.113.9'), 429, 'every claimed address shares the peer\'s bucket');
    } finally {
      assert.equal((await srv.stop()).code, 0);
    }
  }
});

test('behind a trusted proxy, one client\'s wrong passwords lock a name for that client only', async () => {
  const srv = await startServer({ args: ['--trusted-proxy', '127.0.0.1', '--lock-after', '3'] });
  try {
    const guesses = [];
    for (let i = 0; i < 3; i++) guesses.push(await login(srv, 'admin', 'wrong-guess', '203.0.113.66'));
    assert.deepEqual(guesses, [401, 401, 423]); // the third failure locks
    assert.equal(await login(srv, 'admin', PASSWORD, '203.0.113.66'), 423, 'locked for the guesser');
    assert.equal(await login(srv, 'admin', PASSWORD, '203.0.113.77'), 201, 'not for another client of the proxy');
  } finally {
    assert.equal((await srv.stop()).code, 0);
  }
});
