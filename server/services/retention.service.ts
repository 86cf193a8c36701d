// Retention with legal hold: originals older than RETENTION_DAYS (by the server's receive time) are
// removed with their derived files, unless held by the owner or by a dispute on their order (open, or
// closed less than RETENTION_DAYS ago). A removal keeps the media row, its ledger entry and its custody;
// the row then answers 410 (removed-media.ts). Originals are content-addressed: bytes that another kept
// row still stands on stay until that row goes too.
import { OriginalLockedError } from '../../storage/blobs/blob-store';
import type { Db } from '../../storage/database';
import type { MediaRepository, MediaRow } from '../../storage/media.repository';
import type { OrderDisputeRow, RetentionRepository } from '../../storage/retention.repository';
import { fail } from '../errors';
import type { AuditService } from './audit.service';
import type { Principal } from './auth.service';
import { removalOf, requireKept, type Removal } from './removed-media';

const DAY_MS = 86_400_000;
/** Due items are taken this many at a time, so one run over a large backlog holds no long transaction. */
const BATCH = 100;
/** The system actor custody events of removals name. */
const ACTOR = 'retention';

export interface HoldView {
  mediaId: string;
  reason?: string;
  heldBy: string;
  heldAt: string;
}

/** A dispute keeping an item: open (no end) or closed, holding until `until`. */
export interface DisputeHoldView {
  disputeId: string;
  status: string;
  closedAt?: string;
  until?: string;
}

export interface MediaRetentionView {
  mediaId: string;
  hold?: HoldView;
  disputes: DisputeHoldView[];
  /** When the next run may remove it; absent while held without end, when retention is off, or once removed. */
  removableAt?: string;
  removed?: Removal;
}

export interface UpcomingItem {
  mediaId: string;
  orderId: string;
  type: MediaRow['type'];
  receivedAt: string;
  removableAt: string;
}

export interface RetentionRunReport {
  retentionDays: number;
  /** Media items marked removed in this run. */
  removed: number;
  /** Originals (distinct bytes) deleted from the store. */
  originalsRemoved: number;
  /** Originals kept because another item still needs the same bytes. */
  originalsShared: number;
  /** Originals the store refused to delete (Object Lock still in force): their items stay, and the next run tries again. */
  originalsLocked: number;
  /** The soonest a refused original's lock ends, when the store said. */
  firstLockEnds?: string;
  skipped?: string;
}

interface RetentionDeps {
  db: Db;
  retention: RetentionRepository;
  media: Pick<MediaRepository, 'getById'>;
  orders: { requireRow(orderId: string): unknown };
  audit: Pick<AuditService, 'record'>;
  /** Deletes an original's bytes; throws OriginalLockedError while the store refuses (blob-store.ts). */
  removeOriginal: (sha256: string) => Promise<void>;
  /** Deletes every derived file of a media item (thumbnail, poster, playback copy, stills). */
  removeDerived: (mediaId: string) => Promise<void>;
  /** Runs `work` while no upload of the same bytes is being registered (media.service). */
  exclusiveOriginals: <T>(sha256s: string[], work: () => Promise<T>) => Promise<T>;
  retentionDays: number;
  /**
   * Days each original's write-once lock lasts from its upload (S3_OBJECT_LOCK_DAYS on a bucket with Object
   * Lock; 0 otherwise): nothing can be removed before, so no date shown may come sooner.
   */
  lockDays?: () => number;
  clock: () => Date;
  log?: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}


const plusDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * DAY_MS).toISOString();
const later = (a: string, b: string | null) => (b !== null && b > a ? b : a);

