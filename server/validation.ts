// How requests are read before any route sees them: request IDs, JSON bodies, and the schema validators.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Ajv, type ErrorObject, type Options as AjvOptions, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';
import { AppError } from './errors';

/** A client's own request ID is kept for tracing across systems only when it is short and harmless in a log line. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}

/** No request of ours nests anywhere near this deep; parsing millions of nested arrays stalls every other request. */
export const MAX_JSON_DEPTH = 32;

/**
 * True when JSON text nests arrays and objects deeper than `limit`. A scan of the text stops at the first
 * level too many, so a megabyte of `[[[…` is refused after a few bytes instead of being built in memory.
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c) i++; // a backslash: whatever it escapes is part of the string
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x5b || char === 0x7b) {
      if (++depth > limit) return true;
    } else if (char === 0x5d || char === 0x7d) {
      depth--;
    }
  }
  return false;
}

/**
 * Fastify's own JSON parser (prototype poisoning refused), behind the depth limit. Plain text is no body
 * this API takes: a text/plain POST is what another site's form can send without asking, so it gets 415.
 */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function installJsonBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, bytes, done) => {
    // Decoded strictly: bytes that are not UTF-8 would otherwise all become U+FFFD, and two different
    // order IDs sent that way would be stored as one.
    let body: string;
    try {
      body = strictUtf8.decode(bytes as Buffer);
    } catch {
      done(new AppError('VALIDATION_FAILED', 'JSON bodies must be UTF-8.'), undefined);
      return;
    }
    if (nestsDeeperThan(body, MAX_JSON_DEPTH)) {
      done(new AppError('VALIDATION_FAILED', `JSON nested more than ${MAX_JSON_DEPTH} levels deep is not accepted.`), undefined);
      return;
    }
    parse(request, body, done);
  });
}

/** Coercion turns "Infinity" or "1e400" into a number that every minimum and maximum lets through. */
function nonFinitePath(value: unknown, path: string): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = nonFinitePath(item, `${path}/${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

function createAjv(options: AjvOptions): Ajv {
  // As Fastify's default compiler, except for coercion and removeAdditional: unknown fields are refused,
  // not dropped, so a misspelt "weightGrams" cannot lose a weight in silence.
  const ajv = new Ajv({ useDefaults: true, removeAdditional: false, addUsedSchema: false, allErrors: false, ...options });
  addFormats(ajv);
  return ajv;
}

type Validator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

function finiteOnly(validate: ValidateFunction): Validator {
  const check: Validator = (data) => {
    if (!validate(data)) {
      check.errors = validate.errors;
      return false;
    }
    const path = nonFinitePath(data, '');
    if (path === undefined) return true;
    check.errors = [{ instancePath: path, schemaPath: '#', keyword: 'finite', params: {}, message: 'must be a finite number' }];
    return false;
  };
  return check;
}

/**
 * One validator per part of the request. Query strings, path parameters and headers arrive as text and
 * are coerced to the schema's types (a lone value is never made an array: that would hide mistakes); a
 * JSON body has types already and is taken exactly as sent, so {"name": 123}, {"expiresInHours": true}
 * or a null where text belongs is refused, not guessed at. Set once in buildApp: tests run what production runs.
 */
export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const text = createAjv({ coerceTypes: true });
  const json = createAjv({ coerceTypes: false });
  return ({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? json : text;
    const id = (schema as { $id?: string }).$id;
    const validate = (id && ajv.getSchema(id)) || ajv.compile(schema as object);
    return finiteOnly(validate);
  };
}
