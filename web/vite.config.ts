// SPDX-License-Identifier: Apache-2.0
// Vite builds web/ into web/dist, which `gridgov serve` serves at /. The command-center
// screen (and ECharts with it) is a separate chunk loaded only by the roles that use it.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
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
