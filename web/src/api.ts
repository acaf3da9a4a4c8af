// SPDX-License-Identifier: Apache-2.0
// Talking to the gridgov API: the bearer token lives in sessionStorage (gone when the tab
// closes); a 401 on an authenticated call drops it and sends the user back to the login page.
export interface User {
  name: string;
  role: string;
  role_name?: string;
  scope: string;
  scope_name?: string;
  dept?: string;
  permissions?: string[];
  kiosk?: boolean;
  /** an admin reset the password: the user sets a new one first (/password) */
  must_change_password?: boolean;
}

export interface Grid {
  code: string;
  name: string;
  level: string;
  level_name?: string;
  parent_code?: string | null;
  households: number;
  population: number;
  ancestors?: { code: string; name: string; level: string }[];
  in_scope?: boolean;
}

export interface List<T> {
  items: T[];
  total: number;
}

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public field?: string,
    public retryAfter?: number,
  ) {
    super(message);
  }
  /**
   * The endpoint does not exist on this server (no route, not implemented): a 404 that
   * names a thing not found (an unknown case) is an answer, not a missing endpoint.
   */
  get missing(): boolean {
    return this.status === 501 || (this.status === 404 && (this.code !== 'not_found' || /^no route/i.test(this.message)));
  }
}

const TOKEN_KEY = 'gridgov.token';
const USER_KEY = 'gridgov.user';

// A wall screen's session (POST /api/v1/kiosk/session) outlives the tab: localStorage.
const KIOSK_TOKEN_KEY = 'gridgov.kiosk.token';
const KIOSK_USER_KEY = 'gridgov.kiosk.user';

export function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY) ?? localStorage.getItem(KIOSK_TOKEN_KEY);
}

/** Keep a wall screen's session (read-only, long-lived, revocable by an administrator). */
export function saveKiosk(tok: string, user: User): void {
  localStorage.setItem(KIOSK_TOKEN_KEY, tok);
  localStorage.setItem(KIOSK_USER_KEY, JSON.stringify(user));
}

export function savedUser(): User | null {
  const s = sessionStorage.getItem(USER_KEY) ?? localStorage.getItem(KIOSK_USER_KEY);
  if (!s) return null;
  try {
    return JSON.parse(s) as User;
  } catch {
    return null;
  }
}

export function saveSession(tok: string, user: User): void {
  sessionStorage.setItem(TOKEN_KEY, tok);
  sessionStorage.setItem(USER_KEY, JSON.stringify(user));
}

export function clearSession(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(USER_KEY);
  localStorage.removeItem(KIOSK_TOKEN_KEY);
  localStorage.removeItem(KIOSK_USER_KEY);
}

let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

export async function request<T>(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...extra };
  const tok = token();
  if (tok) headers.authorization = `Bearer ${tok}`;
  let payload: BodyInit | undefined;
  if (body instanceof FormData) {
    payload = body;
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: payload });
  } catch (e) {
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string; field?: string } } | undefined)?.error;
    if (res.status === 401 && tok) {
      clearSession();
      onUnauthorized();
    }
    const ra = Number(res.headers.get('retry-after'));
    throw new ApiError(res.status, err?.code ?? 'http_' + res.status, err?.message ?? res.statusText,
      err?.field, Number.isFinite(ra) && ra > 0 ? ra : undefined);
  }
  return json as T;
}

export const get = <T>(path: string) => request<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => request<T>('POST', path, body);

export async function login(name: string, password: string): Promise<User> {
  const r = await request<{ token: string; user: User; must_change_password?: boolean }>('POST', '/api/v1/session', { name, password });
  saveSession(r.token, r.user);
  // The session endpoint adds names and the permission list the UI uses to decide what to offer.
  const me = { ...(await get<User>('/api/v1/session')), must_change_password: !!r.must_change_password };
  saveSession(r.token, me);
  return me;
}

export async function logout(): Promise<void> {
  try {
    if (token()) await request('DELETE', '/api/v1/session');
  } catch {
    /* the token is dropped either way */
  }
  clearSession();
}

/** A stored photo as POST /api/v1/media answers it. */
export interface Media {
  sha256: string;
  url: string;
  thumbnail_url: string;
  gps?: { lon: number; lat: number } | null;
}

/** Upload photos (three per request, as the server takes them); their ids in order. */
export async function upload(files: File[]): Promise<Media[]> {
  const out: Media[] = [];
  for (let i = 0; i < files.length; i += 3) {
    const fd = new FormData();
    for (const f of files.slice(i, i + 3)) fd.append('photo', f, f.name);
    out.push(...(await request<List<Media>>('POST', '/api/v1/media', fd)).items);
  }
  return out;
}

/**
 * An object URL for a protected file (a photo): images cannot send the bearer token, so
 * the bytes are fetched with it. The caller revokes the URL when done.
 */
export async function blobUrl(path: string): Promise<string> {
  const tok = token();
  const res = await fetch(path, { headers: tok ? { authorization: `Bearer ${tok}` } : {} });
  if (!res.ok) throw new ApiError(res.status, 'http_' + res.status, res.statusText);
  return URL.createObjectURL(await res.blob());
}

/** Query string from the non-empty values of params. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? '?' + s : '';
}
