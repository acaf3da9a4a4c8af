// SPDX-License-Identifier: Apache-2.0
// 网格档案: one grid as the map's drill-down opens it (GET /api/v1/grids/{code}/profile) —
// its households and population (人房 data), its staff, this month's indicators, and its
// open cases: exactly the cases the map's colour counted, not every case it ever had.
import { get, type Grid } from '../api';
import { serverNow } from '../clock';
import { t, tk } from '../i18n';
import type { Page } from '../main';
import { clear, empty, failure, fmtNum, fmtPct, fmtTime, h, loading, panel } from '../ui';
import { catName, lightDot, timeLeft, type Case } from './cases';

interface Profile {
  grid: Grid;
  staff: { id: number; role: string; name: string; dept?: string }[];
  people: { households: number; population: number };
  open_cases: { items: Case[]; total: number };
  month: Record<string, unknown> & { month: string };
}

const page: Page = async (root, ctx) => {
  const code = ctx.params.code;
  const body = h('div', { id: 'profile' }, loading());
  root.append(h('div', { class: 'page-head' }, h('h1', { id: 'profile-title' }, t('profile.title'))), body);
  try {
    const [p, cats] = await Promise.all([
      get<Profile>(`/api/v1/grids/${encodeURIComponent(code)}/profile`),
      get<{ items: { code: string; name?: string; name_zh?: string; name_en?: string }[] }>('/api/v1/categories').catch(() => ({ items: [] })),
    ]);
    const cat = new Map(cats.items.map((c) => [c.code, c]));
    root.querySelector('#profile-title')!.textContent = `${t('profile.title')} · ${p.grid.name}`;
    const fact = (key: Parameters<typeof t>[0], v: string, id: string) =>
      h('div', { class: 'kpi', 'data-fact': id }, h('div', { class: 'kpi-label' }, t(key)), h('div', { class: 'kpi-value' }, v));
    const m = p.month;
    const n = (k: string) => (typeof m[k] === 'number' ? (m[k] as number) : undefined);
    const facts = h('div', { class: 'kpis', id: 'profile-facts' },
      fact('grids.households', fmtNum(p.people.households), 'households'),
      fact('grids.population', fmtNum(p.people.population), 'population'),
      fact('profile.open', fmtNum(p.open_cases.total), 'open'),
      fact('profile.month_reported', fmtNum(n('reported')), 'reported'),
      fact('profile.month_closed', fmtNum(n('closed')), 'closed'),
      fact('kpi.ontime', fmtPct(n('closed_on_time_rate')), 'ontime'),
      fact('kpi.satisfaction', fmtPct(n('satisfaction_rate')), 'satisfaction'));
    const staff = p.staff.length
      ? h('ul', { class: 'plain', id: 'profile-staff' }, p.staff.map((s) => h('li', null,
        h('strong', null, s.name), ' ', h('span', { class: 'tag' }, tk('staff_role', s.role)), s.dept ? ` · ${s.dept}` : '')))
      : empty();
    const cases = p.open_cases.items.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'profile-cases' },
        h('thead', null, h('tr', null, h('th', null, t('cases.col.light')), h('th', null, t('cases.col.id')),
          h('th', null, t('cases.col.category')), h('th', null, t('cases.col.state')), h('th', { class: 'hide-sm' }, t('cases.col.time_left')))),
        h('tbody', null, p.open_cases.items.map((c) => h('tr', { 'data-id': String(c.id) },
          h('td', null, lightDot(c.light)),
          h('td', null, h('a', { href: `/cases/${c.id}`, onclick: (e: Event) => { e.preventDefault(); ctx.go(`/cases/${c.id}`); } }, String(c.id))),
          h('td', null, c.category_name ?? (cat.get(c.category ?? '') ? catName(cat.get(c.category ?? '')!) : c.category)),
          h('td', null, tk('case_state', c.state)),
          h('td', { class: 'hide-sm' }, timeLeft(c.deadline)))))))
      : empty('profile.no_open');
    clear(body,
      h('p', { class: 'muted' }, tk('level', p.grid.level), ' · ', h('code', null, p.grid.code), ' · ',
        t('profile.month', { month: m.month }), ' · ', t('state.updated', { time: fmtTime(serverNow()) })),
      facts,
      h('div', { class: 'cc-grid profile-grid' },
        panel(t('profile.open_cases', { n: p.open_cases.total }), cases),
        panel(t('profile.staff'), staff)));
    root.dataset.loaded = '1';
  } catch (e) {
    clear(body, failure(e));
  }
};

export default page;
