// Hostile cases generated from the service's own description of itself: the operations of the OpenAPI
// document (GET /docs/json), the schemas each route validates with, and each route's `config.allow`.
// A new route, field or role rule is covered the next time the suite runs, with no list to update.
import { randomUUID } from 'node:crypto';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { routeFor, type Access, type RecordedRoute } from './route-table';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  maxItems?: number;
  additionalProperties?: boolean | JsonSchema;
  nullable?: boolean;
  default?: unknown;
}

interface OpenApiParameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema: JsonSchema;
}

interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

export interface Operation {
  method: string;
  /** OpenAPI form: /api/v1/captures/{id} */
  path: string;
  key: string;
  access: Access;
  pathParams: { name: string; schema: JsonSchema }[];
  query: { name: string; schema: JsonSchema; required: boolean }[];
  /** The JSON body schema, as the route validates it. */
  body?: JsonSchema;
  querySchema?: JsonSchema;
  multipart: boolean;
  /** The tus protocol endpoints: their body is raw bytes, their headers the protocol. */
  tus: boolean;
  api: boolean;
  /** A 200 with no JSON shape at all: bytes (an original, a ZIP, a thumbnail). */
  returnsBytes: boolean;
  /** The documented shape of a JSON 200, to hold answers to. */
  okSchema?: JsonSchema;
}

const httpMethods = ['get', 'head', 'post', 'put', 'patch', 'delete', 'options'];

/** Every documented operation, plus the HEAD twin Fastify serves for each GET. */
export function operationsFrom(doc: OpenApiDocument, routes: RecordedRoute[]): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [lower, spec] of Object.entries(item)) {
      if (!httpMethods.includes(lower)) continue;
      const methods = lower === 'get' && routeFor(routes, 'HEAD', path) ? ['GET', 'HEAD'] : [lower.toUpperCase()];
      for (const method of methods) {
        const route = routeFor(routes, method, path);
        if (!route) throw new Error(`the OpenAPI document lists ${method} ${path}, which no route serves`);
        const parameters = spec.parameters ?? [];
        const ok = spec.responses?.['200']?.content;
        const okSchema = ok?.['application/json']?.schema;
        operations.push({
          method,
          path,
          key: `${method} ${path}`,
          access: route.access,
          pathParams: parameters.filter((p) => p.in === 'path').map((p) => ({ name: p.name, schema: p.schema })),
          query: parameters.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema, required: Boolean(p.required) })),
          body: (route.schema?.body as JsonSchema | undefined) ?? spec.requestBody?.content?.['application/json']?.schema,
          querySchema: route.schema?.querystring as JsonSchema | undefined,
          multipart: Boolean(route.consumes?.includes('multipart/form-data')),
          tus: path.startsWith('/api/v1/uploads'),
          api: path.startsWith('/api/'),
          returnsBytes: method === 'GET' && (!ok || !okSchema || okSchema.type === undefined) && (ok !== undefined || !path.endsWith('}')),
          okSchema: okSchema?.type === 'object' ? okSchema : undefined,
        });
      }
    }
  }
  return operations;
}

/** API routes that are served but not documented: the suite would not see them, so they are reported. */
export function undocumentedApiRoutes(doc: OpenApiDocument, routes: RecordedRoute[]): string[] {
  const documented = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of Object.keys(item)) documented.add(`${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`);
  }
  return routes
    .filter((route) => route.url.startsWith('/api/') && route.method !== 'HEAD')
    .map((route) => `${route.method} ${route.url}`)
    .filter((key) => !documented.has(key));
}

// ---------------------------------------------------------------------------------------------
// Valid examples

let sequence = 0;
/** A number unique in this process, for emails, order IDs and file contents. */
export const nextSerial = () => ++sequence;

export const strongPassphrase = () => `hostile suite passphrase ${randomUUID()}`;

/** The branches of a union that are not null, and whether null is allowed. */
function branches(schema: JsonSchema): { options: JsonSchema[]; nullable: boolean } {
  if (schema.anyOf) {
    const inner = schema.anyOf.flatMap((branch) => {
      const nested = branches(branch);
      return nested.nullable ? [...nested.options, { type: 'null' }] : nested.options;
    });
    return { options: inner.filter((branch) => branch.type !== 'null'), nullable: inner.some((branch) => branch.type === 'null') || Boolean(schema.nullable) };
  }
  if (schema.type === 'null') return { options: [], nullable: true };
  return { options: [schema], nullable: Boolean(schema.nullable) };
}

