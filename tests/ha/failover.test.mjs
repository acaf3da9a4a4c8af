// SPDX-License-Identifier: Apache-2.0
// Failover (issue 13 item 4): three PostgreSQL 15 nodes under Patroni with one etcd and
// synchronous_mode (tests/ha/cluster.mjs), `gridgov serve` on libpq's multi-host URI with
// target_session_attrs=read-write. While four clients create cases through the API, the
// primary's machine is lost: its Patroni and its postmaster are killed with SIGKILL (not
// only the postmaster: a live Patroni would restart it in place as the same primary, which
// is crash recovery, not failover). Patroni promotes the synchronous standby once the
// leader key expires; gridgov must find it by itself. Afterwards:
//   - every case acknowledged (201 with an id) is on the new primary (0 lost);
//   - every failed request was a 503 with Retry-After (no other status, no dropped
//     connection, no crash), and every case present but not acknowledged was one of those
//     (a COMMIT cut off in flight: its outcome was unknown, so it was not acknowledged);
//   - no case is half-written: each has its trail, the trail's hash chains verify, and the
//     summaries equal what `gridgov stats rebuild` recomputes;
// and the test prints the failover time (seconds without a successful write). Bounded: the
// cluster starts within 150 s (12–33 s measured), the load stops at most 60 s after the kill.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DATA, DIVISIONS, ENV, PASSWORD, USERS, gridgov, gridgovOk, startServer } from '../api/lib/harness.mjs';
import { sleep, startCluster } from './cluster.mjs';

const CLIENTS = 4;
const BEFORE_KILL_MS = 4000; // load before the kill
const AFTER_BACK_MS = 4000; // load once writes succeed again
const MAX_AFTER_KILL_MS = 60000; // give up: the failover did not happen
const REQUEST_TIMEOUT_MS = 15000;

function psql(uri, sql) {
  const r = spawnSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', uri, '-c', sql],
    { encoding: 'utf8', timeout: 30000 });
  if (r.status !== 0) throw new Error(`psql: ${sql}: ${r.stderr}`);
  return r.stdout.trim();
}

/** {status or error: count} */
function tally(entries) {
  const out = {};
  for (const e of entries) out[e.status ?? e.error] = (out[e.status ?? e.error] ?? 0) + 1;
  return out;
}

