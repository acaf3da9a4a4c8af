// SPDX-License-Identifier: Apache-2.0
// The command center's heat map: cases counted on a lattice of cells within the caller's
// scope and window, with cases that have no position counted apart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, pointsIn } from './lib/harness.mjs';

let srv;
let u;
before(async () => {
  srv = await startServer({ setup: { map: true } });
  u = { worker: await srv.as('worker'), operator: await srv.as('operator'), street: await srv.as('street'), dept: await srv.as('dept') };
});
after(async () => { assert.equal((await srv.stop()).code, 0); });

test('cases are counted per cell, in scope and window only', async () => {
  const [p, q] = await pointsIn(u.operator, '510105002002', 2);
  const report = async (body) => {
    const r = await u.worker.post('/api/v1/cases', { category: 'C0121', channel: 'worker', description: '报刊亭破损', ...body });
    assert.equal(r.status, 201, r.text);
  };
  for (let i = 0; i < 3; i++) await report({ lon: p.lon + i * 1e-6, lat: p.lat });
  await report({ lon: q.lon, lat: q.lat });
  await report({ grid: '510105002002' }); // no position

  let r = await u.operator.get('/api/v1/stats/heatmap');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.total, 5);
  assert.equal(r.body.unplaced, 1);
  assert.equal(r.body.cell, 0.0005);
  assert.deepEqual(r.body.items.map((c) => c.n).sort(), [1, 3]);
  const hot = r.body.items.find((c) => c.n === 3);
  assert.ok(Math.abs(hot.lon - p.lon) <= 0.00025 && Math.abs(hot.lat - p.lat) <= 0.00025, 'the cell holds its cases');
  // compact=1, the command center's form: the same cells as integers x, y, n in one array
  const today = (await u.operator.get('/api/v1/time')).body.today;
  for (const cell of ['', '&cell=0.001', `&cell=0.0007&from=${today}&to=${today}`]) {
    const full = (await u.operator.get(`/api/v1/stats/heatmap${cell.replace("&", "?")}`)).body;
    const c = await u.operator.get(`/api/v1/stats/heatmap?compact=1${cell}`);
    assert.equal(c.status, 200, c.text);
    assert.equal(c.body.items, undefined);
    assert.deepEqual([c.body.total, c.body.unplaced, c.body.cell], [full.total, full.unplaced, full.cell]);
    assert.equal(c.body.cells.length, 3 * full.items.length);
    assert.ok(c.body.cells.every(Number.isInteger));
    const back = [];
    for (let i = 0; i < c.body.cells.length; i += 3) {
      const [x, y, n] = c.body.cells.slice(i, i + 3);
      back.push({ lon: (x + 0.5) * c.body.cell, lat: (y + 0.5) * c.body.cell, n });
    }
    assert.equal(back.length, full.items.length);
    back.forEach((b, i) => {
      assert.ok(Math.abs(b.lon - full.items[i].lon) < 1e-9 && Math.abs(b.lat - full.items[i].lat) < 1e-9, `cell ${i}`);
      assert.equal(b.n, full.items[i].n);
    });
  }

  // the grid map colours basic grids: cases in micro-grids count for their grid
  const g = (await u.operator.get(`/api/v1/grids/locate?lon=${p.lon}&lat=${p.lat}`)).body;
  assert.equal(g.level, 'micro');
  const byGrid = (await u.operator.get('/api/v1/stats/indicators?by=grid')).body.items;
  const mine = byGrid.find((x) => x.key === g.code.slice(0, 15));
  assert.ok(mine, `grid ${g.code.slice(0, 15)} is a group: ${byGrid.map((x) => x.key)}`);
  assert.equal(mine.open, 3);
  assert.ok(byGrid.every((x) => x.key.length <= 15));
  // a window that ends before today has nothing; a street sees its own street's cases
  r = await u.operator.get('/api/v1/stats/heatmap?to=2020-01-01');
  assert.deepEqual([r.body.total, r.body.items], [0, []]);
  r = await u.street.get('/api/v1/stats/heatmap');
  assert.equal(r.body.total, 5);
  r = await u.street.get('/api/v1/stats/heatmap?under=510105003');
  assert.equal(r.status, 403);
  // statistics are not a department's to read (like the indicators)
  r = await u.dept.get('/api/v1/stats/heatmap');
  assert.equal(r.status, 403);
  // bad input names its field
  r = await u.operator.get('/api/v1/stats/heatmap?cell=0');
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'cell');
  // a cell that is not a multiple of the kept 0.0005° is counted case by case: only
  // within a window of at most 31 days
  r = await u.operator.get('/api/v1/stats/heatmap?cell=0.0007');
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'cell');
  r = await u.operator.get('/api/v1/stats/heatmap?cell=0.0007&from=2026-01-01&to=2026-01-20');
  assert.equal(r.status, 200, r.text);
  r = await u.operator.get('/api/v1/stats/heatmap?from=yesterday');
  assert.equal(r.body.error.field, 'from');
});
