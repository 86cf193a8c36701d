// Retention and legal hold: the owner holds or releases a media item; staff see what each item of an
// order waits on and which originals the retention job removes next.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RetentionService } from '../services/retention.service';
import { OWNER, principalOf, STAFF } from './access';
import { errorResponses, LongText, OrderIdSchema, RemovedMediaSchema, UuidSchema } from './schemas';

interface Options {
  retention: RetentionService;
}

const HoldSchema = Type.Object({
  mediaId: Type.String(),
  reason: Type.Optional(Type.String()),
  /** The owner who set it (a user id). */
  heldBy: Type.String(),
  heldAt: Type.String(),
});

const RemovalSchema = Type.Object({ at: Type.String(), reason: Type.Literal('retention') });

const MediaRetentionSchema = Type.Object({
  mediaId: Type.String(),
  hold: Type.Optional(HoldSchema),
  disputes: Type.Array(
    Type.Object({
      disputeId: Type.String(),
      status: Type.String(),
      closedAt: Type.Optional(Type.String()),
      until: Type.Optional(Type.String({ description: 'A closed dispute holds until then; an open one without end.' })),
    }),
  ),
  removableAt: Type.Optional(Type.String({ description: 'When the retention job may remove it; absent while held without end or when retention is off.' })),
  removed: Type.Optional(RemovalSchema),
});

const RetentionDays = Type.Integer({ description: 'RETENTION_DAYS; 0 keeps originals for ever.' });

export const retentionRoutes: FastifyPluginAsyncTypebox<Options> = async (app, { retention }) => {
  const idParams = Type.Object({ id: UuidSchema });

  app.put('/media/:id/hold', {
    config: { allow: OWNER },
    schema: {
      tags: ['retention'],
      summary: "Hold a media item's original past RETENTION_DAYS (owner only); again with another reason replaces it. Recorded in the custody log",
      params: idParams,
      body: Type.Object({ reason: Type.Optional(LongText(500)) }, { additionalProperties: false }),
      response: { 200: HoldSchema, 410: RemovedMediaSchema, ...errorResponses },
    },
    // A bare PUT (no body at all) is a hold with no reason; a body sent must still be an object (`null` is refused).
    preValidation: async (request) => {
      if (request.body === undefined) request.body = {};
    },
  }, async (request) => retention.hold(request.params.id, principalOf(request), request.body?.reason));

  app.delete('/media/:id/hold', {
    config: { allow: OWNER },
    schema: {
      tags: ['retention'],
      summary: "Release a media item's hold (owner only); retention then applies as to any other. Recorded in the custody log",
      params: idParams,
      response: { 204: Type.Null(), ...errorResponses },
    },
  }, async (request, reply) => {
    retention.release(request.params.id, principalOf(request));
    return reply.code(204).send(null);
  });

  app.get('/retention/upcoming', {
    config: { allow: STAFF },
    schema: {
      tags: ['retention'],
      summary: 'RETENTION_DAYS and the media items the retention job removes next, soonest first (held items are left out)',
      querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })) }),
      response: {
        200: Type.Object({
          retentionDays: RetentionDays,
          items: Type.Array(
            Type.Object({ mediaId: Type.String(), orderId: Type.String(), type: Type.String(), receivedAt: Type.String(), removableAt: Type.String() }),
          ),
        }),
        ...errorResponses,
      },
    },
  }, async (request) => retention.upcoming(request.query.limit ?? 20));

  app.get('/retention/orders/:orderId', {
    config: { allow: STAFF },
    schema: {
      tags: ['retention'],
      summary: "Each media item of an order: the owner's hold, the disputes holding it, when it may be removed, or when it was",
      params: Type.Object({ orderId: OrderIdSchema }),
      response: { 200: Type.Object({ retentionDays: RetentionDays, items: Type.Array(MediaRetentionSchema) }), ...errorResponses },
    },
  }, async (request) => retention.orderState(request.params.orderId));
};
