// SPDX-License-Identifier: Apache-2.0
// The case desk: the case list with its filters and paging, a case's detail with its
// timeline and exactly the actions the server lists in allowed_actions, and the
// department's task list (the same list, limited by the server to its own cases).
import { ApiError, get, qs, request, savedUser, token, upload, type List } from '../api';
import * as outbox from '../outbox';
import { currentLang, t, tk } from '../i18n';
import type { Ctx, Page } from '../main';
import { serverNow, zoneSuffix } from '../clock';
import { categoryPicker, categoryPath, type Category } from '../catpicker';
import { gridPicker } from '../gridpicker';
import { clear, empty, errText, failure, fmtTime, h, loading, photo, photoPicker } from '../ui';

/** A case as the cases API returns it; fields the server leaves out show as "—". */
export interface Case {
  id: string | number;
  state: string;
  category?: string;
  category_name?: string;
  channel?: string;
  grid?: string;
  grid_name?: string;
  department?: string;
  department_name?: string;
  proposed_department?: string;
  deadline?: string;
  light?: string;
  reported_at?: string;
  created_at?: string;
  updated_at?: string;
  reporter?: string;
  reporters?: string[];
  rating?: string;
  level?: string;
  supervision?: number;
  merged_into?: number;
  description?: string;
  address?: string;
  lon?: number;
  lat?: number;
  community?: string;
  photos?: { sha256: string; url: string; thumbnail_url: string }[];
  timeline?: { at?: string; action?: string; actor?: string; role?: string; note?: string; from?: string; to?: string; attachments?: string[] }[];
  allowed_actions?: string[];
  whistles?: { whistle: number; type: string; blower: string; deadline?: string; department: string; reported_at?: string | null; supervised?: boolean; rating?: string | null }[];
  supervision_rounds?: { stage: string; round: number; level: string; supervisor: string; target_kind: string; target: string; points: number; opened_at?: string }[];
}

interface Dept { code: string; name: string }

/** GET /api/v1/cases: `next` is the `after` of the next page; `total` is null when not counted. */
interface CaseList {
  items: Case[];
  total: number | null;
  total_exact: boolean;
  next: number | null;
}

const STATES = ['reported', 'filed', 'rejected', 'dispatched', 'accepted', 'handled', 'verified', 'closed', 'evaluated', 'suspended'];
const LIGHTS = ['green', 'yellow', 'red'];
const CHANNELS = ['hotline', 'citizen', 'worker', 'open311', 'sensor', 'operator'];
const PAGE_SIZE = 20;

/** A category's name in the interface language (the catalogue of categories has both). */
export function catName(c: { code: string; name?: string; name_zh?: string; name_en?: string }): string {
  return (currentLang() === 'en' ? c.name_en : c.name_zh) ?? c.name ?? c.code;
}

const dash = (v: unknown) => (v === undefined || v === null || v === '' ? t('common.none') : String(v));

export function lightDot(light?: string): HTMLElement {
  return light
    ? h('span', { class: `light light-${light}`, title: tk('light', light) }, tk('light', light))
    : h('span', null, t('common.none'));
}

function select(name: string, values: [string, string][], current: string): HTMLSelectElement {
  const s = h('select', { name, id: `f-${name}` }, h('option', { value: '' }, t('cases.filter.any')),
    values.map(([v, label]) => h('option', { value: v, selected: v === current }, label)));
  return s;
}

/** Columns of the list that sort (the page shown), by the case field each sorts on. */
const SORTS: Record<string, (c: Case) => string | number> = {
  id: (c) => Number(c.id),
  category: (c) => c.category ?? '',
  state: (c) => STATES.indexOf(c.state),
  grid: (c) => c.grid_name ?? c.grid ?? '',
  department: (c) => c.department ?? '',
  deadline: (c) => (c.deadline ? new Date(c.deadline).getTime() : Infinity),
  light: (c) => LIGHTS.indexOf(c.light ?? ''),
  created: (c) => (c.created_at ? new Date(c.created_at).getTime() : 0),
};

/** The list's filters as the API and the URL name them (the export takes the same). */
const FILTERS = ['number', 'keyword', 'phone', 'address', 'state', 'light', 'channel', 'category', 'department', 'grid', 'from', 'to'];

function caseTable(items: Case[], ctx: Ctx, catNames: Map<string, string>, deptNames: Map<string, string>, sort: string, resort: (key: string) => void): HTMLElement {
  const open = (c: Case) => ctx.go(`/cases/${encodeURIComponent(String(c.id))}`);
  const key = sort.replace(/^-/, '');
  const desc = sort.startsWith('-');
  const by = SORTS[key];
  const rows = by ? [...items].sort((a, b) => {
    const x = by(a);
    const y = by(b);
    const d = x < y ? -1 : x > y ? 1 : 0;
    return desc ? -d : d;
  }) : items;
  const th = (k: string, label: string, cls?: string) => h('th', {
    class: cls, 'data-sort': k, 'aria-sort': k === key ? (desc ? 'descending' : 'ascending') : 'none',
  }, h('button', { type: 'button', class: 'sort', onclick: () => resort(k) }, label, k === key ? (desc ? ' ▼' : ' ▲') : ''));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'case-table' },
    h('thead', null, h('tr', null,
      th('id', t('cases.col.id')), th('category', t('cases.col.category')), th('state', t('cases.col.state')),
      th('grid', t('cases.col.grid'), 'hide-sm'), th('department', t('cases.col.department'), 'hide-sm'),
      th('created', t('cases.col.reported'), 'hide-sm'), th('deadline', t('cases.col.deadline')), th('light', t('cases.col.light')))),
    h('tbody', null, rows.map((c) => h('tr', { class: 'clickable', 'data-id': String(c.id), onclick: () => open(c) },
      h('td', null, h('a', { href: `/cases/${c.id}`, onclick: (e: Event) => { e.preventDefault(); e.stopPropagation(); open(c); } }, String(c.id))),
      h('td', { title: c.category ?? '', 'data-category': c.category ?? '' }, dash(c.category_name ?? catNames.get(c.category ?? '') ?? c.category)),
      h('td', { 'data-state': c.state }, tk('case_state', c.state)),
      h('td', { class: 'hide-sm', 'data-grid': c.grid ?? '' }, dash(c.grid_name ?? c.grid)),
      h('td', { class: 'hide-sm', 'data-department': c.department ?? '' }, dash(c.department_name ?? deptNames.get(c.department ?? '') ?? c.department)),
      h('td', { class: 'hide-sm' }, fmtTime(c.created_at)),
      h('td', null, fmtTime(c.deadline)),
      h('td', null, lightDot(c.light)))))));
}

