// SPDX-License-Identifier: Apache-2.0
// Open311 GeoReport v2: discovery, services, a service definition, and service requests
// (create with an API key as form-urlencoded → token → request, the list with its
// filters), each in JSON and XML, with the specification's error format.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, makeDatabase, gridgovOk } from './lib/harness.mjs';

let srv, key;
before(async () => {
  const d = makeDatabase({ map: true });
  key = gridgovOk(['apikey', 'add', '--db', d.db, '--name', 'open311-client']).stdout.trim();
  srv = await startServer({ db: d.db, dir: d.dir });
});

const form = (fields) => ({ body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
after(async () => { assert.equal((await srv.stop()).code, 0); });

test('discovery in JSON and XML', async () => {
  let r = await srv.request('GET', '/open311/v2/discovery.json');
  assert.equal(r.status, 200);
  assert.equal(r.body.endpoints[0].specification, 'http://wiki.open311.org/GeoReport_v2');
  assert.deepEqual(r.body.endpoints[0].formats, ['application/json', 'text/xml']);
  r = await srv.request('GET', '/open311/v2/discovery.xml');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/xml/);
  assert.match(r.text, /^<\?xml version="1.0" encoding="utf-8"\?><discovery>/);
  assert.match(r.text, /<endpoints><endpoint><specification>http:\/\/wiki.open311.org\/GeoReport_v2<\/specification>/);
  assert.match(r.text, /<formats><format>application\/json<\/format><format>text\/xml<\/format><\/formats>/);
});

test('services are the category catalog, in JSON and XML', async () => {
  let r = await srv.request('GET', '/open311/v2/services.json');
  assert.equal(r.status, 200);
  assert.equal(r.body.length, 207);
  const s = r.body.find((x) => x.service_code === 'E0199');
  assert.deepEqual(s, { service_code: 'E0199', service_name: '其他市容环境问题', description: 'Other city-appearance problem',
    metadata: false, type: 'realtime', keywords: '其他市容环境问题', group: '市容环境' });
  r = await srv.request('GET', '/open311/v2/services.xml');
  assert.equal(r.status, 200);
  assert.equal((r.text.match(/<service>/g) || []).length, 207);
  assert.match(r.text, /<service><service_code>E0199<\/service_code><service_name>其他市容环境问题<\/service_name>.*?<metadata>false<\/metadata>/);
});

test('a service definition, and the spec error format for an unknown code', async () => {
  let r = await srv.request('GET', '/open311/v2/services/E0199.json');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { service_code: 'E0199', attributes: [] });
  r = await srv.request('GET', '/open311/v2/services/E0199.xml');
  assert.equal(r.text, '<?xml version="1.0" encoding="utf-8"?><service_definition><service_code>E0199</service_code><attributes></attributes></service_definition>');
  r = await srv.request('GET', '/open311/v2/services/NOPE.json');
  assert.equal(r.status, 404);
  assert.deepEqual(r.body, [{ code: 404, description: 'no such service_code' }]);
  r = await srv.request('GET', '/open311/v2/services/NOPE.xml');
  assert.equal(r.status, 404);
  assert.equal(r.text, '<?xml version="1.0" encoding="utf-8"?><errors><error><code>404</code><description>no such service_code</description></error></errors>');
});

