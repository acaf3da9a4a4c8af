// SPDX-License-Identifier: Apache-2.0
// The grid map end to end: GeoJSON import (with a repaired and a refused geometry),
// locate over HTTP and the CLI, the GeoJSON export, staff, and the demo map of all five
// districts passing `check grids` with zero errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { gridgov, gridgovOk, makeDatabase, startServer, tempDir } from './lib/harness.mjs';

const sq = (x0, y0, x1, y1) => [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]];
const feature = (code, level, parent, coordinates, type = 'Polygon', extra = {}) => ({
  type: 'Feature',
  properties: { code, name: `n${code}`, level, parent_code: parent, ...extra },
  geometry: { type, coordinates },
});

// Community 510105002002 of the harness's database: two grids side by side sharing x = 104.01.
const MAP = {
  type: 'FeatureCollection',
  features: [
    feature('510105002002001', 'grid', '510105002002', sq(104.0, 30.0, 104.01, 30.01), 'Polygon',
      { households: 350, population: 900 }),
    // unclosed ring with a repeated point: repaired and reported
    feature('510105002002002', 'grid', '510105002002',
      [[[104.01, 30.0], [104.02, 30.0], [104.02, 30.0], [104.02, 30.01], [104.01, 30.01]]], 'Polygon',
      { households: 400, population: 1000 }),
    feature('510105002002', 'community', '510105002', sq(104.0, 30.0, 104.02, 30.01)),
  ],
};

function writeJson(dir, name, obj) {
  const f = path.join(dir, name);
  writeFileSync(f, JSON.stringify(obj));
  return f;
}