/** Download the export of the list's filters (the bearer token goes with it, so no plain link). */
async function download(format: 'xlsx' | 'csv', filters: Record<string, string>, msg: HTMLElement): Promise<void> {
  msg.textContent = t('cases.export.working');
  msg.className = 'muted';
  try {
    const tok = token();
    const res = await fetch('/api/v1/cases/export' + qs({ ...filters, format }), { headers: tok ? { authorization: `Bearer ${tok}` } : {} });
    if (!res.ok) {
      const j = await res.json().catch(() => null);
      // more cases than a file holds: say how many, and the most
      if (j?.error?.field === 'filters' && typeof j.error.max === 'number') {
        msg.textContent = typeof j.error.count === 'number' ? t('cases.export.too_many', { n: j.error.count, max: j.error.max }) : t('cases.export.too_broad', { max: j.error.max });
        msg.className = 'form-error';
        msg.dataset.code = 'too_many';
        return;
      }
      throw new ApiError(res.status, j?.error?.code ?? `http_${res.status}`, j?.error?.message ?? res.statusText, j?.error?.field);
    }
    const name = /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `cases.${format}`;
    const url = URL.createObjectURL(await res.blob());
    const a = h('a', { href: url, download: name, id: 'export-link' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    msg.textContent = t('cases.export.done', { name });
    msg.dataset.file = name;
  } catch (e) {
    msg.textContent = errText(e);
    msg.className = 'form-error';
  }
}

async function listPage(root: HTMLElement, ctx: Ctx, titleKey: 'cases.title' | 'tasks.title', base: string) {
  const q = ctx.query;
  // Keyset paging: `after` is the cursor of this page ("" for the newest), `back` the
  // cursors of the pages before it ("0" for the first), so Previous needs no server help.
  const after = q.get('after') ?? '';
  const back = (q.get('back') ?? '').split('.').filter((s) => s !== '');
  const sort = q.get('sort') ?? '';
  const filters = h('form', { class: 'filters', id: 'case-filters' });
  const exportMsg = h('span', { class: 'muted', id: 'export-msg', role: 'status' });
  const body = h('div', null, loading());
  const current: Record<string, string> = {};
  for (const k of FILTERS) if (q.get(k)) current[k] = q.get(k)!;
  root.append(h('div', { class: 'page-head' }, h('h1', null, t(titleKey)),
    titleKey === 'tasks.title' ? h('p', { class: 'muted' }, t('tasks.hint')) : null), filters,
  h('div', { class: 'export-bar' },
    h('button', { type: 'button', class: 'btn', id: 'export-xlsx', onclick: () => download('xlsx', current, exportMsg) }, t('cases.export.xlsx')),
    h('button', { type: 'button', class: 'btn', id: 'export-csv', onclick: () => download('csv', current, exportMsg) }, t('cases.export.csv')),
    exportMsg), body);

  // Filter choices: categories and departments come from the server when it has them.
  const isDept = ctx.user?.role === 'department';
  const [cats, depts, grid] = await Promise.all([
    get<List<Category>>('/api/v1/categories').catch(() => null),
    get<List<Dept>>('/api/v1/departments').catch(() => null),
    gridPicker('f-grid', ctx.user?.scope ?? '', q.get('grid') ?? ''),
  ]);
  const input = (name: string, attrs: Record<string, string> = {}) => h('input', { name, id: `f-${name}`, value: q.get(name) ?? '', ...attrs });
  const category = h('input', { type: 'hidden', name: 'category', value: q.get('category') ?? '' }) as HTMLInputElement;
  const gridValue = h('input', { type: 'hidden', name: 'grid', value: q.get('grid') ?? '' }) as HTMLInputElement;
  grid.el.addEventListener('change', () => { gridValue.value = grid.value(); });
  let catBox: HTMLElement | null = null;
  if (cats?.items.length) {
    const picker = categoryPicker(cats.items, 'f-category', q.get('category') ?? '');
    const summary = h('summary', { id: 'f-category-summary' }, q.get('category') ? categoryName(cats.items, q.get('category')!) : t('cases.filter.any'));
    picker.onChange((code) => { category.value = code; summary.textContent = categoryName(cats.items, code); });
    catBox = h('details', { class: 'cat-filter' }, summary, picker.el,
      h('button', { type: 'button', class: 'btn-link', id: 'f-category-clear', onclick: () => { category.value = ''; summary.textContent = t('cases.filter.any'); } }, t('cases.filter.clear')));
  }
  const f = {
    number: input('number', { inputmode: 'numeric', pattern: '[0-9]*', autocomplete: 'off' }),
    keyword: input('keyword', { type: 'search', maxlength: '100' }),
    phone: isDept ? null : input('phone', { type: 'tel', autocomplete: 'off' }),
    address: input('address', { type: 'search', maxlength: '100' }),
    state: select('state', STATES.map((s) => [s, tk('case_state', s)]), q.get('state') ?? ''),
    light: select('light', LIGHTS.map((s) => [s, tk('light', s)]), q.get('light') ?? ''),
    channel: select('channel', CHANNELS.map((s) => [s, tk('channel', s)]), q.get('channel') ?? ''),
    department: depts && !isDept ? select('department', depts.items.map((d) => [d.code, d.name]), q.get('department') ?? '') : null,
    from: input('from', { type: 'date' }),
    to: input('to', { type: 'date' }),
  };
  const field = (key: Parameters<typeof t>[0], el: HTMLElement | null, cls = 'field') => el && h('label', { class: cls }, h('span', null, t(key)), el);
  clear(filters,
    field('cases.filter.number', f.number), field('cases.filter.keyword', f.keyword), field('cases.filter.phone', f.phone),
    field('cases.filter.address', f.address), field('cases.filter.state', f.state), field('cases.filter.light', f.light),
    field('cases.filter.channel', f.channel), field('cases.filter.department', f.department),
    h('div', { class: 'field field-grid' }, h('span', null, t('cases.filter.grid')), grid.el, gridValue),
    h('div', { class: 'field field-cat' }, h('span', null, t('cases.filter.category')), catBox ?? h('span', { class: 'muted' }, t('common.none')), category),
    field('cases.filter.from', f.from), field('cases.filter.to', f.to),
    h('div', { class: 'filter-buttons' },
      h('button', { type: 'submit', class: 'btn btn-primary', id: 'f-apply' }, t('cases.filter.apply')),
      h('button', { type: 'button', class: 'btn', id: 'f-reset', onclick: () => ctx.go(base) }, t('cases.filter.reset'))));
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    const p: Record<string, string> = {};
    new FormData(filters).forEach((v, k) => { if (typeof v === 'string' && v.trim()) p[k] = v.trim(); });
    if (sort) p.sort = sort;
    ctx.go(base + qs(p));
  });

  const params: Record<string, string | number> = { per_page: PAGE_SIZE, ...current };
  if (after) params.after = after;
  try {
    const r = await get<CaseList>('/api/v1/cases' + qs(params));
    if (!r.items.length && !after && r.next === null) {
      clear(body, empty());
      return;
    }
    const go = (cursor: string, trail: string[], order = sort) => {
      const u = new URLSearchParams(q);
      u.delete('page');
      if (cursor) u.set('after', cursor); else u.delete('after');
      if (trail.length) u.set('back', trail.join('.')); else u.delete('back');
      if (order) u.set('sort', order); else u.delete('sort');
      ctx.go(`${base}?${u}`);
    };
    const next = () => go(String(r.next), [...back, after || '0']);
    const prev = () => go(back.at(-1) === '0' ? '' : back.at(-1) ?? '', back.slice(0, -1));
    // a click on a column sorts the page by it, a second click the other way round
    const resort = (k: string) => go(after, back, sort === k ? `-${k}` : k);
    const catNames = new Map((cats?.items ?? []).map((c) => [c.code, catName(c)]));
    const shown = back.length + 1;
    const deptNames = new Map((depts?.items ?? []).map((d) => [d.code, d.name]));
    // words are tested on the rows an index gives, a bounded number a page: a page may
    // come back short (even empty) with more to look through
    const short = r.next !== null && r.items.length < PAGE_SIZE;
    clear(body, caseTable(r.items, ctx, catNames, deptNames, sort, resort),
      short ? h('p', { class: 'muted', id: 'case-scan-more' }, t('cases.scan_more')) : null, h('div', { class: 'pager' },
      h('button', { type: 'button', class: 'btn', disabled: !back.length, onclick: prev }, t('cases.prev')),
      h('span', { id: 'case-count', 'data-total': r.total === null ? '' : String(r.total) }, r.total === null
        ? t('cases.page_many', { page: shown })
        : t('cases.page', { page: shown, pages: Math.max(1, Math.ceil(r.total / PAGE_SIZE)), total: r.total })),
      h('button', { type: 'button', class: 'btn', disabled: r.next === null, onclick: next }, t('cases.next'))));
  } catch (e) {
    clear(body, failure(e));
  }
}