test('a primary lost under write load: 0 acknowledged cases lost, 503 + Retry-After meanwhile', { timeout: 300000 }, async (t) => {
  const work = mkdtempSync(path.join(tmpdir(), 'gridgov-ha-'));
  ENV.GRIDGOV_PII_KEY = path.join(work, 'pii.key');
  let cluster, srv;
  try {
    const t0 = Date.now();
    cluster = await startCluster();
    t.diagnostic(`cluster up in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify((await cluster.members()).map((m) => [m.name, m.role]))}`);
    psql(cluster.uri('postgres'), 'CREATE DATABASE gridgov');
    const db = cluster.uri('gridgov');
    gridgovOk(['init', '--db', db]);
    gridgovOk(['import', 'divisions', '--db', db, DIVISIONS, '--district', '510105']);
    gridgovOk(['import', 'categories', '--db', db, path.join(DATA, 'categories.csv')]);
    const op = USERS.find((u) => u.name === 'operator');
    gridgovOk(['user', 'add', '--db', db, '--name', op.name, '--role', op.role, '--scope', op.scope], { input: `${PASSWORD}\n` });

    srv = await startServer({ db, dir: work, args: ['--media', path.join(work, 'media')] });
    const client = await srv.as('operator');

    // the load: each request's start and end times, outcome and description (unique)
    const log = [];
    let stop = false, seq = 0;
    const one = async (k) => {
      const desc = `failover ${k} ${++seq}`;
      const e = { desc, t0: Date.now() };
      try {
        const res = await fetch(`${srv.url}/api/v1/cases`, {
          method: 'POST',
          headers: { authorization: `Bearer ${client.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ category: 'E0102', description: desc, channel: 'patrol', grid: '510105002002' }),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        e.status = res.status;
        e.retryAfter = res.headers.get('retry-after');
        const text = await res.text();
        try { e.body = JSON.parse(text); } catch { e.body = text; }
        if (res.status === 201) e.id = e.body.id;
      } catch (err) {
        e.error = String(err?.cause?.code ?? err?.name ?? err);
      }
      e.t1 = Date.now();
      log.push(e);
      return e;
    };
    const loop = async (k) => {
      while (!stop) {
        const e = await one(k);
        if (e.status !== 201) await sleep(200); // a polite client waits (Retry-After is 1–2 s; shorter here to time the switch finely)
      }
    };
    const clients = Array.from({ length: CLIENTS }, (_, k) => loop(k));

    await sleep(BEFORE_KILL_MS);
    const old = await cluster.leader();
    assert.ok(old, 'a leader before the kill');
    const tKill = Date.now();
    const pm = cluster.killNode(old);
    t.diagnostic(`killed ${old.name} (patroni pid ${old.proc.pid}, postmaster pid ${pm}) with SIGKILL`);

    // wait for a new leader and for writes to succeed again, then a little more load
    let promoted = null, tPromoted = 0, tBack = 0;
    while (Date.now() - tKill < MAX_AFTER_KILL_MS) {
      if (!promoted) {
        const l = await cluster.leader();
        if (l && l !== old) { promoted = l; tPromoted = Date.now(); }
      }
      const ok = log.find((e) => e.status === 201 && e.t0 > tKill);
      if (ok && !tBack) tBack = ok.t1;
      if (promoted && tBack && Date.now() - tBack > AFTER_BACK_MS) break;
      await sleep(200);
    }
    stop = true;
    await Promise.all(clients);

    const acked = log.filter((e) => e.status === 201);
    const failed = log.filter((e) => e.status !== 201);
    // the failover time: the longest stretch between two acknowledged writes (requests in
    // flight at the kill may still be acknowledged just after it)
    const ends = acked.map((e) => e.t1).sort((a, b) => a - b);
    let gap = { from: ends[0], to: ends[0] };
    for (let i = 1; i < ends.length; i++) if (ends[i] - ends[i - 1] > gap.to - gap.from) gap = { from: ends[i - 1], to: ends[i] };
    const firstAfter = Math.min(...acked.filter((e) => e.t0 > tKill).map((e) => e.t1));
    assert.ok(promoted, `no new leader within ${MAX_AFTER_KILL_MS / 1000} s\n${cluster.logs()}`);
    assert.ok(tBack, `no successful write within ${MAX_AFTER_KILL_MS / 1000} s of the kill\n${srv.log.slice(-3000)}`);
    const rel = (ms) => `${ms >= tKill ? '+' : ''}${((ms - tKill) / 1000).toFixed(1)} s`;
    t.diagnostic(`failover time: ${((gap.to - gap.from) / 1000).toFixed(1)} s without a successful write ` +
      `(kill ${rel(gap.from)} → ${rel(gap.to)}; ${promoted.name} promoted at ${rel(tPromoted)}; ` +
      `first write begun after the kill acknowledged at ${rel(firstAfter)})`);
    assert.ok(gap.to >= tKill, 'the longest stretch without a write is the failover');
    t.diagnostic(`${log.length} requests: ${acked.length} acknowledged (${acked.filter((e) => e.t1 > tKill).length} after the kill), ` +
      `${failed.length} failed (${JSON.stringify(tally(failed))})`);

    // every failure: 503 with a Retry-After of whole seconds, the JSON error "unavailable" or "busy"
    const bad = failed.filter((e) => e.status !== 503 || !/^[1-9]\d*$/.test(e.retryAfter ?? ''));
    assert.deepEqual(bad.map((e) => ({ status: e.status, error: e.error, retryAfter: e.retryAfter, body: e.body })), [],
      'a request failed otherwise than 503 + Retry-After');
    for (const e of failed) assert.match(e.body?.error?.code ?? '', /^(unavailable|busy)$/, JSON.stringify(e.body));
    assert.equal(srv.child.exitCode, null, `gridgov exited: ${srv.log.slice(-3000)}`);
    assert.ok(acked.filter((e) => e.t1 <= tKill).length > 5, 'too few writes before the kill to test anything');

    // 0 lost: each acknowledged case, read back through the API and on the new primary
    const missing = [];
    for (const e of acked) {
      const r = await client.get(`/api/v1/cases/${e.id}`);
      if (r.status !== 200 || r.body.description !== e.desc) missing.push({ id: e.id, status: r.status });
    }
    assert.deepEqual(missing, [], `${missing.length} of ${acked.length} acknowledged cases lost`);
    const rows = JSON.parse(psql(cluster.uri('gridgov'),
      "SELECT coalesce(json_agg(json_build_object('id', id, 'd', description)), '[]') FROM gcase WHERE description LIKE 'failover %'"));
    const stored = new Map(rows.map((r) => [r.d, Number(r.id)]));
    for (const e of acked) assert.equal(stored.get(e.desc), Number(e.id), `case ${e.id} (${e.desc}) on the new primary`);
    // a case present but never acknowledged is a request that failed (its COMMIT cut off)
    const failedDesc = new Set(failed.map((e) => e.desc));
    const ackedDesc = new Set(acked.map((e) => e.desc));
    const unacked = [...stored.keys()].filter((d) => !ackedDesc.has(d));
    for (const d of unacked) assert.ok(failedDesc.has(d), `case "${d}" stored but never requested`);
    assert.equal(stored.size, rows.length, 'one case per request');
    t.diagnostic(`${stored.size} cases stored: ${acked.length} acknowledged + ${unacked.length} whose 503 came after a COMMIT of unknown outcome`);

    // no half-written case: a trail for each, hash chains intact, summaries as rebuilt
    assert.equal(psql(db, 'SELECT count(*) FROM gcase c WHERE NOT EXISTS (SELECT 1 FROM case_log l WHERE l.case_id = c.id)'), '0',
      'a case without its trail');
    const v = gridgov(['audit', 'verify', '--db', db]);
    assert.equal(v.status, 0, v.stdout + v.stderr);
    assert.match(v.stdout, /, 0 breaks/);
    const dump = () => [
      psql(db, "SELECT coalesce(json_agg(s ORDER BY s::text), '[]') FROM case_sum s"),
      psql(db, "SELECT coalesce(json_agg(s ORDER BY s::text), '[]') FROM case_live s WHERE open <> 0 OR overdue <> 0 OR cases <> 0"),
      psql(db, "SELECT coalesce(json_agg(s ORDER BY s::text), '[]') FROM case_heat s WHERE n0 <> 0 OR n1 <> 0 OR n2 <> 0 OR n3 <> 0 OR n4 <> 0 OR n5 <> 0 OR n6 <> 0"),
    ];
    const live = dump();
    assert.equal((await srv.stop({ keep: true })).code, 0, 'gridgov stops cleanly');
    srv = null;
    gridgovOk(['stats', 'rebuild', '--db', db]);
    assert.deepEqual(dump(), live, 'the summaries kept during the failover equal the rebuilt ones');
  } finally {
    if (srv) await srv.stop({ keep: true });
    if (cluster) await cluster.stop({ keep: !!process.env.GRIDGOV_HA_KEEP });
    rmSync(work, { recursive: true, force: true });
  }
});
