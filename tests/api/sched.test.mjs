// SPDX-License-Identifier: Apache-2.0
// The case scheduler end to end: a backlog of late cases is supervised in bounded
// batches by the time POST /api/v1/test/clock answers (the route waits for the pass it
// caused), and then the server idles: it sleeps until the next deadline instead of
// polling, so an idle second costs (almost) no CPU.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, makeDatabase, gridgovOk, DATA } from './lib/harness.mjs';

const GRID = '510105002002';
const BACKLOG = 1200; // more than two of the scheduler's 500-case batches

let srv, op;
before(async () => {
  const d = makeDatabase();
  gridgovOk(['import', 'categories', '--db', d.db, path.join(DATA, 'categories.csv')]);
  srv = await startServer(d);
  op = await srv.as('operator');
  await srv.setClock('2026-03-09T09:00:00+08:00'); // a Monday
});
after(async () => {
  const { code } = await srv.stop();
  assert.equal(code, 0, 'the server exits 0 on SIGTERM');
});

/** CPU seconds the server process has used (user + system). */
function cpu(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

async function idleCpu(seconds) {
  const before = cpu(srv.child.pid);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  return cpu(srv.child.pid) - before;
}

test('a backlog of late cases is supervised before the clock move answers, then idle', async (t) => {
  // Batches of 25: a group commit answers a whole batch at once, and fetch opens new
  // sockets for the next batch before it frees the last one's, so 50 at a time could
  // pass the server's 64 connections per address.
  for (let i = 0; i < BACKLOG; i += 25) {
    const batch = [];
    for (let k = i; k < Math.min(BACKLOG, i + 25); k++)
      batch.push(op.post('/api/v1/cases', { category: 'E0101', description: `违建 ${k}`, channel: 'grid_app', grid: GRID }));
    for (const r of await Promise.all(batch)) assert.equal(r.status, 201, r.text);
  }
  const quiet = await idleCpu(2);

  // Monday 09:00 + the filing limit has passed by Tuesday 09:00: every case is late once.
  await srv.setClock('2026-03-10T09:00:00+08:00');
  let seen = 0;
  for (let page = 1; seen < BACKLOG; page++) {
    const r = await op.get(`/api/v1/cases?per_page=100&page=${page}`);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.body.items.length > 0, `page ${page} is empty after ${seen} cases`);
    for (const c of r.body.items) assert.equal(c.supervision, 1, `case ${c.id} supervised once`);
    seen += r.body.items.length;
  }
  assert.equal(seen, BACKLOG);
  const one = await op.get(`/api/v1/cases/1`);
  assert.deepEqual(one.body.supervision_rounds.map((s) => [s.round, s.stage]), [[1, 'reported']]);

  // Nothing is due until the second round: the scheduler sleeps.
  const idle = await idleCpu(3);
  t.diagnostic(`server CPU: ${quiet.toFixed(2)} s in 2 s before the move, ${idle.toFixed(2)} s in 3 s after`);
  assert.ok(idle < 0.15, `idle for 3 s with ${BACKLOG} open cases used ${idle.toFixed(2)} s of CPU (before the move: ${quiet.toFixed(2)} s in 2 s)`);

  // Moving the clock again without anything falling due writes nothing new.
  await srv.advance(60);
  const again = await op.get(`/api/v1/cases/1`);
  assert.equal(again.body.supervision_rounds.length, 1);
});
