#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// Fill a demo database with about a month of cases, played through the real case loop.
// It starts `gridgov serve --test-clock` on the database, sets the server's clock DAYS
// before now and replays day by day: grid workers, the 12345 hotline, citizens' 随手拍
// and operators report problems at points inside the district's grids (some communities
// are hot spots), and the center files, rejects or merges them, dispatches, departments
// accept, return, ask for extensions and handle (some late, so the server's own
// scheduler opens 督办 rounds), workers verify or send back for rework, the center
// closes, reporters rate. Street staff blow a few whistles 吹哨报到. Everything goes
// through the HTTP API (no SQL), so the trail, indicators and hash chains are the real
// ones. Cases of the last days stay open in whatever state they reached. Given --seed
// and the day it runs (or --until), the database is the same: cases, ids, trails and
// 督办 rounds (see settle()). Extra users (a department user per department it
// dispatches or summons to, grid workers for hot grids) come from `gridgov user add`.
// docs/cases.md describes what the month holds.
//
// usage: node scripts/seed-cases.mjs --db PATH [--days 30] [--seed 1] [--scale 1]
//        [--bin build/gridgov] [--workers 12] [--until TIME] [--quiet]
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PASSWORD = 'gridgov-demo';
const Q = 900; // the replay moves the clock in slots of fifteen minutes
const HOUR = 3600;

// ---------------------------------------------------------------- options
function usage(code) {
  (code ? process.stderr : process.stdout).write(
    'usage: node scripts/seed-cases.mjs --db PATH [--days N] [--seed N] [--scale F]\n' +
    '                                   [--bin PATH] [--workers N] [--until TIME] [--quiet]\n' +
    '                                   [--media DIR]\n\n' +
    'Replay about a month of cases into a database made by `gridgov demo`, through the\n' +
    'API of a `gridgov serve --test-clock` it starts and stops.\n\n' +
    '  --db PATH     the demo database (must hold no cases yet): a file or a postgres:// URI\n' +
    '  --media DIR   where the server keeps photos (serve --media; needed with a URI)\n' +
    '  --days N      how many days back the replay starts (default 30)\n' +
    '  --seed N      seed of every random choice (default 1): same seed, same cases\n' +
    '  --scale F     multiply the number of cases a day (default 1: ~15-40 a working day)\n' +
    '  --bin PATH    the gridgov binary (default $GRIDGOV_BIN or build/gridgov)\n' +
    '  --workers N   grid workers for the busiest grids besides grid_worker (default 12)\n' +
    '  --until TIME  end the replay at this RFC 3339 time instead of now (for tests: the\n' +
    '                same seed and TIME give the same database on any day)\n' +
    '  --quiet       print only the summary line\n');
  process.exit(code);
}

function parseArgs(argv) {
  const o = { days: 30, seed: 1, scale: 1, workers: 12, quiet: false,
    bin: process.env.GRIDGOV_BIN || path.join(ROOT, 'build/gridgov') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], v = () => { if (i + 1 >= argv.length) usage(2); return argv[++i]; };
    if (a === '--db') o.db = v();
    else if (a === '--days') o.days = Number(v());
    else if (a === '--seed') o.seed = Number(v());
    else if (a === '--scale') o.scale = Number(v());
    else if (a === '--bin') o.bin = path.resolve(v());
    else if (a === '--workers') o.workers = Number(v());
    else if (a === '--until') {
      o.until = Math.floor(Date.parse(v()) / 1000);
      if (!Number.isFinite(o.until)) { process.stderr.write('seed-cases: --until wants an RFC 3339 time\n'); process.exit(2); }
    }
    else if (a === '--quiet') o.quiet = true;
    else if (a === '--media') o.media = v();
    else if (a === '--help' || a === '-h') usage(0);
    else { process.stderr.write(`seed-cases: unknown option ${a}\n`); usage(2); }
  }
  if (!o.db) { process.stderr.write('seed-cases: --db is required\n'); usage(2); }
  for (const k of ['days', 'seed', 'scale', 'workers'])
    if (!Number.isFinite(o[k]) || o[k] < 0) { process.stderr.write(`seed-cases: bad --${k}\n`); usage(2); }
  if (o.days < 1 || o.days > 366) { process.stderr.write('seed-cases: --days is 1..366\n'); process.exit(2); }
  return o;
}

// ---------------------------------------------------------------- randomness
// mulberry32: small, fast and the same on every platform.
function rng32(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.uniform = (lo, hi) => lo + (hi - lo) * next();
  next.int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  next.chance = (p) => next() < p;
  next.pick = (xs) => xs[Math.floor(next() * xs.length)];
  next.weighted = (xs, w) => {
    let total = 0;
    for (const x of xs) total += w(x);
    let r = next() * total;
    for (const x of xs) { r -= w(x); if (r < 0) return x; }
    return xs[xs.length - 1];
  };
  return next;
}
const mix = (a, b) => (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35)) >>> 0;

// ---------------------------------------------------------------- working-day calendar
// The same arithmetic as src/core/cal.c (Asia/Shanghai, 09:00-12:00 and 13:00-18:00,
// data/calendar/YEAR.csv), so the replay knows when the server's deadlines fall and when
// its scheduler owes a supervision round.
const TZ = 8 * HOUR;
const PERIODS = [[9 * HOUR, 12 * HOUR], [13 * HOUR, 18 * HOUR]];
const DAY_WORK = 8 * HOUR;

function loadCalendar(dataDir) {
  const days = new Map();
  const dir = path.join(dataDir, 'calendar');
  if (!existsSync(dir)) return days;
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.csv')).sort()) {
    for (const line of readFileSync(path.join(dir, f), 'utf8').split('\n').slice(1)) {
      const [date, kind] = line.split(',');
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date || '');
      if (m && (kind === 'holiday' || kind === 'workday'))
        days.set(Date.UTC(+m[1], +m[2] - 1, +m[3]) / 86400000, kind);
    }
  }
  return days;
}