export type Kind = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'enum' | 'any';

export function kindOf(schema: JsonSchema): Kind {
  const { options } = branches(schema);
  if (options.length === 0) return 'any';
  if (options.every((option) => option.enum || option.const !== undefined)) return 'enum';
  const type = options[0].type;
  return (typeof type === 'string' ? type : 'any') as Kind;
}

/** A value the schema accepts; `name` helps where a pattern or meaning needs a particular form. */
export function example(schema: JsonSchema, name = ''): unknown {
  const { options, nullable } = branches(schema);
  if (options.length === 0) return nullable ? null : 'x';
  const chosen = options[0];
  if (chosen.enum) return chosen.enum[0];
  if (chosen.const !== undefined) return chosen.const;
  switch (chosen.type) {
    case 'object': {
      const value: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(chosen.properties ?? {})) value[key] = example(property, key);
      return value;
    }
    case 'array':
      return chosen.items ? [example(chosen.items, name)] : [];
    case 'integer':
    case 'number': {
      const low = chosen.minimum ?? (chosen.exclusiveMinimum !== undefined ? chosen.exclusiveMinimum + 1 : 1);
      return Math.min(Math.max(low, 1), chosen.maximum ?? Number.MAX_SAFE_INTEGER);
    }
    case 'boolean':
      return false;
    case 'string':
      return exampleString(chosen, name);
    default:
      return 'x';
  }
}

function exampleString(schema: JsonSchema, name: string): string {
  if (schema.format === 'email') return `hostile-${nextSerial()}@example.com`;
  if (schema.format === 'uuid') return randomUUID();
  if (schema.format === 'date-time') return '2026-05-01T05:03:12Z';
  if (schema.pattern === '^[A-Z]{3}$') return 'KRW';
  if (/password/i.test(name)) return strongPassphrase();
  if (/orderId/i.test(name)) return `HOSTILE-${nextSerial()}`;
  const text = `hostile ${name || 'text'} ${nextSerial()}`;
  const max = schema.maxLength ?? text.length;
  return text.length > max ? text.slice(0, max) : text.padEnd(schema.minLength ?? 0, 'x');
}

// ---------------------------------------------------------------------------------------------
// What the service should accept: strict for bodies (no coercion), coercing for query strings and
// path parameters, which arrive as text. The same validator family Fastify itself uses.

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function makeAjv(coerceTypes: boolean): Ajv {
  const ajv = new Ajv({ strict: false, coerceTypes, allErrors: false, useDefaults: false, removeAdditional: false });
  addFormats(ajv);
  return ajv;
}

const strict = makeAjv(false);
const coercing = makeAjv(true);
const compiled = new WeakMap<object, { strict?: ValidateFunction; coercing?: ValidateFunction }>();

export function accepts(schema: JsonSchema, value: unknown, mode: 'strict' | 'coercing'): boolean {
  return schemaError(schema, value, mode) === undefined;
}

/** Where and why the schema refuses the value (e.g. "/items/0/unitValue must be number"), or undefined. */
export function schemaError(schema: JsonSchema, value: unknown, mode: 'strict' | 'coercing' = 'strict'): string | undefined {
  const cache = compiled.get(schema) ?? {};
  compiled.set(schema, cache);
  const validate = (cache[mode] ??= (mode === 'strict' ? strict : coercing).compile(schema));
  // Coercion rewrites the value in place; validate a copy.
  if (validate(mode === 'coercing' ? structuredClone(value) : value)) return undefined;
  const [error] = validate.errors ?? [];
  return `${error?.instancePath || '(root)'} ${error?.message ?? 'is refused'}`;
}

// ---------------------------------------------------------------------------------------------
// Bodies as JSON text, with room for what JSON.stringify cannot write: 1e400, __proto__ keys, depth.

const RAW = '\u0000hostile-raw\u0000';
interface RawJson {
  [RAW]: string;
}
export const rawJson = (text: string): RawJson => ({ [RAW]: text }) as RawJson;
const isRaw = (value: unknown): value is RawJson => typeof value === 'object' && value !== null && Object.hasOwn(value, RAW);

