// SPDX-License-Identifier: Apache-2.0
// Every error the server can send reaches the user in their language (issue 14, item 8):
// the API answers stable codes (include/gridgov/err.h's GG_ERR_MAP) and, for a bad
// field, its name; the console maps each code to `err.<code>` and each field to
// `field.<name>` in both catalogues. The codes and fields are collected from the C source
// (the X-macro list; the literal field names given to err_field, svc's missing(), the
// body readers api_body_*, api_form and the photo fields), so a new code or field
// without a message fails here. No browser: the catalogues are read as the UI has them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { ROOT } from '../api/lib/harness.mjs';

async function load(name) {
  const src = readFileSync(path.join(ROOT, 'web/src/i18n', `${name}.ts`), 'utf8');
  const js = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  return (await import('data:text/javascript;base64,' + Buffer.from(js).toString('base64'))).default;
}

function cFiles(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? cFiles(p) : /\.c$/.test(f) ? [p] : [];
  });
}

/** The stable codes of GG_ERR_MAP, but "ok". */
export function serverCodes() {
  const h = readFileSync(path.join(ROOT, 'include/gridgov/err.h'), 'utf8');
  const codes = [...h.matchAll(/X\(\s*[A-Z]+\s*,\s*-?\d+\s*,\s*"([a-z_]+)"\s*,\s*\d{3}\s*,/g)].map((m) => m[1]);
  return codes.filter((c) => c !== 'ok');
}

/** Field names the server's errors can carry (literal names in the C source). */
export function serverFields() {
  const fields = new Set();
  // Open311 answers its own format (api__open311_error), not the console's
  for (const f of cFiles(path.join(ROOT, 'src')).filter((f) => !/open311/.test(f))) {
    const s = readFileSync(f, 'utf8');
    const pats = [
      /err_field\(\s*[^,]+,\s*GG_E[A-Z]+,\s*"([a-z_]+)"/g,
      /\bmissing\(\s*err\s*,\s*"([a-z_]+)"/g,
      /api_body_(?:str|num|int|bool)\(\s*r\s*,\s*"([a-z_]+)"/g,
      /svc__attach\([^"]*"([a-z_]+)"/g,
    ];
    for (const re of pats) for (const m of s.matchAll(re)) fields.add(m[1]);
  }
  // names built at run time: the photo parts of a multipart form, the list's paging
  for (const f of ['photo', 'photos', 'attachments', 'per_page', 'page', 'after']) fields.add(f);
  return [...fields].sort();
}

const zh = await load('zh');
const en = await load('en');

test('the C source yields the codes and fields to check (the collector itself works)', () => {
  const codes = serverCodes();
  assert.ok(codes.length >= 19, `found ${codes.length} codes`);
  for (const c of ['not_found', 'invalid_field', 'missing_field', 'forbidden', 'invalid_state', 'busy']) assert.ok(codes.includes(c), c);
  const fields = serverFields();
  assert.ok(fields.length > 40, `found ${fields.length} fields`);
  for (const f of ['category', 'lon', 'grid', 'note', 'department', 'caller', 'caller_phone', 'description']) assert.ok(fields.includes(f), f);
});

test('every error code the server can send has a message in both languages', () => {
  const missing = serverCodes().flatMap((c) => [`err.${c}`].filter((k) => !(k in zh) || !(k in en)));
  assert.deepEqual(missing, [], 'codes without a message in web/src/i18n');
});

test('every field an error can name has a label in both languages', () => {
  const missing = serverFields().filter((f) => !(`field.${f}` in zh) || !(`field.${f}` in en));
  assert.deepEqual(missing, [], 'fields without a label in web/src/i18n');
});

test('a code-and-field message exists only for a real code and field', () => {
  const codes = new Set(serverCodes());
  const fields = new Set(serverFields());
  for (const k of Object.keys(zh).filter((k) => /^err\.[a-z_]+\.[a-z_]+$/.test(k))) {
    const [, code, field] = k.split('.');
    assert.ok(codes.has(code), `${k}: no code ${code}`);
    assert.ok(fields.has(field), `${k}: no field ${field}`);
  }
});
