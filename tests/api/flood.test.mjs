// SPDX-License-Identifier: Apache-2.0
// Connection floods (issue 12, item 1): slow clients on loopback that dribble their headers
// cannot take the server from others. One address gets at most --per-ip-connections; a
// request's headers and its body each have a deadline that trickling bytes do not reset;
// /healthz keeps answering other clients throughout. Bounded: 200 sockets, 127.0.0.x only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from './lib/harness.mjs';

let srv, port;
before(async () => {
  srv = await startServer({ args: ['--max-connections', '128', '--per-ip-connections', '16',
    '--header-timeout', '2', '--body-timeout', '3', '--idle-timeout', '4', '--no-access-log'] });
  port = Number(new URL(srv.url).port);
});
after(async () => { assert.equal((await srv.stop()).code, 0); });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A client that sends a header line every `every` ms for ever; resolves with how long the server let it live. */
function dribbler(from, { every = 300, body = false } = {}) {
  const t0 = Date.now();
  const sock = net.connect({ host: '127.0.0.1', port, localAddress: from });
  let timer;
  const done = new Promise((resolve) => {
    const end = () => { clearInterval(timer); resolve(Date.now() - t0); };
    sock.on('close', end);
    sock.on('error', () => {});
  });
  sock.on('connect', () => {
    sock.write(body ? 'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{'
      : 'GET /healthz HTTP/1.1\r\nHost: x\r\n');
    let i = 0;
    timer = setInterval(() => { if (!sock.destroyed) sock.write(body ? ' ' : `X-Slow-${i++}: a\r\n`); }, every);
  });
  return { sock, done, stop() { clearInterval(timer); sock.destroy(); } };
}

async function healthz() {
  const ctl = new AbortController();
  const t = setTimeout(() => ctl.abort(), 2000);
  try {
    const r = await fetch(srv.url + '/healthz', { signal: ctl.signal });
    return r.status;
  } catch (e) {
    return `failed: ${e.name}`;
  } finally { clearTimeout(t); }
}

test('a header that trickles in is cut at its deadline, not kept alive by every byte', async () => {
  const d = dribbler('127.0.0.2');
  const lived = await Promise.race([d.done, sleep(10000).then(() => Infinity)]);
  d.stop();
  assert.ok(lived >= 1500 && lived < 6000, `the slow header lived ${lived} ms`);
});

test('on a kept-alive connection the next request\'s headers have a deadline too', async () => {
  const sock = net.connect({ host: '127.0.0.1', port, localAddress: '127.0.0.2' });
  sock.on('error', () => {});
  let timer, t1;
  const lived = await new Promise((resolve) => {
    let got = '';
    sock.on('connect', () => sock.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'));
    sock.on('data', (d) => {
      got += d;
      if (!t1 && got.includes('"status":"ok"')) { // the first answer: now dribble the second request
        t1 = Date.now();
        sock.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
        let i = 0;
        timer = setInterval(() => { if (!sock.destroyed) sock.write(`X-Slow-${i++}: a\r\n`); }, 300);
      }
    });
    sock.on('close', () => { clearInterval(timer); resolve(t1 ? Date.now() - t1 : -1); });
    setTimeout(() => { clearInterval(timer); sock.destroy(); }, 15000);
  });
  assert.ok(lived >= 3000 && lived < 8000, `the second request's slow header lived ${lived} ms`);
});

test('a body that trickles in is cut at its deadline', async () => {
  const d = dribbler('127.0.0.2', { body: true });
  const lived = await Promise.race([d.done, sleep(10000).then(() => Infinity)]);
  d.stop();
  assert.ok(lived >= 2500 && lived < 7000, `the slow body lived ${lived} ms`);
});

test('200 slow clients from one address do not stop /healthz answering others', async () => {
  const flood = [];
  let stop = false;
  const keep = (i) => {
    const d = dribbler('127.0.0.3', { every: 500 });
    flood[i] = d;
    d.done.then(() => { if (!stop) setTimeout(() => keep(i), 50); });
  };
  for (let i = 0; i < 200; i++) keep(i);
  await sleep(1000);
  const answers = [];
  for (let i = 0; i < 10; i++) {
    answers.push(await healthz());
    await sleep(300);
  }
  stop = true;
  for (const d of flood) d.stop();
  assert.deepEqual(answers, Array(10).fill(200));
  const m = await srv.request('GET', '/metrics');
  const reaped = Number(m.text.match(/^gridgov_http_connections_reaped_total (\d+)/m)[1]);
  assert.ok(reaped >= 2, `reaped ${reaped}`);
});
