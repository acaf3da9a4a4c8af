// SPDX-License-Identifier: Apache-2.0
// The two ways `gridgov import people` finds a repeated ID number. A load larger than the
// residents held drops the secondary indexes and keeps the ID hashes in memory: a number
// repeated inside the file, or already held, is refused by line. A small load into a
// fuller database keeps its indexes and asks them. Either way the good rows go in with
// --skip-bad-rows, nothing does without it, and lookup by ID number works afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, makeDatabase, gridgov } from './lib/harness.mjs';

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function idn(first17) {
  const s = [...first17].reduce((a, c, i) => a + Number(c) * W[i], 0);
  return first17 + '10X98765432'[s % 11];
}
const id = (i) => idn(`51010519800101${String(i).padStart(3, '0')}`);
const HEADER = 'grid,building,address,lon,lat,floors,units,unit,number,area,use,household,name,id_number,phone,relation,registered,living,tags';
const G1 = '510105002002001';
const row = (i, idNumber) => `${G1},B1,草市街1号,,,6,2,1,${100 + i},60,自住,,居民${i},${idNumber},,户主,1,1,`;

let dir, db, srv;
const file = (name, rows) => {
  const f = path.join(dir, name);
  writeFileSync(f, [HEADER, ...rows].join('\n') + '\n');
  return f;
};
const imp = (f, extra = []) => gridgov(['import', 'people', '--db', db, f, '--create-grids', ...extra]);

before(() => ({ dir, db } = makeDatabase()));
after(async () => { if (srv) await srv.stop(); });

test('bulk load: a number repeated inside the file is refused by line', () => {
  // ten residents, line 7 repeats line 3's number
  const rows = Array.from({ length: 10 }, (_, i) => row(i, i === 5 ? id(1) : id(i)));
  const f = file('bulk.csv', rows);
  const first = imp(f);
  assert.equal(first.status, 1);
  assert.match(first.stderr, /^line 7: id_number: this ID number is already registered$/m);
  assert.match(first.stderr, /1 bad row: nothing imported/);
  const second = imp(f, ['--skip-bad-rows']);
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stdout, /imported 9 residents/);
  assert.match(second.stdout, /skipped 1 bad row/);
});

test('bulk load over held residents: numbers already held are refused', () => {
  // more rows than the nine held, so this load drops the indexes again
  const rows = Array.from({ length: 30 }, (_, i) => row(20 + i, id(20 + i)));
  rows[4] = row(24, id(2)); // line 6: held since the first test
  const r = imp(file('more.csv', rows), ['--skip-bad-rows']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /^line 6: id_number: this ID number is already registered$/m);
  assert.match(r.stdout, /imported 29 residents/);
});

test('small load into a fuller database: the kept index finds a held number', () => {
  const f = file('small.csv', [row(90, id(3)), row(91, id(91))]);
  const first = imp(f);
  assert.equal(first.status, 1);
  assert.match(first.stderr, /^line 2: id_number: this ID number is already registered$/m);
  const second = imp(f, ['--skip-bad-rows']);
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stdout, /imported 1 residents/);
});

test('after the loads every resident is there once and found by ID number', async () => {
  srv = await startServer({ db, dir });
  const admin = await srv.as('admin');
  const list = await admin.get(`/api/v1/people/residents?under=${G1}&limit=100`);
  assert.equal(list.status, 200, list.text);
  assert.equal(list.body.total, 9 + 29 + 1);
  for (const [i, name] of [[1, '居民1'], [2, '居民2'], [29, '居民29'], [91, '居民91']]) {
    const r = await admin.post('/api/v1/people/lookup', { id_number: id(i) });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.total, 1);
    assert.equal(r.body.items[0].name, name);
  }
  const checks = gridgov(['check', 'people', '--db', db, '--json']);
  assert.equal(checks.status === 0 || checks.status === 3, true, checks.stderr);
  assert.equal(JSON.parse(checks.stdout).counts.duplicate_id_number, 0);
});
