// Sends an original exactly as stored: ETag is its SHA-256, Range makes videos seekable, 304 saves bandwidth.
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { extensionFor } from '../../storage/file-types';
import type { MediaRow } from '../../storage/media.repository';
import { fail } from '../errors';
import { parseRange } from './range';

export function sendOriginal(
  request: FastifyRequest,
  reply: FastifyReply,
  row: MediaRow,
  open: (range?: { start: number; end: number }) => Readable,
  /** Told whether this request starts reading the file, so seeks are not each counted as a download. */
  onDownload: () => void,
) {
  const etag = `"${row.sha256}"`;
  reply
    .header('etag', etag)
    .header('accept-ranges', 'bytes')
    .header('cache-control', 'private, max-age=31536000, immutable')
    .header('content-disposition', `inline; filename="${row.id}.${extensionFor(row.mime)}"`);
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  const ifRange = request.headers['if-range'];
  const range = ifRange && ifRange !== etag ? undefined : parseRange(request.headers.range, row.bytes);
  if (range === 'unsatisfiable') {
    reply.header('content-range', `bytes */${row.bytes}`);
    fail('RANGE_NOT_SATISFIABLE');
  }
  reply.type(row.mime);
  if (!range || range.start === 0) onDownload();
  if (!range) return reply.header('content-length', row.bytes).send(open());
  return reply
    .code(206)
    .header('content-range', `bytes ${range.start}-${range.end}/${row.bytes}`)
    .header('content-length', range.end - range.start + 1)
    .send(open(range));
}

/** A derived JPEG (thumbnail or poster). */
export function sendDerivedImage(reply: FastifyReply, file: string) {
  return reply.type('image/jpeg').header('cache-control', 'private, max-age=86400').send(fs.createReadStream(file));
}
