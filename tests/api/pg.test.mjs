// SPDX-License-Identifier: Apache-2.0
// The PostgreSQL backend end to end, on a private cluster that scripts/pg-temp starts in a
// temporary directory (no system service): init twice, imports and users, the same
// schema number as SQLite, a server that is down at start-up, a multi-host URI, serve's
// --media. (The whole API suite runs on PostgreSQL with GRIDGOV_TEST_DB=pg, docs/postgres.md.)
// GRIDGOV_TEST_PG=0 skips it.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gridgov, gridgovOk, tempDir, ROOT, DIVISIONS, DATA, PASSWORD } from './lib/harness.mjs';

const PG_TEMP = path.join(ROOT, 'scripts', 'pg-temp');
const skip = process.env.GRIDGOV_TEST_PG === '0' ? 'GRIDGOV_TEST_PG=0' : false;

function pgTemp(args) {
  const r = spawnSync(PG_TEMP, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pg-temp ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout.trim().split('\n').pop();
}

describe('PostgreSQL', { skip }, () => {
  let dir, cluster, env;
  let seq = 0;
  const createdb = () => pgTemp(['createdb', cluster, `e2e_${++seq}`]);

  before(() => {
    dir = tempDir();
    // its own directory, not inside dir: as root the server runs as "postgres", which
    // must reach it
    cluster = mkdtempSync(path.join(tmpdir(), 'gg-pg-'));
    pgTemp(['start', cluster]);
    env = { GRIDGOV_PII_KEY: path.join(dir, 'pii.key') };
  });
  after(() => {
    if (cluster) spawnSync(PG_TEMP, ['stop', cluster]);
    rmSync(dir, { recursive: true, force: true });
  });

  test('init migrates an empty database, and a second run changes nothing', () => {
    const uri = createdb();
    assert.match(uri, /^postgres:\/\/\//);
    const first = gridgovOk(['init', '--db', uri], { env });
    const m = first.stdout.match(/migrated from schema 0 to (\d+)/);
    assert.ok(m, first.stdout);
    const second = gridgovOk(['init', '--db', uri], { env });
    assert.match(second.stdout, new RegExp(`is up to date \\(schema ${m[1]}\\)`));
    // the same number as a SQLite database's
    const sq = gridgovOk(['init', '--db', path.join(dir, 'same.db')]);
    assert.match(sq.stdout, new RegExp(`migrated from schema 0 to ${m[1]}$`, 'm'));
  });

  test('the ported areas: divisions, categories and users, idempotent imports', () => {
    const uri = createdb();
    gridgovOk(['init', '--db', uri], { env });
    const d = gridgovOk(['import', 'divisions', '--db', uri, DIVISIONS, '--district', '510105'], { env });
    assert.equal(d.stdout.trim(), 'imported 1 districts, 12 streets, 67 communities');
    gridgovOk(['import', 'divisions', '--db', uri, DIVISIONS], { env });
    const c = gridgovOk(['import', 'categories', '--db', uri, path.join(DATA, 'categories.csv')], { env });
    assert.match(c.stdout, /^imported \d+ categories/);
    const u = gridgovOk(['user', 'add', '--db', uri, '--name', 'admin', '--role', 'admin'],
      { env, input: `${PASSWORD}\n` });
    assert.match(u.stdout, /user admin \(admin\) created/);
    const again = gridgov(['user', 'add', '--db', uri, '--name', 'admin', '--role', 'admin'],
      { env, input: `${PASSWORD}\n` });
    assert.equal(again.status, 1);
    assert.match(again.stderr, /already exists/);
  });

  test('a server that is down at start-up: one clear line and exit 1', () => {
    const uri = `postgres:///gridgov?host=${path.join(dir, 'nowhere')}&port=1&user=postgres`;
    for (const cmd of [['init'], ['serve', '--listen', '127.0.0.1:0', '--media', path.join(dir, 'm')]]) {
      const r = gridgov([...cmd, '--db', uri], { env });
      assert.equal(r.status, 1, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^gridgov: error: database unavailable: connection to server/);
    }
  });

  test('a multi-host URI reaches the read-write server', () => {
    const uri = createdb();
    const u = new URL(uri.replace(/^postgres:/, 'http:'));
    const host = u.searchParams.get('host');
    const port = u.searchParams.get('port');
    // a first host that is down, then the cluster (libpq tries them in order)
    const multi = `postgres://${encodeURIComponent(path.join(dir, 'gone'))},${encodeURIComponent(host)}:${port}` +
      `${u.pathname}?user=postgres&port=${port},${port}&target_session_attrs=read-write`;
    const r = gridgovOk(['init', '--db', multi], { env });
    assert.match(r.stdout, /migrated from schema 0 to \d+/);
  });

  // it stops the shared cluster for a moment and starts it again
  test('the database lost under a running server: 503 with Retry-After, then back by itself', async () => {
    const uri = createdb();
    gridgovOk(['init', '--db', uri], { env });
    gridgovOk(['import', 'divisions', '--db', uri, DIVISIONS, '--district', '510105'], { env });
    gridgovOk(['user', 'add', '--db', uri, '--name', 'operator', '--role', 'operator', '--scope', '510105'],
      { env, input: `${PASSWORD}\n` });
    const child = spawn(process.env.GRIDGOV_BIN || path.join(ROOT, 'build/gridgov'),
      ['serve', '--db', uri, '--listen', '127.0.0.1:0', '--media', path.join(dir, 'media-503')],
      { env: { ...process.env, GRIDGOV_FAST_HASH: '1', GRIDGOV_DATA: DATA, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error('server did not start')), 20000);
        child.stdout.on('data', (d) => {
          out += d;
          const m = out.match(/listening on (http:\/\/[\d.]+:\d+)/);
          if (m) { clearTimeout(timer); resolve(m[1]); }
        });
      });
      const login = await fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'operator', password: PASSWORD }) });
      assert.equal(login.status, 201);
      const { token } = await login.json();
      const list = () => fetch(`${url}/api/v1/cases`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal((await list()).status, 200);
      pgTemp(['halt', cluster]);
      const down = await list();
      assert.equal(down.status, 503);
      assert.match(down.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
      assert.equal((await down.json()).error.code, 'unavailable');
      pgTemp(['restart', cluster]);
      let back;
      for (let i = 0; i < 50 && back !== 200; i++) {
        back = (await list()).status;
        if (back !== 200) await new Promise((r) => setTimeout(r, 200));
      }
      assert.equal(back, 200, 'the server reconnects by itself');
    } finally {
      child.kill('SIGTERM');
    }
  });

  test('serve needs --media with a PostgreSQL database', () => {
    const uri = createdb();
    gridgovOk(['init', '--db', uri], { env });
    const r = gridgov(['serve', '--db', uri, '--listen', '127.0.0.1:0'], { env });
    assert.equal(r.status, 1);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /--media DIR is required/);
  });
});
