// Chain of custody: who uploaded, viewed, downloaded, exported or shared evidence, and when.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AuditService } from '../services/audit.service';
import type { CapturesService } from '../services/captures.service';
import type { DisputesService } from '../services/disputes.service';
import type { MediaService } from '../services/media.service';
import { STAFF } from './access';
import { errorResponses, UuidSchema } from './schemas';

const AuditEventSchema = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  actorType: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  subjectType: Type.String(),
  subjectId: Type.String(),
  detail: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  prevHash: Type.String(),
  hash: Type.String(),
});

interface Options {
  audit: Pick<AuditService, 'list' | 'custodyOfMedia'>;
  media: Pick<MediaService, 'getRow'>;
  captures: Pick<CapturesService, 'requireRow'>;
  disputes: Pick<DisputesService, 'requireRow' | 'listForOrder'>;
}

export const auditRoutes: FastifyPluginAsyncTypebox<Options> = async (app, { audit, media, captures, disputes }) => {
  app.get('/media/:id/custody', {
    config: { allow: STAFF },
    schema: {
      tags: ['ledger', 'media'],
      summary: "The chain-of-custody events of one media item, and the exports of its order's disputes that carried it, oldest first",
      params: Type.Object({ id: UuidSchema }),
      response: { 200: Type.Object({ items: Type.Array(AuditEventSchema) }), ...errorResponses },
    },
  }, async (request) => {
    const row = media.getRow(request.params.id);
    const orderDisputes = disputes.listForOrder(captures.requireRow(row.capture_id).order_id);
    return { items: audit.custodyOfMedia(row.id, orderDisputes.map((dispute) => dispute.id)) };
  });

  app.get('/disputes/:id/custody', {
    config: { allow: STAFF },
    schema: {
      tags: ['ledger', 'disputes'],
      summary: "A dispute's audit events: exports and share-link visits, oldest first",
      params: Type.Object({ id: UuidSchema }),
      response: { 200: Type.Object({ items: Type.Array(AuditEventSchema) }), ...errorResponses },
    },
  }, async (request) => {
    const dispute = disputes.requireRow(request.params.id);
    return { items: audit.list({ subjectType: 'dispute', subjectId: dispute.id }) };
  });
};
