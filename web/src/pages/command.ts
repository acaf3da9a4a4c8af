// SPDX-License-Identifier: Apache-2.0
// The command center 一屏观 (operator, leader): the district's grids on an ECharts map
// drawn from /api/v1/grids.geojson (no tile server), coloured by open cases; a heat map
// of reported cases (GET /api/v1/stats/heatmap); KPI tiles, department and street
// rankings and the daily trend (GET /api/v1/stats/indicators, its English keys). A panel
// with nothing to draw says so. Refreshes every 30 s; clicking a grid opens its profile
// (/grid/CODE: its open cases, the very ones the colour counted).
import { get, qs, type List } from '../api';
import { echarts } from '../charts';
import { daysAgo, serverNow, syncClock } from '../clock';
import { t } from '../i18n';
import type { Page } from '../main';
import { clear, empty, failure, fmtNum, fmtPct, fmtTime, h, loading, panel } from '../ui';

type Row = Record<string, unknown>;
interface Feature { type: 'Feature'; properties: { code: string; name: string; level: string; households?: number; population?: number }; geometry: unknown }
interface FeatureCollection { type: 'FeatureCollection'; features: Feature[] }

/** The first of keys that o has as a number (undefined when none: a rate with no base is null). */
function num(o: Row | undefined, ...keys: string[]): number | undefined {
  for (const k of keys) if (o && typeof o[k] === 'number') return o[k] as number;
  return undefined;
}
function str(o: Row, ...keys: string[]): string {
  for (const k of keys) if (typeof o[k] === 'string' && o[k]) return o[k] as string;
  return '';
}

const ONTIME = ['closed_on_time_rate']; // 按期结案率 in GET /api/v1/stats/indicators
const SATISFIED = ['satisfaction_rate']; // 满意率
const MAP_NAME = 'gridgov-district';

