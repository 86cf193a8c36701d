// Re-hashes stored originals over time and records any whose bytes no longer match the hash the
// ledger recorded at upload: bit rot, a bad disk or tampering should be found by us, on a schedule,
// before a claims agent finds it in a bundle. It also reports files in originals/ that no media row
// accounts for (left by a crash between placing an original and registering it).
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { OriginalLockCheck, StoredOriginal } from '../../../storage/blobs/blob-store';
import type { Db } from '../../../storage/database';
import { createLedgerRepository } from '../../../storage/ledger.repository';
import {
  createScrubRepository,
  type ScrubOriginalRow,
  type ScrubProblemKind,
  type ScrubProblemRow,
} from '../../../storage/scrub.repository';
import type { AuditService } from '../audit.service';

export interface ScrubProblem {
  sha256: string;
  /** Every media item whose original these bytes are (one file can back several). */
  mediaIds: string[];
  problem: ScrubProblemKind;
  expectedBytes: number;
  actualSha256: string | null;
  actualBytes: number | null;
  message: string;
  /** False when this problem was already known from an earlier pass and not recorded again. */
  newlyFound: boolean;
}

export interface ScrubOrphan {
  sha256: string;
  bytes: number;
  message: string;
  /** False when already reported by an earlier pass. */
  newlyFound: boolean;
}

/** An original whose bytes hash true but whose write-once lock, or key, needs a person's eye (S3 with Object Lock). */
export interface ScrubLockFinding {
  sha256: string;
  mediaIds: string[];
  /** relocked: it had no COMPLIANCE retention and was locked again; unlocked: it has none and could not be locked. */
  state: OriginalLockCheck['state'];
  /** Versions or delete markers someone else put on its key (they change nothing the service reads). */
  otherVersions: number;
  message: string;
}

export interface ScrubReport {
  checked: number;
  ok: number;
  problems: ScrubProblem[];
  /** Files in originals/ without a media row: reported, never removed (a person decides). */
  orphans: ScrubOrphan[];
  /** Only where the store keeps locks, and only originals that need attention. */
  locks?: ScrubLockFinding[];
  /** Set when another batch was still running, in which case this one did nothing. */
  skipped?: string;
}

export interface ScrubServiceOptions {
  db: Db;
  /** The stored original's bytes by content hash (OriginalsStore.open: from local disk or the object store). */
  openOriginal: (sha256: string) => Readable | Promise<Readable>;
  /**
   * Whether the store still has the original (OriginalsStore.has): tells a missing original from an
   * unreadable one whatever error the store reports. Without it, only a file's ENOENT counts as missing.
   */
  hasOriginal?: (sha256: string) => Promise<boolean>;
  /** Every original in the store (OriginalsStore.list); without it orphans are not looked for. */
  listOriginals?: () => AsyncIterable<StoredOriginal>;
  /** The store's lock check (OriginalsStore.checkLock), run on each original that hashes true. */
  checkLock?: (sha256: string) => Promise<OriginalLockCheck>;
  /** Files younger than this are left alone: their registration may be a moment from done. */
  orphanGraceMs?: number;
  audit?: Pick<AuditService, 'record'>;
  clock?: () => Date;
}

/** An upload's last byte, its checks, placing it and its row take seconds; anything this old was left behind. */
const DEFAULT_ORPHAN_GRACE_MS = 15 * 60_000;

type Outcome =
  | { result: 'ok' }
  | { result: Exclude<ScrubProblemKind, 'orphan'>; actualSha256: string | null; actualBytes: number | null; message: string };

