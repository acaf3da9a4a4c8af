// SPDX-License-Identifier: Apache-2.0
// The app shell: a history-API router, the top bar (navigation for the user's role,
// language switch, sign-out) and the role's landing screen after login.
import { syncClock } from './clock';
import './style.css';
import { clearSession, savedUser, setUnauthorizedHandler, token, logout, type User } from './api';
import { currentLang, setLang, t, tk, type MessageKey } from './i18n';
import { h, clear } from './ui';
import { onLive, stopLive } from './live';

export interface Ctx {
  user: User | null;
  params: Record<string, string>;
  query: URLSearchParams;
  go: (path: string, replace?: boolean) => void;
}
/** A page renders into root and may return a cleanup (timers, charts). */
export type Page = (root: HTMLElement, ctx: Ctx) => void | (() => void) | Promise<void | (() => void)>;

interface Route {
  pattern: RegExp;
  keys: string[];
  public?: boolean;
  bare?: boolean;
  load: () => Promise<Page>;
}

function route(path: string, load: () => Promise<Page>, opts: { public?: boolean; bare?: boolean } = {}): Route {
  const keys: string[] = [];
  const src = path.replace(/:(\w+)/g, (_, k: string) => {
    keys.push(k);
    return '([^/]+)';
  });
  return { pattern: new RegExp(`^${src}/?$`), keys, load, ...opts };
}

const routes: Route[] = [
  route('/login', async () => (await import('./pages/login')).default, { public: true, bare: true }),
  route('/report', async () => (await import('./pages/report')).default, { public: true }),
  route('/command', async () => (await import('./pages/command')).default),
  route('/grids', async () => (await import('./pages/grids')).default),
  route('/cases', async () => (await import('./pages/cases')).default),
  route('/cases/:id', async () => (await import('./pages/cases')).detail),
  route('/worker', async () => (await import('./pages/worker')).default),
  route('/tasks', async () => (await import('./pages/cases')).tasks),
  route('/queue', async () => (await import('./pages/cases')).queue),
  route('/entry', async () => (await import('./pages/entry')).default),
  // the case printed as its 派遣单/案卷 (issue 14, item 5): bare, for paper
  route('/cases/:id/print', async () => (await import('./pages/print')).default, { bare: true }),
  // issue 14, items 9 and 10: the grid profile, the wall screen (a kiosk code needs no login), its admin
  route('/grid/:code', async () => (await import('./pages/profile')).default),
  route('/wall', async () => (await import('./pages/wall')).default, { public: true, bare: true }),
  route('/screens', async () => (await import('./pages/screens')).default),
  /* administration (issue 14, item 11) */
  route('/admin', async () => (await import('./pages/admin')).default),
  route('/password', async () => (await import('./pages/admin')).password),
  // assessment 考核 (issue 16)
  route('/rankings', async () => (await import('./pages/rankings')).default),
  route('/analysis', async () => (await import('./pages/rankings')).analysis),
];

/** Where each role lands, and what its navigation offers. */
const HOME: Record<string, string> = {
  operator: '/command',
  leader: '/command',
  street: '/queue',
  community: '/queue',
  grid_worker: '/worker',
  department: '/queue',
  admin: '/grids',
};
const NAV: Record<string, [string, MessageKey][]> = {
  operator: [['/command', 'nav.command'], ['/wall', 'nav.wall'], ['/queue', 'queue.title'], ['/entry', 'nav.entry'], ['/cases', 'nav.cases'], ['/grids', 'nav.grids']],
  leader: [['/command', 'nav.command'], ['/wall', 'nav.wall'], ['/queue', 'queue.title'], ['/cases', 'nav.cases'], ['/grids', 'nav.grids'], ['/rankings', 'rk.title']],
  street: [['/queue', 'queue.title'], ['/cases', 'nav.cases'], ['/grids', 'nav.grids']],
  community: [['/queue', 'queue.title'], ['/cases', 'nav.cases'], ['/grids', 'nav.grids']],
  grid_worker: [['/worker', 'nav.worker']],
  department: [['/queue', 'queue.title'], ['/tasks', 'queue.all_cases']],
  admin: [['/grids', 'nav.grids'], ['/screens', 'nav.screens'], ['/admin', 'nav.admin']],
};

export function homeOf(user: User | null): string {
  return user ? HOME[user.role] ?? '/grids' : '/login';
}

const app = document.getElementById('app')!;
let cleanup: (() => void) | undefined;
let renderSeq = 0;

export function go(path: string, replace = false): void {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  void render();
}