function makeCal(days) {
  const isWorkday = (day) => {
    const k = days.get(day);
    if (k) return k === 'workday';
    const wd = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
    return wd !== 0 && wd !== 6;
  };
  const add = (start, secs) => {
    if (secs <= 0) return start;
    const local = start + TZ;
    let day = Math.floor(local / 86400), sod = local - day * 86400;
    for (let walked = 0; walked < 3660; walked++, day++, sod = 0) {
      if (!isWorkday(day)) continue;
      for (const [ps, pe] of PERIODS) {
        if (sod >= pe) continue;
        const from = Math.max(sod, ps), avail = pe - from;
        if (secs <= avail) return day * 86400 + from + secs - TZ;
        secs -= avail;
        sod = pe;
      }
    }
    return Infinity;
  };
  const between = (from, to) => {
    if (to <= from) return 0;
    const lf = from + TZ, lt = to + TZ;
    let total = 0;
    for (let day = Math.floor(lf / 86400); day * 86400 < lt; day++) {
      if (!isWorkday(day)) continue;
      for (const [ps, pe] of PERIODS) {
        const s = Math.max(day * 86400 + ps, lf), e = Math.min(day * 86400 + pe, lt);
        if (e > s) total += e - s;
      }
    }
    return total;
  };
  // sla_due_round: round 1 once the deadline passed, one more per working day late, up to 3
  const dueRound = (deadline, now) => (now <= deadline ? 0 : Math.min(3, 1 + Math.floor(between(deadline, now) / DAY_WORK)));
  return { isWorkday, add, between, dueRound };
}

