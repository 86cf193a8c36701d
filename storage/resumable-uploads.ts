// The only importer of @tus/*: the tus 1.0.0 protocol over files in DATA_DIR/uploads. What a finished
// upload becomes (media, after the same checks as any other) is decided by the caller's onFinish.
import { randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import type http from 'node:http';
import nodePath from 'node:path';
import { FileStore } from '@tus/file-store';
import { ERRORS, EVENTS, Server, type Upload } from '@tus/server';
import { isStorageFull, StorageFullError, type Digest } from './blobs/blob-store';
import { RunningDigest } from './blobs/digest';
import { roomBudget } from './room-check';

export interface ResumableUpload {
  id: string;
  /** Where the bytes are, on the same disk as the originals so they can be moved, not copied. */
  filePath: string;
  metadata: Record<string, string>;
  size?: number;
  offset: number;
  /** SHA-256, CRC-32 and head of the finished upload, taken while its bytes arrived (absent when they must be read again). */
  digest?: Digest;
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
 * Bytes a body may have in flight to the disk before reading it pauses; also the largest single write.
 * 1 MiB, not more: bytes just hashed are still in the CPU's cache when they are copied to the disk's.
 * With 4 MiB, once reading no longer paused every megabyte for a room check, a 1 GiB upload took half
 * again as much CPU and ran at two thirds of the speed (BENCHMARKS.md, Ingest).
 */
const WRITE_BUFFER = 1 << 20;
/** Bytes read at once when a hash state is rebuilt from disk. */
const READ_CHUNK = 1 << 20;

/**
 * Appends a request body to an upload's file in one pass: each chunk is counted against the body's
 * limit and the disk's floor, hashed into `digest`, and handed to a write stream that batches chunks
 * into large writes. No other stream stands between the socket and the file, and no fsync happens
 * here: the finished upload is fsynced once before it is acknowledged (the store's stageFile). A body
 * stops where the disk's floor is, not where the disk is full: the client is told 507 and may resume,
 * from what was written, once space is freed.
 *
 * Settles with the bytes written once the file is closed. A body cut off by the client, or stopped by
 * `signal` (another request asking for the upload's lock), still keeps what was written, and `digest`
 * stays true to the file. When the write itself fails (`writeFailed`), the file may hold part of a chunk
 * that `digest` counted, so the digest no longer stands for the file.
 */
function appendHashed(
  source: http.IncomingMessage,
  file: string,
  offset: number,
  maxBody: number,
  digest: RunningDigest,
  roomLeft: () => Promise<number>,
  signal: AbortSignal,
): Promise<{ written: number; cutOff: boolean; error?: unknown; writeFailed?: boolean }> {
  return new Promise((resolve) => {
    const out = createWriteStream(file, { flags: 'r+', start: offset, highWaterMark: WRITE_BUFFER });
    let written = 0;
    let budget = 0;
    /** Reasons reading is paused for (the write stream's buffer is full, room is being asked for). */
    let waits = 0;
    let stopped = false;
    /** A chunk is waiting for room; the body's end (which follows its last chunk at once) waits for it. */
    let checkingRoom = false;
    let endedMeanwhile = false;
    let cutOff = false;
    let failure: unknown;
    let writeFailed = false;

    const resume = () => {
      waits -= 1;
      if (waits === 0 && !stopped) source.resume();
    };
    const pause = () => {
      if (waits++ === 0) source.pause();
    };
    const take = (chunk: Buffer) => {
      written += chunk.length;
      digest.add(chunk);
      if (!out.write(chunk)) {
        pause();
        out.once('drain', resume);
      }
    };
    const onData = (chunk: Buffer) => {
      if (stopped) return;
      if (written + chunk.length > maxBody) return stop(ERRORS.ERR_MAX_SIZE_EXCEEDED);
      if (chunk.length <= budget) {
        budget -= chunk.length;
        return take(chunk);
      }
      // Room is asked for now and then (roomBudget); reading waits for the answer, and the chunk with it.
      pause();
      checkingRoom = true;
      roomLeft().then(
        (room) => {
          checkingRoom = false;
          if (stopped) return;
          const left = room - out.writableLength;
          if (left < chunk.length) return stop(new StorageFullError());
          budget = roomBudget(left, chunk.length) - chunk.length;
          take(chunk);
          if (endedMeanwhile) return stop();
          resume();
        },
        (error) => stop(error),
      );
    };
    const onEnd = () => {
      if (checkingRoom) endedMeanwhile = true;
      else stop();
    };
    const onCut = () => {
      if (source.complete) return;
      cutOff = true;
      onEnd();
    };
    const onAbort = () => stop();

    /** Stops reading (the rest of the body stays unread, the request itself untouched) and closes the file. */
    function stop(error?: unknown) {
      if (stopped) return;
      stopped = true;
      failure ??= error;
      source.off('data', onData).off('end', onEnd).off('error', onCut).off('close', onCut);
      signal.removeEventListener('abort', onAbort);
      if (!source.complete) source.pause();
      out.end();
    }

    out.on('error', (error) => {
      writeFailed = true;
      failure = error;
      stop();
      out.destroy();
    });
    out.once('close', () => resolve({ written, cutOff, error: failure, writeFailed }));
    if (signal.aborted) return stop();
    signal.addEventListener('abort', onAbort, { once: true });
    source.on('data', onData).once('end', onEnd).once('error', onCut).once('close', onCut);
    if (source.readableEnded) stop();
    else source.resume();
  });
}

/** What the protocol handler passes on as a request's body: only a pointer to the Node request, which writeBody reads itself. */
class NodeBody {
  constructor(readonly request: http.IncomingMessage) {}
}

/**
 * The protocol handler's view of a request that carries a body: method, URL and headers, and as its
 * body no stream (one would start reading the socket) but a NodeBody, with the Node request and
 * response where the handler and our hooks look for them. Undefined when the headers are not ones a
 * web Request takes.
 */
function bodilessRequest(request: http.IncomingMessage, response: http.ServerResponse): Request | undefined {
  const headers = new Headers();
  try {
    for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    const bodiless = new Request(`http://localhost${request.url}`, { method: request.method, headers });
    Object.defineProperty(bodiless, 'body', { value: new NodeBody(request) });
    return Object.assign(bodiless, { runtime: { name: 'node', node: { req: request, res: response } } });
  } catch {
    return undefined;
  }
}

/** Sends the protocol handler's answer (a web Response) on the Node response. */
async function sendAnswer(response: http.ServerResponse, answer: Response): Promise<void> {
  const body = Buffer.from(await answer.arrayBuffer());
  const headers: string[] = [];
  answer.headers.forEach((value, name) => headers.push(name, value));
  if (!answer.headers.has('content-length') && answer.status !== 204 && answer.status !== 304) headers.push('content-length', String(body.length));
  response.writeHead(answer.status, headers);
  response.end(body.length > 0 ? body : undefined);
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
  const store = new FileStore({ directory, expirationPeriodInMilliseconds: expiryMs });

  /**
   * The hash state of each upload this process has written to, true to exactly the bytes of its file
   * (its `bytes` is the file's length). Lost with the process: a restart rebuilds it from the file.
   */
  const digests = new Map<string, RunningDigest>();
  /** Bytes read back from disk to rebuild lost hash states, for the tests and the log. */
  let rereadBytes = 0;

  /** The hash state for an upload `offset` bytes long; read again from its file only when it was lost or does not match. */
  async function digestAt(id: string, offset: number): Promise<RunningDigest> {
    const known = digests.get(id);
    if (known && known.bytes === offset) return known;
    digests.delete(id);
    const digest = new RunningDigest();
    if (offset > 0) {
      for await (const chunk of createReadStream(nodePath.join(directory, id), { start: 0, end: offset - 1, highWaterMark: READ_CHUNK })) digest.add(chunk as Buffer);
      rereadBytes += digest.bytes;
      if (digest.bytes !== offset) throw new Error(`upload file holds ${digest.bytes} bytes, not ${offset}`);
    }
    digests.set(id, digest);
    return digest;
  }

  /**
   * Writes the body of the request being handled to an upload, hashing it on the way: what the
   * protocol handler's own writer does (body limit, cut-off bodies, a lock handed on), without its
   * chain of web and Node streams, each of which costs a copy or a hop per chunk.
   */
  async function writeBody(body: unknown, upload: Upload, maxBody: number, context: { signal: AbortSignal }): Promise<number> {
    const source = body instanceof NodeBody ? body.request : undefined;
    if (!source) throw new Error('a body was written that did not come through handle()');
    if (context.signal.aborted) throw ERRORS.ABORTED;
    const offset = upload.offset;
    let digest: RunningDigest;
    try {
      digest = await digestAt(upload.id, offset);
    } catch (error) {
      logError(error, { stage: 'rehashing', upload: idHint(upload.id), offset });
      throw ERRORS.FILE_WRITE_ERROR;
    }
    const file = upload.storage?.path ?? nodePath.join(directory, upload.id);
    const { written, cutOff, error, writeFailed } = await appendHashed(source, file, offset, maxBody, digest, roomLeft, context.signal);
    if (writeFailed) digests.delete(upload.id);
    if (error === ERRORS.ERR_MAX_SIZE_EXCEEDED) throw error;
    if (error) {
      logError(error, { stage: 'writing', upload: idHint(upload.id), offset, received: written });
      throw isStorageFull(error) ? diskFull() : ERRORS.FILE_WRITE_ERROR;
    }
    // A client that went away is no failure of ours (answered as such by onResponseError).
    if (cutOff) throw ERRORS.FILE_WRITE_ERROR;
    return offset + written;
  }

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
        // The digest taken while the bytes arrived, when it stands for all of them (a state rebuilt on this
        // PATCH counts too); otherwise the caller reads the file to hash it.
        const running = digests.get(upload.id);
        const digest = running && running.bytes === upload.offset ? running.current() : undefined;
        const headers = await onFinish({ id: upload.id, filePath: handedOver, metadata: clean(upload.metadata), size: upload.size, offset: upload.offset, digest });
        return { headers };
      } catch (error) {
        await fs.rm(handedOver, { force: true });
        // An upload refused for what it is (4xx) is over: its bytes and its record go. One that could not
        // be registered now (a full disk, a failure of ours) is kept whole: a PATCH of no bytes at its
        // full offset finishes it again once the server can.
        const refused = error instanceof UploadRefusal && error.statusCode < 500 && error.statusCode !== 507;
        if (refused) {
          digests.delete(upload.id);
          await store.remove(upload.id).catch(() => {});
        }
        else logError(error, { stage: 'finishing', upload: idHint(upload.id), bytes: upload.size });
        if (error instanceof UploadRefusal) throw { status_code: error.statusCode, body: error.body };
        if (isStorageFull(error)) throw diskFull();
        throw error;
      }
    },
  });
  // The handlers that write bodies write them with writeBody; their requests reach the handler with a
  // NodeBody in place of a stream (see handle), so no stream is made that would read the socket first.
  for (const handler of [server.handlers.PATCH, server.handlers.POST]) {
    (handler as unknown as { writeToStore: (body: unknown, upload: Upload, maxBody: number, context: { signal: AbortSignal }) => Promise<number> }).writeToStore = (
      body,
      upload,
      maxBody,
      context,
    ) => writeBody(body, upload, maxBody, context);
  }
  server.on(EVENTS.POST_FINISH, (_request, _response, upload) => {
    digests.delete(upload.id);
    void store.remove(upload.id).catch(() => {});
  });
  server.on(EVENTS.POST_TERMINATE, (_request, _response, id) => {
    digests.delete(id);
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
        if (request.method === 'PATCH' || request.method === 'POST') {
          // Bodies are read by writeBody straight from this request; the handler sees a request without one.
          const bodiless = bodilessRequest(request, response);
          if (!bodiless) return sendAnswer(response, new Response(describeError(400, 'The request headers could not be read.'), { status: 400 }));
          await sendAnswer(response, await server.handleWeb(bodiless));
        } else {
          await server.handle(request, response);
        }
      } finally {
        if (request.method === 'POST' && id !== undefined) {
          creating.delete(id);
          // A creation not answered 201, or whose body was cut off, left the client no URL to resume with.
          if (response.statusCode !== 201 || !request.complete) {
            digests.delete(id);
            await store.remove(id).catch(() => {});
          }
        }
      }
    },

    /** The upload's record, or undefined when there is none (unknown, finished or expired). */
    get,

    /** Bytes read back from disk so far to rebuild hash states a restart lost (0 while every state was kept). */
    rereadBytes: () => rereadBytes,

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
        digests.delete(id);
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
