// SPDX-License-Identifier: Apache-2.0
// Read replicas (issue 13, item 5): `serve --read-db STANDBY` serves the read-only routes
// from a hot standby (scripts/pg-temp standby: pg_basebackup -R, streaming replication on
// the private socket) while writes stay on the primary. With the standby's replay paused,
// another user's list lags while the writer's own read, sent to the primary for a moment
// after its write, does not; the standby going away sends reads to the primary.
// PostgreSQL only: skipped with its reason unless GRIDGOV_TEST_DB=pg.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  gridgov, gridgovOk, startServer, tempDir, dbExec, dbQuery, ROOT, PG, initDatabase, pgTemp,
} from './lib/harness.mjs';

const PG_TEMP = path.join(ROOT, 'scripts', 'pg-temp');

const skip = PG ? false : 'PostgreSQL only: a standby needs streaming replication (GRIDGOV_TEST_DB=pg)';
const GRID = '510105002002';
const WINDOW_MS = 1500; // --read-your-writes

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('a standby is PostgreSQL\'s: serve --read-db with a SQLite file refuses cleanly', () => {
  const dir = tempDir();
  const db = path.join(dir, 'city.db');
  gridgovOk(['init', '--db', db]);
  const r = gridgov(['serve', '--db', db, '--read-db', path.join(dir, 'other.db'), '--listen', '127.0.0.1:0']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^gridgov: error: --read-db is for a PostgreSQL standby/);
  const p = gridgov(['serve', '--db', db, '--province', '--listen', '127.0.0.1:0']);
  assert.equal(p.status, 1);
  assert.match(p.stderr, /^gridgov: error: the province view is PostgreSQL only/);
});