const localDay = (t) => Math.floor((t + TZ) / 86400);
const iso = (t) => new Date(t * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const parseTime = (s) => (s ? Math.floor(Date.parse(s) / 1000) : 0);

// ---------------------------------------------------------------- what gets reported
// [code, weight for grid workers' patrols, weight for residents (hotline, 随手拍), what people say]
const CATEGORIES = [
  ['E0102', 9, 6, ['路边垃圾桶旁暴露垃圾未清运，有异味', '小区门口堆放生活垃圾，无人清理', '绿化带内有散落垃圾']],
  ['E0103', 4, 3, ['拆除的装修渣土堆在路边数日未清运', '巷子里积存建筑垃圾和渣土']],
  ['E0104', 5, 3, ['人行道油污较多，道路不洁', '路面有大量落叶和泥浆未清扫']],
  ['E0504', 8, 4, ['餐馆在店门外摆桌经营，占用人行道', '水果店货架摆到店外，行人需绕行']],
  ['E0501', 5, 3, ['路口有流动摊贩售卖水果，影响通行', '地铁口附近有无照游商']],
  ['E0507', 6, 3, ['楼下空地乱堆杂物和废旧家具', '人行道上堆放建材']],
  ['E0506', 6, 3, ['共享单车乱停放堵塞盲道', '非机动车占用消防通道停放']],
  ['E0505', 3, 6, ['机动车长期占用人行道停放', '小区出入口被车辆堵住']],
  ['E0201', 7, 2, ['电线杆和单元门上贴满小广告', '墙面被喷涂办证小广告']],
  ['E0205', 2, 1, ['商铺广告招牌破损，有坠落风险']],
  ['E0508', 2, 6, ['商铺用高音喇叭促销，噪音扰民', '夜间酒吧音乐声音过大']],
  ['E0510', 3, 4, ['夜间露天烧烤，油烟大', '人行道上有人摆摊烧烤']],
  ['E0511', 2, 1, ['临街护栏上晾挂衣物被褥']],
  ['E0116', 2, 5, ['餐馆油烟直排，居民窗户无法打开', '楼下饭店油烟扰民']],
  ['E0110', 4, 4, ['人行道地砖松动破损，有绊倒风险', '路面出现坑洼，雨天积水']],
  ['E0101', 3, 3, ['楼顶疑似私搭乱建彩钢棚', '底商违规加建雨棚']],
  ['E0301', 1, 5, ['工地夜间施工，噪音扰民', '周末清晨施工机械作业']],
  ['E0302', 2, 3, ['工地未覆盖裸土，扬尘较大']],
  ['E0404', 2, 4, ['下水道堵塞，污水外溢', '雨水口堵塞，路面积水']],
  ['E0406', 1, 2, ['下雨后路段积水严重，车辆无法通行']],
  ['E0107', 2, 1, ['路边有长期停放的废弃车辆']],
  ['E0108', 3, 2, ['小区外随意丢弃旧沙发床垫']],
  ['C0102', 3, 2, ['污水井盖破损，存在安全隐患', '井盖缺失，已临时围挡']],
  ['C0103', 2, 1, ['雨水井盖松动，车辆经过有响声']],
  ['C0118', 4, 4, ['路灯不亮，夜间行人不便', '一排路灯白天常亮']],
  ['C0305', 3, 1, ['垃圾箱破损，垃圾外溢']],
  ['C0301', 1, 2, ['公共厕所卫生差，无人保洁']],
  ['C0402', 2, 2, ['行道树枝干遮挡路灯和交通标志', '大风后行道树倾斜，有倒伏风险']],
  ['C0408', 2, 1, ['绿地护栏损坏']],
  ['C0211', 1, 1, ['道路交通护栏被撞坏']],
  ['C0210', 1, 2, ['路口交通信号灯故障']],
  ['C0126', 1, 2, ['小区健身器材损坏']],
  ['G040101', 3, 2, ['小区消防通道被车辆堵塞', '消防通道堆放杂物']],
  ['G040102', 4, 2, ['楼道内堆放杂物，影响疏散', '楼道停放电动车']],
  ['G030402', 3, 3, ['电动车在楼道飞线充电', '有居民从窗户拉线给电动车充电']],
  ['G010101', 1, 4, ['楼上住户夜间噪音，邻里多次沟通无果']],
  ['G010102', 1, 3, ['楼上漏水导致楼下天花板发霉，双方协商未果']],
  ['G010301', 0, 3, ['物业长期不维修单元门禁', '物业未按约定清扫楼道']],
  ['G020103', 1, 2, ['小区电梯频繁故障停运']],
  ['G020102', 2, 1, ['老旧楼房外墙瓷砖脱落，存在高空坠物隐患']],
  ['G050101', 2, 1, ['独居老人多日未出门，需上门探访']],
  ['G050301', 0, 2, ['小区突然停水，未收到通知']],
  ['G070202', 2, 1, ['大件垃圾随意丢弃在垃圾分类点']],
  ['G070201', 3, 1, ['垃圾分类投放点混投严重']],
  ['G080101', 1, 1, ['路边无证经营熟食摊点']],
];

const REJECT_NOTES = ['经核实不属于城市管理受理范围，已告知诉求人', '描述不清且多次联系无果，无法核实',
  '属于小区物业内部事务，已引导诉求人找物业协商'];
const HANDLE_NOTES = ['已安排人员到场处置，现场恢复正常', '已清理完毕并加强巡查', '已责令整改，当事人已现场整改完毕',
  '已维修完成', '已约谈相关责任人并完成整改', '已协调相关单位处理完毕'];
const RETURN_NOTES = ['经核实不属于本单位职责，请重新派遣', '该问题属于其他部门管辖范围，申请退回'];
const REWORK_NOTES = ['现场复核发现问题仍然存在，需返工', '整改不彻底，群众仍有反映'];
const EXTEND_NOTES = ['涉及管线迁改，需协调施工单位，申请延期', '需采购配件，申请延期处置', '涉及多方协调，申请延期'];
const SUSPEND_NOTES = ['需纳入老旧小区改造计划统筹解决', '涉及历史遗留问题，暂无法处置，挂账跟踪'];
const ESCALATE_NOTES = ['涉及多个网格，需社区统筹协调', '问题复杂，网格内无法解决，申请上报'];
const WRONG_DEPT = { CGZF: 'HW', HW: 'CGZF', SZ: 'SW', SW: 'SZ', YL: 'HW', XF: 'GA', GA: 'JJ', JJ: 'GA',
  STHJ: 'CGZF', ZJ: 'CGZF', SF: 'MZ', MZ: 'SF', GS: 'SW', GD: 'SZ', SCJG: 'CGZF', WJ: 'MZ' };
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';

// ---------------------------------------------------------------- geometry
function ringContains(ring, x, y) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i], [xj, yj] = ring[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
function polygons(geom) {
  return geom.type === 'Polygon' ? [geom.coordinates] : geom.type === 'MultiPolygon' ? geom.coordinates : [];
}
function contains(geom, x, y) {
  return polygons(geom).some((rings) => ringContains(rings[0], x, y) && !rings.slice(1).some((h) => ringContains(h, x, y)));
}
function bbox(geom) {
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  for (const rings of polygons(geom)) for (const [x, y] of rings[0]) {
    b[0] = Math.min(b[0], x); b[1] = Math.min(b[1], y); b[2] = Math.max(b[2], x); b[3] = Math.max(b[3], y);
  }
  return b;
}
/** A point inside the grid (rejection sampling in its bounding box), rounded to ~1 m. */
function pointIn(grid, rng) {
  const [x0, y0, x1, y1] = grid.bbox;
  for (let i = 0; i < 200; i++) {
    const x = rng.uniform(x0, x1), y = rng.uniform(y0, y1);
    if (contains(grid.geometry, x, y)) return [Math.round(x * 1e5) / 1e5, Math.round(y * 1e5) / 1e5];
  }
  return null;
}

// ---------------------------------------------------------------- photos
// A real 16x12 JPEG (tests/api/lib/images.mjs); the JFIF density bytes, which the server
// keeps, make each copy a different file with its own SHA-256.
const JPEG = Buffer.from('/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/2wBDAQkJCQwLDBgNDRgyIRwhMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjL/wAARCAAMABADASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwCo9tbhN0UdmgUEtuk3k/QDH9abE8P923/78SVNFJL/AM9P/Iaf4VKIDLIXaeYE/wB19o/IcV9VqtJDj7OTUqSV/NW/J/of/9k=', 'base64');
function photo(n) {
  const b = Buffer.from(JPEG);
  b.writeUInt32BE(n >>> 0, 14); // Xdensity, Ydensity of the JFIF APP0 segment
  return b;
}

// ---------------------------------------------------------------- the server
function run(bin, args, input, env = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '', err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`gridgov ${args[0]} ${args[1] || ''}: ${err.trim()}`))));
    p.stdin.end(input || '');
  });
}

