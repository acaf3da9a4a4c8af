// SPDX-License-Identifier: Apache-2.0
// The grid worker's phone page: my grid (from the grid tree), my tasks with their
// deadlines (the open cases of the grid: the server limits the list to the worker's
// scope), and a report form that files a case with photos and the phone's GPS position
// (channel "worker"), optionally closing it on the spot 自处置 with an after photo.
import { ApiError, get, post, upload, type Grid, type List } from '../api';
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
  const catsP = get<List<Category>>('/api/v1/categories')
    .then((c) => c.items, () => null);
  void catsP.then((cats) => reportBox.append(reportForm(cats, (id, closed) => ctx.go(`/worker?${closed ? 'closed' : 'reported'}=${encodeURIComponent(id)}`, true))));
  const sent = ctx.query.get('reported') ?? ctx.query.get('closed');
  if (sent) reportBox.append(h('p', { class: 'form-ok', role: 'status', id: 'worker-sent' }, t(ctx.query.has('closed') ? 'worker.closed' : 'worker.sent', { id: sent })));

  const [g, cases] = await Promise.allSettled([
    get<Grid>(`/api/v1/grids/${encodeURIComponent(scope)}`),
    // my tasks: what is still open in my grid (the latest 100), earliest deadline first
    get<List<Case>>('/api/v1/cases?open=true&per_page=100'),
  ]);
  const mapBox = h('div', { class: 'chart chart-small', id: 'worker-map' });
  gridBox.after(mapBox);
  const dispose = await drawMyGrid(mapBox, scope);
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

/** My grid's outline (and what lies beneath it) from /api/v1/grids.geojson, drawn with ECharts. */
async function drawMyGrid(box: HTMLElement, scope: string): Promise<(() => void) | undefined> {
  try {
    const fc = await get<{ type: string; features: { properties: { code: string; name: string } }[] }>(`/api/v1/grids.geojson?under=${encodeURIComponent(scope)}`);
    if (!fc.features?.length) {
      box.append(empty());
      return undefined;
    }
    const { echarts } = await import('../charts');
    echarts.registerMap('gridgov-mine', fc as never);
    const c = echarts.init(box);
    c.setOption({
      tooltip: { trigger: 'item', formatter: (p: { data?: { label: string } }) => p.data?.label ?? '' },
      series: [{ type: 'map', map: 'gridgov-mine', nameProperty: 'code', roam: true,
        data: fc.features.map((f) => ({ name: f.properties.code, label: f.properties.name })),
        itemStyle: { areaColor: '#dbe8ff', borderColor: '#0b3d91' }, label: { show: false } }],
    });
    return () => c.dispose();
  } catch (e) {
    box.append(failure(e));
    return undefined;
  }
}

/**
 * Report a problem from the street: category, description, photos, GPS (else the first
 * photo's position); optionally closed on the spot 自处置 with an after photo, the report's
 * first photo being the before one.
 */
function reportForm(cats: Category[] | null, done: (id: string, closed: boolean) => void): HTMLElement {
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
        where.textContent = t('report.located', { lon: pos.lon.toFixed(6), lat: pos.lat.toFixed(6) });
      }, (e) => { where.textContent = t('report.no_location', { message: e.message }); }, { enableHighAccuracy: true, timeout: 15000 });
    },
  }, t('report.locate'));
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('report.submit'));
  return h('form', {
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
      if (pos) Object.assign(body, pos);
      submit.disabled = true;
      try {
        // Photos first: the report names them, and the first one's GPS places a report
        // made without the phone's position.
        const shot = photos.files?.length ? await upload([...photos.files]) : [];
        const fixed = closing ? await upload([after.files![0]]) : [];
        if (shot.length) body.photos = shot.map((m) => m.sha256);
        if (!pos && shot[0]?.gps) Object.assign(body, shot[0].gps);
        const c = await post<{ id: string | number }>('/api/v1/cases', body);
        if (closing) {
          await post(`/api/v1/cases/${encodeURIComponent(String(c.id))}/actions`,
            { action: 'self_close', note: desc.value.trim(), attachments: [shot[0].sha256, fixed[0].sha256] });
        }
        done(String(c.id), closing);
      } catch (err) {
        clear(msg, err instanceof ApiError && err.missing ? h('p', { class: 'form-error', 'data-state': 'unavailable' }, t('state.unavailable')) : h('p', { class: 'form-error', 'data-code': err instanceof ApiError ? err.code : '' }, errText(err)));
        submit.disabled = false;
      }
    },
  },
  h('div', { class: 'field' }, h('span', null, t('cases.filter.category')), picker ? picker.el : typed),
  h('label', { class: 'field' }, h('span', null, t('report.description')), desc),
  h('div', { class: 'field' }, h('span', null, t('report.location')), h('div', { class: 'row' }, locate, where)),
  h('div', { class: 'field' }, h('span', null, t('worker.photos')), shots.el),
  h('label', { class: 'row' }, selfClose, t('worker.self_close')),
  afterField,
  msg, submit);
}

export default page;
