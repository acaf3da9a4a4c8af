// SPDX-License-Identifier: Apache-2.0
// Validators for Open311 GeoReport v2 answers, compiled by ajv from the Open311
// community's own Swagger 2.0 description (tests/api/open311-schema/georeport_v2-1.yaml,
// CC BY 3.0, see the README there): `definitions` as written, each answer checked as the
// GeoReport v2 page shapes it (every answer but the service definition is a list).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import YAML from 'yaml';

const FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), '../open311-schema/georeport_v2-1.yaml');
export const SPEC = YAML.parse(readFileSync(FILE, 'utf8'));

const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
addFormats(ajv);
// Swagger 2.0's own formats (`uid`, `uint`) name a meaning, not a syntax JSON Schema knows.
for (const f of ['uid', 'uint']) ajv.addFormat(f, true);
ajv.addSchema({ $id: 'georeport', definitions: SPEC.definitions });

const obj = (name) => ({ allOf: [{ type: 'object' }, { $ref: `georeport#/definitions/${name}` }] });
const list = (name) => ({ type: 'array', items: obj(name) });

/*
 * The definitions have no error body; this is the format of the GeoReport v2 page's
 * "Errors" section: a list of {code, description}, code an integer (the HTTP status in
 * most cases), description a human-readable text.
 */
const ERRORS = {
  type: 'array', minItems: 1,
  items: { type: 'object', required: ['code', 'description'],
    properties: { code: { type: 'integer' }, description: { type: 'string', minLength: 1 } } },
};

const compiled = {
  services: ajv.compile(list('Service')),
  serviceDefinition: ajv.compile(obj('ServiceDefinition')),
  requests: ajv.compile(list('Request')),
  postResponse: ajv.compile(list('RequestResponse')),
  tokens: ajv.compile(list('TokenResponse')),
  errors: ajv.compile(ERRORS),
};

/** The names of the checks: services, serviceDefinition, requests, postResponse, tokens, errors. */
export const SHAPES = Object.keys(compiled);

/**
 * Validate a parsed JSON answer against shape (one of SHAPES); returns null when it is
 * valid, else ajv's errors as one readable string.
 */
export function georeportErrors(shape, value) {
  const v = compiled[shape];
  if (!v) throw new Error(`no GeoReport shape ${shape}`);
  return v(value) ? null : ajv.errorsText(v.errors, { dataVar: shape });
}
