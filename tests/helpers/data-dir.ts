// Looks at a DATA_DIR from outside the server, as an operator would after a crash: the SQLite file
// opened read-only, the originals read straight from disk.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export interface MediaRecord {
  id: string;
  capture_id: string;
  sha256: string;
  bytes: number;
}

/** What the database file says, read without the server: `PRAGMA integrity_check` and every media row. */
export function inspectDatabase(dataDir: string): { integrity: string; media: MediaRecord[] } {
  const db = new Database(path.join(dataDir, 'packtrail.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true }) as string;
    const media = db.prepare('SELECT id, capture_id, sha256, bytes FROM media ORDER BY rowid').all() as MediaRecord[];
    return { integrity, media };
  } finally {
    db.close();
  }
}

/** Where the store keeps an original: originals/ab/cd/abcd… */
export const originalFile = (dataDir: string, sha256: string) => path.join(dataDir, 'originals', sha256.slice(0, 2), sha256.slice(2, 4), sha256);

export function sha256OfFile(file: string): string {
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (let read; (read = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0; ) hash.update(buffer.subarray(0, read));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

export const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Why a media row is not backed by a whole original on disk, or undefined when it is. */
export function originalProblem(dataDir: string, row: MediaRecord): string | undefined {
  const file = originalFile(dataDir, row.sha256);
  if (!fs.existsSync(file)) return `media ${row.id}: no original at ${path.relative(dataDir, file)}`;
  const { size } = fs.statSync(file);
  if (size !== row.bytes) return `media ${row.id}: original has ${size} bytes, the row says ${row.bytes}`;
  const actual = sha256OfFile(file);
  if (actual !== row.sha256) return `media ${row.id}: original hashes to ${actual}, the row says ${row.sha256}`;
  return undefined;
}
