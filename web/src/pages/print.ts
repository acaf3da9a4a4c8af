// SPDX-License-Identifier: Apache-2.0
// A case printed as its 派遣单/案卷 (issue 14, item 5): one A4 document with the case's
// facts (names, not codes), the whole trail and the photos before and after, and lines
// for signatures; the page is bare (no top bar) and style.css's @media print rules lay it
// out on A4. `data-ready` on the sheet says the photos have loaded (for printing to PDF).
import { ApiError, blobUrl, get, type List } from '../api';
import { t, tk } from '../i18n';
import type { Page } from '../main';
import { categoryPath, type Category } from '../catpicker';
import { clear, failure, fmtTime, h, loading } from '../ui';
import type { Case } from './cases';

interface Dept { code: string; name: string }

const printPage: Page = async (root, ctx) => {
  const id = ctx.params.id;
  const sheet = h('article', { class: 'print-sheet', id: 'print-sheet' }, loading());
  root.append(h('div', { class: 'no-print print-tools' },
    h('button', { type: 'button', class: 'btn', id: 'print-back', onclick: () => ctx.go(`/cases/${encodeURIComponent(id)}`) }, '‹ ' + t('cases.back')),
    h('button', { type: 'button', class: 'btn btn-primary', id: 'print-now', onclick: () => window.print() }, t('print.print'))), sheet);
  try {
    const [c, depts, cats] = await Promise.all([
      get<Case>(`/api/v1/cases/${encodeURIComponent(id)}`),
      get<List<Dept>>('/api/v1/departments').then((d) => d.items).catch(() => [] as Dept[]),
      get<List<Category>>('/api/v1/categories').then((d) => d.items).catch(() => [] as Category[]),
    ]);
    const dept = (code?: string | null) => (code ? depts.find((d) => d.code === code)?.name ?? code : t('common.none'));
    const cat = cats.find((x) => x.code === c.category);
    const none = t('common.none');
    const row = (label: string, value: string, id?: string) => h('tr', null, h('th', null, label), h('td', { id }, value || none));
    const pairs: [string, string, string?][] = [
      [t('cases.col.id'), String(c.id), 'print-id'],
      [t('cases.col.category'), cat ? `${categoryPath(cat)} (${c.category})` : c.category ?? '', 'print-category'],
      [t('cases.col.state'), tk('case_state', c.state)],
      [t('cases.channel'), c.channel ? tk('channel', c.channel) : ''],
      [t('cases.reporter'), (c.reporters?.length ? c.reporters : [c.reporter]).filter(Boolean).join('、')],
      [t('cases.created'), fmtTime(c.created_at)],
      [t('cases.col.grid'), c.grid_name ? `${c.grid_name} (${c.grid})` : c.grid ?? ''],
      [t('cases.address'), c.address || (typeof c.lon === 'number' && typeof c.lat === 'number' ? `${c.lon.toFixed(6)}, ${c.lat.toFixed(6)}` : '')],
      [t('cases.col.department'), dept(c.department), 'print-department'],
      [t('cases.col.deadline'), c.deadline ? fmtTime(c.deadline) : ''],
      [t('cases.rating_given'), c.rating ? tk('rating', c.rating) : ''],
    ];
    const photos = c.photos ?? [];
    const imgs = photos.map((p) => {
      const img = h('img', { alt: t('cases.photos'), class: 'print-photo' }) as HTMLImageElement;
      return { img, load: blobUrl(p.url).then((u) => new Promise<void>((ok) => { img.onload = () => ok(); img.onerror = () => ok(); img.src = u; }), () => undefined) };
    });
    clear(sheet,
      h('header', { class: 'print-head' },
        h('h1', null, t('print.title')),
        h('p', null, t('print.subtitle', { id: String(c.id), at: fmtTime(new Date().toISOString()) }))),
      h('section', null, h('h2', null, t('print.facts')),
        h('table', { class: 'print-table' }, h('tbody', null, pairs.map(([l, v, i]) => row(l, v, i)))),
        h('h3', null, t('cases.description')), h('p', { class: 'print-desc' }, c.description || none)),
      h('section', null, h('h2', null, t('print.trail')),
        h('table', { class: 'print-table print-trail', id: 'print-trail' },
          h('thead', null, h('tr', null, h('th', null, t('print.when')), h('th', null, t('print.what')), h('th', null, t('print.who')), h('th', null, t('cases.note')))),
          h('tbody', null, (c.timeline ?? []).map((e) => h('tr', { 'data-action': e.action ?? '' },
            h('td', null, fmtTime(e.at)),
            h('td', null, e.action ? tk('action', e.action) : tk('case_state', e.to ?? '')),
            h('td', null, [e.actor, e.role ? tk('role', e.role) : ''].filter(Boolean).join(' · ')),
            h('td', null, e.note ?? '')))))),
      h('section', { class: 'print-photos' }, h('h2', null, t('print.photos')),
        photos.length ? h('div', { class: 'print-photo-row' }, imgs.map((x) => x.img)) : h('p', null, t('print.no_photos'))),
      h('section', { class: 'print-sign' }, h('h2', null, t('print.signatures')),
        h('div', { class: 'sign-row' }, ['print.sign_dispatch', 'print.sign_handle', 'print.sign_verify'].map((k) =>
          h('div', { class: 'sign' }, h('span', null, t(k as Parameters<typeof t>[0])), h('span', { class: 'sign-line' })))),
      ));
    await Promise.all(imgs.map((x) => x.load));
    sheet.dataset.ready = '1';
  } catch (e) {
    clear(sheet, e instanceof ApiError && e.status === 404 && !e.missing
      ? h('div', { class: 'state state-error', 'data-state': 'not-found' }, t('cases.not_found'))
      : failure(e));
  }
};

export default printPage;
