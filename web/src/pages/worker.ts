// SPDX-License-Identifier: Apache-2.0
// The grid worker's phone page: my grid (from the grid tree), my tasks with their
// deadlines (the open cases of the grid: the server limits the list to the worker's
// scope), and a report form that files a case with photos and the phone's GPS position
// (channel "worker"), optionally closing it on the spot 自处置 with an after photo. A
// report goes through the outbox (IndexedDB): made without network it waits, listed with
// a count, and is sent exactly once when the network returns. Without a GPS fix the
// worker taps the place on the grid map, or the server files it in the worker's grid.
import { ApiError, get, type Grid, type List } from '../api';
import * as outbox from '../outbox';
import { t, tk } from '../i18n';
import type { Page } from '../main';
import { clear, empty, errText, failure, fmtNum, fmtTime, h, loading, panel, photoPicker } from '../ui';
import { categoryPicker, type Category } from '../catpicker';
import { catName, lightDot, timeLeft, type Case } from './cases';

const page: Page = async (root, ctx) => {
  const scope = ctx.user?.scope ?? '';
  const gridBox = h('div', { id: 'worker-grid' }, loading());
  const taskBox = h('div', { id: 'worker-tasks' }, loading());
  const reportBox = h('div', { id: 'worker-report' });
  root.classList.add('phone');
  root.append(h('div', { class: 'page-head' }, h('h1', null, t('worker.title'))),
    panel(t('worker.my_grid'), gridBox),
    panel(t('worker.report'), reportBox),
    panel(t('worker.tasks'), taskBox));
  const owner = ctx.user?.name ?? '';
  const outBox = h('div', { id: 'worker-outbox' });
  const outHead = h('h2', { id: 'worker-outbox-title' }, t('outbox.title'));
  gridBox.closest('section')?.after(h('section', { class: 'panel', id: 'worker-outbox-panel' }, outHead, outBox));
  const catsP = cachedCategories();
  const spot = pointPicker(scope);
  const form = catsP.then((cats) => {
    const f = reportForm(cats, owner, spot, (id, closed) => ctx.go(`/worker?${closed ? 'closed' : 'reported'}=${encodeURIComponent(id)}`, true));
    reportBox.append(f);
    return f;
  });
  const sent = ctx.query.get('reported') ?? ctx.query.get('closed');
  if (sent) reportBox.append(h('p', { class: 'form-ok', role: 'status', id: 'worker-sent' }, t(ctx.query.has('closed') ? 'worker.closed' : 'worker.sent', { id: sent })));
  const drawOutbox = async () => {
    const items = await outbox.pending(owner);
    outHead.textContent = t('outbox.count', { n: items.length });
    outBox.dataset.count = String(items.length);
    clear(outBox, items.length ? h('ul', { class: 'cards', id: 'worker-outbox-list' }, items.map((e) => h('li', { class: 'card', 'data-key': e.key },
      h('div', null, h('strong', null, e.kind === 'action' ? `#${e.caseId} · ${tk('action', String(e.body.action ?? ''))}` : String(e.body.description ?? '')),
        e.after ? h('span', { class: 'muted' }, ' · ', t('outbox.self_close')) : null),
      h('div', { class: 'muted' }, fmtTime(e.created), ' · ', t('outbox.photos', { n: e.photos.length + (e.after ? 1 : 0) }), ' · ',
        e.error ? h('span', { class: 'form-error' }, t('outbox.refused', { message: errText(new ApiError(422, e.error, e.error)) })) : t('outbox.waiting')),
      h('div', { class: 'row' },
        h('button', { type: 'button', class: 'btn', onclick: () => void outbox.flush(owner).then(announce) }, t('outbox.retry')),
        h('button', { type: 'button', class: 'btn', onclick: () => void outbox.remove(e.id!) }, t('outbox.discard')))))) : h('p', { class: 'muted' }, t('outbox.empty')));
  };
  const announce = (list: outbox.OutboxSent[]) => list.forEach((x) => reportBox.prepend(h('p', { class: 'form-ok', role: 'status', 'data-sent': x.id }, t('outbox.sent', { id: x.id }))));
  const offChange = outbox.onChange(() => void drawOutbox());
  const stopSending = outbox.keepSending(owner, (x) => announce([x]));
  void drawOutbox();
  void form;

  const [g, cases] = await Promise.allSettled([
    get<Grid>(`/api/v1/grids/${encodeURIComponent(scope)}`),
    // my tasks: what is still open in my grid (the latest 100), earliest deadline first
    get<List<Case>>('/api/v1/cases?open=true&per_page=100'),
  ]);
  const mapBox = h('div', { class: 'chart chart-small', id: 'worker-map' });
  gridBox.after(mapBox);
  const disposeMap = await drawMyGrid(mapBox, scope, spot);
  const dispose = () => { disposeMap?.(); offChange(); stopSending(); };
  if (g.status === 'fulfilled') {
    const x = g.value;
    clear(gridBox, h('p', null, h('strong', null, x.name), ' ', h('code', null, x.code)),
      h('p', { class: 'muted' }, `${t('grids.households')} ${fmtNum(x.households)} · ${t('grids.population')} ${fmtNum(x.population)}`),
      h('a', { class: 'btn', href: `/grids?code=${x.code}`, onclick: (e: Event) => { e.preventDefault(); ctx.go(`/grids?code=${x.code}`); } }, t('grids.children')));
  } else {
    clear(gridBox, failure(g.reason));
  }
  if (cases.status === 'fulfilled') {
    const due = (c: Case) => (c.deadline ? new Date(c.deadline).getTime() : Infinity);
    const items = [...cases.value.items].sort((a, b) => due(a) - due(b) || Number(a.id) - Number(b.id));
    const names = new Map(((await catsP) ?? []).map((c) => [c.code, catName(c)]));
    clear(taskBox, items.length ? h('ul', { class: 'cards' }, items.map((c) => h('li', {
      class: 'card clickable', 'data-id': String(c.id), onclick: () => ctx.go(`/cases/${encodeURIComponent(String(c.id))}`),
    }, h('div', null, h('strong', null, c.category_name ?? names.get(c.category ?? '') ?? c.category ?? String(c.id)), ' ', lightDot(c.light)),
    h('div', { class: 'muted' }, `#${c.id} · ${tk('case_state', c.state)}`),
    h('div', { class: 'muted' }, t('cases.col.deadline'), ' ', fmtTime(c.deadline), ' · ', timeLeft(c.deadline)),
    c.description ? h('p', null, c.description) : null))) : empty());
  } else {
    clear(taskBox, failure(cases.reason));
  }
  return dispose;
};

