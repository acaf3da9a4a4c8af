// SPDX-License-Identifier: Apache-2.0
// A throw-away high-availability PostgreSQL 15 for tests: one etcd and three Patroni nodes
// (Debian's `etcd-server` and `patroni`) on 127.0.0.1, everything in one temporary
// directory, on private ports checked free first (never etcd's 2379/2380 or PostgreSQL's
// 5432, so a system service of either is neither used nor disturbed). As root, Patroni and
// PostgreSQL run as the `postgres` user (initdb refuses root), through setpriv so that the
// process we hold is Patroni itself and can be killed by its pid. stop() kills every process
// started here, also the postmasters a killed Patroni leaves behind.
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

const PGBIN = process.env.PGBIN || '/usr/lib/postgresql/15/bin';
const ROOT_USER = process.getuid?.() === 0;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Whether a TCP port on 127.0.0.1 can be bound now. */
function free(port) {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** n consecutive free ports from a base derived from the pid (so parallel runs differ), above 42000. */
async function freePorts(n) {
  for (let attempt = 0; attempt < 40; attempt++) {
    const base = 42000 + ((process.pid + attempt * 97) % 200) * 40;
    const ports = Array.from({ length: n }, (_, i) => base + i);
    let ok = true;
    for (const p of ports) if (!(await free(p))) { ok = false; break; }
    if (ok) return ports;
  }
  throw new Error('no free block of ports for the HA cluster');
}

async function getJson(url, timeoutMs = 2000) {
  const r = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return r.json();
}

/*
 * Patroni's settings. The timing is short so that a failover takes seconds, not the
 * defaults' half minute: the leader key lives ttl=10 s, Patroni loops every second, and
 * retry_timeout=3 keeps loop_wait + 2 × retry_timeout under ttl as Patroni requires.
 * synchronous_mode: a commit is acknowledged only once the synchronous standby has it,
 * and Patroni promotes only that standby, so no acknowledged transaction is lost.
 * fsync is off (the test kills processes, not the machine: the page cache survives).
 */
function patroniYaml({ name, dir, etcdPort, pgPort, restPort }) {
  return `scope: gridgov-ha
namespace: /gridgov-test/
name: ${name}
log:
  level: INFO
restapi:
  listen: 127.0.0.1:${restPort}
  connect_address: 127.0.0.1:${restPort}
etcd3:
  hosts: 127.0.0.1:${etcdPort}
bootstrap:
  dcs:
    ttl: 10
    loop_wait: 1
    retry_timeout: 3
    maximum_lag_on_failover: 1048576
    synchronous_mode: true
    postgresql:
      use_pg_rewind: true
      parameters:
        wal_level: replica
        hot_standby: 'on'
        max_connections: 100
        max_wal_senders: 10
        max_replication_slots: 10
        wal_keep_size: 64MB
        wal_log_hints: 'on'
        fsync: 'off'
        shared_buffers: 32MB
  initdb:
    - encoding: UTF8
    - locale: C.UTF-8
postgresql:
  listen: 127.0.0.1:${pgPort}
  connect_address: 127.0.0.1:${pgPort}
  data_dir: ${dir}/data
  bin_dir: ${PGBIN}
  pgpass: ${dir}/pgpass
  authentication:
    superuser:
      username: postgres
      password: gridgov-ha
    replication:
      username: replicator
      password: gridgov-ha
  parameters:
    unix_socket_directories: '${dir}'
  pg_hba:
    - local all all trust
    - host all all 127.0.0.1/32 trust
    - host replication replicator 127.0.0.1/32 trust
tags:
  nofailover: false
  noloadbalance: false
  clonefrom: false
  nosync: false
`;
}

/** As the postgres user when root (setpriv execs, so the child's pid is the command's). */
function asPg(cmd, args) {
  return ROOT_USER
    ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', cmd, ...args]]
    : [cmd, args];
}

/** The pids of a process's children (Linux /proc). */
function children(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch { return []; }
}

function alive(pid) {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

/**
 * Start etcd and three Patroni nodes; resolve once there is a leader, a synchronous standby
 * and a third streaming replica. Returns the cluster handle (see below). Rejects after
 * timeoutMs, having stopped everything.
 */
export async function startCluster({ timeoutMs = 150000 } = {}) {
  for (const bin of ['etcd', 'patroni']) {
    if (spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0)
      throw new Error(`${bin} is not installed (scripts/bootstrap installs Debian's patroni and etcd-server)`);
  }
  const dir = mkdtempSync('/tmp/gg-ha-');
  const [etcdPort, peerPort, ...rest] = await freePorts(8);
  const nodes = [1, 2, 3].map((i) => ({
    name: `node${i}`,
    dir: path.join(dir, `node${i}`),
    pgPort: rest[i - 1],
    restPort: rest[i + 2],
    proc: null,
  }));
  const procs = [];
  const orphans = [];
  const c = {
    dir, etcdPort, nodes,
    /** libpq's multi-host URI of the database on all three nodes, read-write only. */
    uri(db = 'postgres', extra = '') {
      return `postgres://${nodes.map((n) => `127.0.0.1:${n.pgPort}`).join(',')}/${db}` +
        `?user=postgres&target_session_attrs=read-write&connect_timeout=2${extra}`;
    },
    /** The URI of one node's database. */
    nodeUri(n, db = 'postgres') {
      return `postgres://127.0.0.1:${n.pgPort}/${db}?user=postgres&connect_timeout=2`;
    },
    /** Patroni's view of the cluster from any node that answers: {members: [{name, role, state, …}]}. */
    async members() {
      for (const n of nodes) {
        if (n.proc && n.proc.exitCode === null && n.proc.signalCode === null) {
          try { return (await getJson(`http://127.0.0.1:${n.restPort}/cluster`)).members ?? []; } catch { /* next */ }
        }
      }
      return [];
    },
    async leader() {
      const m = (await c.members()).find((x) => x.role === 'leader' && x.state === 'running');
      return m ? nodes.find((n) => n.name === m.name) : null;
    },
    /** The postmaster's pid of a node (from its postmaster.pid), or 0. */
    postmasterPid(n) {
      try { return Number(readFileSync(path.join(n.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]) || 0; } catch { return 0; }
    },
    /** The whole machine of node n lost at once: SIGKILL its Patroni, then its postmaster. */
    killNode(n) {
      const pm = c.postmasterPid(n);
      if (n.proc?.pid) try { process.kill(n.proc.pid, 'SIGKILL'); } catch { /* gone */ }
      if (pm) {
        orphans.push(...children(pm)); // they leave by themselves on seeing the postmaster gone
        try { process.kill(pm, 'SIGKILL'); } catch { /* gone */ }
      }
      return pm;
    },
    logs() {
      return nodes.map((n) => {
        try { return `--- ${n.name}\n${readFileSync(path.join(n.dir, 'patroni.log'), 'utf8').split('\n').slice(-40).join('\n')}`; } catch { return ''; }
      }).join('\n');
    },
    /** Kill everything started here, leftover postmasters included; remove the directory. */
    async stop({ keep = false } = {}) {
      const pms = nodes.map((n) => c.postmasterPid(n)).filter((p) => p && alive(p));
      for (const p of procs) if (p.exitCode === null && p.signalCode === null) try { p.kill('SIGKILL'); } catch { /* gone */ }
      const left = [...orphans];
      for (const pm of pms) {
        left.push(...children(pm));
        try { process.kill(pm, 'SIGKILL'); } catch { /* gone */ }
      }
      // the backends leave when they see their postmaster gone; whoever lingers is killed by pid
      for (let i = 0; i < 30 && left.some(alive); i++) await sleep(100);
      for (const p of left.filter(alive)) try { process.kill(p, 'SIGKILL'); } catch { /* gone */ }
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    if (ROOT_USER) chownSync(dir, uidOf('postgres'), gidOf('postgres'));
    const etcdLog = openSync(path.join(dir, 'etcd.log'), 'a');
    const etcd = spawn('etcd', ['--name', 'gg-ha', '--data-dir', path.join(dir, 'etcd'),
      '--listen-client-urls', `http://127.0.0.1:${etcdPort}`, '--advertise-client-urls', `http://127.0.0.1:${etcdPort}`,
      '--listen-peer-urls', `http://127.0.0.1:${peerPort}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peerPort}`,
      '--initial-cluster', `gg-ha=http://127.0.0.1:${peerPort}`, '--initial-cluster-state', 'new',
      '--listen-metrics-urls', '', '--enable-v2=false'], { stdio: ['ignore', etcdLog, etcdLog] });
    closeSync(etcdLog);
    procs.push(etcd);
    const deadline = Date.now() + timeoutMs;
    while (true) {
      try { if ((await getJson(`http://127.0.0.1:${etcdPort}/health`)).health === 'true') break; } catch { /* starting */ }
      if (etcd.exitCode !== null) throw new Error(`etcd exited: ${readFileSync(path.join(dir, 'etcd.log'), 'utf8')}`);
      if (Date.now() > deadline) throw new Error('etcd did not start');
      await sleep(200);
    }
    for (const n of nodes) {
      mkdirSync(n.dir, { mode: 0o700 });
      const cfg = path.join(n.dir, 'patroni.yml');
      writeFileSync(cfg, patroniYaml({ name: n.name, dir: n.dir, etcdPort, pgPort: n.pgPort, restPort: n.restPort }));
      if (ROOT_USER) {
        chownSync(n.dir, uidOf('postgres'), gidOf('postgres'));
        chownSync(cfg, uidOf('postgres'), gidOf('postgres'));
      }
    }
    // the first node bootstraps; the others then clone it (pg_basebackup) one after the other
    for (const n of nodes) {
      const log = openSync(path.join(n.dir, 'patroni.log'), 'a');
      const [cmd, args] = asPg('patroni', [path.join(n.dir, 'patroni.yml')]);
      n.proc = spawn(cmd, args, { stdio: ['ignore', log, log] });
      closeSync(log);
      procs.push(n.proc);
      const want = nodes.indexOf(n) + 1;
      while (true) {
        const m = await c.members();
        const running = m.filter((x) => x.state === 'running' || x.state === 'streaming');
        if (running.length >= want && m.some((x) => x.role === 'leader' && x.state === 'running') &&
          (want < 2 || m.some((x) => x.role === 'sync_standby'))) break;
        if (n.proc.exitCode !== null) throw new Error(`patroni ${n.name} exited\n${c.logs()}`);
        if (Date.now() > deadline) throw new Error(`the cluster did not come up in ${timeoutMs / 1000} s\n${JSON.stringify(m)}\n${c.logs()}`);
        await sleep(300);
      }
    }
    return c;
  } catch (e) {
    await c.stop({ keep: !!process.env.GRIDGOV_HA_KEEP });
    throw e;
  }
}

function idOf(flag, name) {
  return Number(spawnSync('id', [flag, name], { encoding: 'utf8' }).stdout.trim());
}
const uidOf = (name) => idOf('-u', name);
const gidOf = (name) => idOf('-g', name);

export { sleep };
