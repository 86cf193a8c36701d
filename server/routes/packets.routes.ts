// Recipient packets: what each recipient's packet for a dispute holds and lacks, and the packet itself as
// a streamed ZIP (packet.json, checklist.txt, and only files the recipient accepts, within its limits).
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { PacketsService } from '../services/packets/packets.service';
import { principalOf, STAFF } from './access';
import { requestOrigin, sendZip } from './bundles.routes';
import { errorResponses, LanguageSchema, PacketRecipientSchema, UuidSchema } from './schemas';

const PacketSchema = Type.Object({
  recipient: PacketRecipientSchema,
  name: Type.String({ description: 'As the seller knows the recipient: "Stripe", "Coupang", "Courier claim (CJ Logistics)".' }),
  suggested: Type.Boolean({ description: "Fits this dispute's counterparty and the order's channel or carrier." }),
  downloadUrl: Type.String(),
  included: Type.Array(
    Type.Object({
      path: Type.String(),
      role: Type.Union([Type.Literal('original'), Type.Literal('derived'), Type.Literal('document'), Type.Literal('data')]),
      description: Type.String(),
      bytes: Type.Integer({ minimum: 0, description: 'Exact for originals; for files still to be made, their budget (the ZIP’s checklist.txt has the exact size).' }),
      estimated: Type.Optional(Type.Literal(true, { description: 'A file still to be made: `bytes` is its budget, not its size.' })),
      evidence: Type.Optional(Type.Integer({ minimum: 1, description: 'The evidence number: 1 is E1.' })),
      originalSha256: Type.Optional(Type.String({ description: 'A derived file’s untouched original.' })),
    }),
  ),
  missing: Type.Array(Type.Object({ code: Type.String(), text: Type.String() })),
  limits: Type.Array(
    Type.Object({
      code: Type.String(),
      text: Type.String(),
      limit: Type.Number(),
      actual: Type.Number(),
      unit: Type.Union([Type.Literal('bytes'), Type.Literal('pages'), Type.Literal('seconds'), Type.Literal('characters'), Type.Literal('files')]),
      ok: Type.Boolean(),
      estimated: Type.Optional(Type.Literal(true, { description: 'The figure is the plan’s estimate; the ZIP’s checklist.txt measures it exactly.' })),
    }),
  ),
  deadline: Type.Object({ at: Type.Union([Type.String(), Type.Null()]), rule: Type.String(), basis: Type.String() }),
  shareLink: Type.Optional(Type.Object({ url: Type.String(), expiresAt: Type.String() })),
});

const query = Type.Object({ lang: Type.Optional(LanguageSchema) });

export const packetsRoutes: FastifyPluginAsyncTypebox<{ packets: PacketsService }> = async (app, { packets }) => {
  app.get('/disputes/:id/packets', {
    config: { allow: STAFF },
    schema: {
      tags: ['disputes'],
      summary: 'Every recipient’s packet for the dispute, planned: what goes in, what is missing and why, each limit with the packet’s figure, the deadline',
      params: Type.Object({ id: UuidSchema }),
      querystring: query,
      response: { 200: Type.Object({ items: Type.Array(PacketSchema) }), ...errorResponses },
    },
  }, async (request) => packets.list(request.params.id, { language: request.query.lang }));

  app.get('/disputes/:id/packets/:recipient.zip', {
    config: { allow: STAFF },
    schema: {
      tags: ['disputes'],
      summary: 'One recipient’s packet to upload as it is: packet.json (the recipient’s own field names), checklist.txt, and only files it accepts, within its limits (streamed ZIP)',
      produces: ['application/zip'],
      // Any name reaches the service, so an unknown recipient is a 404 like an unknown dispute.
      params: Type.Object({ id: UuidSchema, recipient: Type.String({ minLength: 1, maxLength: 40, description: 'stripe, shopify, paypal, ebay, amazon, coupang, shopee or courier' }) }),
      querystring: query,
      response: { 200: Type.Any(), ...errorResponses },
    },
  }, async (request, reply) => {
    const { id, recipient } = request.params;
    if (request.method === 'HEAD') {
      // What a GET would send, without building, linking or auditing anything.
      const { filename } = packets.check(id, recipient);
      return sendZip(reply, { filename, start: () => async () => {} });
    }
    const packet = await packets.exportPacket(id, recipient, { language: request.query.lang, actor: principalOf(request), requestOrigin: requestOrigin(request) });
    request.log.info({ disputeId: id, recipient }, 'packet built');
    return sendZip(reply, packet);
  });
};
