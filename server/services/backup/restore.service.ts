// `npm run restore -- DIR`: fills an empty DATA_DIR from a backup folder, checking every original's hash
// as it is copied and the ledger afterwards, and says what it restored. The database is placed last, so
// a restore cut short never leaves a database that names originals not yet copied.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { markDerivedFilesPending, readDatabaseFacts } from '../../../storage/backup/database-copy';
import { copyHashed, hashFile, makeDirDurably, placeDurably } from '../../../storage/backup/durable-files';
import { DATABASE_FILE, temporaryBeside } from '../../../storage/backup/layout';
import { readManifest, type BackupManifest } from '../../../storage/backup/manifest';
import { copyOriginals, type OriginalsCopyResult } from '../../../storage/backup/originals-copy';
import { lockDataDir } from '../../../storage/data-dir-lock';
import type { OriginalsStore } from '../../../storage/blobs/blob-store';
import { fsyncPath } from '../../../storage/fsync';
import { createLedgerRepository } from '../../../storage/ledger.repository';
import { createAuditService } from '../audit.service';
import { loadSigningKey } from '../ledger/signing-key';
import { checkMediaAgainstLedger } from './database-ledger-check';
import { checkStoredTree, type TreeCheck } from '../ledger/stored-tree';

/** Nothing was restored: the target is not empty, or the backup is not whole enough to start from. */
export class RestoreRefusedError extends Error {}
/** The restore stopped part-way (a disk error, a full disk). */
export class RestoreFailedError extends Error {}

export interface RestoreReport {
  manifest: BackupManifest;
  database: { media: number; ledgerEntries: number; bytes: number };
  signingKey: boolean;
  otherFiles: string[];
  /** Undefined when the originals live in a bucket and stay there. */
  originals?: Pick<OriginalsCopyResult, 'copied' | 'copiedBytes' | 'missing' | 'damaged'>;
  /** With originals in a bucket: how many the database names and how many of them the bucket has (undefined: not checked). */
  bucket?: { named: number; present: number };
  /** Derived files marked to be made again by the restored service. */
  regenerate: { processing: number; playback: number };
  ledger: TreeCheck | { ok: true; entries: 0; notSetUp: true };
  /**
   * Where the restored log ends: the service signs on from here, under the same key, so any checkpoint
   * the old service signed after the backup cannot be extended (the log forks). Recorded in the restored
   * custody log as a "restore" event, so whoever compares checkpoints can see why they diverge.
   */
  forkPoint: { ledgerEntries: number; checkpoint: { size: number; signedAt: string } | null; backupTakenAt: string };
  /** Everything that makes this restore less than whole, in words; empty when it is whole. */
  problems: string[];
}

/** A DATA_DIR that does not exist yet, or an empty folder (a fresh volume), may be restored into. */
function assertEmpty(dataDir: string): void {
  if (!fs.existsSync(dataDir)) return;
  if (!fs.statSync(dataDir).isDirectory()) throw new RestoreRefusedError(`DATA_DIR ${dataDir} is a file, not a folder`);
  const entries = fs.readdirSync(dataDir);
  if (entries.length > 0) {
    const shown = entries.slice(0, 5).join(', ') + (entries.length > 5 ? ', …' : '');
    throw new RestoreRefusedError(
      `DATA_DIR ${dataDir} is not empty (${shown}): a restore never mixes with or overwrites existing data. Point DATA_DIR at an empty or new folder.`,
    );
  }
}

/**
 * Writes the restore into the restored custody log (an event of the hash-chained audit log, seen in the
 * dashboard and the API): the restored service goes on from this entry count, not from where the old one
 * stopped, and this says so before it signs anything.
 */
function recordRestore(dataDir: string, manifest: BackupManifest, restoredAt: Date): RestoreReport['forkPoint'] {
  const db = new Database(path.join(dataDir, DATABASE_FILE), { fileMustExist: true });
  try {
    const ledger = createLedgerRepository(db);
    const latest = ledger.latestCheckpoint();
    const forkPoint: RestoreReport['forkPoint'] = {
      ledgerEntries: ledger.size(),
      checkpoint: latest ? { size: latest.size, signedAt: latest.created_at } : null,
      backupTakenAt: manifest.takenAt,
    };
    createAuditService({ db, clock: () => restoredAt }).record({
      actorType: 'system',
      actorId: 'restore',
      action: 'restore',
      subjectType: 'ledger',
      subjectId: manifest.verifierKey ?? 'ledger',
      detail: {
        backupTakenAt: manifest.takenAt,
        ledgerEntries: forkPoint.ledgerEntries,
        checkpointSize: forkPoint.checkpoint?.size ?? null,
        checkpointSignedAt: forkPoint.checkpoint?.signedAt ?? null,
        note: 'restored from a backup: entries the old service logged after the backup are not in this log, and this log goes on from here under the same key',
      },
    });
    return forkPoint;
  } finally {
    db.close();
  }
}

function mediaMismatches(dataDir: string): string[] {
  const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  try {
    return checkMediaAgainstLedger(db);
  } finally {
    db.close();
  }
}

function checkLedger(dataDir: string): RestoreReport['ledger'] {
  const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  try {
    const repository = createLedgerRepository(db);
    const signer = loadSigningKey(dataDir);
    if (!signer) {
      return repository.size() === 0
        ? { ok: true, entries: 0, notSetUp: true }
        : { ok: false, problem: 'the backup has ledger entries but no signing key' };
    }
    return checkStoredTree(repository, signer.verifierKey);
  } finally {
    db.close();
  }
}

/** The originals store the restored service will read from (BLOB_STORE=s3), opened once the restore has placed its files. */
export type OpenOriginalsStore = () => Pick<OriginalsStore, 'has'>;

