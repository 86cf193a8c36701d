// Copies originals between two roots with the local store's layout (originals/ab/cd/<sha256>): from
// DATA_DIR into a backup, and back. Every byte copied is hashed on the way and a copy is placed under
// an original's name only when it hashes to that name.
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fsyncPath } from '../fsync';
import { copyHashed } from './durable-files';
import { isTemporaryName, ORIGINALS_DIR, originalFile } from './layout';

export interface WantedOriginal {
  sha256: string;
  bytes: number;
}

export interface OriginalsCopyResult {
  copied: number;
  copiedBytes: number;
  /** Already in the target with the right size: an incremental backup leaves them be. */
  alreadyThere: number;
  /** Not in the source at all. */
  missing: string[];
  /** In the source, but their bytes do not hash to their name (or their size is not the recorded one): not copied. */
  damaged: { sha256: string; actualSha256: string; actualBytes: number }[];
}

export interface CopyOptions {
  /** Leave an original the target already holds with the expected size (incremental backups). */
  keepPresent: boolean;
  /** Told after each original, for progress output. */
  onEach?: (done: number, total: number) => void;
}

export async function copyOriginals(fromRoot: string, toRoot: string, wanted: WantedOriginal[], { keepPresent, onEach }: CopyOptions): Promise<OriginalsCopyResult> {
  const result: OriginalsCopyResult = { copied: 0, copiedBytes: 0, alreadyThere: 0, missing: [], damaged: [] };
  const touchedDirs = new Set<string>();
  let done = 0;
  for (const original of wanted) {
    const source = originalFile(fromRoot, original.sha256);
    const target = originalFile(toRoot, original.sha256);
    onEach?.(done++, wanted.length);
    if (keepPresent && (await sizeOf(target)) === original.bytes) {
      result.alreadyThere += 1;
      continue;
    }
    // Gone already, or going while we look (retention removing it): missing either way, not a failed backup.
    const copy = await copyHashed(source, target, (read) => read.sha256 === original.sha256 && read.bytes === original.bytes).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (!copy) {
      result.missing.push(original.sha256);
      continue;
    }
    if (!copy.placed) {
      result.damaged.push({ sha256: original.sha256, actualSha256: copy.sha256, actualBytes: copy.bytes });
      continue;
    }
    touchedDirs.add(path.dirname(target));
    result.copied += 1;
    result.copiedBytes += copy.bytes;
  }
  // Each placed file is an entry of its folder: those entries reach the disk before anyone is told the copy is done.
  for (const dir of touchedDirs) await fsyncPath(dir);
  return result;
}

async function sizeOf(file: string): Promise<number | undefined> {
  return (await fsp.stat(file).catch(() => undefined))?.size;
}

/**
 * Every original under a root, by its file name (which is its SHA-256), with its size. With
 * `removeTemporaries`, also removes copies a run cut short left half-written beside them (only safe
 * while holding the folder's lock).
 */
export async function listOriginalFiles(root: string, { removeTemporaries = false } = {}): Promise<WantedOriginal[]> {
  const found: WantedOriginal[] = [];
  const base = path.join(root, ORIGINALS_DIR);
  for (const first of await fsp.readdir(base).catch(() => [] as string[])) {
    if (!/^[0-9a-f]{2}$/.test(first)) continue;
    for (const second of await fsp.readdir(path.join(base, first)).catch(() => [] as string[])) {
      if (!/^[0-9a-f]{2}$/.test(second)) continue;
      const dir = path.join(base, first, second);
      for (const name of await fsp.readdir(dir).catch(() => [] as string[])) {
        if (removeTemporaries && isTemporaryName(name)) await fsp.rm(path.join(dir, name), { force: true });
        if (!/^[0-9a-f]{64}$/.test(name) || !name.startsWith(first + second)) continue;
        const bytes = await sizeOf(path.join(dir, name));
        if (bytes !== undefined) found.push({ sha256: name, bytes });
      }
    }
  }
  return found;
}
