// SPDX-License-Identifier: Apache-2.0
// A tiny DOM builder (text goes through textContent, never innerHTML) and the shared
// loading / empty / error states.
import { localDateTime } from './clock';
import { ApiError, blobUrl } from './api';
import { currentLang, t, type MessageKey } from './i18n';

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | EventListener | undefined | null>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener);
    else if (k === 'class') el.className = String(v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

export function clear(el: Element, ...children: (Child | Child[])[]): void {
  el.replaceChildren();
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
}

export function loading(): HTMLElement {
  return h('div', { class: 'state state-loading', role: 'status' }, t('state.loading'));
}

export function empty(key: MessageKey = 'state.empty'): HTMLElement {
  return h('div', { class: 'state state-empty', 'data-state': 'empty' }, t(key));
}

const has = (key: string): key is MessageKey => t(key as MessageKey) !== key;

/**
 * A failed request in the user's language. The server answers a stable code (err.h's
 * list) and, for a bad field, its name: the text comes from the catalogue by code, or by
 * code and field where one case deserves its own words (err.<code>.<field>), with the
 * field's label. The server's own (English) message is kept for the tooltip; English
 * users see it after the catalogue's text.
 */
export function errText(e: unknown): string {
  if (!(e instanceof ApiError)) return t('state.error', { message: e instanceof Error ? e.message : String(e) });
  let s: string;
  const specific = e.field ? `err.${e.code}.${e.field}` : '';
  if (e.status === 0) s = t('err.network');
  else if (specific && has(specific)) s = t(specific);
  else if (has(`err.${e.code}`)) {
    const problem = t(`err.${e.code}` as MessageKey);
    s = e.field ? t('err.with_field', { problem, field: has(`field.${e.field}`) ? t(`field.${e.field}` as MessageKey) : e.field }) : problem;
  } else s = t('err.unknown', { status: e.status });
  if (e.retryAfter) s += t('err.retry_after', { seconds: e.retryAfter });
  if (currentLang() === 'en' && e.message && e.status !== 0 && !s.includes(e.message)) s += ` (${e.message})`;
  return s;
}

/** The state to show for a failed request: "no data" only when the endpoint is not there. */
export function failure(e: unknown): HTMLElement {
  if (e instanceof ApiError) {
    if (e.missing) return h('div', { class: 'state state-empty', 'data-state': 'unavailable' }, t('state.unavailable'));
    const state = e.status === 403 ? 'forbidden' : e.status === 404 ? 'not-found' : 'error';
    return h('div', { class: 'state state-error', 'data-state': state, 'data-code': e.code, title: e.message }, errText(e));
  }
  return h('div', { class: 'state state-error', 'data-state': 'error' }, errText(e));
}

export function panel(title: string, body: Node, extra?: Node): HTMLElement {
  return h('section', { class: 'panel' }, h('header', { class: 'panel-head' }, h('h2', null, title), extra), h('div', { class: 'panel-body' }, body));
}

/**
 * A photo's thumbnail, fetched with the session's token; a click shows the full photo in
 * a dialog. Object URLs are dropped when the dialog closes or the page is left.
 */
export function photo(thumbUrl: string, fullUrl: string, alt: string): HTMLElement {
  const img = h('img', { alt, loading: 'lazy', class: 'thumb' });
  void blobUrl(thumbUrl).then((u) => { img.src = u; }, () => img.classList.add('broken'));
  const open = async () => {
    const full = h('img', { alt, class: 'full' });
    const close = h('button', { type: 'button', class: 'btn', onclick: () => dlg.close() }, t('cases.photo_close'));
    const dlg = h('dialog', { class: 'lightbox' }, full, h('div', null, close));
    dlg.addEventListener('close', () => { URL.revokeObjectURL(full.src); dlg.remove(); });
    document.body.append(dlg);
    dlg.showModal();
    try {
      full.src = await blobUrl(fullUrl);
    } catch (e) {
      full.replaceWith(failure(e));
    }
  };
  return h('button', { type: 'button', class: 'photo', title: t('cases.photo_open'), onclick: () => void open() }, img);
}

/**
 * A photo picker: the phone's camera or its gallery. The native file input's own text is
 * in the browser's language, not ours, so it hides behind a labelled button and what was
 * chosen is said in the catalogue's words.
 */
export function photoPicker(name: string, multiple: boolean, id?: string): { el: HTMLElement; input: HTMLInputElement; reset: () => void } {
  const input = h('input', { type: 'file', name, id, class: 'visually-hidden', accept: 'image/jpeg,image/png', multiple, capture: 'environment' });
  const chosen = h('span', { class: 'muted', id: id ? `${id}-count` : undefined }, t('report.no_photo'));
  const say = () => {
    const n = input.files?.length ?? 0;
    chosen.textContent = n ? t('report.photos_chosen', { n }) : t('report.no_photo');
  };
  input.addEventListener('change', say);
  return {
    el: h('div', { class: 'row' }, h('label', { class: 'btn' }, t('report.pick_photo'), input), chosen),
    input,
    reset: () => { input.value = ''; say(); },
  };
}

export function fmtNum(n: unknown): string {
  return typeof n === 'number' && Number.isFinite(n) ? n.toLocaleString() : t('common.none');
}

export function fmtPct(n: unknown): string {
  if (typeof n !== 'number' || !Number.isFinite(n)) return t('common.none');
  const v = n <= 1 ? n * 100 : n;
  return v.toFixed(1) + '%';
}

/** A time as the platform's wall clock ("2026-12-08 01:30", China Standard Time). */
export function fmtTime(at: unknown): string {
  if (typeof at === 'number') return localDateTime(at);
  if (typeof at !== 'string' || !at) return t('common.none');
  const ms = new Date(at).getTime();
  return Number.isNaN(ms) ? at : localDateTime(ms);
}
