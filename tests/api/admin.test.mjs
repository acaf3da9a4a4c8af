// SPDX-License-Identifier: Apache-2.0
// The administration API (issue 14, item 11): users (add, role, scope, department, lock,
// reset password), departments, categories' time limits, API keys and devices, all for
// admins only, each bounded by the admin's own scope and written to the audit log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, makeDatabase, gridgovOk, DATA, PASSWORD, dbContains, PG } from './lib/harness.mjs';

async function setup() {
  const d = makeDatabase();
  gridgovOk(['import', 'categories', '--db', d.db, path.join(DATA, 'categories.csv')]);
  gridgovOk(['user', 'add', '--db', d.db, '--name', 'street-admin', '--role', 'admin', '--scope', '510105002'], { input: `${PASSWORD}\n` });
  return startServer({ db: d.db, dir: d.dir });
}

test('only admins reach the admin routes; a street admin cannot make a user wider than itself', async () => {
  const srv = await setup();
  try {
    for (const who of ['operator', 'street', 'dept']) {
      const c = await srv.as(who);
      assert.equal((await c.get('/api/v1/admin/users')).status, 403, who);
      const r = await c.post('/api/v1/admin/users', { name: 'x', role: 'street', scope: '510105002' });
      assert.equal(r.status, 403, who);
      assert.equal((await c.get('/api/v1/admin/apikeys')).status, 403, who);
      assert.equal((await c.get('/api/v1/admin/devices')).status, 403, who);
    }
    const sa = await srv.as('street-admin');
    // inside its street: fine, a temporary password comes back once
    let r = await sa.post('/api/v1/admin/users', { name: 'cw1', role: 'community', scope: '510105002002' });
    assert.equal(r.status, 201, r.text);
    assert.match(r.body.temporary_password, /^[A-Za-z0-9_-]{12}$/);
    const first = await srv.request('POST', '/api/v1/session', { body: { name: 'cw1', password: r.body.temporary_password } });
    assert.equal(first.status, 201, first.text);
    assert.equal(first.body.must_change_password, true, 'a temporary password is changed at the first login');
    // district-wide, whole-tree, or another street: refused
    for (const scope of ['510105', '', '510105001']) {
      r = await sa.post('/api/v1/admin/users', { name: `wide${scope}`, role: scope ? 'street' : 'admin', scope });
      assert.equal(r.status, 403, `${scope}: ${r.text}`);
      assert.equal(r.body.error.field, 'scope');
    }
    // the street admin lists only its street's users
    r = await sa.get('/api/v1/admin/users');
    assert.equal(r.status, 200);
    const names = r.body.items.map((u) => u.name).sort();
    assert.deepEqual(names, ['community', 'cw1', 'street', 'street-admin', 'worker'].sort());
    assert.ok(!JSON.stringify(r.body).includes('argon2'), 'no password hashes');
    // nor may it widen one of its users, or touch a user outside
    const cw1 = r.body.items.find((u) => u.name === 'cw1');
    r = await sa.put(`/api/v1/admin/users/${cw1.id}`, { scope: '510105' });
    assert.equal(r.status, 403, r.text);
    const admin = await srv.as('admin');
    const all = (await admin.get('/api/v1/admin/users?per_page=200')).body;
    assert.equal(all.total, 9);
    const op = all.items.find((u) => u.name === 'operator');
    assert.equal((await sa.post(`/api/v1/admin/users/${op.id}/lock`)).status, 404);
    // paging and search
    r = await admin.get('/api/v1/admin/users?per_page=2&page=2');
    assert.equal(r.body.items.length, 2);
    assert.equal(r.body.total, 9);
    r = await admin.get('/api/v1/admin/users?q=510105002002');
    assert.deepEqual(r.body.items.map((u) => u.name).sort(), ['community', 'cw1', 'worker']);
    // validation names the field
    r = await admin.post('/api/v1/admin/users', { name: 'bad', role: 'street' });
    assert.equal(r.status, 422);
    assert.equal(r.body.error.field, 'scope');
    r = await admin.post('/api/v1/admin/users', { name: 'bad', role: 'department', scope: '510105', dept: 'NOPE' });
    assert.equal(r.body.error.field, 'dept');
    r = await admin.post('/api/v1/admin/users', { name: 'bad', role: 'nobody', scope: '510105' });
    assert.equal(r.body.error.field, 'role');
    r = await admin.post('/api/v1/admin/users', { name: 'operator', role: 'operator', scope: '510105' });
    assert.equal(r.status, 409);
  } finally {
    assert.equal((await srv.stop()).code, 0);
  }
});

