// SPDX-License-Identifier: Apache-2.0
// The field app's outbox (issue 14, item 12): a report (the grid worker's, optionally
// closed on the spot, or a citizen's 随手拍) is first kept in IndexedDB with its photos — an
// action on a case (a feedback 处置反馈) made without network too —
// then sent; without network it waits there and goes out when the network returns (the
// `online` event, the page's next start, a timer). Each entry carries an idempotency key
// sent as the Idempotency-Key header, so a send whose answer was lost and is sent again
// makes the case once: the server answers the first send's case. Photos are uploaded
// first (content-addressed, so an upload repeated is the same photo).
import { ApiError, request, upload, type Media } from './api';

/** What an entry sends. */
export type OutboxKind = 'case' | 'report' | 'action';

export interface OutboxEntry {
  id?: number;
  /** The Idempotency-Key (the self-close action sends `${key}.close`). */
  key: string;
  kind: OutboxKind;
  /** Whose entry: the signed-in user's name, or "public" for the citizen page. */
  owner: string;
  /** case: the JSON body of POST /api/v1/cases; report: the form's text fields; action:
   * the body of POST /api/v1/cases/{caseId}/actions (the photos become its attachments). */
  body: Record<string, unknown>;
  photos: Blob[];
  /** case: closed on the spot 自处置 with this after photo. */
  after?: Blob | null;
  created: number;
  tries: number;
  /** The server refused it (not a network failure): shown, kept until discarded. */
  error?: string;
  code?: string;
  /** The case made, once known (a self-close still to send). */
  caseId?: string;
}

/** The answer of a sent entry. */
export interface OutboxSent {
  entry: OutboxEntry;
  id: string;
  code?: string;
}

const DB = 'gridgov-outbox';
const STORE = 'entries';
const EVENT = 'gridgov-outbox';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function tx<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const t = db.transaction(STORE, mode);
      const r = fn(t.objectStore(STORE));
      t.oncomplete = () => resolve(r.result);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    });
  } finally {
    db.close();
  }
}

function changed(): void {
  window.dispatchEvent(new Event(EVENT));
}

/** A fresh idempotency key (random, unguessable). */
export function newKey(): string {
  return 'gg-' + (crypto.randomUUID ? crypto.randomUUID() : [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join(''));
}

/** The waiting entries of owner, oldest first. */
export async function pending(owner: string): Promise<OutboxEntry[]> {
  const all = await tx<OutboxEntry[]>('readonly', (s) => s.getAll() as IDBRequest<OutboxEntry[]>);
  return all.filter((e) => e.owner === owner).sort((a, b) => a.created - b.created);
}

/** Keep an entry; its id. */
export async function add(e: Omit<OutboxEntry, 'id' | 'created' | 'tries'>): Promise<number> {
  const id = await tx<IDBValidKey>('readwrite', (s) => s.add({ ...e, created: Date.now(), tries: 0 }));
  changed();
  return Number(id);
}

async function put(e: OutboxEntry): Promise<void> {
  await tx('readwrite', (s) => s.put(e));
}

/** Drop an entry (sent, or discarded by the user). */
export async function remove(id: number): Promise<void> {
  await tx('readwrite', (s) => s.delete(id));
  changed();
}

/** Call fn whenever the outbox changes (returns the unsubscribe). */
export function onChange(fn: () => void): () => void {
  window.addEventListener(EVENT, fn);
  return () => window.removeEventListener(EVENT, fn);
}

const files = (blobs: Blob[]) => blobs.map((b, i) => (b instanceof File ? b : new File([b], `photo${i + 1}.jpg`, { type: b.type || 'image/jpeg' })));

/** Send one entry; throws ApiError (status 0: no network). */
async function send(e: OutboxEntry): Promise<OutboxSent> {
  const key = { 'Idempotency-Key': e.key };
  if (e.kind === 'report') {
    const fd = new FormData();
    for (const [k, v] of Object.entries(e.body)) if (v !== undefined && v !== null && v !== '') fd.set(k, String(v));
    for (const f of files(e.photos)) fd.append('photo', f, f.name);
    const r = await request<{ code?: string; tracking_code?: string }>('POST', '/api/v1/public/reports', fd, key);
    const code = r.code ?? r.tracking_code ?? '';
    return { entry: e, id: code, code };
  }
  let id = e.caseId;
  let shots: Media[] = [];
  if (e.photos.length) shots = await upload(files(e.photos));
  if (e.kind === 'action') {
    const body = { ...e.body, ...(shots.length ? { attachments: shots.map((m) => m.sha256) } : {}) };
    await request('POST', `/api/v1/cases/${encodeURIComponent(id!)}/actions`, body, key);
    return { entry: e, id: id! };
  }
  if (!id) {
    const body: Record<string, unknown> = { ...e.body };
    if (shots.length) body.photos = shots.map((m) => m.sha256);
    // without the phone's position the first photo's GPS places it; without either,
    // the server files it in the worker's own grid
    if (body.lon === undefined && shots[0]?.gps) Object.assign(body, shots[0].gps);
    const c = await request<{ id: string | number }>('POST', '/api/v1/cases', body, key);
    id = String(c.id);
    if (e.after && e.id !== undefined) await put({ ...e, caseId: id });
  }
  if (e.after) {
    const [fixed] = await upload(files([e.after]));
    await request('POST', `/api/v1/cases/${encodeURIComponent(id)}/actions`,
      { action: 'self_close', note: String(e.body.description ?? ''), attachments: [shots[0]?.sha256, fixed.sha256] },
      { 'Idempotency-Key': `${e.key}.close` });
  }
  return { entry: e, id };
}

let running: Promise<OutboxSent[]> | null = null;

/**
 * Send owner's waiting entries in order; stops at the first network failure (the rest
 * wait for the next try). An entry the server refuses is kept with its error. Returns
 * what was sent.
 */
export function flush(owner: string): Promise<OutboxSent[]> {
  if (running) return running.then(() => flush(owner));
  running = (async () => {
    const sent: OutboxSent[] = [];
    for (const e of await pending(owner)) {
      if (e.error) continue;
      try {
        const s = await send(e);
        await remove(e.id!);
        sent.push(s);
      } catch (err) {
        const refused = err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429 && !err.missing;
        const latest = { ...(await pending(owner)).find((x) => x.id === e.id) ?? e, tries: e.tries + 1 };
        if (refused) latest.error = err instanceof ApiError ? err.code : String(err);
        await put(latest);
        changed();
        if (err instanceof ApiError && err.status === 401) break;
        if (!refused) break; /* offline or the server is away: the rest wait too */
      }
    }
    return sent;
  })().finally(() => { running = null; });
  return running;
}

let timer: number | undefined;

/**
 * Keep owner's outbox going out: now, when the network returns, and every 30 s while
 * anything waits. onSent hears of each entry sent. Returns the stop function.
 */
export function keepSending(owner: string, onSent: (s: OutboxSent) => void): () => void {
  const go = () => void flush(owner).then((sent) => sent.forEach(onSent), () => {});
  window.addEventListener('online', go);
  if (timer === undefined) timer = window.setInterval(() => { if (navigator.onLine) go(); }, 30000);
  go();
  return () => {
    window.removeEventListener('online', go);
    if (timer !== undefined) window.clearInterval(timer);
    timer = undefined;
  };
}