/** "市容环境 › 暴露垃圾" for a code of the catalogue (the code itself when unknown). */
function categoryName(cats: Category[], code: string): string {
  const c = cats.find((x) => x.code === code);
  return c ? categoryPath(c) : code || t('cases.filter.any');
}


/** The open states, in the order of the loop; the queue counts each. */
const OPEN_STATES = ['reported', 'filed', 'dispatched', 'accepted', 'handled', 'verified', 'suspended'];
/** Open cases a queue reads (pages of 100, newest first), then orders by deadline. */
const QUEUE_MAX = 300;

/** "2 d 3 h" / "3 h 5 min" / "12 min" for a span in milliseconds. */
export function span(ms: number): string {
  const m = Math.max(0, Math.floor(ms / 60000));
  const d = Math.floor(m / 1440);
  const hh = Math.floor((m % 1440) / 60);
  if (d) return t('queue.days', { d, h: hh });
  if (hh) return t('queue.hours', { h: hh, m: m % 60 });
  return t('queue.minutes', { m });
}

export function timeLeft(deadline?: string): HTMLElement {
  if (!deadline) return h('span', { class: 'muted' }, t('queue.no_deadline'));
  const left = new Date(deadline).getTime() - serverNow();
  return left < 0
    ? h('span', { class: 'late', 'data-left': String(Math.round(left / 1000)) }, t('queue.overdue_by', { t: span(-left) }))
    : h('span', { 'data-left': String(Math.round(left / 1000)) }, t('queue.left', { t: span(left) }));
}

