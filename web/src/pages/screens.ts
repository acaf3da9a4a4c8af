// SPDX-License-Identifier: Apache-2.0
// 大屏管理 (administrator): issue a wall screen's session for one named screen (POST
// /api/v1/kiosk) — the answer is a link with a one-time code to open on that screen —,
// list the screens (GET /api/v1/kiosk) and revoke one (DELETE /api/v1/kiosk/{id}), after
// which that screen is signed out at its next request.
import { get, post, request, type List } from '../api';
import { t } from '../i18n';
import type { Page } from '../main';
import { clear, empty, failure, fmtTime, h, loading, panel } from '../ui';

interface Screen { id: number; name: string; scope: string; created_at: string; claimed: boolean; revoked: boolean; claimed_at?: string; url?: string; code?: string }

const page: Page = async (root) => {
  const name = h('input', { id: 'screen-name', name: 'name', required: true, maxlength: 19 });
  const scope = h('input', { id: 'screen-scope', name: 'scope', inputmode: 'numeric', pattern: '[0-9]*' });
  const issued = h('div', { id: 'screen-issued', role: 'status' });
  const list = h('div', { id: 'screen-list' }, loading());
  const form = h('form', { class: 'filters', id: 'screen-form' },
    h('label', { class: 'field' }, h('span', null, t('screens.name')), name),
    h('label', { class: 'field' }, h('span', null, t('screens.scope')), scope),
    h('div', { class: 'filter-buttons' }, h('button', { type: 'submit', class: 'btn btn-primary', id: 'screen-issue' }, t('screens.issue'))));
  root.append(h('div', { class: 'page-head' }, h('h1', null, t('screens.title')), h('p', { class: 'muted' }, t('screens.hint'))),
    panel(t('screens.issue'), h('div', null, form, issued)), panel(t('screens.list'), list));

  const load = async () => {
    try {
      const r = await get<List<Screen>>('/api/v1/kiosk');
      if (!r.items.length) {
        clear(list, empty());
        return;
      }
      clear(list, h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'screen-table' },
        h('thead', null, h('tr', null, h('th', null, t('screens.name')), h('th', null, t('screens.scope')),
          h('th', null, t('screens.created')), h('th', null, t('screens.status')), h('th', null, ''))),
        h('tbody', null, r.items.map((s) => h('tr', { 'data-id': String(s.id) },
          h('td', null, s.name), h('td', null, h('code', null, s.scope || '—')), h('td', null, fmtTime(s.created_at)),
          h('td', { class: 'screen-status' }, t(s.revoked ? 'screens.revoked' : s.claimed ? 'screens.in_use' : 'screens.waiting')),
          h('td', null, s.revoked ? null : h('button', { type: 'button', class: 'btn', 'data-revoke': String(s.id),
            onclick: async () => {
              if (!confirm(t('screens.revoke_confirm', { name: s.name }))) return;
              try {
                await request('DELETE', `/api/v1/kiosk/${s.id}`);
              } catch (e) {
                issued.replaceChildren(failure(e));
              }
              await load();
            } }, t('screens.revoke')))))))));
    } catch (e) {
      clear(list, failure(e));
    }
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const s = await post<Screen>('/api/v1/kiosk', { name: name.value.trim(), ...(scope.value ? { scope: scope.value } : {}) });
      const url = location.origin + (s.url ?? '');
      clear(issued, h('p', { class: 'form-ok' }, t('screens.issued', { name: s.name })),
        h('p', null, h('a', { href: url, id: 'screen-url', target: '_blank', rel: 'noopener' }, url)),
        h('p', { class: 'muted' }, t('screens.once')));
      form.reset();
      await load();
    } catch (err) {
      clear(issued, failure(err));
    }
  });
  await load();
};

export default page;
