// Sends a stored file exactly as it is: a strong ETag (an original's SHA-256), Range so videos seek,
// 304 to save bandwidth.
import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { extensionFor } from '../../storage/file-types';
import type { MediaRow } from '../../storage/media.repository';
import { fail } from '../errors';
import { parseRange } from './range';

/** What is sent: its strong ETag, size, type and download name. */
export interface SentFile {
  etag: string;
  bytes: number;
  mime: string;
  filename: string;
}

export function describeOriginal(row: MediaRow): SentFile {
  return { etag: `"${row.sha256}"`, bytes: row.bytes, mime: row.mime, filename: `${row.id}.${extensionFor(row.mime)}` };
}

/** If-None-Match compares weakly (RFC 9110 13.1.2): a list, W/ prefixes and * all count. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etag;
  });
}

export async function sendOriginal(
  request: FastifyRequest,
  reply: FastifyReply,
  file: SentFile,
  /** The bytes, or a range of them, from wherever the store keeps them; opened only once headers are settled. */
  open: (range?: { start: number; end: number }) => Promise<Readable>,
  /**
   * Called before any byte is sent, for every range: all that leaves is custody. The audit service
   * folds a player's many Range requests into one viewing.
   */
  recordRead: () => void,
) {
  const { etag, bytes, mime, filename } = file;
  reply
    .header('etag', etag)
    .header('accept-ranges', 'bytes')
    .header('cache-control', 'private, max-age=31536000, immutable')
    .header('content-disposition', `inline; filename="${filename}"`);
  if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();
  const ifRange = request.headers['if-range'];
  const range = ifRange && ifRange !== etag ? undefined : parseRange(request.headers.range, bytes);
  if (range === 'unsatisfiable') {
    reply.header('content-range', `bytes */${bytes}`);
    fail('RANGE_NOT_SATISFIABLE');
  }
  reply.type(mime);
  if (request.method !== 'HEAD') recordRead();
  if (!range) return reply.header('content-length', bytes).send(await open());
  return reply
    .code(206)
    .header('content-range', `bytes ${range.start}-${range.end}/${bytes}`)
    .header('content-length', range.end - range.start + 1)
    .send(await open(range));
}

/** A derived JPEG (thumbnail or poster); like the original, it shows the evidence, so its sending is recorded. */
export function sendDerivedImage(request: FastifyRequest, reply: FastifyReply, image: Readable, recordRead: () => void) {
  if (request.method !== 'HEAD') recordRead();
  return reply.type('image/jpeg').header('cache-control', 'private, max-age=86400').send(image);
}