/**
 * 待办: what the signed-in role must do next — its open cases (the server limits them to
 * its scope, or a department's to its own), the earliest deadline first with the light
 * and the time left, and how many are in each state (a click keeps one state).
 */
export const queue: Page = async (root, ctx) => {
  const want = ctx.query.get('state') ?? '';
  const counts = h('div', { class: 'queue-counts', id: 'queue-counts' });
  const body = h('div', null, loading());
  root.append(h('div', { class: 'page-head' }, h('h1', null, t('queue.title')), h('p', { class: 'muted' }, t('queue.hint'))),
    counts, body);
  try {
    const [depts, cats] = await Promise.all([
      get<List<Dept>>('/api/v1/departments').then((d) => d.items).catch(() => [] as Dept[]),
      get<List<Category>>('/api/v1/categories').then((d) => d.items).catch(() => [] as Category[]),
    ]);
    const items: Case[] = [];
    let after: number | null = 0;
    while (after !== null && items.length < QUEUE_MAX) {
      const r: CaseList = await get<CaseList>('/api/v1/cases' + qs({ open: 'true', per_page: 100, after: after || undefined }));
      items.push(...r.items);
      after = r.next;
    }
    const more = after !== null;
    const n = new Map<string, number>();
    for (const c of items) n.set(c.state, (n.get(c.state) ?? 0) + 1);
    const chip = (state: string, label: string, count: number) => h('button', {
      type: 'button', class: state === want ? 'chip active' : 'chip', 'data-state': state || 'all',
      onclick: () => ctx.go(state ? `${location.pathname}?state=${state}` : location.pathname),
    }, label, ' ', h('strong', null, String(count)));
    clear(counts, h('span', { class: 'muted' }, t('queue.counts')), chip('', t('queue.all_open'), items.length),
      OPEN_STATES.filter((s) => n.get(s)).map((s) => chip(s, tk('case_state', s), n.get(s)!)));
    const shown = items.filter((c) => !want || c.state === want).sort((a, b) => {
      const da = a.deadline ? new Date(a.deadline).getTime() : Infinity;
      const db = b.deadline ? new Date(b.deadline).getTime() : Infinity;
      return da - db || Number(a.id) - Number(b.id);
    });
    if (!shown.length) {
      clear(body, empty('queue.empty'));
      return;
    }
    const deptName = new Map(depts.map((d) => [d.code, d.name]));
    const cat = new Map(cats.map((c) => [c.code, c]));
    const open = (c: Case) => ctx.go(`/cases/${encodeURIComponent(String(c.id))}`);
    clear(body, more ? h('p', { class: 'muted' }, t('queue.more', { n: items.length })) : null,
      h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'queue-table' },
        h('thead', null, h('tr', null,
          h('th', null, t('cases.col.light')), h('th', null, t('cases.col.id')), h('th', null, t('cases.col.category')),
          h('th', null, t('cases.col.state')), h('th', null, t('cases.col.time_left')),
          h('th', { class: 'hide-sm' }, t('cases.col.deadline')), h('th', { class: 'hide-sm' }, t('cases.col.grid')),
          h('th', { class: 'hide-sm' }, t('cases.col.department')))),
        h('tbody', null, shown.map((c) => h('tr', { class: 'clickable', 'data-id': String(c.id), 'data-state': c.state, onclick: () => open(c) },
          h('td', null, lightDot(c.light)),
          h('td', null, h('a', { href: `/cases/${c.id}`, onclick: (e: Event) => { e.preventDefault(); e.stopPropagation(); open(c); } }, String(c.id))),
          h('td', { title: c.category ?? '' }, cat.get(c.category ?? '') ? catName(cat.get(c.category ?? '')!) : dash(c.category)),
          h('td', null, tk('case_state', c.state)),
          h('td', null, timeLeft(c.deadline)),
          h('td', { class: 'hide-sm' }, fmtTime(c.deadline)),
          h('td', { class: 'hide-sm' }, dash(c.grid_name ?? c.grid)),
          h('td', { class: 'hide-sm', 'data-department': c.department ?? '' }, c.department ? deptName.get(c.department) ?? c.department : t('common.none'))))))));
  } catch (e) {
    clear(body, failure(e));
  }
};


const list: Page = (root, ctx) => listPage(root, ctx, 'cases.title', '/cases');
export const tasks: Page = (root, ctx) => listPage(root, ctx, 'tasks.title', '/tasks');

/** Actions the server refuses without a reason in `note` (docs/cases.md). */
const NOTE_REQUIRED = new Set(['reject', 'return', 'rework', 'escalate', 'suspend', 'extend']);
const CLASSES = ['general', 'engineering', 'special'];

/** The response templates 常用语 each action's note may start from (feedback, rejection, reply). */
const TEMPLATE_KIND: Record<string, string> = {
  handle: 'feedback', report: 'feedback', reject: 'reject', return: 'reject', rework: 'reject', close: 'reply',
};

/** Actions whose report may carry photos (处置反馈 with the result, 核查 on the spot). */
const PHOTO_ACTIONS = new Set(['handle', 'verify', 'rework']);