test('a full round trip: create → token → request, in JSON and XML; the list and its filters', async () => {
  const fields = { api_key: key, service_code: 'E0501', lat: '30.6677', long: '104.0553', description: '人行道占道经营', address_string: '七里沟' };
  let r = await srv.request('POST', '/open311/v2/requests.json', form(fields));
  assert.equal(r.status, 201, r.text);
  const id = r.body[0].service_request_id;
  assert.match(id, /^\d+$/);
  const token = r.body[0].token;
  r = await srv.request('GET', `/open311/v2/tokens/${token}.json`);
  assert.deepEqual(r.body, [{ service_request_id: id, token }]);
  r = await srv.request('GET', `/open311/v2/tokens/${token}.xml`);
  assert.match(r.text, new RegExp(`<service_requests><request><service_request_id>${id}</service_request_id>`));
  r = await srv.request('GET', `/open311/v2/requests/${id}.json`);
  assert.equal(r.status, 200);
  const q = r.body[0];
  assert.equal(q.status, 'open');
  assert.equal(q.service_code, 'E0501');
  assert.equal(q.description, '人行道占道经营');
  assert.ok(Math.abs(q.lat - 30.6677) < 1e-6 && Math.abs(q.long - 104.0553) < 1e-6);
  r = await srv.request('GET', `/open311/v2/requests/${id}.xml`);
  assert.match(r.text, /<request><service_request_id>\d+<\/service_request_id><status>open<\/status>/);

  // XML create, then the list with filters
  r = await srv.request('POST', '/open311/v2/requests.xml', form({ ...fields, service_code: 'E0199', description: '其他' }));
  assert.equal(r.status, 201, r.text);
  assert.match(r.text, /<service_requests><request><service_request_id>\d+<\/service_request_id><token>/);
  r = await srv.request('GET', '/open311/v2/requests.json');
  assert.equal(r.body.length, 2);
  r = await srv.request('GET', '/open311/v2/requests.json?service_code=E0501');
  assert.deepEqual(r.body.map((x) => x.service_request_id), [id]);
  r = await srv.request('GET', `/open311/v2/requests.json?service_request_id=${id}`);
  assert.equal(r.body.length, 1);
  assert.equal((await srv.request('GET', '/open311/v2/requests.json?status=closed')).body.length, 0);
  assert.equal((await srv.request('GET', '/open311/v2/requests.json?status=open')).body.length, 2);
  assert.equal((await srv.request('GET', '/open311/v2/requests.json?start_date=2000-01-01T00:00:00Z&end_date=2000-02-01T00:00:00Z')).body.length, 0);
  r = await srv.request('GET', '/open311/v2/requests.xml?status=open');
  assert.equal((r.text.match(/<request>/g) || []).length, 2);
});

test('request errors in the spec format', async () => {
  let r = await srv.request('POST', '/open311/v2/requests.json', form({ service_code: 'E0501', lat: '30.6677', long: '104.0553' }));
  assert.equal(r.status, 403);
  assert.deepEqual(r.body, [{ code: 403, description: 'api_key is missing or invalid' }]);
  r = await srv.request('POST', '/open311/v2/requests.xml', form({ api_key: 'nope', service_code: 'E0501', lat: '30.6677', long: '104.0553' }));
  assert.equal(r.status, 403);
  assert.match(r.text, /<errors><error><code>403<\/code>/);
  r = await srv.request('POST', '/open311/v2/requests.json', form({ api_key: key, service_code: 'NOPE', lat: '30.6677', long: '104.0553' }));
  assert.equal(r.status, 404);
  r = await srv.request('POST', '/open311/v2/requests.json', form({ api_key: key, service_code: 'E0501' }));
  assert.equal(r.status, 400);
  assert.match(r.body[0].description, /location/);
  r = await srv.request('POST', '/open311/v2/requests.json', form({ api_key: key, service_code: 'E0501', lat: 'x', long: '104' }));
  assert.equal(r.status, 400);
  r = await srv.request('POST', '/open311/v2/requests.json', form({ api_key: key, service_code: 'E0501', lat: '31.5', long: '121.5' }));
  assert.equal(r.status, 400, 'a point outside the map');
  assert.equal((await srv.request('GET', '/open311/v2/requests/999999.json')).status, 404);
  r = await srv.request('GET', '/open311/v2/tokens/abc.xml');
  assert.equal(r.status, 404);
  assert.match(r.text, /<errors><error><code>404<\/code>/);
  assert.equal((await srv.request('GET', '/open311/v2/requests.json?status=maybe')).status, 400);
});
