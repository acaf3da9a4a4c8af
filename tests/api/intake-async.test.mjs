// SPDX-License-Identifier: Apache-2.0
// Writes that suspend their connection until the commit (issue 11, item 7): case creation
// runs on libmicrohttpd's polling threads and answers only after its group commit, while
// reads run on workers. An acknowledged case is at once visible to any other client; a
// mix of writes and long reads all get answered; SIGTERM in the middle of a burst lets
// the suspended writes finish, exits 0 and loses nothing acknowledged. Bounded: about
// three seconds of load on 127.0.0.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, makeDatabase, gridgov, gridgovOk, DATA } from './lib/harness.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const newCase = (i) => ({ category: 'E0199', description: `异步 ${i}`, channel: 'grid_app', grid: '510105002002' });
/** Divisions and categories, no map: quick to make, and cases name their grid. */
function database() {
  const d = makeDatabase();
  gridgovOk(['import', 'categories', '--db', d.db, path.join(DATA, 'categories.csv')]);
  return d;
}

test('an acknowledged case is visible at once, and reads keep answering beside the writes', async () => {
  const d = database();
  const srv = await startServer({ db: d.db, dir: d.dir });
  try {
    const op = await srv.as('operator');
    const reader = await srv.as('operator');
    // until 48 cases and 12 long reads are done side by side (a count, not a time: the
    // machine's speed is a benchmark's business)
    let n = 0, reads = 0;
    const unseen = [], failed = [];
    const enough = () => (n >= 48 && reads >= 12) || failed.length > 0;
    const writer = async () => {
      while (!enough()) {
        const r = await op.post('/api/v1/cases', newCase(n++));
        if (r.status !== 201) { failed.push(`create ${r.status} ${r.text}`); return; }
        // another connection, another thread: the commit came before the answer
        const g = await reader.get(`/api/v1/cases/${r.body.id}`);
        if (g.status !== 200 || g.body.id !== r.body.id) unseen.push(r.body.id);
      }
    };
    const longReads = async () => {
      while (!enough()) {
        for (const p of ['/api/v1/stats/indicators', '/api/v1/cases?per_page=50', '/api/v1/stats/heatmap']) {
          const r = await reader.get(p);
          if (r.status !== 200) failed.push(`${p} ${r.status} ${r.text}`);
          reads++;
        }
      }
    };
    await Promise.all([...Array.from({ length: 12 }, writer), longReads(), longReads()]);
    assert.deepEqual(failed, []);
    assert.deepEqual(unseen, [], `${unseen.length} acknowledged cases not visible right after`);
    assert.ok(n >= 48 && reads >= 12, `only ${n} cases and ${reads} reads`);
  } finally {
    assert.equal((await srv.stop()).code, 0);
  }
});

test('SIGTERM during a burst of writes: exit 0, every acknowledged case kept', async (t) => {
  const d = database();
  let srv = await startServer({ db: d.db, dir: d.dir });
  const op = await srv.as('operator');
  const acked = [];
  let stop = false;
  const client = async (k) => {
    for (let i = 0; !stop; i++) {
      try {
        const r = await op.post('/api/v1/cases', newCase(`${k}.${i}`));
        if (r.status === 201) acked.push(r.body.id);
        else return; // refused while stopping: fine, as long as it was not acknowledged
      } catch { return; } // the connection closed with the server
    }
  };
  const clients = Array.from({ length: 24 }, (_, k) => client(k));
  await sleep(1000);
  const gone = await srv.stop({ keep: true });
  stop = true;
  await Promise.all(clients);
  assert.equal(gone.code, 0, `exit ${gone.code} ${gone.signal}: ${srv.log.slice(-2000)}`);
  assert.ok(acked.length > 20, `only ${acked.length} cases acknowledged`);
  t.diagnostic(`${acked.length} cases acknowledged before SIGTERM`);

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