/** The form one action needs, built from the action's name and the inputs the API asks for. */
function actionForm(c: Case, action: string, depts: Dept[], cats: Category[], done: () => void): HTMLElement {
  const msg = h('p', { class: 'form-error', role: 'alert' });
  const noteRequired = NOTE_REQUIRED.has(action);
  const note = h('textarea', { name: 'note', rows: TEMPLATE_KIND[action] ? 3 : 2, required: noteRequired });
  const extra: HTMLElement[] = [];
  const field = (label: string, el: HTMLElement) => h('label', { class: 'field' }, h('span', null, label), el);
  let dept: HTMLSelectElement | null = null;
  let cls: HTMLSelectElement | null = null;
  let rating: HTMLSelectElement | null = null;
  let into: HTMLInputElement | null = null;
  let hours: HTMLInputElement | null = null;
  let wtype: HTMLSelectElement | null = null;
  let wdepts: HTMLSelectElement | null = null;
  let wdeadline: HTMLInputElement | null = null;
  // 立案 and 派遣 may correct the category (the case's own is shown, never a default)
  let picker: ReturnType<typeof categoryPicker> | null = null;
  if ((action === 'file' || action === 'dispatch') && cats.length) {
    picker = categoryPicker(cats, `a-${action}-category`, c.category ?? '');
    extra.push(h('div', { class: 'field' }, h('span', null, t('cases.category_new')), picker.el));
  }
  if (action === 'dispatch') {
    // The server proposes the category's department; the operator may pick another.
    const proposed = c.department ?? c.proposed_department;
    const d = h('select', { name: 'department', required: true }, depts.map((x) => h('option', { value: x.code, selected: x.code === proposed }, x.name)));
    dept = d;
    cls = h('select', { name: 'class' }, CLASSES.map((k) => h('option', { value: k }, tk('case_class', k))));
    extra.push(field(t('cases.department'), d), field(t('cases.class'), cls));
    // a corrected category proposes its own department, until the operator picks one
    let touched = false;
    d.addEventListener('change', () => { touched = true; });
    picker?.onChange((code) => {
      const to = cats.find((x) => x.code === code)?.department;
      if (!touched && to && depts.some((x) => x.code === to)) d.value = to;
    });
  }
  if (action === 'rate_department') {
    // Only the departments summoned by this case's whistle can be rated.
    const summoned = new Set((c.whistles ?? []).map((w) => w.department));
    dept = h('select', { name: 'department', required: true }, depts.filter((d) => !summoned.size || summoned.has(d.code)).map((d) => h('option', { value: d.code }, d.name)));
    extra.push(field(t('cases.department'), dept));
  }
  if (action === 'evaluate' || action === 'rate_department') {
    rating = h('select', { name: 'rating', required: true }, ['satisfied', 'basically', 'unsatisfied'].map((r) => h('option', { value: r }, tk('rating', r))));
    extra.push(field(t('cases.rating'), rating));
  }
  if (action === 'merge') {
    into = h('input', { name: 'into', type: 'number', min: '1', step: '1', required: true });
    extra.push(field(t('cases.merge_into'), into));
  }
  if (action === 'extend') {
    hours = h('input', { name: 'hours', type: 'number', min: '1', max: '720', step: '1', required: true });
    extra.push(field(t('cases.extend_hours'), hours));
  }
  if (action === 'whistle') {
    wtype = h('select', { name: 'type' }, ['assembly', 'livelihood', 'emergency'].map((w) => h('option', { value: w }, tk('whistle', w))));
    wdepts = h('select', { name: 'departments', multiple: true, size: 4, required: true }, depts.map((d) => h('option', { value: d.code }, d.name)));
    wdeadline = h('input', { name: 'deadline', type: 'datetime-local', required: true });
    extra.push(field(t('cases.whistle_type'), wtype), field(t('cases.department'), wdepts), field(t('cases.whistle_deadline'), wdeadline));
  }
  // Photos: optional for the feedback and the check, before + after for 自处置.
  let photos: HTMLInputElement | null = null;
  let before: HTMLInputElement | null = null;
  let after: HTMLInputElement | null = null;
  // (a div, not a label: the picker holds its own label)
  const pick = (label: string, name: string, multiple: boolean) => {
    const p = photoPicker(name, multiple);
    extra.push(h('div', { class: 'field' }, h('span', null, label), p.el));
    return p.input;
  };
  // 处置/自处置: the reply the reporter sees on the tracking code (the note stays internal)
  let reply: HTMLTextAreaElement | null = null;
  if (action === 'handle' || action === 'self_close') {
    reply = h('textarea', { name: 'reply', rows: 2, maxlength: 300, placeholder: t('cases.reply_ph') });
    extra.push(field(t('report.reply'), reply));
  }
  if (PHOTO_ACTIONS.has(action)) photos = pick(t('cases.attach'), 'photos', true);
  if (action === 'self_close') {
    before = pick(t('worker.before'), 'before', false);
    after = pick(t('worker.after'), 'after', false);
  }
  // 常用语: the texts kept for this kind of note and the case's category fill the note
  const kind = TEMPLATE_KIND[action];
  const phrases = kind ? h('select', { name: 'template', id: `a-${action}-template`, class: 'template-pick', disabled: true },
    h('option', { value: '' }, t('cases.templates.loading'))) as HTMLSelectElement : null;
  if (phrases && kind) {
    void get<List<{ id: number; title: string; body: string }>>('/api/v1/templates' + qs({ kind, category: c.category }))
      .then((r) => {
        phrases.replaceChildren(h('option', { value: '' }, t('cases.templates.pick', { n: r.items.length })),
          ...r.items.map((x) => h('option', { value: x.body, 'data-id': String(x.id) }, x.title)));
        phrases.disabled = !r.items.length;
        phrases.dataset.ready = '1';
      })
      .catch(() => { phrases.replaceChildren(h('option', { value: '' }, t('common.none'))); });
    phrases.addEventListener('change', () => {
      if (!phrases.value) return;
      note.value = phrases.value;
      note.dispatchEvent(new Event('input', { bubbles: true }));
      note.focus();
    });
  }
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('cases.submit'));
  return h('form', {
    class: 'action-form', 'data-action': action,
    onsubmit: async (e: Event) => {
      e.preventDefault();
      msg.textContent = '';
      const body: Record<string, unknown> = { action };
      if (note.value.trim()) body.note = note.value.trim();
      else if (noteRequired) {
        msg.textContent = t('cases.note_required');
        return;
      }
      if (picker && picker.value() && picker.value() !== c.category) body.category = picker.value();
      if (reply?.value.trim()) body.reply = reply.value.trim();
      if (dept) body.department = dept.value;
      if (cls) body.class = cls.value;
      if (rating) body.rating = rating.value;
      if (into) body.into = Number(into.value);
      if (hours) body.hours = Number(hours.value);
      if (wtype) body.type = wtype.value;
      if (wdepts) body.departments = [...wdepts.selectedOptions].map((o) => o.value);
      if (wdeadline && wdeadline.value) body.deadline = `${wdeadline.value.length === 16 ? wdeadline.value + ':00' : wdeadline.value}${zoneSuffix()}`;
      const files = [...(photos?.files ?? [])];
      if (before && after) {
        if (!before.files?.length || !after.files?.length) {
          msg.textContent = t('cases.photos_required');
          return;
        }
        files.push(before.files[0], after.files[0]);
      }
      submit.disabled = true;
      // one key for this action, kept if it has to wait: a send whose answer was lost and
      // is sent again from the outbox is applied once (Idempotency-Key)
      const key = outbox.newKey();
      try {
        if (files.length) {
          msg.textContent = t('cases.uploading');
          body.attachments = (await upload(files)).map((m) => m.sha256);
          msg.textContent = '';
        }
        await request('POST', `/api/v1/cases/${encodeURIComponent(String(c.id))}/actions`, body, { 'Idempotency-Key': key });
        done();
      } catch (err) {
        if (err instanceof ApiError && err.status === 0) {
          // no network: the feedback waits in the outbox with its photos (the worker's page lists it)
          const { attachments: _sent, ...rest } = body;
          void _sent;
          await outbox.add({ key, kind: 'action', owner: savedUser()?.name ?? '', body: rest, photos: files, caseId: String(c.id) });
          msg.textContent = t('outbox.queued');
          msg.className = 'form-ok';
          msg.id = 'action-queued';
          return;
        }
        msg.textContent = errText(err);
        submit.disabled = false;
      }
    },
  }, h('h3', null, tk('action', action)), extra, phrases ? field(t('cases.templates'), phrases) : null, field(t('cases.note'), note), msg, submit);
}


