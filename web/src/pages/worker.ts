// SPDX-License-Identifier: Apache-2.0
// The grid worker's phone page: my grid (from the grid tree), my tasks with their
// deadlines (the cases API, which the server limits to the worker's grid), and a quick
// link to report with the phone's position.
import { get, type Grid, type List } from '../api';
import { t } from '../i18n';
import type { Page } from '../main';
import { clear, empty, failure, fmtNum, fmtTime, h, loading, panel } from '../ui';
import { lightDot, type Case } from './cases';

const page: Page = async (root, ctx) => {
  const scope = ctx.user?.scope ?? '';
  const gridBox = h('div', { id: 'worker-grid' }, loading());
  const taskBox = h('div', { id: 'worker-tasks' }, loading());
  root.classList.add('phone');
  root.append(h('div', { class: 'page-head' }, h('h1', null, t('worker.title'))),
    panel(t('worker.my_grid'), gridBox),
    panel(t('worker.tasks'), taskBox));

  const [g, cases] = await Promise.allSettled([
    get<Grid>(`/api/v1/grids/${encodeURIComponent(scope)}`),
    get<List<Case>>('/api/v1/cases?per_page=50'),
  ]);
  if (g.status === 'fulfilled') {
    const x = g.value;
    clear(gridBox, h('p', null, h('strong', null, x.name), ' ', h('code', null, x.code)),
      h('p', { class: 'muted' }, `${t('grids.households')} ${fmtNum(x.households)} · ${t('grids.population')} ${fmtNum(x.population)}`),
      h('a', { class: 'btn', href: `/grids?code=${x.code}`, onclick: (e: Event) => { e.preventDefault(); ctx.go(`/grids?code=${x.code}`); } }, t('grids.children')));
  } else {
    clear(gridBox, failure(g.reason));
  }
  if (cases.status === 'fulfilled') {
    const items = cases.value.items;
    clear(taskBox, items.length ? h('ul', { class: 'cards' }, items.map((c) => h('li', {
      class: 'card clickable', onclick: () => ctx.go(`/cases/${encodeURIComponent(String(c.id))}`),
    }, h('div', null, h('strong', null, c.category_name ?? c.category ?? String(c.id)), ' ', lightDot(c.light)),
    h('div', { class: 'muted' }, t('cases.col.deadline'), ' ', fmtTime(c.deadline)),
    c.description ? h('p', null, c.description) : null))) : empty());
  } else {
    clear(taskBox, failure(cases.reason));
  }
};

export default page;
