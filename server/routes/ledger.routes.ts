// The evidence ledger: anyone may fetch the signed checkpoint, the verifier key and consistency
// proofs (a claims agent trusts nothing it cannot check); inclusion proofs need an account.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { LedgerService } from '../services/ledger/ledger.service';
import { EVERYONE } from './access';
import { errorResponses, PositiveInteger, UuidSchema } from './schemas';

const HexList = Type.Array(Type.String());

export const ledgerRoutes: FastifyPluginAsyncTypebox<{ ledger: LedgerService }> = async (app, { ledger }) => {
  app.get('/ledger/checkpoint', {
    config: { allow: 'public' },
    schema: {
      tags: ['ledger'],
      summary: 'The latest signed checkpoint (c2sp.org tlog-checkpoint signed note)',
      produces: ['text/plain'],
      response: { 200: Type.String() },
    },
  }, async (_request, reply) =>
    reply.type('text/plain; charset=utf-8').header('cache-control', 'no-cache').send((ledger.latestCheckpoint() ?? ledger.checkpoint()).note),
  );

  app.get('/ledger/key', {
    config: { allow: 'public' },
    schema: {
      tags: ['ledger'],
      summary: 'The verifier key for checkpoints (signed-note verifier key, Ed25519)',
      produces: ['text/plain'],
      response: { 200: Type.String() },
    },
  }, async (_request, reply) => reply.type('text/plain; charset=utf-8').send(`${ledger.publicKey()}\n`));

  app.get('/ledger/consistency', {
    config: { allow: 'public' },
    schema: {
      tags: ['ledger'],
      summary: 'A consistency proof between two tree sizes (RFC 9162), hashes in hex',
      querystring: Type.Object({ from: PositiveInteger(), to: PositiveInteger() }),
      response: {
        200: Type.Object({ oldSize: Type.Integer(), newSize: Type.Integer(), oldRootHash: Type.String(), newRootHash: Type.String(), proof: HexList }),
        ...errorResponses,
      },
    },
  }, async (request) => ledger.consistencyProof(request.query.from, request.query.to));

  app.get('/media/:id/proof', {
    config: { allow: EVERYONE },
    schema: {
      tags: ['ledger', 'media'],
      summary: "The original's ledger entry and its inclusion proof against a signed checkpoint (hashes in hex)",
      params: Type.Object({ id: UuidSchema }),
      querystring: Type.Object({ treeSize: Type.Optional(PositiveInteger()) }),
      response: {
        200: Type.Object({
          mediaId: Type.String(),
          leafIndex: Type.Integer(),
          treeSize: Type.Integer(),
          entry: Type.String(),
          leafHash: Type.String(),
          rootHash: Type.String(),
          proof: HexList,
          checkpoint: Type.Union([Type.String(), Type.Null()]),
        }),
        ...errorResponses,
      },
    },
  }, async (request) => ledger.inclusionProof(request.params.id, request.query.treeSize));
};