test('import, locate, export and staff', async () => {
  const { dir, db } = makeDatabase();
  const r = gridgovOk(['import', 'geojson', '--db', db, writeJson(dir, 'map.geojson', MAP)]);
  assert.match(r.stdout, /imported 3 features with geometry \(1 repaired\)/);
  assert.match(r.stderr, /510105002002002: repaired: closed 1 ring, dropped 1 repeated point/);

  // a bow-tie is made valid and reported; a collapsed ring refuses the whole import
  const bow = { type: 'FeatureCollection', features: [feature('510105002002003', 'grid', '510105002002',
    [[[104.0, 30.02], [104.01, 30.03], [104.01, 30.02], [104.0, 30.03], [104.0, 30.02]]])] };
  const b = gridgovOk(['import', 'geojson', '--db', db, writeJson(dir, 'bow.geojson', bow)]);
  assert.match(b.stderr, /510105002002003: repaired: made valid \(Self-intersection/);
  const flat = { type: 'FeatureCollection', features: [
    feature('510105002002004', 'grid', '510105002002', sq(104.03, 30.0, 104.04, 30.01)),
    feature('510105002002005', 'grid', '510105002002', [[[104.0, 30.0], [104.01, 30.01], [104.02, 30.02], [104.0, 30.0]]])] };
  const f = gridgov(['import', 'geojson', '--db', db, writeJson(dir, 'flat.geojson', flat)]);
  assert.equal(f.status, 1);
  assert.match(f.stderr, /feature 1 \(510105002002005\): the geometry collapses: it has no area.*\(nothing imported\)/);

  // CLI locate: the shared edge x = 104.01 goes to the lower code
  const l = gridgovOk(['locate', '--db', db, '104.01', '30.005']);
  assert.match(l.stdout, /grid\s+510105002002001 /);
  assert.match(l.stdout, /community\s+510105002002 /);
  const out = gridgov(['locate', '--db', db, '120', '30']);
  assert.equal(out.status, 1);
  assert.match(out.stdout, /outside the district/);

  const srv = await startServer({ db, dir });
  try {
    const admin = await srv.as('admin');
    let res = await admin.get('/api/v1/grids/locate?lon=104.015&lat=30.005');
    assert.equal(res.status, 200);
    assert.equal(res.body.code, '510105002002002');
    assert.equal(res.body.level, 'grid');
    assert.deepEqual(res.body.chain.map((c) => c.code), ['510105', '510105002', '510105002002', '510105002002002']);
    assert.deepEqual(res.body.chain.map((c) => c.level_name), ['区', '街道', '社区', '网格']);
    res = await admin.get('/api/v1/grids/locate?lon=104.01&lat=30.005');
    assert.equal(res.body.code, '510105002002001');
    res = await admin.get('/api/v1/grids/locate?lon=121&lat=31');
    assert.equal(res.status, 404);
    assert.match(res.body.error.message, /outside the district/);
    res = await admin.get('/api/v1/grids/locate?lon=abc&lat=31');
    assert.equal(res.status, 422);

    res = await admin.get('/api/v1/grids.geojson?under=510105002002&level=grid');
    assert.equal(res.status, 200);
    assert.equal(res.body.type, 'FeatureCollection');
    assert.deepEqual(res.body.features.map((x) => x.properties.code),
      ['510105002002001', '510105002002002', '510105002002003']);
    const g1 = res.body.features[0];
    assert.equal(g1.properties.households, 350);
    assert.equal(g1.properties.population, 900);
    assert.equal(g1.geometry.type, 'Polygon');
    res = await admin.get('/api/v1/grids.geojson?under=510105002002&level=community');
    assert.equal(res.body.features[0].properties.households, 350 + 400);

    // scope: a community user may not export another street
    const comm = await srv.as('community');
    res = await comm.get('/api/v1/grids.geojson?under=510105001');
    assert.equal(res.status, 403);

    // staff: the community may assign within its scope; the check reports grids without one
    res = await comm.get('/api/v1/checks/grids');
    assert.equal(res.status, 200);
    assert.ok(res.body.problems.some((p) => p.kind === 'no_dedicated_worker' && p.code === '510105002002001'));
    res = await comm.post('/api/v1/grids/510105002002001/staff', { role: 'dedicated', name: '李四' });
    assert.equal(res.status, 201);
    res = await comm.post('/api/v1/grids/510105002002001/staff', { role: 'part_time', name: '王五' });
    assert.equal(res.status, 422);
    res = await comm.post('/api/v1/grids/510105002002001/staff', { role: 'part_time', name: '王五', dept: 'CGZF' });
    assert.equal(res.status, 201);
    res = await comm.post('/api/v1/grids/510105002002001/staff', { role: 'part_time', name: '赵六', dept: 'NOPE' });
    assert.equal(res.status, 422);
    res = await comm.post('/api/v1/grids/510105002002001/staff', { role: 'boss', name: '赵六' });
    assert.equal(res.status, 422);
    assert.equal(res.body.error.field, 'role');
    res = await comm.post('/api/v1/grids/510105003003/staff', { role: 'leader', name: '赵六' });
    assert.equal(res.status, 403);
    res = await comm.get('/api/v1/grids/510105002002001/staff');
    assert.deepEqual(res.body.items.map((s) => s.role).sort(), ['dedicated', 'part_time']);
    const worker = await srv.as('worker');
    res = await worker.post('/api/v1/grids/510105002002001/staff', { role: 'dedicated', name: 'x' });
    assert.equal(res.status, 403);
    res = await comm.get('/api/v1/checks/grids');
    assert.ok(!res.body.problems.some((p) => p.kind === 'no_dedicated_worker' && p.code === '510105002002001'));
  } finally {
    assert.equal((await srv.stop()).code, 0);
  }
});

test('the map changes under a running server and locate follows', async () => {
  const { dir, db } = makeDatabase();
  const srv = await startServer({ db, dir });
  try {
    const admin = await srv.as('admin');
    let res = await admin.get('/api/v1/grids/locate?lon=104.005&lat=30.005');
    assert.equal(res.status, 404);
    gridgovOk(['import', 'geojson', '--db', db, writeJson(dir, 'map.geojson', MAP)]);
    for (let i = 0; i < 50 && res.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      res = await admin.get('/api/v1/grids/locate?lon=104.005&lat=30.005');
    }
    assert.equal(res.status, 200);
    assert.equal(res.body.code, '510105002002001');
  } finally {
    assert.equal((await srv.stop()).code, 0);
  }
});

test('the demo map is reproducible with --seed', () => {
  const dir = tempDir();
  try {
    const run = (seed, name) => {
      const db = path.join(dir, name);
      gridgovOk(['demo', '--district', '320105', '--db', db, '--seed', String(seed)]);
      return ['118.72 32.0', '118.74 32.02', '118.70 31.99', '118.76 32.03'].map((p) =>
        gridgov(['locate', '--db', db, ...p.split(' ')]).stdout).join('');
    };
    const a = run(3, 'a.db'), b = run(3, 'b.db'), c = run(4, 'c.db');
    assert.match(a, /micro\s+320105\d{12}/);
    assert.equal(a, b);
    assert.notEqual(a, c);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

for (const district of ['510105', '621002', '370202', '340881', '320105']) {
  test(`demo ${district} passes check grids`, () => {
    const dir = tempDir();
    try {
      const db = path.join(dir, 'demo.db');
      gridgovOk(['demo', '--district', district, '--db', db, '--seed', '7']);
      const r = gridgov(['check', 'grids', '--db', db, '--json']);
      const rep = JSON.parse(r.stdout);
      assert.deepEqual(rep.problems, []);
      assert.equal(rep.errors, 0);
      assert.equal(r.status, 0);
      assert.ok(rep.checked.grids > 100);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
