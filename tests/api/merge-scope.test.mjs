// SPDX-License-Identifier: Apache-2.0
// Scope leak through merge (issue 12, item 2): an operator of one street must not merge a
// case of theirs into a case of another street: the merged case's reporter would then see
// the other street's case, and a merge_in entry would be written into its trail. The
// domain answers a target the actor may not see as if it did not exist (422 on "into").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, makeDatabase, gridgovOk, DATA, USERS } from './lib/harness.mjs';

let srv, u = {};
before(async () => {
  const users = [...USERS,
    { name: 'op_street', role: 'operator', scope: '510105002' },
    { name: 'worker_far', role: 'grid_worker', scope: '510105003003' }];
  const d = makeDatabase({ users });
  gridgovOk(['import', 'categories', '--db', d.db, path.join(DATA, 'categories.csv')]);
  srv = await startServer({ db: d.db, dir: d.dir });
  for (const n of ['op_street', 'worker', 'worker_far', 'operator']) u[n] = await srv.as(n);
});
after(async () => { assert.equal((await srv.stop()).code, 0); });

const report = async (who, grid) => {
  const r = await who.post('/api/v1/cases', { category: 'E0201', description: '垃圾堆放', channel: 'grid_app', grid });
  assert.equal(r.status, 201, r.text);
  return r.body;
};

test('merging into a case outside the caller\'s scope is refused and leaves no trace', async () => {
  const mine = await report(u.worker, '510105002002');
  const far = await report(u.worker_far, '510105003003');
  assert.equal((await u.op_street.get(`/api/v1/cases/${far.id}`)).status, 403, 'the target is outside the operator\'s street');
  const m = await u.op_street.post(`/api/v1/cases/${mine.id}/actions`, { action: 'merge', into: far.id });
  assert.ok([403, 404, 422].includes(m.status), `merge answered ${m.status}: ${m.text}`);
  // nothing changed: the case is not merged, the target's trail has no merge_in, and the
  // reporter of the case still cannot see the other street's case
  assert.equal((await u.op_street.get(`/api/v1/cases/${mine.id}`)).body.state, 'reported');
  const target = (await u.operator.get(`/api/v1/cases/${far.id}`)).body;
  assert.ok(!target.timeline.some((t) => t.action === 'merge_in'), 'no merge_in written into the other street\'s case');
  assert.equal((await u.worker.get(`/api/v1/cases/${far.id}`)).status, 403);
});
