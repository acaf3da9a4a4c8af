// SPDX-License-Identifier: Apache-2.0
// Masking that cannot be undone (issue 12, item 3): a masked ID number keeps digits 1-4
// and 15-18, so the birth date (digits 7-14) beside it is masked to its year for every
// caller who gets the mask, in answers and in the export; lookups by ID number are
// rate-limited per user with Retry-After, and every lookup, found or not, is trailed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, makeDatabase, gridgov, dbQuery } from './lib/harness.mjs';

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const idn = (f) => f + '10X98765432'[[...f].reduce((a, c, i) => a + Number(c) * W[i], 0) % 11];
const ID = idn('51010519900307123');
const OTHER = idn('51010519851111456');
const HEADER = 'grid,building,address,name,id_number,phone';

let srv;
before(async () => {
  const { dir, db } = makeDatabase();
  const file = path.join(dir, 'people.csv');
  writeFileSync(file, `${HEADER}\n510105002002001,B1,草市街1号,张三,${ID},13812345678\n`);
  const imp = gridgov(['import', 'people', '--db', db, file, '--create-grids']);
  assert.equal(imp.status, 0, imp.stderr);
  srv = await startServer({ db, dir, args: ['--lookup-rate', '3'] });
});
after(async () => { assert.equal((await srv.stop()).code, 0); });

const lookups = () => Number(dbQuery(srv.db, "SELECT count(*) AS n FROM pii_access WHERE reason='residents.lookup'")[0].n);

test('a masked record masks the birth date to its year; a clear one shows it', async () => {
  const op = await srv.as('operator');
  const w = await srv.as('worker');
  const m = (await op.get('/api/v1/people/residents')).body.items[0];
  assert.equal(m.masked, true);
  assert.equal(m.id_number, ID.slice(0, 4) + '**********' + ID.slice(14));
  assert.equal(m.birth, '1990-**-**');
  assert.ok(!JSON.stringify(m).includes('0307'), 'no digit of the birth date beyond the year');
  const one = (await op.get(`/api/v1/people/residents/${m.id}`)).body;
  assert.equal(one.birth, '1990-**-**');
  const c = (await w.get('/api/v1/people/residents')).body.items[0];
  assert.equal(c.masked, false);
  assert.equal(c.birth, '1990-03-07');
  const csv = await (await fetch(`${srv.url}/api/v1/people/export?under=510105`, { headers: { authorization: `Bearer ${op.token}` } })).text();
  assert.ok(csv.includes('1990-**-**') && !csv.includes('1990-03-07'), csv);
});

test('lookups are rate-limited per user and each is trailed, found or not', async () => {
  const op = await srv.as('operator');
  const before = lookups();
  let r = await op.post('/api/v1/people/lookup', { id_number: ID });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.total, 1);
  assert.equal(r.body.items[0].birth, '1990-**-**');
  r = await op.post('/api/v1/people/lookup', { id_number: OTHER });
  assert.equal(r.body.total, 0);
  assert.equal(lookups(), before + 2, 'the masked hit and the miss are both in the trail');
  assert.equal((await op.post('/api/v1/people/lookup', { id_number: OTHER })).status, 200);
  const limited = await op.post('/api/v1/people/lookup', { id_number: ID });
  assert.equal(limited.status, 429, limited.text);
  assert.ok(Number(limited.headers.get('retry-after')) >= 1);
  // another user has their own allowance
  const leader = await srv.as('leader');
  assert.equal((await leader.post('/api/v1/people/lookup', { id_number: ID })).status, 200);
  await srv.advance(60);
  assert.equal((await op.post('/api/v1/people/lookup', { id_number: ID })).status, 200);
});
