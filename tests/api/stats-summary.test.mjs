// SPDX-License-Identifier: Apache-2.0
// The indicators and the heat map read case summaries the store keeps with every case
// change. This drives random case histories through the real loop (random actions by
// random users, failed requests, clock jumps over CST midnights and the scheduler's 督办
// rounds) and after each batch compares EVERY indicator of every by= (every role's scope,
// under=, windows on and off day boundaries) and the heat map with a straightforward
// recount over the cases' rows, read from the database file. Then `gridgov stats
// rebuild` must leave the summaries as they were, and a CST day boundary test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, makeDatabase, gridgovOk, dbQuery, PG, USERS, DATA, pointsIn } from './lib/harness.mjs';

const SEED = Number(process.env.STATS_SEED ?? 20261208);
let seed = SEED;
function rnd(n) { // a small LCG: the same history for the same seed
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return Math.floor((seed / 2147483648) * n);
}
const pick = (v) => v[rnd(v.length)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const sql = dbQuery;

const CASE_ROWS = `SELECT id, grid, community, street, level, state, coalesce(department,'') AS department,
  channel, created_at, deadline, supervision, rating, dispatches, returns, reworks, filed_at, filed_on_time,
  handled_at, handled_on_time, closed_at, closed_on_time, extended, coalesce(merged_into,0) AS merged_into,
  lon IS NOT NULL AS has_point, ${PG ? 'lon::text AS lon, lat::text AS lat' : "printf('%.17g', lon) AS lon, printf('%.17g', lat) AS lat"}
  FROM gcase ORDER BY id`; // every digit of the points, as text

// ---- the reference: the old O(cases) tally of src/api/stats.c, over rows -------------

const isOpen = (c) => !['closed', 'evaluated', 'rejected', 'merged'].includes(c.state);
// overdue as the summaries keep it: open, a deadline, and a 督办 round opened on the stage
const isOverdue = (c) => isOpen(c) && c.deadline > 0 && c.supervision > 0;
const FACTS = ['reported', 'filed', 'filed_on_time', 'dispatched', 'accurate', 'handled', 'handled_on_time',
  'closed', 'closed_on_time', 'reworked', 'extended', 'rated', 'satisfied'];
const tally = (key) => ({ key, ...Object.fromEntries(FACTS.map((f) => [f, 0])), open: 0, overdue: 0 });

function count(t, c) {
  t.reported++;
  t.filed += c.filed_at > 0;
  t.filed_on_time += c.filed_at > 0 && !!c.filed_on_time;
  t.dispatched += c.dispatches > 0;
  t.accurate += c.dispatches > 0 && c.returns === 0;
  t.handled += c.handled_at > 0;
  t.handled_on_time += c.handled_at > 0 && !!c.handled_on_time;
  t.closed += c.closed_at > 0;
  t.closed_on_time += c.closed_at > 0 && !!c.closed_on_time;
  t.reworked += c.handled_at > 0 && c.reworks > 0;
  t.extended += c.dispatches > 0 && !!c.extended;
  t.rated += c.rating !== '';
  t.satisfied += c.rating === 'satisfied' || c.rating === 'basically';
}

const rate = (n, d) => (d ? Math.round((10000 * n) / d) / 10000 : null);
function tallyJson(t) {
  const j = { key: t.key };
  if (t.name) j.name = t.name;
  const put = (zh, en, v) => { j[zh] = v; j[en] = v; };
  put('上报数', 'reported', t.reported);
  put('立案数', 'filed', t.filed);
  put('派遣数', 'dispatched', t.dispatched);
  put('处置数', 'handled', t.handled);
  put('结案数', 'closed', t.closed);
  put('评价数', 'evaluated', t.rated);
  put('按时立案率', 'filed_on_time_rate', rate(t.filed_on_time, t.filed));
  put('准确派遣率', 'accurate_dispatch_rate', rate(t.accurate, t.dispatched));
  put('按期处置率', 'handled_on_time_rate', rate(t.handled_on_time, t.handled));
  put('结案率', 'closure_rate', rate(t.closed, t.filed));
  put('按期结案率', 'closed_on_time_rate', rate(t.closed_on_time, t.closed));
  put('返工率', 'rework_rate', rate(t.reworked, t.handled));
  put('延期率', 'extension_rate', rate(t.extended, t.dispatched));
  put('满意率', 'satisfaction_rate', rate(t.satisfied, t.rated));
  put('在办数', 'open', t.open);
  put('超期数', 'overdue', t.overdue);
  return j;
}

const dayOf = (t) => new Date((t + 8 * 3600) * 1000).toISOString().slice(0, 10);
function bound(s, isTo) {
  if (s === undefined) return isTo ? Infinity : 0;
  if (s.length === 10) return Date.parse(`${s}T00:00:00+08:00`) / 1000 + (isTo ? 86400 : 0);
  return Date.parse(s) / 1000;
}

function keyOf(c, by) {
  if (by === 'department') return c.department;
  if (by === 'street') return c.street;
  if (by === 'community') return c.community;
  if (by === 'channel') return c.channel;
  return c.grid.slice(0, 15); // a micro-grid's case counts for its basic grid, also escalated
}

function refIndicators(rows, names, { by, scope, dept, from, to }) {
  const lo = bound(from, false), hi = bound(to, true);
  const cases = rows.filter((c) => c.grid.startsWith(scope) && (!dept || c.department === dept));
  const all = tally('total');
  const groups = new Map();
  const group = (k) => { if (!groups.has(k)) groups.set(k, tally(k)); return groups.get(k); };
  if (by === 'day') for (let d = lo; d < hi; d += 86400) group(dayOf(d));
  for (const c of cases) {
    const inWin = c.created_at >= lo && c.created_at < hi;
    all.open += isOpen(c);
    all.overdue += isOverdue(c);
    if (by === 'day') {
      if (inWin) { group(dayOf(c.created_at)).reported++; count(all, c); }
      if (c.closed_at > 0 && c.closed_at >= lo && c.closed_at < hi) {
        const g = group(dayOf(c.closed_at));
        g.closed++;
        g.closed_on_time += !!c.closed_on_time;
      }
      continue;
    }
    const g = group(keyOf(c, by));
    g.open += isOpen(c);
    g.overdue += isOverdue(c);
    if (inWin) { count(g, c); count(all, c); }
  }
  let items = [...groups.values()];
  if (by === 'day') {
    items = items.map((t) => ({ ...tallyJson(t), day: t.key }));
  } else {
    items = items.filter((t) => t.reported > 0 || t.open > 0).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key));
    for (const t of items) if (by !== 'channel' && t.key) t.name = (by === 'department' ? names.dept : names.grid)[t.key];
    items = items.map(tallyJson);
  }
  return { items, total: items.length, by, all: tallyJson(all) };
}

