// SPDX-License-Identifier: Apache-2.0
// The admin screens 系统管理 (issue 14, item 11): users, departments, categories and their
// time limits, devices and API keys, one tab each (the tab is in the URL), each a list with
// search and paging and a form checked before it is sent. Locking a user and revoking a
// key ask first; a temporary password or a key is shown once, in a dialog. Also the page
// where a user with a temporary password sets their own (/password).
import { ApiError, get, qs, request, savedUser, saveSession, token, type List } from '../api';
import { t, tk, type MessageKey } from '../i18n';
import type { Page } from '../main';
import { clear, empty, errText, failure, fmtTime, h, loading } from '../ui';

const PER_PAGE = 20;
const TABS = ['users', 'departments', 'categories', 'devices', 'apikeys'] as const;
type Tab = (typeof TABS)[number];
const ROLES = ['admin', 'operator', 'leader', 'street', 'community', 'grid_worker', 'department'];
const DEVICE_TYPES = ['camera', 'manhole', 'smoke', 'water_level', 'tracker'];

interface AdminUser { id: number; name: string; role: string; scope: string; dept: string; locked: boolean; must_change_password: boolean }
interface Dept { code: string; name: string; name_en: string }
interface Category { code: string; name: string; major_name: string; minor_name: string; department: string | null; limits_h: { general: number; engineering: number; special: number }; verify_min: number; urgency: string }
interface Device { id: string; type: string; category?: string | null; user?: string | null; lon?: number; lat?: number; created_at: string }
interface ApiKey { id: number; name: string; scope: string; created_at: string; revoked: boolean }

/** One labelled field of a form; `check` gives a message key when the value is wrong. */
interface Field {
  name: string;
  label: MessageKey;
  input: HTMLInputElement | HTMLSelectElement;
  check?: (v: string) => MessageKey | null;
}

function input(name: string, value = '', attrs: Record<string, string> = {}): HTMLInputElement {
  return h('input', { name, id: `f-${name}`, value, ...attrs });
}

function select(name: string, options: [string, string][], value = ''): HTMLSelectElement {
  const s = h('select', { name, id: `f-${name}` }, options.map(([v, label]) => h('option', { value: v }, label)));
  s.value = value;
  return s;
}

/** A check across fields, found when the form is sent: its message goes under field. */
class FieldError extends Error {
  constructor(public field: string, public key: MessageKey) {
    super(key);
  }
}

const required = (v: string): MessageKey | null => (v.trim() ? null : 'admin.v.required');

/**
 * A modal form: the fields, a message per field, and the server's refusal in the
 * user's language under the field it names. submit returns what to show next (or nothing).
 */
function formDialog(title: string, fields: Field[], submit: (v: Record<string, string>) => Promise<void>): void {
  const msgs = new Map<string, HTMLElement>();
  const general = h('p', { class: 'form-error', id: 'admin-form-error', role: 'alert' });
  const ok = h('button', { type: 'submit', class: 'btn btn-primary', id: 'admin-form-submit' }, t('admin.save'));
  const form = h('form', { class: 'admin-form', novalidate: true },
    fields.map((f) => {
      const m = h('span', { class: 'form-error field-error', 'data-field': f.name });
      msgs.set(f.name, m);
      return h('div', { class: 'field' }, h('label', { for: f.input.id }, t(f.label)), f.input, m);
    }),
    general,
    h('div', { class: 'row' }, ok, h('button', { type: 'button', class: 'btn', onclick: () => dlg.close() }, t('admin.cancel'))));
  const dlg = h('dialog', { class: 'admin-dialog', id: 'admin-dialog' }, h('h2', null, title), form);
  dlg.addEventListener('close', () => dlg.remove());
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    let bad = false;
    const v: Record<string, string> = {};
    for (const f of fields) {
      v[f.name] = f.input.value.trim();
      const why = f.check?.(v[f.name]) ?? null;
      msgs.get(f.name)!.textContent = why ? t(why) : '';
      bad ||= !!why;
    }
    general.textContent = '';
    if (bad) return;
    ok.disabled = true;
    try {
      await submit(v);
      dlg.close();
    } catch (err) {
      const field = err instanceof ApiError || err instanceof FieldError ? err.field : undefined;
      const m = field ? msgs.get(field) : undefined;
      (m ?? general).textContent = err instanceof FieldError ? t(err.key) : errText(err);
    } finally {
      ok.disabled = false;
    }
  });
  document.body.append(dlg);
  dlg.showModal();
  fields[0]?.input.focus();
}

