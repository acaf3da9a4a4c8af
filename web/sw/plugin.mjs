// SPDX-License-Identifier: Apache-2.0
// The Vite plugin that emits the service worker (web/sw/sw.js) as /sw.js with the app shell
// it caches: index.html, every built file and web/public's files, and a version that
// changes whenever one of the built files does (so phones pick up a new build).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

function files(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? files(p, base) : [path.relative(base, p).split(path.sep).join('/')];
  });
}

/** @returns {import('vite').Plugin} */
export function serviceWorker() {
  return {
    name: 'gridgov-sw',
    apply: 'build',
    generateBundle(_opts, bundle) {
      const built = Object.keys(bundle).filter((f) => !f.endsWith('.map') && f !== 'index.html');
      const shell = ['/', '/index.html', ...[...built, ...files(path.join(WEB, 'public'))].sort().map((f) => '/' + f)];
      const hash = createHash('sha256');
      for (const f of built) {
        const o = bundle[f];
        hash.update(f).update(o.type === 'chunk' ? o.code : o.source);
      }
      const src = readFileSync(path.join(WEB, 'sw/sw.js'), 'utf8')
        .replace('self.__GRIDGOV_VERSION__', JSON.stringify(hash.digest('hex').slice(0, 12)))
        .replace('self.__GRIDGOV_SHELL__', JSON.stringify(shell));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: src });
    },
  };
}
