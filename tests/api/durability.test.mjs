// SPDX-License-Identifier: Apache-2.0
// Durability under kill -9 (issue 12): while 16 clients create cases as fast as they can,
// the server is killed with SIGKILL; restarted on the same database, every case whose
// creation was acknowledged (201) is there, and the trail still verifies. Bounded: about
// two seconds of load on 127.0.0.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, makeDatabase, gridgov } from './lib/harness.mjs';

const LON = 104.0553, LAT = 30.6677;

test('every acknowledged case survives kill -9', async (t) => {
  const d = makeDatabase({ map: true });
  let srv = await startServer({ db: d.db, dir: d.dir });
  const op = await srv.as('operator');
  const acked = [];
  let stop = false;
  const client = async () => {
    while (!stop) {
      try {
        const r = await op.post('/api/v1/cases', { category: 'E0199', description: '持久', channel: 'grid_app', lon: LON, lat: LAT });
        if (r.status === 201) acked.push(r.body.id);
        else if (!stop) assert.fail(`create: ${r.status} ${r.text}`);
      } catch { return; } // the connection died with the server
    }
  };
  const clients = Array.from({ length: 16 }, client);
  await new Promise((r) => setTimeout(r, 2000));
  srv.child.kill('SIGKILL');
  const gone = await srv.stop({ keep: true });
  stop = true;
  await Promise.all(clients);
  assert.equal(gone.signal, 'SIGKILL');
  assert.ok(acked.length > 20, `only ${acked.length} cases acknowledged`);
  t.diagnostic(`${acked.length} cases acknowledged before kill -9`);

  srv = await startServer({ db: d.db, dir: d.dir });
  try {
    const again = await srv.as('operator');
    const missing = [];
    for (const id of acked) if ((await again.get(`/api/v1/cases/${id}`)).status !== 200) missing.push(id);
    assert.deepEqual(missing, [], `${missing.length} of ${acked.length} acknowledged cases lost`);
  } finally {
    assert.equal((await srv.stop({ keep: true })).code, 0);
  }
  const v = gridgov(['audit', 'verify', '--db', d.db]);
  assert.equal(v.status, 0, v.stdout + v.stderr);
  assert.match(v.stdout, /, 0 breaks/);
});
