// SQL for the reply templates a shop's owner has rewritten (the defaults live in server/i18n/replies).
import type { Db } from './database';
import type { DisputeReason, Language, ReplyStage } from '../server/domain/vocabulary';

export interface ReplyTemplateRow {
  reason: DisputeReason;
  stage: ReplyStage;
  language: Language;
  body: string;
  updated_by: string | null;
  updated_at: string;
}

export type ReplyTemplateKey = Pick<ReplyTemplateRow, 'reason' | 'stage' | 'language'>;

export function createReplyTemplatesRepository(db: Db) {
  const statements = {
    byLanguage: db.prepare('SELECT * FROM reply_templates WHERE language = ?'),
    get: db.prepare('SELECT * FROM reply_templates WHERE reason = @reason AND stage = @stage AND language = @language'),
    upsert: db.prepare(
      `INSERT INTO reply_templates (reason, stage, language, body, updated_by, updated_at)
       VALUES (@reason, @stage, @language, @body, @updated_by, @updated_at)
       ON CONFLICT (reason, stage, language) DO UPDATE SET body = excluded.body, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    ),
    remove: db.prepare('DELETE FROM reply_templates WHERE reason = @reason AND stage = @stage AND language = @language'),
  };

  return {
    byLanguage: (language: Language) => statements.byLanguage.all(language) as ReplyTemplateRow[],
    get: (key: ReplyTemplateKey) => statements.get.get(key) as ReplyTemplateRow | undefined,
    upsert: (row: ReplyTemplateRow) => statements.upsert.run(row),
    /** True when an edited template was removed (the default applies again). */
    remove: (key: ReplyTemplateKey) => statements.remove.run(key).changes > 0,
  };
}

export type ReplyTemplatesRepository = ReturnType<typeof createReplyTemplatesRepository>;
