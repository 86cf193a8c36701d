// A deliberately literal HTTP client for hostile requests: paths are sent byte for byte (no URL
// normalisation of "..", "%2e" or "%00", which fetch would do), bodies may be cut off mid-way, and a
// raw socket sends what no well-behaved client can (a space in the URL, control characters in headers).
import http from 'node:http';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface HostileRequest {
  method: string;
  /** Sent as is: must start with "/" and may hold anything http.request lets through. */
  path: string;
  headers?: Record<string, string | number>;
  body?: Buffer | string | Iterable<Buffer> | AsyncIterable<Buffer>;
  /** Send this many body bytes, then destroy the socket (an aborted upload). */
  abortAfterBytes?: number;
  timeoutMs?: number;
  /** How much of the answer to keep (the rest is read and dropped); 256 KiB unless said. */
  keepBytes?: number;
  /** A connection of its own, so the request never waits behind others for a pooled socket (timings). */
  ownConnection?: boolean;
}

export interface HostileResponse {
  /** 0 when no answer arrived. */
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The first keepBytes of the answer. */
  body: Buffer;
  bodyBytes: number;
  ms: number;
  error?: string;
}

const KEEP_BODY = 256 * 1024;

export function createClient(baseUrl: string) {
  const base = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

  function send(request: HostileRequest): Promise<HostileResponse> {
    const started = performance.now();
    const { method, path, headers = {}, body, abortAfterBytes, timeoutMs = 30_000, keepBytes = KEEP_BODY } = request;
    return new Promise((resolve) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = (response: Omit<HostileResponse, 'ms'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ ...response, ms: performance.now() - started });
      };
      let req: http.ClientRequest;
      try {
        // A connection that is cut, or whose Content-Length is set by hand (and may lie), is never reused.
        const ownConnection =
          request.ownConnection || abortAfterBytes !== undefined || Object.keys(headers).some((name) => name.toLowerCase() === 'content-length');
        req = http.request({ host: base.hostname, port: base.port, method, path, headers, agent: ownConnection ? false : agent });
      } catch (error) {
        // Node refuses some paths and headers itself; the raw socket is the way to send those.
        finish({ status: 0, headers: {}, body: Buffer.alloc(0), bodyBytes: 0, error: `client refused: ${(error as Error).message}` });
        return;
      }
      timer = setTimeout(() => {
        req.destroy(new Error(`no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      // A server may answer (413, say) and close before the whole body is sent; the answer counts, not the broken pipe.
      let answered: ((error?: string) => void) | undefined;
      req.on('error', (error) => (answered ? answered(error.message) : finish({ status: 0, headers: {}, body: Buffer.alloc(0), bodyBytes: 0, error: error.message })));
      req.on('response', (res) => {
        const kept: Buffer[] = [];
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          if (bytes < keepBytes) kept.push(chunk.subarray(0, keepBytes - bytes));
          bytes += chunk.length;
        });
        const done = (error?: string) =>
          finish({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(kept), bodyBytes: bytes, error });
        answered = (error) => setTimeout(() => done(error), 20);
        res.on('end', () => done());
        res.on('error', (error) => done(error.message));
        res.on('aborted', () => done('response aborted'));
      });
      void writeBody(req, body, abortAfterBytes).catch((error: Error) => req.destroy(error));
    });
  }

  /** Writes bytes to a fresh socket and reads the answer until the server closes or the timeout; for malformed requests. */
  function raw(bytes: Buffer | string, timeoutMs = 10_000): Promise<HostileResponse> {
    const started = performance.now();
    return new Promise((resolve) => {
      const socket = net.connect({ host: base.hostname, port: Number(base.port) });
      const chunks: Buffer[] = [];
      let settled = false;
      const finish = (error?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        resolve({ ...parseRawResponse(Buffer.concat(chunks)), ms: performance.now() - started, ...(error ? { error } : {}) });
      };
      const timer = setTimeout(() => finish(chunks.length ? undefined : `no answer within ${timeoutMs} ms`), timeoutMs);
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        if (completeResponse(Buffer.concat(chunks))) finish();
      });
      socket.on('end', () => finish());
      socket.on('error', (error) => finish(chunks.length ? undefined : error.message));
      socket.write(bytes);
    });
  }

  return { send, raw, close: () => agent.destroy() };
}

export type Client = ReturnType<typeof createClient>;

/** A whole HTTP/1.1 request as bytes, for what http.request refuses to send (control characters, spaces). */
export function rawRequest(method: string, path: string, headers: Record<string, string | number> = {}, body: Buffer | string = ''): Buffer {
  const bytes = Buffer.from(body);
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  if (bytes.length || method === 'POST' || method === 'PATCH' || method === 'PUT') lines.push(`Content-Length: ${bytes.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), bytes]);
}

async function writeBody(req: http.ClientRequest, body: HostileRequest['body'], abortAfterBytes: number | undefined): Promise<void> {
  let sent = 0;
  const write = async (chunk: Buffer): Promise<boolean> => {
    if (req.destroyed) return false;
    if (abortAfterBytes !== undefined && sent + chunk.length >= abortAfterBytes) {
      req.write(chunk.subarray(0, abortAfterBytes - sent));
      // Let the bytes reach the server before the connection goes, as a phone losing signal would.
      await sleep(50);
      req.destroy();
      return false;
    }
    sent += chunk.length;
    if (!req.write(chunk)) await new Promise<void>((resolve) => { req.once('drain', resolve); req.once('close', resolve); });
    return true;
  };
  if (body === undefined) {
    if (abortAfterBytes !== undefined) req.destroy();
    else req.end();
    return;
  }
  const chunks: Iterable<Buffer> | AsyncIterable<Buffer> = typeof body === 'string' ? [Buffer.from(body)] : Buffer.isBuffer(body) ? [body] : body;
  for await (const chunk of chunks) if (!(await write(chunk))) return;
  if (abortAfterBytes !== undefined) {
    await sleep(50);
    req.destroy();
    return;
  }
  req.end();
}

function completeResponse(bytes: Buffer): boolean {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return false;
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(bytes.subarray(0, end).toString('latin1'));
  return length !== null && bytes.length >= end + 4 + Number(length[1]);
}

function parseRawResponse(bytes: Buffer): Omit<HostileResponse, 'ms'> {
  const end = bytes.indexOf('\r\n\r\n');
  const head = (end < 0 ? bytes : bytes.subarray(0, end)).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '')?.[1] ?? 0);
  const headers: http.IncomingHttpHeaders = {};
  for (const line of head.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = end < 0 ? Buffer.alloc(0) : bytes.subarray(end + 4);
  return { status, headers, body, bodyBytes: body.length };
}

/** Runs `work` over `items` with at most `concurrency` in flight, keeping the order of results. */
export async function pool<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
