// SPDX-License-Identifier: Apache-2.0
// The case desk: the case list with its filters and paging, a case's detail with its
// timeline and exactly the actions the server lists in allowed_actions, and the
// department's task list (the same list, limited by the server to its own cases).
import { get, post, qs, type List } from '../api';
import { currentLang, t, tk } from '../i18n';
import type { Ctx, Page } from '../main';
import { clear, empty, failure, fmtTime, h, loading } from '../ui';

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
  description?: string;
  address?: string;
  lon?: number;
  lat?: number;
  photos?: (string | { url?: string; sha256?: string })[];
  timeline?: { at?: string; action?: string; actor?: string; role?: string; note?: string; state?: string }[];
  allowed_actions?: string[];
  whistles?: { department: string }[];
}

interface Dept { code: string; name: string }

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

function caseTable(items: Case[], ctx: Ctx): HTMLElement {
  const open = (c: Case) => ctx.go(`/cases/${encodeURIComponent(String(c.id))}`);
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'case-table' },
    h('thead', null, h('tr', null,
      h('th', null, t('cases.col.id')), h('th', null, t('cases.col.category')), h('th', null, t('cases.col.state')),
      h('th', { class: 'hide-sm' }, t('cases.col.grid')), h('th', { class: 'hide-sm' }, t('cases.col.department')),
      h('th', null, t('cases.col.deadline')), h('th', null, t('cases.col.light')))),
    h('tbody', null, items.map((c) => h('tr', { class: 'clickable', onclick: () => open(c) },
      h('td', null, h('a', { href: `/cases/${c.id}`, onclick: (e: Event) => { e.preventDefault(); e.stopPropagation(); open(c); } }, String(c.id))),
      h('td', null, dash(c.category_name ?? c.category)),
      h('td', null, tk('case_state', c.state)),
      h('td', { class: 'hide-sm' }, dash(c.grid_name ?? c.grid)),
      h('td', { class: 'hide-sm' }, dash(c.department_name ?? c.department)),
      h('td', null, fmtTime(c.deadline)),
      h('td', null, lightDot(c.light)))))));
}

