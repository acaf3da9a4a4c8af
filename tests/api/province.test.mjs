// SPDX-License-Identifier: Apache-2.0
// The province view (issue 13, item 6): two city databases (the same district, so the
// same grid codes) publish their case summaries by logical replication (`gridgov province
// publish`, a cluster with wal_level=logical: scripts/pg-temp start DIR --logical); a
// province database subscribes to both (`gridgov province subscribe`); `serve --province`
// answers the indicators over both cities, and after a burst of cases in each they equal
// the sum of the cities' own, city by city and street by street. Read-only: writes 403.
// PostgreSQL only: skipped with its reason unless GRIDGOV_TEST_DB=pg; on SQLite the
// commands refuse cleanly.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  gridgov, gridgovOk, startServer, tempDir, ROOT, USERS, PG, initDatabase, pgTemp,
} from './lib/harness.mjs';

const PG_TEMP = path.join(ROOT, 'scripts', 'pg-temp');

const skip = PG ? false : 'PostgreSQL only: logical replication (GRIDGOV_TEST_DB=pg)';
const GRIDS = ['510105002002', '510105003003', '510105005002'];
// the indicators compared (counts; rates follow from them)
const KEYS = ['reported', 'filed', 'dispatched', 'handled', 'closed', 'open', 'overdue'];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function setup(db, users) {
  initDatabase(db, { users, categories: true });
}

test('on SQLite the province commands refuse cleanly', () => {
  const dir = tempDir();
  const db = path.join(dir, 'city.db');
  gridgovOk(['init', '--db', db]);
  const r = gridgov(['province', 'publish', '--db', db, '--city', 'alpha']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^gridgov: error: the province view is PostgreSQL only/);
  const bad = gridgov(['province', 'subscribe', '--db', db, '--city', 'alpha']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /--city wants NAME=CITY_URI/);
  const name = gridgov(['province', 'publish', '--db', db, '--city', 'Nan Jing']);
  assert.match(name.stderr, /city name 'Nan Jing'/);
});

