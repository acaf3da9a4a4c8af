// SPDX-License-Identifier: Apache-2.0
// gridgov demo --cases: a month of cases driven through the domain layer. The cases are
// spread over the case loop (open and closed, rejected, supervised when late), every
// trail verifies, the summaries it kept equal a rebuild from the cases, and the API
// answers for them like for any other case.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { gridgovOk, startServer, tempDir } from './lib/harness.mjs';

const dir = tempDir();
const db = path.join(dir, 'demo.db');
after(() => rmSync(dir, { recursive: true, force: true }));

async function answers(srv) {
  const op = await srv.as('operator', 'gridgov-demo');
  const out = {};
  for (const q of ['by=department', 'by=street', 'by=grid', 'by=channel', 'under=510105002&by=community']) {
    const r = await op.get('/api/v1/stats/indicators?' + q);
    assert.equal(r.status, 200, r.text);
    out[q] = r.body;
  }
  out.heat = (await op.get('/api/v1/stats/heatmap')).body;
  return out;
}

test('demo --cases fills a demo district with case histories the API and the audit accept', async () => {
  // 2,000 cases: one bulk transaction, indexes and summaries built at its end
  const built = gridgovOk(['demo', '--db', db, '--people', '0', '--cases', '2000', '--days', '30']);
  assert.match(built.stdout, /summaries: rebuilt from 2000 cases/);
  assert.match(built.stdout, /cases: 2000 over 30 days/);
  // a few more: written case by case, summaries kept as they go
  const added = gridgovOk(['demo', '--db', db, '--cases', '100', '--days', '30']);
  assert.doesNotMatch(added.stdout, /summaries: rebuilt/);
  assert.match(added.stdout, /cases: 100 over 30 days/);
  assert.match(gridgovOk(['audit', 'verify', '--db', db]).stdout, /^2100 cases, \d+ trail entries, 0 breaks/);

  let srv = await startServer({ db, dir });
  const op = await srv.as('operator', 'gridgov-demo');
  const states = {};
  let supervised = 0, rated = 0, after = '';
  for (;;) {
    const r = await op.get('/api/v1/cases?per_page=100' + after);
    assert.equal(r.status, 200, r.text);
    for (const c of r.body.items) {
      states[c.state] = (states[c.state] ?? 0) + 1;
      rated += !!c.rating;
    }
    if (!r.body.next) break;
    after = `&after=${r.body.next}`;
  }
  assert.equal(Object.values(states).reduce((a, b) => a + b, 0), 2100);
  assert.ok(states.closed + states.evaluated > 1500, JSON.stringify(states));
  assert.ok(states.rejected > 0, JSON.stringify(states));
  assert.ok(rated > 300);
  const open = Object.entries(states).filter(([s]) => !['closed', 'evaluated', 'rejected'].includes(s));
  assert.ok(open.length >= 2, `cases of the last days are still open: ${JSON.stringify(states)}`);
  // late stages were supervised by the scheduler's own sweep, written in the trail
  const late = await op.get('/api/v1/cases?light=red&per_page=20');
  for (const c of late.body.items.slice(0, 10)) {
    const d = (await op.get(`/api/v1/cases/${c.id}`)).body;
    supervised += d.supervision_rounds.length > 0;
    assert.equal(d.timeline[0].action, 'create');
  }
  const all = (await op.get('/api/v1/stats/indicators')).body.all;
  assert.equal(all.reported, 2100);
  assert.ok(all.handled > 0 && all.handled_on_time_rate < 1, 'some were handled late');
  if (late.body.items.length) assert.ok(supervised > 0, 'overdue cases carry their 督办 rounds');

  // the summaries kept while the cases were written equal a rebuild from the cases
  const live = await answers(srv);
  // while a bulk writer has them unbuilt, the statistics answer 503 rather than read
  // every case of the district
  execFileSync('sqlite3', [db, 'UPDATE case_sum_meta SET built=0']);
  const busy = await op.get('/api/v1/stats/indicators?by=street');
  assert.equal(busy.status, 503, busy.text);
  assert.equal(busy.headers.get('retry-after'), '30');
  assert.equal((await op.get('/api/v1/stats/heatmap')).status, 503);
  assert.equal((await srv.stop({ keep: true })).code, 0);
  gridgovOk(['stats', 'rebuild', '--db', db]);
  srv = await startServer({ db, dir });
  assert.deepEqual(await answers(srv), live);
  assert.equal((await srv.stop({ keep: true })).code, 0);
});
