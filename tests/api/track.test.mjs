// SPDX-License-Identifier: Apache-2.0
// Patrol tracks end to end (issue 15): the OsmAnd listener with every request shape of
// Traccar's OsmAndProtocolDecoderTest and Traccar Client's JSON object and batched array,
// its refusals (400, 404, 413), the cleaning's rejected fixes with their reasons, a patrol
// across two grids with its time inside the worker's own grid and a stop, the live
// positions, and who may see them (a worker their own, a community its workers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { gridgov, gridgovOk, makeDatabase, PASSWORD, startServer, USERS } from './lib/harness.mjs';

const sq = (x0, y0, x1, y1) => [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]];
const feature = (code, level, parent, coordinates) => ({
  type: 'Feature',
  properties: { code, name: `n${code}`, level, parent_code: parent },
  geometry: { type: 'Polygon', coordinates },
});
// Grids A and B of community 510105002002, side by side at x = 104.01.
const MAP = {
  type: 'FeatureCollection',
  features: [
    feature('510105002002', 'community', '510105002', sq(104.0, 30.0, 104.02, 30.01)),
    feature('510105002002001', 'grid', '510105002002', sq(104.0, 30.0, 104.01, 30.01)),
    feature('510105002002002', 'grid', '510105002002', sq(104.01, 30.0, 104.02, 30.01)),
  ],
};
const users = [...USERS, { name: 'community2', role: 'community', scope: '510105002003' }];
// the workers of grids A and B (after the map, whose grids their scopes name)
const WORKERS = [{ name: 'w1', scope: '510105002002001' }, { name: 'w2', scope: '510105002002002' }];

const NOW = Date.parse('2026-03-02T00:00:00Z'); // 08:00 CST
const LAT = 30.005;
const mLon = (m) => m / (111195 * Math.cos((LAT * Math.PI) / 180));
const mLat = (m) => m / 111195;

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// w1's walk: from lon 103.995 to 104.025 at 1.25 m/s, a fix every 20 s, with a 6-minute
// stand in grid A at lon 104.005 (its phone jittering by up to 5 m); ends 40 s before NOW.
function route() {
  const v = 1.25, step = 20000;
  const fixes = [];
  let seed = 7;
  const rand = () => { seed = (seed * 48271) % 2147483647; return seed / 2147483647 * 2 - 1; };
  const legLen = (x0, x1) => (x1 - x0) / mLon(1);
  const walkS = (legLen(103.995, 104.025)) / v;
  let t = NOW - 40000 - Math.round(walkS * 1000) - 360000;
  const walk = (x0, x1) => {
    const dur = legLen(x0, x1) / v * 1000;
    for (let s = 0; s < dur; s += step) fixes.push({ t: t + s, lon: x0 + (x1 - x0) * (s / dur), lat: LAT });
    t += dur;
  };
  walk(103.995, 104.005);
  for (let s = 0; s <= 360000; s += step) fixes.push({ t: t + s, lon: 104.005 + mLon(5 * rand()), lat: LAT + mLat(5 * rand()) });
  t += 360000;
  walk(104.005, 104.025);
  fixes.push({ t, lon: 104.025, lat: LAT });
  const truthA = (0.01 / 0.03) * walkS + 360; // seconds inside grid A
  return { fixes, truthA, walkM: legLen(103.995, 104.025), end: t };
}

