// SPDX-License-Identifier: Apache-2.0
// Starts the real `gridgov serve` on a free port with a temporary database, and speaks
// HTTP to it. Every end-to-end test file builds on this.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const BIN = process.env.GRIDGOV_BIN
  ? path.resolve(ROOT, process.env.GRIDGOV_BIN)
  : path.join(ROOT, 'build/gridgov');
export const DATA = path.join(ROOT, 'data');
export const DIVISIONS = path.join(DATA, 'divisions/divisions.csv');
export const PASSWORD = 'test-password-1';

// Cheap argon2 parameters: the hashing itself is covered by the unit tests.
export const ENV = { ...process.env, GRIDGOV_FAST_HASH: '1', GRIDGOV_DATA: DATA };

/*
 * GRIDGOV_TEST_DB=pg: every database is a fresh one on a private PostgreSQL cluster,
 * GRIDGOV_PG_DIR's (scripts/pg-temp start DIR) or one this process starts on first use
 * and stops at exit; the servers keep photos in their temporary directory.
 */
export const PG = process.env.GRIDGOV_TEST_DB === 'pg';
const PG_TEMP = path.join(ROOT, 'scripts', 'pg-temp');
let pgDir = process.env.GRIDGOV_PG_DIR || '';
let pgSeq = 0;
if (PG) ENV.GRIDGOV_PII_KEY = path.join(mkdtempSync(path.join(tmpdir(), 'gridgov-key-')), 'pii.key');