export function toJsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, inner: unknown) => {
    if (isRaw(inner)) {
      raws.push(inner[RAW]);
      return `${RAW}${raws.length - 1}`;
    }
    return inner;
  });
  return text.replace(/"\\u0000hostile-raw\\u0000(\d+)"/g, (_match, index: string) => raws[Number(index)]);
}

const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const deepObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

// ---------------------------------------------------------------------------------------------
// Mutations

export type FieldPath = (string | number)[];

export interface Field {
  path: FieldPath;
  schema: JsonSchema;
  kind: Kind;
  required: boolean;
}

/** Every field of a body (nested objects and the first element of arrays included), given a valid value for it. */
export function fieldsOf(schema: JsonSchema, value: unknown, path: FieldPath = [], required = true): Field[] {
  const fields: Field[] = path.length ? [{ path, schema, kind: kindOf(schema), required }] : [];
  const { options } = branches(schema);
  const chosen = options[0];
  if (!chosen) return fields;
  if (chosen.type === 'object' && value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, property] of Object.entries(chosen.properties ?? {})) {
      if (key in (value as object)) fields.push(...fieldsOf(property, (value as Record<string, unknown>)[key], [...path, key], chosen.required?.includes(key) ?? false));
    }
  }
  if (chosen.type === 'array' && chosen.items && Array.isArray(value) && value.length > 0) {
    fields.push(...fieldsOf(chosen.items, value[0], [...path, 0], true));
  }
  return fields;
}

export interface Mutation {
  name: string;
  value: unknown;
  /** Why the value must be refused whatever the schema says; undefined: the schema decides. */
  refuse?: string;
}

const MB_STRING = 'x'.repeat(1_000_000);
const NON_FINITE = 'a non-finite number is never a quantity, weight or amount';
const TOO_DEEP = 'nesting this deep is refused (depth limit)';
const PROTO = 'prototype keys are refused';

const wrongTypes: Record<string, unknown[]> = {
  string: [12345, true, {}, []],
  enum: [1, true, {}, [], 'NOT_A_CHOICE'],
  number: ['12', 'abc', true, [], {}],
  integer: ['12', 'abc', true, [], {}],
  boolean: ['true', 1, 0, 'yes', []],
  object: ['x', 1, [], true],
  array: ['x', {}, 1, [null]],
  any: [],
};

export function mutationsFor(field: Field): Mutation[] {
  const list: Mutation[] = [];
  const add = (name: string, value: unknown, refuse?: string) => list.push({ name, value, refuse });
  for (const value of wrongTypes[field.kind] ?? []) add(`wrong type ${JSON.stringify(value)}`, value);
  add('null', null);
  const identifier = field.path.at(-1) === 'orderId';
  if (field.kind === 'string' || field.kind === 'enum') {
    add('empty string', '');
    add('1 MB string', MB_STRING);
    add('NUL character', 'a\u0000b');
    add('escape and bell characters', '\u001b[31mred\u001b[0m\u0007');
    add('CR LF header injection', 'line\r\nX-Injected: 1');
    add('lone high surrogate', '\ud800', identifier ? 'a lone surrogate makes an order ID unreachable' : undefined);
    add('lone low surrogate inside text', 'x\udfffy', identifier ? 'a lone surrogate makes an order ID unreachable' : undefined);
    add('right-to-left override', '\u202etxt.exe');
    add('blank padding', '  padded  ');
    add('"__proto__" as a value', '__proto__');
  }
  if (field.kind === 'number' || field.kind === 'integer') {
    for (const text of ['Infinity', '-Infinity', 'NaN', '1e400']) add(`"${text}" as a string`, text, NON_FINITE);
    add('1e400 literal', rawJson('1e400'), NON_FINITE);
    add('-1e400 literal', rawJson('-1e400'), NON_FINITE);
    add('-1', -1);
    add('0', 0);
    add('1.5', 1.5);
    add('1e308', 1e308);
    add('-0 literal', rawJson('-0'));
    add('2^53 + 1 literal', rawJson('9007199254740993'));
  }
  if (field.kind === 'object') {
    add('5,000-deep object', rawJson(deepObject(5000)), TOO_DEEP);
    add('replaced by an object with a __proto__ key', rawJson('{"__proto__":{"polluted":true}}'), PROTO);
    add('replaced by an object with constructor.prototype', rawJson('{"constructor":{"prototype":{"polluted":true}}}'), PROTO);
  }
  if (field.kind === 'array') {
    add('5,000-deep array', rawJson(deepArray(5000)), TOO_DEEP);
    add('10,000 elements', rawJson(`[${Array.from({ length: 10_000 }, () => '1').join(',')}]`));
  }
  if (field.kind === 'any') add('5,000-deep array', rawJson(deepArray(5000)), TOO_DEEP);
  if (field.required) add('missing', MISSING);
  return list;
}

