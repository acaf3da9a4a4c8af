// SPDX-License-Identifier: Apache-2.0
// A grid picker for filters: cascading selects from the user's scope down to the basic
// grid (street › community › grid), each listing the children of the one above by name
// (/api/v1/grids/{code}/children), so nobody types a 15-digit code. The value is the
// deepest code chosen ("" = the whole scope); a code from the URL is shown again by its
// ancestors' prefixes.
import { get, type Grid, type List } from './api';
import { t } from './i18n';
import { h } from './ui';

export interface GridPicker {
  el: HTMLElement;
  /** The deepest chosen code ("" for none). */
  value: () => string;
}

/** Code lengths of the levels a filter goes down to: district, street, community, grid. */
const LENGTHS = [6, 9, 12, 15];

async function children(code: string): Promise<Grid[]> {
  try {
    const r = code ? await get<List<Grid>>(`/api/v1/grids/${encodeURIComponent(code)}/children`)
      : await get<List<Grid>>('/api/v1/grids');
    return r.items;
  } catch {
    return [];
  }
}

/**
 * The picker named id (its selects are `${id}-0`, `${id}-1`, …) below scope, with current
 * chosen when it lies in the scope.
 */
export async function gridPicker(id: string, scope: string, current: string): Promise<GridPicker> {
  const el = h('div', { class: 'grid-picker', id, 'data-value': '' });
  const selects: HTMLSelectElement[] = [];
  let value = '';
  const set = (v: string) => {
    value = v;
    el.dataset.value = v;
  };
  // below the scope: one select per level, each holding the children of the choice above
  const add = async (parent: string, want: string): Promise<void> => {
    const kids = await children(parent);
    if (!kids.length) return;
    const level = selects.length;
    const s = h('select', { id: `${id}-${level}`, 'aria-label': t('cases.filter.grid') },
      h('option', { value: '' }, t('cases.filter.any')),
      kids.map((g) => h('option', { value: g.code, selected: g.code === want }, g.name))) as HTMLSelectElement;
    selects.push(s);
    el.append(s);
    s.addEventListener('change', async () => {
      for (const x of selects.splice(level + 1)) x.remove();
      set(s.value || (level ? selects[level - 1].value : ''));
      if (s.value && s.value.length < 15) await add(s.value, '');
      el.dispatchEvent(new Event('change', { bubbles: true }));
    });
    if (want && kids.some((g) => g.code === want)) {
      set(want);
      const next = current.length > want.length ? LENGTHS.find((n) => n > want.length && n <= current.length) : undefined;
      if (want.length < 15) await add(want, next ? current.slice(0, next) : '');
    }
  };
  const first = LENGTHS.find((n) => n > scope.length && n <= current.length);
  const inScope = current.startsWith(scope);
  await add(scope, inScope && first ? current.slice(0, first) : '');
  return { el, value: () => value };
}