/** scripts/pg-temp with args; its last line of output (a URI), or an exception. */
export function pgTemp(args) {
  const r = spawnSync(PG_TEMP, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pg-temp ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout.trim().split('\n').pop();
}

/** A new empty PostgreSQL database; its URI. */
export function pgDatabase() {
  if (!pgDir) {
    pgDir = mkdtempSync(path.join(tmpdir(), 'gg-pg-'));
    pgTemp(['start', pgDir]);
    const dir = pgDir;
    process.on('exit', () => spawnSync(PG_TEMP, ['stop', dir]));
  }
  return pgTemp(['createdb', pgDir, `t${process.pid}_${++pgSeq}`]);
}

/** A database that does not exist yet, for `gridgov init` or `demo`: a file in dir, or on PG a new empty database. */
export function freshDb(dir, name = 'test.db') {
  return PG ? pgDatabase() : path.join(dir, name);
}

const isUri = (db) => db.includes('://');
const pick = (db, sql) => (typeof sql === 'string' ? sql : isUri(db) ? sql.pg : sql.sqlite);

function dbTool(db, sql, { json = false, readonly = false } = {}) {
  const r = isUri(db)
    ? spawnSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', db,
      '-c', json ? `SELECT coalesce(json_agg(t), '[]') FROM (${sql}) t` : sql], { encoding: 'utf8' })
    : spawnSync('sqlite3', [...(readonly ? ['-readonly'] : []), ...(json ? ['-json'] : []), db, sql], { encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${isUri(db) ? 'psql' : 'sqlite3'}: ${sql}: ${r.stderr}`);
  return r.stdout;
}

/**
 * Behind the server's back: run SQL on the database with the sqlite3 or psql command.
 * sql is a string valid on both, or {sqlite, pg} where the dialects differ.
 * dbExec runs statements; dbQuery returns the rows of one SELECT as objects.
 */
export function dbExec(db, sql) {
  dbTool(db, pick(db, sql));
}
export function dbQuery(db, sql) {
  const out = dbTool(db, pick(db, sql), { json: true, readonly: true }).trim();
  return out ? JSON.parse(out) : [];
}

/** Whether text appears anywhere in what the database stores: the file and its WAL, or pg_dump's output. */
export function dbContains(db, text) {
  if (isUri(db)) {
    const r = spawnSync('pg_dump', ['--no-owner', '-d', db], { maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`pg_dump: ${r.stderr}`);
    return r.stdout.includes(text);
  }
  return [db, db + '-wal'].some((f) => existsSync(f) && readFileSync(f).includes(text));
}

/** A copy of a database that no one has open: a file in dir, or on PG a database made from it as a template. */
export function dbCopy(db, dir, name) {
  if (!isUri(db)) {
    const to = path.join(dir, name);
    copyFileSync(db, to);
    return to;
  }
  const m = db.match(/^(postgres(?:ql)?:\/\/[^/]*\/)([^?]+)(.*)$/);
  if (!m) throw new Error(`dbCopy: cannot read the database name in ${db}`);
  const to = `${m[2]}_${name.replace(/\W/g, '_')}`;
  dbExec(`${m[1]}postgres${m[3]}`, `CREATE DATABASE "${to}" TEMPLATE "${m[2]}"`);
  return m[1] + to + m[3];
}

/** The file holding the personal-data key: beside a SQLite file, GRIDGOV_PII_KEY on PG. */
export function piiKeyPath(db) {
  return isUri(db) ? ENV.GRIDGOV_PII_KEY : db + '.key';
}

/** Where a server keeps photos: beside a SQLite file, or the --media directory. */
export function mediaDir(db, dir) {
  return isUri(db) ? path.join(dir, 'media') : db + '.media';
}

/** The arguments a `gridgov serve` of db needs for its photos: [] for a file, ['--media', DIR] on PG. */
export function mediaArgs(db, dir) {
  return isUri(db) ? ['--media', mediaDir(db, dir)] : [];
}

/** Run the gridgov command; returns {status, stdout, stderr}. */
export function gridgov(args, { input, env } = {}) {
  const r = spawnSync(BIN, args, { input, encoding: 'utf8', env: { ...ENV, ...env } });
  if (r.error) throw r.error;
  return r;
}

/** Like gridgov() but throws with stderr when the exit status is not 0. */
export function gridgovOk(args, opts) {
  const r = gridgov(args, opts);
  if (r.status !== 0) throw new Error(`gridgov ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r;
}

/** Users every test server gets (Qingyang 510105: street 002 草市街, community 002002). */
export const USERS = [
  { name: 'admin', role: 'admin' },
  { name: 'operator', role: 'operator', scope: '510105' },
  { name: 'leader', role: 'leader', scope: '510105' },
  { name: 'street', role: 'street', scope: '510105002' },
  { name: 'community', role: 'community', scope: '510105002002' },
  { name: 'worker', role: 'grid_worker', scope: '510105002002' },
  { name: 'dept', role: 'department', dept: 'CGZF', scope: '510105' },
];

export function tempDir() {
  return mkdtempSync(path.join(tmpdir(), 'gridgov-test-'));
}

/**
 * Create a database in a temporary directory: init, the 510105 division tree (unless
 * district is null) and the USERS. With map: true the demo's generated grid map (streets,
 * communities, grids with geometry, households and grid staff) of the district instead.
 * Returns {dir, db}.
 */
export function makeDatabase({ district = '510105', users = USERS, map = false } = {}) {
  const dir = tempDir();
  const db = PG ? pgDatabase() : path.join(dir, 'test.db');
  initDatabase(db, { district, users, map });
  return { dir, db };
}

/**
 * Fill the database db (a path or a URI): as makeDatabase does, and with categories: true
 * the category catalogue too.
 */
export function initDatabase(db, { district = '510105', users = USERS, map = false, categories = false } = {}) {
  if (map) {
    gridgovOk(['demo', '--db', db, '--district', district, '--no-users']);
  } else {
    gridgovOk(['init', '--db', db]);
    if (district) gridgovOk(['import', 'divisions', '--db', db, DIVISIONS, '--district', district]);
  }
  if (categories) gridgovOk(['import', 'categories', '--db', db, path.join(DATA, 'categories.csv')]);
  for (const u of users) {
    const args = ['user', 'add', '--db', db, '--name', u.name, '--role', u.role];
    if (u.scope) args.push('--scope', u.scope);
    if (u.dept) args.push('--dept', u.dept);
    gridgovOk(args, { input: `${u.password || PASSWORD}\n` });
  }
}


/**
 * Start `gridgov serve` (test clock on, port 0) on db (or a fresh database).
 * Returns a handle with url, request(), login(), as(), clock() and stop().
 */
export async function startServer({ db, dir, args = [], setup } = {}) {
  if (!db) ({ db, dir } = makeDatabase(setup));
  if (PG && db.includes('://') && !dir) dir = tempDir();
  if (PG && db.includes('://') && !args.includes('--media')) args = [...args, '--media', mediaDir(db, dir)];
  const mi = args.indexOf('--media');
  const media = mi >= 0 ? args[mi + 1] : mediaDir(db, dir);
  const child = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--threads', '4', '--workers', '4',
    '--test-clock', ...args], { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    exited.then(({ code }) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${stderr}`)); });
  });

  const srv = {
    url, db, dir, child, media,
    get log() { return stderr; },
    /** HTTP request; body objects are sent as JSON, strings as-is. Returns {status, headers, body, text}. */
    async request(method, p, { body, token, headers = {} } = {}) {
      const h = { ...headers };
      if (token) h.authorization = `Bearer ${token}`;
      let payload = body;
      if (body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array) && !(body instanceof FormData)) {
        payload = JSON.stringify(body);
        h['content-type'] ??= 'application/json';
      }
      const res = await fetch(url + p, { method, headers: h, body: payload });
      const text = await res.text();
      let json;
      try { json = JSON.parse(text); } catch { json = undefined; }
      return { status: res.status, headers: res.headers, body: json, text };
    },
    async login(name, password = PASSWORD) {
      const r = await srv.request('POST', '/api/v1/session', { body: { name, password } });
      if (r.status !== 201) throw new Error(`login ${name}: ${r.status} ${r.text}`);
      return r.body.token;
    },
    /** A client bound to one user's token. */
    async as(name, password) {
      const token = await srv.login(name, password);
      return {
        token,
        get: (p) => srv.request('GET', p, { token }),
        post: (p, body) => srv.request('POST', p, { token, body }),
        put: (p, body) => srv.request('PUT', p, { token, body }),
        del: (p) => srv.request('DELETE', p, { token }),
        /** Upload JPEG photos (POST /api/v1/media) and return their sha256 ids. */
        async upload(...photos) {
          const fd = new FormData();
          photos.forEach((b, i) => fd.append('photo', new Blob([b], { type: 'image/jpeg' }), `photo${i}.jpg`));
          const r = await srv.request('POST', '/api/v1/media', { token, body: fd });
          if (r.status !== 201) throw new Error(`upload: ${r.status} ${r.text}`);
          return r.body.items.map((m) => m.sha256);
        },
      };
    },
    /** Move the server's clock forward by seconds (test clock). */
    async advance(seconds) {
      const r = await srv.request('POST', '/api/v1/test/clock', { body: { advance: seconds } });
      if (r.status !== 200) throw new Error(`clock: ${r.text}`);
      return r.body;
    },
    async setClock(iso) {
      const r = await srv.request('POST', '/api/v1/test/clock', { body: { set: iso } });
      if (r.status !== 200) throw new Error(`clock: ${r.text}`);
      return r.body;
    },
    /** SIGTERM, wait, and return the exit status; the temporary directory is removed. */
    async stop({ keep = false } = {}) {
      if (child.exitCode === null) child.kill('SIGTERM');
      const r = await exited;
      if (!keep && dir) rmSync(dir, { recursive: true, force: true });
      return r;
    },
  };
  return srv;
}

/**
 * Points inside the basic grids under `under`, one per grid (the mean of its outline's
 * vertices, kept only where the locator agrees it lies in that grid), at most `count`:
 * [{lon, lat, grid}]. `client` is an srv.as() client allowed to read the map.
 */
export async function pointsIn(client, under, count = 1) {
  const fc = (await client.get(`/api/v1/grids.geojson?under=${under}&level=grid`)).body;
  const out = [];
  for (const f of fc.features ?? []) {
    const ring = f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : f.geometry.coordinates[0][0];
    const lon = ring.reduce((s, p) => s + p[0], 0) / ring.length;
    const lat = ring.reduce((s, p) => s + p[1], 0) / ring.length;
    const r = await client.get(`/api/v1/grids/locate?lon=${lon}&lat=${lat}`);
    if (r.status === 200 && r.body.code.startsWith(f.properties.code)) out.push({ lon, lat, grid: f.properties.code });
    if (out.length === count) return out;
  }
  throw new Error(`fewer than ${count} grids under ${under} hold the mean of their vertices`);
}