async function listPage(root: HTMLElement, ctx: Ctx, titleKey: 'cases.title' | 'tasks.title', base: string) {
  const q = ctx.query;
  const pageNo = Math.max(1, Number(q.get('page')) || 1);
  const filters = h('form', { class: 'filters', id: 'case-filters' });
  const body = h('div', null, loading());
  root.append(h('div', { class: 'page-head' }, h('h1', null, t(titleKey)),
    titleKey === 'tasks.title' ? h('p', { class: 'muted' }, t('tasks.hint')) : null), filters, body);

  // Filter choices: categories and departments come from the server when it has them.
  const [cats, depts] = await Promise.all([
    get<List<{ code: string; name?: string; name_zh?: string; name_en?: string }>>('/api/v1/categories').catch(() => null),
    get<List<Dept>>('/api/v1/departments').catch(() => null),
  ]);
  const f = {
    state: select('state', STATES.map((s) => [s, tk('case_state', s)]), q.get('state') ?? ''),
    light: select('light', LIGHTS.map((s) => [s, tk('light', s)]), q.get('light') ?? ''),
    channel: select('channel', CHANNELS.map((s) => [s, tk('channel', s)]), q.get('channel') ?? ''),
    category: cats ? select('category', cats.items.map((c) => [c.code, catName(c)]), q.get('category') ?? '')
      : h('input', { name: 'category', id: 'f-category', value: q.get('category') ?? '' }),
    department: depts && base === '/cases' ? select('department', depts.items.map((d) => [d.code, d.name]), q.get('department') ?? '') : null,
    grid: h('input', { name: 'grid', id: 'f-grid', value: q.get('grid') ?? '', inputmode: 'numeric', pattern: '[0-9]*' }),
  };
  const field = (key: Parameters<typeof t>[0], el: HTMLElement | null) => el && h('label', { class: 'field' }, h('span', null, t(key)), el);
  clear(filters,
    field('cases.filter.state', f.state), field('cases.filter.light', f.light), field('cases.filter.category', f.category),
    field('cases.filter.channel', f.channel), field('cases.filter.department', f.department), field('cases.filter.grid', f.grid),
    h('div', { class: 'filter-buttons' },
      h('button', { type: 'submit', class: 'btn btn-primary' }, t('cases.filter.apply')),
      h('button', { type: 'button', class: 'btn', onclick: () => ctx.go(base) }, t('cases.filter.reset'))));
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    const p: Record<string, string> = {};
    new FormData(filters).forEach((v, k) => { if (typeof v === 'string' && v) p[k] = v; });
    ctx.go(base + qs(p));
  });

  const params: Record<string, string | number> = { page: pageNo, per_page: PAGE_SIZE };
  for (const k of ['state', 'light', 'channel', 'category', 'department', 'grid']) if (q.get(k)) params[k] = q.get(k)!;
  try {
    const r = await get<List<Case>>('/api/v1/cases' + qs(params));
    if (!r.items.length) {
      clear(body, empty());
      return;
    }
    const pages = Math.max(1, Math.ceil(r.total / PAGE_SIZE));
    const goPage = (n: number) => {
      const u = new URLSearchParams(q);
      u.set('page', String(n));
      ctx.go(`${base}?${u}`);
    };
    clear(body, caseTable(r.items, ctx), h('div', { class: 'pager' },
      h('button', { type: 'button', class: 'btn', disabled: pageNo <= 1, onclick: () => goPage(pageNo - 1) }, t('cases.prev')),
      h('span', null, t('cases.page', { page: pageNo, pages, total: r.total })),
      h('button', { type: 'button', class: 'btn', disabled: pageNo >= pages, onclick: () => goPage(pageNo + 1) }, t('cases.next'))));
  } catch (e) {
    clear(body, failure(e));
  }
}

const list: Page = (root, ctx) => listPage(root, ctx, 'cases.title', '/cases');
export const tasks: Page = (root, ctx) => listPage(root, ctx, 'tasks.title', '/tasks');

/** Actions the server refuses without a reason in `note` (docs/cases.md). */
const NOTE_REQUIRED = new Set(['reject', 'return', 'rework', 'escalate', 'suspend', 'extend']);
const CLASSES = ['general', 'engineering', 'special'];

/** The form one action needs, built from the action's name and the inputs the API asks for. */
function actionForm(c: Case, action: string, depts: Dept[], done: () => void): HTMLElement {
  const msg = h('p', { class: 'form-error', role: 'alert' });
  const noteRequired = NOTE_REQUIRED.has(action);
  const note = h('textarea', { name: 'note', rows: 2, required: noteRequired });
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
  if (action === 'dispatch') {
    // The server proposes the category's department; the operator may pick another.
    const proposed = c.department ?? c.proposed_department;
    dept = h('select', { name: 'department', required: true }, depts.map((d) => h('option', { value: d.code, selected: d.code === proposed }, d.name)));
    cls = h('select', { name: 'class' }, CLASSES.map((k) => h('option', { value: k }, tk('case_class', k))));
    extra.push(field(t('cases.department'), dept), field(t('cases.class'), cls));
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
      if (dept) body.department = dept.value;
      if (cls) body.class = cls.value;
      if (rating) body.rating = rating.value;
      if (into) body.into = Number(into.value);
      if (hours) body.hours = Number(hours.value);
      if (wtype) body.type = wtype.value;
      if (wdepts) body.departments = [...wdepts.selectedOptions].map((o) => o.value);
      if (wdeadline && wdeadline.value) body.deadline = new Date(wdeadline.value).toISOString();
      submit.disabled = true;
      try {
        await post(`/api/v1/cases/${encodeURIComponent(String(c.id))}/actions`, body);
        done();
      } catch (err) {
        msg.textContent = err instanceof Error ? err.message : String(err);
        submit.disabled = false;
      }
    },
  }, h('h3', null, tk('action', action)), extra, field(t('cases.note'), note), msg, submit);
}

