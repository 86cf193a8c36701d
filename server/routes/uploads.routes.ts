// tus 1.0.0 resumable uploads at /api/v1/uploads: authenticated and authorized here, then handed to
// the protocol implementation, which acts on exactly the upload authorized here (the body is never
// parsed by Fastify).
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody, fail } from '../errors';
import type { ResumableUploads } from '../../storage/resumable-uploads';
import type { UploadsService } from '../services/uploads.service';
import { EVERYONE, principalOf } from './access';

interface Options {
  uploads: Pick<UploadsService, 'authorizeCreate' | 'authorizeAccess' | 'admit' | 'admitLength'>;
  resumable: Pick<ResumableUploads, 'handle' | 'get' | 'admit' | 'unfinished' | 'newId' | 'isUploadId' | 'maxBytes'>;
  /** Refuses with 507 when the disk could not take this many more bytes. */
  ensureRoomFor: (bytes: number) => Promise<void>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const METADATA_KEY = /^[\x21-\x2b\x2d-\x7e]+$/; // printable ASCII without space or comma
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Upload-Metadata: comma-separated "key base64value" pairs (tus 1.0.0), read as strictly as the protocol
 * says: a malformed pair, a repeated key, bad base64 or a value that is not UTF-8 is refused, not guessed at.
 */
function parseMetadata(header: string | undefined): Record<string, string> {
  const metadata = new Map<string, string>();
  if (header === undefined || header.trim() === '') return {};
  for (const pair of header.split(',')) {
    const tokens = pair.trim().split(' ');
    const [key, value = ''] = tokens;
    if (tokens.length > 2 || !METADATA_KEY.test(key) || metadata.has(key) || !BASE64.test(value)) {
      fail('VALIDATION_FAILED', 'Upload-Metadata must be comma-separated pairs of a key and its base64 value, each key once.');
    }
    // The protocol handler keeps metadata in a plain object and refuses such names; say why here.
    if (key in Object.prototype) fail('VALIDATION_FAILED', `Upload-Metadata may not use the key "${key}".`);
    try {
      metadata.set(key, utf8.decode(Buffer.from(value, 'base64')));
    } catch {
      fail('VALIDATION_FAILED', `Upload-Metadata "${key}" is not UTF-8 text.`);
    }
  }
  return Object.fromEntries(metadata);
}

function formatMetadata(metadata: Record<string, string>): string {
  return Object.entries(metadata)
    .map(([key, value]) => (value === '' ? key : `${key} ${Buffer.from(value, 'utf8').toString('base64')}`))
    .join(',');
}

/** The protocol handler reads rawHeaders, so the header is replaced there as well. */
function replaceHeader(request: FastifyRequest, name: string, value: string): void {
  const raw = request.raw.rawHeaders;
  for (let i = raw.length - 2; i >= 0; i -= 2) if (raw[i].toLowerCase() === name) raw.splice(i, 2);
  raw.push(name, value);
  request.raw.headers[name] = value;
}

/** Parallel uploads (the concatenation extension) are not offered; a client that tries is told so, as its mistake. */
function refuseConcatenation(request: FastifyRequest): void {
  if (request.headers['upload-concat'] !== undefined) {
    fail('VALIDATION_FAILED', 'Upload-Concat is not supported: send each file as one upload, without parallel parts.');
  }
}

/** The bytes a request's body says it carries (0 when it does not say). */
const contentLength = (request: FastifyRequest) => Number(request.headers['content-length'] ?? 0) || 0;

const routeSchema = { tags: ['uploads'], hide: false };

export const uploadsRoutes: FastifyPluginAsync<Options> = async (app, { uploads, resumable, ensureRoomFor }) => {
  /**
   * Upload-Length, when sent: a whole number of bytes (400 otherwise) no larger than the largest upload
   * accepted (413). Checked before any room is looked for, so a length no disk could hold is "too large".
   */
  function uploadLength(request: FastifyRequest): number | undefined {
    const value = request.headers['upload-length'];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !/^(0|[1-9][0-9]*)$/.test(value)) fail('VALIDATION_FAILED', 'Upload-Length must be a whole number of bytes.');
    if (value.length > 16 || Number(value) > resumable.maxBytes) {
      fail('PAYLOAD_TOO_LARGE', `Upload-Length is more than the largest upload accepted (${resumable.maxBytes} bytes).`);
    }
    return Number(value);
  }

