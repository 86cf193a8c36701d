// SQL for disputes, their evidence links, share links and deadline reminders.
import type { Db } from './database';
import type { Counterparty, DisputeReason, DisputeStatus } from '../server/domain/vocabulary';

export interface DisputeRow {
  id: string;
  order_id: number;
  reason: DisputeReason;
  counterparty: Counterparty;
  reference: string | null;
  amount_value: number | null;
  amount_currency: string | null;
  respond_by: string | null;
  status: DisputeStatus;
  note: string | null;
  damage_description: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface DisputeDetailRow extends DisputeRow {
  order_external_id: string;
  /** Set by a trigger when the status becomes won, lost or closed (migration 021); retention counts from it. */
  closed_at: string | null;
}

export interface EvidenceRow {
  id: string;
  dispute_id: string;
  media_id: string | null;
  capture_id: string | null;
  caption: string | null;
  position: number;
  created_at: string;
}

export interface ShareRow {
  id: string;
  dispute_id: string;
  token_hash: string;
  created_by: string | null;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  /** How often the link's page was opened (migration 012). */
  open_count: number;
  last_opened_at: string | null;
  /** What the link is for when a service made it, e.g. "packet for stripe" (migration 022). */
  label: string | null;
}

export interface ReminderRow {
  dispute_id: string;
  kind: 'due_soon' | 'overdue';
  respond_by: string;
  raised_at: string;
  dismissed_at: string | null;
}

export type DisputeEditableFields = Pick<
  DisputeRow,
  'reason' | 'counterparty' | 'reference' | 'amount_value' | 'amount_currency' | 'respond_by' | 'status' | 'note' | 'damage_description'
>;

const detailSelect = 'SELECT d.*, o.external_id AS order_external_id FROM disputes d JOIN orders o ON o.id = d.order_id';

export function createDisputesRepository(db: Db) {
  const statements = {
    insert: db.prepare(
      `INSERT INTO disputes (id, order_id, reason, counterparty, reference, amount_value, amount_currency, respond_by,
                             status, note, damage_description, created_by, created_at, updated_at)
       VALUES (@id, @order_id, @reason, @counterparty, @reference, @amount_value, @amount_currency, @respond_by,
               @status, @note, @damage_description, @created_by, @created_at, @updated_at)`,
    ),
    getById: db.prepare(`${detailSelect} WHERE d.id = ?`),
    // Soonest deadline first; disputes without one after those with one.
    list: db.prepare(
      `${detailSelect} WHERE (@status IS NULL OR d.status = @status)
       ORDER BY d.respond_by IS NULL, d.respond_by, d.created_at DESC LIMIT @limit`,
    ),
    listByOrder: db.prepare(`${detailSelect} WHERE d.order_id = ? ORDER BY d.created_at`),
    update: db.prepare(
      `UPDATE disputes SET reason = @reason, counterparty = @counterparty, reference = @reference,
              amount_value = @amount_value, amount_currency = @amount_currency, respond_by = @respond_by,
              status = @status, note = @note, damage_description = @damage_description, updated_at = @updated_at
       WHERE id = @id`,
    ),
    evidence: db.prepare('SELECT * FROM dispute_evidence WHERE dispute_id = ? ORDER BY position, created_at'),
    nextPosition: db.prepare('SELECT coalesce(max(position), -1) + 1 FROM dispute_evidence WHERE dispute_id = ?').pluck(),
    insertEvidence: db.prepare(
      `INSERT INTO dispute_evidence (id, dispute_id, media_id, capture_id, caption, position, created_at)
       VALUES (@id, @dispute_id, @media_id, @capture_id, @caption, @position, @created_at)`,
    ),
    findEvidence: db.prepare(
      'SELECT * FROM dispute_evidence WHERE dispute_id = @dispute_id AND (media_id = @media_id OR capture_id = @capture_id)',
    ),
    deleteEvidence: db.prepare('DELETE FROM dispute_evidence WHERE dispute_id = ? AND id = ?'),
    setEvidencePosition: db.prepare('UPDATE dispute_evidence SET position = @position WHERE dispute_id = @dispute_id AND id = @id'),
    insertShare: db.prepare(
      `INSERT INTO shares (id, dispute_id, token_hash, created_by, created_at, expires_at, label)
       VALUES (@id, @dispute_id, @token_hash, @created_by, @created_at, @expires_at, @label)`,
    ),
    shareByTokenHash: db.prepare('SELECT * FROM shares WHERE token_hash = ?'),
    sharesOf: db.prepare('SELECT * FROM shares WHERE dispute_id = ? ORDER BY created_at'),
    revokeShare: db.prepare('UPDATE shares SET revoked_at = @at WHERE id = @id AND dispute_id = @dispute_id AND revoked_at IS NULL'),
    countShareOpen: db.prepare('UPDATE shares SET open_count = open_count + 1, last_opened_at = @at WHERE id = @id'),
    openWith: db.prepare(`${detailSelect} WHERE d.status = 'open' AND d.counterparty = ? ORDER BY d.created_at`),
    dueBefore: db.prepare(
      `${detailSelect} WHERE d.status = 'open' AND d.respond_by IS NOT NULL AND d.respond_by <= ? ORDER BY d.respond_by`,
    ),
    raiseReminder: db.prepare(
      `INSERT OR IGNORE INTO dispute_reminders (dispute_id, kind, respond_by, raised_at)
       VALUES (@dispute_id, @kind, @respond_by, @raised_at)`,
    ),
    openReminders: db.prepare(
      `SELECT r.* FROM dispute_reminders r JOIN disputes d ON d.id = r.dispute_id
       WHERE r.dismissed_at IS NULL AND d.status = 'open' AND d.respond_by = r.respond_by
       ORDER BY r.respond_by`,
    ),
    dismissReminders: db.prepare('UPDATE dispute_reminders SET dismissed_at = ? WHERE dispute_id = ? AND dismissed_at IS NULL'),
  };

  return {
    insert: (row: DisputeRow) => statements.insert.run(row),
    getById: (id: string) => statements.getById.get(id) as DisputeDetailRow | undefined,
    list: (status: DisputeStatus | undefined, limit: number) =>
      statements.list.all({ status: status ?? null, limit }) as DisputeDetailRow[],
    listByOrder: (orderRowId: number) => statements.listByOrder.all(orderRowId) as DisputeDetailRow[],
    update: (id: string, fields: DisputeEditableFields, updatedAt: string) =>
      statements.update.run({ ...fields, id, updated_at: updatedAt }),
    evidence: (disputeId: string) => statements.evidence.all(disputeId) as EvidenceRow[],
    findEvidence: (disputeId: string, target: { mediaId?: string; captureId?: string }) =>
      statements.findEvidence.get({ dispute_id: disputeId, media_id: target.mediaId ?? null, capture_id: target.captureId ?? null }) as
        | EvidenceRow
        | undefined,
    insertEvidence: (row: Omit<EvidenceRow, 'position'>) =>
      statements.insertEvidence.run({ ...row, position: statements.nextPosition.get(row.dispute_id) as number }),
    deleteEvidence: (disputeId: string, evidenceId: string) => statements.deleteEvidence.run(disputeId, evidenceId).changes > 0,
    setEvidencePosition: (disputeId: string, evidenceId: string, position: number) =>
      statements.setEvidencePosition.run({ dispute_id: disputeId, id: evidenceId, position }),
    insertShare: (row: Omit<ShareRow, 'revoked_at' | 'open_count' | 'last_opened_at'>) => statements.insertShare.run(row),
    shareByTokenHash: (tokenHash: string) => statements.shareByTokenHash.get(tokenHash) as ShareRow | undefined,
    sharesOf: (disputeId: string) => statements.sharesOf.all(disputeId) as ShareRow[],
    revokeShare: (disputeId: string, shareId: string, at: string) =>
      statements.revokeShare.run({ id: shareId, dispute_id: disputeId, at }).changes > 0,
    countShareOpen: (shareId: string, at: string) => statements.countShareOpen.run({ id: shareId, at }),
    /** Open disputes with this counterparty (the courier's carry a filing deadline of their own). */
    openWith: (counterparty: Counterparty) => statements.openWith.all(counterparty) as DisputeDetailRow[],
    dueBefore: (at: string) => statements.dueBefore.all(at) as DisputeDetailRow[],
    raiseReminder: (row: Omit<ReminderRow, 'dismissed_at'>) => statements.raiseReminder.run(row).changes > 0,
    openReminders: () => statements.openReminders.all() as ReminderRow[],
    dismissReminders: (disputeId: string, at: string) => statements.dismissReminders.run(at, disputeId),
  };
}

export type DisputesRepository = ReturnType<typeof createDisputesRepository>;
