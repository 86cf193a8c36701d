// Reply templates (the owner rewrites them, staff read them) and the drafts they make for a dispute.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { languages, replyPlaceholders, replyStages } from '../domain/vocabulary';
import { MAX_TEMPLATE_LENGTH, type RepliesService } from '../services/replies.service';
import { OWNER, principalOf, STAFF } from './access';
import { Body, errorResponses, LanguageSchema, LongText, ReasonSchema, UuidSchema } from './schemas';

const StageSchema = Type.Union(replyStages.map((stage) => Type.Literal(stage)));
const PlaceholderSchema = Type.Union(replyPlaceholders.map((name) => Type.Literal(name)));
/** In a path the language is required: each template is one language's. */
const PathLanguageSchema = Type.Union(languages.map((language) => Type.Literal(language)));

export const ReplyTemplateSchema = Type.Object({
  reason: ReasonSchema,
  stage: StageSchema,
  language: PathLanguageSchema,
  body: Type.String(),
  isDefault: Type.Boolean(),
  updatedAt: Type.Optional(Type.String()),
});

export const ReplyDraftsSchema = Type.Object({
  disputeId: Type.String(),
  reason: ReasonSchema,
  language: PathLanguageSchema,
  drafts: Type.Array(
    Type.Object({
      stage: StageSchema,
      body: Type.String(),
      isDefault: Type.Boolean(),
      missing: Type.Array(Type.Object({ placeholder: PlaceholderSchema, marker: Type.String() })),
    }),
  ),
});

export const ReplyTemplateListSchema = Type.Object({ items: Type.Array(ReplyTemplateSchema), placeholders: Type.Array(PlaceholderSchema), maxLength: Type.Integer() });

const templateParams = Type.Object({ reason: ReasonSchema, stage: StageSchema, lang: PathLanguageSchema });
const langQuery = Type.Object({ lang: Type.Optional(LanguageSchema) });

export const repliesRoutes: FastifyPluginAsyncTypebox<{ replies: RepliesService }> = async (app, { replies }) => {
  app.get('/reply-templates', {
    config: { allow: STAFF },
    schema: {
      tags: ['replies'],
      summary: 'Every reply template (reason × stage) in one language, and the placeholders a template may use',
      querystring: langQuery,
      response: { 200: ReplyTemplateListSchema, ...errorResponses },
    },
  }, async (request) => ({ items: replies.list(request.query.lang ?? 'en'), placeholders: [...replyPlaceholders], maxLength: MAX_TEMPLATE_LENGTH }));

  app.put('/reply-templates/:reason/:stage/:lang', {
    config: { allow: OWNER },
    schema: {
      tags: ['replies'],
      summary: "Replace a template with the shop's own wording ({placeholders} are checked)",
      params: templateParams,
      body: Body({ body: LongText(MAX_TEMPLATE_LENGTH) }),
      response: { 200: ReplyTemplateSchema, ...errorResponses },
    },
  }, async (request) => {
    const { reason, stage, lang } = request.params;
    return replies.save(principalOf(request), { reason, stage, language: lang }, request.body.body);
  });

  app.delete('/reply-templates/:reason/:stage/:lang', {
    config: { allow: OWNER },
    schema: {
      tags: ['replies'],
      summary: "Go back to Packtrail's default wording for this template",
      params: templateParams,
      response: { 204: Type.Null(), ...errorResponses },
    },
  }, async (request, reply) => {
    const { reason, stage, lang } = request.params;
    replies.reset({ reason, stage, language: lang });
    return reply.code(204).send(null);
  });

  app.get('/disputes/:id/replies', {
    config: { allow: STAFF },
    schema: {
      tags: ['replies'],
      summary: "Reply drafts for the dispute's reason at every stage, filled with the order's facts",
      params: Type.Object({ id: UuidSchema }),
      querystring: langQuery,
      response: { 200: ReplyDraftsSchema, ...errorResponses },
    },
  }, async (request) => replies.drafts(request.params.id, request.query.lang ?? 'en'));
};
