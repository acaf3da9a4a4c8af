// SPDX-License-Identifier: Apache-2.0
// Open311 as clients speak it (issue 12, item 9): discovery gives an absolute URL a client
// can follow; the specification's example POST (16 fields) is accepted; errors on every
// Open311 path (unknown routes and methods, .xml, refused text) come in the spec's error
// format; comma lists for status and service_code; service_request_id overrides the other
// filters; answers validate against the Open311 community's GeoReport v2 description
// (lib/georeport.mjs; open311-schema.test.mjs checks every answer); an address-only
// request works with a key that has no scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, makeDatabase, gridgovOk } from './lib/harness.mjs';
import { georeportErrors } from './lib/georeport.mjs';

const LON = 104.0553, LAT = 30.6677;
let srv, key;
before(async () => {
  const d = makeDatabase({ map: true });
  key = gridgovOk(['apikey', 'add', '--db', d.db, '--name', 'client-lib']).stdout.trim();
  srv = await startServer({ db: d.db, dir: d.dir });
});
after(async () => { assert.equal((await srv.stop()).code, 0); });

const form = (fields) => ({ body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
const post = (fields, fmt = 'json') => srv.request('POST', `/open311/v2/requests.${fmt}`, form({ api_key: key, ...fields }));

/** A request as the GeoReport v2 description defines it. */
function checkRequest(x) {
  assert.equal(georeportErrors('requests', [x]), null);
}

test('discovery gives an absolute URL that a client can follow', async () => {
  const d = await srv.request('GET', '/open311/v2/discovery.json');
  const url = d.body.endpoints[0].url;
  assert.equal(url, `${srv.url}/open311/v2`);
  const s = await fetch(`${url}/services.json`);
  assert.equal(s.status, 200);
  const x = await srv.request('GET', '/open311/v2/discovery.xml');
  assert.match(x.text, new RegExp(`<url>${srv.url}/open311/v2</url>`));
});

test('the specification\'s example POST, all 16 fields, is accepted; account_id is a string', async () => {
  const r = await post({
    service_code: 'E0199', lat: String(LAT), long: String(LON), address_string: '1234 5th street',
    email: 'smit222@sfgov.edu', device_id: 'tt222111', account_id: '123456', first_name: 'john', last_name: 'smith',
    phone: '111111111', description: 'A large sinkhole is destroying the street', media_url: 'http://www.example.org/x.jpg',
    jurisdiction_id: 'cd.gov.cn', 'attribute[WHISPAWN]': '123456', 'attribute[WHISDORN]': 'COISL001',
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(typeof r.body[0].service_request_id, 'string');
  assert.equal(typeof r.body[0].account_id, 'string');
});

test('an address without a point works with a key that has no scope', async () => {
  const r = await post({ service_code: 'E0199', address_string: '草市街 1 号', description: '路灯不亮' });
  assert.equal(r.status, 201, r.text);
});

test('errors on Open311 paths are in the specification\'s format, JSON or XML', async () => {
  let r = await srv.request('GET', '/open311/v2/nope.xml');
  assert.equal(r.status, 404);
  assert.match(r.headers.get('content-type'), /^text\/xml/);
  assert.match(r.text, /^<\?xml version="1.0" encoding="utf-8"\?><errors><error><code>404<\/code><description>[^<]+<\/description><\/error><\/errors>$/);
  r = await srv.request('DELETE', '/open311/v2/services.json');
  assert.equal(r.status, 405);
  assert.equal(r.body[0].code, 405);
  assert.equal(typeof r.body[0].description, 'string');
  r = await post({ service_code: 'E0199', lat: String(LAT), long: String(LON), description: 'bell\u0007' }, 'xml');
  assert.equal(r.status, 422);
  assert.match(r.text, /<errors><error><code>422<\/code>/);
  r = await srv.request('GET', '/open311/v2/requests.json?status=%FF');
  assert.equal(r.status, 422);
  assert.ok(Array.isArray(r.body) && r.body[0].code === 422, r.text);
});

test('comma lists for status and service_code; service_request_id overrides the rest', async () => {
  const a = (await post({ service_code: 'E0199', lat: String(LAT), long: String(LON), description: 'a' })).body[0].service_request_id;
  const b = (await post({ service_code: 'E0101', lat: String(LAT), long: String(LON), description: 'b' })).body[0].service_request_id;
  let r = await srv.request('GET', '/open311/v2/requests.json?service_code=E0199,E0101');
  assert.equal(r.status, 200, r.text);
  const ids = r.body.map((x) => x.service_request_id);
  assert.ok(ids.includes(a) && ids.includes(b));
  r.body.forEach(checkRequest);
  r = await srv.request('GET', '/open311/v2/requests.json?service_code=E0101');
  assert.ok(r.body.every((x) => x.service_code === 'E0101'));
  r = await srv.request('GET', '/open311/v2/requests.json?status=open,closed');
  assert.equal(r.status, 200, r.text);
  assert.ok(r.body.length >= 2);
  r = await srv.request('GET', '/open311/v2/requests.json?status=closed');
  assert.equal(r.body.length, 0);
  r = await srv.request('GET', `/open311/v2/requests.json?service_request_id=${a},${b}&status=closed&service_code=E9999&start_date=2000-01-01T00:00:00Z`);
  assert.deepEqual(r.body.map((x) => x.service_request_id).sort(), [a, b].sort());
  const one = await srv.request('GET', `/open311/v2/requests/${a}.json`);
  checkRequest(one.body[0]);
});