test('lock ends live sessions at once; a reset password must be changed before anything else', async () => {
  const srv = await setup();
  try {
    const admin = await srv.as('admin');
    const users = (await admin.get('/api/v1/admin/users?q=worker')).body.items;
    const worker = users.find((u) => u.name === 'worker');
    const w = await srv.as('worker');
    assert.equal((await w.get('/api/v1/session')).status, 200);
    let r = await admin.post(`/api/v1/admin/users/${worker.id}/lock`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.locked, true);
    assert.equal((await w.get('/api/v1/session')).status, 401, 'the live session ends at once');
    r = await srv.request('POST', '/api/v1/session', { body: { name: 'worker', password: PASSWORD } });
    assert.equal(r.status, 401, 'no login while locked');
    r = await admin.post(`/api/v1/admin/users/${worker.id}/unlock`);
    assert.equal(r.body.locked, false);
    await srv.login('worker');
    // an admin cannot lock itself out
    const me = (await admin.get('/api/v1/admin/users?q=admin')).body.items.find((u) => u.name === 'admin');
    assert.equal((await admin.post(`/api/v1/admin/users/${me.id}/lock`)).status, 403);

    // reset: the old password stops, the temporary one works once and must be changed
    const w2 = await srv.as('worker');
    r = await admin.post(`/api/v1/admin/users/${worker.id}/reset`);
    assert.equal(r.status, 200, r.text);
    const temp = r.body.temporary_password;
    assert.ok(temp && !dbContains(srv.db, temp), 'only the hash is stored');
    assert.equal((await w2.get('/api/v1/session')).status, 401, 'sessions end on a reset');
    r = await srv.request('POST', '/api/v1/session', { body: { name: 'worker', password: PASSWORD } });
    assert.equal(r.status, 401);
    r = await srv.request('POST', '/api/v1/session', { body: { name: 'worker', password: temp } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.must_change_password, true);
    const token = r.body.token;
    r = await srv.request('GET', '/api/v1/cases', { token });
    assert.equal(r.status, 403);
    assert.equal(r.body.error.field, 'password_change');
    r = await srv.request('POST', '/api/v1/session/password', { token, body: { old_password: 'wrong-one', new_password: 'new-password-2' } });
    assert.equal(r.status, 422);
    assert.equal(r.body.error.field, 'old_password');
    r = await srv.request('POST', '/api/v1/session/password', { token, body: { old_password: temp, new_password: 'short' } });
    assert.equal(r.body.error.field, 'new_password');
    r = await srv.request('POST', '/api/v1/session/password', { token, body: { old_password: temp, new_password: 'new-password-2' } });
    assert.equal(r.status, 200, r.text);
    assert.equal((await srv.request('GET', '/api/v1/cases', { token })).status, 200);
    await srv.login('worker', 'new-password-2');

    // role, scope and department change
    r = await admin.put(`/api/v1/admin/users/${worker.id}`, { role: 'department', dept: 'HW', scope: '510105' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.role, 'department');
    assert.equal(r.body.dept, 'HW');

    const log = (await admin.get('/api/v1/admin/audit?per_page=50')).body;
    const actions = log.items.map((e) => `${e.action} ${e.target}`);
    for (const a of ['user.lock worker', 'user.unlock worker', 'user.reset worker', 'user.password worker', 'user.edit worker'])
      assert.ok(actions.includes(a), a);
    assert.ok(!JSON.stringify(log).includes(temp), 'no secret in the audit log');
    // a street admin reads the entries about its street only
    const sa = await srv.as('street-admin');
    const mine = (await sa.get('/api/v1/admin/audit?per_page=200')).body;
    assert.ok(mine.total === 4 && mine.total < log.total, `${mine.total} of ${log.total}`);
    assert.ok(mine.items.every((e) => e.target === 'worker'), JSON.stringify(mine.items.map((e) => e.target)));
  } finally {
    assert.equal((await srv.stop()).code, 0);
  }
});

test('departments, category limits, API keys (shown once, revocable) and devices', async () => {
  const srv = await setup();
  try {
    const admin = await srv.as('admin');
    let r = await admin.post('/api/v1/admin/departments', { code: 'WGB', name: '网格化服务管理中心', name_en: 'Grid Service Center' });
    assert.equal(r.status, 201, r.text);
    assert.equal((await admin.post('/api/v1/admin/departments', { code: 'WGB', name: 'x' })).status, 409);
    assert.equal((await admin.post('/api/v1/admin/departments', { code: 'bad code', name: 'x' })).body.error.field, 'code');
    r = await admin.put('/api/v1/admin/departments/WGB', { name: '网格中心' });
    assert.equal(r.status, 200, r.text);
    r = await admin.get('/api/v1/departments');
    assert.equal(r.body.items.find((d) => d.code === 'WGB').name, '网格中心');

    r = await admin.put('/api/v1/categories/C0101', { limit_general_h: 2, limit_engineering_h: 48, limit_special_h: 96 });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.limits_h, { general: 2, engineering: 48, special: 96 });
    r = await admin.put('/api/v1/categories/C0101', { limit_general_h: 100, limit_engineering_h: 48 });
    assert.equal(r.status, 422);
    const street = await srv.as('street');
    assert.equal((await street.put('/api/v1/categories/C0101', { limit_general_h: 3 })).status, 403);

    r = await admin.post('/api/v1/admin/apikeys', { name: 'gateway', scope: '510105' });
    assert.equal(r.status, 201, r.text);
    const key = r.body.key;
    assert.ok(!dbContains(srv.db, key), 'only the hash is stored');
    r = await admin.get('/api/v1/admin/apikeys');
    assert.deepEqual(r.body.items.map((k) => [k.name, k.revoked]), [['gateway', false]]);
    assert.ok(!('key' in r.body.items[0]) && !r.text.includes(key));
    const order = { order_no: 'K1', content: '路灯不亮', lon: 104.05, lat: 30.66 };
    r = await srv.request('POST', '/api/v1/intake/hotline', { body: order, headers: { 'x-api-key': key } });
    assert.notEqual(r.status, 401, r.text);
    const sa = await srv.as('street-admin');
    assert.equal((await sa.post('/api/v1/admin/apikeys', { name: 'wide', scope: '510105' })).status, 403);
    assert.equal((await sa.get('/api/v1/admin/apikeys')).body.items.length, 0, 'a district key is not the street admin\'s');
    const id = (await admin.get('/api/v1/admin/apikeys')).body.items[0].id;
    assert.equal((await sa.post(`/api/v1/admin/apikeys/${id}/revoke`)).status, 404);
    r = await admin.post(`/api/v1/admin/apikeys/${id}/revoke`);
    assert.equal(r.status, 200, r.text);
    r = await srv.request('POST', '/api/v1/intake/hotline', { body: order, headers: { 'x-api-key': key } });
    assert.equal(r.status, 401, 'a revoked key stops at once');

    r = await admin.post('/api/v1/admin/devices', { id: 'cam-1', type: 'camera', category: 'C0101', lon: 104.05, lat: 30.66 });
    assert.equal(r.status, 201, r.text);
    assert.match(r.body.key, /^[A-Za-z0-9_-]{40,}$/);
    r = await admin.post('/api/v1/admin/devices', { id: 'gps-1', type: 'tracker', user: 'worker' });
    assert.equal(r.status, 201, r.text);
    r = await admin.post('/api/v1/admin/devices', { id: 'gps-2', type: 'tracker', user: 'nobody' });
    assert.equal(r.body.error.field, 'user');
    r = await admin.post('/api/v1/admin/devices', { id: 'cam-1', type: 'camera', category: 'C0101', lon: 104.05, lat: 30.66 });
    assert.equal(r.status, 409);
    r = await admin.post('/api/v1/admin/devices', { id: 'x', type: 'toaster' });
    assert.equal(r.body.error.field, 'type');
    r = await admin.get('/api/v1/admin/devices');
    assert.deepEqual(r.body.items.map((d) => [d.id, d.type, d.user ?? null, d.category ?? null]),
      [['cam-1', 'camera', null, 'C0101'], ['gps-1', 'tracker', 'worker', null]]);
    // a street admin sees its users' trackers, not a device outside its street
    r = await sa.get('/api/v1/admin/devices');
    assert.deepEqual(r.body.items.map((d) => d.id), ['gps-1']);
    r = await sa.post('/api/v1/admin/devices', { id: 'cam-2', type: 'camera', category: 'C0101', lon: 104.05, lat: 30.66 });
    assert.equal(r.status, 403, r.text);
    r = await sa.post('/api/v1/admin/devices', { id: 'gps-3', type: 'tracker', user: 'operator' });
    assert.equal(r.body.error.field, 'user', 'a district user is not the street admin\'s');
    const actions = (await admin.get('/api/v1/admin/audit')).body.items.map((e) => e.action);
    for (const a of ['dept.add', 'dept.edit', 'category.edit', 'apikey.issue', 'apikey.revoke', 'device.add'])
      assert.ok(actions.includes(a), a);
  } finally {
    assert.equal((await srv.stop()).code, 0);
  }
});
