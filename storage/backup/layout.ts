// Where things are in a DATA_DIR and in a backup folder: both keep the same names, so a backup's
// contents read like the DATA_DIR they came from and a restore is a copy back.
import path from 'node:path';

/** The database file (the service opens it by this name in DATA_DIR). */
export const DATABASE_FILE = 'packtrail.sqlite';
/** The ledger's signing key, relative to either root (server/services/ledger/signing-key.ts makes it). */
export const SIGNING_KEY_FILE = path.join('ledger', 'signing.key');
/** The self-signed certificate phones were paired against (server/tls.ts): kept so they need not accept a new one. */
export const TLS_DIR = 'tls';
/** What the backup holds and when it was taken; written last, so a backup cut short keeps the previous one's. */
export const MANIFEST_FILE = 'backup-manifest.json';
export const ORIGINALS_DIR = 'originals';

const sha256Pattern = /^[0-9a-f]{64}$/;

export const isSha256 = (value: string) => sha256Pattern.test(value);

/** originals/ab/cd/abcd…: the local store's fan-out, used in DATA_DIR and in the backup alike. */
export function originalFile(root: string, sha256: string): string {
  if (!isSha256(sha256)) throw new Error(`not a sha256: ${sha256}`);
  return path.join(root, ORIGINALS_DIR, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

/** A private name beside `file` for writing it before it is renamed into place. */
export const temporaryBeside = (file: string) => path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);

export const isTemporaryName = (name: string) => /^\..+\.\d+\.\d+\.tmp$/.test(name);
