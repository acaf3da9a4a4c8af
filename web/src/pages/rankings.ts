// SPDX-License-Identifier: Apache-2.0
// Assessment 考核 (issue 16): the rankings page — one kind of subject (regions, departments,
// grid workers, operators) for a week, month, quarter or year in China time, best or worst
// first, each row with its score, grade, shared rank, change against the previous period
// and the counts behind every indicator (a small base is said as such: below the minimum
// volume a subject is listed, not ranked); a row opens its breakdown and the subject's
// cases. Downloads as CSV or XLSX. Also the leader's panel of this month's standings
// (standings(), shown on the command center) and the monthly analysis page (analysis).
import { blobUrl, get, qs } from '../api';
import { localDate, serverNow } from '../clock';
import { t, type MessageKey } from '../i18n';
import type { Page } from '../main';
import { clear, empty, failure, fmtNum, h, loading, panel } from '../ui';

interface Indicator { name: string; value: number | null; num: number; den?: number; weight: number }
interface Item {
  subject: string; name: string; score: number | null; grade: string; rank: number | null; small: boolean;
  deducted: number; indicators: Record<string, Indicator>; counts: Record<string, number>;
  change?: { score: number | null; previous_score: number | null; previous_rank: number | null };
}
interface Ranking {
  items: Item[]; period: { kind: string; from: string; to: string };
  scheme: { id: string; version: number }; min_volume?: { count: string; min: number };
  frozen: { hash: string; closed_at: string } | null;
}

const KINDS = ['region', 'department', 'worker', 'operator'] as const;
const PERIODS = ['week', 'month', 'quarter', 'year'] as const;

/** Today in the platform's time zone, on the server's clock (clock.ts). */
function today(): string {
  return localDate(serverNow());
}

function fmtScore(n: number | null | undefined): string {
  return typeof n === 'number' ? n.toFixed(2) : '—';
}

function fmtChange(n: number | null | undefined): string {
  if (typeof n !== 'number') return '—';
  return (n > 0 ? '+' : '') + n.toFixed(2);
}

function cell(ind: Indicator | undefined): string {
  if (!ind) return '—';
  const v = ind.value === null ? '—' : ind.den === undefined ? fmtNum(ind.num) : `${(ind.value * 100).toFixed(1)}%`;
  return ind.den === undefined ? v : `${v} (${fmtNum(ind.num)}/${fmtNum(ind.den)})`;
}

/** Where a subject's cases are listed (none for people: the case list has no reporter filter yet). */
function casesOf(kind: string, subject: string): string | null {
  if (kind === 'region') return `/cases${qs({ grid: subject })}`;
  if (kind === 'department') return `/cases${qs({ department: subject })}`;
  return null;
}

async function download(path: string, name: string): Promise<void> {
  const url = await blobUrl(path);
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function table(kind: string, r: Ranking, onPick: (it: Item) => void): HTMLElement {
  const keys = r.items.length ? Object.keys(r.items[0].indicators) : [];
  const head = h('tr', null, h('th', { class: 'num' }, t('rk.rank')), h('th', null, t('rk.subject')),
    h('th', { class: 'num' }, t('rk.score')), h('th', null, t('rk.grade')), h('th', { class: 'num' }, t('rk.change')),
    ...keys.map((k) => h('th', { class: 'num' }, r.items[0].indicators[k].name)));
  const rows = r.items.map((it) => h('tr', {
    'data-subject': it.subject, class: it.small ? 'muted rk-small' : 'rk-row', tabindex: 0, role: 'button',
    onclick: () => onPick(it), onkeydown: (e: Event) => { if ((e as KeyboardEvent).key === 'Enter') onPick(it); },
  },
  h('td', { class: 'num' }, it.rank === null ? '—' : String(it.rank)),
  h('td', null, it.name, it.small ? h('span', { class: 'badge', title: t('rk.small_hint') }, ' ', t('rk.small')) : null),
  h('td', { class: 'num' }, fmtScore(it.score)),
  h('td', null, it.grade || '—'),
  h('td', { class: 'num' }, fmtChange(it.change?.score)),
  ...keys.map((k) => h('td', { class: 'num' }, cell(it.indicators[k])))));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'rk-table', 'data-kind': kind }, h('thead', null, head), h('tbody', null, ...rows)));
}

function detail(kind: string, it: Item): HTMLElement {
  const link = casesOf(kind, it.subject);
  return h('div', { id: 'rk-detail', 'data-subject': it.subject },
    h('h3', null, it.name, ' · ', fmtScore(it.score), ' ', it.grade),
    h('table', { class: 'table' }, h('tbody', null,
      ...Object.entries(it.indicators).map(([, ind]) => h('tr', null, h('td', null, ind.name),
        h('td', { class: 'num' }, cell(ind)), h('td', { class: 'num muted' }, `${ind.weight}%`))),
      h('tr', null, h('td', null, t('rk.deducted')), h('td', { class: 'num' }, fmtScore(it.deducted)), h('td', null)),
      h('tr', null, h('td', null, t('rk.previous')), h('td', { class: 'num' },
        `${fmtScore(it.change?.previous_score)} / ${it.change?.previous_rank ?? '—'}`), h('td', null)))),
    link ? h('p', null, h('a', { href: link, id: 'rk-cases' }, t('rk.cases'))) : h('p', { class: 'muted' }, t('rk.no_drill')));
}

