// tus 1.0.0 resumable uploads at /api/v1/uploads: authenticated and authorized here, then handed to
// the protocol implementation untouched (the body is never parsed by Fastify).
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { errorBody } from '../errors';
import type { ResumableUploads } from '../../storage/resumable-uploads';
import type { UploadsService } from '../services/uploads.service';
import { EVERYONE, principalOf } from './access';

interface Options {
  uploads: Pick<UploadsService, 'authorizeCreate' | 'authorizeAccess'>;
  resumable: Pick<ResumableUploads, 'handle' | 'get'>;
  /** Refuses with 507 when the disk could not take this many more bytes. */
  ensureRoomFor: (bytes: number) => Promise<void>;
}

/** Upload-Metadata: comma-separated "key base64value" pairs (tus 1.0.0). */
function parseMetadata(header: string | undefined): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const pair of (header ?? '').split(',')) {
    const [key, value] = pair.trim().split(' ');
    if (key) metadata[key] = value ? Buffer.from(value, 'base64').toString('utf8') : '';
  }
  return metadata;
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

const routeSchema = { tags: ['uploads'], hide: false };

export const uploadsRoutes: FastifyPluginAsync<Options> = async (app, { uploads, resumable, ensureRoomFor }) => {
  const declaredBytes = (request: FastifyRequest) =>
    Math.max(Number(request.headers['upload-length'] ?? 0) || 0, Number(request.headers['content-length'] ?? 0) || 0);

  // tus bodies are streamed straight to disk by the protocol handler.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));

  async function handOver(request: FastifyRequest, reply: import('fastify').FastifyReply) {
    reply.hijack();
    reply.raw.setHeader('x-content-type-options', 'nosniff');
    await resumable.handle(request.raw, reply.raw);
  }

  app.route({
    method: ['POST'],
    url: '/uploads',
    config: { allow: EVERYONE },
    schema: {
      ...routeSchema,
      summary: 'tus: create an upload (creation, creation-with-upload, creation-defer-length); Upload-Metadata needs captureId',
    },
    handler: async (request, reply) => {
      const metadata = uploads.authorizeCreate(principalOf(request), parseMetadata(request.headers['upload-metadata'] as string | undefined));
      await ensureRoomFor(declaredBytes(request));
      replaceHeader(request, 'upload-metadata', formatMetadata(metadata));
      await handOver(request, reply);
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
      if (!/^[0-9a-f]{32}$/.test(id)) {
        return reply.code(404).send(errorBody(404, 'NOT_FOUND', 'No such upload.'));
      }
      uploads.authorizeAccess(principalOf(request), await resumable.get(id));
      if (request.method === 'PATCH') await ensureRoomFor(declaredBytes(request));
      await handOver(request, reply);
    },
  });

  app.route({
    method: 'OPTIONS',
    url: '/uploads',
    config: { allow: 'public' },
    schema: { ...routeSchema, summary: 'tus: server capabilities' },
    handler: handOver,
  });
};