/**
 * The department a dispatch (or a rework, or a reopening 不满意) of the timeline sent the
 * case to: the trail keeps states, not departments, so it is the department the case
 * holds when no later entry took it back to the center (退回 return to filed).
 */
function sentTo(c: Case, i: number, names: Map<string, string>): string | null {
  const tl = c.timeline ?? [];
  const e = tl[i];
  if (!c.department || !(e.action === 'dispatch' || e.action === 'rework' || (e.action === 'evaluate' && e.to === 'dispatched'))) return null;
  if (tl.slice(i + 1).some((x) => x.action === 'return' || x.action === 'dispatch')) return null;
  return names.get(c.department) ?? c.department;
}

/** The department a department user's entry acted for: the one holding the case since the last dispatch. */
function actingFor(c: Case, i: number, names: Map<string, string>): string | null {
  const tl = c.timeline ?? [];
  if (tl[i].role !== 'department' || !c.department) return null;
  // a whistle's summoned departments report too: only entries after the last dispatch count
  let last = -1;
  tl.forEach((x, k) => { if (x.action === 'dispatch' || x.action === 'rework' || (x.action === 'evaluate' && x.to === 'dispatched')) last = k; });
  if (last < 0 || i < last || tl.slice(last + 1, i).some((x) => x.action === 'return')) return null;
  if (tl[i].action === 'report') return null;
  return names.get(c.department) ?? c.department;
}

/** The rating an 评价 entry gave: the case keeps the last one. */
function ratingAt(c: Case, i: number): string | null {
  const tl = c.timeline ?? [];
  const later = tl.slice(i + 1).some((x) => x.action === 'evaluate');
  return later ? null : c.rating ?? null;
}

/** A row of thumbnails for photo ids or photo records. */
function photoRow(items: { sha256: string }[]): HTMLElement {
  return h('div', { class: 'photos' }, items.map((p) => photo(`/api/v1/media/${p.sha256}/thumbnail`, `/api/v1/media/${p.sha256}`, t('cases.photos'))));
}

type GeoJson = { type: string; features: { properties: { code: string; name: string } }[] };

/**
 * The case on a map: the grids of its community (or its own grid, when the caller's
 * scope is narrower), its grid highlighted and a pin at its position.
 */