const page: Page = (root, ctx) => {
  const q = ctx.query;
  const state = {
    kind: (KINDS as readonly string[]).includes(q.get('kind') ?? '') ? q.get('kind')! : 'region',
    period: (PERIODS as readonly string[]).includes(q.get('period') ?? '') ? q.get('period')! : 'month',
    at: q.get('at') ?? today(),
    order: q.get('order') === 'worst' ? 'worst' : 'best',
  };
  const out = h('div', { id: 'rk-out' });
  const side = h('div', { id: 'rk-side' });
  const meta = h('p', { class: 'muted', id: 'rk-meta' });
  const sel = (id: string, values: readonly string[], prefix: string, key: 'kind' | 'period' | 'order') =>
    h('select', { id, onchange: (e: Event) => { state[key] = (e.target as HTMLSelectElement).value; void load(); } },
      ...values.map((v) => h('option', { value: v, selected: state[key] === v ? true : undefined }, t(`${prefix}.${v}` as MessageKey))));
  const date = h('input', { type: 'date', id: 'rk-at', value: state.at, onchange: (e: Event) => { state.at = (e.target as HTMLInputElement).value; void load(); } });
  const path = (fmt?: string) => `/api/v1/rankings${qs({ kind: state.kind, period: state.period, at: state.at, order: state.order, format: fmt })}`;
  const dl = (fmt: string) => h('button', { type: 'button', id: `rk-${fmt}`, onclick: () => void download(path(fmt), `rankings-${state.kind}-${state.period}-${state.at}.${fmt}`) }, t(fmt === 'csv' ? 'rk.csv' : 'rk.xlsx'));

  root.append(h('div', { class: 'page-head' }, h('h1', null, t('rk.title')), meta),
    h('div', { class: 'toolbar' }, sel('rk-kind', KINDS, 'rk.kind', 'kind'), sel('rk-period', PERIODS, 'rk.period', 'period'), date,
      sel('rk-order', ['best', 'worst'], 'rk.order', 'order'), dl('csv'), dl('xlsx'), h('a', { href: '/analysis', id: 'rk-report' }, t('rk.report'))),
    h('div', { class: 'detail-grid' }, panel(t('rk.title'), out), panel(t('rk.detail'), side)));

  async function load(): Promise<void> {
    clear(out, loading());
    clear(side, empty('rk.pick'));
    history.replaceState(null, '', `/rankings${qs(state)}`);
    try {
      const r = await get<Ranking>(path());
      meta.textContent = `${r.period.from} – ${r.period.to} · ${t('rk.scheme')} v${r.scheme.version}` +
        (r.min_volume ? ` · ${t('rk.min_volume', { n: r.min_volume.min })}` : '') + (r.frozen ? ` · ${t('rk.frozen')}` : '');
      clear(out, r.items.length ? table(state.kind, r, (it) => clear(side, detail(state.kind, it))) : empty());
    } catch (e) {
      clear(out, failure(e));
    }
  }
  void load();
};
export default page;

/** This month's standings (regions and departments, top five of each) for the leader's landing. */
export function standings(): HTMLElement {
  const box = h('div', { id: 'standings', class: 'standings' }, loading());
  const at = today();
  void (async () => {
    try {
      const [reg, dep] = await Promise.all(['region', 'department'].map((kind) =>
        get<Ranking>(`/api/v1/rankings${qs({ kind, period: 'month', at })}`)));
      const list = (r: Ranking, kind: string) => h('ul', { class: 'standings-list', 'data-kind': kind },
        ...r.items.filter((i) => i.score !== null).slice(0, 5).map((i) => h('li', { 'data-subject': i.subject },
          `${i.rank ?? '—'}. ${i.name} · ${fmtScore(i.score)} ${i.grade}`, i.small ? ` (${t('rk.small')})` : '')));
      clear(box, h('div', { class: 'standings-cols' },
        h('div', null, h('h3', null, t('rk.kind.region')), list(reg, 'region')),
        h('div', null, h('h3', null, t('rk.kind.department')), list(dep, 'department'))),
      h('a', { href: `/rankings${qs({ period: 'month', at })}` }, t('rk.all')));
    } catch (e) {
      clear(box, failure(e));
    }
  })();
  return panel(t('rk.standings'), box);
}

/** 月度分析: the report as the server renders it (an isolated frame), with PDF and XLSX downloads. */
export const analysis: Page = (root, ctx) => {
  const month = ctx.query.get('month') ?? today().slice(0, 7);
  const frame = h('iframe', { id: 'an-frame', class: 'report-frame', title: t('an.title'), sandbox: '' });
  const input = h('input', { type: 'month', id: 'an-month', value: month, onchange: () => void load() });
  const path = (fmt: string) => `/api/v1/reports/monthly${qs({ month: input.value, format: fmt })}`;
  const dl = (fmt: string) => h('button', { type: 'button', id: `an-${fmt}`, onclick: () => void download(path(fmt), `report-${input.value}.${fmt}`) }, t(fmt === 'pdf' ? 'an.pdf' : 'rk.xlsx'));
  const status = h('div', { id: 'an-status' });
  root.append(h('div', { class: 'page-head' }, h('h1', null, t('an.title'))),
    h('div', { class: 'toolbar' }, input, dl('pdf'), dl('xlsx')), status, frame);
  async function load(): Promise<void> {
    clear(status, loading());
    try {
      const url = await blobUrl(path('html'));
      const html = await (await fetch(url)).text();
      URL.revokeObjectURL(url);
      frame.srcdoc = html;
      clear(status);
    } catch (e) {
      clear(status, failure(e));
    }
  }
  void load();
};