/** Ask before a step that cannot be taken back by accident (lock, revoke). */
function confirmDialog(question: string, yes: string): Promise<boolean> {
  return new Promise((resolve) => {
    let answer = false;
    const dlg = h('dialog', { class: 'admin-dialog', id: 'admin-confirm', role: 'alertdialog' },
      h('p', null, question),
      h('div', { class: 'row' },
        h('button', { type: 'button', class: 'btn btn-danger', id: 'admin-confirm-yes', onclick: () => { answer = true; dlg.close(); } }, yes),
        h('button', { type: 'button', class: 'btn', id: 'admin-confirm-no', onclick: () => dlg.close() }, t('admin.cancel'))));
    dlg.addEventListener('close', () => { dlg.remove(); resolve(answer); });
    document.body.append(dlg);
    dlg.showModal();
  });
}

/** A secret the server shows once (temporary password, key). */
function secretDialog(title: string, secret: string): void {
  const dlg = h('dialog', { class: 'admin-dialog', id: 'admin-secret' },
    h('h2', null, title),
    h('p', { class: 'muted' }, t('admin.secret_once')),
    h('p', null, h('code', { id: 'secret-value', class: 'secret' }, secret)),
    h('div', { class: 'row' },
      h('button', { type: 'button', class: 'btn', onclick: () => void navigator.clipboard?.writeText(secret).catch(() => {}) }, t('admin.copy')),
      h('button', { type: 'button', class: 'btn btn-primary', id: 'admin-secret-close', onclick: () => dlg.close() }, t('common.close'))));
  dlg.addEventListener('close', () => dlg.remove());
  document.body.append(dlg);
  dlg.showModal();
}

/** Search box, add button, table and pager of one tab. */
interface ListView<T> {
  cols: MessageKey[];
  row: (x: T) => (Node | string)[];
  load: (q: string, page: number) => Promise<{ items: T[]; total: number }>;
  add?: () => void;
}

function listView<T>(root: HTMLElement, v: ListView<T>): () => Promise<void> {
  let page = 1;
  const search = h('input', { type: 'search', id: 'admin-search', placeholder: t('admin.search'), 'aria-label': t('admin.search') });
  const body = h('div', { class: 'admin-body' }, loading());
  const tools = h('div', { class: 'row admin-tools' }, search,
    v.add ? h('button', { type: 'button', class: 'btn btn-primary', id: 'admin-add', onclick: v.add }, t('admin.add')) : null);
  root.append(tools, body);
  const reload = async () => {
    try {
      const r = await v.load(search.value.trim(), page);
      if (!r.items.length) return clear(body, empty());
      const pages = Math.max(1, Math.ceil(r.total / PER_PAGE));
      const table = h('table', { class: 'table', id: 'admin-table' },
        h('thead', null, h('tr', null, v.cols.map((c) => h('th', null, t(c))))),
        h('tbody', null, r.items.map((x) => h('tr', null, v.row(x).map((c) => h('td', null, c))))));
      const pager = h('div', { class: 'pager', id: 'admin-pager' },
        h('button', { type: 'button', class: 'btn', disabled: page <= 1, onclick: () => { page--; void reload(); } }, t('admin.prev')),
        h('span', { id: 'admin-page' }, t('admin.page', { page, pages, total: r.total })),
        h('button', { type: 'button', class: 'btn', id: 'admin-next', disabled: page >= pages, onclick: () => { page++; void reload(); } }, t('admin.next')));
      clear(body, h('div', { class: 'table-wrap' }, table), pager);
    } catch (e) {
      clear(body, failure(e));
    }
  };
  let timer: number | undefined;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => { page = 1; void reload(); }, 250);
  });
  return reload;
}

