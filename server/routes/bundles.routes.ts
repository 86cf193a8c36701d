// Exports: a dispute's evidence bundle as one streamed ZIP.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { OutgoingHttpHeaders } from 'node:http';
import type { Writable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BundleService } from '../services/bundle.service';
import { principalOf, STAFF } from './access';
import { claimDateConflicts } from '../domain/vocabulary';
import { ClaimKindSchema, ClaimPhotoKindSchema, errorResponses, LanguageSchema, OneOf, UuidSchema } from './schemas';

/** One side of a date conflict: what happened, when (UTC), and for calendar dates the day compared. */
const DatedFactSchema = Type.Object({
  fact: Type.String({ description: 'shipped, delivered, claim_opened, letter, or a capture kind' }),
  at: Type.String(),
  day: Type.Optional(Type.String({ description: 'YYYY-MM-DD in the shop’s calendar, for the ship, delivery and letter dates' })),
  captureId: Type.Optional(Type.String()),
});

/** The address a request came in on: where a bundle says the shop's key is published when PUBLIC_URL is loopback. */
export const requestOrigin = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

/**
 * Streams a bundle as the response. Written straight to the socket rather than handed to reply.send
 * as a stream: the ZIP writer reuses its read buffers once each write is done, which needs the
 * socket's own write callbacks. Errors before the first byte (an unknown dispute, a failed audit
 * record) are thrown before the reply is taken over and answered as usual; one after it can only
 * cut the download short.
 */
export async function sendZip(reply: FastifyReply, bundle: { filename: string; start: () => (out: Writable) => Promise<void> }): Promise<void> {
  // HEAD: the headers say what a GET would send; nothing is rendered, read or audited. Started before
  // the ZIP's headers are set, so an error here is answered as JSON.
  const write = reply.request.method === 'HEAD' ? undefined : bundle.start();
  reply
    .type('application/zip')
    .header('content-disposition', `attachment; filename="${bundle.filename}"`)
    .header('cache-control', 'no-store');
  reply.hijack();
  reply.raw.writeHead(200, reply.getHeaders() as OutgoingHttpHeaders);
  if (!write) {
    reply.raw.end();
    return;
  }
  try {
    await write(reply.raw);
  } catch (error) {
    // A recipient closing the download is routine; anything else (an original missing or changed on
    // disk, a report that failed) is the service's fault and worth an operator's attention.
    if (reply.raw.destroyed) reply.log.info('export cancelled by the client');
    else reply.log.error({ err: error }, 'export failed after its first byte');
    reply.raw.destroy();
  }
}

export const bundlesRoutes: FastifyPluginAsyncTypebox<{ bundles: BundleService }> = async (app, { bundles }) => {
  app.get('/disputes/:id/bundle.zip', {
    config: { allow: STAFF },
    schema: {
      tags: ['disputes'],
      summary: 'The evidence bundle: manifest.json, report.pdf, originals under media/, verification/ (streamed ZIP)',
      produces: ['application/zip'],
      params: Type.Object({ id: UuidSchema }),
      querystring: Type.Object({ lang: Type.Optional(LanguageSchema) }),
      response: { 200: Type.Any(), ...errorResponses },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const bundle = await bundles.exportDispute(request.params.id, { language: request.query.lang, actor: principal, requestOrigin: requestOrigin(request) });
    request.log.info({ disputeId: request.params.id }, 'export started');
    return sendZip(reply, bundle);
  });

  const claimQuery = Type.Object({
    lang: Type.Optional(LanguageSchema),
    claim: Type.Optional(ClaimKindSchema),
  });

  app.get('/disputes/:id/claim', {
    config: { allow: STAFF },
    schema: {
      tags: ['disputes'],
      summary: "A courier claim's filing deadline, which of the photos couriers ask for are present (tagged photos among the evidence), and the dates that do not agree",
      params: Type.Object({ id: UuidSchema }),
      querystring: claimQuery,
      response: {
        200: Type.Object({
          claimKind: ClaimKindSchema,
          deadline: Type.Object({
            carrierKey: Type.String(),
            terms: Type.String(),
            rule: Type.String(),
            countedFrom: Type.Optional(Type.String()),
            baseDate: Type.Optional(Type.String()),
            deadline: Type.Optional(Type.String()),
            earliestFilingDate: Type.Optional(Type.String()),
            reason: Type.Optional(Type.String()),
          }),
          photos: Type.Array(
            Type.Object({
              kind: ClaimPhotoKindSchema,
              required: Type.Boolean(),
              present: Type.Boolean({ description: 'Only when a photo among the evidence is tagged with this kind (PUT /media/:id/tags).' }),
              evidence: Type.Array(Type.Integer(), { description: 'Evidence numbers (1 = E1) of the photos tagged with it.' }),
              labelledLater: Type.Array(
                Type.Object({ evidence: Type.Integer(), at: Type.String() }),
                { description: 'Those of `evidence` whose tag was set after their capture finished (not in its logged facts), with when; the letter says so.' },
              ),
            }),
          ),
          sameFiles: Type.Array(Type.Array(Type.Integer()), {
            description: 'Evidence numbers of items that are the same file (same SHA-256), by group; the letter names them as one photo.',
          }),
          dateConflicts: Type.Array(
            Type.Object({
              code: OneOf(claimDateConflicts),
              subject: DatedFactSchema,
              reference: DatedFactSchema,
              text: Type.String({ description: 'The sentence the claim letter prints, in ?lang=' }),
            }),
            { description: 'Dates the claim rests on that cannot all be true (empty when they agree); the letter lists them too.' },
          ),
        }),
        ...errorResponses,
      },
    },
  }, async (request) => bundles.claimSummary(request.params.id, { language: request.query.lang, claimKind: request.query.claim }));

  app.get('/disputes/:id/claim-packet.zip', {
    config: { allow: STAFF },
    schema: {
      tags: ['disputes'],
      summary: 'The courier-claim packet: claim-letter.pdf, the originals, verification/ and manifest.json (streamed ZIP)',
      produces: ['application/zip'],
      params: Type.Object({ id: UuidSchema }),
      querystring: claimQuery,
      response: { 200: Type.Any(), ...errorResponses },
    },
  }, async (request, reply) =>
    sendZip(
      reply,
      await bundles.exportClaimPacket(request.params.id, {
        language: request.query.lang, actor: principalOf(request), claimKind: request.query.claim, requestOrigin: requestOrigin(request),
      }),
    ),
  );
};
