// SPDX-License-Identifier: Apache-2.0
// The citizen page 随手拍 (no login): photos, the phone's position, a description, posted
// as multipart to /api/v1/public/reports; the answer's tracking code; a look-up of a code
// (GET /api/v1/public/reports/{code}) showing its public timeline and, when the server
// allows it, a rating of the result.
import { ApiError, get, post } from '../api';
import { t, tk } from '../i18n';
import type { Page } from '../main';
import { categoryPicker, type Category, type CategoryPicker } from '../catpicker';
import { clear, failure, fmtTime, h, photoPicker } from '../ui';

/** The kind of problem, from the public catalogue: optional — unchosen, the center classifies it. */
async function kindPicker(box: HTMLElement): Promise<CategoryPicker | null> {
  try {
    const cats = (await get<{ items: Category[] }>('/api/v1/categories')).items;
    const p = categoryPicker(cats, 'r-category');
    clear(box, p.el);
    return p;
  } catch {
    box.hidden = true; /* without the catalogue the center classifies every report */
    return null;
  }
}

interface PublicReport {
  code: string;
  state?: string;
  timeline?: { at?: string; state?: string; action?: string; note?: string }[];
  can_rate?: boolean;
}

const page: Page = (root, ctx) => {
  const picker = photoPicker('photo', true, 'r-photo');
  const photos = picker.input;
  const desc = h('textarea', { name: 'description', id: 'r-desc', rows: 4, maxlength: 1000, placeholder: t('report.description_ph') });
  const addr = h('input', { name: 'address', id: 'r-address', maxlength: 200 });
  const phone = h('input', { name: 'phone', id: 'r-phone', type: 'tel', autocomplete: 'tel', maxlength: 20 });
  const where = h('span', { class: 'muted', id: 'r-where' });
  let pos: { lon: number; lat: number } | null = null;
  const locate = h('button', {
    type: 'button', class: 'btn', id: 'r-locate',
    onclick: () => {
      if (!('geolocation' in navigator)) {
        where.textContent = t('report.no_geolocation');
        return;
      }
      where.textContent = t('report.locating');
      navigator.geolocation.getCurrentPosition((p) => {
        pos = { lon: p.coords.longitude, lat: p.coords.latitude };
        where.textContent = t('report.located', { lon: pos.lon.toFixed(6), lat: pos.lat.toFixed(6) });
      }, (e) => { where.textContent = t('report.no_location', { message: e.message }); },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    },
  }, t('report.locate'));
  const kindBox = h('div', { id: 'r-category-box' });
  let kind: CategoryPicker | null = null;
  void kindPicker(kindBox).then((p) => { kind = p; });
  const msg = h('div', { class: 'form-msg', id: 'r-msg', role: 'alert', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'r-submit' }, t('report.submit'));

  const form = h('form', {
    class: 'report-form', id: 'report-form', novalidate: true,
    onsubmit: async (e: Event) => {
      e.preventDefault();
      clear(msg);
      if (!desc.value.trim()) {
        clear(msg, h('p', { class: 'form-error' }, t('report.need_description')));
        return;
      }
      const files = [...(photos.files ?? [])];
      if (files.length > 3) {
        clear(msg, h('p', { class: 'form-error' }, t('report.too_many_photos')));
        return;
      }
      const fd = new FormData();
      fd.set('description', desc.value.trim());
      if (addr.value.trim()) fd.set('address', addr.value.trim());
      if (kind?.value()) fd.set('category', kind.value());
      if (phone.value.trim()) fd.set('phone', phone.value.trim());
      if (pos) {
        fd.set('lon', String(pos.lon));
        fd.set('lat', String(pos.lat));
      }
      for (const f of files) fd.append('photo', f, f.name);
      submit.disabled = true;
      submit.textContent = t('report.sending');
      try {
        const r = await post<{ code?: string; tracking_code?: string }>('/api/v1/public/reports', fd);
        const code = r.code ?? r.tracking_code ?? '';
        form.reset();
        picker.reset();
        kind?.set('');
        pos = null;
        where.textContent = '';
        clear(msg, h('div', { class: 'notice ok' }, h('p', null, t('report.thanks')), h('p', { class: 'code', id: 'r-code' }, code)));
        lookupInput.value = code;
      } catch (err) {
        if (err instanceof ApiError && err.missing) clear(msg, h('p', { class: 'form-error', 'data-state': 'unavailable' }, t('report.unavailable')));
        else if (err instanceof ApiError && err.status === 429) clear(msg, h('p', { class: 'form-error' }, t('report.rate_limited')));
        else clear(msg, failure(err));
      } finally {
        submit.disabled = false;
        submit.textContent = t('report.submit');
      }
    },
  },
  h('div', { class: 'field' }, h('span', null, t('report.photo')),
    picker.el),
  h('div', { class: 'field' }, h('span', null, t('report.kind')), kindBox),
  h('label', { class: 'field' }, h('span', null, t('report.description')), desc),
  h('div', { class: 'field' }, h('span', null, t('report.location')), h('div', { class: 'row' }, locate, where)),
  h('label', { class: 'field' }, h('span', null, t('report.address')), addr),
  h('label', { class: 'field' }, h('span', null, t('report.phone')), phone),
  msg, submit);

  const lookupInput = h('input', { name: 'code', id: 'r-lookup-code', autocomplete: 'off', maxlength: 32 });
  const result = h('div', { id: 'r-lookup-result' });
  const lookup = async (code: string) => {
    clear(result);
    if (!code) return;
    try {
      const r = await get<PublicReport>(`/api/v1/public/reports/${encodeURIComponent(code)}`);
      const rate = r.can_rate ? h('div', { class: 'row' }, h('span', null, t('report.rate')),
        ['satisfied', 'basically', 'unsatisfied'].map((v) => h('button', {
          type: 'button', class: 'btn',
          onclick: async () => {
            try {
              await post(`/api/v1/public/reports/${encodeURIComponent(code)}/rating`, { rating: v });
              clear(result, h('p', { class: 'notice ok' }, t('report.rated')));
            } catch (err) {
              result.append(failure(err));
            }
          },
        }, tk('rating', v)))) : null;
      clear(result, h('p', null, t('report.status', { state: tk('case_state', r.state ?? '') })),
        h('ol', { class: 'timeline' }, (r.timeline ?? []).map((e) => h('li', null, h('time', null, fmtTime(e.at)), ' ',
          e.action ? tk('action', e.action) : tk('case_state', e.state ?? ''), e.note ? h('p', null, e.note) : null))), rate);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404 && err.code === 'not_found' && !/^no route/i.test(err.message))
        clear(result, h('p', { class: 'form-error' }, t('report.not_found')));
      else clear(result, failure(err));
    }
  };
  const track = h('form', {
    class: 'row', id: 'lookup-form',
    onsubmit: (e: Event) => { e.preventDefault(); void lookup(lookupInput.value.trim()); },
  }, h('label', { for: 'r-lookup-code' }, t('report.code')), lookupInput, h('button', { type: 'submit', class: 'btn' }, t('report.lookup')));

  root.classList.add('phone');
  root.append(h('div', { class: 'page-head' }, h('h1', null, t('report.title')), h('p', { class: 'muted' }, t('report.subtitle'))),
    h('section', { class: 'panel' }, form),
    h('section', { class: 'panel' }, h('h2', null, t('report.track')), track, result));
  const code = ctx.query.get('code');
  if (code) {
    lookupInput.value = code;
    void lookup(code);
  }
};

export default page;