/** A list the server sends whole, searched and paged here. */
function local<T>(items: T[], q: string, page: number, text: (x: T) => string): { items: T[]; total: number } {
  const hit = q ? items.filter((x) => text(x).toLowerCase().includes(q.toLowerCase())) : items;
  return { items: hit.slice((page - 1) * PER_PAGE, page * PER_PAGE), total: hit.length };
}

const btn = (label: string, cls: string, onclick: () => void, attrs: Record<string, string> = {}) =>
  h('button', { type: 'button', class: `btn btn-sm ${cls}`, onclick, ...attrs }, label);

async function depts(): Promise<Dept[]> {
  return (await get<List<Dept>>('/api/v1/departments')).items;
}

function deptOptions(list: Dept[], none: boolean): [string, string][] {
  return [...(none ? [['', t('common.none')] as [string, string]] : []), ...list.map((d) => [d.code, `${d.name} (${d.code})`] as [string, string])];
}

function users(root: HTMLElement): () => Promise<void> {
  let deptList: Dept[] = [];
  const scopeCheck = (v: string): MessageKey | null => (v && !/^\d{6}(\d{3}){0,5}$/.test(v) ? 'admin.v.scope' : null);
  const open = (u?: AdminUser) => {
    const f: Field[] = [
      ...(u ? [] : [{ name: 'name', label: 'admin.user.name' as MessageKey, input: input('name', '', { autocomplete: 'off' }), check: (v: string) => required(v) ?? (/[\s:]/.test(v) ? 'admin.v.name' : null) }]),
      { name: 'role', label: 'admin.user.role', input: select('role', ROLES.map((r) => [r, tk('role', r)]), u?.role ?? 'grid_worker') },
      { name: 'scope', label: 'admin.user.scope', input: input('scope', u?.scope ?? '', { inputmode: 'numeric', placeholder: '510105002' }), check: scopeCheck },
      { name: 'dept', label: 'admin.user.dept', input: select('dept', deptOptions(deptList, true), u?.dept ?? '') },
    ];
    formDialog(u ? t('admin.user.edit', { name: u.name }) : t('admin.user.add'), f, async (v) => {
      if (v.role === 'department' && !v.dept) throw new FieldError('dept', 'admin.v.required');
      if (u) {
        await request('PUT', `/api/v1/admin/users/${u.id}`, { role: v.role, scope: v.scope, dept: v.dept });
      } else {
        const r = await request<{ temporary_password?: string }>('POST', '/api/v1/admin/users', v);
        if (r.temporary_password) secretDialog(t('admin.user.temp', { name: v.name }), r.temporary_password);
      }
      await reload();
    });
  };
  const act = async (u: AdminUser, what: 'lock' | 'unlock' | 'reset') => {
    if (what !== 'unlock' && !(await confirmDialog(t(`admin.user.confirm_${what}` as MessageKey, { name: u.name }), t(`admin.user.${what}` as MessageKey)))) return;
    try {
      const r = await request<{ temporary_password?: string }>('POST', `/api/v1/admin/users/${u.id}/${what}`);
      if (r.temporary_password) secretDialog(t('admin.user.temp', { name: u.name }), r.temporary_password);
      await reload();
    } catch (e) {
      window.alert(errText(e));
    }
  };
  const reload = listView<AdminUser>(root, {
    cols: ['admin.user.name', 'admin.user.role', 'admin.user.scope', 'admin.user.dept', 'admin.user.state', 'admin.actions'],
    row: (u) => [
      u.name, tk('role', u.role), u.scope || t('admin.whole_tree'), u.dept || t('common.none'),
      h('span', { class: `tag ${u.locked ? 'tag-red' : ''}`, 'data-locked': String(u.locked) }, t(u.locked ? 'admin.user.locked' : u.must_change_password ? 'admin.user.must_change' : 'admin.user.active')),
      h('span', { class: 'row', 'data-user': u.name },
        btn(t('admin.edit'), '', () => open(u), { 'data-act': 'edit' }),
        u.locked ? btn(t('admin.user.unlock'), '', () => void act(u, 'unlock'), { 'data-act': 'unlock' })
          : btn(t('admin.user.lock'), 'btn-danger', () => void act(u, 'lock'), { 'data-act': 'lock' }),
        btn(t('admin.user.reset'), '', () => void act(u, 'reset'), { 'data-act': 'reset' })),
    ],
    load: async (q, page) => {
      if (!deptList.length) deptList = await depts();
      return get<List<AdminUser>>(`/api/v1/admin/users${qs({ q, page, per_page: PER_PAGE })}`);
    },
    add: () => open(),
  });
  return reload;
}

