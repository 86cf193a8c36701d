// Disputes: open one, follow its deadline, pick its evidence, share it with outside recipients.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { DisputesService } from '../services/disputes.service';
import { principalOf, STAFF } from './access';
import { reachableFromOtherMachines } from './identity.routes';
import {
  AmountNumber, Body, CaptureSchema, ClaimKindSchema, CounterpartySchema, DisputeStatusSchema as StatusSchema, errorResponses, IsoTimeSchema,
  LongText, MediaSchema, Nullable, OrderIdSchema, OrderSummarySchema, PacketRecipientSchema, ReasonSchema, ReminderDeadlineSchema, ShortText, UuidSchema,
} from './schemas';

const AmountSchema = Body({ value: AmountNumber(), currency: Type.String({ pattern: '^[A-Z]{3}$' }) });

export const DisputeSchema = Type.Object({
  id: Type.String(),
  orderId: Type.String(),
  reason: ReasonSchema,
  counterparty: CounterpartySchema,
  reference: Type.Optional(Type.String()),
  amount: Type.Optional(AmountSchema),
  respondBy: Type.Optional(Type.String()),
  status: StatusSchema,
  note: Type.Optional(Type.String()),
  damageDescription: Type.Optional(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  closedAt: Type.Optional(Type.String({ description: 'When it was won, lost or closed; it holds its order\'s files until RETENTION_DAYS after.' })),
});

export const EvidenceSchema = Type.Object({
  id: Type.String(),
  caption: Type.Optional(Type.String()),
  position: Type.Integer(),
  createdAt: Type.String(),
  mediaId: Type.Optional(Type.String()),
  captureId: Type.Optional(Type.String()),
  media: Type.Optional(MediaSchema),
  capture: Type.Optional(Type.Omit(CaptureSchema, ['media'])),
});

export const DisputeDetailSchema = Type.Composite([
  DisputeSchema,
  Type.Object({
    evidence: Type.Array(EvidenceSchema),
    order: Type.Composite([OrderSummarySchema, Type.Object({ captures: Type.Array(CaptureSchema) })]),
  }),
]);

export const ShareSchema = Type.Object({
  id: Type.String(),
  /** Shown once, when the link is made: only its hash is kept. */
  url: Type.Optional(Type.String()),
  createdAt: Type.String(),
  expiresAt: Type.String(),
  revokedAt: Type.Optional(Type.String()),
  /** How often the link's page was opened, and when last. */
  openCount: Type.Integer({ minimum: 0 }),
  lastOpenedAt: Type.Optional(Type.String()),
  /** What the link is for when a service made it: "packet for stripe" (the link a recipient packet carries). */
  label: Type.Optional(Type.String()),
});

const editable = {
  reason: Type.Optional(ReasonSchema),
  counterparty: Type.Optional(CounterpartySchema),
  reference: Type.Optional(Nullable(ShortText(200))),
  amount: Type.Optional(Nullable(AmountSchema)),
  respondBy: Type.Optional(Nullable(IsoTimeSchema)),
  note: Type.Optional(Nullable(LongText(4000))),
  damageDescription: Type.Optional(Nullable(LongText(4000))),
};

const idParams = Type.Object({ id: UuidSchema });

export const disputesRoutes: FastifyPluginAsyncTypebox<{ disputes: DisputesService }> = async (app, { disputes }) => {
  const config = { allow: STAFF };

  app.post('/disputes', {
    config,
    schema: {
      tags: ['disputes'],
      summary: 'Open a dispute on an order',
      body: Body({
        orderId: OrderIdSchema,
        reason: ReasonSchema,
        counterparty: CounterpartySchema,
        reference: Type.Optional(ShortText(200)),
        amount: Type.Optional(AmountSchema),
        respondBy: Type.Optional(IsoTimeSchema),
        note: Type.Optional(LongText(4000)),
        damageDescription: Type.Optional(LongText(4000)),
      }),
      response: { 201: DisputeSchema, ...errorResponses },
    },
  }, async (request, reply) => reply.code(201).send(disputes.create(principalOf(request), request.body)));

  app.get('/disputes', {
    config,
    schema: {
      tags: ['disputes'],
      summary: 'Disputes, soonest respond-by first',
      querystring: Type.Object({ status: Type.Optional(StatusSchema) }),
      response: { 200: Type.Object({ items: Type.Array(DisputeSchema) }), ...errorResponses },
    },
  }, async (request) => ({ items: disputes.list(request.query.status) }));

  app.get('/disputes/:id', {
    config,
    schema: {
      tags: ['disputes'],
      summary: "A dispute with its evidence and the order's timeline",
      params: idParams,
      response: {
        200: DisputeDetailSchema,
        ...errorResponses,
      },
    },
  }, async (request) => disputes.get(request.params.id));

  app.patch('/disputes/:id', {
    config,
    schema: {
      tags: ['disputes'],
      summary: 'Change status, deadline, note or facts (null clears a field)',
      params: idParams,
      body: Body({ status: Type.Optional(StatusSchema), ...editable }),
      response: { 200: DisputeSchema, ...errorResponses },
    },
  }, async (request) => disputes.update(request.params.id, request.body));

  app.post('/disputes/:id/evidence', {
    config,
    schema: {
      tags: ['disputes'],
      summary: 'Link a media item or a whole capture as evidence, with a caption',
      params: idParams,
      body: Body({ mediaId: Type.Optional(UuidSchema), captureId: Type.Optional(UuidSchema), caption: Type.Optional(LongText(500)) }),
      response: { 201: EvidenceSchema, ...errorResponses },
    },
  }, async (request, reply) => reply.code(201).send(disputes.addEvidence(request.params.id, request.body)));

  app.patch('/disputes/:id/evidence/:evidenceId', {
    config,
    schema: {
      tags: ['disputes'],
      summary: 'Move evidence to a place in the list (0 is first); bundles, reports and share pages follow this order',
      params: Type.Object({ id: UuidSchema, evidenceId: UuidSchema }),
      body: Body({ position: Type.Integer({ minimum: 0 }) }),
      response: { 200: EvidenceSchema, ...errorResponses },
    },
  }, async (request) => disputes.moveEvidence(request.params.id, request.params.evidenceId, request.body.position));

  app.delete('/disputes/:id/evidence/:evidenceId', {
    config,
    schema: {
      tags: ['disputes'],
      summary: 'Unlink evidence (the original itself is never deleted)',
      params: Type.Object({ id: UuidSchema, evidenceId: UuidSchema }),
      response: { 204: Type.Null(), ...errorResponses },
    },
  }, async (request, reply) => {
    disputes.removeEvidence(request.params.id, request.params.evidenceId);
    return reply.code(204).send(null);
  });

  app.post('/disputes/:id/shares', {
    config,
    schema: {
      tags: ['shares'],
      summary: 'Create an expiring read-only link for an outside recipient (the URL is shown once)',
      params: idParams,
      body: Body({ expiresInHours: Type.Number({ minimum: 0.25, maximum: 24 * 90 }) }),
      response: { 201: ShareSchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const share = disputes.createShare(principalOf(request), request.params.id, request.body.expiresInHours);
    // Without PUBLIC_URL the link would name localhost; the address the seller browses from is the best known.
    return reply.code(201).send({ ...share, url: share.url && reachableFromOtherMachines(share.url, `${request.protocol}://${request.host}`) });
  });

  app.get('/disputes/:id/shares', {
    config,
    schema: { tags: ['shares'], summary: "A dispute's share links", params: idParams, response: { 200: Type.Object({ items: Type.Array(ShareSchema) }), ...errorResponses } },
  }, async (request) => ({ items: disputes.listShares(request.params.id) }));

  app.delete('/disputes/:id/shares/:shareId', {
    config,
    schema: {
      tags: ['shares'],
      summary: 'Revoke a share link at once',
      params: Type.Object({ id: UuidSchema, shareId: UuidSchema }),
      response: { 204: Type.Null(), ...errorResponses },
    },
  }, async (request, reply) => {
    disputes.revokeShare(request.params.id, request.params.shareId);
    return reply.code(204).send(null);
  });

  app.get('/reminders', {
    config,
    schema: {
      tags: ['disputes'],
      summary:
        'Deadlines due within 48 hours or overdue, soonest first: respond-by dates, and open courier disputes’ last day to file ' +
        'the claim under the carrier’s terms (deadline: claim_filing)',
      response: {
        200: Type.Object({
          items: Type.Array(
            Type.Object({
              disputeId: Type.String(),
              kind: Type.Union([Type.Literal('due_soon'), Type.Literal('overdue')]),
              deadline: ReminderDeadlineSchema,
              respondBy: Type.String({ description: 'When the deadline falls due (a claim: the end of its last filing day in the shop’s time zone).' }),
              fileBy: Type.Optional(Type.String({ description: 'A courier claim’s last day to file (YYYY-MM-DD, shop’s calendar).' })),
              recipient: Type.Optional(PacketRecipientSchema),
              claimKind: Type.Optional(ClaimKindSchema),
              raisedAt: Type.String(),
              dispute: DisputeSchema,
            }),
          ),
        }),
        ...errorResponses,
      },
    },
  }, async () => ({ items: disputes.reminders() }));
};