export function createScrubService({
  db, openOriginal, hasOriginal, listOriginals, checkLock, orphanGraceMs = DEFAULT_ORPHAN_GRACE_MS, audit, clock = () => new Date(),
}: ScrubServiceOptions) {
  const scrub = createScrubRepository(db);
  const ledger = createLedgerRepository(db);
  let running = false;

  async function hashOriginal(sha256: string): Promise<{ sha256: string; bytes: number }> {
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of (await openOriginal(sha256)) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      bytes += chunk.length;
    }
    return { sha256: hash.digest('hex'), bytes };
  }

  async function check(original: ScrubOriginalRow): Promise<Outcome> {
    try {
      const actual = await hashOriginal(original.sha256);
      if (actual.sha256 === original.sha256 && actual.bytes === original.bytes) return { result: 'ok' };
      return {
        result: 'hash_mismatch',
        actualSha256: actual.sha256,
        actualBytes: actual.bytes,
        message: `stored bytes hash to ${actual.sha256} (${actual.bytes} bytes); the ledger recorded ${original.sha256} (${original.bytes} bytes)`,
      };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const gone = code === 'ENOENT' || (hasOriginal !== undefined && !(await hasOriginal(original.sha256).catch(() => true)));
      if (gone) {
        return { result: 'missing', actualSha256: null, actualBytes: null, message: 'the stored original is gone' };
      }
      return {
        result: 'unreadable',
        actualSha256: null,
        actualBytes: null,
        message: `the stored original could not be read: ${(error as Error).message}`,
      };
    }
  }

  /** Saves one check's outcome; a problem is recorded once per episode, and cleared when the bytes come back. */
  const saveOutcome = db.transaction((original: ScrubOriginalRow, outcome: Outcome, checkedAt: string): ScrubProblem | null => {
    scrub.markChecked(original.sha256, checkedAt, outcome.result);
    if (outcome.result === 'ok') {
      scrub.resolveProblems(original.sha256, checkedAt);
      return null;
    }
    const newlyFound = original.last_result !== outcome.result;
    const mediaIds = ledger.listMediaIdsBySha256(original.sha256);
    if (newlyFound) {
      scrub.insertProblem({
        sha256: original.sha256,
        found_at: checkedAt,
        problem: outcome.result,
        actual_sha256: outcome.actualSha256,
        actual_bytes: outcome.actualBytes,
        message: outcome.message,
      });
      audit?.record({
        actorType: 'system',
        actorId: 'scrub',
        action: 'scrub_problem',
        subjectType: 'original',
        subjectId: original.sha256,
        detail: { problem: outcome.result, actualSha256: outcome.actualSha256, actualBytes: outcome.actualBytes, mediaIds },
      });
    }
    return {
      sha256: original.sha256,
      mediaIds,
      problem: outcome.result,
      expectedBytes: original.bytes,
      actualSha256: outcome.actualSha256,
      actualBytes: outcome.actualBytes,
      message: outcome.message,
      newlyFound,
    };
  });

  /**
   * The lock of an original that hashed true. A relock is recorded in custody (it is an act on evidence); a key
   * someone else wrote to, or a lock the bucket refuses, is reported each pass until a person acts.
   */
  async function checkLockOf(sha256: string): Promise<ScrubLockFinding | null> {
    if (!checkLock) return null;
    let result: OriginalLockCheck;
    try {
      result = await checkLock(sha256);
    } catch (error) {
      result = { state: 'unlocked', otherVersions: 0, message: `its lock could not be checked: ${(error as Error).message}` };
    }
    const attention = result.state === 'relocked' || result.state === 'unlocked' || result.otherVersions > 0;
    if (!attention) return null;
    const mediaIds = ledger.listMediaIdsBySha256(sha256);
    const parts = [result.message ?? result.state];
    if (result.otherVersions > 0) parts.push(`${result.otherVersions} other version(s) or delete marker(s) on its key, written by someone else; the service still reads the locked one`);
    if (result.state === 'relocked') {
      audit?.record({
        actorType: 'system',
        actorId: 'scrub',
        action: 'scrub_problem',
        subjectType: 'original',
        subjectId: sha256,
        detail: { problem: 'unlocked', relocked: true, until: result.until?.toISOString(), mediaIds },
      });
    }
    return { sha256, mediaIds, state: result.state, otherVersions: result.otherVersions, message: parts.join('; ') };
  }

  const orphanMessage = (bytes: number) => `${bytes} bytes in originals/ that no media row accounts for`;

  const recordOrphan = db.transaction((orphan: StoredOriginal, foundAt: string): void => {
    scrub.insertProblem({
      sha256: orphan.sha256, found_at: foundAt, problem: 'orphan', actual_sha256: null, actual_bytes: orphan.bytes, message: orphanMessage(orphan.bytes),
    });
    audit?.record({
      actorType: 'system',
      actorId: 'scrub',
      action: 'scrub_problem',
      subjectType: 'original',
      subjectId: orphan.sha256,
      detail: { problem: 'orphan', actualBytes: orphan.bytes },
    });
  });

  /**
   * Walks originals/ for files the ledger (and so the media table: both are written in one
   * transaction) does not know; once per episode each, like other problems. An orphan that is gone,
   * or that a later upload of the same bytes made referenced, is marked resolved.
   */
  async function findOrphans(list: () => AsyncIterable<StoredOriginal>): Promise<ScrubOrphan[]> {
    const known = scrub.listOpenShas('orphan');
    const found: ScrubOrphan[] = [];
    const now = Date.now(); // file times are wall-clock times, whatever clock the service runs on
    for await (const original of list()) {
      if (scrub.isKnown(original.sha256)) continue;
      if (now - original.writtenAt.getTime() < orphanGraceMs) continue;
      const newlyFound = !known.has(original.sha256);
      if (newlyFound) recordOrphan.immediate(original, clock().toISOString());
      found.push({ sha256: original.sha256, bytes: original.bytes, message: orphanMessage(original.bytes), newlyFound });
    }
    const still = new Set(found.map((orphan) => orphan.sha256));
    for (const sha256 of known) if (!still.has(sha256)) scrub.resolveProblems(sha256, clock().toISOString());
    return found;
  }

  return {
    /**
     * Re-hashes up to `limit` originals, never-checked first, then those checked longest ago, and
     * remembers when each was checked so successive batches walk the whole store. One at a time:
     * a scrub must not starve uploads of disk bandwidth. Then looks for orphans: listing names costs
     * little beside hashing, so every batch covers the whole store.
     */
    async scrubBatch(limit = 50): Promise<ScrubReport> {
      if (running) return { checked: 0, ok: 0, problems: [], orphans: [], skipped: 'a scrub batch is already running' };
      running = true;
      try {
        scrub.syncFromLedger();
        const report: ScrubReport = { checked: 0, ok: 0, problems: [], orphans: [] };
        for (const original of scrub.listDue(limit)) {
          const outcome = await check(original);
          const problem = saveOutcome.immediate(original, outcome, clock().toISOString());
          report.checked += 1;
          if (problem) report.problems.push(problem);
          else report.ok += 1;
          const lock = outcome.result === 'ok' ? await checkLockOf(original.sha256) : null;
          if (lock) (report.locks ??= []).push(lock);
        }
        if (listOriginals) report.orphans = await findOrphans(listOriginals);
        return report;
      } finally {
        running = false;
      }
    },

    /** Recorded problems, newest first; `openOnly` leaves out those whose bytes later checked out again. */
    listProblems({ openOnly = true, limit = 100 }: { openOnly?: boolean; limit?: number } = {}): ScrubProblemRow[] {
      return scrub.listProblems(openOnly, limit);
    },
  };
}

export type ScrubService = ReturnType<typeof createScrubService>;