const r15 = (v) => Number(v.toPrecision(15));

function refHeat(rows, { scope, dept, from, to, cell }) {
  const lo = bound(from, false), hi = bound(to, true), size = cell ?? 0.0005;
  const cells = new Map();
  let total = 0, unplaced = 0;
  for (const c of rows) {
    if (!c.grid.startsWith(scope) || (dept && c.department !== dept)) continue;
    if (c.created_at < lo || c.created_at >= hi || c.merged_into) continue;
    total++;
    if (!c.has_point) { unplaced++; continue; }
    const x = Math.floor(Number(c.lon) / size), y = Math.floor(Number(c.lat) / size);
    const k = `${x},${y}`;
    const e = cells.get(k) ?? { x, y, n: 0 };
    e.n++;
    cells.set(k, e);
  }
  const items = [...cells.values()].sort((a, b) => a.x - b.x || a.y - b.y)
    // the server writes reals with 15 significant digits (103.89925, not 103.89925000000001)
    .map((e) => ({ lon: r15((e.x + 0.5) * size), lat: r15((e.y + 0.5) * size), n: e.n }));
  return { items, total, unplaced, cell: size };
}

// ---- the random history -------------------------------------------------------------

let srv, u, points, codes, names;
const USERS_HERE = [...USERS,
  { name: 'hw', role: 'department', dept: 'HW', scope: '510105' },
  { name: 'sz', role: 'department', dept: 'SZ', scope: '510105' }];
// Department staff may not read stats today (role matrix): the summaries' department
// dimension that would serve them is checked in tests/unit/store/test_stats.c.
const SCOPES = { admin: '', operator: '510105', leader: '510105', street: '510105002', community: '510105002002' };
const DEPTS = { dept: 'CGZF', hw: 'HW', sz: 'SZ' };

