// SQL for retention: owners' holds on media, which originals are due for removal, and marking them removed.
import type { Db } from './database';
import type { MediaRow } from './media.repository';

export interface MediaHoldRow {
  media_id: string;
  reason: string | null;
  held_by: string;
  held_at: string;
}

/** A media item's place in retention: the facts its removable time is reckoned from. */
export interface RetentionFactsRow {
  media_id: string;
  order_external_id: string;
  received_at: string;
  removed_at: string | null;
  removal_reason: MediaRow['removal_reason'];
  hold_reason: string | null;
  held_by: string | null;
  held_at: string | null;
}

export interface OrderDisputeRow {
  id: string;
  status: string;
  closed_at: string | null;
}

/** Statuses of a dispute still being fought: its order's evidence is held however old it is. */
const OPEN_DISPUTE = "d.status IN ('open', 'submitted')";

// Held from removal, at a cutoff (now less RETENTION_DAYS): an owner's hold, or a dispute on the
// item's order still open or closed after the cutoff. A dispute holds every file of its order, linked
// or not yet: evidence can only be linked from its own order, and the seller may still be choosing.
const NOT_HELD = `NOT EXISTS (SELECT 1 FROM media_holds h WHERE h.media_id = m.id)
  AND NOT EXISTS (SELECT 1 FROM disputes d WHERE d.order_id = c.order_id
                  AND (${OPEN_DISPUTE} OR d.closed_at IS NULL OR d.closed_at > @cutoff))`;

export function createRetentionRepository(db: Db) {
  const statements = {
    getHold: db.prepare('SELECT * FROM media_holds WHERE media_id = ?'),
    putHold: db.prepare(
      `INSERT INTO media_holds (media_id, reason, held_by, held_at) VALUES (@media_id, @reason, @held_by, @held_at)
       ON CONFLICT (media_id) DO UPDATE SET reason = excluded.reason, held_by = excluded.held_by, held_at = excluded.held_at`,
    ),
    deleteHold: db.prepare('DELETE FROM media_holds WHERE media_id = ?'),
    listDue: db.prepare(
      `SELECT m.* FROM media m JOIN captures c ON c.id = m.capture_id
       WHERE m.removed_at IS NULL AND m.received_at <= @cutoff AND (m.received_at, m.id) > (@after_at, @after_id) AND ${NOT_HELD}
       ORDER BY m.received_at, m.id LIMIT @limit`,
    ),
    listDueWithSha: db.prepare(
      `SELECT m.* FROM media m JOIN captures c ON c.id = m.capture_id
       WHERE m.sha256 = @sha256 AND m.removed_at IS NULL AND m.received_at <= @cutoff AND ${NOT_HELD}`,
    ),
    countKeptWithSha: db.prepare('SELECT COUNT(*) FROM media WHERE sha256 = ? AND removed_at IS NULL').pluck(),
    markRemoved: db.prepare('UPDATE media SET removed_at = @removed_at, removal_reason = @reason WHERE id = @id AND removed_at IS NULL'),
    // Oldest first among items no owner holds and no open dispute holds: those that may come due.
    iterateSchedulable: db.prepare(
      `SELECT m.id AS media_id, m.type, m.received_at, o.external_id AS order_external_id,
              (SELECT MAX(d.closed_at) FROM disputes d WHERE d.order_id = c.order_id) AS last_closed_at
       FROM media m JOIN captures c ON c.id = m.capture_id JOIN orders o ON o.id = c.order_id
       WHERE m.removed_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM media_holds h WHERE h.media_id = m.id)
         AND NOT EXISTS (SELECT 1 FROM disputes d WHERE d.order_id = c.order_id AND ${OPEN_DISPUTE})
       ORDER BY m.received_at, m.rowid`,
    ),
    listOrderFacts: db.prepare(
      `SELECT m.id AS media_id, o.external_id AS order_external_id, m.received_at, m.removed_at, m.removal_reason,
              h.reason AS hold_reason, h.held_by, h.held_at
       FROM orders o JOIN captures c ON c.order_id = o.id JOIN media m ON m.capture_id = c.id
       LEFT JOIN media_holds h ON h.media_id = m.id
       WHERE o.external_id = ?
       ORDER BY c.started_at, m.received_at, m.rowid`,
    ),
    listOrderDisputes: db.prepare(
      `SELECT d.id, d.status, d.closed_at FROM disputes d JOIN orders o ON o.id = d.order_id
       WHERE o.external_id = ? ORDER BY d.created_at`,
    ),
  };

  return {
    getHold: (mediaId: string) => statements.getHold.get(mediaId) as MediaHoldRow | undefined,
    putHold: (row: MediaHoldRow) => statements.putHold.run(row),
    /** True when there was a hold to release. */
    deleteHold: (mediaId: string) => statements.deleteHold.run(mediaId).changes > 0,
    /** Up to `limit` items kept but due at `cutoff` (received before it and held by nothing), oldest first, after `after`. */
    listDue: (cutoff: string, after: { at: string; id: string }, limit: number) =>
      statements.listDue.all({ cutoff, after_at: after.at, after_id: after.id, limit }) as MediaRow[],
    /** Every due item whose original is these bytes. */
    listDueWithSha: (sha256: string, cutoff: string) => statements.listDueWithSha.all({ sha256, cutoff }) as MediaRow[],
    /** Items not removed whose original is these bytes: while any is left that is not being removed, the bytes stay. */
    countKeptWithSha: (sha256: string) => statements.countKeptWithSha.get(sha256) as number,
    markRemoved: (id: string, removedAt: string, reason: NonNullable<MediaRow['removal_reason']>) =>
      statements.markRemoved.run({ id, removed_at: removedAt, reason }).changes > 0,
    iterateSchedulable: () =>
      statements.iterateSchedulable.iterate() as IterableIterator<{ media_id: string; type: MediaRow['type']; received_at: string; order_external_id: string; last_closed_at: string | null }>,
    listOrderFacts: (orderId: string) => statements.listOrderFacts.all(orderId) as RetentionFactsRow[],
    listOrderDisputes: (orderId: string) => statements.listOrderDisputes.all(orderId) as OrderDisputeRow[],
  };
}

export type RetentionRepository = ReturnType<typeof createRetentionRepository>;
