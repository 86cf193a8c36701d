// The shop's settings: name, time zone and report language. Staff read them; the owner changes them.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ShopService } from '../services/shop.service';
import { OWNER, STAFF } from './access';
import { Body, errorResponses, LanguageSchema, ShopSchema, ShortText, Text } from './schemas';

export const shopRoutes: FastifyPluginAsyncTypebox<{ shop: ShopService }> = async (app, { shop }) => {
  app.get('/shop', {
    config: { allow: STAFF },
    schema: { tags: ['shop'], summary: "The shop's settings", response: { 200: ShopSchema, ...errorResponses } },
  }, async () => shop.get());

  app.patch('/shop', {
    config: { allow: OWNER },
    schema: {
      tags: ['shop'],
      summary: 'Change the shop name, its IANA time zone (e.g. Asia/Seoul) or the language exports are written in by default (owner only)',
      body: Body({
        name: Type.Optional(ShortText(200)),
        timezone: Type.Optional(Text(64, 1)),
        reportLanguage: Type.Optional(LanguageSchema),
      }),
      response: { 200: ShopSchema, ...errorResponses },
    },
  }, async (request) => shop.update(request.body));
};
