// SPDX-License-Identifier: Apache-2.0
// 12345 hotline work orders: one case per order number however often it is sent, the
// caller kept sealed, and the webhook outbox reporting each status change back to the
// hotline — signed with HMAC-SHA256, delivered once the receiver comes back, and still
// delivered after the server restarts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, makeDatabase, dbContains, mediaArgs } from './lib/harness.mjs';

const SECRET = 'hotline-shared-secret-42';
const LON = 104.0553, LAT = 30.6677; // inside 510105018006 of the demo map

/** A small webhook receiver on 127.0.0.1 that records verified deliveries. */
function receiver(port = 0) {
  const got = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const want = 'sha256=' + createHmac('sha256', SECRET).update(body).digest('hex');
      got.push({ body: JSON.parse(body), signed: req.headers['x-gridgov-signature'] === want, id: req.headers['x-gridgov-delivery'] });
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({ server, got, port: server.address().port })));
}
const close = (r) => new Promise((resolve) => r.server.close(resolve));

async function waitFor(fn, what) {
  for (let i = 0; i < 150; i++) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

let d, port, secretFile;
before(async () => {
  d = makeDatabase({ map: true });
  secretFile = path.join(d.dir, 'hotline.secret');
  writeFileSync(secretFile, SECRET + '\n');
  const r = await receiver();
  port = r.port;
  await close(r); // the receiver starts down
});

const args = () => ['--hotline-webhook', `http://127.0.0.1:${port}/12345/callback`, '--hotline-secret-file', secretFile];
const ORDER = { order_no: 'GD20260323000101', received_at: '2026-03-23T09:12:00+08:00', caller_name: '王五',
  caller_phone: '13700001111', content: '小区门口占道经营', lon: LON, lat: LAT, category_hint: 'E0501', deadline: '2026-03-25T18:00:00+08:00' };

test('orders are idempotent, callers sealed; the outbox delivers after the receiver returns and after a restart', async () => {
  let srv = await startServer({ db: d.db, args: args() });
  const op = await srv.as('operator');
  const worker = await srv.as('worker');

  const a = await op.post('/api/v1/intake/hotline', ORDER);
  assert.equal(a.status, 201, a.text);
  assert.equal(a.body.duplicate, false);
  assert.equal(a.body.grid.slice(0, 12), '510105018006');
  const b = await op.post('/api/v1/intake/hotline', ORDER);
  assert.equal(b.status, 200, b.text);
  assert.equal(b.body.duplicate, true);
  assert.equal(b.body.case_id, a.body.case_id);
  const id = a.body.case_id;
  const list = await op.get('/api/v1/cases?channel=hotline');
  assert.equal(list.body.total, 1, 'the same order twice is one case');
  const c = list.body.items[0];
  assert.equal(c.category, 'E0501');
  assert.equal(c.description, ORDER.content);
  assert.equal(c.reporter, '12345');
  assert.ok(!JSON.stringify(c).includes(ORDER.caller_phone));

  // refusals: not an operator, missing fields, a bad time
  assert.equal((await worker.post('/api/v1/intake/hotline', { ...ORDER, order_no: 'X1' })).status, 403);
  let r = await op.post('/api/v1/intake/hotline', { order_no: 'X2', content: 'x' });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'address');
  r = await op.post('/api/v1/intake/hotline', { ...ORDER, order_no: 'X3', deadline: 'tomorrow' });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'deadline');
  // an address the map cannot place lands at the operator's district for the center
  r = await op.post('/api/v1/intake/hotline', { order_no: 'GD20260323000102', content: '噪音扰民', address: '青羊区某路 8 号' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.grid, '510105');

  // the receiver is down: the message waits and is retried
  await waitFor(() => /not delivered \(attempt 1\)/.test(srv.log), 'a failed attempt');
  const rec = await receiver(port);
  await srv.advance(700); // past the backoff
  await waitFor(() => rec.got.length >= 2, 'delivery after the receiver came back');
  assert.deepEqual(rec.got.map((m) => [m.body.order_no, m.body.action, m.body.state]),
    [[ORDER.order_no, 'report', 'reported'], ['GD20260323000102', 'report', 'reported']]);
  assert.ok(rec.got.every((m) => m.signed), 'every body carries a valid HMAC-SHA256 signature');
  assert.equal(rec.got[0].body.case_id, id);

  // a status change goes out at once while the receiver is up
  r = await op.post(`/api/v1/cases/${id}/actions`, { action: 'file' });
  assert.equal(r.status, 200, r.text);
  await waitFor(() => rec.got.length >= 3, 'the file event');
  assert.equal(rec.got[2].body.action, 'file');
  assert.equal(rec.got[2].body.state, 'filed');
  assert.equal(rec.got[2].body.state_name, '立案');

  // the receiver goes down, a change is made, the server restarts: nothing is lost
  await close(rec);
  r = await op.post(`/api/v1/cases/${id}/actions`, { action: 'dispatch', department: 'CGZF', note: '请尽快处置' });
  assert.equal(r.status, 200, r.text);
  await waitFor(() => /not delivered/.test(srv.log.split('\n').filter((l) => l.includes('attempt')).slice(-1)[0] || ''), 'the dispatch waiting');
  assert.equal((await srv.stop({ keep: true })).code, 0);
  assert.ok(!dbContains(d.db, ORDER.caller_phone), 'the caller phone is sealed');

  const rec2 = await receiver(port);
  srv = await startServer({ db: d.db, args: args() });
  try {
    await waitFor(() => rec2.got.length >= 1, 'delivery after the restart');
    assert.equal(rec2.got[0].body.action, 'dispatch');
    assert.equal(rec2.got[0].body.state, 'dispatched');
    assert.equal(rec2.got[0].body.note, '请尽快处置');
    assert.ok(rec2.got[0].signed);
    assert.ok(Number(rec2.got[0].id) > Number(rec.got[2].id));
  } finally {
    await close(rec2);
    assert.equal((await srv.stop()).code, 0);
  }
});

