// SPDX-License-Identifier: Apache-2.0
// Open311 GeoReport v2, the part built so far: discovery, services and a service
// definition, each in JSON and XML, and the specification's error format.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, makeDatabase, gridgovOk, DATA } from './lib/harness.mjs';

let srv;
before(async () => {
  const d = makeDatabase();
  gridgovOk(['import', 'categories', '--db', d.db, path.join(DATA, 'categories.csv')]);
  srv = await startServer({ db: d.db, dir: d.dir });
});
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