before(async () => {
  const d = makeDatabase({ map: true, users: USERS_HERE });
  gridgovOk(['import', 'categories', '--db', d.db, path.join(DATA, 'categories.csv')]);
  srv = await startServer({ ...d, args: ['--token-ttl', String(365 * 86400)] });
  await srv.setClock('2026-12-08T20:00:00+08:00');
  u = {};
  for (const n of [...Object.keys(SCOPES), 'hw', 'sz', 'worker']) u[n] = await srv.as(n);
  assert.equal((await u.hw.get('/api/v1/stats/indicators')).status, 403);
  const grid = sql(srv.db, "SELECT code, name, level FROM grid WHERE code LIKE '510105%'");
  names = { grid: Object.fromEntries(grid.map((g) => [g.code, g.name])),
    dept: Object.fromEntries(sql(srv.db, 'SELECT code, name FROM department').map((g) => [g.code, g.name])) };
  const at = (lvl, under) => grid.filter((g) => g.level === lvl && g.code.startsWith(under)).map((g) => g.code);
  codes = { street: ['510105002', '510105003'], community: at(3, '510105002').slice(0, 3),
    grid: at(4, '510105002002').slice(0, 3), micro: at(5, '510105002002').slice(0, 3) };
  codes.lone = at(4, '510105002002')[3]; // only the whole-loop cases: all closed in the end
  codes.all = ['510105', ...codes.street, ...codes.community, ...codes.grid, ...codes.micro];
  points = [];
  for (const c of [...at(3, '510105002'), ...at(3, '510105003')]) {
    try { points.push(...await pointsIn(u.operator, c, 2)); } catch { /* a community whose grids' means fall outside */ }
    if (points.length >= 10) break;
  }
  assert.ok(points.length >= 4);
});
after(async () => {
  const { code } = await srv.stop();
  assert.equal(code, 0, srv.log.slice(-3000));
});

const CHANNELS = ['patrol', 'hotline', 'app', 'wechat'];
const NOTE = { return: 1, reject: 1, rework: 1, suspend: 1 };

async function newCase() {
  const body = { category: 'E0102', description: '暴露垃圾', channel: pick(CHANNELS) };
  const r = rnd(10);
  if (r < 5) Object.assign(body, (({ lon, lat }) => ({ lon, lat }))(pick(points)));
  else body.grid = pick(codes.all);
  if (rnd(8) === 0) body.photos = ['not-a-photo']; // fails after the insert: its savepoint rolls back
  const who = body.grid?.startsWith('510105002002') && rnd(2) ? u.community : u.operator;
  const res = await who.post('/api/v1/cases', body);
  if (body.photos) assert.equal(res.status, 422, res.text);
  else assert.equal(res.status, 201, res.text);
  return res.body?.id;
}

const HAPPY = ['file', 'dispatch', 'accept', 'handle', 'verify', 'close', 'evaluate'];
const DEPT_USER = { HW: 'hw', SZ: 'sz' };

async function randomAction(ids) {
  const id = pick(ids);
  const peek = await u.operator.get(`/api/v1/cases/${id}`);
  const dept = peek.body?.department;
  const name = dept && rnd(3) ? DEPT_USER[dept] : pick(['operator', 'operator', 'community', 'street', 'leader']);
  const c = name === 'operator' ? peek : await u[name].get(`/api/v1/cases/${id}`);
  if (c.status !== 200) return;
  const acts = c.body.allowed_actions.filter((a) => !['whistle', 'report', 'rate_department'].includes(a));
  if (!acts.length) return;
  const happy = acts.filter((a) => HAPPY.includes(a));
  const action = happy.length && rnd(10) < 7 ? pick(happy) : pick(acts); // mostly along the loop
  const body = { action };
  if (NOTE[action]) body.note = '说明';
  if (action === 'dispatch') body.department = pick(['HW', 'SZ']);
  if (action === 'extend') Object.assign(body, { hours: 8, note: '需要车辆' });
  if (action === 'evaluate') body.rating = pick(['satisfied', 'basically', 'unsatisfied']);
  if (action === 'merge') body.into = pick(ids);
  await u[name].post(`/api/v1/cases/${id}/actions`, body); // refusals are part of the history
}

