// A bare tus 1.0.0 client over node:http: each request on a connection of its own, the PATCH body
// written piece by piece, and every outcome (an answer or a broken connection) a value, never a throw,
// so tests can kill the server mid-request and see exactly what the client was told.
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { chunksOf } from './pdf-file';

export interface TusAnswer {
  /** 0 when no answer arrived (the connection broke first). */
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  error?: Error;
}

const TUS = { 'tus-resumable': '1.0.0' };

function send(url: string, method: string, headers: Record<string, string>, body?: Iterable<Buffer>, delayMs = 0): {
  sentBytes: () => number;
  done: Promise<TusAnswer>;
} {
  let sent = 0;
  let finished = false;
  const request = http.request(url, { method, headers, agent: false });
  let requestError: Error | undefined;
  request.on('error', (error) => (requestError ??= error));
  const answer = new Promise<TusAnswer>((resolve) => {
    request.once('response', (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.once('end', () => {
        // An answer before the whole body went out is a refusal: the rest is not worth sending.
        if (!finished) request.destroy();
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(parts).toString('utf8') });
      });
      response.once('error', (error) => resolve({ status: 0, headers: {}, body: '', error }));
      response.once('aborted', () => resolve({ status: 0, headers: {}, body: '', error: new Error('answer cut off') }));
    });
    request.once('close', () => setImmediate(() => resolve({ status: 0, headers: {}, body: '', error: requestError ?? new Error('connection closed') })));
  });
  const writing = (async () => {
    for (const chunk of body ?? []) {
      if (request.destroyed) return;
      sent += chunk.length;
      if (!request.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            request.off('drain', done);
            request.off('close', done);
            resolve();
          };
          request.once('drain', done);
          request.once('close', done);
        });
      }
      if (delayMs) await sleep(delayMs);
    }
    finished = true;
    if (!request.destroyed) request.end();
  })();
  return { sentBytes: () => sent, done: Promise.race([answer, writing.then(() => answer, () => answer)]) };
}

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

/** POST /api/v1/uploads: a new upload of `length` bytes (or of a length told later) into a capture. */
export async function tusCreate(
  url: string,
  token: string,
  options: { captureId: string; length?: number; filename?: string },
): Promise<TusAnswer & { location?: string }> {
  const metadata = [`captureId ${Buffer.from(options.captureId).toString('base64')}`];
  if (options.filename) metadata.push(`filename ${Buffer.from(options.filename).toString('base64')}`);
  const headers: Record<string, string> = { ...auth(token), ...TUS, 'upload-metadata': metadata.join(',') };
  if (options.length === undefined) headers['upload-defer-length'] = '1';
  else headers['upload-length'] = String(options.length);
  const answer = await send(`${url}/api/v1/uploads`, 'POST', headers).done;
  const location = answer.status === 201 && answer.headers.location ? new URL(answer.headers.location, url).href : undefined;
  return { ...answer, location };
}

/** HEAD: the offset the server holds for an upload (and its length, once known). */
export async function tusHead(location: string, token: string): Promise<TusAnswer & { offset?: number; length?: number }> {
  const answer = await send(location, 'HEAD', { ...auth(token), ...TUS }).done;
  const number = (name: string) => (answer.headers[name] === undefined ? undefined : Number(answer.headers[name]));
  return { ...answer, offset: number('upload-offset'), length: number('upload-length') };
}

export interface TusPatch {
  /** Body bytes handed to the socket so far. */
  sentBytes(): number;
  /** The answer; `offset` from Upload-Offset, `mediaId` from Packtrail-Media-Id on the last PATCH. */
  done: Promise<TusAnswer & { offset?: number; mediaId?: string }>;
}

/**
 * PATCH `bytes` at `offset`, written `pieceSize` at a time with `delayMs` between pieces, so the
 * request stays mid-body for a while. Without Content-Length (`chunked`) the server cannot know the
 * size in advance, as with a client streaming from a camera.
 */
export function tusPatch(
  location: string,
  token: string,
  offset: number,
  bytes: Buffer,
  options: { pieceSize?: number; delayMs?: number; chunked?: boolean; uploadLength?: number } = {},
): TusPatch {
  const headers: Record<string, string> = {
    ...auth(token),
    ...TUS,
    'upload-offset': String(offset),
    'content-type': 'application/offset+octet-stream',
  };
  if (!options.chunked) headers['content-length'] = String(bytes.length);
  if (options.uploadLength !== undefined) headers['upload-length'] = String(options.uploadLength);
  const request = send(location, 'PATCH', headers, chunksOf(bytes, options.pieceSize ?? 64 * 1024), options.delayMs);
  return {
    sentBytes: request.sentBytes,
    done: request.done.then((answer) => ({
      ...answer,
      offset: answer.headers['upload-offset'] === undefined ? undefined : Number(answer.headers['upload-offset']),
      mediaId: answer.headers['packtrail-media-id'] as string | undefined,
    })),
  };
}

/** DELETE: ends an upload and frees its bytes. */
export async function tusDelete(location: string, token: string): Promise<TusAnswer> {
  return send(location, 'DELETE', { ...auth(token), ...TUS }).done;
}

/**
 * Sends `bytes` at `offset` and drops the connection after `cutAfter` of them, as a phone losing Wi-Fi
 * does. `token` undefined: no authorization header (the bare protocol handler).
 */
export async function tusPatchCutOff(location: string, token: string | undefined, offset: number, bytes: Buffer, cutAfter: number): Promise<void> {
  const request = http.request(location, {
    method: 'PATCH',
    agent: false,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      'tus-resumable': '1.0.0',
      'upload-offset': String(offset),
      'content-type': 'application/offset+octet-stream',
      'content-length': String(bytes.length),
    },
  });
  request.on('error', () => {});
  const closed = new Promise((resolve) => request.once('close', resolve));
  request.write(bytes.subarray(0, cutAfter));
  await new Promise((resolve) => setTimeout(resolve, 300));
  request.destroy();
  await closed;
}
