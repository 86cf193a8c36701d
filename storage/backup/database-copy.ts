// The database's part of a backup: a consistent copy taken with SQLite's online backup API while the
// service keeps writing, and what a copy says about itself (which originals it needs, how long its
// ledger is). SQL only; the order of steps is the backup service's.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { fsyncPath } from '../fsync';
import { DATABASE_FILE } from './layout';

/** Pages copied per step after the first: all of them, so the copy is one read transaction (see below). */
const ALL_PAGES = 0x7fffffff;

export interface DatabaseFacts {
  /** PRAGMA integrity_check of the copy: "ok" or the first problems found. */
  integrity: string;
  schemaVersion: number | null;
  media: number;
  ledgerEntries: number;
  /** Size of the latest signed checkpoint, or null when none was signed yet. */
  latestCheckpoint: number | null;
  /** Every distinct original the copy's media rows name, with its size. */
  originals: { sha256: string; bytes: number }[];
}

/**
 * Copies DATA_DIR's live database into `target` (a new file) with the online backup API. A second
 * connection reads while the service's own one writes: in WAL mode a reader never blocks the writer.
 * The backup API starts over whenever another connection writes between two steps, so the copy is
 * made in a single step (better-sqlite3's first step copies nothing; the progress callback then asks
 * for every page at once), which is one read transaction: a snapshot of the last commit before it,
 * every transaction wholly in or wholly out, however busy the writer. The copy is turned into a plain rollback-journal file
 * (no -wal or -shm beside it; the service switches it back to WAL when it opens it) and fsynced.
 */
export async function copyLiveDatabase(dataDir: string, target: string): Promise<void> {
  const sourceFile = path.join(dataDir, DATABASE_FILE);
  if (!fs.existsSync(sourceFile)) throw new Error(`${sourceFile} does not exist: is DATA_DIR right?`);
  // Read-write rather than read-only: a read-only connection cannot open a WAL database whose -shm is gone.
  const source = new Database(sourceFile, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    await source.backup(target, { progress: () => ALL_PAGES });
  } finally {
    source.close();
  }
  const copy = new Database(target, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
  // SQLite makes the file with the umask's permissions; it holds sessions and buyers' details.
  await fsp.chmod(target, 0o600);
  await fsyncPath(target);
}

/**
 * Media whose original is kept: retention (migration 021, `media.removed_at`) lets old originals go
 * while their rows stay and answer 410; those have nothing to back up or to make thumbnails of. A
 * database from before that migration keeps every original.
 */
function keptMediaCondition(db: Database.Database): string {
  const columns = db.prepare("SELECT name FROM pragma_table_info('media')").pluck().all() as string[];
  return columns.includes('removed_at') ? 'removed_at IS NULL' : '1';
}

/** What a database copy holds: checked whole, then counted. Opens it read-only. */
export function readDatabaseFacts(file: string): DatabaseFacts {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check', { simple: true }) as string) ?? 'unknown';
    const count = (table: string) => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
    return {
      integrity,
      schemaVersion: db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get() as number | null,
      media: count('media'),
      ledgerEntries: count('ledger_entries'),
      latestCheckpoint: db.prepare('SELECT MAX(size) FROM ledger_checkpoints').pluck().get() as number | null,
      originals: db
        .prepare(`SELECT sha256, MAX(bytes) AS bytes FROM media WHERE ${keptMediaCondition(db)} GROUP BY sha256 ORDER BY sha256`)
        .all() as DatabaseFacts['originals'],
    };
  } finally {
    db.close();
  }
}

/**
 * Derived files (thumbnails, posters, stills, playback copies) are not in a backup: a restored
 * database marks them to be made again, and the restored service makes them on start as it does any
 * pending work. Failed ones stay failed: the same original would fail the same way.
 */
export function markDerivedFilesPending(file: string): { processing: number; playback: number } {
  const db = new Database(file, { fileMustExist: true });
  try {
    const kept = keptMediaCondition(db);
    return db.transaction(() => ({
      processing: db.prepare(`UPDATE media SET processing_status = 'pending', processing_error = NULL WHERE processing_status = 'ready' AND ${kept}`).run().changes,
      playback: db.prepare(`UPDATE media SET playback_status = 'pending', playback_error = NULL WHERE playback_status = 'ready' AND ${kept}`).run().changes,
    }))();
  } finally {
    db.close();
  }
}
