// Exports: a dispute's evidence bundle as one streamed ZIP.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { BundleService } from '../services/bundle.service';
import { principalOf, STAFF } from './access';
import { errorResponses, UuidSchema } from './schemas';

export const LanguageSchema = Type.Union([Type.Literal('en'), Type.Literal('ko'), Type.Literal('zh-TW')], { default: 'en' });

export function sendZip(reply: import('fastify').FastifyReply, bundle: { filename: string; stream: NodeJS.ReadableStream }) {
  return reply
    .type('application/zip')
    .header('content-disposition', `attachment; filename="${bundle.filename}"`)
    .header('cache-control', 'no-store')
    .send(bundle.stream);
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
    const bundle = bundles.exportDispute(request.params.id, { language: request.query.lang ?? 'en', actor: principal });
    request.log.info({ disputeId: request.params.id }, 'export started');
    return sendZip(reply, bundle);
  });
};
