// SPDX-License-Identifier: Apache-2.0
// The citizen page 随手拍 (no login): photos, the kind of problem (the shared category
// picker, limited to what a citizen may report: city components and events), the phone's
// position or a point tapped on the map, a description, posted as multipart to
// /api/v1/public/reports through the outbox (kept on the device without network and sent
// once when it returns); the answer's tracking code, kept on the device in 我的上报 with a
// copy button; a look-up of a code (GET /api/v1/public/reports/{code}) showing its public
// timeline, the department's reply and the after photos, and, when the server allows it,
// a rating of the result.
import { ApiError, get, post } from '../api';
import { t, tk } from '../i18n';
import type { Page } from '../main';
import * as outbox from '../outbox';
import { categoryPicker, type Category, type CategoryPicker } from '../catpicker';
import { clear, errText, failure, fmtTime, h, photoPicker } from '../ui';

const OWNER = 'public';
const MINE = 'gridgov.my_reports';
const CATS = 'gridgov.citizen_categories';

/** A report made on this device: its tracking code, when, and what it said. */
interface Mine { code: string; at: number; description: string }

export function myReports(): Mine[] {
  try {
    const v = JSON.parse(localStorage.getItem(MINE) ?? '[]') as Mine[];
    return Array.isArray(v) ? v.filter((x) => x && typeof x.code === 'string') : [];
  } catch {
    return [];
  }
}

function keepMine(m: Mine): void {
  const list = [m, ...myReports().filter((x) => x.code !== m.code)].slice(0, 50);
  localStorage.setItem(MINE, JSON.stringify(list));
}

function forgetMine(code: string): void {
  localStorage.setItem(MINE, JSON.stringify(myReports().filter((x) => x.code !== code)));
}

/** The kind of problem, from the citizen's part of the catalogue (kept for offline use). */
async function kindPicker(box: HTMLElement): Promise<CategoryPicker | null> {
  let cats: Category[] | null = null;
  try {
    cats = (await get<{ items: Category[] }>('/api/v1/categories?citizen=true')).items;
    try { localStorage.setItem(CATS, JSON.stringify(cats)); } catch { /* fetched again next time */ }
  } catch {
    try { cats = JSON.parse(localStorage.getItem(CATS) ?? 'null') as Category[] | null; } catch { cats = null; }
  }
  if (!cats?.length) {
    box.hidden = true; /* without the catalogue the center classifies every report */
    return null;
  }
  const p = categoryPicker(cats, 'r-category');
  clear(box, p.el);
  return p;
}

/** Copy text to the clipboard (the older way where the Clipboard API is not allowed). */
async function copy(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const ta = h('textarea', { class: 'visually-hidden' }, text);
    document.body.append(ta);
    ta.select();
    document.execCommand('copy');
    ta.remove();
  }
}

interface PublicReport {
  code: string;
  state?: string;
  timeline?: { at?: string; state?: string; action?: string; note?: string }[];
  can_rate?: boolean;
  reply?: { text: string; at?: string };
  after_photos?: string[];
}

type Point = { lon: number; lat: number };

/** The public map of community outlines; a tap sets the report's point. */
async function drawMap(box: HTMLElement, onPick: (p: Point) => void): Promise<{ pin: (p: Point | null) => void; dispose: () => void } | null> {
  try {
    const fc = await get<{ type: string; features: { properties: { code: string; name: string }; geometry?: { coordinates?: unknown[] } | null }[] }>('/api/v1/public/map.geojson');
    // an outline without coordinates has no bounding box: ECharts' geo would fail on it
    fc.features = (fc.features ?? []).filter((f) => (f.geometry?.coordinates?.length ?? 0) > 0);
    if (!fc.features.length) {
      box.hidden = true;
      return null;
    }
    const { echarts } = await import('../charts');
    echarts.registerMap('gridgov-public', fc as never);
    const c = echarts.init(box);
    const label = new Map(fc.features.map((f) => [f.properties.code, f.properties.name]));
    c.setOption({
      tooltip: { trigger: 'item', formatter: (p: { name?: string; seriesType?: string }) => (p.seriesType === 'scatter' ? '' : label.get(p.name ?? '') ?? '') },
      geo: { map: 'gridgov-public', nameProperty: 'code', roam: true, label: { show: false }, tooltip: { show: true },
        itemStyle: { areaColor: '#dbe8ff', borderColor: '#0b3d91', borderWidth: 0.5 } },
      series: [],
    });
    const pin = (p: Point | null) => c.setOption({
      series: [{ id: 'pin', type: 'scatter', coordinateSystem: 'geo', symbol: 'pin', symbolSize: 30, data: p ? [[p.lon, p.lat]] : [], itemStyle: { color: '#d64545' } }],
    });
    c.getZr().on('click', (e: { offsetX: number; offsetY: number }) => {
      const xy = c.convertFromPixel({ geoIndex: 0 }, [e.offsetX, e.offsetY]) as number[] | undefined;
      if (xy && Number.isFinite(xy[0]) && Number.isFinite(xy[1])) {
        const p = { lon: Number(xy[0].toFixed(6)), lat: Number(xy[1].toFixed(6)) };
        pin(p);
        onPick(p);
      }
    });
    // a map that is out of the page or not laid out (hidden, 0 px) is not resized: ECharts'
    // geo has no view rectangle then and throws
    const resize = () => { if (box.isConnected && box.clientWidth > 0 && box.clientHeight > 0) c.resize(); };
    window.addEventListener('resize', resize);
    box.dataset.ready = '1';
    return { pin, dispose: () => { window.removeEventListener('resize', resize); c.dispose(); } };
  } catch {
    box.hidden = true; /* offline: the phone's position or the photo's */
    return null;
  }
}

