// SPDX-License-Identifier: Apache-2.0
// The server's live events (GET /api/v1/events, Server-Sent Events): one stream per tab,
// shared by whoever listens (the wall screen's feed and KPIs, the new-task badge). It is
// read with fetch rather than EventSource, because the stream needs the bearer token in a
// header. A lost stream comes back after the server's `retry` (3 s), then ever longer
// (up to a minute, with jitter, or the Retry-After of a 503), resuming with Last-Event-ID;
// so a restart of the server is not met by every screen at once: no polling storm.
import { token } from './api';

export interface CaseEvent {
  id: number;
  state: string;
  action: string;
  category: string;
  grid: string;
  department: string;
  at: string;
  lon?: number;
  lat?: number;
}
type Kind = 'case' | 'task';
type Listener = (e: CaseEvent, kind: Kind) => void;
type StatusListener = (connected: boolean) => void;

const listeners = new Set<{ kind: Kind; fn: Listener }>();
const statusListeners = new Set<StatusListener>();
let running: AbortController | null = null;
let lastId = '';
let connected = false;

function setConnected(v: boolean): void {
  if (v === connected) return;
  connected = v;
  document.documentElement.dataset.live = v ? '1' : '0'; // (for tests and styles)
  statusListeners.forEach((f) => f(v));
}

function dispatch(block: string): void {
  let kind = 'message';
  let data = '';
  let id = '';
  for (const line of block.split('\n')) {
    if (!line || line.startsWith(':')) continue;
    const i = line.indexOf(':');
    const k = i < 0 ? line : line.slice(0, i);
    const v = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
    if (k === 'event') kind = v;
    else if (k === 'data') data += v;
    else if (k === 'id') id = v;
  }
  if (id) lastId = id;
  if (!data || (kind !== 'case' && kind !== 'task')) return;
  let e: CaseEvent;
  try {
    e = JSON.parse(data) as CaseEvent;
  } catch {
    return;
  }
  for (const l of listeners) if (l.kind === kind) l.fn(e, kind);
}

const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((resolve) => {
  const t = window.setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { window.clearTimeout(t); resolve(); }, { once: true });
});

async function loop(ac: AbortController): Promise<void> {
  let failures = 0;
  while (!ac.signal.aborted) {
    const tok = token();
    if (!tok) break;
    let wait = 3000;
    try {
      const headers: Record<string, string> = { authorization: `Bearer ${tok}`, accept: 'text/event-stream' };
      if (lastId) headers['last-event-id'] = lastId;
      const res = await fetch('/api/v1/events', { headers, signal: ac.signal, cache: 'no-store' });
      if (res.status === 401) break; // signed out or a revoked screen: the pages' own calls say so
      if (!res.ok || !res.body) {
        const ra = Number(res.headers.get('retry-after'));
        if (ra > 0) wait = ra * 1000;
        throw new Error(`events: ${res.status}`);
      }
      setConnected(true);
      failures = 0;
      const reader = res.body.getReader();
      const dec = new TextDecoder();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += dec.decode(value, { stream: true });
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          dispatch(buf.slice(0, i));
          buf = buf.slice(i + 2);
        }
      }
    } catch {
      failures++;
    }
    setConnected(false);
    if (ac.signal.aborted) break;
    const backoff = Math.min(60_000, wait * 2 ** Math.min(failures, 5));
    await sleep(backoff / 2 + Math.random() * backoff / 2, ac.signal);
  }
  if (running === ac) running = null;
}

/** Start the stream if it is not running (after a login). */
export function startLive(): void {
  if (running || !token()) return;
  running = new AbortController();
  void loop(running);
}

/** Stop it (sign-out). */
export function stopLive(): void {
  running?.abort();
  running = null;
  lastId = '';
  setConnected(false);
}

/** Listen to `case` (every change in the user's scope) or `task` (work reaching them) events. */
export function onLive(kind: Kind, fn: Listener): () => void {
  const l = { kind, fn };
  listeners.add(l);
  startLive();
  return () => listeners.delete(l);
}

/** Be told when the stream connects and drops. */
export function onLiveStatus(fn: StatusListener): () => void {
  statusListeners.add(fn);
  fn(connected);
  return () => statusListeners.delete(fn);
}