async function drawPin(box: HTMLElement, c: Case): Promise<(() => void) | undefined> {
  let fc: GeoJson | null = null;
  // only what the caller's scope covers: a grid worker (scope: one grid) asking for the
  // whole community would be refused, and the browser would log the 403
  const scope = savedUser()?.scope ?? '';
  const covers = (code?: string | null) => !!code && code.startsWith(scope);
  const tries = [covers(c.community) ? { under: c.community, level: 'grid' } : null, covers(c.grid) ? { under: c.grid } : null];
  for (const q of tries) {
    if (!q) continue;
    try {
      fc = await get<GeoJson>('/api/v1/grids.geojson' + qs(q));
      if (fc.features?.length) break;
    } catch {
      fc = null; /* outside the caller's scope: try the case's own grid */
    }
  }
  if (!fc?.features?.length) {
    clear(box, empty());
    return undefined;
  }
  const { echarts } = await import('../charts');
  const name = `gridgov-case-${c.id}`;
  echarts.registerMap(name, fc as never);
  const chart = echarts.init(box);
  const hasPoint = typeof c.lon === 'number' && typeof c.lat === 'number';
  const label = new Map(fc.features.map((f) => [f.properties.code, f.properties.name]));
  chart.setOption({
    tooltip: { trigger: 'item', formatter: (p: { name?: string; seriesType?: string }) => (p.seriesType === 'scatter' ? t('cases.location') : label.get(p.name ?? '') ?? '') },
    geo: {
      map: name, nameProperty: 'code', roam: true, label: { show: false },
      itemStyle: { areaColor: '#dbe8ff', borderColor: '#0b3d91', borderWidth: 0.6 },
      // the case's grid, or the basic grid above the micro-grid it lies in
      regions: fc.features.filter((f) => c.grid?.startsWith(f.properties.code)).map((f) => ({ name: f.properties.code, itemStyle: { areaColor: '#ffe08a' } })),
    },
    series: hasPoint ? [{ type: 'scatter', coordinateSystem: 'geo', symbol: 'pin', symbolSize: 34, data: [[c.lon, c.lat]], itemStyle: { color: '#d64545' } }] : [],
  });
  box.dataset.grid = c.grid ?? '';
  if (hasPoint) box.dataset.pin = `${c.lon},${c.lat}`;
  const resize = () => chart.resize();
  window.addEventListener('resize', resize);
  return () => { window.removeEventListener('resize', resize); chart.dispose(); };
}

/** 吹哨报到: each summoned department, its deadline, when it reported and how it was rated. */
function whistleTable(c: Case, deptName: (code: string) => string): HTMLElement | null {
  const ws = c.whistles ?? [];
  if (!ws.length) return null;
  return h('section', { class: 'panel panel-wide', id: 'case-whistles' }, h('h2', null, t('cases.whistles')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
      h('thead', null, h('tr', null, h('th', null, t('cases.w.department')), h('th', null, t('cases.w.type')),
        h('th', null, t('cases.w.deadline')), h('th', null, t('cases.w.reported')), h('th', null, t('cases.w.rating')))),
      h('tbody', null, ws.map((w) => h('tr', { 'data-department': w.department },
        h('td', null, deptName(w.department)), h('td', null, tk('whistle', w.type)), h('td', null, fmtTime(w.deadline)),
        h('td', null, w.reported_at ? fmtTime(w.reported_at) : h('span', { class: w.supervised ? 'late' : 'muted' },
          t('cases.w.not_reported'), w.supervised ? ` · ${t('cases.w.supervised')}` : '')),
        h('td', null, w.rating ? tk('rating', w.rating) : t('common.none'))))))));
}

/** 督办: each round opened on a late stage, by whom and at whose cost. */
function supervisionTable(c: Case, deptName: (code: string) => string): HTMLElement | null {
  const vs = c.supervision_rounds ?? [];
  if (!vs.length) return null;
  // the stage whose limit was missed (the state the case was in names it)
  const stage = (s: string) => tk('stage', s);
  return h('section', { class: 'panel panel-wide', id: 'case-supervision' }, h('h2', null, t('cases.supervision')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
      h('thead', null, h('tr', null, h('th', null, t('cases.s.opened')), h('th', null, t('cases.s.stage')), h('th', null, t('cases.s.round')),
        h('th', null, t('cases.s.level')), h('th', null, t('cases.s.target')), h('th', null, t('cases.s.points')))),
      h('tbody', null, vs.map((v) => h('tr', null,
        h('td', null, fmtTime(v.opened_at)), h('td', null, stage(v.stage)), h('td', null, t('cases.s.round_n', { n: v.round })),
        h('td', null, tk('level', v.level)), h('td', null, v.target_kind === 'department' ? deptName(v.target) : v.target), h('td', null, `−${v.points}`)))))));
}

