// SPDX-License-Identifier: Apache-2.0
// Sensor and camera alarms: a registered device's alarm opens a case at the device's
// place; repeated alarms within the window join the open case; later or after closing
// they open a new one; unknown devices and wrong keys are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, makeDatabase, gridgov, dbContains } from './lib/harness.mjs';

test('alarms are located by the device and de-duplicated within the window', async () => {
  const d = makeDatabase({ map: true });
  let r = gridgov(['device', 'add', '--db', d.db, '--id', 'MH-0001', '--type', 'manhole', '--lon', '104.0553', '--lat', '30.6677', '--category', 'C0114']);
  assert.equal(r.status, 0, r.stderr);
  const key = r.stdout.trim();
  assert.ok(!dbContains(d.db, key), 'only the key hash is stored');
  assert.notEqual(gridgov(['device', 'add', '--db', d.db, '--id', 'MH-0001', '--type', 'manhole', '--lon', '104', '--lat', '30', '--category', 'C0114']).status, 0);
  assert.notEqual(gridgov(['device', 'add', '--db', d.db, '--id', 'X', '--type', 'toaster', '--lon', '104', '--lat', '30', '--category', 'C0114']).status, 0);
  assert.notEqual(gridgov(['device', 'add', '--db', d.db, '--id', 'X', '--type', 'smoke', '--lon', '104', '--lat', '30', '--category', 'NOPE']).status, 0);

  const srv = await startServer({ db: d.db, dir: d.dir });
  try {
    const alarm = (extra = {}) => srv.request('POST', '/api/v1/intake/alarms', { body: { device_id: 'MH-0001', device_key: key, type: 'manhole', value: 12.5, ...extra } });
    r = await alarm();
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.joined, false);
    const first = r.body.case_id;
    await srv.advance(10 * 60);
    r = await alarm();
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { case_id: first, joined: true });
    await srv.advance(29 * 60); // within 30 min of the previous alarm
    r = await alarm();
    assert.equal(r.body.case_id, first);
    await srv.advance(31 * 60); // past the window: a new case
    r = await alarm();
    assert.equal(r.status, 201);
    const second = r.body.case_id;
    assert.notEqual(second, first);

    const op = await srv.as('operator');
    const c = (await op.get(`/api/v1/cases/${first}`)).body;
    assert.equal(c.channel, 'sensor');
    assert.equal(c.category, 'C0114');
    assert.equal(c.grid.slice(0, 12), '510105018006');
    assert.match(c.description, /智慧窨井报警 MH-0001/);

    // a rejected case is not joined
    r = await op.post(`/api/v1/cases/${second}/actions`, { action: 'reject', note: '误报' });
    assert.equal(r.status, 200, r.text);
    r = await alarm();
    assert.equal(r.status, 201);
    assert.notEqual(r.body.case_id, second);

    // refusals
    assert.equal((await alarm({ device_key: 'wrong' })).status, 401);
    assert.equal((await alarm({ device_id: 'NOPE' })).status, 401);
    r = await alarm({ type: 'toaster' });
    assert.equal(r.status, 422);
    assert.equal(r.body.error.field, 'type');
    r = await alarm({ time: 'now' });
    assert.equal(r.status, 422);
    assert.equal(r.body.error.field, 'time');
    assert.equal((await op.get('/api/v1/cases?channel=sensor')).body.total, 3);
  } finally {
    assert.equal((await srv.stop()).code, 0);
  }
});