export const detail: Page = async (root, ctx) => {
  const id = ctx.params.id;
  const body = h('div', null, loading());
  root.append(h('div', { class: 'page-head' },
    h('a', { href: '/cases', class: 'back', onclick: (e: Event) => { e.preventDefault(); history.back(); } }, '‹ ' + t('cases.back')),
    h('h1', null, t('cases.detail', { id }))), body);
  const load = async () => {
    try {
      const [c, depts, cats] = await Promise.all([
        get<Case>(`/api/v1/cases/${encodeURIComponent(id)}`),
        get<List<Dept>>('/api/v1/departments').then((d) => d.items).catch(() => [] as Dept[]),
        get<List<{ code: string; name?: string; name_en?: string }>>('/api/v1/categories').then((d) => d.items).catch(() => []),
      ]);
      // The case carries codes; show the names the catalogues give, with the code.
      const cat = cats.find((x) => x.code === c.category);
      const dep = depts.find((x) => x.code === c.department);
      const named = (name: string | undefined, code: string | undefined) => (name && code ? `${name} (${code})` : dash(code));
      const formBox = h('div', { class: 'action-box' });
      const actions = c.allowed_actions ?? [];
      const info = h('dl', { class: 'facts' },
        h('dt', null, t('cases.col.state')), h('dd', { id: 'case-state', 'data-state': c.state }, tk('case_state', c.state)),
        h('dt', null, t('cases.col.light')), h('dd', null, lightDot(c.light)),
        h('dt', null, t('cases.col.deadline')), h('dd', null, fmtTime(c.deadline)),
        h('dt', null, t('cases.col.category')), h('dd', { id: 'case-category' }, named(c.category_name ?? (cat && catName(cat)), c.category)),
        h('dt', null, t('cases.col.grid')), h('dd', null, dash(c.grid_name ?? c.grid)),
        h('dt', null, t('cases.col.department')), h('dd', { id: 'case-department' }, named(c.department_name ?? dep?.name, c.department)),
        h('dt', null, t('cases.address')), h('dd', null, dash(c.address ?? (c.lon !== undefined ? `${c.lon}, ${c.lat}` : undefined))),
        h('dt', null, t('cases.description')), h('dd', null, dash(c.description)));
      const photos = (c.photos ?? []).map((p) => (typeof p === 'string' ? p : p.url)).filter((u): u is string => !!u);
      clear(body, h('div', { class: 'detail-grid' },
        h('section', { class: 'panel' }, info,
          photos.length ? h('div', { class: 'photos' }, h('h2', null, t('cases.photos')), photos.map((u) => h('img', { src: u, alt: t('cases.photos'), loading: 'lazy' }))) : null),
        h('section', { class: 'panel' }, h('h2', null, t('cases.actions')),
          actions.length ? h('div', { class: 'action-buttons' }, actions.map((a) => h('button', {
            type: 'button', class: 'btn', 'data-action': a,
            onclick: () => clear(formBox, actionForm(c, a, depts, () => { clear(body, loading()); void load(); })),
          }, tk('action', a)))) : h('p', { class: 'muted' }, t('cases.no_actions')), formBox),
        h('section', { class: 'panel' }, h('h2', null, t('cases.timeline')),
          (c.timeline ?? []).length ? h('ol', { class: 'timeline' }, (c.timeline ?? []).map((e) => h('li', null,
            h('time', null, fmtTime(e.at)), ' ', h('strong', null, e.action ? tk('action', e.action) : tk('case_state', e.state ?? '')),
            e.actor ? ` · ${e.actor}` : '', e.note ? h('p', null, e.note) : null))) : empty())));
    } catch (e) {
      clear(body, failure(e));
    }
  };
  await load();
};

export default list;
