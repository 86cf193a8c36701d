// The only importer of @tus/*: the tus 1.0.0 protocol over files in DATA_DIR/uploads. What a finished
// upload becomes (media, after the same checks as any other) is decided by the caller's onFinish.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import type http from 'node:http';
import nodePath from 'node:path';
import { FileStore } from '@tus/file-store';
import { EVENTS, Server } from '@tus/server';

export interface ResumableUpload {
  id: string;
  /** Where the bytes are, on the same disk as the originals so they can be moved, not copied. */
  filePath: string;
  metadata: Record<string, string>;
  size?: number;
  offset: number;
}

/** An answer to send instead of the protocol's own, e.g. a JSON error. */
export class UploadRefusal extends Error {
  constructor(readonly statusCode: number, readonly body: string) {
    super(body);
  }
}

interface Options {
  directory: string;
  /** The URL path the protocol is served at. */
  path: string;
  expiryMs: number;
  maxBytes: number;
  /** Runs when the last byte is in; returns headers for the final response, or throws UploadRefusal. */
  onFinish(upload: ResumableUpload): Promise<Record<string, string>>;
  /** The body of the protocol's own refusals (wrong offset, too large, …), in the service's error shape. */
  describeError(status: number, message: string): string;
}

type RawHeaders = http.OutgoingHttpHeaders | (string | number | string[])[] | [string, string][];

/** Any of the shapes writeHead takes, as name–value pairs. */
function headerPairs(headers: RawHeaders | undefined): [string, string][] {
  if (!headers) return [];
  if (Array.isArray(headers)) {
    if (headers.length > 0 && Array.isArray(headers[0])) return (headers as [string, string][]).map(([name, value]) => [String(name), String(value)]);
    const flat = headers as (string | number)[];
    return Array.from({ length: Math.floor(flat.length / 2) }, (_, i) => [String(flat[2 * i]), String(flat[2 * i + 1])]);
  }
  return Object.entries(headers).flatMap(([name, value]) => (value === undefined ? [] : [value].flat().map((one): [string, string] => [name, String(one)])));
}

/**
 * Makes every refusal the protocol handler sends (a missing Tus-Resumable, a wrong offset, a body too
 * large, …) answer in the service's JSON error shape and content type. The handler writes some of
 * them itself as plain text, with no hook to change them, so the response's status line and body are
 * held back when the status is 4xx or 5xx and rewritten once the short text is complete. Answers that
 * are already JSON (refusals of our own) keep their body; the handler's own 5xx details are never shown.
 */
function answerRefusalsInJson(response: http.ServerResponse, describe: (status: number, message: string) => string): void {
  const { writeHead, write, end } = response;
  let refusal: { status: number; headers: [string, string][]; body: Buffer[] } | undefined;
  const hold = (chunk: unknown) => {
    if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') refusal!.body.push(Buffer.from(chunk as string | Uint8Array));
  };
  response.writeHead = function (this: http.ServerResponse, status: number, ...rest: unknown[]) {
    if (status < 400) return (writeHead as (...args: unknown[]) => http.ServerResponse).call(this, status, ...rest);
    const headers = rest.find((arg): arg is RawHeaders => typeof arg === 'object' && arg !== null);
    refusal = { status, headers: headerPairs(headers), body: [] };
    return this;
  } as typeof response.writeHead;
  response.write = function (this: http.ServerResponse, chunk: unknown, ...rest: unknown[]) {
    if (!refusal) return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    hold(chunk);
    const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    if (callback) process.nextTick(callback);
    return true;
  } as typeof response.write;
  response.end = function (this: http.ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    if (!refusal) return (end as (...args: unknown[]) => http.ServerResponse).call(this, chunk, ...rest);
    hold(chunk);
    const { status, headers, body } = refusal;
    const text = Buffer.concat(body).toString('utf8').trim();
    const json = text.startsWith('{') ? text : describe(status, status >= 500 ? 'The upload could not be stored.' : text);
    const kept = headers.filter(([name]) => !/^content-(type|length)$/i.test(name)).flat();
    writeHead.call(this, status, [...kept, 'content-type', 'application/json; charset=utf-8', 'content-length', String(Buffer.byteLength(json))]);
    const callback = [chunk, ...rest].find((arg) => typeof arg === 'function') as (() => void) | undefined;
    return (end as (...args: unknown[]) => http.ServerResponse).call(this, json, callback);
  } as typeof response.end;
}

const clean = (metadata: Record<string, string | null> | undefined) =>
  Object.fromEntries(Object.entries(metadata ?? {}).filter((pair): pair is [string, string] => pair[1] !== null));

export function createResumableUploads({ directory, path, expiryMs, maxBytes, onFinish, describeError }: Options) {
  const store = new FileStore({ directory, expirationPeriodInMilliseconds: expiryMs });
  const server = new Server({
    path,
    datastore: store,
    maxSize: maxBytes,
    relativeLocation: true,
    async onUploadFinish(_request, upload) {
      // The protocol handler still reads the upload after this hook (for Upload-Expires), so the caller
      // gets a hard link to take away, and the upload itself is removed once the answer is sent.
      const uploadPath = upload.storage?.path ?? nodePath.join(directory, upload.id);
      const handedOver = `${uploadPath}.${randomUUID()}.finished`;
      await fs.link(uploadPath, handedOver);
      try {
        const headers = await onFinish({ id: upload.id, filePath: handedOver, metadata: clean(upload.metadata), size: upload.size, offset: upload.offset });
        return { headers };
      } catch (error) {
        // A refused upload is over: its bytes and its record go.
        await fs.rm(handedOver, { force: true });
        await store.remove(upload.id).catch(() => {});
        if (error instanceof UploadRefusal) throw { status_code: error.statusCode, body: error.body };
        throw error;
      }
    },
  });
  server.on(EVENTS.POST_FINISH, (_request, _response, upload) => {
    void store.remove(upload.id).catch(() => {});
  });

  return {
    handle: (request: http.IncomingMessage, response: http.ServerResponse) => {
      answerRefusalsInJson(response, describeError);
      return server.handle(request, response);
    },

    /** The upload's record, or undefined when there is none (unknown, finished or expired). */
    async get(id: string): Promise<ResumableUpload | undefined> {
      try {
        const upload = await store.getUpload(id);
        return { id, filePath: upload.storage?.path ?? '', metadata: clean(upload.metadata), size: upload.size, offset: upload.offset };
      } catch {
        return undefined;
      }
    },

    /**
     * Removes uploads started longer ago than the expiry, finished or not (a crash can leave a finished
     * one behind), and hand-over links a crash interrupted; returns how many uploads it removed.
     */
    async removeExpired(now = new Date()): Promise<number> {
      let removed = 0;
      for (const id of (await store.configstore.list?.()) ?? []) {
        const record = await store.configstore.get(id);
        if (!record?.creation_date || now.getTime() - new Date(record.creation_date).getTime() < expiryMs) continue;
        await store.remove(id).catch(() => store.configstore.delete(id));
        removed += 1;
      }
      for (const name of await fs.readdir(directory).catch(() => [] as string[])) {
        if (!name.endsWith('.finished')) continue;
        const file = nodePath.join(directory, name);
        const { mtimeMs } = await fs.stat(file);
        if (now.getTime() - mtimeMs > expiryMs) await fs.rm(file, { force: true });
      }
      return removed;
    },
  };
}

export type ResumableUploads = ReturnType<typeof createResumableUploads>;