function departments(root: HTMLElement): () => Promise<void> {
  const open = (d?: Dept) => {
    const f: Field[] = [
      ...(d ? [] : [{ name: 'code', label: 'admin.dept.code' as MessageKey, input: input('code', '', { autocomplete: 'off' }), check: (v: string) => required(v) ?? (/^[A-Z0-9_]+$/.test(v) ? null : 'admin.v.code') }]),
      { name: 'name', label: 'admin.dept.name', input: input('name', d?.name ?? ''), check: required },
      { name: 'name_en', label: 'admin.dept.name_en', input: input('name_en', d?.name_en ?? '') },
    ];
    formDialog(d ? t('admin.dept.edit', { name: d.name }) : t('admin.dept.add'), f, async (v) => {
      if (d) await request('PUT', `/api/v1/admin/departments/${encodeURIComponent(d.code)}`, v);
      else await request('POST', '/api/v1/admin/departments', v);
      await reload();
    });
  };
  const reload = listView<Dept>(root, {
    cols: ['admin.dept.code', 'admin.dept.name', 'admin.dept.name_en', 'admin.actions'],
    row: (d) => [h('code', null, d.code), d.name, d.name_en, btn(t('admin.edit'), '', () => open(d), { 'data-act': 'edit', 'data-code': d.code })],
    load: async (q, page) => local(await depts(), q, page, (d) => `${d.code} ${d.name} ${d.name_en}`),
    add: () => open(),
  });
  return reload;
}

function categories(root: HTMLElement): () => Promise<void> {
  let deptList: Dept[] = [];
  const hours = (v: string): MessageKey | null => (/^\d+$/.test(v) && +v >= 1 && +v <= 100000 ? null : 'admin.v.hours');
  const open = (c: Category) => {
    const f: Field[] = [
      { name: 'limit_general_h', label: 'admin.cat.general', input: input('limit_general_h', String(c.limits_h.general), { inputmode: 'numeric' }), check: hours },
      { name: 'limit_engineering_h', label: 'admin.cat.engineering', input: input('limit_engineering_h', String(c.limits_h.engineering), { inputmode: 'numeric' }), check: hours },
      { name: 'limit_special_h', label: 'admin.cat.special', input: input('limit_special_h', String(c.limits_h.special), { inputmode: 'numeric' }), check: hours },
      { name: 'verify_min', label: 'admin.cat.verify', input: input('verify_min', String(c.verify_min), { inputmode: 'numeric' }), check: hours },
      { name: 'urgency', label: 'admin.cat.urgency', input: select('urgency', ['normal', 'urgent', 'emergency'].map((u) => [u, tk('admin.urgency', u)]), c.urgency) },
      { name: 'department', label: 'admin.cat.department', input: select('department', deptOptions(deptList, false), c.department ?? '') },
    ];
    formDialog(t('admin.cat.edit', { name: c.name }), f, async (v) => {
      const n = (k: string) => Number(v[k]);
      if (n('limit_general_h') > n('limit_engineering_h') || n('limit_engineering_h') > n('limit_special_h'))
        throw new FieldError('limit_general_h', 'admin.v.order');
      await request('PUT', `/api/v1/categories/${encodeURIComponent(c.code)}`, {
        limit_general_h: n('limit_general_h'), limit_engineering_h: n('limit_engineering_h'), limit_special_h: n('limit_special_h'),
        verify_min: n('verify_min'), urgency: v.urgency, ...(v.department ? { department: v.department } : {}),
      });
      await reload();
    });
  };
  const reload = listView<Category>(root, {
    cols: ['admin.cat.code', 'admin.cat.name', 'admin.cat.limits', 'admin.cat.department', 'admin.actions'],
    row: (c) => [h('code', null, c.code), `${c.major_name} › ${c.minor_name} › ${c.name}`,
      h('span', { 'data-limits': c.code }, `${c.limits_h.general} / ${c.limits_h.engineering} / ${c.limits_h.special} h`),
      deptList.find((d) => d.code === c.department)?.name ?? c.department ?? t('common.none'),
      btn(t('admin.edit'), '', () => open(c), { 'data-act': 'edit', 'data-code': c.code })],
    load: async (q, page) => {
      if (!deptList.length) deptList = await depts();
      const all = (await get<List<Category>>('/api/v1/categories')).items;
      return local(all, q, page, (c) => `${c.code} ${c.major_name} ${c.minor_name} ${c.name}`);
    },
  });
  return reload;
}