  // tus bodies are streamed straight to disk by the protocol handler.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));

  async function handOver(request: FastifyRequest, reply: FastifyReply, id?: string) {
    reply.hijack();
    reply.raw.setHeader('x-content-type-options', 'nosniff');
    await resumable.handle(request.raw, reply.raw, id);
  }

  app.route({
    method: ['POST'],
    url: '/uploads',
    config: { allow: EVERYONE },
    schema: {
      ...routeSchema,
      summary:
        'tus: create an upload (creation, creation-with-upload, creation-defer-length); Upload-Metadata needs captureId, ' +
        'and may carry capturedAt, caption, filename and tags (comma-separated courier photo tags, kept on photos). ' +
        'Refused with 429 TOO_MANY_UNFINISHED_UPLOADS while the caller has MAX_UNFINISHED_UPLOADS unfinished, ' +
        'and with 507 when the disk could not hold every unfinished upload’s declared length',
    },
    handler: async (request, reply) => {
      refuseConcatenation(request);
      const principal = principalOf(request);
      const metadata = uploads.authorizeCreate(principal, parseMetadata(request.headers['upload-metadata'] as string | undefined));
      const length = uploadLength(request);
      if (length !== undefined && contentLength(request) > length) fail('PAYLOAD_TOO_LARGE', 'The body is longer than Upload-Length.');
      const id = resumable.newId();
      await resumable.admit({ id, size: length, metadata }, (unfinished) => uploads.admit(principal, length ?? contentLength(request), unfinished));
      replaceHeader(request, 'upload-metadata', formatMetadata(metadata));
      await handOver(request, reply, id);
    },
  });

  app.route({
    method: ['HEAD', 'PATCH', 'DELETE'],
    url: '/uploads/:id',
    config: { allow: EVERYONE },
    schema: {
      ...routeSchema,
      summary: 'tus: offset (HEAD), append (PATCH; the final response carries Packtrail-Media-Id), terminate (DELETE)',
    },
    handler: async (request, reply) => {
      const { id } = request.params as { id: string };
      if (!resumable.isUploadId(id)) {
        return reply.code(404).send(errorBody(404, 'NOT_FOUND', 'No such upload.'));
      }
      // The upload is named by its path alone: a query string or any other spelling could steer the
      // protocol handler elsewhere, so only the exact URL the upload was created with is accepted.
      if (request.raw.url !== request.routeOptions.url!.replace(':id', id)) {
        fail('VALIDATION_FAILED', 'An upload URL is used exactly as the Location it was created with, without a query string.');
      }
      refuseConcatenation(request);
      const upload = uploads.authorizeAccess(principalOf(request), await resumable.get(id));
      if (request.method === 'PATCH') {
        // A length declared now (it was deferred) joins the reservations; one declared twice is tus's 400.
        const length = uploadLength(request);
        if (length !== undefined && upload.size === undefined) await uploads.admitLength(upload, length, await resumable.unfinished());
        // Measured from where the client says it continues; an offset that is not the upload's is tus's 409.
        const claimed = request.headers['upload-offset'];
        const from = typeof claimed === 'string' && /^(0|[1-9][0-9]{0,14})$/.test(claimed) ? Number(claimed) : upload.offset;
        const left = Math.max(0, (upload.size ?? length ?? resumable.maxBytes) - from);
        if (contentLength(request) > left) fail('PAYLOAD_TOO_LARGE', 'The body is longer than what is left of the upload.');
        // A body sent in chunks says nothing of its size: the rest of a known length, else what it writes as it comes.
        const unknownBody = request.headers['content-length'] === undefined;
        await ensureRoomFor(unknownBody ? Math.max(0, (upload.size ?? length ?? from) - from) : contentLength(request));
      }
      await handOver(request, reply, id);
    },
  });

  app.route({
    method: 'OPTIONS',
    url: '/uploads',
    config: { allow: 'public' },
    schema: { ...routeSchema, summary: 'tus: server capabilities' },
    handler: (request, reply) => handOver(request, reply),
  });
};
