// SPDX-License-Identifier: Apache-2.0
// The demo's replay (scripts/seed-cases.mjs): on a small demo database it plays a week of
// cases through the real API, and a normal server then shows them — several states and
// channels, closures, ratings, 督办 rounds opened by the scheduler — with every trail's
// hash chain intact; a second replay with the same seed writes the same trails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { BIN, ENV, ROOT, gridgov, gridgovOk, startServer, tempDir, freshDb, dbCopy, mediaArgs } from './lib/harness.mjs';

const SEEDER = path.join(ROOT, 'scripts/seed-cases.mjs');
const DEMO_PASSWORD = 'gridgov-demo';
// The replay ends on a Monday at 08:30 China time, after a weekend: the hardest week for
// closures. A fixed end makes the database the same whatever day the test runs.
const UNTIL = '2026-11-16T00:30:00Z';
const ARGS = ['--days', '7', '--scale', '0.3', '--workers', '2', '--seed', '3', '--until', UNTIL, '--quiet'];

function seed(db, ...args) {
  const r = spawnSync(process.execPath, [SEEDER, '--db', db, '--bin', BIN, ...mediaArgs(db, dir), ...args], { encoding: 'utf8', env: ENV });
  if (r.error) throw r.error;
  return r;
}

let dir, db, again, seeded, srv;
before(async () => {
  dir = tempDir();
  db = freshDb(dir, 'demo.db');
  gridgovOk(['demo', '--db', db, '--people', '0']);
  again = dbCopy(db, dir, 'again.db'); // for the determinism test
  seeded = seed(db, ...ARGS);
  assert.equal(seeded.status, 0, seeded.stderr);
  srv = await startServer({ db, dir }); // the replay's photos: on PG in mediaDir(db, dir)
});
after(async () => {
  if (srv) await srv.stop({ keep: true });
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the replay prints one summary line that matches what the server counts', async () => {
  const m = seeded.stdout.match(/^seed-cases: (\d+) cases over 7 days \(seed 3\): (\d+) closed, (\d+) open, (\d+) overdue, (\d+) 督办 rounds, \d+ steps in [\d.]+ s\n$/);
  assert.ok(m, seeded.stdout);
  const op = await srv.as('operator', DEMO_PASSWORD);
  const all = (await op.get('/api/v1/stats/indicators')).body.all;
  assert.equal(all.reported, Number(m[1]), 'every planned case was reported');
  assert.ok(all.reported >= 20, `${all.reported} cases`);
  assert.equal(all.closed, Number(m[2]));
  assert.equal(all.open, Number(m[3]));
  assert.ok(Number(m[5]) >= 1, 'the scheduler opened at least one 督办 round');
});

test('indicators: reports, closures, on-time and satisfaction rates from real actions', async () => {
  const op = await srv.as('operator', DEMO_PASSWORD);
  const all = (await op.get('/api/v1/stats/indicators')).body.all;
  assert.ok(all.filed > 0 && all.dispatched > 0 && all.handled > 0, JSON.stringify(all));
  assert.ok(all.closed > 0 && all.closed < all.reported, 'some closed, some not');
  assert.ok(all.open > 0, 'the last days leave work on the desk');
  assert.ok(all.evaluated > 0);
  assert.equal(typeof all.satisfaction_rate, 'number');
  assert.ok(all.satisfaction_rate > 0.5 && all.satisfaction_rate <= 1, `满意率 ${all.satisfaction_rate}`);
  assert.equal(typeof all.closed_on_time_rate, 'number');
  assert.ok(all.closed_on_time_rate < 1, 'some stage was late');

  const byChannel = (await op.get('/api/v1/stats/indicators?by=channel')).body.items;
  const channels = byChannel.filter((x) => x.reported > 0).map((x) => x.key).sort();
  for (const c of ['citizen', 'hotline', 'worker']) assert.ok(channels.includes(c), `channel ${c} in ${channels}`);
  const byDay = (await op.get('/api/v1/stats/indicators?by=day&from=2026-11-09&to=2026-11-16')).body.items;
  assert.equal(byDay.length, 8);
  assert.ok(byDay.filter((x) => x.reported > 0).length >= 5, 'reports spread over the days');
});

