// The real server as a child process (for kill -9, SIGTERM and memory measurements), and a multipart
// client that streams a file from a generator, so neither side ever holds a whole upload in memory.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildServer {
  url: string;
  /** The pid of the Node process that serves requests: no wrapper process sits between, so signals reach it directly. */
  pid: number;
  dataDir: string;
  exited: Promise<ChildExit>;
  isRunning(): boolean;
  /** The last lines the server printed, for failure messages. */
  output(): string;
  /** kill -9: no handler runs, nothing is flushed by the process itself. */
  kill(): Promise<ChildExit>;
  /** SIGTERM, the way a service manager stops it; SIGKILL and an error if it has not exited in time. */
  stop(timeoutMs?: number): Promise<ChildExit>;
  /** VmHWM from /proc: the most resident memory the process has had since it started or since resetPeakRss(). */
  peakRssBytes(): number;
  /** Lowers VmHWM to the current RSS (Linux clear_refs), to measure the peak of one phase. */
  resetPeakRss(): void;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function killLeftoversOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

/**
 * Starts the server (by default `server/main.ts`) on a random loopback port and resolves once it logs
 * where it listens. Runs `node --import tsx` rather than the tsx CLI: the CLI is a wrapper that spawns
 * the server as its own child, and a SIGKILL sent to the wrapper leaves the real server running as an orphan.
 */
