// SPDX-License-Identifier: Apache-2.0
// The case list pages by key: `?after=ID&per_page=N` gives the cases below ID, newest
// first, with `next` for the page after; paging while cases are being reported sees each
// case that existed at the start exactly once; filters (channel, grid, light) page the
// same way; `total` is exact on small sets; `?page=` still works but cannot overflow and
// refuses deep offsets.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, makeDatabase, gridgovOk, USERS, DATA } from './lib/harness.mjs';

const GRIDS = ['510105002002', '510105003003'];
let srv, op, worker2;

before(async () => {
  const d = makeDatabase({ users: [...USERS, { name: 'worker2', role: 'grid_worker', scope: GRIDS[1] }] });
  gridgovOk(['import', 'categories', '--db', d.db, path.join(DATA, 'categories.csv')]);
  srv = await startServer(d);
  op = await srv.as('operator');
  worker2 = await srv.as('worker2');
  await srv.setClock('2026-03-09T09:00:00+08:00'); // a Monday
});
after(async () => {
  const { code } = await srv.stop();
  assert.equal(code, 0, 'the server exits 0 on SIGTERM');
});

let made = 0;
async function report(i = made) {
  made++;
  const r = await op.post('/api/v1/cases', {
    category: 'E0101', description: `case ${i}`, grid: GRIDS[i % 2],
    channel: i % 3 ? 'grid_app' : 'hotline',
  });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

/** Every page of query by `after`/`next`; calls between() before each request after the first. */
async function pages(who, query, between = async () => {}) {
  const seen = [];
  let next = null, n = 0;
  do {
    const q = next === null ? query : `${query}&after=${next}`;
    const [r] = await Promise.all([who.get(`/api/v1/cases?${q}`), n++ ? between() : null]);
    assert.equal(r.status, 200, r.text);
    if (r.body.next !== null) assert.equal(r.body.next, r.body.items.at(-1).id, 'next is the last id of a full page');
    seen.push(...r.body.items.map((c) => c.id));
    next = r.body.next;
  } while (next !== null);
  return seen;
}

describe('keyset paging of the case list', () => {
  let start;
  before(async () => {
    for (let i = 0; i < 40; i++) await report(i);
    start = (await op.get('/api/v1/cases?per_page=100')).body;
  });

  test('the whole list is exact and ends with next = null', () => {
    assert.equal(start.items.length, 40);
    assert.equal(start.total, 40);
    assert.equal(start.total_exact, true);
    assert.equal(start.next, null);
  });

  test('paging by after while cases are reported sees each existing case once', async () => {
    const ids = start.items.map((c) => c.id);
    const added = [];
    // two reports race each page request
    const seen = await pages(op, 'per_page=7', async () => { added.push(await report(), await report()); });
    assert.ok(added.length >= 10, 'cases were reported while paging');
    assert.equal(new Set(seen).size, seen.length, 'no case is seen twice');
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i] < seen[i - 1], 'newest first');
    // a new case is newer than the first page, so only a fresh first page shows it
    assert.deepEqual(seen, ids, 'every case that existed is seen, in order, and only those');
    const fresh = (await op.get('/api/v1/cases?per_page=3')).body;
    assert.equal(fresh.items[0].id, Math.max(...added));
  });

  test('next is the after of the following page', async () => {
    const all = (await op.get('/api/v1/cases?per_page=100')).body.items.map((c) => c.id);
    const p1 = (await op.get('/api/v1/cases?per_page=5')).body;
    assert.deepEqual(p1.items.map((c) => c.id), all.slice(0, 5));
    assert.equal(p1.next, all[4]);
    const p2 = (await op.get(`/api/v1/cases?per_page=5&after=${p1.next}`)).body;
    assert.deepEqual(p2.items.map((c) => c.id), all.slice(5, 10));
    // after any id, not only one from a page: the cases below it
    const mid = (await op.get(`/api/v1/cases?per_page=100&after=${all[20] + 1}`)).body;
    assert.deepEqual(mid.items.map((c) => c.id), all.slice(20));
    assert.equal(mid.next, null);
    const last = (await op.get(`/api/v1/cases?per_page=5&after=${all.at(-1)}`)).body;
    assert.deepEqual(last.items, []);
    assert.equal(last.next, null);
  });

  test('filters page by key too', async () => {
    const all = (await op.get('/api/v1/cases?per_page=100')).body.items;
    const hotline = all.filter((c) => c.channel === 'hotline').map((c) => c.id);
    assert.deepEqual(await pages(op, 'channel=hotline&per_page=4'), hotline);
    assert.equal((await op.get('/api/v1/cases?channel=hotline')).body.total, hotline.length);
    const inGrid = all.filter((c) => c.grid.startsWith(GRIDS[1])).map((c) => c.id);
    assert.deepEqual(await pages(worker2, 'per_page=6'), inGrid, 'a grid worker pages through the scope');
    assert.deepEqual(await pages(worker2, 'open=true&per_page=5'), inGrid, 'and through its open cases');
    assert.deepEqual(await pages(op, `grid=${GRIDS[1]}&channel=grid_app&per_page=6`),
      all.filter((c) => c.grid.startsWith(GRIDS[1]) && c.channel === 'grid_app').map((c) => c.id));
    assert.deepEqual(await pages(op, 'state=reported&open=true&per_page=9'), all.map((c) => c.id));
    assert.deepEqual(await pages(op, 'state=closed&per_page=9'), []);
  });

  test('light= pages by key and matches the light of each case', async () => {
    // the first cases' filing limit runs out, the newest are fresh
    await srv.advance(3 * 24 * 3600);
    for (let i = 0; i < 6; i++) await report();
    const all = (await op.get('/api/v1/cases?per_page=100')).body.items;
    const lights = new Set(all.map((c) => c.light));
    assert.ok(lights.has('red') && lights.size >= 2, [...lights].join());
    for (const l of ['red', 'yellow', 'green']) {
      const want = all.filter((c) => c.light === l).map((c) => c.id);
      assert.deepEqual(await pages(op, `light=${l}&per_page=8`), want, l);
      const first = (await op.get(`/api/v1/cases?light=${l}`)).body;
      assert.equal(first.total, want.length, l);
      assert.equal(first.total_exact, true);
    }
  });
});

describe('page= for old clients', () => {
  test('page and per_page still page by offset', async () => {
    const all = (await op.get('/api/v1/cases?per_page=100')).body.items.map((c) => c.id);
    const r = await op.get('/api/v1/cases?per_page=4&page=3');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.items.map((c) => c.id), all.slice(8, 12));
  });

  test('a huge page is 422, not an overflow', async () => {
    for (const q of ['page=9223372036854775807', 'page=9223372036854775808', 'page=-1',
      'page=0', 'page=2x', 'per_page=20&page=502', 'page=9223372036854775807&per_page=100']) {
      const r = await op.get(`/api/v1/cases?${q}`);
      assert.equal(r.status, 422, q);
      assert.equal(r.body.error.field, 'page', q);
    }
    const deep = await op.get('/api/v1/cases?per_page=20&page=502');
    assert.match(deep.body.error.message, /after/);
    // the deepest allowed offset (10,000) answers, empty here
    const ok = await op.get('/api/v1/cases?per_page=20&page=501');
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body.items, []);
  });

  test('after is checked', async () => {
    for (const q of ['after=0', 'after=x', 'after=-5', 'after=99999999999999999999', 'after=5&page=2']) {
      const r = await op.get(`/api/v1/cases?${q}`);
      assert.equal(r.status, 422, q);
    }
  });
});