const MISSING = Symbol('missing');

function setAt(target: unknown, path: FieldPath, value: unknown): void {
  let node = target as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (value === MISSING) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = value;
}

export interface BodyCase {
  variant: string;
  /** The JSON text sent (or, for a few whole-body cases, not JSON at all). */
  text: string;
  contentType: string;
  /** Undefined when the service may accept it; otherwise why it must be refused. */
  mustRefuse?: string;
}

const pathLabel = (path: FieldPath) => path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${part}`)).join('').slice(1) || '(body)';

/**
 * One case per field and mutation, built on a fresh valid base each time (so unique values stay
 * unique), plus extra and prototype keys at every object level. The expectation is the schema's:
 * what it refuses must be refused (bodies are strict, nothing is coerced), and a few values are
 * refused whatever the schema says.
 */
export function bodyCases(schema: JsonSchema, base: () => Record<string, unknown>): BodyCase[] {
  const cases: BodyCase[] = [];
  const sample = base();
  const objectPaths: FieldPath[] = [[]];
  for (const field of fieldsOf(schema, sample)) {
    if (field.kind === 'object') objectPaths.push(field.path);
    for (const mutation of mutationsFor(field)) {
      const body = base();
      setAt(body, field.path, mutation.value);
      cases.push(judge(schema, `${pathLabel(field.path)}: ${mutation.name}`, body, mutation.refuse));
    }
  }
  for (const path of objectPaths) {
    const label = pathLabel(path);
    const withKey = (key: string, value: unknown) => {
      const body = base();
      const target = path.reduce<Record<string | number, unknown>>((node, key) => node[key] as Record<string | number, unknown>, body);
      // An own key, even for "__proto__" (plain assignment would set the prototype and send nothing).
      Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
      return body;
    };
    cases.push(judge(schema, `${label}: extra field`, withKey('hostileExtra', 1)));
    cases.push(judge(schema, `${label}: __proto__ key`, withKey('__proto__', rawJson('{"role":"owner","polluted":true}')), PROTO));
    cases.push(judge(schema, `${label}: constructor.prototype key`, withKey('constructor', rawJson('{"prototype":{"polluted":true}}')), PROTO));
  }
  return cases;
}

function judge(schema: JsonSchema, variant: string, body: unknown, refuse?: string): BodyCase {
  const text = toJsonText(body);
  let mustRefuse = refuse;
  if (!mustRefuse) {
    try {
      if (!accepts(schema, JSON.parse(text), 'strict')) mustRefuse = 'the body does not match the route schema';
    } catch {
      mustRefuse = 'not JSON';
    }
  }
  return { variant, text, contentType: 'application/json', mustRefuse };
}

/** Bodies that are wrong as a whole: not an object, not JSON, the wrong type, too deep or too big. */
export function wholeBodyCases(schema: JsonSchema, base: () => Record<string, unknown>): BodyCase[] {
  const valid = toJsonText(base());
  const json = (variant: string, text: string, mustRefuse?: string): BodyCase => {
    if (mustRefuse) return { variant, text, contentType: 'application/json', mustRefuse };
    try {
      return { variant, text, contentType: 'application/json', mustRefuse: accepts(schema, JSON.parse(text), 'strict') ? undefined : 'the body does not match the route schema' };
    } catch {
      return { variant, text, contentType: 'application/json', mustRefuse: 'not JSON' };
    }
  };
  return [
    json('body: null', 'null'),
    json('body: []', '[]'),
    json('body: a string', '"hostile"'),
    json('body: a number', '123'),
    json('body: {}', '{}'),
    json('body: empty', '', 'an empty JSON body'),
    json('body: cut-off JSON', valid.slice(0, Math.max(1, valid.length - 3)), 'not JSON'),
    json('body: trailing garbage', `${valid}garbage`, 'not JSON'),
    json('body: duplicate keys', valid.replace(/^\{/, '{"hostileDuplicate":1,"hostileDuplicate":2,')),
    json('body: 200,000-deep array', deepArray(200_000), TOO_DEEP),
    json('body: 50,000-deep object', deepObject(50_000), TOO_DEEP),
    json('body: 2 MB of whitespace around a valid body', ' '.repeat(2_000_000) + valid, 'larger than any body the route needs'),
    { variant: 'body: valid JSON sent as text/plain', text: valid, contentType: 'text/plain', mustRefuse: 'JSON routes take application/json' },
    { variant: 'body: valid JSON sent as a form', text: valid, contentType: 'application/x-www-form-urlencoded', mustRefuse: 'JSON routes take application/json' },
    { variant: 'body: UTF-16 charset', text: valid, contentType: 'application/json; charset=utf-16' },
  ];
}

// ---------------------------------------------------------------------------------------------
// Query strings and path parameters: sent percent-encoded exactly as written here.

export interface TextCase {
  variant: string;
  /** Already encoded for the URL. */
  encoded: string;
  mustRefuse?: string;
}

const BAD_ENCODING = 'bad percent-encoding';

/** Hostile values for one query parameter or path segment. */
export function textValues(schema: JsonSchema): TextCase[] {
  const kind = kindOf(schema);
  const numeric = kind === 'number' || kind === 'integer';
  const values: TextCase[] = [
    { variant: 'empty', encoded: '' },
    { variant: 'path traversal', encoded: '..%2F..%2F..%2Fetc%2Fpasswd' },
    { variant: 'dot-dot', encoded: '..' },
    { variant: 'encoded dot-dot', encoded: '%2e%2e' },
    { variant: 'NUL', encoded: '%00' },
    { variant: 'NUL inside', encoded: 'a%00b' },
    { variant: 'bad percent-encoding %ZZ', encoded: '%ZZ', mustRefuse: BAD_ENCODING },
    { variant: 'truncated percent-encoding', encoded: 'a%E0%A4%A', mustRefuse: BAD_ENCODING },
    { variant: 'encoded lone surrogate (invalid UTF-8)', encoded: '%ED%A0%80', mustRefuse: BAD_ENCODING },
    { variant: 'overlong UTF-8 dot', encoded: '%C0%AE%C0%AE', mustRefuse: BAD_ENCODING },
    { variant: 'CR LF', encoded: 'a%0D%0ASet-Cookie:%20hostile=1' },
    { variant: 'control characters', encoded: '%07%1B%7F' },
    { variant: '600 characters', encoded: 'x'.repeat(600) },
    { variant: '6,000 characters', encoded: 'y'.repeat(6000) },
    { variant: '"__proto__"', encoded: '__proto__' },
    { variant: '"constructor"', encoded: 'constructor' },
    { variant: 'unicode', encoded: encodeURIComponent('주문-📦') },
    { variant: 'right-to-left override', encoded: '%E2%80%AEevil' },
  ];
  if (numeric || kind === 'enum' || kind === 'any' || schema.format === 'uuid') {
    for (const text of ['Infinity', '-Infinity', 'NaN', '1e400']) values.push({ variant: text, encoded: text, mustRefuse: numeric ? NON_FINITE : undefined });
    values.push({ variant: '-1', encoded: '-1' }, { variant: '0', encoded: '0' }, { variant: '1.5', encoded: '1.5' }, { variant: '1e21', encoded: '1e21' });
    values.push({ variant: 'hex', encoded: '0x10' }, { variant: 'true', encoded: 'true' });
  }
  return values;
}

/**
 * Whether the service must refuse the value: a non-finite number, what the schema (coercing, as for
 * text) refuses, and in a path, bad percent-encoding. A query string may keep undecodable text as it is.
 */
export function textRefusal(schema: JsonSchema, value: TextCase, where: 'path' | 'query'): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(value.encoded);
  } catch {
    if (where === 'path') return BAD_ENCODING;
    decoded = value.encoded;
  }
  if (value.mustRefuse && value.mustRefuse !== BAD_ENCODING) return value.mustRefuse;
  return accepts(schema, decoded, 'coercing') ? undefined : 'the value does not match the route schema';
}