test('OsmAnd listener, cleaning, patrols and live positions', async () => {
  const { dir, db } = makeDatabase({ users });
  const map = path.join(dir, 'map.geojson');
  writeFileSync(map, JSON.stringify(MAP));
  gridgovOk(['import', 'geojson', '--db', db, map]);
  for (const w of WORKERS) {
    gridgovOk(['user', 'add', '--db', db, '--name', w.name, '--role', 'grid_worker', '--scope', w.scope],
      { input: `${PASSWORD}\n` });
  }
  gridgovOk(['device', 'add', '--db', db, '--id', '48241179', '--type', 'tracker', '--user', 'w1']);
  gridgovOk(['device', 'add', '--db', db, '--id', '123456', '--type', 'tracker', '--user', 'w2']);
  const dup = gridgov(['device', 'add', '--db', db, '--id', '123456', '--type', 'tracker', '--user', 'w1']);
  assert.equal(dup.status, 1);
  assert.match(dup.stderr, /a tracker 123456 exists already/);
  const nouser = gridgov(['device', 'add', '--db', db, '--id', '5', '--type', 'tracker', '--user', 'nobody']);
  assert.equal(nouser.status, 1);
  assert.match(nouser.stderr, /no user nobody/);

  const port = await freePort();
  const srv = await startServer({ db, dir, args: ['--osmand-listen', `127.0.0.1:${port}`] });
  try {
    await srv.setClock(new Date(NOW).toISOString());
    const osm = `http://127.0.0.1:${port}`;
    const send = async (pathq, init = {}) => {
      const r = await fetch(osm + pathq, init);
      return { status: r.status, text: await r.text() };
    };
    const json = (body) => send('/', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body) });
    const s = (ms) => Math.floor(ms / 1000);

    // every query shape of OsmAndProtocolDecoderTest (w2's tracker 123456, in grid B)
    const t0 = NOW - 3000000;
    const iso = (ms) => encodeURIComponent(new Date(ms).toISOString().replace('.000', ''));
    const cst = (ms) => new Date(ms + 8 * 3600000).toISOString().slice(0, 19).replace('T', '+').replace(/:/g, '%3A');
    const shapes = [
      `/?id=123456&timestamp=${s(t0)}&cell=257,02,16,2224&cell=257,02,16,2223,-90&wifi=00-14-22-01-23-45,-80`,
      `/?id=123456&lat=30.005&lon=104.015&timestamp=${iso(t0 + 60000)}&hdop=6.0&altitude=224.0&speed=0.0`,
      `/?id=123456&lat=30.0051&lon=104.0152&timestamp=${t0 + 120000}&hdop=6.0&altitude=224.0&speed=0.0`,
      `/?lat=30.0052&lon=104.0154&timestamp=${cst(t0 + 180000)}&altitude=384.7&speed=0.0&id=123456`,
      `/?id=123456&timestamp=${s(t0 + 240000)}&lat=30.0053&lon=104.0156&speed=0.0&bearing=0.0&altitude=0&hdop=0.0`,
      `/?id=123456&timestamp=${s(t0 + 300000)}&lat=30.0054&lon=104.0158`,
      `/?id=123456&timestamp=${s(t0 + 360000)}&location=30.0055,104.016`,
      `/?id=123456&timestamp=${s(t0 + 420000)}&lat=30.0056&lon=104.0162&bearing=7.19889788244&speed=4&ignition=true&rpm=933&fuel=24`,
    ];
    for (const q of shapes) assert.equal((await send(q)).status, 200, q);
    // no timestamp, id last (deviceid), and a form body as Traccar reads when the URL has no query
    assert.equal((await send(`/?lat=30.0058&lon=104.0166&speed=0.0&heading=0.0&vacc=0&hacc=0&altitude=0&deviceid=123456&timestamp=${s(t0 + 480000)}`)).status, 200);
    assert.equal((await send('/', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `id=123456&timestamp=${s(t0 + 540000)}&lat=30.0059&lon=104.0168` })).status, 200);
    // Traccar Client's JSON object (testDecodeJson's first request, at our place and time)
    const client = {
      location: { timestamp: new Date(t0 + 600000).toISOString(), coords: { latitude: 30.006, longitude: 104.017,
        accuracy: 5, speed: 0, heading: -1, altitude: 5 }, is_moving: false, odometer: 0, event: 'motionchange',
        battery: { level: 0.79, is_charging: false }, activity: { type: 'still' }, extras: {},
        _: '&id=123456&lat=30.006&lon=104.017&' },
      device_id: '123456',
    };
    assert.equal((await json(client)).status, 200);
    // refusals: unknown device (404, nothing kept), malformed fixes (400), too big (413)
    assert.equal((await send(`/?id=999&lat=30&lon=104&timestamp=${s(t0)}`)).status, 404);
    assert.equal((await json({ ...client, device_id: '999' })).status, 404);
    assert.equal((await json([{ id: '123456', lat: 30.0061, lon: 104.0171, timestamp: s(t0 + 610000) },
      { id: '999', lat: 30, lon: 104 }])).status, 404);
    assert.equal((await send(`/?timestamp=${s(t0)}&lat=60.0&lon=30.0`)).status, 400);
    assert.equal((await send('/?id=123456&lat=abc&lon=104')).status, 400);
    assert.equal((await send('/?id=123456&lat=1e999&lon=104')).status, 400);
    assert.equal((await send('/?id=123456&timestamp=soon&lat=30&lon=104')).status, 400);
    assert.equal((await send('/', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.from('id=123456&lat=\xff&lon=1', 'latin1') })).status, 400);
    assert.equal((await json('{"device_id":')).status, 400);
    assert.equal((await json('{"id":"123456","lat":1e999,"lon":1}')).status, 400);
    assert.equal((await json(Buffer.concat([Buffer.from('{"id":"123456","lat":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]))).status, 400);
    assert.equal((await json('[]')).status, 400);
    assert.equal((await json(`[${'{"id":"123456"},'.repeat(5000)}{"id":"123456"}]`)).status, 413);
    assert.equal((await json('x'.repeat((1 << 20) + 10))).status, 413);
    assert.equal((await send('/', { method: 'PUT' })).status, 405);
    // rejected, not dropped: an inaccurate fix, a 0,0 fix, a jump at 600 km/h
    assert.equal((await send(`/?id=123456&timestamp=${s(t0 + 660000)}&lat=30.0062&lon=104.0172&accuracy=500`)).status, 200);
    assert.equal((await send(`/?id=123456&timestamp=${s(t0 + 720000)}&lat=0&lon=0`)).status, 200);
    assert.equal((await send(`/?id=123456&timestamp=${s(t0 + 730000)}&lat=30.0062&lon=104.0672`)).status, 200);
    // no timestamp: the server's time
    assert.equal((await send('/?id=123456&lat=30.0057&lon=104.0164&altitude=350.059479&speed=0.000000&batt=87')).status, 200);

    const comm = await srv.as('community');
    const pw2 = (await comm.get('/api/v1/positions?user=w2')).body;
    // the cell-only fix is kept as invalid; the fix without timestamp took the server's time
    const reasons = pw2.rejected.map((x) => x.reason).sort();
    assert.deepEqual(reasons, ['accuracy', 'invalid', 'maxSpeed', 'zero']);
    assert.equal(pw2.total, 11, JSON.stringify(pw2.items.map((x) => x.at)));
    assert.ok(pw2.items.some((x) => Math.abs(x.t_ms - NOW) < 60000), 'the fix without a timestamp is stamped now');

    // w1's patrol in batches (the client's array upload), sent twice: de-duplicated
    const r = route();
    const batches = [];
    for (let i = 0; i < r.fixes.length; i += 40) batches.push(r.fixes.slice(i, i + 40));
    const upload = (b, rep) => json(b.map((f) => ({ id: '48241179', lat: f.lat, lon: f.lon,
      timestamp: new Date(f.t).toISOString(), accuracy: 8, batt: 77 - rep })));
    for (const b of batches) assert.equal((await upload(b, 0)).status, 200);
    // again, all at once (a phone's queue replayed): nothing new is kept
    const again = await Promise.all(batches.map((b) => upload(b, 1)));
    assert.deepEqual(again.map((x) => x.status), batches.map(() => 200));
    const w1 = await srv.as('w1');
    const pos = (await w1.get('/api/v1/positions')).body;
    assert.ok(pos.total > 100 && pos.total < r.fixes.length, `${pos.total} of ${r.fixes.length} kept`);
    assert.ok(pos.rejected.filter((x) => x.reason === 'distance').length >= 10, 'the stand collapses');
    assert.ok(pos.rejected.every((x) => x.reason === 'distance' || x.reason === 'duplicate'));

    const p = await w1.get('/api/v1/patrols?user=w1');
    assert.equal(p.status, 200, p.text);
    assert.equal(p.body.items.length, 1);
    const it = p.body.items[0];
    assert.equal(it.grid, '510105002002001');
    const errA = Math.abs(it.inside_own_grid_s - r.truthA) / r.truthA;
    assert.ok(errA < 0.01, `inside ${it.inside_own_grid_s} s, truth ${r.truthA.toFixed(1)} s`);
    assert.ok(Math.abs(it.distance_m - r.walkM) / r.walkM < 0.02, `distance ${it.distance_m} of ${r.walkM}`);
    assert.ok(Math.abs(it.duration_s - (r.end - r.fixes[0].t) / 1000) < 1);
    assert.equal(it.stops.length, 1);
    assert.ok(it.stops[0].duration_s >= 300, JSON.stringify(it.stops));
    // the same window by dates and by RFC 3339; a window over 31 days is refused
    const byDate = await comm.get('/api/v1/patrols?user=w1&from=2026-03-02&to=2026-03-02');
    assert.equal(byDate.body.items[0].inside_own_grid_s, it.inside_own_grid_s);
    assert.equal((await comm.get('/api/v1/patrols?user=w1&from=2026-03-03')).body.items.length, 0);
    assert.equal((await comm.get('/api/v1/patrols?user=w1&from=2026-01-01&to=2026-03-02')).status, 422);
    assert.equal((await comm.get('/api/v1/patrols?user=w1&from=yesterday')).status, 422);

    // live: online within 5 minutes of the last fix
    let live = (await comm.get('/api/v1/positions/live')).body;
    assert.deepEqual(live.items.map((x) => x.user), ['w1', 'w2']);
    const l1 = live.items.find((x) => x.user === 'w1');
    assert.equal(l1.online, true);
    assert.equal(l1.grid, '510105002002001');
    assert.equal(l1.battery, 77);
    assert.equal(live.items.find((x) => x.user === 'w2').online, true); // its fix stamped now
    assert.equal(live.online, 2);
    await srv.advance(301);
    live = (await comm.get('/api/v1/positions/live')).body;
    assert.equal(live.online, 0);

    // scope: a worker sees their own only; another community sees none of them
    assert.deepEqual((await w1.get('/api/v1/positions/live')).body.items.map((x) => x.user), ['w1']);
    const w2 = await srv.as('w2');
    assert.equal((await w2.get('/api/v1/patrols?user=w1')).status, 403);
    assert.equal((await w2.get('/api/v1/positions?user=w1')).status, 403);
    const c2 = await srv.as('community2');
    assert.deepEqual((await c2.get('/api/v1/positions/live')).body.items, []);
    assert.equal((await c2.get('/api/v1/patrols?user=w1')).status, 403);
    const dept = await srv.as('dept');
    assert.deepEqual((await dept.get('/api/v1/positions/live')).body.items, []);
    assert.equal((await dept.get('/api/v1/patrols?user=w2')).status, 403);
    const street = await srv.as('street');
    assert.equal((await street.get('/api/v1/positions/live')).body.items.length, 2);
    assert.equal((await street.get('/api/v1/patrols?user=w1')).status, 200);
    assert.equal((await comm.get('/api/v1/patrols?user=nobody')).status, 404);
    assert.equal((await srv.request('GET', '/api/v1/positions/live')).status, 401);
  } finally {
    const { code } = await srv.stop();
    assert.equal(code, 0);
  }
});

test('a tracker registered in the admin screens is known to the listener', async () => {
  const { dir, db } = makeDatabase({ users });
  const port = await freePort();
  const srv = await startServer({ db, dir, args: ['--osmand-listen', `127.0.0.1:${port}`] });
  try {
    const fix = async (id) => {
      const r = await fetch(`http://127.0.0.1:${port}/?id=${id}&lat=30.005&lon=104.015&timestamp=${Math.floor(Date.now() / 1000) - 60}`);
      await r.text();
      return r.status;
    };
    assert.equal(await fix('adm-7'), 404);
    const admin = await srv.as('admin');
    const r = await admin.post('/api/v1/admin/devices', { id: 'adm-7', type: 'tracker', user: 'worker' });
    assert.equal(r.status, 201, r.text);
    assert.equal(await fix('adm-7'), 200);
  } finally {
    assert.equal((await srv.stop()).code, 0);
  }
});

test('a flood from one address is answered 429 with Retry-After (--osmand-rate)', async () => {
  const { dir, db } = makeDatabase({ district: null, users: [] });
  const port = await freePort();
  const srv = await startServer({ db, dir, args: ['--osmand-listen', `127.0.0.1:${port}`, '--osmand-rate', '20'] });
  try {
    const res = [];
    for (let i = 0; i < 30; i++) {
      const r = await fetch(`http://127.0.0.1:${port}/?id=1&lat=30&lon=104&timestamp=${1765000000 + i}`);
      res.push({ status: r.status, after: r.headers.get('retry-after') });
      await r.text();
    }
    // the first 20 reach the decoder (an unknown device: 404), the rest are turned away
    assert.deepEqual(res.slice(0, 20).map((x) => x.status), Array(20).fill(404));
    assert.deepEqual(res.slice(20).map((x) => x.status), Array(10).fill(429));
    assert.ok(Number(res[29].after) >= 1);
  } finally {
    assert.equal((await srv.stop()).code, 0);
  }
});

test('the listener is off unless asked; its flags are checked', async () => {
  const r = gridgov(['serve', '--db', 'x.db', '--osmand-listen', 'nowhere:99999']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /--osmand-listen wants HOST\[:PORT\]/);
  const { dir, db } = makeDatabase({ district: null, users: [] });
  const cfg = path.join(dir, 'track.conf');
  writeFileSync(cfg, 'filter.accuracy = 50\nfilter.bogus=1\n');
  const bad = gridgov(['serve', '--db', db, '--track-config', cfg]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /track.conf:2: unknown setting filter.bogus/);
});