export function createRetentionService({
  db, retention, media, orders, audit, removeOriginal, removeDerived, exclusiveOriginals, retentionDays, lockDays = () => 0, clock, log,
}: RetentionDeps) {
  let running = false;

  /** When an item may go at the soonest: its period from receipt (or its last dispute's close), and never inside its lock. */
  const removableAt = (receivedAt: string, lastClosedAt: string | null) => {
    const byRetention = plusDays(later(receivedAt, lastClosedAt), retentionDays);
    const lockEnds = plusDays(receivedAt, lockDays());
    return later(byRetention, lockEnds);
  };

  function requireMedia(mediaId: string): MediaRow {
    return media.getById(mediaId) ?? fail('NOT_FOUND', 'No such media.');
  }

  const toHoldView = (row: { media_id: string; reason: string | null; held_by: string; held_at: string }): HoldView => ({
    mediaId: row.media_id,
    ...(row.reason ? { reason: row.reason } : {}),
    heldBy: row.held_by,
    heldAt: row.held_at,
  });

  function disputeHolds(disputes: OrderDisputeRow[], now: Date): DisputeHoldView[] {
    return disputes.flatMap((dispute): DisputeHoldView[] => {
      if (!dispute.closed_at) return [{ disputeId: dispute.id, status: dispute.status }];
      if (retentionDays === 0) return [];
      const until = plusDays(dispute.closed_at, retentionDays);
      return until > now.toISOString() ? [{ disputeId: dispute.id, status: dispute.status, closedAt: dispute.closed_at, until }] : [];
    });
  }

  /** Removes one group of due items sharing an original; the bytes go only when no other kept item needs them. */
  async function removeGroup(sha256: string, cutoff: string, removedAt: string, report: RetentionRunReport): Promise<void> {
    await exclusiveOriginals([sha256], async () => {
      // Read again under the lock: a hold, a dispute or an upload of the same bytes may have come since.
      const due = retention.listDueWithSha(sha256, cutoff);
      if (due.length === 0) return;
      const shared = retention.countKeptWithSha(sha256) > due.length;
      if (!shared) {
        try {
          await removeOriginal(sha256);
        } catch (error) {
          if (!(error instanceof OriginalLockedError)) throw error;
          // Expected while S3_OBJECT_LOCK_DAYS outlasts RETENTION_DAYS: counted, and told once per run (run()).
          report.originalsLocked += 1;
          const until = error.until?.toISOString();
          if (until && (!report.firstLockEnds || until < report.firstLockEnds)) report.firstLockEnds = until;
          return;
        }
      }
      // Bytes first, then the rows: a crash between leaves the items due, and the next run finishes them.
      for (const row of due) await removeDerived(row.id);
      db.transaction(() => {
        for (const row of due) {
          if (!retention.markRemoved(row.id, removedAt, 'retention')) continue;
          audit.record({
            actorType: 'system',
            actorId: ACTOR,
            action: 'retention_remove',
            subjectType: 'media',
            subjectId: row.id,
            detail: { sha256, receivedAt: row.received_at, retentionDays, original: shared ? 'kept_for_other_media' : 'removed' },
          });
          report.removed += 1;
        }
      })();
      if (shared) report.originalsShared += 1;
      else report.originalsRemoved += 1;
      log?.info({ sha256, mediaIds: due.map((row) => row.id), originalRemoved: !shared }, 'retention: media removed');
    });
  }

  return {
    retentionDays,

    /** The owner's hold on one item, or undefined. */
    getHold(mediaId: string): HoldView | undefined {
      requireMedia(mediaId);
      const row = retention.getHold(mediaId);
      return row && toHoldView(row);
    },

    /** Holds an item past retention (or changes the reason of its hold). A custody event. */
    hold(mediaId: string, principal: Principal, reason?: string): HoldView {
      return db.transaction(() => {
        requireKept(requireMedia(mediaId));
        const row = { media_id: mediaId, reason: reason?.trim() || null, held_by: principal.id, held_at: clock().toISOString() };
        retention.putHold(row);
        audit.record({ actorType: principal.kind, actorId: principal.id, action: 'hold', subjectType: 'media', subjectId: mediaId, detail: { reason: row.reason } });
        return toHoldView(row);
      })();
    },

    /** Lets an item's hold go (nothing to do when it had none). A custody event when there was one. */
    release(mediaId: string, principal: Principal): void {
      db.transaction(() => {
        requireMedia(mediaId);
        const before = retention.getHold(mediaId);
        if (!before || !retention.deleteHold(mediaId)) return;
        audit.record({
          actorType: principal.kind, actorId: principal.id, action: 'hold_release', subjectType: 'media', subjectId: mediaId, detail: { reason: before.reason },
        });
      })();
    },

    /** Each item of an order with what keeps it and when it may go, for the order page. */
    orderState(orderId: string): { retentionDays: number; items: MediaRetentionView[] } {
      orders.requireRow(orderId);
      const now = clock();
      const disputes = retention.listOrderDisputes(orderId);
      const holds = disputeHolds(disputes, now);
      const lastClosed = disputes.reduce<string | null>((max, d) => (d.closed_at ? later(d.closed_at, max) : max), null);
      const openDispute = holds.some((hold) => !hold.closedAt);
      const items = retention.listOrderFacts(orderId).map((row): MediaRetentionView => {
        const removed = removalOf(row);
        const view: MediaRetentionView = { mediaId: row.media_id, disputes: removed ? [] : holds };
        if (removed) return { ...view, removed };
        if (row.held_by && row.held_at) view.hold = toHoldView({ media_id: row.media_id, reason: row.hold_reason, held_by: row.held_by, held_at: row.held_at });
        if (retentionDays > 0 && !view.hold && !openDispute) view.removableAt = removableAt(row.received_at, lastClosed);
        return view;
      });
      return { retentionDays, items };
    },

    /**
     * The next items due, soonest first (an item already due goes on the next run). Held items without
     * an end are left out. Walks items oldest first and stops once none can come sooner than the
     * `limit` found: an item never comes due before its receive time plus the period.
     */
    upcoming(limit: number): { retentionDays: number; items: UpcomingItem[] } {
      if (retentionDays === 0) return { retentionDays, items: [] };
      const best: UpcomingItem[] = [];
      for (const row of retention.iterateSchedulable()) {
        if (best.length === limit && removableAt(row.received_at, null) > best[best.length - 1].removableAt) break;
        const item = {
          mediaId: row.media_id,
          orderId: row.order_external_id,
          type: row.type,
          receivedAt: row.received_at,
          removableAt: removableAt(row.received_at, row.last_closed_at),
        };
        best.push(item);
        best.sort((a, b) => a.removableAt.localeCompare(b.removableAt));
        if (best.length > limit) best.pop();
      }
      return { retentionDays, items: best };
    },

    /** The scheduled job: removes every due item, a batch at a time. One run at a time. */
    async run(): Promise<RetentionRunReport> {
      const report: RetentionRunReport = { retentionDays, removed: 0, originalsRemoved: 0, originalsShared: 0, originalsLocked: 0 };
      if (retentionDays === 0) return { ...report, skipped: 'RETENTION_DAYS is 0: originals are kept for ever' };
      if (running) return { ...report, skipped: 'a retention run is already going' };
      running = true;
      try {
        const now = clock();
        const cutoff = new Date(now.getTime() - retentionDays * DAY_MS).toISOString();
        // Walks forward by (received_at, id), so originals the store refuses to delete are passed over, not met again.
        let after = { at: '', id: '' };
        for (;;) {
          const due = retention.listDue(cutoff, after, BATCH);
          if (due.length === 0) break;
          after = { at: due[due.length - 1].received_at, id: due[due.length - 1].id };
          for (const sha256 of new Set(due.map((row) => row.sha256))) await removeGroup(sha256, cutoff, now.toISOString(), report);
        }
        if (report.originalsLocked > 0) {
          log?.warn(
            { originalsLocked: report.originalsLocked, firstLockEnds: report.firstLockEnds },
            `retention: ${report.originalsLocked} original(s) are past RETENTION_DAYS but still under the bucket's Object Lock; they are kept and removed by a run after their lock ends`,
          );
        }
        return report;
      } finally {
        running = false;
      }
    },
  };
}

export type RetentionService = ReturnType<typeof createRetentionService>;
