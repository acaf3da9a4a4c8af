// SPDX-License-Identifier: Apache-2.0
// The GeoReport v2 page's own example requests (github.com/open311/open311.github.io,
// GeoReport/v2/index.md: "Sample URL" of each GET and the "Example Request" of POST
// Service Request), sent byte for byte to a jurisdiction built for them: a grid map whose
// outline covers the example point in San Francisco, a catalog with service codes 001
// and 033, `serve --jurisdiction city.gov`. Nothing in the server knows these values.
//
// One substitution, on purpose: the example's `api_key=xyz`. gridgov carries over a key a
// client already holds (`apikey add --key-stdin`) only above a floor (24 to 128
// characters, 10 different; sec_key_check), and refuses a weaker one rather than storing
// it with a warning, since the key is all a client needs to file cases. So the test shows
// `xyz` refused at import and on the wire (the spec's 403), and sends the example body
// again with only the key's value replaced by a carried-over key that meets the floor.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, tempDir, gridgov, gridgovOk } from './lib/harness.mjs';
import { georeportErrors } from './lib/georeport.mjs';

// POST Service Request, "Example Request" (its body, as printed on the page)
const POST_BODY = 'api_key=xyz&jurisdiction_id=city.gov&service_code=001&lat=37.76524078&long=-122.4212043&address_string=1234+5th+street&email=smit333%40sfgov.edu&device_id=tt222111&account_id=123456&first_name=john&last_name=smith&phone=111111111&description=A+large+sinkhole+is+destroying+the+street&media_url=http%3A%2F%2Ffarm3.static.flickr.com%2F2002%2F2212426634_5ed477a060.jpg&attribute[WHISPAWN]=123456&attribute[WHISDORN]=COISL001';
const POST_TYPE = 'application/x-www-form-urlencoded; charset=utf-8';
// The "Sample URL" of each GET, after the endpoint's base (https://api.city.gov/dev/v2)
const SERVICES = '/services.xml?jurisdiction_id=city.gov';
const DEFINITION = '/services/033.xml?jurisdiction_id=city.gov';
const TOKEN = '/tokens/123456.xml?jurisdiction_id=city.gov';
const REQUESTS = '/requests.xml?start_date=2010-05-24T00:00:00Z&end_date=2010-06-24T00:00:00Z&status=open&jurisdiction_id=city.gov';
const REQUEST = '/requests/123456.xml?jurisdiction_id=city.gov';

const KEY = 'city-gov-legacy-key-7f3a9c2e51b0'; // what an earlier system had given the client
const XML = /^<\?xml version="1\.0" encoding="utf-8"\?>/;

// San Francisco as one district › street › community › grid, the same outline for each.
const OUTLINE = [[[-122.52, 37.70], [-122.35, 37.70], [-122.35, 37.83], [-122.52, 37.83], [-122.52, 37.70]]];
const node = (code, level, parent) => ({ type: 'Feature', properties: { code, name: `SF ${level}`, level, parent_code: parent },
  geometry: { type: 'Polygon', coordinates: OUTLINE } });
const MAP = { type: 'FeatureCollection', features: [node('990001', 'district', ''), node('990001001', 'street', '990001'),
  node('990001001001', 'community', '990001001'), node('990001001001001', 'grid', '990001001001')] };
const CATALOG = 'code,kind,major_code,major_name,major_name_en,minor_code,minor_name,minor_name_en,name,name_en,department,limit_general_h,limit_engineering_h,limit_special_h,verify_min,urgency\n'
  + '001,事件,S01,街道,Streets,S0101,路面塌陷,Sinkhole,路面塌陷,Sinkhole,SZ,4,24,48,60,urgent\n'
  + '033,事件,S01,街道,Streets,S0133,人行道,Sidewalk and curb,人行道,Sidewalk and curb,SZ,8,48,72,60,normal\n';

let srv;
before(async () => {
  const dir = tempDir();
  const db = path.join(dir, 'city.db');
  gridgovOk(['init', '--db', db]);
  writeFileSync(path.join(dir, 'map.geojson'), JSON.stringify(MAP));
  gridgovOk(['import', 'geojson', '--db', db, path.join(dir, 'map.geojson')]);
  writeFileSync(path.join(dir, 'catalog.csv'), CATALOG);
  gridgovOk(['import', 'categories', '--db', db, path.join(dir, 'catalog.csv')]);
  gridgovOk(['user', 'add', '--db', db, '--name', 'admin', '--role', 'admin'], { input: 'test-password-1\n' });
  const weak = gridgov(['apikey', 'add', '--db', db, '--name', 'sf-client', '--key-stdin'], { input: 'xyz\n' });
  assert.notEqual(weak.status, 0);
  assert.match(weak.stderr, /the key has 3 characters; 24 to 128 are needed/);
  const ok = gridgovOk(['apikey', 'add', '--db', db, '--name', 'sf-client', '--key-stdin'], { input: `${KEY}\n` });
  assert.equal(ok.stdout, '', 'a carried-over key is not printed');
  srv = await startServer({ db, dir, args: ['--jurisdiction', 'city.gov'] });
  // the list example asks for 2010-05-24 to 2010-06-24: report inside that month
  await srv.setClock('2010-06-01T09:30:00Z');
});
after(async () => { assert.equal((await srv.stop()).code, 0); });

