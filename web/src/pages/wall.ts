// SPDX-License-Identifier: Apache-2.0
// The wall screen 大屏 (operator, leader, or a kiosk session an administrator issued for one
// screen): full screen without the top bar; a clock; KPI tiles that open what they count;
// the grids coloured by open cases with the legend's values shown and the open cases as
// points; a live feed; complete department and street rankings (worst first or best
// first, counts beside rates). Changes arrive over the server's event stream
// (GET /api/v1/events, live.ts): a new case appears in the feed, on the map and in the
// KPIs at once; the KPIs and rankings are re-read once the burst is over, and everything every
// five minutes — no polling storm. /wall?kiosk=CODE trades an administrator's one-time
// code for the screen's own session (POST /api/v1/kiosk/session), kept on the device.
import { ApiError, get, post, qs, saveKiosk, token, type List, type User } from '../api';
import { echarts } from '../charts';
import { daysAgo, localDateTime, serverNow, syncClock } from '../clock';
import { t, tk } from '../i18n';
import { onLive, onLiveStatus, type CaseEvent } from '../live';
import type { Page } from '../main';
import { clear, empty, failure, fmtNum, fmtPct, h, loading, panel } from '../ui';

type Row = Record<string, unknown>;
interface Feature { type: 'Feature'; properties: { code: string; name: string }; geometry: unknown }
interface FeatureCollection { type: 'FeatureCollection'; features: Feature[] }
interface Pt { id: number; lon: number; lat: number; state: string }

const MAP_NAME = 'gridgov-wall';
const FEED_MAX = 30;
const REFRESH_MS = 5 * 60_000;
const SETTLE_MS = 4000; // KPIs are re-read this long after the last event of a burst
const CLOSING = new Set(['close', 'reject', 'merge', 'self_close']);

const num = (o: Row | undefined, k: string): number | undefined => (o && typeof o[k] === 'number' ? (o[k] as number) : undefined);
const str = (o: Row, ...keys: string[]): string => {
  for (const k of keys) if (typeof o[k] === 'string' && o[k]) return o[k] as string;
  return '';
};

/** Trade a one-time wall-screen code for the screen's session; true when it worked. */
async function claim(code: string): Promise<boolean> {
  const r = await post<{ token: string; user: User }>('/api/v1/kiosk/session', { code });
  saveKiosk(r.token, { ...r.user, kiosk: true });
  return true;
}

