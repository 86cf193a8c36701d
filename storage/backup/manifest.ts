// The manifest in a backup folder: what the backup holds and when it was taken, read back by restore.
import fs from 'node:fs';
import path from 'node:path';
import { writeFileDurably } from './durable-files';
import { MANIFEST_FILE } from './layout';

export const MANIFEST_FORMAT = 'packtrail-backup/1';

export type OriginalsInBackup =
  | {
      store: 'local';
      /** Originals the database copy names, all of them in this folder unless listed under missing or damaged. */
      referenced: number;
      referencedBytes: number;
      /** Copied by this run; the others were there from earlier runs. */
      copiedThisRun: number;
      copiedBytesThisRun: number;
      /** Named by the database but not in DATA_DIR when the backup was taken. */
      missingFromDataDir: string[];
      /** In DATA_DIR, but their bytes did not hash to their name: not copied. */
      damagedInDataDir: string[];
      /** Every original file in this folder, including ones from earlier backups no longer named. */
      filesInFolder: number;
    }
  | {
      store: 's3';
      bucket: string | null;
      /** Originals stay in the bucket, protected by its own versioning, Object Lock and replication. */
      note: string;
      referenced: number;
      referencedBytes: number;
    };

export interface BackupManifest {
  format: typeof MANIFEST_FORMAT;
  /** When the database snapshot was taken: the backup holds every upload acknowledged before it. */
  takenAt: string;
  finishedAt: string;
  dataDir: string;
  database: {
    file: string;
    bytes: number;
    sha256: string;
    schemaVersion: number | null;
    media: number;
    ledgerEntries: number;
    latestCheckpoint: number | null;
  };
  /** Relative path of the ledger's signing key, or null when the service had not made one yet (not set up). */
  signingKey: string | null;
  /** The log's public verifier key (what GET /api/v1/ledger/key answers), to compare with the restored service's. */
  verifierKey: string | null;
  /** Other files kept (the self-signed TLS certificate and key), relative paths. */
  otherFiles: string[];
  originals: OriginalsInBackup;
}

export async function writeManifest(backupDir: string, manifest: BackupManifest): Promise<void> {
  await writeFileDurably(path.join(backupDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, 0o600);
}

export class NotABackupError extends Error {}

/** The manifest of `backupDir`; a folder without one, or with another format, is not a backup this version restores. */
export function readManifest(backupDir: string): BackupManifest {
  const file = path.join(backupDir, MANIFEST_FILE);
  if (!fs.existsSync(file)) throw new NotABackupError(`${backupDir} holds no ${MANIFEST_FILE}: it is not a Packtrail backup, or its first backup never finished`);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as BackupManifest;
  } catch (error) {
    throw new NotABackupError(`${file} is not readable JSON: ${(error as Error).message}`);
  }
  if (manifest.format !== MANIFEST_FORMAT) throw new NotABackupError(`${file} is in format ${String(manifest.format)}; this version restores ${MANIFEST_FORMAT}`);
  return manifest;
}