// One case of the worker's community taken through the whole loop (closures on another
// day than the report, when the clock jumped between).
async function fullLoop(id, rating) {
  const steps = [['operator', 'file'], ['operator', 'dispatch', { department: 'HW' }], ['hw', 'accept'],
    ['hw', 'handle'], ['worker', 'verify'], ['operator', 'close'], ['operator', 'evaluate', { rating }]];
  for (const [who, action, extra] of steps) {
    const r = await u[who].post(`/api/v1/cases/${id}/actions`, { action, ...extra });
    assert.equal(r.status, 200, `${action}: ${r.text}`);
  }
}

function windows() {
  const day = (n) => dayOf(Date.parse('2026-12-08T00:00:00+08:00') / 1000 + n * 86400);
  const a = rnd(4), b = a + rnd(4);
  return [
    {},
    { from: day(a), to: day(b) },
    { from: day(a), to: day(a) },
    { from: day(0) },
    { from: `${day(a)}T10:00:00+08:00`, to: day(b + 1) }, // not a CST midnight: the bounded read
    { from: `${day(a)}T00:00:00+08:00`, to: `${day(b)}T16:00:00Z` }, // both on CST midnights
  ];
}

// Every request to check, with what the recount says it must answer.
function requests() {
  const out = [];
  for (const [who, scope] of Object.entries(SCOPES)) {
    const dept = DEPTS[who];
    const unders = [undefined, pick(codes.all.filter((c) => c.startsWith(scope))),
      pick(codes.micro.filter((c) => c.startsWith(scope)))].filter((x, i) => i === 0 || x);
    for (const under of unders) {
      const sc = under && under.startsWith(scope) ? under : scope;
      for (const w of windows()) {
        for (const by of ['department', 'grid', 'community', 'street', 'channel', 'day']) {
          if (by === 'day' && (!w.from || !w.to)) continue;
          const q = new URLSearchParams({ by, ...w, ...(under ? { under } : {}) });
          out.push({ who, url: `/api/v1/stats/indicators?${q}`, ref: (rows) => refIndicators(rows, names, { by, scope: sc, dept, ...w }) });
        }
        for (const cell of [undefined, 0.001, 0.0025, 0.0007]) {
          // an odd cell is counted case by case: only within a bounded window (else 422)
          if (cell === 0.0007 && !(w.from && w.to)) continue;
          const q = new URLSearchParams({ ...w, ...(under ? { under } : {}), ...(cell ? { cell } : {}) });
          out.push({ who, url: `/api/v1/stats/heatmap?${q}`, ref: (rows) => refHeat(rows, { scope: sc, dept, cell, ...w }) });
        }
      }
    }
  }
  return out;
}

// Ask everything between two identical reads of the cases (the scheduler may sweep).
async function compareAll() {
  const reqs = requests();
  for (let attempt = 0; ; attempt++) {
    const rows = sql(srv.db, CASE_ROWS);
    const got = [];
    for (const q of reqs) got.push(await u[q.who].get(q.url));
    const again = sql(srv.db, CASE_ROWS);
    if (JSON.stringify(rows) !== JSON.stringify(again)) {
      assert.ok(attempt < 5, 'the cases kept changing while the indicators were read');
      await sleep(300);
      continue;
    }
    reqs.forEach((q, i) => {
      assert.equal(got[i].status, 200, `${q.who} ${q.url}: ${got[i].text}`);
      assert.deepEqual(got[i].body, q.ref(rows), `${q.who} ${q.url} (seed ${SEED})`);
    });
    return { rows, checked: reqs.length };
  }
}

test('every indicator and the heat map equal a recount over the cases after random histories', async () => {
  const ids = [];
  let checked = 0, pending;
  for (let batch = 0; batch < 6; batch++) {
    if (pending) await fullLoop(pending, pick(['satisfied', 'basically'])); // (unsatisfied reopens)
    const made = await u.operator.post('/api/v1/cases', { category: 'E0102', description: '暴露垃圾', channel: pick(CHANNELS), grid: codes.lone });
    assert.equal(made.status, 201, made.text);
    pending = made.body.id; // kept out of the random actions
    for (let i = 0; i < 6; i++) {
      const id = await newCase();
      if (id) ids.push(id);
    }
    for (let i = 0; i < 40; i++) await randomAction(ids);
    await srv.advance(3600 * (1 + rnd(14)) + rnd(3600)); // across CST midnights; overdue stages
    await sleep(400); // the scheduler's sweep (every 100 ms, woken by the clock)
    const r = await compareAll();
    checked += r.checked;
    if (batch === 5) {
      const states = new Set(r.rows.map((c) => c.state));
      assert.ok(states.size >= 5, `a varied history: ${[...states]}`);
      assert.ok(r.rows.some(isOverdue), 'some case is overdue');
      assert.ok(r.rows.some((c) => c.closed_at > 0), 'some case is closed');
    }
  }
  await fullLoop(pending, 'satisfied'); // the lone grid's cases are now all closed
  checked += (await compareAll()).checked;
  assert.ok(checked > 1000);
});