function devices(root: HTMLElement): () => Promise<void> {
  const open = () => {
    const type = select('type', DEVICE_TYPES.map((d) => [d, tk('admin.device.type', d)]), 'camera');
    const tracker = () => type.value === 'tracker';
    const num = (lo: number, hi: number) => (v: string): MessageKey | null =>
      tracker() ? null : v && Number.isFinite(+v) && +v >= lo && +v <= hi ? null : 'admin.v.point';
    const f: Field[] = [
      { name: 'id', label: 'admin.device.id', input: input('id', '', { autocomplete: 'off' }), check: required },
      { name: 'type', label: 'admin.device.type', input: type },
      { name: 'category', label: 'admin.device.category', input: input('category', '', { placeholder: 'C0101' }), check: (v) => (tracker() ? null : required(v)) },
      { name: 'lon', label: 'admin.device.lon', input: input('lon', '', { inputmode: 'decimal' }), check: num(-180, 180) },
      { name: 'lat', label: 'admin.device.lat', input: input('lat', '', { inputmode: 'decimal' }), check: num(-90, 90) },
      { name: 'user', label: 'admin.device.user', input: input('user', ''), check: (v) => (tracker() ? required(v) : null) },
    ];
    formDialog(t('admin.device.add'), f, async (v) => {
      const body = tracker() ? { id: v.id, type: v.type, user: v.user }
        : { id: v.id, type: v.type, category: v.category, lon: Number(v.lon), lat: Number(v.lat) };
      const r = await request<{ key: string }>('POST', '/api/v1/admin/devices', body);
      secretDialog(t('admin.device.key', { id: v.id }), r.key);
      await reload();
    });
  };
  const reload = listView<Device>(root, {
    cols: ['admin.device.id', 'admin.device.type', 'admin.device.category', 'admin.device.where', 'admin.device.created'],
    row: (d) => [h('code', null, d.id), tk('admin.device.type', d.type), d.category ?? t('common.none'),
      d.user ? t('admin.device.carried', { user: d.user }) : d.lon !== undefined ? `${d.lon?.toFixed(5)}, ${d.lat?.toFixed(5)}` : t('common.none'),
      fmtTime(d.created_at)],
    load: async (q, page) => local((await get<List<Device>>('/api/v1/admin/devices')).items, q, page, (d) => `${d.id} ${d.type} ${d.category ?? ''} ${d.user ?? ''}`),
    add: open,
  });
  return reload;
}

