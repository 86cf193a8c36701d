// Share links (/s/<token>): a read-only page, the originals it shows and the bundle, without an account.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../errors';
import type { BundleService } from '../services/bundle.service';
import type { MediaService } from '../services/media.service';
import type { SharesService } from '../services/shares.service';
import { pageLanguage, renderSharePage, renderUnavailablePage, SHARE_PAGE_CSP } from '../web/share/share-page';
import { requestOrigin, sendZip } from './bundles.routes';
import { LanguageSchema, UuidSchema } from './schemas';
import type { Language } from '../domain/vocabulary';
import { describeOriginal, sendDerivedImage, sendOriginal } from './send-original';

interface Options {
  shares: SharesService;
  bundles: BundleService;
  media: Pick<MediaService, 'openOriginal' | 'thumbnail' | 'playback'>;
  /** `reportLanguage`: the page's language when the reader's browser asks for none of ours. */
  shop: () => { name: string; timezone: string; reportLanguage: Language };
}

// Share links are public, so each address is limited: generously for the page, thumbnails and video
// seeking (many Range requests), tightly for whole bundles, which read gigabytes and render a report.
const PAGE_AND_MEDIA_LIMIT = { max: 600, timeWindow: '1 minute' };
const BUNDLE_LIMIT = { max: 6, timeWindow: '1 minute' };

const TokenSchema = Type.String({ minLength: 10, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' });

export const shareRoutes: FastifyPluginAsyncTypebox<Options> = async (app, { shares, bundles, media, shop }) => {
  app.addHook('onRequest', async (_request, reply) => {
    // Links are secrets: keep them out of search engines and other sites' logs. Set on arrival, not on
    // send, so the bundle (written straight to the socket, past the onSend hooks) carries them too.
    reply.header('x-robots-tag', 'noindex, nofollow').header('referrer-policy', 'no-referrer');
  });

  app.get('/s/:token', {
    config: { rateLimit: PAGE_AND_MEDIA_LIMIT },
    schema: {
      tags: ['shares'],
      summary: 'The read-only page of a share link (HTML); ?lang= picks its language (the switch on the page sets it)',
      params: Type.Object({ token: Type.String({ maxLength: 100 }) }),
      querystring: Type.Object({ lang: Type.Optional(LanguageSchema) }),
    },
  }, async (request, reply) => {
    const facts = shop();
    // Asked for by the page's own switch, else what the reader's browser prefers, else the shop's report language.
    const language = request.query.lang ?? pageLanguage(request.headers['accept-language']) ?? facts.reportLanguage;
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').header('content-security-policy', SHARE_PAGE_CSP);
    try {
      // A load with ?lang= comes from the page's language switch: the same visit, not another opening
      // (see SharesService.open). The link as sent carries no language, so a first visit always counts.
      const { share, dispute, originals } = shares.open(request.params.token, { languageSwitch: request.query.lang });
      const { evidence: _evidence, order, ...disputeFacts } = dispute;
      return renderSharePage({ language, base: `/s/${request.params.token}`, shop: facts, expiresAt: share.expires_at, dispute: disputeFacts, order, originals });
    } catch (error) {
      if (error instanceof AppError && (error.statusCode === 404 || error.statusCode === 410)) {
        return reply.code(error.statusCode).send(renderUnavailablePage(language, error.statusCode));
      }
      throw error;
    }
  });

  app.get('/s/:token/bundle.zip', {
    config: { rateLimit: BUNDLE_LIMIT },
    schema: {
      tags: ['shares'],
      summary: 'The evidence bundle through a share link',
      params: Type.Object({ token: TokenSchema }),
      querystring: Type.Object({ lang: Type.Optional(LanguageSchema) }),
    },
  }, async (request, reply) => {
    const share = shares.disputeFor(request.params.token);
    return sendZip(reply, await bundles.exportDispute(share.dispute_id, { language: request.query.lang, actor: { kind: 'share', id: share.id }, requestOrigin: requestOrigin(request) }));
  });

  const mediaParams = Type.Object({ token: TokenSchema, mediaId: UuidSchema });

  app.get('/s/:token/media/:mediaId/original', {
    config: { rateLimit: PAGE_AND_MEDIA_LIMIT },
    schema: { tags: ['shares'], summary: 'One shared original (Range supported)', params: mediaParams },
  }, async (request, reply) => {
    const { shareId, row } = shares.media(request.params.token, request.params.mediaId);
    return sendOriginal(request, reply, describeOriginal(row), (range) => media.openOriginal(row, range), () => shares.recordRead(shareId, row, 'original'));
  });

  app.get('/s/:token/media/:mediaId/playback', {
    config: { rateLimit: PAGE_AND_MEDIA_LIMIT },
    schema: { tags: ['shares'], summary: 'A shared video as MP4 that every browser plays', params: mediaParams },
  }, async (request, reply) => {
    const { shareId, row } = shares.media(request.params.token, request.params.mediaId);
    const playback = await media.playback(row);
    return sendOriginal(request, reply, playback.file, playback.open, () => shares.recordRead(shareId, row, 'playback'));
  });

  app.get('/s/:token/media/:mediaId/thumbnail', {
    config: { rateLimit: PAGE_AND_MEDIA_LIMIT },
    schema: { tags: ['shares'], summary: 'The thumbnail of one shared original', params: mediaParams },
  }, async (request, reply) => {
    const { shareId, row } = shares.media(request.params.token, request.params.mediaId);
    const image = await media.thumbnail(row);
    return sendDerivedImage(request, reply, image, () => shares.recordRead(shareId, row, 'thumbnail'));
  });
};
