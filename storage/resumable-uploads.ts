// The only importer of @tus/*: the tus 1.0.0 protocol over files in DATA_DIR/uploads. What a finished
// upload becomes (media, after the same checks as any other) is decided by the caller's onFinish.
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import type http from 'node:http';
import nodePath from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileStore } from '@tus/file-store';
import { ERRORS, EVENTS, Server } from '@tus/server';
import { isStorageFull } from './blobs/blob-store';
import { createRoomCheck } from './room-check';

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
  /** Bytes uploads may still write before the disk is as full as it may get; a PATCH stops there with 507. */
  roomLeft?: () => Promise<number>;
  log?: { error(obj: object, msg: string): void };
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

/** What an upload is called: 32 lowercase hex digits, as random as a session token. */
const UPLOAD_ID = /^[0-9a-f]{32}$/;

/** Enough of an upload ID for a log line to tell uploads apart; the whole ID would let a log reader write into it. */
const idHint = (id: string | undefined) => (id ? `${id.slice(0, 6)}…` : undefined);

/**
 * The tus file store, except that a full disk is told apart from other write failures (the store's own
 * write reports every failure as the same 500), and that a body stops where the disk's floor is, not
 * where the disk is full: the client is told 507 and may resume, from what was written, once space is freed.
 */
class UploadStore extends FileStore {
  constructor(
    options: ConstructorParameters<typeof FileStore>[0],
    private readonly diskFull: () => { status_code: number; body: string },
    private readonly roomLeft: () => Promise<number>,
    private readonly log: (error: unknown, context: object) => void,
  ) {
    super(options);
  }

  override async write(readable: http.IncomingMessage | Readable, id: string, offset: number): Promise<number> {
    let received = 0;
    const out = createWriteStream(nodePath.join(this.directory, id), { flags: 'r+', start: offset });
    const room = createRoomCheck(this.roomLeft, () => out.writableLength);
    const count = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        room(chunk.length).then(() => {
          received += chunk.length;
          done(null, chunk);
        }, done);
      },
    });
    try {
      await pipeline(readable, count, out);
    } catch (error) {
      const full = isStorageFull(error);
      // A client that went away is no failure of ours (answered as such by the handler's onResponseError).
      const cutOff = ['ERR_STREAM_PREMATURE_CLOSE', 'ECONNRESET', 'ABORT_ERR'].includes((error as NodeJS.ErrnoException).code ?? '');
      if (!cutOff) this.log(error, { upload: idHint(id), offset, received });
      throw full ? this.diskFull() : ERRORS.FILE_WRITE_ERROR;
    }
    return offset + received;
  }
}

/** The Node request behind the protocol handler's own request object. */
type HandlerRequest = { runtime?: { node?: { req: unknown } } };

const clean = (metadata: Record<string, string | null> | undefined) =>
  Object.fromEntries(Object.entries(metadata ?? {}).filter((pair): pair is [string, string] => pair[1] !== null));

