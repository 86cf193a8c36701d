// Files written so that a crash leaves either the old version or the new one, never half of one:
// a private temporary name, fsync, rename, fsync of the folder.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fsyncPath } from '../fsync';
import { temporaryBeside } from './layout';

const CHUNK = 1 << 20;

/** Makes `dir` and any missing parents, fsyncing each folder that gained an entry. */
export async function makeDirDurably(dir: string, mode = 0o700): Promise<void> {
  const created = await fsp.mkdir(dir, { recursive: true, mode });
  if (!created) return;
  // mkdir names the topmost folder it made; every folder from `dir` up to that one is a new entry of its parent.
  for (let made = path.resolve(dir); ; made = path.dirname(made)) {
    await fsyncPath(path.dirname(made));
    if (made === path.resolve(created) || path.dirname(made) === made) break;
  }
}

/** Writes `data` to `file` atomically and durably. */
export async function writeFileDurably(file: string, data: string | Buffer, mode = 0o600): Promise<void> {
  await makeDirDurably(path.dirname(file));
  const temporary = temporaryBeside(file);
  try {
    await fsp.writeFile(temporary, data, { mode, flush: true });
    await fsp.rename(temporary, file);
  } catch (error) {
    await fsp.rm(temporary, { force: true });
    throw error;
  }
  await fsyncPath(path.dirname(file));
}

/** Renames a finished temporary file into place and makes the rename durable. */
export async function placeDurably(temporary: string, file: string): Promise<void> {
  await fsp.rename(temporary, file);
  await fsyncPath(path.dirname(file));
}

export interface HashedCopy {
  sha256: string;
  bytes: number;
}

/**
 * Copies `source` to `target` through a temporary file, hashing the bytes as they are written; the
 * copy is placed only when `accept` agrees with what was read (so bytes that do not hash true never
 * land under an original's name). The folder's fsync is left to the caller, who may place many files
 * in one folder. Returns what was read, placed or not.
 */
export async function copyHashed(source: string, target: string, accept: (copy: HashedCopy) => boolean, mode = 0o444): Promise<{ placed: boolean } & HashedCopy> {
  // The source is opened first: one that is not there leaves no empty folder behind in the target.
  const input = await fsp.open(source, 'r');
  const temporary = temporaryBeside(target);
  let output: fsp.FileHandle;
  try {
    await makeDirDurably(path.dirname(target));
    output = await fsp.open(temporary, 'wx', 0o600);
  } catch (error) {
    await input.close();
    throw error;
  }
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const { bytesRead } = await input.read(buffer, 0, CHUNK, null);
      if (bytesRead === 0) break;
      const piece = buffer.subarray(0, bytesRead);
      hash.update(piece);
      bytes += bytesRead;
      // write() may take fewer bytes than offered; the rest goes in the next call.
      for (let written = 0; written < piece.length; ) written += (await output.write(piece, written)).bytesWritten;
    }
    await output.sync();
  } catch (error) {
    await output.close().catch(() => {});
    await fsp.rm(temporary, { force: true });
    throw error;
  } finally {
    await input.close();
  }
  await output.close();
  const copy = { sha256: hash.digest('hex'), bytes };
  if (!accept(copy)) {
    await fsp.rm(temporary, { force: true });
    return { placed: false, ...copy };
  }
  await fsp.chmod(temporary, mode);
  await fsp.rename(temporary, target);
  return { placed: true, ...copy };
}

/** SHA-256 and size of a file, read in one pass. */
export async function hashFile(file: string): Promise<HashedCopy> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: CHUNK }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Removes temporary files a run cut short left in `dir` (not below it). */
export async function removeTemporaries(dir: string, isTemporary: (name: string) => boolean): Promise<number> {
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  const leftovers = names.filter(isTemporary);
  await Promise.all(leftovers.map((name) => fsp.rm(path.join(dir, name), { force: true })));
  return leftovers.length;
}
