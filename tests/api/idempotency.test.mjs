// SPDX-License-Identifier: Apache-2.0
// Idempotency keys (issue 14, item 12): the field app's offline queue may send a report,
// an action or a citizen report twice (the answer to the first was lost). With the same
// Idempotency-Key and the same fields the second send answers the first one's case (the
// same id, the same tracking code) and nothing new is written; the same key with other
// fields is refused with 409 conflict naming the field idempotency_key; a malformed key is
// 422. Keys are their sender's: another user's same key makes their own case. Also: a grid
// worker without a position reports into their own grid; a citizen chooses among city
// components and events only; a citizen's lookup shows the department's reply (a field of
// 处置, never the internal note) and its after photos, served under the tracking code only.
// Runs on SQLite, and on PostgreSQL with GRIDGOV_TEST_DB=pg.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/harness.mjs';
import { tinyJpeg } from './lib/images.mjs';

const LON = 104.0553, LAT = 30.6677; // inside 510105018006 七里沟社区 of the demo map
const USERS = [
  { name: 'admin', role: 'admin' },
  { name: 'operator', role: 'operator', scope: '510105' },
  { name: 'worker', role: 'grid_worker', scope: '510105018006' },
  { name: 'worker2', role: 'grid_worker', scope: '510105018006' },
  { name: 'dept', role: 'department', dept: 'CGZF', scope: '510105' },
];

function form(fields, photo) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  if (photo) fd.append('photo', new Blob([photo], { type: 'image/jpeg' }), 'p.jpg');
  return fd;
}

