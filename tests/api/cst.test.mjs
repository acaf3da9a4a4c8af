// SPDX-License-Identifier: Apache-2.0
// Days are days of China Standard Time: a case at 23:59 CST and one at 00:01 CST the next
// morning fall on two days, whatever the UTC date says, in by=day, in from/to windows and
// in GET /api/v1/time — at any hour the suite happens to run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, pointsIn } from './lib/harness.mjs';

let srv;
let u;
before(async () => {
  srv = await startServer({ setup: { map: true } });
  u = { worker: await srv.as('worker'), operator: await srv.as('operator') };
});
after(async () => { assert.equal((await srv.stop()).code, 0); });

const ymd = (y, m, d) => {
  const t = new Date(Date.UTC(y, m - 1, d));
  return `${t.getUTCFullYear()}-${String(t.getUTCMonth() + 1).padStart(2, '0')}-${String(t.getUTCDate()).padStart(2, '0')}`;
};

test('23:59 and 00:01 CST are two days; the UTC date does not count', async () => {
  // A day well after the server's today, so the clock only moves forward.
  const today = (await srv.request('GET', '/api/v1/time')).body.today;
  const [y, m, d] = today.split('-').map(Number);
  const day1 = ymd(y, m, d + 2), day2 = ymd(y, m, d + 3);
  const [p] = await pointsIn(u.operator, '510105002002');
  const report = async () => {
    const r = await u.worker.post('/api/v1/cases', { category: 'C0121', channel: 'worker', description: '报刊亭破损', lon: p.lon, lat: p.lat });
    assert.equal(r.status, 201, r.text);
    return r.body;
  };

  await srv.setClock(`${day1}T23:59:00+08:00`); // 15:59 UTC of day1
  let t = (await srv.request('GET', '/api/v1/time')).body;
  assert.equal(t.today, day1);
  assert.equal(t.utc_offset, 28800);
  u.worker = await srv.as('worker'); // tokens from before the jump have expired
  u.operator = await srv.as('operator');
  const late = await report();
  await srv.setClock(`${day2}T00:01:00+08:00`); // 16:01 UTC of day1: the same UTC date
  t = (await srv.request('GET', '/api/v1/time')).body;
  assert.equal(t.today, day2);
  assert.equal(t.now.slice(0, 10), day1, 'UTC still says the day before');
  assert.match(t.local, new RegExp(`^${day2}T00:01:\\d\\d\\+08:00$`));
  const early = await report();
  assert.ok(new Date(early.created_at) - new Date(late.created_at) < 3 * 60e3, 'two minutes apart');

  const ind = async (q) => {
    const r = await u.operator.get('/api/v1/stats/indicators?under=510105&' + q);
    assert.equal(r.status, 200, r.text);
    return r.body;
  };
  // by=day: one case on each CST day
  const byDay = await ind(`by=day&from=${day1}&to=${day2}`);
  assert.deepEqual(byDay.items.map((x) => [x.day, x.reported]), [[day1, 1], [day2, 1]]);
  // a one-day window holds that CST day's case only
  assert.equal((await ind(`from=${day1}&to=${day1}`)).all.reported, 1);
  assert.equal((await ind(`from=${day2}&to=${day2}`)).all.reported, 1);
  // RFC 3339 bounds are taken as given
  assert.equal((await ind(`from=${day2}T00:00:00%2B08:00&to=${day2}T00:00:30%2B08:00`)).all.reported, 0);
  assert.equal((await ind(`from=${day1}T23:00:00%2B08:00&to=${day2}T01:00:00%2B08:00`)).all.reported, 2);
  // the heat map's window is in CST days too
  const heat = (await u.operator.get(`/api/v1/stats/heatmap?from=${day2}&to=${day2}`)).body;
  assert.equal(heat.total, 1);
});
