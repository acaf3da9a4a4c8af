// SPDX-License-Identifier: Apache-2.0
// The message catalogues (web/src/i18n/zh.ts and en.ts): the same keys in both, no empty
// message, the same {placeholders} in both, and every key the code asks for by name exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { ROOT } from '../api/lib/harness.mjs';

const I18N = path.join(ROOT, 'web/src/i18n');

/** Load a catalogue: TypeScript to JavaScript, imported from a data: URL. */
async function load(name) {
  const src = readFileSync(path.join(I18N, `${name}.ts`), 'utf8');
  const js = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  return (await import('data:text/javascript;base64,' + Buffer.from(js).toString('base64'))).default;
}

function sources(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : /\.ts$/.test(f) ? [p] : [];
  });
}

const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

const zh = await load('zh');
const en = await load('en');

test('both catalogues have exactly the same keys', () => {
  const z = Object.keys(zh).sort();
  const e = Object.keys(en).sort();
  assert.deepEqual(z.filter((k) => !(k in en)), [], 'keys missing from en.ts');
  assert.deepEqual(e.filter((k) => !(k in zh)), [], 'keys missing from zh.ts');
  assert.ok(z.length > 100, `catalogue has ${z.length} keys`);
});

test('no message is empty and placeholders match', () => {
  for (const k of Object.keys(zh)) {
    assert.ok(zh[k].trim(), `zh ${k} is empty`);
    assert.ok(en[k].trim(), `en ${k} is empty`);
    assert.deepEqual(placeholders(en[k]), placeholders(zh[k]), `placeholders of ${k}`);
  }
});

test('Chinese messages are Chinese and English ones are not', () => {
  const han = /\p{Script=Han}/u;
  // Keys whose text is the same in both (codes, a dash, the other language's own name).
  const neutral = new Set(['common.none', 'channel.open311', 'lang.switch', 'lang.name', 'app.short', 'user.signed_in_as']);
  for (const k of Object.keys(zh)) {
    if (neutral.has(k)) continue;
    assert.match(zh[k], han, `zh ${k} has no Chinese: ${zh[k]}`);
    assert.doesNotMatch(en[k], han, `en ${k} has Chinese: ${en[k]}`);
  }
  assert.equal(zh['lang.switch'], 'English');
  assert.equal(en['lang.switch'], '中文');
});

test("every key the code names in t('…') exists", () => {
  const used = new Set();
  for (const f of sources(path.join(ROOT, 'web/src'))) {
    if (f.startsWith(I18N)) continue;
    for (const m of readFileSync(f, 'utf8').matchAll(/\bt\(\s*'([\w.]+)'/g)) used.add(m[1]);
    for (const m of readFileSync(f, 'utf8').matchAll(/\[\s*'[^']*'\s*,\s*'([a-z_]+\.[\w.]+)'\s*\]/g)) used.add(m[1]);
  }
  assert.ok(used.size > 50, `found ${used.size} keys in use`);
  assert.deepEqual([...used].filter((k) => !(k in zh)).sort(), []);
});

test('keys built at run time have a message for every value the UI offers', () => {
  for (const s of ['reported', 'filed', 'rejected', 'dispatched', 'accepted', 'handled', 'verified', 'closed', 'evaluated', 'suspended'])
    assert.ok(`case_state.${s}` in zh, s);
  for (const a of ['file', 'reject', 'merge', 'dispatch', 'accept', 'return', 'handle', 'verify', 'rework', 'close', 'evaluate',
    'escalate', 'extend', 'approve_extension', 'suspend', 'self_close', 'whistle', 'report', 'rate_department'])
    assert.ok(`action.${a}` in zh, a);
  for (const r of ['admin', 'operator', 'leader', 'street', 'community', 'grid_worker', 'department'])
    assert.ok(`role.${r}` in zh, r);
  for (const l of ['district', 'street', 'community', 'grid', 'micro', 'building']) assert.ok(`level.${l}` in zh, l);
  // the category picker names each kind of the catalogue (部件, 事件, …)
  const kinds = new Set(readFileSync(path.join(ROOT, 'data/categories.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[1]));
  for (const k of kinds) assert.ok(`kind.${k}` in zh && `kind.${k}` in en, `kind.${k}`);
});
