// SPDX-License-Identifier: Apache-2.0
// The grid tree browser: a breadcrumb from the top of what the user may see, and the
// children of the current node with their households and population, each opening its
// profile (its open cases, staff and month). Uses
// /api/v1/grids, /api/v1/grids/{code} and /api/v1/grids/{code}/children.
import { get, type Grid, type List } from '../api';
import { t, tk } from '../i18n';
import type { Page } from '../main';
import { clear, empty, failure, fmtNum, h, loading } from '../ui';

const page: Page = async (root, ctx) => {
  const code = ctx.query.get('code') ?? '';
  const crumbs = h('nav', { class: 'crumbs', 'aria-label': t('grids.title') });
  const body = h('div', { class: 'grid-list' }, loading());
  root.append(h('div', { class: 'page-head' }, h('h1', null, t('grids.title'))), crumbs, body);

  const to = (c: string) => ctx.go(c ? `/grids?code=${encodeURIComponent(c)}` : '/grids');
  const crumb = (c: string, name: string, current: boolean) => current
    ? h('span', { class: 'crumb current', 'aria-current': 'page' }, name)
    : h('a', { class: 'crumb', href: c ? `/grids?code=${c}` : '/grids', onclick: (e: Event) => { e.preventDefault(); to(c); } }, name);

  try {
    let here: Grid | null = null;
    let kids: List<Grid>;
    if (code) {
      [here, kids] = await Promise.all([
        get<Grid>(`/api/v1/grids/${encodeURIComponent(code)}`),
        get<List<Grid>>(`/api/v1/grids/${encodeURIComponent(code)}/children`),
      ]);
    } else {
      kids = await get<List<Grid>>('/api/v1/grids');
    }
    const trail: Node[] = [crumb('', t('grids.root'), !here)];
    for (const a of here?.ancestors ?? []) trail.push(h('span', { class: 'sep' }, '›'), crumb(a.code, a.name, false));
    if (here) trail.push(h('span', { class: 'sep' }, '›'), crumb(here.code, here.name, true));
    clear(crumbs, trail);

    const head = here ? h('div', { class: 'grid-here' },
      h('strong', null, here.name), ' ',
      h('span', { class: 'tag' }, tk('level', here.level)), ' ',
      h('code', null, here.code), ' · ',
      `${t('grids.households')} ${fmtNum(here.households)} · ${t('grids.population')} ${fmtNum(here.population)}`) : null;

    if (!kids.items.length) {
      clear(body, head, empty());
      return;
    }
    const canCases = ctx.user && ctx.user.role !== 'admin';
    const table = h('table', { class: 'table', id: 'grid-table' },
      h('thead', null, h('tr', null,
        h('th', null, t('grids.name')), h('th', null, t('grids.level')), h('th', { class: 'hide-sm' }, t('grids.code')),
        h('th', { class: 'num' }, t('grids.households')), h('th', { class: 'num' }, t('grids.population')), h('th', null, ''))),
      h('tbody', null, kids.items.map((g) => h('tr', { 'data-code': g.code },
        h('td', null, h('a', { href: `/grids?code=${g.code}`, class: 'grid-link', onclick: (e: Event) => { e.preventDefault(); to(g.code); } }, g.name)),
        h('td', null, tk('level', g.level)),
        h('td', { class: 'hide-sm' }, h('code', null, g.code)),
        h('td', { class: 'num' }, fmtNum(g.households)),
        h('td', { class: 'num' }, fmtNum(g.population)),
        h('td', null, canCases ? h('a', { href: `/grid/${g.code}`, class: 'grid-profile', onclick: (e: Event) => { e.preventDefault(); ctx.go(`/grid/${g.code}`); } }, t('grids.profile')) : null),
      ))));
    clear(body, head, h('p', { class: 'muted', id: 'grid-total' }, t('grids.total', { n: kids.total })), h('div', { class: 'table-wrap' }, table));
  } catch (e) {
    clear(body, failure(e));
  }
};

export default page;
