// SPDX-License-Identifier: Apache-2.0
// Vite builds web/ into web/dist, which `gridgov serve` serves at /. The command-center
// screen (and ECharts with it) is a separate chunk loaded only by the roles that use it.
// The service worker (web/sw/) is emitted as /sw.js with the app shell it caches.
import { defineConfig } from 'vite';
import { serviceWorker } from './sw/plugin.mjs';

export default defineConfig({
  base: '/',
  plugins: [serviceWorker()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080', '/healthz': 'http://127.0.0.1:8080' },
  },
});
