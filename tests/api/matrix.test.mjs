// SPDX-License-Identifier: Apache-2.0
// The role × scope matrix, generated from the route table (GET /api/v1/test/routes, test
// servers only), so a new route is covered without anyone remembering: every route ×
// every role × in and out of scope. Without a token a protected route is 401; a role the
// route's permission does not allow gets 403; an allowed role in its scope is neither 401
// nor 403; out of its scope (a grid, case, resident or photo of another street) it gets a
// refusal, never a 2xx; and no answer to a scoped user names a grid of the other street.
// (A department sees cases dispatched to it rather than a grid: for its case and photo
// routes only the refusal out of scope is checked.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, makeDatabase, gridgov, gridgovOk, DATA } from './lib/harness.mjs';
import { tinyJpeg } from './lib/images.mjs';

const STREET = '510105002', IN = '510105002002', OTHER_STREET = '510105018', OUT = '510105018006';
const USERS = [
  { name: 'admin', role: 'admin' },
  { name: 'admin_s', role: 'admin', scope: STREET },
  { name: 'operator_s', role: 'operator', scope: STREET },
  { name: 'leader_s', role: 'leader', scope: STREET },
  { name: 'street', role: 'street', scope: STREET },
  { name: 'community', role: 'community', scope: IN },
  { name: 'worker', role: 'grid_worker', scope: IN },
  { name: 'dept', role: 'department', dept: 'CGZF', scope: STREET },
];
const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const idn = (f) => f + '10X98765432'[[...f].reduce((a, c, i) => a + Number(c) * W[i], 0) % 11];

let srv, u = {}, routes, fx;
before(async () => {
  const d = makeDatabase({ map: true, users: USERS });
  gridgovOk(['import', 'categories', '--db', d.db, path.join(DATA, 'categories.csv')]);
  const csv = path.join(d.dir, 'people.csv');
  writeFileSync(csv, 'grid,building,address,name,id_number\n' +
    `${IN}001,B1,甲街1号,甲,${idn('51010519800101123')}\n${OUT}001,B9,乙街9号,乙,${idn('51010519810202456')}\n`);
  const imp = gridgov(['import', 'people', '--db', d.db, csv, '--create-grids']);
  assert.equal(imp.status, 0, imp.stderr);
  srv = await startServer({ db: d.db, dir: d.dir, args: ['--login-rate', '0', '--lookup-rate', '0'] });
  for (const x of USERS) u[x.name] = await srv.as(x.name);
  routes = (await srv.request('GET', '/api/v1/test/routes')).body.items;
  const admin = u.admin;
  const [shaIn] = await admin.upload(tinyJpeg(11));
  const [shaOut] = await admin.upload(tinyJpeg(12));
  const mk = async (grid, sha) => {
    const r = await admin.post('/api/v1/cases', { category: 'E0101', description: '矩阵', channel: 'grid_app', grid, photos: [sha] });
    assert.equal(r.status, 201, r.text);
    return String(r.body.id);
  };
  const first = async (under) => String((await admin.get(`/api/v1/people/residents?under=${under}&limit=1`)).body.items[0].id);
  fx = {
    grid: [IN, OUT],
    case: [await mk(IN, shaIn), await mk(OUT, shaOut)],
    resident: [await first(IN), await first(OUT)],
    media: [shaIn, shaOut],
  };
});
after(async () => { assert.equal((await srv.stop()).code, 0); });

/** The path for a pattern with its parameters in (i = 0) or out of (i = 1) scope; null when there is no such fixture. */
function fill(pattern, i) {
  let scoped = false, ok = true;
  const p = pattern.replace(/\{(\w+)\}/g, (_, name) => {
    if (pattern.startsWith('/api/v1/grids/')) { scoped = true; return fx.grid[i]; }
    if (pattern.startsWith('/api/v1/cases/')) { scoped = true; return fx.case[i]; }
    if (pattern.startsWith('/api/v1/people/residents/')) { scoped = true; return fx.resident[i]; }
    if (pattern.startsWith('/api/v1/media/')) { scoped = true; return fx.media[i]; }
    if (pattern.startsWith('/api/v1/categories/')) return 'E0101';
    if (name === 'id') return '999999';
    ok = false;
    return 'x';
  });
  if (!ok || (i === 1 && !scoped)) return null;
  return p;
}

async function call(rt, p, token) {
  if (rt.pattern === '/api/v1/events') { // a stream never ends: its status and first bytes
    const ac = new AbortController();
    const res = await fetch(srv.url + p, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: ac.signal });
    const { value } = res.status === 200 ? await res.body.getReader().read() : { value: new TextEncoder().encode(await res.text()) };
    ac.abort();
    return { status: res.status, text: new TextDecoder().decode(value ?? new Uint8Array()) };
  }
  const body = rt.method === 'GET' || rt.method === 'DELETE' ? undefined : {};
  return srv.request(rt.method, p, { token, body });
}

const skip = (rt) => rt.perm === 'public' || rt.test_only || (rt.method === 'DELETE' && rt.pattern === '/api/v1/session');

test('every protected route refuses a request without a token', async () => {
  for (const rt of routes.filter((r) => !skip(r))) {
    const p = fill(rt.pattern, 0);
    if (!p) continue;
    const r = await call(rt, p);
    assert.equal(r.status, 401, `${rt.method} ${p}: ${r.text}`);
  }
});

test('every route × every role × in and out of scope', async (t) => {
  const checked = { forbidden: 0, allowed: 0, out: 0 };
  for (const rt of routes.filter((r) => !skip(r))) {
    for (const user of USERS) {
      const token = u[user.name].token;
      const allowed = rt.roles.includes(user.role);
      const pin = fill(rt.pattern, 0);
      if (!pin) continue;
      const a = await call(rt, pin, token);
      const what = `${user.name} ${rt.method} ${pin}`;
      if (!allowed) {
        assert.equal(a.status, 403, `${what}: ${a.text}`);
        checked.forbidden++;
        continue;
      }
      // a department sees cases (and their photos) dispatched to it, not a grid: no fixture is "in" for it
      const byDept = user.role === 'department' && /^\/api\/v1\/(cases|media)\//.test(rt.pattern);
      if (!byDept)
        assert.ok(![401, 403].includes(a.status) && a.status < 500, `${what} in scope: ${a.status} ${a.text.slice(0, 300)}`);
      if (user.scope && rt.method === 'GET')
        assert.ok(!a.text.includes(OTHER_STREET), `${what} names the other street: ${a.text.slice(0, 300)}`);
      checked.allowed++;
      const pout = fill(rt.pattern, 1);
      if (!pout || !user.scope) continue;
      const b = await call(rt, pout, token);
      assert.ok(b.status >= 400 && b.status < 500, `${user.name} ${rt.method} ${pout} out of scope: ${b.status} ${b.text.slice(0, 300)}`);
      if (rt.method === 'GET') assert.ok([403, 404].includes(b.status), `${user.name} GET ${pout}: ${b.status}`);
      checked.out++;
    }
  }
  t.diagnostic(`routes ${routes.length}: ${JSON.stringify(checked)}`);
  assert.ok(checked.forbidden > 50 && checked.allowed > 50 && checked.out > 20, JSON.stringify(checked));
});
