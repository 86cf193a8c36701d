// The shop's settings: name, time zone, report language and the weight verdict's packaging and tolerance.
// Staff read them; the owner changes them.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ShopService } from '../services/shop.service';
import { OWNER, STAFF } from './access';
import { Body, errorResponses, LanguageSchema, PackagingGramsSchema, ShopSchema, ShortText, Text, TolerancePercentSchema } from './schemas';

export const shopRoutes: FastifyPluginAsyncTypebox<{ shop: ShopService }> = async (app, { shop }) => {
  app.get('/shop', {
    config: { allow: STAFF },
    schema: { tags: ['shop'], summary: "The shop's settings", response: { 200: ShopSchema, ...errorResponses } },
  }, async () => shop.get());

  app.patch('/shop', {
    config: { allow: OWNER },
    schema: {
      tags: ['shop'],
      summary:
        'Change the shop name, its IANA time zone (e.g. Asia/Seoul), the language exports are written in by default, ' +
        'the packaging weight counted in orders that give none, or the weight tolerance in percent (owner only)',
      body: Body({
        name: Type.Optional(ShortText(200)),
        timezone: Type.Optional(Text(64, 1)),
        reportLanguage: Type.Optional(LanguageSchema),
        packagingWeightGrams: Type.Optional(PackagingGramsSchema),
        weightTolerancePercent: Type.Optional(TolerancePercentSchema),
      }),
      response: { 200: ShopSchema, ...errorResponses },
    },
  }, async (request) => shop.update(request.body));
};
