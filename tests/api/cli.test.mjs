// SPDX-License-Identifier: Apache-2.0
// The gridgov command end to end: init, imports of all five districts, users, help,
// clean shutdown, and what the logs must never hold.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gridgov, gridgovOk, tempDir, makeDatabase, startServer, freshDb, dbQuery, dbExec, mediaArgs, ENV, PG, DIVISIONS, PASSWORD } from './lib/harness.mjs';

describe('init', () => {
  test('creates a database, and a second run changes nothing', () => {
    const dir = tempDir();
    const db = freshDb(dir, 'x.db');
    const first = gridgovOk(['init', '--db', db]);
    assert.match(first.stdout, /migrated from schema 0 to \d+/);
    const second = gridgovOk(['init', '--db', db]);
    assert.match(second.stdout, /is up to date/);
    rmSync(dir, { recursive: true, force: true });
  });

  test('without --db fails with one line on stderr', () => {
    const r = gridgov(['init']);
    assert.notEqual(r.status, 0);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /^gridgov: error: --db PATH is required/);
  });
});

describe('import divisions', () => {
  // Streets and communities per district in the shared divisions CSV.
  const expected = {
    510105: [12, 67], // 四川省成都市青羊区
    621002: [10, 116], // 甘肃省庆阳市西峰区
    370202: [11, 50], // 山东省青岛市市南区
    340881: [17, 228], // 安徽省安庆市桐城市
    320105: [6, 64], // 江苏省南京市建邺区
  };
  for (const [code, [streets, communities]] of Object.entries(expected)) {
    test(`district ${code} loads ${streets} streets and ${communities} communities`, () => {
      const { dir, db } = makeDatabase({ district: null, users: [] });
      const r = gridgovOk(['import', 'divisions', '--db', db, DIVISIONS, '--district', code]);
      assert.equal(r.stdout.trim(), `imported 1 districts, ${streets} streets, ${communities} communities`);
      rmSync(dir, { recursive: true, force: true });
    });
  }

  test('all five at once, and again (idempotent)', () => {
    const { dir, db } = makeDatabase({ district: null, users: [] });
    const r = gridgovOk(['import', 'divisions', '--db', db, DIVISIONS]);
    assert.match(r.stdout, /imported 5 districts, 56 streets, 525 communities/);
    gridgovOk(['import', 'divisions', '--db', db, DIVISIONS]);
    rmSync(dir, { recursive: true, force: true });
  });

  test('a file with bad rows imports nothing and names each line', () => {
    const { dir, db } = makeDatabase({ district: null, users: [] });
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, 'code,name,level,parent_code\n' +
      '510105,青羊区,district,\n' +
      '510105001,少城街道,street,510105\n' +
      '51010500,坏街道,street,510105\n' +
      '510105001001,某社区,community,510105002\n');
    const r = gridgov(['import', 'divisions', '--db', db, bad]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /bad\.csv:4: code '51010500' does not have the digits of its level/);
    assert.match(r.stderr, /bad\.csv:5: parent_code must be the prefix/);
    assert.match(r.stderr, /nothing was imported/);
    // nothing: the district of line 2 is absent too
    const again = gridgovOk(['import', 'divisions', '--db', db, DIVISIONS, '--district', '510105']);
    assert.match(again.stdout, /imported 1 districts/);
    rmSync(dir, { recursive: true, force: true });
  });

  test('an unknown district is refused', () => {
    const { dir, db } = makeDatabase({ district: null, users: [] });
    const r = gridgov(['import', 'divisions', '--db', db, DIVISIONS, '--district', '999999']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no rows under district 999999/);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('user add', () => {
  test('reads the password from stdin and refuses bad input with one line', () => {
    const { dir, db } = makeDatabase({ users: [] });
    const ok = gridgov(['user', 'add', '--db', db, '--name', 'op', '--role', 'operator', '--scope', '510105'], { input: 'long-enough-pw\n' });
    assert.equal(ok.status, 0, ok.stderr);
    const dup = gridgov(['user', 'add', '--db', db, '--name', 'op', '--role', 'operator', '--scope', '510105'], { input: 'long-enough-pw\n' });
    assert.equal(dup.status, 1);
    assert.match(dup.stderr, /already exists/);
    const cases = [
      [['--name', 'a', '--role', 'king'], /unknown role 'king'/],
      [['--name', 'a', '--role', 'street'], /needs --scope/],
      [['--name', 'a', '--role', 'street', '--scope', '510105999'], /not in the grid tree/],
      [['--name', 'a', '--role', 'department', '--scope', '510105'], /needs --dept/],
      [['--name', 'a', '--role', 'department', '--dept', 'NOPE', '--scope', '510105'], /unknown department/],
    ];
    for (const [args, re] of cases) {
      const r = gridgov(['user', 'add', '--db', db, ...args], { input: 'long-enough-pw\n' });
      assert.equal(r.status, 1, args.join(' '));
      assert.match(r.stderr, re);
      assert.equal(r.stderr.trim().split('\n').length, 1);
    }
    const short = gridgov(['user', 'add', '--db', db, '--name', 'b', '--role', 'admin'], { input: 'short\n' });
    assert.equal(short.status, 1);
    assert.match(short.stderr, /at least 8 characters/);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('help and version', () => {
  test('--version prints the version', () => {
    assert.match(gridgovOk(['--version']).stdout, /^gridgov \d+\.\d+\.\d+/);
  });
  for (const cmd of [['init'], ['serve'], ['user'], ['user', 'add'], ['import'], ['demo']]) {
    test(`gridgov ${cmd.join(' ')} --help`, () => {
      const r = gridgov([...cmd, '--help']);
      assert.equal(r.status, 0);
      assert.match(r.stdout, /^usage: gridgov /);
    });
  }
  test('an unknown command fails', () => {
    const r = gridgov(['frobnicate']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /unknown command 'frobnicate'/);
  });
});

describe('serve', () => {
  test('refuses an uninitialised database', () => {
    const dir = tempDir();
    const db = freshDb(dir, 'none.db');
    const r = gridgov(['serve', '--db', db, '--listen', '127.0.0.1:0', ...mediaArgs(db, dir)]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /run 'gridgov init' first/);
    rmSync(dir, { recursive: true, force: true });
  });

  test('a database of an older release gets its missing migrations at start', async () => {
    const { dir, db } = makeDatabase();
    // as a release before migration 028 left it: that migration not applied, the heat
    // map's table in its former shape
    dbExec(db, 'DELETE FROM schema_migrations WHERE version = 28');
    dbExec(db, 'DROP TABLE case_heat');
    dbExec(db, 'CREATE TABLE case_heat (node TEXT NOT NULL, day INTEGER NOT NULL, dept TEXT NOT NULL, x INTEGER NOT NULL, y INTEGER NOT NULL, n INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (node, dept, day, x, y))');
    const srv = await startServer({ db, dir });
    try {
      const token = await srv.login('operator');
      const r = await srv.request('GET', '/api/v1/stats/heatmap', { token });
      assert.equal(r.status, 200, r.text);
      assert.equal(Number(dbQuery(db, 'SELECT count(*) AS n FROM schema_migrations WHERE version = 28')[0].n), 1);
    } finally {
      await srv.stop();
    }
  });

  test('without --test-clock the clock route does not exist; SIGINT stops cleanly', async () => {
    const { dir, db } = makeDatabase();
    const { spawn } = await import('node:child_process');
    const { BIN } = await import('./lib/harness.mjs');
    const child = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', ...mediaArgs(db, dir)], { env: ENV });
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    const url = await new Promise((resolve) => {
      let out = '';
      child.stdout.on('data', (d) => { out += d; const m = out.match(/(http:\/\/[\d.:]+)/); if (m) resolve(m[1]); });
    });
    const r = await fetch(url + '/api/v1/test/clock', { method: 'POST', body: '{"advance":10}' });
    assert.equal(r.status, 404);
    const code = await new Promise((resolve) => { child.on('exit', (c) => resolve(c)); child.kill('SIGINT'); });
    assert.equal(code, 0);
    assert.match(err, /received SIGINT, shutting down/);
    rmSync(dir, { recursive: true, force: true });
  });

  test('the access log has one line per request and never a token or a password', async () => {
    const srv = await startServer();
    const token = await srv.login('operator');
    await srv.request('GET', '/api/v1/grids/510105?secret=query', { token });
    await srv.request('POST', '/api/v1/session', { body: { name: 'operator', password: 'WrongPassword-123' } });
    const log = srv.log;
    assert.equal((await srv.stop({ keep: true })).code, 0);
    const lines = log.trim().split('\n').map((l) => JSON.parse(l));
    const reqs = lines.filter((l) => l.msg === 'request');
    assert.ok(reqs.length >= 3);
    assert.ok(reqs.some((l) => l.path === '/api/v1/grids/510105' && l.status === 200 && l.user === 'operator'));
    assert.ok(!log.includes(token));
    assert.ok(!log.includes(PASSWORD));
    assert.ok(!log.includes('WrongPassword-123'));
    assert.ok(!log.includes('secret=query'));
    rmSync(srv.dir, { recursive: true, force: true });
  });
});

describe('demo', () => {
  test('builds Qingyang with one user per role and refuses to overwrite without --force', () => {
    const dir = tempDir();
    const db = freshDb(dir, 'demo.db');
    const r = gridgovOk(['demo', '--db', db]);
    assert.match(r.stdout, /510105 四川省成都市青羊区: 12 streets, 67 communities/);
    for (const role of ['admin', 'operator', 'leader', 'street', 'community', 'grid_worker', 'department'])
      assert.match(r.stdout, new RegExp(`\\n  \\S+\\s+${role}\\s`));
    assert.equal(dbQuery(db, 'SELECT count(*) AS n FROM grid WHERE code = \'510105\'')[0].n, 1);
    const again = gridgov(['demo', '--db', db]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /pass --force/);
    if (PG) { // nothing to remove: --force refuses, and the database is left as it was
      const forced = gridgov(['demo', '--db', db, '--force', '--district', '320105']);
      assert.equal(forced.status, 1);
      assert.match(forced.stderr, /--force replaces a SQLite file only/);
      assert.equal(dbQuery(db, 'SELECT count(*) AS n FROM grid WHERE code = \'510105\'')[0].n, 1);
    } else {
      gridgovOk(['demo', '--db', db, '--force', '--district', '320105']);
      assert.equal(dbQuery(db, 'SELECT count(*) AS n FROM grid WHERE code = \'510105\'')[0].n, 0);
    }
    rmSync(dir, { recursive: true, force: true });
  });
});