/** The catalogue, kept on the device for a report made offline. */
async function cachedCategories(): Promise<Category[] | null> {
  const KEY = 'gridgov.categories';
  try {
    const items = (await get<List<Category>>('/api/v1/categories')).items;
    try { localStorage.setItem(KEY, JSON.stringify(items)); } catch { /* full: fetched again next time */ }
    return items;
  } catch {
    try {
      return JSON.parse(localStorage.getItem(KEY) ?? 'null') as Category[] | null;
    } catch {
      return null;
    }
  }
}

/** A point tapped on the grid map, for a report without a GPS fix. */
interface PointPicker {
  scope: string;
  point: { lon: number; lat: number } | null;
  listeners: ((p: { lon: number; lat: number } | null) => void)[];
  set: (p: { lon: number; lat: number } | null) => void;
}

function pointPicker(scope: string): PointPicker {
  const pp: PointPicker = {
    scope, point: null, listeners: [],
    set: (p) => { pp.point = p; pp.listeners.forEach((fn) => fn(p)); },
  };
  return pp;
}

/**
 * My grid's outline (and what lies beneath it) from /api/v1/grids.geojson, drawn with
 * ECharts; a tap sets the report's point (a pin shows it).
 */
async function drawMyGrid(box: HTMLElement, scope: string, spot: PointPicker): Promise<(() => void) | undefined> {
  try {
    const fc = await get<{ type: string; features: { properties: { code: string; name: string } }[] }>(`/api/v1/grids.geojson?under=${encodeURIComponent(scope)}`);
    if (!fc.features?.length) {
      box.append(empty());
      return undefined;
    }
    const { echarts } = await import('../charts');
    echarts.registerMap('gridgov-mine', fc as never);
    const c = echarts.init(box);
    const label = new Map(fc.features.map((f) => [f.properties.code, f.properties.name]));
    const pin = (p: { lon: number; lat: number } | null) => c.setOption({
      series: [{ id: 'pin', type: 'scatter', coordinateSystem: 'geo', symbol: 'pin', symbolSize: 30, data: p ? [[p.lon, p.lat]] : [], itemStyle: { color: '#d64545' } }],
    });
    c.setOption({
      tooltip: { trigger: 'item', formatter: (p: { name?: string; seriesType?: string }) => (p.seriesType === 'scatter' ? '' : label.get(p.name ?? '') ?? '') },
      geo: { map: 'gridgov-mine', nameProperty: 'code', roam: true, label: { show: false },
        itemStyle: { areaColor: '#dbe8ff', borderColor: '#0b3d91' }, tooltip: { show: true } },
      series: [],
    });
    pin(spot.point);
    c.getZr().on('click', (e: { offsetX: number; offsetY: number }) => {
      const xy = c.convertFromPixel({ geoIndex: 0 }, [e.offsetX, e.offsetY]) as number[] | undefined;
      if (xy && Number.isFinite(xy[0]) && Number.isFinite(xy[1])) spot.set({ lon: Number(xy[0].toFixed(6)), lat: Number(xy[1].toFixed(6)) });
    });
    spot.listeners.push(pin);
    box.dataset.ready = '1';
    return () => c.dispose();
  } catch (e) {
    box.append(failure(e));
    return undefined;
  }
}

/**
 * Report a problem from the street: category, description, photos, GPS (else the first
 * photo's position, else a point tapped on the map, else the worker's own grid);
 * optionally closed on the spot 自处置 with an after photo, the report's first photo being
 * the before one. The report is kept in the outbox first and sent from there.
 */