/** Send bytes exactly: node's http client, the path as written, no re-encoding. */
function raw(method, p, { body, type } = {}) {
  const u = new URL(srv.url);
  return new Promise((resolve, reject) => {
    const headers = {};
    if (body !== undefined) Object.assign(headers, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
    const req = httpRequest({ host: u.hostname, port: u.port, method, path: `/open311/v2${p}`, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let json;
        try { json = JSON.parse(text); } catch { json = undefined; }
        resolve({ status: res.statusCode, type: res.headers['content-type'], text, body: json });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}
const asJson = (p) => p.replace(/\.xml\?/, '.json?');
function valid(r, status, shape) {
  assert.equal(r.status, status, r.text);
  assert.equal(georeportErrors(shape, r.body), null, r.text);
  return r.body;
}

let created;
test('POST Service Request: the example body, with its own key refused and a carried-over key accepted', async () => {
  let r = await raw('POST', '/requests.xml', { body: POST_BODY, type: POST_TYPE });
  assert.equal(r.status, 403, r.text);
  assert.match(r.text, /<errors><error><code>403<\/code>/);
  assert.equal(POST_BODY.match(/api_key=xyz&/g).length, 1);
  const body = POST_BODY.replace('api_key=xyz&', `api_key=${KEY}&`);
  r = await raw('POST', '/requests.xml', { body, type: POST_TYPE });
  assert.equal(r.status, 201, r.text);
  assert.match(r.type, /^text\/xml/);
  assert.match(r.text, XML);
  const m = r.text.match(/^<\?xml[^>]*\?><service_requests><request><service_request_id>(\d+)<\/service_request_id><token>\1<\/token><service_notice\/><account_id>123456<\/account_id><\/request><\/service_requests>$/);
  assert.ok(m, r.text);
  created = m[1];
  // the JSON twin of the same example validates
  r = await raw('POST', '/requests.json', { body, type: POST_TYPE });
  const j = valid(r, 201, 'postResponse');
  assert.equal(j[0].account_id, '123456');
  // another jurisdiction is the spec's 404
  r = await raw('POST', '/requests.json', { body: body.replace('jurisdiction_id=city.gov', 'jurisdiction_id=sfgov.org'), type: POST_TYPE });
  assert.match(valid(r, 404, 'errors')[0].description, /jurisdiction_id/);
});

test('the created request: point, text and category as sent, located in the jurisdiction\'s grid', async () => {
  const r = await raw('GET', `/requests/${created}.json?jurisdiction_id=city.gov`);
  const [q] = valid(r, 200, 'requests');
  assert.equal(q.service_code, '001');
  assert.equal(q.service_name, '路面塌陷');
  assert.equal(q.description, 'A large sinkhole is destroying the street');
  assert.equal(q.address, '1234 5th street');
  assert.equal(q.media_url, 'http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg');
  assert.equal(q.status, 'open');
  assert.equal(q.requested_datetime, '2010-06-01T09:30:00Z');
  assert.ok(Math.abs(q.lat - 37.76524078) < 1e-7 && Math.abs(q.long - -122.4212043) < 1e-7);
  const admin = await srv.as('admin');
  const c = await admin.get(`/api/v1/cases/${created}`);
  assert.equal(c.status, 200, c.text);
  assert.equal(c.body.grid, '990001001001001');
});

test('GET Service List and GET Service Definition: the sample URLs', async () => {
  let r = await raw('GET', SERVICES);
  assert.equal(r.status, 200, r.text);
  assert.match(r.text, XML);
  assert.match(r.text, /<service><service_code>001<\/service_code><service_name>路面塌陷<\/service_name><description>Sinkhole<\/description>/);
  assert.equal(valid(await raw('GET', asJson(SERVICES)), 200, 'services').length, 2);
  r = await raw('GET', DEFINITION);
  assert.equal(r.text, '<?xml version="1.0" encoding="utf-8"?><service_definition><service_code>033</service_code><attributes></attributes></service_definition>');
  valid(await raw('GET', asJson(DEFINITION)), 200, 'serviceDefinition');
});

test('GET Service Requests: the sample URL finds the request of that month', async () => {
  const r = await raw('GET', REQUESTS);
  assert.equal(r.status, 200, r.text);
  assert.match(r.text, new RegExp(`<request><service_request_id>${created}</service_request_id><status>open</status>`));
  const list = valid(await raw('GET', asJson(REQUESTS)), 200, 'requests');
  assert.ok(list.some((x) => x.service_request_id === created));
  assert.ok(list.every((x) => x.requested_datetime >= '2010-05-24' && x.requested_datetime < '2010-06-24'));
});

test('GET Service Request and GET from a token: the sample URLs (id 123456 does not exist here) and ours', async () => {
  for (const p of [REQUEST, TOKEN]) {
    const r = await raw('GET', p);
    assert.equal(r.status, 404, r.text);
    assert.match(r.text, /^<\?xml version="1\.0" encoding="utf-8"\?><errors><error><code>404<\/code><description>[^<]+<\/description><\/error><\/errors>$/);
    valid(await raw('GET', asJson(p)), 404, 'errors');
  }
  let r = await raw('GET', REQUEST.replace('123456', created));
  assert.match(r.text, new RegExp(`<service_requests><request><service_request_id>${created}</service_request_id>`));
  r = await raw('GET', asJson(TOKEN.replace('123456', created)));
  assert.deepEqual(valid(r, 200, 'tokens'), [{ service_request_id: created, token: created }]);
});