const page: Page = async (root, ctx) => {
  const code = ctx.query.get('kiosk');
  if (code) {
    try {
      await claim(code);
      history.replaceState(null, '', '/wall'); // the code is used up: never keep it in the URL
    } catch (e) {
      root.append(h('div', { class: 'wall-claim' }, h('h1', null, t('wall.title')), failure(e)));
      return;
    }
  }
  if (!token()) {
    ctx.go('/login', true);
    return;
  }
  const user = ctx.user ?? (await get<User>('/api/v1/session'));
  const scope = user.scope ?? '';
  document.body.classList.add('wall-body');
  root.classList.add('wall', 'command');

  const charts: echarts.ECharts[] = [];
  const clock = h('time', { id: 'wall-clock', class: 'wall-clock' });
  const live = h('span', { id: 'wall-live', class: 'wall-live', 'data-connected': '0' }, t('wall.offline'));
  const fsBtn = h('button', { type: 'button', class: 'btn', id: 'wall-fullscreen',
    onclick: () => (document.fullscreenElement ? document.exitFullscreen() : document.documentElement.requestFullscreen()).catch(() => {}),
  }, t('wall.fullscreen'));
  const exit = user.kiosk ? null : h('a', { class: 'btn', href: '/command', id: 'wall-exit',
    onclick: (e: Event) => { e.preventDefault(); ctx.go('/command'); } }, t('wall.exit'));
  const kpis = h('div', { class: 'kpis wall-kpis', id: 'wall-kpis' }, loading());
  const mapBox = h('div', { class: 'chart chart-map wall-map', id: 'wall-map' });
  const feed = h('ol', { class: 'wall-feed', id: 'wall-feed' });
  const order = { worst: true };
  const orderBtn = h('button', { type: 'button', class: 'btn', id: 'wall-rank-order',
    onclick: () => { order.worst = !order.worst; orderBtn.textContent = t(order.worst ? 'wall.worst_first' : 'wall.best_first'); void rankings(); },
  }, t('wall.worst_first'));
  const rankDept = h('div', { id: 'wall-rank-dept', class: 'wall-rank' });
  const rankStreet = h('div', { id: 'wall-rank-street', class: 'wall-rank' });
  root.append(
    h('header', { class: 'wall-head' },
      h('h1', null, t('wall.title')), h('span', { class: 'muted' }, user.scope_name ?? user.scope ?? ''),
      h('div', { class: 'wall-tools' }, live, clock, fsBtn, exit)),
    kpis,
    h('div', { class: 'wall-grid' },
      panel(t('cc.map'), mapBox, h('span', { class: 'muted hint' }, t('wall.map_hint'))),
      panel(t('wall.feed'), feed),
      panel(t('cc.rank_dept'), rankDept, orderBtn),
      panel(t('cc.rank_street'), rankStreet)));

  // ---- the clock: the server's, in the platform's zone, to the second
  const tick = () => {
    const ms = serverNow();
    clock.textContent = `${localDateTime(ms)}:${String(Math.floor(ms / 1000) % 60).padStart(2, '0')}`;
  };
  tick();
  const clockTimer = window.setInterval(tick, 1000);

  // ---- KPI tiles: each opens the list of what it counts
  let today: Row | undefined;
  let month: Row | undefined;
  const tiles: [string, string, () => string][] = [
    ['kpi.today', '/cases', () => fmtNum(num(today, 'reported'))],
    ['kpi.open', '/queue', () => fmtNum(num(today, 'open'))],
    ['kpi.overdue', '/cases?light=red', () => fmtNum(num(today, 'overdue'))],
    ['kpi.ontime', '/command', () => fmtPct(num(month, 'closed_on_time_rate'))],
    ['kpi.satisfaction', '/command', () => fmtPct(num(month, 'satisfaction_rate'))],
  ];
  const drawKpis = () => clear(kpis, tiles.map(([key, href, v]) => h('button', {
    type: 'button', class: 'kpi kpi-link', 'data-kpi': key, onclick: () => ctx.go(href),
  }, h('div', { class: 'kpi-label' }, t(key as Parameters<typeof t>[0]), key === 'kpi.ontime' || key === 'kpi.satisfaction' ? h('span', { class: 'kpi-window' }, ' · ', t('kpi.last30')) : null),
  h('div', { class: 'kpi-value' }, v()))));
  const kpi = async () => {
    try {
      const [d, m] = await Promise.all([
        get<{ all: Row }>('/api/v1/stats/indicators' + qs({ under: scope, from: daysAgo(0), to: daysAgo(0) })),
        get<{ all: Row }>('/api/v1/stats/indicators' + qs({ under: scope, from: daysAgo(29), to: daysAgo(0) })),
      ]);
      [today, month] = [d.all, m.all];
      drawKpis();
    } catch (e) {
      clear(kpis, failure(e));
    }
  };
  const bump = (key: string, by: number) => {
    if (!today) return;
    today = { ...today, [key]: (num(today, key) ?? 0) + by };
    drawKpis();
  };

  // ---- the map: grids by open cases, the legend's values, and the open cases as points
  const gridName = new Map<string, string>();
  let features: Feature[] = [];
  let openByGrid = new Map<string, number>();
  const points = new Map<number, Pt>();
  /** The map's grid holding code (a case's grid may be a micro-grid below the map's level). */
  const onMap = (code: string): string | undefined => {
    for (let c = code; c.length >= 6; c = c.slice(0, -3)) if (gridName.has(c)) return c;
    return undefined;
  };
  const mapChart = echarts.init(mapBox, undefined, { renderer: 'canvas' });
  charts.push(mapChart);
  const drawMap = () => {
    if (!features.length) return;
    const data = features.map((f) => ({ name: f.properties.code, code: f.properties.code, label: f.properties.name, value: openByGrid.get(f.properties.code) ?? 0 }));
    const max = Math.max(1, ...data.map((d) => d.value));
    mapBox.dataset.max = String(max);
    mapBox.dataset.points = String(points.size);
    mapChart.setOption({
      tooltip: { trigger: 'item', formatter: (p: { seriesType: string; data?: { label?: string; value?: unknown; id?: number } }) =>
        p.seriesType === 'scatter' ? `${t('cases.col.id')} ${p.data?.id}` : `${p.data?.label ?? ''}<br/>${t('cc.open_cases')}: ${p.data?.value ?? 0}` },
      // the legend shows its values: the scale's ends as text, the bar itself dragless
      visualMap: { min: 0, max, left: 8, bottom: 8, calculable: false, itemHeight: 100, text: [fmtNum(max), '0'], seriesIndex: 0,
        inRange: { color: ['#e6f0ff', '#f6c343', '#d64545'] }, textStyle: { color: '#cfd8e3' } },
      legend: { top: 4, right: 8, data: [t('wall.points')], textStyle: { color: '#cfd8e3' } },
      // one geo shared by the grids (coloured through the visualMap) and the points, so they pan together
      geo: { map: MAP_NAME, nameProperty: 'code', roam: true, label: { show: false }, itemStyle: { borderColor: '#0b3d91', borderWidth: 0.5 } },
      series: [
        { type: 'map', map: MAP_NAME, nameProperty: 'code', geoIndex: 0, data },
        { name: t('wall.points'), type: 'scatter', coordinateSystem: 'geo', symbolSize: 7, itemStyle: { color: '#7cffb2' },
          data: [...points.values()].map((p) => ({ id: p.id, value: [p.lon, p.lat] })) },
      ],
    });
  };
  const map = async () => {
    try {
      if (!features.length) {
        let fc: FeatureCollection = { type: 'FeatureCollection', features: [] };
        for (const level of ['grid', 'community', 'street']) {
          fc = await get<FeatureCollection>('/api/v1/grids.geojson' + qs({ under: scope, level }));
          if (fc.features?.length) break;
        }
        if (!fc.features?.length) {
          mapBox.append(empty());
          return;
        }
        echarts.registerMap(MAP_NAME, fc as never);
        features = fc.features;
        features.forEach((f) => gridName.set(f.properties.code, f.properties.name));
        mapChart.on('click', (p) => {
          const d = p.data as { code?: string; id?: number } | undefined;
          if (d?.id) ctx.go(`/cases/${d.id}`);
          else if (d?.code) ctx.go(`/grid/${encodeURIComponent(d.code)}`);
        });
      }
      const byGrid = await get<List<Row>>('/api/v1/stats/indicators' + qs({ by: 'grid', under: scope, from: daysAgo(0), to: daysAgo(0) }));
      openByGrid = new Map(byGrid.items.map((r) => [str(r, 'key'), num(r, 'open') ?? 0]));
      // the open cases with a position (newest 300)
      points.clear();
      let after: number | null = 0;
      while (after !== null && points.size < 300) {
        const r: { items: { id: number; lon?: number; lat?: number; state: string }[]; next: number | null } =
          await get('/api/v1/cases' + qs({ open: 'true', per_page: 100, after: after || undefined }));
        for (const c of r.items) if (typeof c.lon === 'number' && typeof c.lat === 'number') points.set(c.id, { id: c.id, lon: c.lon, lat: c.lat, state: c.state });
        after = r.next;
      }
      drawMap();
    } catch (e) {
      mapBox.append(failure(e));
    }
  };

  // ---- rankings: every row (none dropped), rate with its counts, worst or best first
  const rankings = async () => Promise.all([rank('department', rankDept), rank('street', rankStreet)]);
  const rank = async (by: 'department' | 'street', box: HTMLElement) => {
    try {
      const r = await get<List<Row>>('/api/v1/stats/indicators' + qs({ by, under: scope, from: daysAgo(29), to: daysAgo(0) }));
      const rows = r.items.filter((x) => str(x, 'key')).map((x) => {
        const rate = num(x, 'closed_on_time_rate');
        const closed = num(x, 'closed') ?? 0;
        return { key: str(x, 'key'), name: str(x, 'name', 'key'), rate, closed, onTime: rate === undefined ? 0 : Math.round(rate * closed), open: num(x, 'open') ?? 0 };
      });
      // rows without a closed case have no rate: listed last, never dropped
      rows.sort((a, b) => (a.rate === undefined ? 1 : 0) - (b.rate === undefined ? 1 : 0)
        || (order.worst ? (a.rate ?? 0) - (b.rate ?? 0) : (b.rate ?? 0) - (a.rate ?? 0)) || b.closed - a.closed);
      if (!rows.length) {
        clear(box, empty());
        return;
      }
      clear(box, h('table', { class: 'table wall-rank-table' },
        h('thead', null, h('tr', null, h('th', null, '#'), h('th', null, t(by === 'department' ? 'cases.col.department' : 'level.street')),
          h('th', { class: 'num' }, t('kpi.ontime')), h('th', { class: 'num' }, t('wall.on_time_of_closed')), h('th', { class: 'num' }, t('cc.open_cases')))),
        h('tbody', null, rows.map((x, i) => h('tr', { 'data-key': x.key },
          h('td', null, String(i + 1)),
          h('td', null, x.name),
          h('td', { class: 'num' }, h('span', { class: 'bar', style: `--w:${Math.round((x.rate ?? 0) * 100)}%` }), fmtPct(x.rate)),
          h('td', { class: 'num', 'data-count': `${x.onTime}/${x.closed}` }, `${x.onTime}/${x.closed}`),
          h('td', { class: 'num' }, fmtNum(x.open)))))));
    } catch (e) {
      clear(box, failure(e));
    }
  };

  // ---- the live feed
  const addFeed = (e: CaseEvent) => {
    feed.querySelector(':scope > .state')?.remove();
    const li = h('li', { class: 'feed-item', 'data-id': String(e.id), 'data-action': e.action },
      h('time', null, localDateTime(new Date(e.at).getTime()).slice(11)), ' ',
      h('a', { href: `/cases/${e.id}`, onclick: (ev: Event) => { ev.preventDefault(); ctx.go(`/cases/${e.id}`); } }, `#${e.id}`), ' ',
      h('strong', null, tk('action', e.action)), ' · ', tk('case_state', e.state),
      e.grid ? h('span', { class: 'muted' }, ' · ', gridName.get(onMap(e.grid) ?? '') ?? e.grid) : null);
    feed.prepend(li);
    while (feed.children.length > FEED_MAX) feed.lastElementChild?.remove();
  };
  feed.append(h('li', { class: 'state muted' }, t('wall.feed_empty')));

  let settle = 0;
  const offCase = onLive('case', (e) => {
    addFeed(e);
    if (e.action === 'create') {
      bump('reported', 1);
      bump('open', 1);
      if (typeof e.lon === 'number' && typeof e.lat === 'number') points.set(e.id, { id: e.id, lon: e.lon, lat: e.lat, state: e.state });
      const g = onMap(e.grid);
      if (g) openByGrid.set(g, (openByGrid.get(g) ?? 0) + 1);
    } else if (CLOSING.has(e.action)) {
      bump('open', -1);
      points.delete(e.id);
    }
    drawMap();
    window.clearTimeout(settle);
    settle = window.setTimeout(() => void Promise.all([kpi(), rankings()]), SETTLE_MS);
  });
  const offStatus = onLiveStatus((c) => {
    live.dataset.connected = c ? '1' : '0';
    live.textContent = t(c ? 'wall.online' : 'wall.offline');
  });

  const refresh = async () => {
    await syncClock(true);
    await Promise.all([kpi(), map(), rankings()]);
    root.dataset.loaded = '1';
  };
  await refresh().catch((e: unknown) => { if (!(e instanceof ApiError)) throw e; });
  const timer = window.setInterval(() => void refresh(), REFRESH_MS);
  let pending = 0;
  const onResize = () => {
    if (pending) return;
    pending = requestAnimationFrame(() => {
      pending = 0;
      for (const c of charts) if (c.getDom().clientWidth > 0) c.resize();
    });
  };
  window.addEventListener('resize', onResize);
  return () => {
    offCase();
    offStatus();
    window.clearInterval(timer);
    window.clearInterval(clockTimer);
    window.clearTimeout(settle);
    window.removeEventListener('resize', onResize);
    cancelAnimationFrame(pending);
    charts.forEach((c) => c.dispose());
    document.body.classList.remove('wall-body');
  };
};

export default page;
