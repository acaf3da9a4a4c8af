// SPDX-License-Identifier: Apache-2.0
// 坐席录入: the center's operator types in a caller's report — caller and phone (kept
// sealed, answered with a tracking code for the caller), channel, address, a point on the
// map (a click, or a grid found by name), the category from the shared picker, the
// description and photos — and sees the likely duplicates before saving
// (GET /api/v1/cases/duplicates), and again in the answer of POST /api/v1/cases.
import { get, post, qs, upload, type List } from '../api';
import { categoryPicker, categoryPath, type Category } from '../catpicker';
import { t, tk } from '../i18n';
import type { Page } from '../main';
import { clear, empty, errText, failure, fmtTime, h, loading, photoPicker } from '../ui';
import { lightDot, type Case } from './cases';

type Feature = { properties: { code: string; name: string } };
type FeatureCollection = { type: string; features: Feature[] };
type Located = { code: string; name: string; level?: string };

const CHANNELS = ['operator', 'hotline'];

const entry: Page = async (root, ctx) => {
  const body = h('div', null, loading());
  root.append(h('div', { class: 'page-head' }, h('h1', null, t('entry.title'))), body);
  const cats = await get<List<Category>>('/api/v1/categories').then((r) => r.items).catch((e: unknown) => e);
  if (!Array.isArray(cats)) {
    clear(body, failure(cats));
    return;
  }
  const scope = ctx.user?.scope ?? '';
  const field = (label: string, el: HTMLElement, id?: string) => h('label', { class: 'field', id }, h('span', null, label), el);
  const caller = h('input', { id: 'e-caller', name: 'caller', maxlength: 20, autocomplete: 'off' });
  const phone = h('input', { id: 'e-phone', name: 'caller_phone', type: 'tel', inputmode: 'tel', maxlength: 20, autocomplete: 'off' });
  const channel = h('select', { id: 'e-channel', name: 'channel' }, CHANNELS.map((c) => h('option', { value: c }, tk('channel', c))));
  const address = h('input', { id: 'e-address', name: 'address', maxlength: 200 });
  const desc = h('textarea', { id: 'e-description', name: 'description', rows: 3, maxlength: 2000 });
  const picker = categoryPicker(cats, 'e-category');
  const photos = photoPicker('photos', true, 'e-photos');
  const where = h('p', { class: 'muted', id: 'e-where' }, t('entry.no_place'));
  const gridSearch = h('input', { type: 'search', id: 'e-grid-search', list: 'e-grid-list', placeholder: t('entry.place_search'), autocomplete: 'off' });
  const gridList = h('datalist', { id: 'e-grid-list' });
  const mapBox = h('div', { class: 'chart chart-small', id: 'e-map' });
  const dups = h('div', { id: 'e-dups' }, h('p', { class: 'muted' }, t('entry.no_duplicates')));
  const msg = h('p', { class: 'form-error', role: 'alert', id: 'e-msg' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'e-save' }, t('entry.save'));
  const form = h('form', { class: 'entry-form', id: 'entry-form', novalidate: true },
    h('div', { class: 'entry-grid' },
      h('section', { class: 'panel' },
        h('div', { class: 'row-fields' }, field(t('entry.caller'), caller), field(t('entry.phone'), phone)),
        h('p', { class: 'muted small' }, t('entry.phone_hint')),
        field(t('entry.channel'), channel),
        h('div', { class: 'field' }, h('span', null, t('cases.filter.category')), picker.el),
        field(t('entry.description'), desc),
        h('div', { class: 'field' }, h('span', null, t('entry.photos')), photos.el)),
      h('section', { class: 'panel' },
        field(t('entry.address'), address),
        h('div', { class: 'field' }, h('span', null, t('entry.place')), gridSearch, gridList),
        where, mapBox,
        h('h2', null, t('entry.duplicates')), dups)),
    msg, submit);
  clear(body, form);

  // the place: a point (lon, lat) from a click, or a grid chosen by name
  let point: { lon: number; lat: number } | null = null;
  let grid: Located | null = null;
  let features: Feature[] = [];
  let chart: { setOption: (o: unknown) => void; dispatchAction: (a: { type: string; geoIndex?: number; name?: string }) => void } | null = null;

  const showPlace = () => {
    const parts: string[] = [];
    if (point) parts.push(t('entry.point', { lon: point.lon.toFixed(6), lat: point.lat.toFixed(6) }));
    if (grid) parts.push(t('entry.grid_chosen', { name: grid.name }));
    where.textContent = parts.length ? parts.join(' · ') : t('entry.no_place');
    where.dataset.grid = grid?.code ?? '';
    // the pin is the only series; the grid (or the basic grid above a micro-grid) is the
    // geo's selected region — the geo itself is not set again, which would re-lay it out
    chart?.setOption({
      series: [{ type: 'scatter', coordinateSystem: 'geo', symbol: 'pin', symbolSize: 30, data: point ? [[point.lon, point.lat]] : [], itemStyle: { color: '#d64545' } }],
    });
    const region = grid ? features.find((f) => grid!.code.startsWith(f.properties.code))?.properties.code : undefined;
    chart?.dispatchAction(region ? { type: 'geoSelect', geoIndex: 0, name: region } : { type: 'geoUnSelect', geoIndex: 0 });
  };

  let dupSeq = 0;
  const lookDuplicates = async () => {
    const seq = ++dupSeq;
    const cat = picker.value();
    if (!cat || !point) {
      clear(dups, h('p', { class: 'muted' }, t('entry.no_duplicates')));
      return;
    }
    try {
      const r = await get<List<Case & { distance_m: number }>>('/api/v1/cases/duplicates' + qs({ category: cat, lon: point.lon, lat: point.lat }));
      if (seq !== dupSeq) return;
      clear(dups, r.items.length ? dupList(r.items, cats) : h('p', { class: 'muted', 'data-state': 'none' }, t('entry.no_duplicates')));
    } catch (e) {
      if (seq === dupSeq) clear(dups, failure(e));
    }
  };
  picker.onChange(() => void lookDuplicates());

  const locate = async (lon: number, lat: number) => {
    point = { lon, lat };
    try {
      const g = await get<Located>('/api/v1/grids/locate' + qs({ lon, lat }));
      grid = { code: g.code, name: g.name };
    } catch (e) {
      grid = null;
      msg.textContent = errText(e);
    }
    showPlace();
    void lookDuplicates();
  };

  gridSearch.addEventListener('change', () => {
    const v = gridSearch.value.trim();
    const f = features.find((x) => x.properties.name === v || x.properties.code === v)
      ?? features.find((x) => x.properties.name.includes(v));
    if (!f) return;
    grid = { code: f.properties.code, name: f.properties.name };
    point = null;
    msg.textContent = '';
    showPlace();
    void lookDuplicates();
  });

  // the map of the operator's area at the finest level it has
  let dispose: (() => void) | undefined;
  try {
    let fc: FeatureCollection = { type: 'FeatureCollection', features: [] };
    for (const level of ['grid', 'community', 'street']) {
      fc = await get<FeatureCollection>('/api/v1/grids.geojson' + qs({ under: scope, level }));
      if (fc.features?.length) break;
    }
    features = fc.features ?? [];
    gridList.replaceChildren(...features.map((f) => h('option', { value: f.properties.name }, f.properties.code)));
    if (!features.length) clear(mapBox, empty());
    else {
      const { echarts } = await import('../charts');
      echarts.registerMap('gridgov-entry', fc as never);
      const c = echarts.init(mapBox);
      chart = c;
      const label = new Map(features.map((f) => [f.properties.code, f.properties.name]));
      c.setOption({
        tooltip: { trigger: 'item', confine: true },
        geo: { map: 'gridgov-entry', nameProperty: 'code', roam: true, label: { show: false }, selectedMode: 'single',
          select: { itemStyle: { areaColor: '#ffe08a' }, label: { show: false } },
          tooltip: { show: true, formatter: (p: { name?: string }) => label.get(p.name ?? '') ?? '' },
          itemStyle: { areaColor: '#dbe8ff', borderColor: '#0b3d91', borderWidth: 0.5 } },
        series: [],
      });
      // a click anywhere on the map is a point, converted from pixels to lon/lat
      c.getZr().on('click', (e: { offsetX: number; offsetY: number }) => {
        const p = c.convertFromPixel('geo', [e.offsetX, e.offsetY]) as number[] | undefined;
        if (p && Number.isFinite(p[0]) && Number.isFinite(p[1])) {
          msg.textContent = '';
          void locate(p[0], p[1]);
        }
      });
      mapBox.dataset.ready = '1';
      const resize = () => c.resize();
      window.addEventListener('resize', resize);
      dispose = () => { window.removeEventListener('resize', resize); c.dispose(); };
    }
  } catch (e) {
    clear(mapBox, failure(e));
  }
  // tests and keyboard users: a point typed as "lon,lat" in the search box
  gridSearch.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const m = /^\s*(-?\d+(?:\.\d+)?)\s*[,，]\s*(-?\d+(?:\.\d+)?)\s*$/.exec(gridSearch.value);
    if (m) void locate(Number(m[1]), Number(m[2]));
    else gridSearch.dispatchEvent(new Event('change'));
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msg.textContent = '';
    if (!picker.value()) {
      msg.textContent = t('picker.required');
      return;
    }
    if (!desc.value.trim()) {
      msg.textContent = t('entry.need_description');
      return;
    }
    if (!point && !grid) {
      msg.textContent = t('entry.no_place');
      return;
    }
    const req: Record<string, unknown> = { category: picker.value(), description: desc.value.trim(), channel: channel.value };
    if (caller.value.trim()) req.caller = caller.value.trim();
    if (phone.value.trim()) req.caller_phone = phone.value.trim();
    if (address.value.trim()) req.address = address.value.trim();
    if (point) {
      req.lon = point.lon;
      req.lat = point.lat;
    } else if (grid) req.grid = grid.code;
    submit.disabled = true;
    submit.textContent = t('entry.saving');
    try {
      const files = [...(photos.input.files ?? [])];
      if (files.length) req.photos = (await upload(files)).map((m) => m.sha256);
      const c = await post<Case & { tracking_code?: string; duplicates?: number[] }>('/api/v1/cases', req);
      dispose?.();
      dispose = undefined;
      clear(body, h('section', { class: 'panel', id: 'entry-saved', 'data-id': String(c.id) },
        h('h2', null, t('entry.saved', { id: c.id })),
        c.tracking_code ? h('p', null, t('report.thanks'), ' ', h('strong', { class: 'code', id: 'entry-code' }, c.tracking_code)) : null,
        c.duplicates?.length ? h('p', { class: 'late' }, t('entry.duplicates'), ': ', c.duplicates.join(', ')) : null,
        h('div', { class: 'row' },
          h('button', { type: 'button', class: 'btn btn-primary', id: 'entry-open', onclick: () => ctx.go(`/cases/${c.id}`) }, t('entry.open_case')),
          h('button', { type: 'button', class: 'btn', id: 'entry-another', onclick: () => ctx.go('/entry', true) }, t('entry.another')))));
    } catch (err) {
      msg.textContent = errText(err);
      msg.dataset.code = err instanceof Error && 'code' in err ? String((err as { code: string }).code) : '';
      submit.disabled = false;
      submit.textContent = t('entry.save');
    }
  });
  return () => dispose?.();
};

/** The likely duplicates: each case's number, category, state, light and distance. */
function dupList(items: (Case & { distance_m: number })[], cats: Category[]): HTMLElement {
  const byCode = new Map(cats.map((c) => [c.code, c]));
  return h('ul', { class: 'dup-list' }, items.map((c) => {
    const cat = byCode.get(c.category ?? '');
    return h('li', { 'data-id': String(c.id) },
      h('a', { href: `/cases/${c.id}`, target: '_blank', rel: 'noopener' }, `#${c.id}`), ' ',
      cat ? categoryPath(cat) : c.category ?? '', ' · ', tk('case_state', c.state), ' ', lightDot(c.light), ' · ',
      t('entry.distance', { m: c.distance_m }), ' · ', fmtTime(c.created_at), c.address ? ` · ${c.address}` : '');
  }));
}

export default entry;