test('cases in several states, with 督办 rounds in their records', async () => {
  const op = await srv.as('operator', DEMO_PASSWORD);
  const states = {};
  for (const s of ['reported', 'filed', 'dispatched', 'accepted', 'handled', 'verified', 'closed',
    'evaluated', 'rejected', 'merged', 'suspended'])
    states[s] = (await op.get(`/api/v1/cases?state=${s}`)).body.total;
  const present = Object.keys(states).filter((s) => states[s] > 0);
  assert.ok(present.length >= 5, JSON.stringify(states));
  assert.ok(states.closed + states.evaluated > 0, JSON.stringify(states));

  let rounds = 0, supervised = 0;
  for (let next = null, first = true; first || next !== null; first = false) {
    const list = (await op.get(`/api/v1/cases${next === null ? '' : `?after=${next}`}`)).body;
    next = list.next;
    for (const c of list.items) {
      const d = (await op.get(`/api/v1/cases/${c.id}`)).body;
      const timeline = d.timeline.filter((e) => e.action === 'supervise').length;
      assert.equal(timeline, d.supervision_rounds.length, `case ${c.id}: each round is in the trail`);
      rounds += timeline;
      if (timeline) supervised++;
      assert.equal(d.timeline[0].action, 'create');
    }
  }
  assert.ok(rounds >= 1 && supervised >= 1, `${rounds} rounds`);
});

test('the extra department users see their own department only', async () => {
  const op = await srv.as('operator', DEMO_PASSWORD);
  const byDept = (await op.get('/api/v1/stats/indicators?by=department')).body.items
    .filter((x) => x.key && x.key !== 'CGZF' && x.dispatched > 0);
  assert.ok(byDept.length > 0);
  const code = byDept[0].key;
  const d = await srv.as(`dept-${code.toLowerCase()}`, DEMO_PASSWORD);
  const list = (await d.get('/api/v1/cases')).body;
  assert.ok(list.total > 0);
  for (const c of list.items) assert.equal(c.department, code);
});

test('the same seed and end give the same cases and the same trails', async () => {
  const r = seed(again, ...ARGS);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.replace(/ in [\d.]+ s/, ''), seeded.stdout.replace(/ in [\d.]+ s/, ''));
  const other = await startServer({ db: again, dir });
  try {
    const trails = [];
    for (const s of [srv, other]) {
      const op = await s.as('operator', DEMO_PASSWORD);
      const total = (await op.get('/api/v1/cases')).body.total;
      const t = [];
      for (let id = 1; id <= total; id++) {
        const d = (await op.get(`/api/v1/cases/${id}`)).body;
        // each entry's hash covers all its fields and the previous entry's hash; these
        // servers' own schedulers, on today's clock, may have added 督办 rounds since
        const replayed = d.timeline.filter((e) => Date.parse(e.at) <= Date.parse(UNTIL));
        t.push([d.id, d.category, d.grid, d.channel, replayed.length, replayed.at(-1).hash]);
      }
      trails.push(t);
    }
    assert.equal(trails[0].length, trails[1].length);
    assert.deepEqual(trails[0], trails[1]);
  } finally {
    await other.stop({ keep: true });
  }
});

test('every trail verifies, and a second replay onto the same database is refused', async () => {
  const v = gridgov(['audit', 'verify', '--db', db]);
  assert.equal(v.status, 0, v.stderr + v.stdout);
  await srv.stop({ keep: true });
  srv = null;
  const again = seed(db, '--days', '2', '--quiet');
  assert.equal(again.status, 1);
  assert.match(again.stderr, /already has cases/);
});
