// SPDX-License-Identifier: Apache-2.0
// API keys for intake clients: `gridgov apikey add` prints the key once and stores only
// its hash; the key works (header or api_key field) on routes that take keys, within
// its scope, and nowhere else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, makeDatabase, gridgov, dbContains } from './lib/harness.mjs';

const LON = 104.0553, LAT = 30.6677; // 510105018006 of the demo map

test('an API key takes hotline orders within its scope and only where keys are allowed', async () => {
  const d = makeDatabase({ map: true });
  let r = gridgov(['apikey', 'add', '--db', d.db, '--name', '12345-gateway']);
  assert.equal(r.status, 0, r.stderr);
  const key = r.stdout.trim();
  assert.match(key, /^[A-Za-z0-9_-]{40,}$/);
  assert.match(r.stderr, /shown only this once/);
  assert.ok(!dbContains(d.db, key), 'only the hash is stored');
  r = gridgov(['apikey', 'add', '--db', d.db, '--name', '12345-gateway']);
  assert.notEqual(r.status, 0, 'names are unique');
  r = gridgov(['apikey', 'add', '--db', d.db, '--name', 'street-only', '--scope', '510105002']);
  assert.equal(r.status, 0, r.stderr);
  const narrow = r.stdout.trim();
  assert.notEqual(gridgov(['apikey', 'add', '--db', d.db, '--name', 'x', '--scope', 'nope']).status, 0);

  const srv = await startServer({ db: d.db, dir: d.dir });
  try {
    const order = { order_no: 'K1', content: '路灯不亮', lon: LON, lat: LAT };
    r = await srv.request('POST', '/api/v1/intake/hotline', { body: order, headers: { 'x-api-key': key } });
    assert.equal(r.status, 201, r.text);
    const id = r.body.case_id;
    // the api_key field works too, and the order stays idempotent
    r = await srv.request('POST', '/api/v1/intake/hotline', { body: { ...order, api_key: key } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.case_id, id);
    // the trail names the key
    const op = await srv.as('operator');
    const c = await op.get(`/api/v1/cases/${id}`);
    assert.equal(c.body.timeline[0].actor, 'key:12345-gateway');
    // a wrong key, no key, a key on a route that takes none
    r = await srv.request('POST', '/api/v1/intake/hotline', { body: order, headers: { 'x-api-key': 'wrong' } });
    assert.equal(r.status, 401);
    assert.match(r.body.error.message, /API key/);
    assert.equal((await srv.request('POST', '/api/v1/intake/hotline', { body: order })).status, 401);
    assert.equal((await srv.request('GET', '/api/v1/cases', { headers: { 'x-api-key': key } })).status, 401);
    assert.equal((await srv.request('GET', `/api/v1/cases?api_key=${key}`)).status, 401);
    // a key scoped to another street may not place an order here
    r = await srv.request('POST', '/api/v1/intake/hotline', { body: { ...order, order_no: 'K2' }, headers: { 'x-api-key': narrow } });
    assert.equal(r.status, 403, r.text);
  } finally {
    assert.equal((await srv.stop()).code, 0);
  }
});