const page: Page = (root, ctx) => {
  const scope = ctx.user?.scope ?? '';
  let heatDays = 7;
  const charts: echarts.ECharts[] = [];
  const chart = (el: HTMLElement) => {
    const c = echarts.init(el, undefined, { renderer: 'canvas' });
    charts.push(c);
    return c;
  };

  const kpis = h('div', { class: 'kpis', id: 'kpis' });
  const mapBox = h('div', { class: 'chart chart-map', id: 'cc-map' });
  const heatBox = h('div', { class: 'chart chart-map', id: 'cc-heat' });
  const rankDept = h('div', { class: 'chart', id: 'cc-rank-dept' });
  const rankStreet = h('div', { class: 'chart', id: 'cc-rank-street' });
  const trendBox = h('div', { class: 'chart', id: 'cc-trend' });
  const stamp = h('span', { class: 'muted', id: 'cc-updated' });
  const heatSwitch = h('div', { class: 'seg' }, [7, 30].map((d) => h('button', {
    type: 'button', class: d === heatDays ? 'on' : undefined, 'data-days': d,
    onclick: (e: Event) => {
      heatDays = d;
      heatSwitch.querySelectorAll('button').forEach((b) => b.classList.toggle('on', b === e.currentTarget));
      void heat();
    },
  }, t(d === 7 ? 'cc.days7' : 'cc.days30'))));

  root.classList.add('command');
  root.append(
    h('div', { class: 'page-head' }, h('h1', null, t('cc.title')), h('p', { class: 'muted' }, t('cc.refresh'), ' · ', stamp)),
    kpis,
    h('div', { class: 'cc-grid' },
      panel(t('cc.map'), mapBox, h('span', { class: 'muted hint' }, t('cc.drill'))),
      panel(t('cc.heat'), heatBox, heatSwitch),
      panel(t('cc.trend'), trendBox),
      panel(t('cc.rank_dept'), rankDept),
      panel(t('cc.rank_street'), rankStreet)));
  // the leader's landing: this month's standings 考核排名 (issue 16, pages/rankings.ts)
  if (ctx.user?.role === 'leader') void import('./rankings').then((m) => root.append(m.standings()));

  /** Put a state element in place of a chart's canvas, or give the canvas back. */
  const show = (box: HTMLElement, state: HTMLElement | null) => {
    box.querySelector(':scope > .state')?.remove();
    box.classList.toggle('has-state', !!state);
    if (state) box.append(state);
  };

  // KPI tiles over the user's scope: today's reports; open and overdue now; the rates
  // over the last 30 days (a day's few closures make a jumpy rate).
  const tiles: [string, boolean, (r: Row | undefined) => string][] = [
    ['kpi.today', false, (r) => fmtNum(num(r, 'reported'))],
    ['kpi.open', false, (r) => fmtNum(num(r, 'open'))],
    ['kpi.overdue', false, (r) => fmtNum(num(r, 'overdue'))],
    ['kpi.ontime', true, (r) => fmtPct(num(r, ...ONTIME))],
    ['kpi.satisfaction', true, (r) => fmtPct(num(r, ...SATISFIED))],
  ];
  const kpi = async () => {
    let today: Row | undefined;
    let month: Row | undefined;
    let err: unknown;
    try {
      // `all` is the whole scope; items are its groups (departments by default).
      const [d, m] = await Promise.all([
        get<{ all: Row }>('/api/v1/stats/indicators' + qs({ under: scope, from: daysAgo(0), to: daysAgo(0) })),
        get<{ all: Row }>('/api/v1/stats/indicators' + qs({ under: scope, from: daysAgo(29), to: daysAgo(0) })),
      ]);
      [today, month] = [d.all, m.all];
    } catch (e) {
      err = e;
    }
    clear(kpis, tiles.map(([key, last30, f]) => h('div', { class: 'kpi', 'data-kpi': key },
      h('div', { class: 'kpi-label' }, t(key as Parameters<typeof t>[0]), last30 ? h('span', { class: 'kpi-window' }, ' · ', t('kpi.last30')) : null),
      h('div', { class: 'kpi-value' }, f(last30 ? month : today)))));
    if (err) kpis.append(failure(err));
  };

  // The map: grids one level below the scope's street level (or the scope's own children).
  let mapReady = false;
  const map = async () => {
    const c = charts.find((x) => x.getDom() === mapBox) ?? chart(mapBox);
    try {
      if (!mapReady) {
        // The finest level the map has: basic grids, else communities, else streets.
        let fc: FeatureCollection = { type: 'FeatureCollection', features: [] };
        for (const level of ['grid', 'community', 'street']) {
          fc = await get<FeatureCollection>('/api/v1/grids.geojson' + qs({ under: scope, level }));
          if (fc.features?.length) break;
        }
        if (!fc.features?.length) {
          show(mapBox, empty());
          return;
        }
        echarts.registerMap(MAP_NAME, fc as never);
        mapReady = true;
        c.on('click', (p) => {
          const code = (p.data as { code?: string } | undefined)?.code;
          if (code) ctx.go(`/grid/${encodeURIComponent(code)}`); // its profile: its open cases, what the colour counted
        });
        mapFeatures = fc.features;
      }
      let open = new Map<string, number>();
      try {
        // every grid with open cases is listed whatever the window: a short one keeps it cheap
        const byGrid = await get<List<Row>>('/api/v1/stats/indicators' + qs({ by: 'grid', under: scope, from: daysAgo(0), to: daysAgo(0) }));
        open = new Map(byGrid.items.map((r) => [str(r, 'key'), num(r, 'open') ?? 0]));
      } catch {
        /* grids drawn without colours until the indicators exist */
      }
      const data = mapFeatures.map((f) => ({ name: f.properties.code, code: f.properties.code, label: f.properties.name,
        households: f.properties.households, population: f.properties.population, value: open.get(f.properties.code) ?? 0 }));
      const max = Math.max(1, ...data.map((d) => d.value));
      show(mapBox, null);
      c.setOption({
        tooltip: {
          trigger: 'item',
          formatter: (p: { data?: { label: string; value: number; households?: number; population?: number } }) => p.data
            ? `${p.data.label}<br/>${t('cc.open_cases')}: ${p.data.value}<br/>${t('cc.households')}: ${fmtNum(p.data.households)}`
            : '',
        },
        visualMap: { min: 0, max, left: 8, bottom: 8, calculable: false, itemHeight: 80, inRange: { color: ['#e6f0ff', '#f6c343', '#d64545'] }, textStyle: { color: '#cfd8e3' } },
        series: [{ type: 'map', map: MAP_NAME, nameProperty: 'code', roam: true, data,
          label: { show: false }, emphasis: { label: { show: true, formatter: (p: { data?: { label: string } }) => p.data?.label ?? '' } },
          itemStyle: { borderColor: '#0b3d91', borderWidth: 0.5 } }],
      });
    } catch (e) {
      show(mapBox, failure(e));
    }
  };
  let mapFeatures: Feature[] = [];

  // Heat map of case positions reported in the last 7 or 30 days, on the same outline.
  const heat = async () => {
    const c = charts.find((x) => x.getDom() === heatBox) ?? chart(heatBox);
    try {
      // Counted per ~50 m cell by the server, however many cases there are.
      // compact: cells as integers x, y, n (centre ((x + 0.5) × cell, (y + 0.5) × cell))
      const r = await get<{ cells: number[]; cell: number }>('/api/v1/stats/heatmap' + qs({ under: scope, from: daysAgo(heatDays - 1), to: daysAgo(0), compact: '1' }));
      const pts: number[][] = [];
      let top = 2;
      for (let i = 0; i + 2 < r.cells.length; i += 3) {
        pts.push([(r.cells[i] + 0.5) * r.cell, (r.cells[i + 1] + 0.5) * r.cell, r.cells[i + 2]]);
        top = Math.max(top, r.cells[i + 2]);
      }
      if (!pts.length || !mapReady) {
        c.clear();
        show(heatBox, empty());
        return;
      }
      show(heatBox, null);
      c.setOption({
        geo: { map: MAP_NAME, roam: true, itemStyle: { areaColor: '#1a3560', borderColor: '#5b7fb8' } },
        visualMap: { min: 0, max: top, show: false, inRange: { color: ['#2c7bb6', '#ffffbf', '#d7191c'] } },
        series: [{ type: 'heatmap', coordinateSystem: 'geo', data: pts, pointSize: 16, blurSize: 20 }],
      }, true);
    } catch (e) {
      c.clear();
      show(heatBox, failure(e));
    }
  };

  const ranking = async (by: 'department' | 'street', box: HTMLElement) => {
    const c = charts.find((x) => x.getDom() === box) ?? chart(box);
    try {
      const r = await get<List<Row>>('/api/v1/stats/indicators' + qs({ by, under: scope, from: daysAgo(30), to: daysAgo(0) }));
      // (cases not yet dispatched form a group without a department: not a ranking row)
      const rows = r.items.filter((x) => str(x, 'key')).map((x) => ({ name: str(x, 'name', 'key'), v: num(x, ...ONTIME) }))
        .filter((x): x is { name: string; v: number } => x.v !== undefined).sort((a, b) => a.v - b.v).slice(-10);
      if (!rows.length) {
        c.clear();
        show(box, empty());
        return;
      }
      show(box, null);
      c.setOption({
        grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: 'value', max: rows.some((x) => x.v > 1) ? 100 : 1, show: false },
        yAxis: { type: 'category', data: rows.map((x) => x.name), axisLabel: { color: '#cfd8e3' } },
        tooltip: { trigger: 'axis', valueFormatter: (v: number) => fmtPct(v) },
        series: [{ type: 'bar', data: rows.map((x) => x.v), itemStyle: { color: '#3fa7ff' },
          label: { show: true, position: 'right', color: '#cfd8e3', formatter: (p: { value: number }) => fmtPct(p.value) } }],
      });
    } catch (e) {
      c.clear();
      show(box, failure(e));
    }
  };

  const trend = async () => {
    const c = charts.find((x) => x.getDom() === trendBox) ?? chart(trendBox);
    try {
      const r = await get<List<Row>>('/api/v1/stats/indicators' + qs({ by: 'day', under: scope, from: daysAgo(29), to: daysAgo(0) }));
      if (!r.items.length) {
        c.clear();
        show(trendBox, empty());
        return;
      }
      show(trendBox, null);
      c.setOption({
        grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
        legend: { top: 0, textStyle: { color: '#cfd8e3' } },
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'category', data: r.items.map((x) => str(x, 'day').slice(5)), axisLabel: { color: '#cfd8e3' } },
        yAxis: { type: 'value', axisLabel: { color: '#cfd8e3' }, splitLine: { lineStyle: { color: '#24395c' } } },
        series: [
          { name: t('cc.reports'), type: 'line', smooth: true, data: r.items.map((x) => num(x, 'reported') ?? 0) },
          { name: t('cc.closed'), type: 'line', smooth: true, data: r.items.map((x) => num(x, 'closed') ?? 0) },
        ],
      });
    } catch (e) {
      c.clear();
      show(trendBox, failure(e));
    }
  };

  const refresh = async () => {
    await syncClock(true); // today is the server's CST day, on its (possibly test) clock
    await Promise.all([kpi(), map().then(heat), ranking('department', rankDept), ranking('street', rankStreet), trend()]);
    stamp.textContent = t('state.updated', { time: fmtTime(serverNow()) });
    root.dataset.loaded = '1';
  };
  kpis.append(loading());
  void refresh();
  const timer = window.setInterval(() => void refresh(), 30_000);
  // Resize once per frame, and never to an empty box (a zero-sized geo view has no
  // inverse transform and ECharts throws).
  let pending = 0;
  const onResize = () => {
    if (pending) return;
    pending = requestAnimationFrame(() => {
      pending = 0;
      for (const c of charts) {
        const el = c.getDom();
        if (el.clientWidth > 0 && el.clientHeight > 0) c.resize();
      }
    });
  };
  window.addEventListener('resize', onResize);
  return () => {
    window.clearInterval(timer);
    window.removeEventListener('resize', onResize);
    cancelAnimationFrame(pending);
    charts.forEach((c) => c.dispose());
  };
};

export default page;
