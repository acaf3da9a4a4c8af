// SPDX-License-Identifier: Apache-2.0
// Every JSON answer of /open311/v2/ validated by ajv against the Open311 community's own
// GeoReport v2 description (tests/api/open311-schema/, CC BY 3.0): the services list, a
// service definition, the request list with each filter, one request (open, closed, with
// and without a point), a token, the answer to a POST, and the spec's error list for
// every refusal (no key, bad key, jurisdiction, missing or unknown fields, bad text,
// unknown route or method, a rate limit). The server serves one named jurisdiction.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, makeDatabase, gridgovOk } from './lib/harness.mjs';
import { georeportErrors } from './lib/georeport.mjs';

const LON = 104.0553, LAT = 30.6677; // inside the demo map of 510105
const JURISDICTION = 'chengdu.gov.cn';
let srv, key;
before(async () => {
  const d = makeDatabase({ map: true });
  key = gridgovOk(['apikey', 'add', '--db', d.db, '--name', 'schema-client']).stdout.trim();
  srv = await startServer({ db: d.db, dir: d.dir, args: ['--jurisdiction', JURISDICTION] });
});
after(async () => { assert.equal((await srv.stop()).code, 0); });

const form = (fields) => ({ body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
const post = (fields) => srv.request('POST', '/open311/v2/requests.json', form({ api_key: key, ...fields }));
const get = (p) => srv.request('GET', `/open311/v2/${p}`);

/** Assert r is a JSON answer of status with the GeoReport shape; returns its body. */
function valid(r, status, shape) {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.ok(r.body !== undefined, `not JSON: ${r.text}`);
  const why = georeportErrors(shape, r.body);
  assert.equal(why, null, `${why}\n${r.text}`);
  return r.body;
}

test('the services list and a service definition validate; an unknown code is the spec\'s error', async () => {
  const services = valid(await get('services.json'), 200, 'services');
  assert.equal(services.length, 207);
  valid(await get(`services.json?jurisdiction_id=${JURISDICTION}`), 200, 'services');
  for (const s of services.slice(0, 20)) valid(await get(`services/${s.service_code}.json`), 200, 'serviceDefinition');
  valid(await get('services/NOPE.json'), 404, 'errors');
});

test('POST answers validate, and so does every refusal', async () => {
  let r = valid(await post({ service_code: 'E0199', lat: String(LAT), long: String(LON), description: '井盖缺失',
    account_id: 'acct-7', jurisdiction_id: JURISDICTION }), 201, 'postResponse');
  assert.equal(r[0].account_id, 'acct-7', 'account_id is echoed');
  r = valid(await post({ service_code: 'E0199', address_string: '草市街 1 号' }), 201, 'postResponse');
  assert.equal(r[0].account_id, undefined, 'no account_id sent: none answered, not null');
  const form403 = form({ service_code: 'E0199', lat: String(LAT), long: String(LON) });
  valid(await srv.request('POST', '/open311/v2/requests.json', form403), 403, 'errors');
  const bad = await srv.request('POST', '/open311/v2/requests.json', form({ api_key: 'not-a-key', service_code: 'E0199', lat: String(LAT), long: String(LON) }));
  assert.ok(bad.status === 401 || bad.status === 403, bad.text);
  valid(bad, bad.status, 'errors');
  valid(await post({ lat: String(LAT), long: String(LON) }), 400, 'errors');
  valid(await post({ service_code: 'NOPE', lat: String(LAT), long: String(LON) }), 404, 'errors');
  valid(await post({ service_code: 'E0199', lat: 'north', long: String(LON) }), 400, 'errors');
  valid(await post({ service_code: 'E0199' }), 400, 'errors');
  valid(await post({ service_code: 'E0199', lat: '0', long: '0' }), 400, 'errors');
  valid(await post({ service_code: 'E0199', lat: String(LAT), long: String(LON), description: 'bell\u0007' }), 422, 'errors');
  const other = valid(await post({ service_code: 'E0199', lat: String(LAT), long: String(LON), jurisdiction_id: 'sfgov.org' }), 404, 'errors');
  assert.match(other[0].description, /jurisdiction_id/);
});

test('the request list, one request and its token validate, open and closed, with and without a point', async () => {
  const withPoint = (await post({ service_code: 'E0501', lat: String(LAT), long: String(LON), description: '占道经营',
    address_string: '七里沟' })).body[0].service_request_id;
  const noPoint = (await post({ service_code: 'E0199', address_string: '草市街 2 号' })).body[0].service_request_id;
  const rejected = (await post({ service_code: 'E0199', lat: String(LAT), long: String(LON), description: '重复' })).body[0].service_request_id;
  const op = await srv.as('operator');
  let a = await op.post(`/api/v1/cases/${rejected}/actions`, { action: 'reject', note: '重复上报' });
  assert.equal(a.status, 200, a.text);

  const all = valid(await get('requests.json'), 200, 'requests');
  assert.ok(all.length >= 3);
  const byId = Object.fromEntries(all.map((x) => [x.service_request_id, x]));
  assert.equal(byId[rejected].status, 'closed');
  assert.equal(typeof byId[withPoint].lat, 'number');
  assert.equal('lat' in byId[noPoint], false, 'no point: lat and long are left out, not null');
  for (const q of [`requests.json?jurisdiction_id=${JURISDICTION}`, 'requests.json?status=closed', 'requests.json?status=open,closed',
    'requests.json?service_code=E0501,E0199', `requests.json?service_request_id=${withPoint},${noPoint},999999`,
    'requests.json?start_date=2000-01-01T00:00:00Z&end_date=2000-02-01T00:00:00Z'])
    valid(await get(q), 200, 'requests');
  for (const id of [withPoint, noPoint, rejected]) {
    valid(await get(`requests/${id}.json`), 200, 'requests');
    const t = valid(await get(`tokens/${id}.json`), 200, 'tokens');
    assert.equal(t[0].service_request_id, id);
  }
  valid(await get('requests/999999.json'), 404, 'errors');
  valid(await get('tokens/999999.json'), 404, 'errors');
  valid(await get('requests.json?status=pending'), 400, 'errors');
  valid(await get('requests.json?start_date=yesterday'), 400, 'errors');
  valid(await get('requests.json?status=%FF'), 422, 'errors');
  for (const p of ['requests.json', `requests/${withPoint}.json`, `tokens/${withPoint}.json`, 'services.json', 'services/E0199.json'])
    valid(await get(`${p}${p.includes('?') ? '&' : '?'}jurisdiction_id=sfgov.org`), 404, 'errors');
});

test('media_url, address_id and zipcode are kept and answered back; a media_url that is no web URL is refused', async () => {
  const sent = { media_url: 'http://www.example.org/photos/7.jpg?size=large', address_id: '545483', zipcode: '610031' };
  let r = valid(await post({ service_code: 'E0199', lat: String(LAT), long: String(LON), ...sent }), 201, 'postResponse');
  const id = r[0].service_request_id;
  const [q] = valid(await get(`requests/${id}.json`), 200, 'requests');
  assert.deepEqual({ media_url: q.media_url, address_id: q.address_id, zipcode: q.zipcode }, sent);
  const x = await get(`requests/${id}.xml`);
  assert.match(x.text, /<address_id>545483<\/address_id><zipcode>610031<\/zipcode><media_url>http:\/\/www.example.org\/photos\/7.jpg\?size=large<\/media_url>/);
  // address_id alone is a location, as the specification allows
  r = valid(await post({ service_code: 'E0199', address_id: 'A-1' }), 201, 'postResponse');
  const [onlyId] = valid(await get(`requests/${r[0].service_request_id}.json`), 200, 'requests');
  assert.equal(onlyId.address_id, 'A-1');
  for (const media_url of ['javascript:alert(1)', 'www.example.org/x.jpg', 'http://', 'http://a b/c', 'data:image/png;base64,AAAA',
    `http://example.org/${'x'.repeat(1100)}`]) {
    const bad = valid(await post({ service_code: 'E0199', lat: String(LAT), long: String(LON), media_url }), 400, 'errors');
    assert.match(bad[0].description, /media_url/);
  }
  valid(await post({ service_code: 'E0199', lat: String(LAT), long: String(LON), zipcode: '9'.repeat(40) }), 400, 'errors');
});

test('unknown routes and methods, and the rate limit, answer the spec\'s error list', async () => {
  valid(await get('nope.json'), 404, 'errors');
  valid(await srv.request('DELETE', '/open311/v2/services.json'), 405, 'errors');
  let r;
  for (let i = 0; i < 100; i++) {
    r = await get('requests.json?status=open');
    if (r.status !== 200) break;
  }
  valid(r, 429, 'errors');
  assert.ok(Number(r.headers.get('retry-after')) > 0);
  await srv.advance(600);
  valid(await get('requests.json'), 200, 'requests');
});