test('serve refuses a webhook without a secret or a non-http URL', async () => {
  const { gridgov } = await import('./lib/harness.mjs');
  let r = gridgov(['serve', '--db', d.db, ...mediaArgs(d.db, d.dir), '--hotline-webhook', 'http://127.0.0.1:9/x']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /hotline-secret-file/);
  r = gridgov(['serve', '--db', d.db, ...mediaArgs(d.db, d.dir), '--listen', '127.0.0.1:0', '--hotline-webhook', 'https://example.org/x', '--hotline-secret-file', secretFile]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /http:\/\//);
});

test('gridgov import hotline: bad rows reported by line and field, good rows kept, reload idempotent', async () => {
  const { gridgov } = await import('./lib/harness.mjs');
  const db = makeDatabase({ map: true, users: [] });
  const csv = path.join(db.dir, 'orders.csv');
  writeFileSync(csv, [
    'order_no,received_at,caller_name,caller_phone,content,address,lon,lat,category_hint,deadline',
    `GD1,2026-03-23T09:00:00+08:00,张三,13700000001,路面破损,,${LON},${LAT},E0501,2026-03-25T18:00:00+08:00`,
    `GD2,2026-03-23T09:05:00+08:00,李四,13700000002,垃圾堆放,,abc,${LAT},,`,
    'GD3,,,,,某路 1 号,,,,',
    'GD4,yesterday,,,噪音,某路 2 号,,,,',
    'GD5,,,,"井盖缺失, 有危险",某路 3 号,,,,',
    `GD1,2026-03-23T09:00:00+08:00,张三,13700000001,路面破损,,${LON},${LAT},E0501,`,
  ].join('\n') + '\n');
  let r = gridgov(['import', 'hotline', '--db', db.db, csv, '--scope', '510105']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /2 new cases, 1 already taken, 3 bad rows/);
  const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith(csv));
  assert.deepEqual(lines.map((l) => l.slice(csv.length + 1).split(': ').slice(0, 2)),
    [['3', 'lon'], ['4', 'content'], ['5', 'received_at']]);

  // loading the same file again takes nothing new
  r = gridgov(['import', 'hotline', '--db', db.db, csv, '--scope', '510105']);
  assert.match(r.stdout, /0 new cases, 3 already taken, 3 bad rows/);

  const srv = await startServer({ db: db.db, args: ['--report-rate', '0'] });
  try {
    gridgov(['user', 'add', '--db', db.db, '--name', 'op2', '--role', 'operator', '--scope', '510105'], { input: 'test-password-1\n' });
    const op = await srv.as('op2');
    const list = await op.get('/api/v1/cases?channel=hotline');
    assert.equal(list.body.total, 2, 'only the good rows became cases');
    const byDesc = Object.fromEntries(list.body.items.map((c) => [c.description, c]));
    assert.equal(byDesc['路面破损'].grid.slice(0, 12), '510105018006');
    assert.equal(byDesc['井盖缺失, 有危险'].grid, '510105');
    assert.equal(byDesc['井盖缺失, 有危险'].category, 'E0199');
    // the import's orders answer the HTTP door too: same order, same case
    const again = await op.post('/api/v1/intake/hotline', { order_no: 'GD1', content: '路面破损', lon: LON, lat: LAT });
    assert.equal(again.status, 200);
    assert.equal(again.body.case_id, byDesc['路面破损'].id);
  } finally {
    assert.equal((await srv.stop()).code, 0);
  }
});