export async function startChildServer(options: {
  dataDir: string;
  env?: Record<string, string>;
  /** Flags for node itself, such as --cpu-prof. */
  nodeArgs?: string[];
  /** Another entry point relative to the repository root: TypeScript runs through tsx, a built .mjs/.js bundle as it is. */
  entry?: string;
  startTimeoutMs?: number;
}): Promise<ChildServer> {
  const { dataDir, env = {}, nodeArgs = [], entry = 'server/main.ts', startTimeoutMs = 30_000 } = options;
  killLeftoversOnExit();
  const loader = /\.[cm]?js$/.test(entry) ? [] : ['--import', 'tsx'];
  const child = spawn(process.execPath, [...nodeArgs, ...loader, entry], {
    cwd: repoRoot,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });

  const lines: string[] = [];
  const keep = (line: string) => {
    lines.push(line);
    if (lines.length > 300) lines.shift();
  };
  const output = () => lines.join('\n');
  readline.createInterface({ input: child.stderr! }).on('line', keep);

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${startTimeoutMs} ms:\n${output()}`));
    }, startTimeoutMs);
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      keep(line);
      const listening = /"msg":"Server listening at (http:\/\/[^"]+)"/.exec(line);
      if (listening) {
        clearTimeout(timer);
        resolve(listening[1]);
      }
    });
    void exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`server exited before listening (${exit.signal ?? exit.code}):\n${output()}`));
    });
  });

  const isRunning = () => child.exitCode === null && child.signalCode === null;
  return {
    url,
    pid: child.pid!,
    dataDir,
    exited,
    isRunning,
    output,
    async kill() {
      if (isRunning()) child.kill('SIGKILL');
      return exited;
    },
    async stop(timeoutMs = 30_000) {
      if (!isRunning()) return exited;
      child.kill('SIGTERM');
      const timer = new AbortController();
      const timeout = sleep(timeoutMs, undefined, { signal: timer.signal }).catch(() => undefined);
      const exit = await Promise.race([exited, timeout]);
      timer.abort();
      if (exit) return exit;
      child.kill('SIGKILL');
      throw new Error(`server did not exit within ${timeoutMs} ms of SIGTERM:\n${output()}`);
    },
    peakRssBytes() {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kib = /^VmHWM:\s+(\d+) kB$/m.exec(status);
      if (!kib) throw new Error(`no VmHWM for pid ${child.pid}`);
      return Number(kib[1]) * 1024;
    },
    resetPeakRss() {
      fs.writeFileSync(`/proc/${child.pid}/clear_refs`, '5');
    },
  };
}

/**
 * One request on a connection of its own that closes after the answer. Verification reads use it so
 * that how long a stop takes reflects the server, not an idle keep-alive connection the test left open.
 */
function request(
  url: string,
  method: string,
  route: string,
  options: { token?: string; json?: unknown } = {},
): Promise<http.IncomingMessage> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const body = options.json === undefined ? undefined : JSON.stringify(options.json);
  if (body !== undefined) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(route, url), { method, headers, agent: false }, resolve);
    req.once('error', reject);
    req.end(body);
  });
}

/** JSON request against the server, with an optional bearer token; throws on an unexpected status. */
export async function apiJson<T = Record<string, unknown>>(
  url: string,
  method: string,
  route: string,
  options: { token?: string; json?: unknown; expect?: number } = {},
): Promise<T> {
  const response = await request(url, method, route, options);
  const parts: Buffer[] = [];
  for await (const part of response) parts.push(part as Buffer);
  const text = Buffer.concat(parts).toString('utf8');
  const expected = options.expect ?? (method === 'POST' ? 201 : 200);
  if (response.statusCode !== expected) throw new Error(`${method} ${route}: ${response.statusCode} ${text}`);
  return JSON.parse(text) as T;
}

/** Downloads an original as a stream and returns its status, ETag, SHA-256 and length. */
export async function fetchOriginal(
  url: string,
  token: string,
  mediaId: string,
): Promise<{ status: number; etag?: string; sha256: string; bytes: number }> {
  const response = await request(url, 'GET', `/api/v1/media/${mediaId}/original`, { token });
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of response) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { status: response.statusCode ?? 0, etag: response.headers.etag, sha256: hash.digest('hex'), bytes };
}

/** Sets the shop up and opens a packing capture; returns the owner's token and the capture id. */
export async function setUpCapture(url: string): Promise<{ token: string; captureId: string }> {
  const { token } = await apiJson<{ token: string }>(url, 'POST', '/api/v1/setup', {
    json: { email: 'owner@example.com', password: 'correct horse battery', shopName: 'Crash Test Shop' },
  });
  const capture = await apiJson<{ id: string }>(url, 'POST', '/api/v1/captures', { token, json: { orderId: `ORD-${randomUUID()}`, kind: 'packing' } });
  return { token, captureId: capture.id };
}

/**
 * Exactly `size` bytes the server accepts as a PDF: the magic, a marker that makes every file
 * unique (so content addressing never merges two of them), filler, and the %%EOF a whole PDF ends
 * with. Without `filler` each chunk is fresh random bytes; with it, slices of one fixed buffer are
 * reused, which costs nothing to make.
 */
export function* pdfChunks(size: number, options: { chunkSize?: number; filler?: Buffer } = {}): Generator<Buffer> {
  const { chunkSize = 64 * 1024, filler } = options;
  const head = Buffer.from(`%PDF-1.4\n%${randomUUID()}\n`);
  const tail = Buffer.from('\n%%EOF\n');
  if (size < head.length + tail.length) throw new Error(`a PDF-looking file needs at least ${head.length + tail.length} bytes`);
  yield head;
  let left = size - head.length - tail.length;
  let offset = 0;
  while (left > 0) {
    const length = Math.min(chunkSize, left);
    if (!filler) {
      yield randomBytes(length);
    } else {
      if (offset + length > filler.length) offset = 0;
      yield filler.subarray(offset, offset + length);
      offset += length;
    }
    left -= length;
  }
  yield tail;
}

/** Passes chunks through, waiting `delayMs` after each and, once `holdAfterBytes` have passed, until `gate` settles. */
export async function* paced(
  chunks: Iterable<Buffer>,
  options: { delayMs?: number; holdAfterBytes?: number; gate?: Promise<void> },
): AsyncGenerator<Buffer> {
  let passed = 0;
  let held = false;
  for (const chunk of chunks) {
    yield chunk;
    passed += chunk.length;
    if (!held && options.gate && options.holdAfterBytes !== undefined && passed >= options.holdAfterBytes) {
      held = true;
      await options.gate;
    }
    if (options.delayMs) await sleep(options.delayMs);
  }
}

export interface UploadResult {
  /** 0 when no response arrived (the connection broke first). */
  status: number;
  body: unknown;
  /** File bytes handed to the socket. */
  sentBytes: number;
  /** SHA-256 of the file, computed while sending; only when the whole file went out and hashing was on. */
  sha256?: string;
  error?: Error;
}

export interface Upload {
  /** 'sending' until the last body byte is handed to the socket, then 'sent', then 'done' with a result. */
  readonly phase: 'sending' | 'sent' | 'done';
  readonly sentBytes: number;
  readonly result: Promise<UploadResult>;
}

/**
 * POSTs one "file" part to /captures/:id/media as multipart, writing chunks as the generator yields
 * them and waiting for the socket to drain, so a slow or held generator leaves the request mid-body.
 * Never rejects: a broken connection is a result with status 0.
 */
export function startUpload(options: {
  url: string;
  token: string;
  captureId: string;
  chunks: Iterable<Buffer> | AsyncIterable<Buffer>;
  /** Sends Content-Length when known, as browsers do for files. */
  size?: number;
  filename?: string;
  hash?: boolean;
  agent?: http.Agent;
}): Upload {
  const boundary = `----packtrail-${randomBytes(12).toString('hex')}`;
  const preamble = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${options.filename ?? 'upload.pdf'}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const epilogue = Buffer.from(`\r\n--${boundary}--\r\n`);
  const headers: Record<string, string | number> = {
    authorization: `Bearer ${options.token}`,
    'content-type': `multipart/form-data; boundary=${boundary}`,
  };
  if (options.size !== undefined) headers['content-length'] = preamble.length + options.size + epilogue.length;
  const request = http.request(new URL(`/api/v1/captures/${options.captureId}/media`, options.url), {
    method: 'POST',
    headers,
    agent: options.agent,
  });

  const state: { phase: Upload['phase']; sentBytes: number } = { phase: 'sending', sentBytes: 0 };
  let requestError: Error | undefined;
  request.on('error', (error) => (requestError ??= error));

  const response = new Promise<{ status: number; body: unknown } | undefined>((resolve) => {
    request.once('response', (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.once('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // Not JSON: keep the text for the failure message.
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
      res.once('error', () => resolve(undefined));
      res.once('aborted', () => resolve(undefined));
    });
    request.once('close', () => setImmediate(() => resolve(undefined)));
  });

  const drained = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        request.off('drain', done);
        request.off('close', done);
        resolve();
      };
      request.once('drain', done);
      request.once('close', done);
    });

  async function send(): Promise<string | undefined> {
    const hash = options.hash === false ? undefined : createHash('sha256');
    request.write(preamble);
    for await (const chunk of options.chunks) {
      if (request.destroyed) return undefined;
      hash?.update(chunk);
      state.sentBytes += chunk.length;
      if (!request.write(chunk)) await drained();
    }
    if (request.destroyed) return undefined;
    request.end(epilogue);
    state.phase = 'sent';
    return hash?.digest('hex');
  }

  const result = (async (): Promise<UploadResult> => {
    let sha256: string | undefined;
    try {
      sha256 = await send();
    } catch (error) {
      requestError ??= error as Error;
      request.destroy();
    }
    const answer = await response;
    state.phase = 'done';
    return { status: answer?.status ?? 0, body: answer?.body, sentBytes: state.sentBytes, sha256, error: answer ? undefined : requestError };
  })();

  return {
    get phase() {
      return state.phase;
    },
    get sentBytes() {
      return state.sentBytes;
    },
    result,
  };
}

/** Staged uploads the server is writing right now (non-empty .part files). */
export function partFilesInProgress(dataDir: string): number {
  const staging = path.join(dataDir, 'staging');
  if (!fs.existsSync(staging)) return 0;
  return fs.readdirSync(staging).filter((name) => {
    try {
      return fs.statSync(path.join(staging, name)).size > 0;
    } catch {
      return false; // finished and renamed between the listing and the stat
    }
  }).length;
}
