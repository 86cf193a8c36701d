// `npm run backup -- DIR`: the database copied consistently while the service runs, the ledger's signing
// key, the self-signed certificate, and (on local disk) the originals the copy names, added to DIR
// incrementally. The order makes a backup cut short harmless: originals first (only ever added), the
// database copy renamed into place after them, the manifest last.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { copyLiveDatabase, readDatabaseFacts } from '../../../storage/backup/database-copy';
import { copyHashed, hashFile, makeDirDurably, placeDurably, removeTemporaries } from '../../../storage/backup/durable-files';
import { DATABASE_FILE, isTemporaryName, SIGNING_KEY_FILE, temporaryBeside, TLS_DIR } from '../../../storage/backup/layout';
import { writeManifest, MANIFEST_FORMAT, type BackupManifest, type OriginalsInBackup } from '../../../storage/backup/manifest';
import { lockFolder } from '../../../storage/backup/folder-lock';
import { copyOriginals, listOriginalFiles } from '../../../storage/backup/originals-copy';
import { fsyncPath } from '../../../storage/fsync';
import { loadSigningKey } from '../ledger/signing-key';

export interface BackupOptions {
  dataDir: string;
  backupDir: string;
  /** Where originals live (BLOB_STORE): on local disk they are copied; in a bucket they stay there. */
  originalsStore: { kind: 'local' } | { kind: 's3'; bucket?: string };
  clock?: () => Date;
  onProgress?: (done: number, total: number) => void;
}

export class BackupError extends Error {}

const sum = (items: { bytes: number }[]) => items.reduce((total, item) => total + item.bytes, 0);

/** Copies a small secret or settings file as it is (owner-only), through a temporary file. */
async function copySmallFile(from: string, to: string): Promise<void> {
  await copyHashed(from, to, () => true, 0o600);
  await fsyncPath(path.dirname(to));
}

export async function takeBackup({ dataDir, backupDir, originalsStore, clock = () => new Date(), onProgress }: BackupOptions): Promise<BackupManifest> {
  if (path.resolve(backupDir) === path.resolve(dataDir) || path.resolve(backupDir).startsWith(path.resolve(dataDir) + path.sep)) {
    throw new BackupError(`the backup folder ${backupDir} is inside DATA_DIR (${dataDir}): a backup belongs on another disk`);
  }
  // Owner-only: the folder holds the ledger's signing key.
  await makeDirDurably(backupDir, 0o700);
  const lock = lockFolder(backupDir);
  try {
    return await backUpInto({ dataDir, backupDir, originalsStore, clock, onProgress });
  } finally {
    lock.release();
  }
}

async function backUpInto({ dataDir, backupDir, originalsStore, clock, onProgress }: Required<Omit<BackupOptions, 'onProgress'>> & Pick<BackupOptions, 'onProgress'>): Promise<BackupManifest> {
  await removeTemporaries(backupDir, isTemporaryName);

  const takenAt = clock().toISOString();
  const databaseCopy = temporaryBeside(path.join(backupDir, DATABASE_FILE));
  try {
    await copyLiveDatabase(dataDir, databaseCopy);
    const facts = readDatabaseFacts(databaseCopy);
    if (facts.integrity !== 'ok') throw new BackupError(`the database copy failed its integrity check: ${facts.integrity}`);
    const database = await hashFile(databaseCopy);

    // The key is made at setup, before the first entry is signed, and never changes: taken after the
    // snapshot, it is there for every checkpoint the snapshot holds.
    const keyFile = path.join(dataDir, SIGNING_KEY_FILE);
    const hasKey = fs.existsSync(keyFile);
    if (!hasKey && facts.latestCheckpoint !== null) {
      throw new BackupError(`the ledger has signed checkpoints but ${keyFile} is missing: without it the restored ledger cannot be verified or extended`);
    }
    if (hasKey) await copySmallFile(keyFile, path.join(backupDir, SIGNING_KEY_FILE));

    const otherFiles: string[] = [];
    for (const name of await fsp.readdir(path.join(dataDir, TLS_DIR)).catch(() => [] as string[])) {
      const relative = path.join(TLS_DIR, name);
      if (!(await fsp.stat(path.join(dataDir, relative))).isFile()) continue;
      await copySmallFile(path.join(dataDir, relative), path.join(backupDir, relative));
      otherFiles.push(relative);
    }

    let originals: OriginalsInBackup;
    if (originalsStore.kind === 'local') {
      const copied = await copyOriginals(dataDir, backupDir, facts.originals, { keepPresent: true, onEach: onProgress });
      originals = {
        store: 'local',
        referenced: facts.originals.length,
        referencedBytes: sum(facts.originals),
        copiedThisRun: copied.copied,
        copiedBytesThisRun: copied.copiedBytes,
        missingFromDataDir: copied.missing,
        damagedInDataDir: copied.damaged.map((damaged) => damaged.sha256),
        filesInFolder: (await listOriginalFiles(backupDir, { removeTemporaries: true })).length,
      };
    } else {
      originals = {
        store: 's3',
        bucket: originalsStore.bucket ?? null,
        note: "Originals are not in this folder: they stay in the bucket (originals/<sha256>), protected by the bucket's versioning, Object Lock and replication.",
        referenced: facts.originals.length,
        referencedBytes: sum(facts.originals),
      };
    }

    await placeDurably(databaseCopy, path.join(backupDir, DATABASE_FILE));
    const manifest: BackupManifest = {
      format: MANIFEST_FORMAT,
      takenAt,
      finishedAt: clock().toISOString(),
      dataDir: path.resolve(dataDir),
      database: {
        file: DATABASE_FILE,
        bytes: database.bytes,
        sha256: database.sha256,
        schemaVersion: facts.schemaVersion,
        media: facts.media,
        ledgerEntries: facts.ledgerEntries,
        latestCheckpoint: facts.latestCheckpoint,
      },
      signingKey: hasKey ? SIGNING_KEY_FILE : null,
      verifierKey: hasKey ? (loadSigningKey(backupDir)?.verifierKey ?? null) : null,
      otherFiles,
      originals,
    };
    await writeManifest(backupDir, manifest);
    return manifest;
  } finally {
    await fsp.rm(databaseCopy, { force: true });
  }
}