const page: Page = (root, ctx) => {
  const picker = photoPicker('photo', true, 'r-photo');
  const photos = picker.input;
  const desc = h('textarea', { name: 'description', id: 'r-desc', rows: 4, maxlength: 1000, placeholder: t('report.description_ph') });
  const addr = h('input', { name: 'address', id: 'r-address', maxlength: 200 });
  const phone = h('input', { name: 'phone', id: 'r-phone', type: 'tel', autocomplete: 'tel', maxlength: 20 });
  const where = h('span', { class: 'muted', id: 'r-where' });
  let pos: Point | null = null;
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
        map?.pin(pos);
        where.textContent = t('report.located', { lon: pos.lon.toFixed(6), lat: pos.lat.toFixed(6) });
      }, (e) => { where.textContent = t('report.no_location', { message: e.message }); },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    },
  }, t('report.locate'));
  const mapBox = h('div', { class: 'chart chart-small', id: 'r-map' });
  let map: Awaited<ReturnType<typeof drawMap>> = null;
  void drawMap(mapBox, (p) => {
    pos = p;
    where.textContent = t('report.picked', { lon: p.lon.toFixed(6), lat: p.lat.toFixed(6) });
  }).then((m) => { map = m; });
  const kindBox = h('div', { id: 'r-category-box' });
  let kind: CategoryPicker | null = null;
  void kindPicker(kindBox).then((p) => { kind = p; });
  const msg = h('div', { class: 'form-msg', id: 'r-msg', role: 'alert', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'r-submit' }, t('report.submit'));

  const thanks = (code: string) => clear(msg, h('div', { class: 'notice ok' }, h('p', null, t('report.thanks')),
    h('p', { class: 'row' }, h('span', { class: 'code', id: 'r-code' }, code), copyButton(code, 'r-code-copy'))));

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
      const body: Record<string, unknown> = { description: desc.value.trim() };
      if (addr.value.trim()) body.address = addr.value.trim();
      if (kind?.value()) body.category = kind.value();
      if (phone.value.trim()) body.phone = phone.value.trim();
      if (pos) Object.assign(body, { lon: String(pos.lon), lat: String(pos.lat) });
      submit.disabled = true;
      submit.textContent = t('report.sending');
      const key = outbox.newKey();
      try {
        await outbox.add({ key, kind: 'report', owner: OWNER, body, photos: files });
        const sent = (await outbox.flush(OWNER)).find((x) => x.entry.key === key);
        const left = sent ? null : (await outbox.pending(OWNER)).find((x) => x.key === key);
        if (left?.error) {
          await outbox.remove(left.id!);
          if (left.error === 'rate_limited') clear(msg, h('p', { class: 'form-error' }, t('report.rate_limited')));
          else clear(msg, h('p', { class: 'form-error', 'data-code': left.error }, errText(new ApiError(422, left.error, left.error))));
          return;
        }
        form.reset();
        picker.reset();
        kind?.set('');
        pos = null;
        map?.pin(null);
        where.textContent = '';
        if (sent) {
          keepMine({ code: sent.id, at: Date.now(), description: String(body.description) });
          thanks(sent.id);
          lookupInput.value = sent.id;
        } else {
          clear(msg, h('p', { class: 'notice', id: 'r-queued', role: 'status' }, t('report.queued')));
        }
        void drawMine();
      } catch (err) {
        if (err instanceof ApiError && err.missing) clear(msg, h('p', { class: 'form-error', 'data-state': 'unavailable' }, t('report.unavailable')));
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
  h('div', { class: 'field' }, h('span', null, t('report.location')), h('div', { class: 'row' }, locate, where),
    h('p', { class: 'muted' }, t('report.pick_on_map')), mapBox),
  h('label', { class: 'field' }, h('span', null, t('report.address')), addr),
  h('label', { class: 'field' }, h('span', null, t('report.phone')), phone),
  msg, submit);

  const copyButton = (code: string, id?: string) => {
    const b: HTMLButtonElement = h('button', {
      type: 'button', class: 'btn r-copy', id, 'data-code': code,
      onclick: async () => {
        await copy(code);
        b.textContent = t('report.copied');
        setTimeout(() => { b.textContent = t('report.copy'); }, 2000);
      },
    }, t('report.copy'));
    return b;
  };

  // 我的上报: the codes kept on this device, and what still waits for the network
  const mineBox = h('div', { id: 'r-mine' });
  const drawMine = async () => {
    const waiting = await outbox.pending(OWNER).catch(() => [] as outbox.OutboxEntry[]);
    const mine = myReports();
    mineBox.dataset.count = String(mine.length);
    mineBox.dataset.pending = String(waiting.length);
    if (!mine.length && !waiting.length) {
      clear(mineBox, h('p', { class: 'muted' }, t('report.my_empty')));
      return;
    }
    clear(mineBox, h('ul', { class: 'cards' },
      waiting.map((w) => h('li', { class: 'card', 'data-pending': w.key },
        h('div', null, h('strong', null, String(w.body.description ?? ''))),
        h('div', { class: 'muted' }, fmtTime(w.created), ' · ', w.error ? h('span', { class: 'form-error' }, errText(new ApiError(422, w.error, w.error))) : t('report.pending')),
        h('div', { class: 'row' }, h('button', { type: 'button', class: 'btn', onclick: () => void outbox.remove(w.id!) }, t('report.forget'))))),
      mine.map((m) => h('li', { class: 'card', 'data-code': m.code },
        h('div', { class: 'row' }, h('span', { class: 'code' }, m.code), copyButton(m.code)),
        h('div', { class: 'muted' }, fmtTime(m.at), ' · ', m.description),
        h('div', { class: 'row' },
          h('button', { type: 'button', class: 'btn r-look', onclick: () => { lookupInput.value = m.code; void lookup(m.code); } }, t('report.lookup')),
          h('button', { type: 'button', class: 'btn', onclick: () => { forgetMine(m.code); void drawMine(); } }, t('report.forget')))))));
  };

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
      const reply = r.reply ? h('div', { class: 'notice', id: 'r-reply' }, h('strong', null, t('report.reply')), ' ',
        h('time', { class: 'muted' }, fmtTime(r.reply.at)), h('p', null, r.reply.text)) : null;
      const after = r.after_photos?.length ? h('div', { class: 'field', id: 'r-after' }, h('span', null, t('report.after_photos')),
        h('div', { class: 'photos' }, r.after_photos.map((u) => h('a', { href: u, target: '_blank', rel: 'noopener' },
          h('img', { src: `${u}?thumbnail=1`, alt: t('report.after_photos'), loading: 'lazy' }))))) : null;
      clear(result, h('p', null, t('report.status', { state: tk('case_state', r.state ?? '') })), reply, after,
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
    h('section', { class: 'panel', id: 'r-mine-panel' }, h('h2', null, t('report.my')), mineBox),
    h('section', { class: 'panel' }, h('h2', null, t('report.track')), track, result));
  void drawMine();
  const offChange = outbox.onChange(() => void drawMine());
  const stop = outbox.keepSending(OWNER, (s) => {
    keepMine({ code: s.id, at: Date.now(), description: String(s.entry.body.description ?? '') });
    msg.append(h('p', { class: 'notice ok', 'data-sent': s.id }, t('report.sent_later', { code: s.id })));
    void drawMine();
  });
  const code = ctx.query.get('code');
  if (code) {
    lookupInput.value = code;
    void lookup(code);
  }
  return () => { offChange(); stop(); map?.dispose(); };
};

export default page;
