// SPDX-License-Identifier: Apache-2.0
// The platform's clock: "today", "the last 30 days" and every time shown are the server's,
// in the platform's time zone (China Standard Time unless the server is configured
// otherwise), never the browser's zone or UTC. GET /api/v1/time gives the server's time
// and zone; the skew to the browser's clock is kept, so a server on a test clock is
// followed too.
import { get } from './api';

interface ServerTime { epoch_ms: number; today: string; time_zone: string; utc_offset: number }

let skewMs = 0;
let offsetS = 8 * 3600; // until the server has said otherwise: China Standard Time
let synced: Promise<void> | null = null;

/** Ask the server for its time and zone (once per page render is plenty). */
export function syncClock(force = false): Promise<void> {
  if (!synced || force) {
    synced = get<ServerTime>('/api/v1/time').then((t) => {
      skewMs = t.epoch_ms - Date.now();
      offsetS = t.utc_offset;
    }).catch(() => { synced = null; });
  }
  return synced;
}

/** The server's time now, in epoch milliseconds. */
export const serverNow = (): number => Date.now() + skewMs;

const pad = (n: number) => String(n).padStart(2, '0');

/** The wall-clock fields of an instant in the platform's zone. */
function parts(ms: number) {
  const d = new Date(ms + offsetS * 1000); // read back with getUTC*: the zone's wall clock
  return { y: d.getUTCFullYear(), mo: d.getUTCMonth() + 1, d: d.getUTCDate(), h: d.getUTCHours(), mi: d.getUTCMinutes() };
}

/** YYYY-MM-DD of an instant, as a day of the platform's zone. */
export function localDate(ms: number): string {
  const p = parts(ms);
  return `${p.y}-${pad(p.mo)}-${pad(p.d)}`;
}

/** The platform's date n days before today (0 = today). */
export const daysAgo = (n: number): string => localDate(serverNow() - n * 86400_000);

/** "2026-12-08 01:30" in the platform's zone. */
export function localDateTime(ms: number): string {
  const p = parts(ms);
  return `${localDate(ms)} ${pad(p.h)}:${pad(p.mi)}`;
}

/** The zone's offset as ±HH:MM, to turn a datetime-local input into RFC 3339. */
export function zoneSuffix(): string {
  const o = Math.abs(offsetS);
  return `${offsetS < 0 ? '-' : '+'}${pad(Math.floor(o / 3600))}:${pad(Math.floor((o % 3600) / 60))}`;
}
