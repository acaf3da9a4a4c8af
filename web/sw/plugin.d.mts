// SPDX-License-Identifier: Apache-2.0
// Types of web/sw/plugin.mjs for web/vite.config.ts.
import type { Plugin } from 'vite';
export function serviceWorker(): Plugin;
