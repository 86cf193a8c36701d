// Captures: start one, edit it until finished, finish it.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { CapturesService } from '../services/captures.service';
import { fingerprint, type IdempotencyService } from '../services/idempotency.service';
import type { Db } from '../../storage/database';
import { EVERYONE, principalOf } from './access';
import {
  Body, CaptureKindSchema, CaptureSchema, ChecklistSchema, errorResponses, IdempotencyHeaders, LongText, Nullable, OrderIdSchema,
  OutcomeSchema, PositiveInteger, ShortText, UuidSchema, WeightSchema,
} from './schemas';

interface Options {
  db: Db;
  captures: CapturesService;
  idempotency: IdempotencyService;
}

const editable = {
  weight: Type.Optional(Nullable(WeightSchema)),
  trackingNumber: Type.Optional(Nullable(ShortText(64))),
  station: Type.Optional(Nullable(ShortText(64))),
  note: Type.Optional(Nullable(LongText(2000))),
  checklist: Type.Optional(Nullable(ChecklistSchema)),
  outcome: Type.Optional(Nullable(OutcomeSchema)),
};

export const capturesRoutes: FastifyPluginAsyncTypebox<Options> = async (app, { db, captures, idempotency }) => {
  app.post('/captures', {
    config: { allow: EVERYONE },
    schema: {
      tags: ['captures'],
      summary: 'Start a capture on an order (created if unknown); honors Idempotency-Key',
      headers: IdempotencyHeaders,
      body: Body({ orderId: OrderIdSchema, kind: CaptureKindSchema, ...editable }),
      response: { 201: CaptureSchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const outcome = idempotency.begin(principal, 'captures', request.headers['idempotency-key'], fingerprint(request.body));
    if ('replay' in outcome) return reply.code(outcome.replay.status).send(outcome.replay.body as never);
    try {
      const capture = db.transaction(() => {
        const created = captures.create(principal, request.body);
        outcome.claim.complete({ status: 201, body: created });
        return created;
      })();
      return reply.code(201).send(capture);
    } catch (error) {
      outcome.claim.release();
      throw error;
    }
  });

  const idParams = Type.Object({ id: UuidSchema });

  app.get('/captures/:id', {
    config: { allow: EVERYONE },
    schema: { tags: ['captures'], summary: 'A capture with its media', params: idParams, response: { 200: CaptureSchema, ...errorResponses } },
  }, async (request) => captures.get(request.params.id));

  app.patch('/captures/:id', {
    config: { allow: EVERYONE },
    schema: {
      tags: ['captures'],
      summary: 'Change a capture until it is finished (null clears a field)',
      params: idParams,
      body: Body(editable),
      response: { 200: CaptureSchema, ...errorResponses },
    },
  }, async (request) => captures.update(request.params.id, request.body, principalOf(request)));

  app.post('/captures/:id/finish', {
    config: { allow: EVERYONE },
    schema: {
      tags: ['captures'],
      summary: 'Finish a capture: from now on it cannot change',
      params: idParams,
      response: { 200: CaptureSchema, ...errorResponses },
    },
  }, async (request) => captures.finish(request.params.id, principalOf(request)));

  app.get('/captures/:id/proof', {
    config: { allow: EVERYONE },
    schema: {
      tags: ['captures', 'ledger'],
      summary: "A finished capture's facts entry in the ledger and its inclusion proof against a signed checkpoint (hashes in hex)",
      params: idParams,
      querystring: Type.Object({ treeSize: Type.Optional(PositiveInteger()) }),
      response: {
        200: Type.Object({
          captureId: Type.String(),
          leafIndex: Type.Integer(),
          treeSize: Type.Integer(),
          entry: Type.String(),
          leafHash: Type.String(),
          rootHash: Type.String(),
          proof: Type.Array(Type.String()),
          checkpoint: Type.Union([Type.String(), Type.Null()]),
        }),
        ...errorResponses,
      },
    },
  }, async (request) => captures.proof(request.params.id, request.query.treeSize));
};