function reportForm(cats: Category[] | null, owner: string, spot: PointPicker, done: (id: string, closed: boolean) => void): HTMLElement {
  // the shared picker, nothing chosen until the worker picks (a typed code without a catalogue)
  const picker = cats && cats.length ? categoryPicker(cats, 'w-category') : null;
  const typed = picker ? null : h('input', { name: 'category', id: 'w-category' });
  const category = { get value() { return picker ? picker.value() : typed!.value.trim(); } };
  const desc = h('textarea', { name: 'description', id: 'w-desc', rows: 3, maxlength: 1000 });
  const shots = photoPicker('photos', true, 'w-photos');
  const photos = shots.input;
  const fixedShot = photoPicker('after', false, 'w-after');
  const after = fixedShot.input;
  const afterField = h('div', { class: 'field', hidden: true }, h('span', null, t('worker.after')), fixedShot.el);
  const selfClose = h('input', { type: 'checkbox', name: 'self_close', id: 'w-self', onchange: () => { afterField.hidden = !selfClose.checked; } });
  const where = h('span', { class: 'muted', id: 'w-where' });
  const msg = h('div', { class: 'form-msg', role: 'alert' });
  let pos: { lon: number; lat: number } | null = null;
  const sayWhere = () => {
    if (pos) where.textContent = t('report.located', { lon: pos.lon.toFixed(6), lat: pos.lat.toFixed(6) });
    else if (spot.point) where.textContent = t('worker.where_map', { lon: spot.point.lon.toFixed(6), lat: spot.point.lat.toFixed(6) });
    else where.textContent = t('worker.where_grid', { grid: spot.scope });
  };
  spot.listeners.push(sayWhere);
  sayWhere();
  const locate = h('button', {
    type: 'button', class: 'btn', id: 'w-locate',
    onclick: () => {
      if (!('geolocation' in navigator)) {
        where.textContent = t('report.no_geolocation');
        return;
      }
      where.textContent = t('report.locating');
      navigator.geolocation.getCurrentPosition((p) => {
        pos = { lon: p.coords.longitude, lat: p.coords.latitude };
        sayWhere();
      }, (e) => { where.textContent = t('report.no_location', { message: e.message }) + ' · ' + t('worker.tap_map'); }, { enableHighAccuracy: true, timeout: 15000 });
    },
  }, t('report.locate'));
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'w-submit' }, t('report.submit'));
  const form = h('form', {
    id: 'worker-report-form', novalidate: true,
    onsubmit: async (e: Event) => {
      e.preventDefault();
      clear(msg);
      if (!category.value) {
        clear(msg, h('p', { class: 'form-error' }, t('picker.required')));
        return;
      }
      if (!desc.value.trim()) {
        clear(msg, h('p', { class: 'form-error' }, t('report.need_description')));
        return;
      }
      const closing = selfClose.checked;
      if (closing && (!photos.files?.length || !after.files?.length)) {
        clear(msg, h('p', { class: 'form-error' }, t('worker.after_required')));
        return;
      }
      const body: Record<string, unknown> = { category: category.value, description: desc.value.trim(), channel: 'worker' };
      const point = pos ?? spot.point;
      if (point) Object.assign(body, point);
      submit.disabled = true;
      const key = outbox.newKey();
      try {
        await outbox.add({ key, kind: 'case', owner, body, photos: [...(photos.files ?? [])], after: closing ? after.files![0] : null });
        const sent = (await outbox.flush(owner)).find((x) => x.entry.key === key);
        if (sent) {
          done(sent.id, closing);
          return;
        }
        const left = (await outbox.pending(owner)).find((x) => x.key === key);
        if (left?.error) {
          // refused by the server: say why, and keep the form for a correction
          await outbox.remove(left.id!);
          clear(msg, h('p', { class: 'form-error', 'data-code': left.error }, errText(new ApiError(422, left.error, left.error))));
          return;
        }
        // no network: it waits in the outbox; the form is free for the next report
        form.reset();
        shots.reset();
        fixedShot.reset();
        afterField.hidden = true;
        picker?.set('');
        pos = null;
        spot.set(null);
        clear(msg, h('p', { class: 'form-ok', role: 'status', id: 'worker-queued' }, t('outbox.queued')));
      } catch (err) {
        clear(msg, h('p', { class: 'form-error', 'data-code': err instanceof ApiError ? err.code : '' }, errText(err)));
      } finally {
        submit.disabled = false;
      }
    },
  },
  h('div', { class: 'field' }, h('span', null, t('cases.filter.category')), picker ? picker.el : typed),
  h('label', { class: 'field' }, h('span', null, t('report.description')), desc),
  h('div', { class: 'field' }, h('span', null, t('report.location')), h('div', { class: 'row' }, locate, where), h('p', { class: 'muted' }, t('worker.tap_map'))),
  h('div', { class: 'field' }, h('span', null, t('worker.photos')), shots.el),
  h('label', { class: 'row' }, selfClose, t('worker.self_close')),
  afterField,
  msg, submit);
  return form;
}

export default page;
