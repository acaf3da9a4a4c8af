// SPDX-License-Identifier: Apache-2.0
// Photo uploads: checked by content, EXIF GPS read but not kept, served to the uploader.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { startServer } from './lib/harness.mjs';
import { tinyJpeg, jpegWithGps } from './lib/images.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { assert.equal((await srv.stop()).code, 0); });

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

test('a photo with EXIF GPS: position returned, metadata gone from the stored copy', async () => {
  const w = await srv.as('worker');
  const photo = jpegWithGps(104.0553, 30.6677);
  assert.ok(photo.includes('SN-0042-SECRET'));
  const r = await srv.request('POST', '/api/v1/media', { token: w.token, body: form([['photo', photo, 'IMG_0001.jpg', 'image/jpeg']]) });
  assert.equal(r.status, 201, r.text);
  const item = r.body.items[0];
  assert.equal(item.kind, 'jpeg');
  assert.equal(item.width, 16);
  assert.equal(item.height, 12);
  assert.ok(Math.abs(item.gps.lon - 104.0553) < 1e-4);
  assert.ok(Math.abs(item.gps.lat - 30.6677) < 1e-4);
  assert.match(item.sha256, /^[0-9a-f]{64}$/);

  const got = await fetch(srv.url + item.url, { headers: { authorization: `Bearer ${w.token}` } });
  assert.equal(got.status, 200);
  assert.equal(got.headers.get('content-type'), 'image/jpeg');
  const bytes = Buffer.from(await got.arrayBuffer());
  assert.ok(!bytes.includes('SN-0042-SECRET'), 'the camera serial is stripped');
  assert.ok(!bytes.includes('Exif'), 'no EXIF block remains (orientation was 1)');
  assert.equal(bytes.length, item.bytes);
  const { createHash } = await import('node:crypto');
  assert.equal(createHash('sha256').update(bytes).digest('hex'), item.sha256, 'stored under its SHA-256');

  for (const f of storedFiles(srv.media)) assert.ok(!readFileSync(f).includes('SN-0042-SECRET'), f);

  const thumb = await fetch(srv.url + item.thumbnail_url, { headers: { authorization: `Bearer ${w.token}` } });
  assert.equal(thumb.status, 200);
  assert.equal(thumb.headers.get('content-type'), 'image/jpeg');
});

test('a file renamed .jpg that is not an image is refused with 415', async () => {
  const w = await srv.as('worker');
  const fake = Buffer.from('%PDF-1.4 this is not a photo at all');
  const r = await srv.request('POST', '/api/v1/media', { token: w.token, body: form([['photo', fake, 'photo.jpg', 'image/jpeg']]) });
  assert.equal(r.status, 415);
  assert.equal(r.body.error.code, 'unsupported_media_type');
  assert.equal(r.body.error.field, 'photo');
  // JPEG magic with garbage behind it is not a photo either
  const bad = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 7)]);
  const r2 = await srv.request('POST', '/api/v1/media', { token: w.token, body: form([['photo', bad, 'x.jpg', 'image/jpeg']]) });
  assert.equal(r2.status, 415);
});

test('more than three photos, no file, or JSON are refused', async () => {
  const w = await srv.as('worker');
  const four = [1, 2, 3, 4].map((i) => ['photo', tinyJpeg(), `${i}.jpg`, 'image/jpeg']);
  assert.equal((await srv.request('POST', '/api/v1/media', { token: w.token, body: form(four) })).status, 422);
  const none = await srv.request('POST', '/api/v1/media', { token: w.token, body: form([], { note: 'x' }) });
  assert.equal(none.status, 422);
  assert.equal(none.body.error.field, 'file');
  const json = await srv.request('POST', '/api/v1/media', { token: w.token, body: { photo: 'x' } });
  assert.equal(json.status, 415);
});

test('a photo is not served to another user; admin may see it; unknown is 404', async () => {
  const w = await srv.as('worker');
  const r = await srv.request('POST', '/api/v1/media', { token: w.token, body: form([['photo', tinyJpeg(), 'a.jpg', 'image/jpeg']]) });
  const url = r.body.items[0].url;
  const other = await srv.as('street');
  assert.equal((await other.get(url)).status, 403);
  const admin = await srv.as('admin');
  assert.equal((await srv.request('GET', url, { token: admin.token })).status, 200);
  assert.equal((await w.get('/api/v1/media/' + 'a'.repeat(64))).status, 404);
  assert.equal((await srv.request('GET', url)).status, 401);
});

test('multipart is refused on JSON routes', async () => {
  const r = await srv.request('POST', '/api/v1/session', { body: form([], { name: 'worker', password: 'x' }) });
  assert.equal(r.status, 415);
});