export async function restoreBackup({ backupDir, dataDir, openOriginals }: { backupDir: string; dataDir: string; openOriginals?: OpenOriginalsStore }): Promise<RestoreReport> {
  const manifest = readManifest(backupDir);
  assertEmpty(dataDir);

  const databaseSource = path.join(backupDir, manifest.database.file);
  const database = await hashFile(databaseSource).catch(() => undefined);
  if (!database || database.sha256 !== manifest.database.sha256) {
    throw new RestoreRefusedError(
      `${databaseSource} ${database ? 'does not match the SHA-256 its manifest records' : 'is missing'}: the backup was damaged or cut short. Take a new backup, or restore an older one.`,
    );
  }

  await makeDirDurably(dataDir, 0o700);
  // A service started on the folder while the restore fills it refuses to start (and one running stops this).
  const lock = lockDataDir(dataDir, 'restore');
  try {
    return await restoreInto(manifest, backupDir, dataDir, database.bytes, openOriginals);
  } catch (error) {
    lock.release();
    // Whatever was copied stays for the operator to see, but the next restore must not mix with it.
    if (fs.readdirSync(dataDir).length === 0) throw error;
    throw new RestoreFailedError(`${(error as Error).message}. ${dataDir} now holds part of the backup: empty it before restoring again`);
  } finally {
    lock.release();
  }
}

/** Asks the bucket for each original the database names (a few at a time); the ones it lacks. */
async function missingFromBucket(store: Pick<OriginalsStore, 'has'>, sha256s: string[]): Promise<string[]> {
  const missing: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < sha256s.length) {
      const sha256 = sha256s[next++];
      if (!(await store.has(sha256))) missing.push(sha256);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return missing.sort();
}

async function restoreInto(
  manifest: BackupManifest, backupDir: string, dataDir: string, databaseBytes: number, openOriginals?: OpenOriginalsStore,
): Promise<RestoreReport> {
  const databaseSource = path.join(backupDir, manifest.database.file);
  const problems: string[] = [];
  const databaseTarget = path.join(dataDir, DATABASE_FILE);
  const databaseCopy = temporaryBeside(databaseTarget);
  try {
    const copied = await copyHashed(databaseSource, databaseCopy, (read) => read.sha256 === manifest.database.sha256, 0o600);
    if (!copied.placed) throw new RestoreRefusedError(`${databaseSource} changed while it was being restored`);
    const facts = readDatabaseFacts(databaseCopy);
    if (facts.integrity !== 'ok') throw new RestoreRefusedError(`the backup's database fails SQLite's integrity check: ${facts.integrity}`);
    const regenerate = markDerivedFilesPending(databaseCopy);
    await fsyncPath(databaseCopy);

    let signingKey = false;
    const otherFiles: string[] = [];
    for (const relative of [...(manifest.signingKey ? [manifest.signingKey] : []), ...manifest.otherFiles]) {
      const source = path.join(backupDir, relative);
      // A manifest names files inside the backup; one pointing elsewhere was not written by `npm run backup`.
      if (path.isAbsolute(relative) || relative.split(/[\\/]/).includes('..')) {
        problems.push(`the manifest names ${relative}, which is outside the backup: not restored`);
        continue;
      }
      if (!fs.existsSync(source)) {
        problems.push(`${relative} is named in the manifest but missing from the backup`);
        continue;
      }
      await copyHashed(source, path.join(dataDir, relative), () => true, 0o600);
      await fsyncPath(path.dirname(path.join(dataDir, relative)));
      if (relative === manifest.signingKey) signingKey = true;
      else otherFiles.push(relative);
    }

    let originals: RestoreReport['originals'];
    if (manifest.originals.store === 'local') {
      originals = await copyOriginals(backupDir, dataDir, facts.originals, { keepPresent: false });
      const alreadyMissing = new Set(manifest.originals.missingFromDataDir);
      const alreadyDamaged = new Set(manifest.originals.damagedInDataDir);
      for (const sha256 of originals.missing) {
        problems.push(
          alreadyMissing.has(sha256) ? `original ${sha256} was already missing from DATA_DIR when the backup was taken`
          : alreadyDamaged.has(sha256) ? `original ${sha256} was already damaged in DATA_DIR when the backup was taken, so it was not backed up`
          : `original ${sha256} is missing from the backup`,
        );
      }
      for (const damaged of originals.damaged) {
        problems.push(`original ${damaged.sha256} in the backup is damaged (its bytes hash to ${damaged.actualSha256}, ${damaged.actualBytes} bytes): not restored`);
      }
    }

    await placeDurably(databaseCopy, databaseTarget);
    let bucket: RestoreReport['bucket'];
    if (manifest.originals.store === 's3' && openOriginals) {
      const named = facts.originals.map((original) => original.sha256);
      const missing = await missingFromBucket(openOriginals(), named);
      for (const sha256 of missing) problems.push(`original ${sha256} is named by the database but missing from the bucket`);
      bucket = { named: named.length, present: named.length - missing.length };
    }
    const ledger = checkLedger(dataDir);
    if (!ledger.ok) problems.push(`the restored ledger does not verify: ${ledger.problem}`);
    // The log verifies; the rows the service serves from must say what it says (a row edited in the backup does not).
    else problems.push(...mediaMismatches(dataDir).map((mismatch) => `the database does not match the evidence log: ${mismatch}`));
    const forkPoint = recordRestore(dataDir, manifest, new Date());
    return {
      manifest,
      database: { media: facts.media, ledgerEntries: facts.ledgerEntries, bytes: databaseBytes },
      signingKey,
      otherFiles,
      originals,
      ...(bucket ? { bucket } : {}),
      regenerate,
      ledger,
      forkPoint,
      problems,
    };
  } finally {
    await fsp.rm(databaseCopy, { force: true });
  }
}