describe('province view', { skip }, () => {
  let cluster, cities = {}, province, servers = {}, prov;

  before(async () => {
    cluster = mkdtempSync(path.join(tmpdir(), 'gg-pgl-'));
    pgTemp(['start', cluster, '--logical']);
    for (const name of ['alpha', 'beta']) {
      const db = pgTemp(['createdb', cluster, name]);
      setup(db, USERS);
      cities[name] = db;
    }
    province = pgTemp(['createdb', cluster, 'province']);
    setup(province, [{ name: 'admin', role: 'admin' }]); // divisions too: the groups' names
  });
  after(async () => {
    for (const s of [...Object.values(servers), prov]) if (s) assert.equal((await s.stop()).code, 0);
    if (cluster) spawnSync(PG_TEMP, ['stop', cluster]);
  });

  async function burst(srv, n) {
    const op = await srv.as('operator');
    const ids = await Promise.all(Array.from({ length: n }, (_, i) => op.post('/api/v1/cases',
      { category: 'E0102', description: `案件 ${i}`, channel: i % 2 ? 'patrol' : 'hotline', grid: GRIDS[i % GRIDS.length] })
      .then((r) => { assert.equal(r.status, 201, r.text); return r.body.id; })));
    // some move on: filed and dispatched (the live rows and the day rows change)
    for (const id of ids.slice(0, Math.ceil(n / 3))) {
      const r = await op.post(`/api/v1/cases/${id}/actions`, { action: 'file' });
      assert.equal(r.status, 200, r.text);
    }
    return ids;
  }

  test('publish, subscribe, and the province equals the sum of its cities', async (t) => {
    // the demo's users and cases exist before the subscription: the initial copy brings them
    for (const [name, db] of Object.entries(cities)) {
      const r = gridgovOk(['province', 'publish', '--db', db, '--city', name]);
      assert.match(r.stdout, new RegExp(`city ${name}: case summaries published`));
      const dir = tempDir();
      servers[name] = await startServer({ db, dir, args: ['--media', path.join(dir, 'media')] });
    }
    await burst(servers.alpha, 6);
    const sub = gridgovOk(['province', 'subscribe', '--db', province,
      '--city', `alpha=${cities.alpha}`, '--city', `beta=${cities.beta}`]);
    assert.match(sub.stdout, /province subscribes to city alpha\nprovince subscribes to city beta/);
    const again = gridgov(['province', 'subscribe', '--db', province, '--city', `alpha=${cities.alpha}`]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /subscribes to city alpha already/);

    const pdir = tempDir();
    prov = await startServer({ db: province, dir: pdir, args: ['--province', '--media', path.join(pdir, 'media')] });
    const padmin = await prov.as('admin');
    // a burst in each city, at once
    await Promise.all([burst(servers.alpha, 24), burst(servers.beta, 20)]);

    const city = {};
    for (const [name, srv] of Object.entries(servers)) {
      const a = await srv.as('admin');
      city[name] = {
        all: (await a.get('/api/v1/stats/indicators?by=street')).body,
        grid: (await a.get('/api/v1/stats/indicators?by=grid')).body,
      };
    }
    assert.equal(city.alpha.all.all.reported, 30);
    assert.equal(city.beta.all.all.reported, 20);

    // the province catches up (logical replication is asynchronous)
    let got;
    const t0 = Date.now();
    for (let i = 0; i < 300; i++) {
      got = (await padmin.get('/api/v1/stats/indicators?by=street')).body;
      if (got?.all?.reported === 50 && got.all.filed === city.alpha.all.all.filed + city.beta.all.all.filed) break;
      await sleep(100);
    }
    t.diagnostic(`the province caught up ${Date.now() - t0} ms after the cities' bursts answered`);
    for (const k of KEYS)
      assert.equal(got.all[k], city.alpha.all.all[k] + city.beta.all.all[k], `province ${k}: ${JSON.stringify(got.all)}`);
    // street by street, each city's streets under its own name: the same codes never add up
    const want = {};
    for (const name of ['alpha', 'beta'])
      for (const it of city[name].all.items) want[`${name}:${it.key}`] = it;
    assert.deepEqual(got.items.map((it) => it.key).sort(), Object.keys(want).sort());
    for (const it of got.items) {
      for (const k of KEYS) assert.equal(it[k], want[it.key][k], `${it.key} ${k}`);
      assert.equal(it.name, want[it.key].name, `${it.key}: named from the province's grid tree`);
    }
    assert.ok(got.items.every((it) => it.name), 'every street has its name');
    // grids too
    const grids = (await padmin.get('/api/v1/stats/indicators?by=grid')).body;
    assert.equal(grids.items.length, city.alpha.grid.items.length + city.beta.grid.items.length);
    // ranking by city
    const byCity = (await padmin.get('/api/v1/stats/indicators?by=city')).body;
    assert.deepEqual(byCity.items.map((it) => [it.key, it.reported]), [['alpha', 30], ['beta', 20]]);
    // the heat map adds up too
    const heat = (await padmin.get('/api/v1/stats/heatmap')).body;
    assert.equal(heat.total, 50);
    // a second burst, the subscriptions running: how soon the province sees it
    await burst(servers.beta, 10);
    const t1 = Date.now();
    let n = 0;
    for (let i = 0; i < 300 && n !== 60; i++) {
      n = (await padmin.get('/api/v1/stats/indicators?by=city')).body.all.reported;
      if (n !== 60) await sleep(20);
    }
    assert.equal(n, 60);
    t.diagnostic(`a running subscription: the province saw 10 more cases ${Date.now() - t1} ms after they answered`);
  });

  test('the province is read-only, and by=city is a province\'s', async () => {
    const padmin = await prov.as('admin');
    const w = await padmin.post('/api/v1/cases', { category: 'E0102', description: 'x', channel: 'patrol', grid: GRIDS[0] });
    assert.equal(w.status, 403, w.text);
    assert.match(w.body.error.message, /province view and read-only/);
    const c = await padmin.put('/api/v1/categories/E0102', { name: 'x' });
    assert.equal(c.status, 403);
    const a = await servers.alpha.as('admin');
    const r = await a.get('/api/v1/stats/indicators?by=city');
    assert.equal(r.status, 422);
    // what only a city's cases answer is refused on the province, never zeros
    const odd = await padmin.get('/api/v1/stats/indicators?from=2026-12-01T08:00:00%2B08:00&to=2026-12-02');
    assert.equal(odd.status, 422, odd.text);
    assert.equal(odd.body.error.field, 'from');
    const micro = await padmin.get(`/api/v1/stats/indicators?under=${GRIDS[0]}001001`);
    assert.equal(micro.status, 422, micro.text);
    assert.equal(micro.body.error.field, 'under');
    // the same on a city is answered from its cases
    assert.equal((await a.get('/api/v1/stats/indicators?from=2026-12-01T08:00:00%2B08:00&to=2026-12-02')).status, 200);
  });

  test('a city unsubscribed leaves the province, and can subscribe again', async () => {
    const padmin = await prov.as('admin');
    const r = gridgovOk(['province', 'unsubscribe', '--db', province, '--city', 'beta']);
    assert.match(r.stdout, /no longer subscribes to city beta/);
    const byCity = (await padmin.get('/api/v1/stats/indicators?by=city')).body;
    assert.deepEqual(byCity.items.map((it) => [it.key, it.reported]), [['alpha', 30]]);
    assert.equal((await padmin.get('/api/v1/stats/heatmap')).body.total, 30);
    const again = gridgov(['province', 'unsubscribe', '--db', province, '--city', 'beta']);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /does not subscribe to city beta/);
    // its slot on the city went with the subscription: subscribing again works, and the
    // initial copy brings the city's rows back
    gridgovOk(['province', 'subscribe', '--db', province, '--city', `beta=${cities.beta}`]);
    let n = 0;
    for (let i = 0; i < 300 && n !== 60; i++) {
      n = (await padmin.get('/api/v1/stats/indicators?by=city')).body.all.reported;
      if (n !== 60) await sleep(50);
    }
    assert.equal(n, 60);
  });
});