describe('read replicas', { skip }, () => {
  let primary, standby, primaryDir, standbyDir, srv, alice, bob;

  before(async () => {
    primaryDir = mkdtempSync(path.join(tmpdir(), 'gg-pg-'));
    standbyDir = mkdtempSync(path.join(tmpdir(), 'gg-pgs-'));
    pgTemp(['start', primaryDir]);
    primary = pgTemp(['createdb', primaryDir, 'city']);
    initDatabase(primary, { categories: true });
    pgTemp(['standby', primaryDir, standbyDir]);
    standby = pgTemp(['uri', standbyDir, 'city']);
    const dir = tempDir();
    srv = await startServer({ db: primary, dir,
      // no lag limit here: these tests pause the standby's replay and read it lagging
      args: ['--read-db', standby, '--read-your-writes', String(WINDOW_MS), '--read-max-lag', '0',
        '--media', path.join(dir, 'media')] });
    alice = await srv.as('operator');
    bob = await srv.as('leader');
    await sleep(WINDOW_MS + 300); // their logins' windows are over: both read the standby
  });
  after(async () => {
    if (srv) assert.equal((await srv.stop()).code, 0);
    if (standbyDir) spawnSync(PG_TEMP, ['stop', standbyDir]);
    if (primaryDir) spawnSync(PG_TEMP, ['stop', primaryDir]);
  });

  const caseIds = async (who) => {
    const r = await who.get('/api/v1/cases?per_page=100');
    assert.equal(r.status, 200, r.text);
    return r.body.items.map((c) => c.id);
  };

  const standbyReads = async () => {
    const m = (await srv.request('GET', '/metrics')).text.match(/^gridgov_db_standby_reads_total (\d+)$/m);
    assert.ok(m, 'the metric is there');
    return Number(m[1]);
  };

  test('the server holds connections on the standby', () => {
    const rows = dbQuery(standby, "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = 'city'"
      + " AND backend_type = 'client backend' AND pid <> pg_backend_pid()");
    assert.ok(rows[0].n >= 8, `connections on the standby: ${rows[0].n}`); // 4 threads + 4 workers
    assert.equal(dbQuery(standby, 'SELECT pg_is_in_recovery() AS r')[0].r, true);
  });

  test('reads come from the standby; one\'s own read right after a write sees it', async () => {
    dbExec(standby, 'SELECT pg_wal_replay_pause()');
    try {
      const r = await alice.post('/api/v1/cases', { category: 'E0102', description: '暴露垃圾', channel: 'patrol', grid: GRID });
      assert.equal(r.status, 201, r.text);
      const id = r.body.id;
      // the writer's reads go to the primary for a moment: it sees its case at once
      assert.ok((await caseIds(alice)).includes(id), 'read-your-writes: the list has the new case');
      assert.equal((await alice.get(`/api/v1/cases/${id}`)).status, 200);
      // another user reads the paused standby: the case is not there yet
      const before = await standbyReads();
      assert.ok(!(await caseIds(bob)).includes(id), 'bob reads the standby, which lags');
      assert.equal(await standbyReads(), before + 2); // bob's list, and the /metrics read
      assert.equal((await bob.get(`/api/v1/cases/${id}`)).status, 404);
      // and so does the writer once its moment is over
      await sleep(WINDOW_MS + 300);
      assert.ok(!(await caseIds(alice)).includes(id), 'after the window alice reads the standby too');
      dbExec(standby, 'SELECT pg_wal_replay_resume()');
      let seen = false;
      for (let i = 0; i < 100 && !seen; i++) {
        seen = (await caseIds(bob)).includes(id);
        if (!seen) await sleep(100);
      }
      assert.ok(seen, 'the standby caught up once replay resumed');
    } finally {
      dbExec(standby, 'SELECT pg_wal_replay_resume()');
    }
  });

  test('a standby further behind than --read-max-lag serves no reads until it catches up', async () => {
    const dir = tempDir();
    const capped = await startServer({ db: primary, dir,
      args: ['--read-db', standby, '--read-your-writes', String(WINDOW_MS), '--read-max-lag', '800',
        '--media', path.join(dir, 'media')] });
    try {
      const carol = await capped.as('leader');
      await sleep(WINDOW_MS + 300); // her login's moment on the primary is over
      const lag = async () => Number((await capped.request('GET', '/metrics')).text.match(/^gridgov_db_standby_lag_ms (-?\d+)/m)[1]);
      dbExec(standby, 'SELECT pg_wal_replay_pause()');
      const r = await alice.post('/api/v1/cases', { category: 'E0102', description: '积压', channel: 'patrol', grid: GRID });
      assert.equal(r.status, 201, r.text);
      // the standby holds the case's WAL unreplayed: once its lag passes 800 ms (checked
      // each second), carol, who wrote nothing, reads the primary and sees the case
      let seen = false;
      for (let i = 0; i < 60 && !seen; i++) {
        seen = (await caseIds(carol)).includes(r.body.id);
        if (!seen) await sleep(100);
      }
      assert.ok(seen, 'reads moved to the primary while the standby lagged');
      assert.ok(await lag() > 800, 'the lag is reported');
      assert.match(capped.log, /the standby is \d+ ms behind \(more than 800\): reads go to the primary/);
      dbExec(standby, 'SELECT pg_wal_replay_resume()');
      let back = false;
      for (let i = 0; i < 60 && !back; i++) {
        back = /the standby has caught up/.test(capped.log);
        if (!back) await sleep(100);
      }
      assert.ok(back, 'the standby serves reads again once caught up');
      assert.ok(await lag() <= 800);
    } finally {
      dbExec(standby, 'SELECT pg_wal_replay_resume()');
      assert.equal((await capped.stop()).code, 0);
    }
  });

  test('the standby going away: reads fall back to the primary', async () => {
    const r = await alice.post('/api/v1/cases', { category: 'E0102', description: '又一处', channel: 'patrol', grid: GRID });
    assert.equal(r.status, 201, r.text);
    pgTemp(['halt', standbyDir]);
    const ids = await caseIds(bob);
    assert.ok(ids.includes(r.body.id), 'the primary answered, with everything');
    const ind = await bob.get('/api/v1/stats/indicators?by=street');
    assert.equal(ind.status, 200, ind.text);
    assert.equal(ind.body.all.reported, 3);
    assert.match(srv.log, /the standby is unavailable/);
    const m = (await srv.request('GET', '/metrics')).text;
    assert.match(m, /^gridgov_db_standby_fallbacks_total [1-9]/m);
    pgTemp(['restart', standbyDir]);
  });
});
