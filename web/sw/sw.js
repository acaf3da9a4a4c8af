// SPDX-License-Identifier: Apache-2.0
// The field app's service worker (issue 14, item 12), served as /sw.js (no-cache). The
// build (web/vite.config.ts) fills in the app shell: index.html and every built asset,
// cached at install so the worker's and citizen's pages open without network. Pages are
// network first (a fresh shell when online, the cached one offline); hashed assets and
// icons cache first; the API is never cached here — what a user sends offline waits in
// IndexedDB (web/src/outbox.ts) and goes out when the network returns.
const VERSION = self.__GRIDGOV_VERSION__;
const SHELL = self.__GRIDGOV_SHELL__;
const CACHE = `gridgov-shell-${VERSION}`;

self.addEventListener('install', (e) => {
  e.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (e) => {
  e.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('gridgov-shell-') && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (e) => {
  const req = e.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/open311/') || url.pathname === '/healthz') return;
  if (req.mode === 'navigate') {
    e.respondWith(fetch(req).then((res) => {
      if (res.ok) {
        const copy = res.clone();
        void caches.open(CACHE).then((c) => c.put('/index.html', copy));
      }
      return res;
    }).catch(() => caches.match('/index.html').then((r) => r || Response.error())));
    return;
  }
  e.respondWith(caches.match(req).then((hit) => hit || fetch(req).then((res) => {
    if (res.ok && url.pathname.startsWith('/assets/')) {
      const copy = res.clone();
      void caches.open(CACHE).then((c) => c.put(req, copy));
    }
    return res;
  })));
});