async function startServer(bin, db, media) {
  const child = spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--threads', '8', '--test-clock',
    '--report-rate', '0', '--public-rate', '0', '--login-rate', '0', '--no-access-log', ...(media ? ['--media', media] : [])],
  { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => { log += d; if (log.length > 20000) log = log.slice(-10000); });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the server did not start: ${log}`)), 30000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    exited.then(({ code }) => { clearTimeout(timer); reject(new Error(`the server exited ${code}: ${log}`)); });
  });
  return { url, child, exited, get log() { return log; } };
}

class ApiError extends Error {}

function client(url) {
  return async function request(method, p, { token, body, form } = {}) {
    const headers = {};
    if (token) headers.authorization = `Bearer ${token}`;
    let payload;
    if (form) payload = form;
    else if (body !== undefined) { payload = JSON.stringify(body); headers['content-type'] = 'application/json'; }
    const res = await fetch(url + p, { method, headers, body: payload });
    const text = await res.text();
    let json;
    try { json = JSON.parse(text); } catch { json = undefined; }
    return { status: res.status, body: json, text };
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function pool(items, n, fn) {
  let next = 0;
  const worker = async () => { while (next < items.length) { const i = next++; await fn(items[i], i); } };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}

// ---------------------------------------------------------------- the replay
const OPEN = new Set(['reported', 'filed', 'dispatched', 'accepted', 'handled', 'verified']);
const FINAL = new Set(['closed', 'evaluated', 'rejected', 'merged']);

async function main() {
  const opt = parseArgs(process.argv.slice(2));
  const began = Date.now();
  const say = (s) => { if (!opt.quiet) process.stdout.write(`${s} [${((Date.now() - began) / 1000).toFixed(1)} s]\n`); };
  const dataDir = process.env.GRIDGOV_DATA || path.join(ROOT, 'data');
  const cal = makeCal(loadCalendar(dataDir));
  const g = rng32(mix(opt.seed, 1));

  if (!opt.db.includes('://') && !existsSync(opt.db)) throw new Error(`no database at ${opt.db}: build one with 'gridgov demo' first`);
  const srv = await startServer(opt.bin, opt.db, opt.media);
  const request = client(srv.url);
  let stopped = false;
  const stop = async () => {
    if (stopped) return srv.exited;
    stopped = true;
    srv.child.kill('SIGTERM');
    return srv.exited;
  };
  try {
    await replay();
  } catch (e) {
    await stop();
    throw e;
  }
  const { code, signal } = await stop();
  if (code !== 0) throw new Error(`the server stopped with ${code ?? signal}: ${srv.log.slice(-2000)}`);

  async function replay() {
    const tokens = new Map();
    const login = async (name) => {
      const r = await request('POST', '/api/v1/session', { body: { name, password: PASSWORD } });
      if (r.status !== 201) throw new Error(`login ${name}: ${r.status} ${r.text}`);
      tokens.set(name, r.body.token);
    };
    const call = async (who, method, p, opts = {}) => {
      const r = await request(method, p, { ...opts, token: who && tokens.get(who) });
      if (r.status >= 300) throw new ApiError(`${who || 'public'} ${method} ${p} ${JSON.stringify(opts.body || '')}: ${r.status} ${r.text}`);
      return r.body;
    };

    // who is who, and the map
    await pool(['operator', 'leader', 'street', 'community', 'grid_worker', 'department'], 3, login);
    const me = {};
    for (const n of ['operator', 'street', 'community', 'grid_worker', 'department'])
      me[n] = await call(n, 'GET', '/api/v1/session');
    const district = me.operator.scope;
    if ((await call('operator', 'GET', '/api/v1/cases')).total > 0)
      throw new Error(`${opt.db} already has cases: seed a fresh 'gridgov demo' database`);
    const cats = new Map((await call('operator', 'GET', '/api/v1/categories')).items.map((c) => [c.code, c]));
    const depts = new Set((await call('operator', 'GET', '/api/v1/departments')).items.map((d) => d.code));
    const fc = await call('operator', 'GET', `/api/v1/grids.geojson?level=grid&under=${district}`);
    const grids = fc.features.filter((f) => f.properties.level === 'grid' && f.geometry)
      .map((f) => ({ code: f.properties.code, name: f.properties.name, community: f.properties.parent_code,
        geometry: f.geometry, bbox: bbox(f.geometry), weight: 1 }))
      .sort((a, b) => (a.code < b.code ? -1 : 1));
    if (!grids.length) throw new Error('the database has no grids with geometry: build it with gridgov demo');
    const table = CATEGORIES.filter(([code]) => cats.has(code) && depts.has(cats.get(code).department));

    // Hot spots: the demo users' street and community, a few more communities and some
    // single grids get most of the reports, so the heat map has its places.
    const communities = [...new Set(grids.map((x) => x.community))];
    const hot = new Set([me.community.scope]);
    while (hot.size < Math.min(5, communities.length)) hot.add(g.pick(communities));
    for (const x of grids) {
      if (x.code.startsWith(me.street.scope)) x.weight *= 2;
      if (hot.has(x.community)) x.weight *= 4;
      if (g.chance(0.04)) x.weight *= 6;
      if (x.code === me.grid_worker.scope) x.weight *= 2;
    }
    const byWeight = [...grids].sort((a, b) => b.weight - a.weight || (a.code < b.code ? -1 : 1));
    // workers for the busiest grids, at most two to a community, so patrols spread too
    const workerOf = new Map([[me.grid_worker.scope, 'grid_worker']]);
    const perCommunity = new Map([[me.community.scope, 1]]);
    for (const x of byWeight) {
      if (workerOf.size > opt.workers) break;
      if (workerOf.has(x.code) || (perCommunity.get(x.community) || 0) >= 2) continue;
      workerOf.set(x.code, `gw${x.code}`);
      perCommunity.set(x.community, (perCommunity.get(x.community) || 0) + 1);
    }
    const candidates = [...new Set(table.map(([code]) => cats.get(code).department))].sort();

    // ------------------------------------------------------------ the plan
    const nowReal = opt.until ?? Math.floor(Date.now() / 1000);
    const today = localDay(nowReal);
    const start = (today - opt.days) * 86400 - TZ; // 00:00 China time, DAYS ago
    const cases = [];
    const workerGrids = byWeight.filter((x) => workerOf.has(x.code));
    const streetGrids = grids.filter((x) => x.code.startsWith(me.street.scope));
    let orderNo = 0;

    const newCase = (t, channel, opts = {}) => {
      const c = { i: cases.length, t0: t, channel, ev: 0, state: 'planned', sup: 0, deadline: 0, returns: 0,
        reworks: 0, reopened: 0, extended: false, photos: 0 };
      c.rng = rng32(mix(opt.seed, 1000 + c.i));
      const r = c.rng;
      const entry = opts.cat ? table.find((x) => x[0] === opts.cat) : r.weighted(table, (x) => (channel === 'worker' ? x[1] : x[2]) + 0.01);
      c.cat = cats.get(entry[0]);
      c.desc = opts.desc || r.pick(entry[3]);
      c.grid = opts.grid;
      c.point = opts.point || (c.grid && pointIn(c.grid, r));
      while (!c.point) { // a sliver of a grid may defeat the sampling: take another grid
        c.grid = channel === 'worker' ? r.weighted(workerGrids, (x) => x.weight) : r.weighted(grids, (x) => x.weight);
        c.point = pointIn(c.grid, r);
      }
      c.address = `${c.grid.name.replace('居民委员会', '')}${r.int(1, 40)}号附近`;
      c.cls = c.cat.kind === '部件' && r.chance(0.1) ? 'engineering' : 'general';
      c.dept = c.cat.department;
      // the case's fate, drawn now so that it does not depend on the order of the replay
      const small = c.cat.limits_h[c.cls] <= 8;
      c.fate = {
        selfClose: channel === 'worker' && small && r.chance(0.12),
        escalate: channel === 'worker' && r.chance(0.03),
        reject: channel !== 'worker' && r.chance(0.06),
        lateFile: r.chance(0.04), lateDispatch: r.chance(0.03), lateClose: r.chance(0.03),
        wrongDept: r.chance(0.04) && depts.has(WRONG_DEPT[c.dept]),
        extend: c.cat.limits_h[c.cls] >= 8 && r.chance(0.06), lateHandle: r.chance(0.15),
        rework: r.chance(0.05), suspend: r.chance(0.01),
        vague: channel === 'citizen' && r.chance(0.25), photo: channel === 'citizen' && r.chance(0.7),
        rate: channel === 'hotline' ? r.chance(0.85) : channel === 'citizen' ? r.chance(0.6) : r.chance(0.35),
        rating: r.weighted(['satisfied', 'basically', 'unsatisfied'], (x) => ({ satisfied: 76, basically: 17, unsatisfied: 7 })[x]),
      };
      Object.assign(c.fate, opts.fate || {});
      // a citizen who picks no category files under 其他 (E0199) for the center to refile;
      // its limits are those of E0199, the department the one of the real problem
      c.serverCat = c.fate.vague && cats.has('E0199') ? cats.get('E0199') : c.cat;
      c.limit = c.serverCat.limits_h[c.cls] * HOUR;
      c.reporter = channel === 'worker' ? workerOf.get(c.grid.code) : 'operator';
      cases.push(c);
      at(t, c, create, true);
      return c;
    };

    // the event queue: slots of Q seconds; in each, the serial events (creations, merges,
    // whistles: they take ids and read other cases) run one by one in case order, then
    // the rest run in parallel, each case's own events in order.
    const queue = new Map(); // slot -> events
    let slot = -Infinity;
    function at(t, c, fn, serial = false, ...args) {
      let k = Math.floor(t / Q);
      if (k <= slot) k = slot + 1;
      if (!queue.has(k)) queue.set(k, []);
      queue.get(k).push({ c, fn, serial, args, n: c.ev++ });
    }
    const work = (t, secs) => cal.add(t, Math.max(60, Math.round(secs)));
    const minutes = (r, lo, hi) => r.uniform(lo, hi) * 60;

    // the days: more on Mondays, fewer on Fridays, few on days off
    const whistleDays = new Set([0.2, 0.5, 0.8].map((f) => Math.floor(opt.days * f)));
    for (let d = 0; d <= opt.days; d++) {
      const day = today - opt.days + d, t00 = day * 86400 - TZ, wd = (((day + 4) % 7) + 7) % 7;
      const working = cal.isWorkday(day);
      let n = working ? g.uniform(18, 32) * (wd === 1 ? 1.3 : wd === 5 ? 0.85 : 1) : g.uniform(6, 12);
      n = Math.round(n * opt.scale);
      const times = [];
      for (let k = 0; k < n; k++) {
        let h;
        if (working) h = g.chance(0.8) ? g.chance(0.5) ? g.uniform(8.5, 12) : g.uniform(13, 18) : g.chance(0.6) ? g.uniform(18, 22.5) : g.uniform(7, 8.5);
        else h = g.uniform(8, 21.5);
        times.push(t00 + Math.round(h * HOUR));
      }
      times.sort((a, b) => a - b);
      for (const t of times) {
        if (t >= nowReal) continue;
        const hr = ((t + TZ) % 86400) / HOUR;
        const patrol = working && hr >= 8.5 && hr < 18;
        const channel = patrol ? g.weighted(['worker', 'hotline', 'citizen', 'operator'], (x) => ({ worker: 40, hotline: 30, citizen: 20, operator: 10 })[x])
          : g.weighted(['hotline', 'citizen'], (x) => (x === 'hotline' ? 60 : 40));
        const c = newCase(t, channel);
        // the same problem reported again by someone else: the center merges it
        if (c.channel !== 'worker' && !c.fate.vague && g.chance(0.04)) {
          const dt = t + Math.round(g.uniform(20, 150) * 60);
          const [x, y] = c.point;
          if (dt < nowReal)
            newCase(dt, c.channel === 'hotline' ? 'citizen' : 'hotline', { cat: c.cat.code, grid: c.grid, desc: c.desc,
              point: [Math.round((x + g.uniform(-1e-4, 1e-4)) * 1e5) / 1e5, Math.round((y + g.uniform(-1e-4, 1e-4)) * 1e5) / 1e5],
              fate: { dupOf: c, vague: false } });
        }
      }
      // 吹哨报到: a street's staff summon several departments to one case
      if (whistleDays.has(d) && working && streetGrids.length) {
        const t = t00 + Math.round(g.uniform(9.5, 10.5) * HOUR);
        if (t < nowReal - 2 * 86400) {
          const entry = g.pick(table.filter((x) => ['E0507', 'E0504', 'E0116', 'E0510'].includes(x[0])));
          const others = candidates.filter((x) => x !== cats.get(entry[0]).department);
          newCase(t, 'hotline', { cat: entry[0], grid: g.pick(streetGrids), fate: {
            whistle: { type: g.pick(['livelihood', 'assembly']), departments: [g.pick(others), g.pick(others)].filter((x, i, a) => a.indexOf(x) === i),
              lateOne: whistleDays.size > 1 && d === Math.floor(opt.days * 0.5) },
            reject: false, lateHandle: false, wrongDept: false, extend: false, suspend: false, rate: true, rating: 'satisfied' } });
        }
      }
    }
    // A short replay still shows every kind of record: the first plain case with a short
    // limit is handled late (a 督办 round) and then rated.
    const firstOrdinary = cases.find((c) => !c.fate.selfClose && !c.fate.reject && !c.fate.dupOf && !c.fate.suspend &&
      !c.fate.whistle && !c.fate.extend && c.limit <= 8 * HOUR);
    if (firstOrdinary) Object.assign(firstOrdinary.fate, { lateHandle: true, rate: true, rating: 'satisfied', wrongDept: false });

    // The users the plan needs besides the demo's: one per department it dispatches or
    // summons to (CGZF is the demo's `department`) and the grid workers. Their password
    // is the demo's published one, so the cheap argon2 parameters lose nothing and save
    // seconds of hashing per user. One at a time, in order: user ids go into the trails.
    const deptUser = new Map([[me.department.dept, 'department']]);
    const needed = new Set();
    for (const c of cases) {
      needed.add(c.dept);
      if (c.fate.wrongDept) needed.add(WRONG_DEPT[c.dept]);
      for (const d of c.fate.whistle?.departments || []) needed.add(d);
    }
    for (const d of [...needed].sort()) if (!deptUser.has(d)) deptUser.set(d, `dept-${d.toLowerCase()}`);
    const newUsers = [
      ...[...workerOf].filter(([, n]) => n !== 'grid_worker').map(([scope, name]) => ['--name', name, '--role', 'grid_worker', '--scope', scope]),
      ...[...deptUser].filter(([, n]) => n !== 'department').map(([dept, name]) => ['--name', name, '--role', 'department', '--dept', dept, '--scope', district]),
    ];
    await pool(newUsers, 1, (a) => run(opt.bin, ['user', 'add', '--db', opt.db, ...a], PASSWORD + '\n', { GRIDGOV_FAST_HASH: '1' }));
    await pool(newUsers.map((a) => a[1]), 3, login);
    const gw = [...workerOf.values()].filter((n) => n !== 'grid_worker');
    say(`seed-cases: added logins (password ${PASSWORD}): departments ` +
      `${[...deptUser.values()].filter((n) => n !== 'department').join(' ')}; ` +
      `grid workers ${gw.length ? `${gw[0]} and ${gw.length - 1} more gw<grid code>` : 'none'}`);

    // ------------------------------------------------------------ the steps of a case
    const setCase = (c, j) => {
      c.id = j.id; c.state = j.state; c.deadline = parseTime(j.deadline); c.sup = j.supervision;
      c.department = j.department || null; c.located = j.grid; c.reopened = j.reopened;
    };
    const fetchCase = async (c) => setCase(c, await call('operator', 'GET', `/api/v1/cases/${c.id}`));
    const act = async (c, who, action, body = {}) => {
      const j = await call(who, 'POST', `/api/v1/cases/${c.id}/actions`, { body: { action, ...body } });
      setCase(c, j);
      return j;
    };
    // each case numbers its own photos, so their bytes do not depend on the replay's order
    const snap = (c) => {
      const n = c.i * 8 + ++c.photos;
      return [new Blob([photo(n)], { type: 'image/jpeg' }), `IMG_${String(n).padStart(5, '0')}.jpg`];
    };
    const upload = async (c, who, n) => {
      const fd = new FormData();
      for (let k = 0; k < n; k++) fd.append('photo', ...snap(c));
      return (await call(who, 'POST', '/api/v1/media', { form: fd })).items.map((m) => m.sha256);
    };
    const handlingSpan = (c) => c.serverCat.limits_h.general * HOUR;
    const verifier = (c) => {
      const w = workerOf.get(c.grid.code);
      return w && c.located && c.located.startsWith(c.grid.code) ? w : 'operator';
    };

    async function create(c, now) {
      const r = c.rng, [lon, lat] = c.point;
      if (c.channel === 'worker' || c.channel === 'operator') {
        const body = { category: c.cat.code, description: c.desc, channel: c.channel, lon, lat, address: c.address };
        for (let k = 0; ; k++) { // a point on a grid's edge may locate next door, outside the worker's scope
          const res = await request('POST', '/api/v1/cases', { token: tokens.get(c.reporter), body });
          if (res.status === 201) { setCase(c, res.body); break; }
          if (res.status !== 403 || k === 5) throw new ApiError(`${c.reporter} POST /api/v1/cases: ${res.status} ${res.text}`);
          [body.lon, body.lat] = c.point = pointIn(c.grid, r);
        }
      } else if (c.channel === 'hotline') {
        const day = new Date((now + TZ) * 1000).toISOString().slice(0, 10).replaceAll('-', '');
        const j = await call('operator', 'POST', '/api/v1/intake/hotline', { body: { order_no: `GD${day}${String(++orderNo).padStart(5, '0')}`,
          content: c.desc, received_at: iso(now), lon, lat, address: c.address, category_hint: c.cat.code } });
        c.id = j.case_id;
        await fetchCase(c);
      } else {
        const fd = new FormData();
        fd.append('description', c.desc);
        fd.append('lon', String(lon));
        fd.append('lat', String(lat));
        if (!c.fate.vague) fd.append('category', c.cat.code);
        if (c.fate.photo) fd.append('photo', ...snap(c));
        c.code = (await call(null, 'POST', '/api/v1/public/reports', { form: fd })).code;
        const list = await call('operator', 'GET', '/api/v1/cases?channel=citizen');
        const j = list.items[0];
        if (!j || j.description !== c.desc) throw new Error('cannot find the citizen report just made');
        setCase(c, j);
      }
      if (c.fate.selfClose) return at(now + minutes(r, 10, 40), c, selfClose);
      if (c.fate.escalate) at(now + minutes(r, 10, 30), c, escalate);
      const verify = c.serverCat.verify_min * 60;
      at(work(now, c.fate.lateFile ? verify * r.uniform(1.1, 2) : verify * r.uniform(0.1, 0.8)), c, file, !!c.fate.dupOf);
    }

    async function selfClose(c) {
      const shas = await upload(c, c.reporter, 2);
      await act(c, c.reporter, 'self_close', { note: '小问题，网格员现场处置完毕', attachments: shas });
    }

    async function escalate(c) {
      if (['reported', 'filed', 'dispatched', 'accepted'].includes(c.state))
        await act(c, c.reporter, 'escalate', { note: c.rng.pick(ESCALATE_NOTES) });
    }

    async function file(c, now) {
      const r = c.rng;
      if (c.fate.dupOf) {
        const o = c.fate.dupOf;
        if (o.id && !FINAL.has(o.state) && o.state !== 'planned')
          return act(c, 'operator', 'merge', { into: o.id, note: `与案件 ${o.id} 为同一问题，合并办理` });
        return act(c, 'operator', 'reject', { note: '该问题已处理完毕，重复上报' });
      }
      if (c.fate.reject) return act(c, 'operator', 'reject', { note: r.pick(REJECT_NOTES) });
      await act(c, 'operator', 'file');
      if (c.fate.suspend) return at(work(now, minutes(r, 20, 50)), c, suspend);
      at(work(now, c.fate.lateDispatch ? minutes(r, 65, 150) : minutes(r, 5, 50)), c, dispatch);
    }

    async function suspend(c) {
      await act(c, 'leader', 'suspend', { note: c.rng.pick(SUSPEND_NOTES) });
    }

    async function dispatch(c, now) {
      const r = c.rng;
      const dept = c.fate.wrongDept && c.returns === 0 ? WRONG_DEPT[c.dept] : c.dept;
      await act(c, 'operator', 'dispatch', { department: dept, class: c.cls });
      c.stageStart = now;
      c.span = c.limit;
      if (dept !== c.dept) return at(work(now, minutes(r, 30, 150)), c, giveBack);
      if (c.fate.whistle && !c.whistled) at(now + minutes(r, 20, 40), c, whistle, true);
      at(work(now, minutes(r, 5, Math.min(90, c.limit / 120))), c, accept);
    }

    async function giveBack(c, now) {
      await act(c, deptUser.get(c.department), 'return', { note: c.rng.pick(RETURN_NOTES) });
      c.returns++;
      at(work(now, minutes(c.rng, 5, 40)), c, dispatch);
    }

    async function accept(c, now) {
      const r = c.rng;
      await act(c, deptUser.get(c.department), 'accept');
      if (c.fate.extend && !c.extended) {
        const t = Math.max(now + 600, cal.add(c.stageStart, c.span * r.uniform(0.4, 0.7)));
        return at(t, c, extend);
      }
      planHandle(c, now);
    }

    function planHandle(c, now) {
      const r = c.rng;
      const late = c.fate.lateHandle && c.reworks === 0 && c.reopened === 0;
      // most late cases are late by part of a working day (one 督办 round), some by days
      const work = late ? (r.chance(0.75) ? c.span + DAY_WORK * r.uniform(0.05, 0.9) : c.span * r.uniform(1.3, 2.6))
        : c.span * (c.fate.whistle ? r.uniform(0.85, 0.95) : r.uniform(0.15, 0.92));
      at(Math.max(now + 600, cal.add(c.stageStart, work)), c, handle);
    }

    async function extend(c, now) {
      const r = c.rng, hours = Math.max(4, Math.round(c.limit / HOUR / 2));
      await act(c, deptUser.get(c.department), 'extend', { hours, note: r.pick(EXTEND_NOTES) });
      c.extended = true;
      c.extHours = hours;
      // approved before the deadline passes, so the new one lies ahead
      const t = Math.min(work(now, minutes(r, 10, 60)), c.deadline - 2 * Q);
      at(Math.max(t, now + 60), c, approve);
    }

    async function approve(c, now) {
      await act(c, c.rng.chance(0.5) ? 'leader' : 'operator', 'approve_extension', { note: '同意延期' });
      c.span += c.extHours * HOUR;
      planHandle(c, now);
    }

    async function handle(c, now) {
      const r = c.rng, body = { note: r.pick(HANDLE_NOTES) };
      if (r.chance(0.4)) body.attachments = await upload(c, deptUser.get(c.department), 1);
      await act(c, deptUser.get(c.department), 'handle', body);
      at(work(now, minutes(r, 10, c.serverCat.verify_min * 0.8)), c, verify);
    }

    async function verify(c, now) {
      const r = c.rng;
      if (c.fate.rework && c.reworks === 0) {
        await act(c, verifier(c), 'rework', { note: r.pick(REWORK_NOTES), class: c.cls });
        c.reworks++;
        c.stageStart = now;
        c.span = c.limit;
        return at(work(now, minutes(r, 5, 60)), c, accept);
      }
      await act(c, verifier(c), 'verify', { note: '现场核查，已处置到位' });
      at(work(now, c.fate.lateClose ? minutes(r, 65, 120) : minutes(r, 5, 50)), c, close);
    }

    async function close(c, now) {
      const r = c.rng;
      await act(c, 'operator', 'close');
      if (c.fate.rate && !c.rated) at(work(now, minutes(r, 30, 600)), c, evaluate);
    }

    async function evaluate(c, now) {
      const r = c.rng;
      const rating = c.reopened ? r.pick(['satisfied', 'basically']) : c.fate.rating;
      c.rated = c.reopened > 0;
      if (c.channel === 'citizen') {
        await call(null, 'POST', `/api/v1/public/reports/${c.code}/rating`, { body: { rating } });
        await fetchCase(c);
      } else {
        await act(c, c.channel === 'hotline' ? 'operator' : c.reporter, 'evaluate', { rating, note: '回访' });
      }
      if (c.state === 'dispatched') { // 不满意: reopened to the same department, general class
        c.stageStart = now;
        c.span = handlingSpan(c);
        at(work(now, minutes(r, 10, 60)), c, accept);
      }
    }

    async function whistle(c, now) {
      const w = c.fate.whistle;
      if (!['filed', 'dispatched', 'accepted'].includes(c.state)) return;
      c.whistled = true;
      const span = 4 * HOUR, deadline = cal.add(now, span);
      const summoned = [c.department, ...w.departments.filter((d) => d !== c.department)];
      await act(c, 'street', 'whistle', { type: w.type, departments: summoned, deadline: iso(deadline), note: '多部门联合处置' });
      c.whistle = { deadline, pending: new Map(summoned.map((d) => [d, { reported: false, supervised: false }])) };
      summoned.forEach((d, k) => {
        const late = w.lateOne && k === summoned.length - 1;
        at(late ? cal.add(deadline, 3600) : cal.add(now, span * c.rng.uniform(0.2, 0.8)), c, report, false, d);
      });
    }

    async function report(c, now, dept) {
      await act(c, deptUser.get(dept), 'report', { note: '已到场报到' });
      c.whistle.pending.get(dept).reported = true;
      if ([...c.whistle.pending.values()].every((x) => x.reported)) at(now + minutes(c.rng, 30, 120), c, rateDepartments);
    }

    async function rateDepartments(c) {
      for (const d of c.whistle.pending.keys())
        await act(c, 'street', 'rate_department', { department: d, rating: c.rng.chance(0.85) ? 'satisfied' : 'basically' });
    }

    // ------------------------------------------------------------ the clock and the scheduler
    let rounds = 0;
    const setClock = async (t) => call(null, 'POST', '/api/v1/test/clock', { body: { set: iso(t) } });
    // The 督办 rounds the server's scheduler owes at this time, one promise per case that
    // resolves once they are open. A case acts only after its own rounds are there and the
    // clock moves on only after all of them, so the trail is the same whatever the speed
    // of the machine; meanwhile the other cases go ahead.
    function settle(now) {
      const waits = new Map();
      const add = (c, f) => waits.set(c.i, (waits.get(c.i) || Promise.resolve()).then(f));
      for (const c of cases) {
        if (c.deadline && OPEN.has(c.state) && now > c.deadline && cal.dueRound(c.deadline, now) > c.sup)
          add(c, async () => {
            const due = cal.dueRound(c.deadline, now), before = c.sup;
            for (let k = 0; k < 1000 && c.sup < due; k++) { await sleep(3); await fetchCase(c); }
            if (c.sup < due) process.stderr.write(`seed-cases: case ${c.id}: ${c.sup} 督办 rounds, expected ${due}\n`);
            rounds += Math.max(0, c.sup - before);
          });
        if (c.whistle && now > c.whistle.deadline)
          for (const [d, x] of c.whistle.pending)
            if (!x.reported && !x.supervised)
              add(c, async () => {
                for (let k = 0; k < 1000 && !x.supervised; k++) {
                  await sleep(3);
                  const j = await call('operator', 'GET', `/api/v1/cases/${c.id}`);
                  x.supervised = j.whistles.some((w) => w.department === d && w.supervised);
                }
                rounds++;
              });
      }
      return waits;
    }

    const endSlot = Math.floor(nowReal / Q);
    let steps = 0;
    await setClock(start);
    while (queue.size) {
      const k = Math.min(...queue.keys());
      if (k > endSlot) break;
      const events = queue.get(k);
      queue.delete(k);
      slot = k;
      // a time inside the slot that is not a round number, the same on every run
      const now = Math.min(k * Q + (mix(opt.seed, k) % Q), nowReal);
      await setClock(now);
      const waits = settle(now);
      const ready = (c) => waits.get(c.i);
      const order = (a, b) => a.c.i - b.c.i || a.n - b.n;
      for (const e of events.filter((x) => x.serial).sort(order)) { await ready(e.c); await e.fn(e.c, now, ...e.args); }
      const byCase = new Map();
      for (const e of events.filter((x) => !x.serial).sort(order)) {
        if (!byCase.has(e.c.i)) byCase.set(e.c.i, []);
        byCase.get(e.c.i).push(e);
      }
      await pool([...byCase.values()], 8, async (list) => { await ready(list[0].c); for (const e of list) await e.fn(e.c, now, ...e.args); });
      await Promise.all(waits.values());
      steps += events.length;
    }
    const end = opt.until ?? Math.max(nowReal, Math.floor(Date.now() / 1000));
    await setClock(end);
    await Promise.all(settle(end).values());

    const all = (await call('operator', 'GET', `/api/v1/stats/indicators?under=${district}`)).all;
    const secs = ((Date.now() - began) / 1000).toFixed(1);
    process.stdout.write(`seed-cases: ${cases.length} cases over ${opt.days} days (seed ${opt.seed}): ` +
      `${all.closed} closed, ${all.open} open, ${all.overdue} overdue, ${rounds} 督办 rounds, ` +
      `${steps} steps in ${secs} s\n`);
  }
}

main().catch((e) => {
  process.stderr.write(`seed-cases: ${e.message}\n`);
  process.exit(1);
});