function apikeys(root: HTMLElement): () => Promise<void> {
  const open = () => {
    const f: Field[] = [
      { name: 'name', label: 'admin.key.name', input: input('name', '', { autocomplete: 'off' }), check: required },
      { name: 'scope', label: 'admin.key.scope', input: input('scope', '', { inputmode: 'numeric', placeholder: '510105' }), check: (v) => (v && !/^\d{6}(\d{3}){0,5}$/.test(v) ? 'admin.v.scope' : null) },
    ];
    formDialog(t('admin.key.add'), f, async (v) => {
      const r = await request<{ key: string }>('POST', '/api/v1/admin/apikeys', v);
      secretDialog(t('admin.key.shown', { name: v.name }), r.key);
      await reload();
    });
  };
  const revoke = async (k: ApiKey) => {
    if (!(await confirmDialog(t('admin.key.confirm_revoke', { name: k.name }), t('admin.key.revoke')))) return;
    try {
      await request('POST', `/api/v1/admin/apikeys/${k.id}/revoke`);
      await reload();
    } catch (e) {
      window.alert(errText(e));
    }
  };
  const reload = listView<ApiKey>(root, {
    cols: ['admin.key.name', 'admin.key.scope', 'admin.device.created', 'admin.user.state', 'admin.actions'],
    row: (k) => [k.name, k.scope || t('admin.whole_tree'), fmtTime(k.created_at),
      h('span', { class: `tag ${k.revoked ? 'tag-red' : ''}`, 'data-revoked': String(k.revoked) }, t(k.revoked ? 'admin.key.revoked' : 'admin.key.live')),
      k.revoked ? '' : btn(t('admin.key.revoke'), 'btn-danger', () => void revoke(k), { 'data-act': 'revoke', 'data-key': k.name })],
    load: async (q, page) => local((await get<List<ApiKey>>('/api/v1/admin/apikeys')).items, q, page, (k) => `${k.name} ${k.scope}`),
    add: open,
  });
  return reload;
}

const VIEWS: Record<Tab, (root: HTMLElement) => () => Promise<void>> = { users, departments, categories, devices, apikeys };

const page: Page = async (root, ctx) => {
  const tab = (TABS as readonly string[]).includes(ctx.query.get('tab') ?? '') ? (ctx.query.get('tab') as Tab) : 'users';
  const tabs = h('nav', { class: 'tabs admin-tabs', role: 'tablist' }, TABS.map((x) => h('a', {
    href: `/admin?tab=${x}`, role: 'tab', 'data-tab': x, class: x === tab ? 'active' : undefined, 'aria-selected': String(x === tab),
    onclick: (e: Event) => { e.preventDefault(); ctx.go(`/admin?tab=${x}`); },
  }, t(`admin.tab.${x}` as MessageKey))));
  const body = h('section', { class: 'admin-tab', id: `admin-${tab}` });
  root.append(h('div', { class: 'page-head' }, h('h1', null, t('admin.title'))), tabs, body);
  if (ctx.user?.role !== 'admin') return clear(body, failure(new ApiError(403, 'forbidden', '')));
  await VIEWS[tab](body)();
};

/** A temporary password is replaced by the user's own before anything else. */
export const password: Page = (root, ctx) => {
  const f = (name: string, label: MessageKey) => {
    const i = h('input', { id: `pw-${name}`, name, type: 'password', autocomplete: name === 'old' ? 'current-password' : 'new-password' });
    return { i, el: h('div', { class: 'field' }, h('label', { for: i.id }, t(label)), i) };
  };
  const old = f('old', 'admin.pw.old'), nw = f('new', 'admin.pw.new'), again = f('again', 'admin.pw.again');
  const msg = h('p', { class: 'form-error', id: 'pw-error', role: 'alert' });
  const form = h('form', { class: 'admin-form', novalidate: true }, old.el, nw.el, again.el, msg,
    h('button', { type: 'submit', class: 'btn btn-primary', id: 'pw-submit' }, t('admin.pw.submit')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msg.textContent = '';
    if (!old.i.value || nw.i.value.length < 8) return void (msg.textContent = t('admin.v.password'));
    if (nw.i.value !== again.i.value) return void (msg.textContent = t('admin.v.again'));
    try {
      await request('POST', '/api/v1/session/password', { old_password: old.i.value, new_password: nw.i.value });
      const me = savedUser(), tok = token();
      if (me && tok) saveSession(tok, { ...me, must_change_password: false });
      ctx.go('/');
    } catch (err) {
      msg.textContent = errText(err);
    }
  });
  root.append(h('div', { class: 'page-head' }, h('h1', null, t('admin.pw.title'))), h('p', { class: 'muted' }, t('admin.pw.why')), form);
};

export default page;