describe('idempotency keys', () => {
  let srv, u = {};
  before(async () => {
    srv = await startServer({ setup: { map: true, users: USERS }, args: ['--report-rate', '0'] });
    for (const n of ['operator', 'worker', 'worker2', 'dept']) u[n] = await srv.as(n);
    await srv.setClock('2026-03-09T09:00:00+08:00');
  });
  after(async () => { assert.equal((await srv.stop()).code, 0); });

  const send = (who, path, body, key) => srv.request('POST', path, { token: who.token, body, headers: key ? { 'idempotency-key': key } : {} });
  /** Cases (seen by the operator) whose description is desc. */
  const count = async (desc) => (await u.operator.get('/api/v1/cases?per_page=100')).body.items.filter((c) => c.description === desc).length;

  test('a case sent twice with one key is made once; the replay answers the same case', async () => {
    const body = { category: 'E0101', description: '离线上报 一次', channel: 'worker', lon: LON, lat: LAT };
    const key = 'k-0f6c2a51-9d7e-4b1a-a1f3-000000000001';
    const first = await send(u.worker, '/api/v1/cases', body, key);
    assert.equal(first.status, 201, first.text);
    const again = await send(u.worker, '/api/v1/cases', body, key);
    assert.equal(again.status, 201, again.text);
    assert.equal(again.body.id, first.body.id);
    assert.equal(again.body.description, '离线上报 一次');
    assert.equal(await count('离线上报 一次'), 1);
    // without a key the same body is a second case, as before
    const plain = await send(u.worker, '/api/v1/cases', body);
    assert.equal(plain.status, 201);
    assert.notEqual(plain.body.id, first.body.id);
    assert.equal(await count('离线上报 一次'), 2);
  });

  test('the same key with other fields is 409 idempotency_key; a malformed key is 422', async () => {
    const key = 'k-0f6c2a51-9d7e-4b1a-a1f3-000000000002';
    const body = { category: 'E0101', description: '键冲突', channel: 'worker', lon: LON, lat: LAT };
    assert.equal((await send(u.worker, '/api/v1/cases', body, key)).status, 201);
    const other = await send(u.worker, '/api/v1/cases', { ...body, description: '键冲突 另一个' }, key);
    assert.equal(other.status, 409, other.text);
    assert.equal(other.body.error.code, 'conflict');
    assert.equal(other.body.error.field, 'idempotency_key');
    assert.equal(await count('键冲突 另一个'), 0, 'the refused write left nothing');
    // the key is the request's, not the route's: used on an action it is refused too
    const cross = await send(u.worker, `/api/v1/cases/1/actions`, { action: 'file' }, key);
    assert.equal(cross.status, 409, cross.text);
    for (const bad of ['short', 'x'.repeat(65), 'has space in it', 'semi;colons;here']) {
      const r = await send(u.worker, '/api/v1/cases', body, bad);
      assert.equal(r.status, 422, `${bad}: ${r.text}`);
      assert.equal(r.body.error.field, 'idempotency_key');
    }
  });

  test("keys are their sender's: another worker's same key makes their own case", async () => {
    const key = 'k-0f6c2a51-9d7e-4b1a-a1f3-000000000003';
    const body = { category: 'E0101', description: '同键不同人', channel: 'worker', lon: LON, lat: LAT };
    const a = await send(u.worker, '/api/v1/cases', body, key);
    const b = await send(u.worker2, '/api/v1/cases', body, key);
    assert.equal(a.status, 201);
    assert.equal(b.status, 201);
    assert.notEqual(a.body.id, b.body.id);
  });

  test('an action replayed with its key succeeds once (without the key the replay is refused)', async () => {
    const c = (await send(u.worker, '/api/v1/cases', { category: 'E0101', description: '动作重放', channel: 'worker', lon: LON, lat: LAT })).body;
    const key = 'a-0f6c2a51-9d7e-4b1a-a1f3-000000000004';
    const one = await send(u.operator, `/api/v1/cases/${c.id}/actions`, { action: 'file' }, key);
    assert.equal(one.status, 200, one.text);
    const two = await send(u.operator, `/api/v1/cases/${c.id}/actions`, { action: 'file' }, key);
    assert.equal(two.status, 200, two.text);
    assert.equal(two.body.id, c.id);
    assert.equal(two.body.state, one.body.state);
    const trail = (await u.operator.get(`/api/v1/cases/${c.id}`)).body.timeline ?? [];
    if (trail.length) assert.equal(trail.filter((e) => e.action === 'file').length, 1, 'filed once');
    const plain = await send(u.operator, `/api/v1/cases/${c.id}/actions`, { action: 'file' });
    assert.equal(plain.status, 409, 'without the key the second file is refused by the state machine');
  });

  test('a citizen report sent twice (multipart, new boundary) keeps one case and one code', async () => {
    const key = 'r-0f6c2a51-9d7e-4b1a-a1f3-000000000005';
    const fields = { description: '市民离线上报', lon: String(LON), lat: String(LAT), category: 'E0101' };
    const photo = tinyJpeg();
    const one = await srv.request('POST', '/api/v1/public/reports', { body: form(fields, photo), headers: { 'idempotency-key': key } });
    assert.equal(one.status, 201, one.text);
    const two = await srv.request('POST', '/api/v1/public/reports', { body: form(fields, photo), headers: { 'idempotency-key': key } });
    assert.equal(two.status, 201, two.text);
    assert.equal(two.body.code, one.body.code);
    assert.equal(await count('市民离线上报'), 1);
    const other = await srv.request('POST', '/api/v1/public/reports', { body: form({ ...fields, description: '别的' }, photo), headers: { 'idempotency-key': key } });
    assert.equal(other.status, 409, other.text);
    assert.equal(other.body.error.field, 'idempotency_key');
  });

  test('a grid worker without a position reports into their own grid', async () => {
    const r = await send(u.worker, '/api/v1/cases', { category: 'E0101', description: '无定位', channel: 'worker' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.grid, '510105018006');
    // the center still has to say where
    const op = await send(u.operator, '/api/v1/cases', { category: 'E0101', description: '无定位 坐席', channel: 'phone' });
    assert.equal(op.status, 422, op.text);
    assert.equal(op.body.error.field, 'grid');
  });

  test('a citizen chooses among city components and events only (部件/事件), the server holds to it', async () => {
    const all = (await srv.request('GET', '/api/v1/categories')).body.items;
    const mine = (await srv.request('GET', '/api/v1/categories?citizen=true')).body.items;
    assert.ok(mine.length > 100 && mine.length < all.length, `${mine.length} of ${all.length}`);
    assert.ok(mine.every((c) => c.citizen === true && (c.kind === '部件' || c.kind === '事件')));
    assert.ok(all.some((c) => c.kind === '社会治理' && c.citizen === false));
    const r = await srv.request('POST', '/api/v1/public/reports', { body: form({ description: '邻居吵闹', lon: String(LON), lat: String(LAT), category: 'G010101' }) });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.body.error.field, 'category');
    // staff still file such a case
    const w = await send(u.worker, '/api/v1/cases', { category: 'G010101', description: '邻里纠纷', channel: 'worker' });
    assert.equal(w.status, 201, w.text);
  });

  test('the public map: community outlines with code and name only, for placing a report', async () => {
    const r = await srv.request('GET', '/api/v1/public/map.geojson');
    assert.equal(r.status, 200, r.text);
    assert.ok(r.body.features.length > 5);
    for (const f of r.body.features) {
      assert.deepEqual(Object.keys(f.properties).sort(), ['code', 'name']);
      assert.equal(f.properties.code.length, 12, 'communities only');
      assert.match(f.geometry.type, /Polygon/);
    }
    // the staff map still needs a login
    assert.equal((await srv.request('GET', '/api/v1/grids.geojson')).status, 401);
  });

  test('a reply goes only with handle or self_close', async () => {
    const c = (await send(u.worker, '/api/v1/cases', { category: 'E0101', description: '答复位置', channel: 'worker' })).body;
    const r = await u.operator.post(`/api/v1/cases/${c.id}/actions`, { action: 'file', reply: '不该在这里' });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.body.error.field, 'reply');
  });

  test("the lookup shows the department's reply (not the internal note) and after photo, served under the code only", async () => {
    const r = await srv.request('POST', '/api/v1/public/reports', { body: form({ description: '井盖缺失', lon: String(LON), lat: String(LAT), category: 'E0101' }) });
    assert.equal(r.status, 201, r.text);
    const code = r.body.code;
    const c = (await u.operator.get('/api/v1/cases?channel=citizen&per_page=100')).body.items.find((x) => x.description === '井盖缺失');
    const [after] = await u.dept.upload(tinyJpeg(7));
    for (const [who, action, extra] of [[u.operator, 'file'], [u.operator, 'dispatch', { note: '请处置' }], [u.dept, 'accept'],
      [u.dept, 'handle', { note: '处置人 李四 13900000000', reply: '已补装井盖，感谢您的反映', attachments: [after] }]]) {
      const x = await who.post(`/api/v1/cases/${c.id}/actions`, { action, ...extra });
      assert.equal(x.status, 200, `${action}: ${x.text}`);
    }
    const look = await srv.request('GET', `/api/v1/public/reports/${code}`);
    assert.equal(look.status, 200, look.text);
    assert.equal(look.body.reply.text, '已补装井盖，感谢您的反映');
    assert.match(look.body.reply.at, /^\d{4}-\d\d-\d\dT/);
    for (const secret of ['李四', '13900000000']) assert.ok(!look.text.includes(secret), `the lookup leaks ${secret}`);
    assert.deepEqual(look.body.after_photos, [`/api/v1/public/reports/${code}/photos/${after}`]);
    const img = await fetch(srv.url + look.body.after_photos[0]);
    assert.equal(img.status, 200);
    assert.equal(img.headers.get('content-type'), 'image/jpeg');
    // a photo the report does not list, and the listed photo under another code, are not served
    const [other] = await u.dept.upload(tinyJpeg(8));
    assert.equal((await fetch(`${srv.url}/api/v1/public/reports/${code}/photos/${other}`)).status, 404);
    const r2 = await srv.request('POST', '/api/v1/public/reports', { body: form({ description: '别的上报', lon: String(LON), lat: String(LAT) }) });
    assert.equal((await fetch(`${srv.url}/api/v1/public/reports/${r2.body.code}/photos/${after}`)).status, 404);
  });
});
