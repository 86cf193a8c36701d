// BlobStore on the local disk: staging files are fsynced, then renamed into a content-addressed,
// read-only place, so an original is either whole and final or not there at all.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { BlobTooLargeError, StorageFullError, type BlobStore, type ByteRange, type StagedBlob } from './blob-store';

/** file-type reads at most this many bytes to recognise a format. */
export const SNIFF_BYTES = 4100;
const WRITE_BUFFER = 1 << 20;

const diskFullCodes = new Set(['ENOSPC', 'EDQUOT']);

/**
 * Copies `source` into `file`, hashing in the same pass, and resolves only once the bytes are fsynced.
 * A plain loop rather than stream.pipeline: multipart file streams report a cut-off body with an
 * 'error' event that pipeline does not always settle on, and a hung upload is worse than a failed one.
 */
async function writeHashed(source: Readable, file: string, limitFor: (head: Buffer) => Promise<number>) {
  const hash = createHash('sha256');
  const out = fs.createWriteStream(file, { flags: 'wx', mode: 0o600, highWaterMark: WRITE_BUFFER, flush: true });
  let failed: Error | undefined;
  out.on('error', (error) => (failed = error));
  const closed = new Promise<void>((resolve) => out.once('close', resolve));
  const headChunks: Buffer[] = [];
  let bytes = 0;
  let limit: number | undefined;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (failed) throw failed;
      if (limit === undefined && bytes < SNIFF_BYTES) headChunks.push(chunk.subarray(0, SNIFF_BYTES - bytes));
      hash.update(chunk);
      bytes += chunk.length;
      if (limit === undefined && bytes >= SNIFF_BYTES) limit = await limitFor(Buffer.concat(headChunks));
      if (limit !== undefined && bytes > limit) throw new BlobTooLargeError(limit);
      if (!out.write(chunk)) await once(out, 'drain');
    }
    const head = Buffer.concat(headChunks);
    limit ??= await limitFor(head);
    if (bytes > limit) throw new BlobTooLargeError(limit);
    out.end();
    await closed;
    if (failed) throw failed;
    return { sha256: hash.digest('hex'), bytes, head };
  } catch (error) {
    out.destroy();
    await closed;
    throw error;
  }
}

export function createLocalDiskStore(dataDir: string): BlobStore {
  const originalsDir = path.join(dataDir, 'originals');
  const stagingDir = path.join(dataDir, 'staging');
  const derivedDir = path.join(dataDir, 'derived');
  fs.mkdirSync(originalsDir, { recursive: true });
  fs.mkdirSync(stagingDir, { recursive: true });
  fs.mkdirSync(derivedDir, { recursive: true });

  const originalPath = (sha256: string) => {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return path.join(originalsDir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  };

  async function fsyncDirectory(dir: string): Promise<void> {
    const handle = await fsp.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  return {
    async stage(source: Readable, limitFor: (head: Buffer) => Promise<number>): Promise<StagedBlob> {
      const file = path.join(stagingDir, `${randomUUID()}.part`);
      try {
        return { ...(await writeHashed(source, file, limitFor)), path: file };
      } catch (error) {
        await fsp.rm(file, { force: true });
        if (diskFullCodes.has((error as NodeJS.ErrnoException).code ?? '')) throw new StorageFullError();
        throw error;
      }
    },

    async commit(staged: StagedBlob): Promise<void> {
      const target = originalPath(staged.sha256);
      if (fs.existsSync(target)) {
        // Content addressing: identical bytes are already safe on disk.
        await fsp.rm(staged.path, { force: true });
        return;
      }
      await fsp.mkdir(path.dirname(target), { recursive: true });
      await fsp.chmod(staged.path, 0o444);
      await fsp.rename(staged.path, target);
      await fsyncDirectory(path.dirname(target));
    },

    async discard(staged: StagedBlob): Promise<void> {
      await fsp.rm(staged.path, { force: true }).catch(() => {});
    },

    async has(sha256: string): Promise<boolean> {
      return fs.existsSync(originalPath(sha256));
    },

    openOriginal(sha256: string, range?: ByteRange): Readable {
      return fs.createReadStream(originalPath(sha256), range ? { start: range.start, end: range.end } : {});
    },

    localPath: originalPath,

    derivedPath(mediaId: string, name: string): string {
      if (!/^[0-9a-f-]{36}$/.test(mediaId) || !/^[a-z0-9.-]+$/.test(name)) throw new Error('bad derived path');
      const dir = path.join(derivedDir, mediaId.slice(0, 2), mediaId);
      fs.mkdirSync(dir, { recursive: true });
      return path.join(dir, name);
    },

    async freeBytes(): Promise<number> {
      const stats = await fsp.statfs(stagingDir);
      return stats.bavail * stats.bsize;
    },

    async sweepStaging(): Promise<number> {
      const leftovers = await fsp.readdir(stagingDir);
      await Promise.all(leftovers.map((name) => fsp.rm(path.join(stagingDir, name), { force: true })));
      return leftovers.length;
    },
  };
}
