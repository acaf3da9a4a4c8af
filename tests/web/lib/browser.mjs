// SPDX-License-Identifier: Apache-2.0
// Browser tests' common ground: builds the UI if needed, starts the real `gridgov serve`
// (tests/api/lib/harness.mjs) with --web pointing at web/dist, and drives Debian's
// chromium headless through playwright-core. Screenshots go to tests/web/artifacts/.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT, startServer, PASSWORD } from '../../api/lib/harness.mjs';

export { PASSWORD };
export const WEB_DIST = path.join(ROOT, 'web/dist');
export const ARTIFACTS = path.join(ROOT, 'tests/web/artifacts');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// Playwright starts the browser with a fresh, empty --user-data-dir of its own (and adds
// --headless); these are the rest of the flags: no sandbox inside containers, no GPU, and
// nothing that reaches out to the network on its own.
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Build web/dist (a no-op when it is up to date). */
export function buildWeb() {
  const r = spawnSync(path.join(ROOT, 'scripts/build-web'), { encoding: 'utf8', cwd: ROOT });
  if (r.status !== 0) throw new Error(`scripts/build-web failed: ${r.stderr}${r.stdout}`);
}

/** Start the server on the built UI and a headless chromium. */
export async function setup() {
  buildWeb();
  mkdirSync(ARTIFACTS, { recursive: true });
  const srv = await startServer({ args: ['--web', WEB_DIST], setup: { map: true } });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  return { srv, browser };
}

/**
 * A fresh context (own storage) and page. Collects page errors and console errors in
 * page.errors; failed API requests are kept apart in page.failedRequests so a test can
 * tell "an endpoint this server does not have yet" from a real fault.
 */
export async function newPage(browser, srv, { viewport = { width: 1366, height: 800 }, locale = 'zh-CN', timezoneId = 'Asia/Shanghai', geolocation } = {}) {
  const context = await browser.newContext({ viewport, locale, timezoneId, baseURL: srv.url,
    ...(geolocation ? { geolocation, permissions: ['geolocation'] } : {}) });
  const page = await context.newPage();
  page.errors = [];
  page.failedRequests = [];
  page.on('pageerror', (e) => page.errors.push(`pageerror: ${e.message}${process.env.WEB_STACK ? e.stack : ''}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const url = m.location()?.url ?? '';
    if (/^Failed to load resource/.test(m.text()) && url) page.failedRequests.push({ url, text: m.text() });
    else page.errors.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) page.failedRequests.push({ url: r.url(), status: r.status() });
  });
  return page;
}

export async function shot(page, name) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export async function login(page, name, password = PASSWORD) {
  await page.goto('/login');
  await page.fill('#login-name', name);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
}

/** Whether this server has a route for GET path (404 "no route" means not yet). */
export async function hasRoute(srv, p, token) {
  const r = await srv.request('GET', p, { token });
  return !(r.status === 404 && /^no route/.test(r.body?.error?.message ?? ''));
}