export const detail: Page = async (root, ctx) => {
  const id = ctx.params.id;
  const body = h('div', null, loading());
  root.append(h('div', { class: 'page-head' },
    h('a', { href: '/cases', class: 'back', onclick: (e: Event) => { e.preventDefault(); history.back(); } }, '‹ ' + t('cases.back')),
    h('h1', null, t('cases.detail', { id })),
    h('a', { href: `/cases/${encodeURIComponent(id)}/print`, class: 'btn', id: 'case-print', onclick: (e: Event) => { e.preventDefault(); ctx.go(`/cases/${encodeURIComponent(id)}/print`); } }, t('print.open'))), body);
  let dispose: (() => void) | undefined;
  const load = async () => {
    dispose?.();
    dispose = undefined;
    try {
      const [c, depts, cats] = await Promise.all([
        get<Case>(`/api/v1/cases/${encodeURIComponent(id)}`),
        get<List<Dept>>('/api/v1/departments').then((d) => d.items).catch(() => [] as Dept[]),
        get<List<Category>>('/api/v1/categories').then((d) => d.items).catch(() => [] as Category[]),
      ]);
      // The case carries codes; show the names the catalogues give, with the code.
      const cat = cats.find((x) => x.code === c.category);
      const dep = depts.find((x) => x.code === c.department);
      const named = (name: string | undefined, code: string | undefined) => (name && code ? `${name} (${code})` : dash(code));
      const deptName = (code: string) => named(depts.find((x) => x.code === code)?.name, code);
      const deptByCode = new Map(depts.map((d) => [d.code, d.name]));
      const formBox = h('div', { class: 'action-box' });
      const actions = c.allowed_actions ?? [];
      const info = h('dl', { class: 'facts' },
        h('dt', null, t('cases.col.state')), h('dd', { id: 'case-state', 'data-state': c.state }, tk('case_state', c.state)),
        h('dt', null, t('cases.col.light')), h('dd', null, lightDot(c.light)),
        h('dt', null, t('cases.col.deadline')), h('dd', null, fmtTime(c.deadline)),
        h('dt', null, t('cases.col.category')), h('dd', { id: 'case-category' }, named(c.category_name ?? (cat && categoryPath(cat)), c.category)),
        h('dt', null, t('cases.col.grid')), h('dd', { id: 'case-grid' }, named(c.grid_name, c.grid)),
        h('dt', null, t('cases.col.department')), h('dd', { id: 'case-department' }, named(c.department_name ?? dep?.name, c.department)),
        h('dt', null, t('cases.channel')), h('dd', { id: 'case-channel', 'data-channel': c.channel ?? '' }, c.channel ? tk('channel', c.channel) : t('common.none')),
        h('dt', null, t('cases.reporter')), h('dd', { id: 'case-reporter' }, dash((c.reporters?.length ? c.reporters : [c.reporter]).filter(Boolean).join('、'))),
        h('dt', null, t('cases.created')), h('dd', { id: 'case-created' }, fmtTime(c.created_at)),
        h('dt', null, t('cases.updated')), h('dd', { id: 'case-updated' }, fmtTime(c.updated_at)),
        c.rating ? h('dt', null, t('cases.rating_given')) : null,
        c.rating ? h('dd', { id: 'case-rating', 'data-rating': c.rating }, tk('rating', c.rating)) : null,
        c.level ? h('dt', null, t('cases.level')) : null, c.level ? h('dd', null, tk('level', c.level)) : null,
        c.supervision ? h('dt', null, t('cases.supervision_n')) : null, c.supervision ? h('dd', null, String(c.supervision)) : null,
        h('dt', null, t('cases.address')), h('dd', null, dash(c.address || (typeof c.lon === 'number' && typeof c.lat === 'number' ? `${c.lon.toFixed(6)}, ${c.lat.toFixed(6)}` : undefined))),
        h('dt', null, t('cases.description')), h('dd', null, dash(c.description)));
      const mapBox = h('div', { class: 'chart chart-small', id: 'case-map' });
      // photos before (attached at the report) and after (attached to the department's
      // feedback, a check or 自处置's second photo)
      const timelineShas = new Set((c.timeline ?? []).filter((e) => e.action !== 'create').flatMap((e) => e.attachments ?? []));
      const createShas = new Set((c.timeline ?? []).filter((e) => e.action === 'create').flatMap((e) => e.attachments ?? []));
      const selfClose = (c.timeline ?? []).find((e) => e.action === 'self_close')?.attachments ?? [];
      const photos = c.photos ?? [];
      const afterShas = new Set([...timelineShas].filter((sha) => !createShas.has(sha) && !(selfClose.length === 2 && sha === selfClose[0])));
      const before = photos.filter((p) => !afterShas.has(p.sha256));
      const after = photos.filter((p) => afterShas.has(p.sha256));
      clear(body, h('div', { class: 'detail-grid' },
        h('section', { class: 'panel' }, info,
          before.length ? h('div', { id: 'case-photos' }, h('h2', null, t('cases.photos_before')), photoRow(before)) : null,
          after.length ? h('div', { id: 'case-photos-after' }, h('h2', null, t('cases.photos_after')), photoRow(after)) : null),
        h('section', { class: 'panel' }, h('h2', null, t('cases.location')),
          typeof c.lon === 'number' ? null : h('p', { class: 'muted' }, t('cases.no_point')), mapBox),
        h('section', { class: 'panel' }, h('h2', null, t('cases.actions')),
          actions.length ? h('div', { class: 'action-buttons' }, actions.map((a) => h('button', {
            type: 'button', class: 'btn', 'data-action': a,
            onclick: () => clear(formBox, actionForm(c, a, depts, cats, () => { clear(body, loading()); void load(); })),
          }, tk('action', a)))) : h('p', { class: 'muted' }, t('cases.no_actions')), formBox),
        whistleTable(c, deptName), supervisionTable(c, deptName),
        h('section', { class: 'panel panel-wide' }, h('h2', null, t('cases.timeline')),
          (c.timeline ?? []).length ? h('ol', { class: 'timeline', id: 'case-timeline' }, (c.timeline ?? []).map((e, i) => h('li', { 'data-action': e.action ?? '' },
            h('time', null, fmtTime(e.at)), ' ', h('strong', null, e.action ? tk('action', e.action) : tk('case_state', e.to ?? '')),
            sentTo(c, i, deptByCode) ? ` ${t('cases.to_department', { name: sentTo(c, i, deptByCode)! })}` : '',
            e.action === 'evaluate' && ratingAt(c, i) ? ` · ${tk('rating', ratingAt(c, i)!)}` : '',
            e.actor ? ` · ${e.actor}` : '', e.role ? h('span', { class: 'muted' }, ` (${actingFor(c, i, deptByCode) ?? tk('role', e.role)})`) : null,
            e.note ? h('p', null, e.note) : null,
            e.attachments?.length ? photoRow(e.attachments.map((sha) => ({ sha256: sha }))) : null))) : empty())));
      dispose = await drawPin(mapBox, c);
    } catch (e) {
      // an unknown case (or one out of sight) is said as such, never "not available"
      clear(body, e instanceof ApiError && e.status === 404 && !e.missing
        ? h('div', { class: 'state state-error', 'data-state': 'not-found', 'data-code': e.code }, t('cases.not_found'))
        : failure(e));
    }
  };
  await load();
  return () => dispose?.();
};

export default list;
