// SPDX-License-Identifier: Apache-2.0
// Intake channels. Citizen photo reports 随手拍 without login: the place from the photo's
// EXIF GPS (and the EXIF gone from the stored copy), a renamed non-image refused, the
// tracking code's public timeline free of names and phone numbers, the reporter's
// rating through the case loop, photos visible to staff who see the case, and the
// per-address rate limit with its 429 and Retry-After.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { startServer, makeDatabase, gridgovOk, dbContains } from './lib/harness.mjs';
import { tinyJpeg, jpegWithGps } from './lib/images.mjs';

const LON = 104.0553, LAT = 30.6677; // inside 510105018006 七里沟社区 of the demo map
const PHONE = '13912345678';

function form(files, fields = {}) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  for (const [name, bytes, filename, type] of files) fd.append(name, new Blob([bytes], { type }), filename);
  return fd;
}

function storedFiles(dir) {
  const out = [];
  for (const sub of readdirSync(dir)) for (const f of readdirSync(path.join(dir, sub))) out.push(path.join(dir, sub, f));
  return out;
}

describe('citizen reports 随手拍', () => {
  let srv, u = {};
  before(async () => {
    srv = await startServer({ setup: { map: true }, args: ['--report-rate', '0'] });
    for (const n of ['operator', 'dept', 'worker', 'admin']) u[n] = await srv.as(n);
  });
  after(async () => { assert.equal((await srv.stop()).code, 0); });

  test('a photo with EXIF GPS locates the report; EXIF is gone from the stored copy', async () => {
    const photo = jpegWithGps(LON, LAT);
    assert.ok(photo.includes('SN-0042-SECRET'));
    const r = await srv.request('POST', '/api/v1/public/reports', {
      body: form([['photo', photo, 'IMG_0001.jpg', 'image/jpeg']], { description: '路灯不亮', phone: PHONE }),
    });
    assert.equal(r.status, 201, r.text);
    assert.match(r.body.code, /^[2-9A-HJ-NP-Z]{10}$/);
    assert.equal(r.body.location_source, 'photo');
    assert.equal(r.body.state, 'reported');
    assert.equal(r.body.photos, 1);
    assert.ok(Math.abs(r.body.lon - LON) < 1e-4 && Math.abs(r.body.lat - LAT) < 1e-4);

    // staff see the case: channel citizen, located from the photo, default category
    const list = await u.operator.get('/api/v1/cases?channel=citizen');
    assert.equal(list.status, 200);
    assert.equal(list.body.total, 1);
    const c = list.body.items[0];
    assert.equal(c.channel, 'citizen');
    assert.equal(c.grid.slice(0, 12), '510105018006');
    assert.equal(c.category, 'E0199');
    assert.equal(c.description, '路灯不亮');
    assert.equal(c.reporter, 'citizen');

    // the stored files hold no EXIF, no camera serial, no GPS
    const files = storedFiles(srv.media);
    assert.ok(files.length >= 2, 'the photo and its thumbnail are stored');
    for (const f of files) {
      const b = readFileSync(f);
      assert.ok(!b.includes('SN-0042-SECRET'), f);
      assert.ok(!b.includes('Exif'), f);
    }
    // the phone is not stored in clear anywhere in the database
    assert.ok(!dbContains(srv.db, PHONE), 'the phone is sealed');
  });

  test('a file renamed .jpg that is not an image is refused and no case is made', async () => {
    const before = (await u.operator.get('/api/v1/cases?channel=citizen')).body.total;
    const fake = Buffer.from('%PDF-1.4 this is not a photo at all');
    const r = await srv.request('POST', '/api/v1/public/reports', {
      body: form([['photo', fake, 'photo.jpg', 'image/jpeg']], { description: 'x', lon: String(LON), lat: String(LAT) }),
    });
    assert.equal(r.status, 415, r.text);
    assert.equal(r.body.error.field, 'photo');
    assert.equal((await u.operator.get('/api/v1/cases?channel=citizen')).body.total, before);
  });

  test('refusals: no place, half a place, four photos, no description', async () => {
    const post = (files, fields) => srv.request('POST', '/api/v1/public/reports', { body: form(files, fields) });
    let r = await post([['photo', tinyJpeg(), 'a.jpg', 'image/jpeg']], { description: 'x' });
    assert.equal(r.status, 422);
    assert.equal(r.body.error.field, 'lon');
    r = await post([], { description: 'x', lon: String(LON) });
    assert.equal(r.status, 422);
    assert.equal(r.body.error.field, 'lat');
    const four = [1, 2, 3, 4].map((i) => ['photo', tinyJpeg(), `${i}.jpg`, 'image/jpeg']);
    r = await post(four, { description: 'x', lon: String(LON), lat: String(LAT) });
    assert.equal(r.status, 422);
    r = await post([], { lon: String(LON), lat: String(LAT) });
    assert.equal(r.status, 422);
    assert.equal(r.body.error.field, 'description');
    r = await post([], { description: 'x', lon: '104.05', lat: '30.6677', category: 'NOPE' });
    assert.equal(r.status, 422);
    assert.equal(r.body.error.field, 'category');
  });

  test('timeline without personal data; rating once closed; photos visible to staff of the case', async () => {
    const r = await srv.request('POST', '/api/v1/public/reports', {
      body: form([['photo', tinyJpeg(), 'p.png.jpg', 'image/jpeg']],
        { description: '井盖缺失', lon: String(LON), lat: String(LAT), category: 'E0199', phone: PHONE, address: '七里沟 3 号' }),
    });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.location_source, 'form');
    const code = r.body.code;
    const id = (await u.operator.get('/api/v1/cases?channel=citizen')).body.items.find((c) => c.description === '井盖缺失').id;

    // rating before closing is refused
    let rt = await srv.request('POST', `/api/v1/public/reports/${code}/rating`, { body: { rating: 'satisfied' } });
    assert.equal(rt.status, 409);

    const act = async (who, action, extra = {}) => {
      const x = await u[who].post(`/api/v1/cases/${id}/actions`, { action, ...extra });
      assert.equal(x.status, 200, `${action}: ${x.text}`);
    };
    await act('operator', 'file');
    await act('operator', 'dispatch', { department: 'CGZF', note: '请处置' });
    await act('dept', 'accept');
    await act('dept', 'handle', { note: '处置人 张三 13800000000' });
    await act('operator', 'verify');
    await act('operator', 'close');

    const t = await srv.request('GET', `/api/v1/public/reports/${code}`);
    assert.equal(t.status, 200, t.text);
    assert.equal(t.body.state, 'closed');
    assert.equal(t.body.can_rate, true);
    assert.deepEqual(t.body.timeline.map((e) => e.state),
      ['reported', 'filed', 'dispatched', 'accepted', 'handled', 'verified', 'closed']);
    assert.equal(t.body.timeline[0].state_name, '上报');
    for (const e of t.body.timeline) assert.match(e.at, /^\d{4}-\d\d-\d\dT/);
    for (const secret of [PHONE, '13800000000', '张三', 'operator', 'dept', 'citizen', '七里沟 3 号', 'CGZF'])
      assert.ok(!t.text.includes(secret), `the public timeline leaks ${secret}`);

    rt = await srv.request('POST', `/api/v1/public/reports/${code}/rating`, { body: { rating: 'great' } });
    assert.equal(rt.status, 422);
    rt = await srv.request('POST', `/api/v1/public/reports/${code}/rating`, { body: { rating: 'satisfied' } });
    assert.equal(rt.status, 200, rt.text);
    assert.equal(rt.body.state, 'evaluated');
    assert.equal(rt.body.rating, 'satisfied');
    assert.equal(rt.body.can_rate, false);
    assert.equal(rt.body.timeline.at(-1).action, 'evaluate');
    rt = await srv.request('POST', `/api/v1/public/reports/${code}/rating`, { body: { rating: 'unsatisfied' } });
    assert.equal(rt.status, 409);
    const c = (await u.operator.get(`/api/v1/cases/${id}`)).body;
    assert.equal(c.state, 'evaluated');
    assert.equal(c.rating, 'satisfied');

    assert.equal((await srv.request('GET', '/api/v1/public/reports/ZZZZZZZZZZ')).status, 404);

    // the photo: the department holding the case and the operator see it; a worker elsewhere does not
    const sha = readdirSync(srv.media).length && (await (async () => {
      const { createHash } = await import('node:crypto');
      for (const f of storedFiles(srv.media)) {
        if (f.endsWith('.thumb')) continue;
        const h = createHash('sha256').update(readFileSync(f)).digest('hex');
        if (path.basename(f).startsWith(h.slice(0, 8)) || f.includes(h)) {
          const g = await fetch(`${srv.url}/api/v1/media/${h}`, { headers: { authorization: `Bearer ${u.dept.token}` } });
          if (g.status === 200) return h;
        }
      }
      return null;
    })());
    assert.ok(sha, 'the department of the case can fetch a photo of it');
    const w = await fetch(`${srv.url}/api/v1/media/${sha}`, { headers: { authorization: `Bearer ${u.worker.token}` } });
    assert.equal(w.status, 403);
    const o = await fetch(`${srv.url}/api/v1/media/${sha}/thumbnail`, { headers: { authorization: `Bearer ${u.operator.token}` } });
    assert.equal(o.status, 200);
  });
});

test('citizen reports are rate-limited per address with 429 and Retry-After', async () => {
  const srv = await startServer({ setup: { map: true, users: [] }, args: ['--report-rate', '2'] });
  try {
    const post = () => srv.request('POST', '/api/v1/public/reports', {
      body: form([], { description: '占道经营', lon: String(LON), lat: String(LAT) }),
    });
    assert.equal((await post()).status, 201);
    assert.equal((await post()).status, 201);
    const r = await post();
    assert.equal(r.status, 429, r.text);
    assert.equal(r.body.error.code, 'rate_limited');
    const wait = Number(r.headers.get('retry-after'));
    assert.ok(wait >= 1 && wait <= 30, `Retry-After ${wait}`);
    await srv.advance(wait);
    assert.equal((await post()).status, 201, 'a token is back after Retry-After seconds');
    assert.equal((await post()).status, 429);
  } finally {
    assert.equal((await srv.stop()).code, 0);
  }
});