test('stats rebuild leaves the summaries equal to the live ones', async () => {
  const dump = () => JSON.stringify([
    sql(srv.db, `SELECT * FROM case_sum WHERE ${['reported', 'filed', 'filed_on_time', 'dispatched', 'accurate', 'handled',
      'handled_on_time', 'closed', 'closed_on_time', 'reworked', 'extended', 'rated', 'satisfied', 'closed_day',
      'closed_day_on_time'].map((c) => `${c} <> 0`).join(' OR ')} ORDER BY 1,2,3,4,5,6`),
    sql(srv.db, 'SELECT * FROM case_live WHERE open <> 0 OR overdue <> 0 OR cases <> 0 ORDER BY 1,2,3,4,5'),
    sql(srv.db, 'SELECT * FROM case_heat WHERE n0 <> 0 OR n1 <> 0 OR n2 <> 0 OR n3 <> 0 OR n4 <> 0 OR n5 <> 0 OR n6 <> 0 ORDER BY 1,2,3,4,5')]);
  const live = dump();
  assert.ok(live.length > 1000);
  const r = gridgovOk(['stats', 'rebuild', '--db', srv.db]);
  assert.match(r.stdout, /summaries rebuilt from \d+ cases/);
  assert.equal(dump(), live);
  await compareAll(); // and the indicators read from the rebuilt summaries
});

test('a CST day runs from 00:00 to 24:00 China time in by=day, windows and the heat map', async () => {
  const d = makeDatabase();
  gridgovOk(['import', 'categories', '--db', d.db, path.join(DATA, 'categories.csv')]);
  const s = await startServer(d);
  try {
    await s.setClock('2026-12-08T23:59:00+08:00'); // 15:59 UTC
    const op = await s.as('operator');
    const report = async () => {
      const r = await op.post('/api/v1/cases', { category: 'E0102', description: '暴露垃圾', channel: 'patrol', grid: '510105002002' });
      assert.equal(r.status, 201, r.text);
    };
    await report();
    await s.setClock('2026-12-09T00:01:00+08:00'); // 16:01 UTC, the same UTC day
    await report();
    let r = await op.get('/api/v1/stats/indicators?by=day&from=2026-12-08&to=2026-12-09');
    assert.deepEqual(r.body.items.map((i) => [i.day, i.reported]), [['2026-12-08', 1], ['2026-12-09', 1]]);
    r = await op.get('/api/v1/stats/indicators?from=2026-12-08&to=2026-12-08');
    assert.equal(r.body.all.reported, 1);
    r = await op.get('/api/v1/stats/indicators?from=2026-12-09&to=2026-12-09');
    assert.equal(r.body.all.reported, 1);
    r = await op.get('/api/v1/stats/indicators?from=2026-12-09T00:00:00%2B08:00');
    assert.equal(r.body.all.reported, 1, 'an RFC 3339 midnight is the same boundary');
    r = await op.get('/api/v1/stats/indicators?from=2026-12-08T23:58:00%2B08:00&to=2026-12-09T00:00:00%2B08:00');
    assert.equal(r.body.all.reported, 1, 'a window off the day boundary reads the cases');
    r = await op.get('/api/v1/stats/heatmap?from=2026-12-09&to=2026-12-09');
    assert.deepEqual([r.body.total, r.body.unplaced], [1, 1]);
    r = await op.get('/api/v1/stats/heatmap?to=2026-12-08');
    assert.deepEqual([r.body.total, r.body.unplaced], [1, 1]);
  } finally {
    const { code } = await s.stop();
    assert.equal(code, 0);
  }
});
