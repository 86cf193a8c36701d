// Media: multipart upload into a capture, metadata, the exact original (with Range), the thumbnail.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { fail } from '../errors';
import { isMultipartForm, readForm, SMALL_FORM } from '../multipart-form';
import type { ClaimPhotoKind } from '../domain/vocabulary';
import { fingerprint, type IdempotencyService } from '../services/idempotency.service';
import { parseTagList } from '../services/media-tags';
import { MAX_FILES_PER_FORM, type MediaService, type StagedUpload } from '../services/media.service';
import { EVERYONE, principalOf } from './access';
import { requireKept } from '../services/removed-media';
import { describeOriginal, sendDerivedImage, sendOriginal } from './send-original';
import { errorResponses, ErrorSchema, IdempotencyHeaders, isFreeText, MediaSchema, MediaTagsSchema, RemovedMediaSchema, UuidSchema } from './schemas';

interface Options {
  media: MediaService;
  idempotency: IdempotencyService;
}

const uploadErrors = { 413: ErrorSchema, 415: ErrorSchema, 422: ErrorSchema, 507: ErrorSchema };

function isValidTime(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value));
}

export const mediaRoutes: FastifyPluginAsyncTypebox<Options> = async (app, { media, idempotency }) => {
  app.post('/captures/:id/media', {
    config: { allow: EVERYONE },
    schema: {
      tags: ['media'],
      summary:
        'Upload one or more files (parts named "file"; optional capturedAt, caption and tags fields before each file apply to ' +
        'the files after them). tags: comma-separated courier photo tags (packing_inside, packing_outside, label_closeup, ' +
        'damage, all_sides, weight), kept on photos; an empty tags field ends them',
      consumes: ['multipart/form-data'],
      params: Type.Object({ id: UuidSchema }),
      headers: IdempotencyHeaders,
      response: { 201: Type.Object({ media: Type.Array(MediaSchema) }), ...errorResponses, ...uploadErrors },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const captureId = request.params.id;
    // Which files a request carries is known only once they are in: a retry is told from a reuse of
    // the key for other files by their hashes, after the body is read.
    const outcome = idempotency.beginStreamed(principal, 'media', request.headers['idempotency-key']);
    const replaying = 'replayIf' in outcome;
    const release = () => {
      if (!replaying) outcome.claim.release();
    };
    try {
      // A retry gets the first answer even when the capture was finished since.
      if (!replaying) media.requireUploadableCapture(captureId, principal);
      if (!isMultipartForm(request.raw)) fail('UNSUPPORTED_MEDIA_TYPE', 'Send files as multipart/form-data, or use the resumable upload endpoint.');
      if (!replaying) await media.ensureRoomFor(Number(request.headers['content-length'] ?? 0) || 0, media.maxFormBytes);
    } catch (error) {
      release();
      // Refused before its body was read: the connection cannot carry another request.
      reply.header('connection', 'close');
      throw error;
    }
    const staged: StagedUpload[] = [];
    // A retry with other tags is another request: the tags go into its fingerprint with each file.
    const received: { sha256: string; capturedAt?: string; caption?: string; tags?: ClaimPhotoKind[] }[] = [];
    try {
      const fields: { capturedAt?: string; caption?: string; tags?: ClaimPhotoKind[] } = {};
      const form = readForm(request.raw, { ...SMALL_FORM, files: MAX_FILES_PER_FORM, fileBytes: media.largestFile + 1 });
      for await (const part of form) {
        if (part.kind === 'field') {
          const { value } = part;
          if (part.name === 'capturedAt') {
            if (!isValidTime(value)) fail('VALIDATION_FAILED', 'capturedAt must be an ISO 8601 time with a zone, such as 2026-05-01T05:03:12Z.');
            fields.capturedAt = new Date(value).toISOString();
          } else if (part.name === 'caption') {
            if (value.length > 500) fail('VALIDATION_FAILED', 'A caption is at most 500 characters.');
            if (!isFreeText(value)) fail('VALIDATION_FAILED', 'A caption may break lines but holds no other control characters.');
            fields.caption = value || undefined;
          } else if (part.name === 'tags') {
            const tags = parseTagList(value);
            fields.tags = tags.length > 0 ? tags : undefined;
          }
          continue;
        }
        if (part.name !== 'file') fail('VALIDATION_FAILED', `Unexpected file part "${part.name}"; name file parts "file".`);
        if (replaying) {
          // Only compared with the first request, never kept: nothing is written.
          received.push({ ...fields, sha256: await media.hashOnly(part.body) });
        } else {
          const upload = await media.stage(part.body, { ...fields, filename: part.filename });
          staged.push(upload);
          received.push({ ...fields, sha256: upload.blob.sha256 });
        }
      }
      if (received.length === 0) fail('VALIDATION_FAILED', 'Send at least one file part named "file".');
      const requestHash = fingerprint({ captureId, files: received });
      if (replaying) {
        const replay = outcome.replayIf(requestHash);
        return reply.code(replay.status).send(replay.body as never);
      }
      const views = await media.register(captureId, staged, principal, outcome.claim.forRequest(requestHash));
      request.log.info({ captureId, mediaIds: views.map((view) => view.id), bytes: staged.reduce((n, s) => n + s.blob.bytes, 0) }, 'upload finished');
      return reply.code(201).send({ media: views });
    } catch (error) {
      await media.discard(staged);
      release();
      // The rest of a refused upload is not worth receiving: close instead of draining gigabytes.
      if (!request.raw.readableEnded) reply.header('connection', 'close');
      throw error;
    }
  });

  const idParams = Type.Object({ id: UuidSchema });

  app.get('/media/:id', {
    config: { allow: EVERYONE },
    schema: { tags: ['media'], summary: 'Metadata of one media item', params: idParams, response: { 200: MediaSchema, ...errorResponses } },
  }, async (request) => media.get(request.params.id, principalOf(request)));

  app.put('/media/:id/tags', {
    config: { allow: EVERYONE },
    schema: {
      tags: ['media'],
      summary:
        "Replace a photo's courier photo tags (which of the photos couriers ask for it shows); the packer who started its " +
        'capture, an owner or a seller may, also after the capture is finished. Recorded in the custody log',
      params: idParams,
      body: Type.Object({ tags: MediaTagsSchema }, { additionalProperties: false }),
      response: { 200: MediaSchema, ...errorResponses },
    },
  }, async (request) => media.setTags(request.params.id, request.body.tags, principalOf(request)));

  app.get('/media/:id/original', {
    config: { allow: EVERYONE },
    schema: {
      tags: ['media'],
      summary: 'The exact original bytes; ETag is the SHA-256; supports Range',
      params: idParams,
      response: { 200: Type.Any(), 206: Type.Any(), 304: Type.Null(), 410: RemovedMediaSchema, 416: ErrorSchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const row = requireKept(media.getRow(request.params.id));
    return sendOriginal(request, reply, describeOriginal(row), (range) => media.openOriginal(row, range), () =>
      media.recordAccess(principalOf(request), row, 'original'),
    );
  });

  app.get('/media/:id/playback', {
    config: { allow: EVERYONE },
    schema: {
      tags: ['media'],
      summary: 'A video as MP4 (H.264/AAC) that every browser plays and seeks; the original stays untouched',
      params: idParams,
      response: { 200: Type.Any(), 206: Type.Any(), 304: Type.Null(), 410: RemovedMediaSchema, 416: ErrorSchema, 422: ErrorSchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const row = requireKept(media.getRow(request.params.id));
    const playback = await media.playback(row);
    return sendOriginal(request, reply, playback.file, playback.open, () => media.recordAccess(principalOf(request), row, 'playback'));
  });

  app.get('/media/:id/thumbnail', {
    config: { allow: EVERYONE },
    schema: {
      tags: ['media'],
      summary: 'An upright JPEG at most 480 px on its long side (a poster frame for videos)',
      params: idParams,
      response: { 200: Type.Any(), 410: RemovedMediaSchema, 422: ErrorSchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const row = requireKept(media.getRow(request.params.id));
    const image = await media.thumbnail(row);
    return sendDerivedImage(request, reply, image, () => media.recordAccess(principalOf(request), row, 'thumbnail'));
  });
};