function topbar(user: User | null, path: string): HTMLElement {
  const links: [string, MessageKey][] = user ? NAV[user.role] ?? [] : [['/report', 'nav.report'], ['/login', 'login.title']];
  const nav = h('nav', { class: 'nav', id: 'nav' },
    links.map(([href, key]) => h('a', {
      href, class: path.startsWith(href) ? 'active' : undefined, 'data-nav': href,
      onclick: (e: Event) => { e.preventDefault(); document.body.classList.remove('menu-open'); go(href); },
    }, t(key))));
  const langBtn = h('button', {
    type: 'button', class: 'btn-link', id: 'lang', 'aria-label': t('lang.switch'),
    onclick: () => { setLang(currentLang() === 'zh' ? 'en' : 'zh'); void render(); },
  }, t('lang.switch'));
  const who = user ? h('span', { class: 'who', title: user.scope_name ?? user.scope },
    t('user.signed_in_as', { name: user.name, role: tk('role', user.role) })) : null;
  const out = user ? h('button', {
    type: 'button', class: 'btn-link', id: 'logout',
    onclick: async () => { stopLive(); await logout(); go('/login'); },
  }, t('nav.logout')) : null;
  const menu = h('button', {
    type: 'button', class: 'menu-btn', 'aria-label': t('nav.menu'), 'aria-controls': 'nav',
    onclick: () => document.body.classList.toggle('menu-open'),
  }, '☰');
  return h('header', { class: 'topbar' },
    h('a', { class: 'brand', href: homeOf(user), onclick: (e: Event) => { e.preventDefault(); go(homeOf(user)); } },
      h('img', { src: '/favicon.svg', alt: '', width: 24, height: 24 }), h('span', null, t('app.title'))),
    menu, nav, h('div', { class: 'tools' }, taskBadge(user), who, langBtn, out));
}

// ---- the new-task notice (issue 14, item 14): department staff and grid workers are told
// of each task the server pushes to them (a `task` event: a dispatch to the department, a
// handled case to verify in the worker's grid) by a badge with the count since they last
// looked and a short sound. The count lives in sessionStorage, so a page change keeps it.
const TASKS_KEY = 'gridgov.tasks.new';
const TASK_ROLES: Record<string, string> = { department: '/queue', grid_worker: '/worker' };
let offTasks: (() => void) | null = null;

function taskBadge(user: User | null): HTMLElement | null {
  const home = user && TASK_ROLES[user.role];
  if (!home) return null;
  const n = Number(sessionStorage.getItem(TASKS_KEY) ?? 0);
  const b = h('a', { href: home, class: 'task-badge', id: 'task-badge', 'data-count': String(n), 'aria-live': 'polite',
    title: t('tasks.new_hint'), onclick: (e: Event) => { e.preventDefault(); sessionStorage.setItem(TASKS_KEY, '0'); go(home); } },
  t('tasks.new_badge'), ' ', h('span', { class: 'count' }, String(n)));
  b.hidden = n === 0;
  return b;
}

function chime(): void {
  document.body.dataset.chimes = String(Number(document.body.dataset.chimes ?? 0) + 1);
  try {
    const ctx = new AudioContext();
    const o = ctx.createOscillator();
    const g = ctx.createGain();
    o.frequency.value = 880;
    g.gain.setValueAtTime(0.15, ctx.currentTime);
    g.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.25);
    o.connect(g).connect(ctx.destination);
    o.start();
    o.stop(ctx.currentTime + 0.25);
    o.onended = () => void ctx.close();
  } catch {
    /* no sound (no audio device, or not allowed before a click): the badge still says it */
  }
}

function watchTasks(user: User | null): void {
  if (!user || !TASK_ROLES[user.role]) {
    offTasks?.();
    offTasks = null;
    return;
  }
  offTasks ??= onLive('task', () => {
    const n = Number(sessionStorage.getItem(TASKS_KEY) ?? 0) + 1;
    sessionStorage.setItem(TASKS_KEY, String(n));
    const b = document.getElementById('task-badge');
    if (b) {
      b.hidden = false;
      b.dataset.count = String(n);
      b.querySelector('.count')!.textContent = String(n);
    }
    chime();
  });
}

async function render(): Promise<void> {
  const seq = ++renderSeq;
  const path = location.pathname;
  const user = token() ? savedUser() : null;
  document.title = t('app.title');
  if (path === '/' || path === '') {
    history.replaceState(null, '', homeOf(user));
    return render();
  }
  const r = routes.find((x) => x.pattern.test(path));
  if (!r) {
    history.replaceState(null, '', homeOf(user));
    return render();
  }
  if (!r.public && !user) {
    history.replaceState(null, '', '/login');
    return render();
  }
  if (r.bare && user && path === '/login') {
    history.replaceState(null, '', homeOf(user));
    return render();
  }
  cleanup?.();
  cleanup = undefined;
  const m = r.pattern.exec(path)!;
  const params: Record<string, string> = {};
  r.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1])));
  watchTasks(user);
  const main = h('main', { class: 'main', id: 'main' });
  if (r.bare) clear(app, main);
  else clear(app, topbar(user, path), main);
  const [page] = await Promise.all([r.load(), syncClock()]);
  if (seq !== renderSeq) return;
  const c = await page(main, { user, params, query: new URLSearchParams(location.search), go });
  if (seq !== renderSeq) {
    if (typeof c === 'function') c();
    return;
  }
  if (typeof c === 'function') cleanup = c;
}

setUnauthorizedHandler(() => {
  stopLive();
  clearSession();
  if (location.pathname !== '/login' && !location.pathname.startsWith('/report')) go('/login', true);
});
window.addEventListener('popstate', () => void render());
void render();

// The field app works offline (issue 14, item 12): the service worker caches the app shell.
if ('serviceWorker' in navigator && import.meta.env.PROD) {
  window.addEventListener('load', () => void navigator.serviceWorker.register('/sw.js').catch(() => {}));
}
