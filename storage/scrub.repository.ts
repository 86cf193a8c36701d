// SQL for scrubbing: which stored originals were re-hashed when, and the problems found.
import type { Db } from './database';

/** 'orphan': a file in originals/ that no media row accounts for; it is never re-hashed, only reported. */
export type ScrubProblemKind = 'hash_mismatch' | 'missing' | 'unreadable' | 'orphan';
export type ScrubResult = 'ok' | Exclude<ScrubProblemKind, 'orphan'>;

export interface ScrubOriginalRow {
  sha256: string;
  bytes: number;
  first_ledger_idx: number;
  last_checked_at: string | null;
  last_result: ScrubResult | null;
}

export interface ScrubProblemRow {
  id: number;
  sha256: string;
  found_at: string;
  problem: ScrubProblemKind;
  actual_sha256: string | null;
  actual_bytes: number | null;
  message: string;
  resolved_at: string | null;
}

export function createScrubRepository(db: Db) {
  const statements = {
    // Picks up originals the ledger gained since the last call; repeats of a known hash are ignored,
    // and so are capture-facts entries, which record no original's bytes.
    syncFromLedger: db.prepare(
      `INSERT OR IGNORE INTO scrub_originals (sha256, bytes, first_ledger_idx)
       SELECT sha256, bytes, idx FROM ledger_entries
       WHERE idx > (SELECT COALESCE(MAX(first_ledger_idx), -1) FROM scrub_originals) AND sha256 IS NOT NULL
       ORDER BY idx`,
    ),
    // NULLs sort first in SQLite: never-checked originals come before every checked one.
    isKnown: db.prepare('SELECT 1 FROM scrub_originals WHERE sha256 = ?').pluck(),
    listOpenShas: db.prepare('SELECT DISTINCT sha256 FROM scrub_problems WHERE problem = ? AND resolved_at IS NULL').pluck(),
    // Bytes retention removed (no media row left that keeps them) are gone on purpose, not missing.
    listDue: db.prepare(
      `SELECT * FROM scrub_originals s
       WHERE EXISTS (SELECT 1 FROM media m WHERE m.sha256 = s.sha256 AND m.removed_at IS NULL)
          OR NOT EXISTS (SELECT 1 FROM media m WHERE m.sha256 = s.sha256)
       ORDER BY last_checked_at, first_ledger_idx LIMIT @limit`,
    ),
    markChecked: db.prepare(
      'UPDATE scrub_originals SET last_checked_at = @checked_at, last_result = @result WHERE sha256 = @sha256',
    ),
    insertProblem: db.prepare(
      `INSERT INTO scrub_problems (sha256, found_at, problem, actual_sha256, actual_bytes, message)
       VALUES (@sha256, @found_at, @problem, @actual_sha256, @actual_bytes, @message)`,
    ),
    resolveProblems: db.prepare(
      'UPDATE scrub_problems SET resolved_at = @resolved_at WHERE sha256 = @sha256 AND resolved_at IS NULL',
    ),
    listProblems: db.prepare(
      `SELECT * FROM scrub_problems WHERE (@open_only = 0 OR resolved_at IS NULL) ORDER BY id DESC LIMIT @limit`,
    ),
  };

  return {
    syncFromLedger: () => statements.syncFromLedger.run().changes,
    /** Whether the ledger (so a media row) accounts for these bytes; call syncFromLedger first. */
    isKnown: (sha256: string) => statements.isKnown.get(sha256) !== undefined,
    listOpenShas: (problem: ScrubProblemKind) => new Set(statements.listOpenShas.all(problem) as string[]),
    listDue: (limit: number) => statements.listDue.all({ limit }) as ScrubOriginalRow[],
    markChecked: (sha256: string, checkedAt: string, result: ScrubResult) =>
      statements.markChecked.run({ sha256, checked_at: checkedAt, result }),
    insertProblem: (row: Omit<ScrubProblemRow, 'id' | 'resolved_at'>) => statements.insertProblem.run(row),
    resolveProblems: (sha256: string, resolvedAt: string) =>
      statements.resolveProblems.run({ sha256, resolved_at: resolvedAt }).changes,
    listProblems: (openOnly: boolean, limit: number) =>
      statements.listProblems.all({ open_only: openOnly ? 1 : 0, limit }) as ScrubProblemRow[],
  };
}

export type ScrubRepository = ReturnType<typeof createScrubRepository>;
