// SPDX-License-Identifier: Apache-2.0
// A Server-Sent Events reader for tests: opens GET /api/v1/events with a token, parses
// the stream into events ({id, event, data}) and comments, and waits for one that matches.
export async function openStream(url, token, headers = {}) {
  const ac = new AbortController();
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  const res = await fetch(url + '/api/v1/events', { headers: h, signal: ac.signal });
  const s = { status: res.status, headers: res.headers, events: [], comments: [], ended: false };
  s.close = () => ac.abort();
  if (res.status !== 200) {
    s.text = await res.text();
    try { s.body = JSON.parse(s.text); } catch { /* not JSON */ }
    return s;
  }
  const waiters = new Set();
  const poke = () => { for (const w of waiters) w(); };
  const parse = (block) => {
    const ev = { event: 'message', data: '' };
    let any = false;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) { s.comments.push(line.slice(1).trim()); continue; }
      const i = line.indexOf(':');
      const k = i < 0 ? line : line.slice(0, i);
      const v = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
      if (k === 'id') ev.id = v;
      else if (k === 'event') ev.event = v;
      else if (k === 'data') ev.data += v;
      else if (k === 'retry') s.retry = Number(v);
      else continue;
      any = true;
    }
    if (any && ev.data) {
      try { ev.json = JSON.parse(ev.data); } catch { /* keep text */ }
      s.events.push(ev);
    }
  };
  (async () => {
    const reader = res.body.getReader();
    const dec = new TextDecoder();
    let buf = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += dec.decode(value, { stream: true });
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          parse(buf.slice(0, i));
          buf = buf.slice(i + 2);
        }
        poke();
      }
    } catch { /* aborted */ }
    s.ended = true;
    poke();
  })();
  /** The first event (from index `from`) matching pred, within ms; rejects otherwise. */
  s.next = (pred, { ms = 5000, from = 0 } = {}) => new Promise((resolve, reject) => {
    const check = () => {
      const e = s.events.slice(from).find(pred);
      if (e) { done(); resolve(e); } else if (s.ended) { done(); reject(new Error('stream ended')); }
    };
    const timer = setTimeout(() => { done(); reject(new Error(`no such event in ${ms} ms: ${JSON.stringify(s.events.map((e) => [e.event, e.data]))}`)); }, ms);
    const done = () => { clearTimeout(timer); waiters.delete(check); };
    waiters.add(check);
    check();
  });
  /** Until a comment matching re arrives. */
  s.comment = (re, ms = 5000) => new Promise((resolve, reject) => {
    const check = () => {
      const c = s.comments.find((x) => re.test(x));
      if (c !== undefined) { done(); resolve(c); }
    };
    const timer = setTimeout(() => { done(); reject(new Error(`no comment ${re} in ${ms} ms: ${s.comments}`)); }, ms);
    const done = () => { clearTimeout(timer); waiters.delete(check); };
    waiters.add(check);
    check();
  });
  return s;
}