export function createResumableUploads({ directory, path, expiryMs, maxBytes, onFinish, describeError, roomLeft = async () => Infinity, log }: Options) {
  const logError = (error: unknown, context: object) => log?.error({ ...context, err: error }, 'resumable upload failed');
  const diskFull = () => ({
    status_code: 507,
    body: describeError(507, 'The server is out of storage space; send the rest of the upload once space is freed.'),
  });
  const store = new UploadStore({ directory, expirationPeriodInMilliseconds: expiryMs }, diskFull, roomLeft, (error, context) =>
    logError(error, { ...context, stage: 'writing' }),
  );

  /**
   * The one upload each handed-over request may act on, decided (and authorized) by the caller. The
   * protocol handler would otherwise take the ID from the last "/" of the whole URL, query string
   * included, so `…/uploads/MINE?x=/YOURS` would act on YOURS.
   */
  const authorized = new WeakMap<object, string>();
  const authorizedFor = (request: HandlerRequest) => {
    const node = request.runtime?.node?.req;
    return typeof node === 'object' && node !== null ? authorized.get(node) : undefined;
  };

  /** Uploads admitted and being created right now: counted among the unfinished before their record is on disk. */
  const creating = new Map<string, ResumableUpload>();
  /** Admissions run one at a time, so two requests cannot both take the last place. */
  let admissions: Promise<unknown> = Promise.resolve();

  /** Refusals of the protocol handler's own that are the client's mistake but would answer 403 or 5xx. */
  const clientMistakes = new Map<unknown, { status_code: number; message: string }>([
    [ERRORS.MISSING_OFFSET, { status_code: 400, message: 'A PATCH needs an Upload-Offset header.' }],
    [ERRORS.INVALID_CONTENT_TYPE, { status_code: 400, message: 'A PATCH needs Content-Type: application/offset+octet-stream.' }],
    [ERRORS.UNSUPPORTED_CONCATENATION_EXTENSION, { status_code: 400, message: 'Concatenation (Upload-Concat) is not supported; send each file as one upload.' }],
    [ERRORS.ERR_LOCK_TIMEOUT, { status_code: 409, message: 'Another request is writing to this upload; ask for its offset (HEAD) and continue from there.' }],
  ]);

  const server = new Server({
    path,
    datastore: store,
    maxSize: maxBytes,
    relativeLocation: true,
    // New uploads take the ID their creation was admitted under.
    namingFunction(request) {
      const id = authorizedFor(request);
      if (!id) throw new Error('an upload was created without an admitted ID');
      return id;
    },
    // The ID comes from the path alone and must be the authorized one; anything else is no upload at all.
    getFileIdFromRequest(request) {
      const id = authorizedFor(request);
      return id !== undefined && new URL(request.url).pathname === `${path}/${id}` ? id : undefined;
    },
    onResponseError(request, error) {
      const mistake = clientMistakes.get(error);
      if (mistake) return { status_code: mistake.status_code, body: describeError(mistake.status_code, mistake.message) };
      // A client that went away mid-body is no failure of ours; the answer never reaches it anyway.
      const node = (request as HandlerRequest).runtime?.node?.req as http.IncomingMessage | undefined;
      if (error === ERRORS.FILE_WRITE_ERROR && node && !node.complete) {
        return { status_code: 400, body: describeError(400, 'The upload was cut off; ask for its offset (HEAD) and continue from there.') };
      }
      // The store's write answers a full disk with 507, but the handler's own pipeline may reject first
      // with the error itself (logged where it happened).
      if (isStorageFull(error)) return diskFull();
      // Failures of ours that the handler would answer with its bare 500 (the store's write failures are logged where they happen).
      const status = (error as { status_code?: number } | undefined)?.status_code;
      if (status === undefined) logError(error, { method: request.method, upload: idHint(authorizedFor(request as HandlerRequest)) });
      return undefined;
    },
    async onUploadFinish(_request, upload) {
      // The protocol handler still reads the upload after this hook (for Upload-Expires), so the caller
      // gets a hard link to take away, and the upload itself is removed once the answer is sent.
      const uploadPath = upload.storage?.path ?? nodePath.join(directory, upload.id);
      const handedOver = `${uploadPath}.${randomUUID()}.finished`;
      // A second request finishing the same upload may have handed it over and removed it already.
      await fs.link(uploadPath, handedOver).catch((error: NodeJS.ErrnoException) => {
        throw error.code === 'ENOENT' ? ERRORS.FILE_NOT_FOUND : error;
      });
      try {
        const headers = await onFinish({ id: upload.id, filePath: handedOver, metadata: clean(upload.metadata), size: upload.size, offset: upload.offset });
        return { headers };
      } catch (error) {
        await fs.rm(handedOver, { force: true });
        // An upload refused for what it is (4xx) is over: its bytes and its record go. One that could not
        // be registered now (a full disk, a failure of ours) is kept whole: a PATCH of no bytes at its
        // full offset finishes it again once the server can.
        const refused = error instanceof UploadRefusal && error.statusCode < 500 && error.statusCode !== 507;
        if (refused) await store.remove(upload.id).catch(() => {});
        else logError(error, { stage: 'finishing', upload: idHint(upload.id), bytes: upload.size });
        if (error instanceof UploadRefusal) throw { status_code: error.statusCode, body: error.body };
        if (isStorageFull(error)) throw diskFull();
        throw error;
      }
    },
  });
  server.on(EVENTS.POST_FINISH, (_request, _response, upload) => {
    void store.remove(upload.id).catch(() => {});
  });

  async function get(id: string): Promise<ResumableUpload | undefined> {
    return (await read(id))?.upload;
  }

  async function read(id: string): Promise<{ upload: ResumableUpload; createdAt: number } | undefined> {
    if (!UPLOAD_ID.test(id)) return undefined;
    try {
      const upload = await store.getUpload(id);
      return {
        upload: { id, filePath: upload.storage?.path ?? '', metadata: clean(upload.metadata), size: upload.size, offset: upload.offset },
        createdAt: new Date(upload.creation_date ?? 0).getTime(),
      };
    } catch {
      return undefined;
    }
  }

  /** Every upload that may still be continued, those being created right now included. */
  async function unfinished(now = Date.now()): Promise<ResumableUpload[]> {
    const ids = await store.configstore.list?.().catch(() => [] as string[]) ?? [];
    // Taken together with the listing: an upload leaves `creating` only once its record is on disk.
    const pending = [...creating.values()];
    const stored = await Promise.all(ids.filter((id) => !pending.some((upload) => upload.id === id)).map(read));
    const open = stored.flatMap((found) => {
      if (!found || now - found.createdAt >= expiryMs) return []; // expired: refused already, removed by the hourly job
      const { upload } = found;
      return upload.size === undefined || upload.offset < upload.size ? [upload] : [];
    });
    return [...open, ...pending];
  }

  return {
    /** The largest upload the protocol handler accepts, in bytes. */
    maxBytes,

    isUploadId: (id: string) => UPLOAD_ID.test(id),

    /** A fresh ID for an upload about to be created. */
    newId: () => randomBytes(16).toString('hex'),

    /**
     * Admits a new upload: `check` sees every unfinished upload and refuses by throwing. Once admitted, the
     * upload counts among the unfinished until its creation request (handle with this ID) is over.
     */
    async admit(upload: { id: string; size?: number; metadata: Record<string, string> }, check: (unfinished: ResumableUpload[]) => Promise<void>): Promise<void> {
      const admission = admissions.then(async () => {
        await check(await unfinished());
        creating.set(upload.id, { ...upload, filePath: '', offset: 0 });
      });
      admissions = admission.catch(() => {});
      await admission;
    },

    /**
     * Hands a request to the protocol handler, acting on upload `id` only: the one the caller authorized
     * (HEAD, PATCH, DELETE) or admitted (POST). Whatever else the URL said is not passed on.
     */
    async handle(request: http.IncomingMessage, response: http.ServerResponse, id?: string): Promise<void> {
      request.url = id === undefined || request.method === 'POST' ? path : `${path}/${id}`;
      if (id !== undefined) authorized.set(request, id);
      answerRefusalsInJson(response, describeError);
      try {
        await server.handle(request, response);
      } finally {
        if (request.method === 'POST' && id !== undefined) {
          creating.delete(id);
          // A creation not answered 201, or whose body was cut off, left the client no URL to resume with.
          if (response.statusCode !== 201 || !request.complete) await store.remove(id).catch(() => {});
        }
      }
    },

    /** The upload's record, or undefined when there is none (unknown, finished or expired). */
    get,

    unfinished,

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
      const names = await fs.readdir(directory).catch(() => [] as string[]);
      for (const name of names) {
        // Hand-over links, and data files whose record was never written (a crash while creating).
        const orphan = name.endsWith('.finished') || (UPLOAD_ID.test(name) && !names.includes(`${name}.json`) && !creating.has(name));
        if (!orphan) continue;
        const file = nodePath.join(directory, name);
        const stat = await fs.stat(file).catch(() => undefined);
        if (stat && now.getTime() - stat.mtimeMs > expiryMs) {
          await fs.rm(file, { force: true });
          if (!name.endsWith('.finished')) removed += 1;
        }
      }
      return removed;
    },
  };
}

export type ResumableUploads = ReturnType<typeof createResumableUploads>;
