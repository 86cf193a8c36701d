// TEMPORARY: the path-handing BlobStore, kept only until every user has moved to OriginalsStore and
// DerivedStore (blob-store.ts); removed in the same branch.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fsyncPath } from '../fsync';
import type { DiskReserve } from '../disk-reserve';
import { CHUNK, hashInPlace, writeHashed } from './digest';
import { isStorageFull, StorageFullError, type ByteRange, type LimitFor, type StoredOriginal } from './blob-store';

export interface StagedBlob {
  /** Lower-case hex SHA-256 of exactly the bytes received. */
  sha256: string;
  /** CRC-32 of the same bytes, summed in the same pass, so ZIP exports need not read them twice. */
  crc32: number;
  bytes: number;
  /** The first bytes of the file, enough to sniff its type from magic bytes. */
  head: Buffer;
  /** A local path to the staged bytes, for header checks before the blob is committed. */
  path: string;
}

export interface BlobStore {
  /**
   * Streams `source` into a private temporary file, hashing in the same pass, and fsyncs it.
   * `limitFor(head)` is asked once the first bytes are in and returns the byte limit for what they
   * turned out to be; exceeding it aborts with BlobTooLargeError, a full disk with StorageFullError. Nothing is visible until commit.
   */
  stage(source: Readable, limitFor: (head: Buffer) => Promise<number>): Promise<StagedBlob>;
  /**
   * Takes over a complete file already on this disk (a finished resumable upload): moves it into
   * staging, hashes it and fsyncs it, with the same limit rule as `stage`. The file is gone from its old place.
   */
  adopt(localFile: string, limitFor: (head: Buffer) => Promise<number>): Promise<StagedBlob>;
  /**
   * Moves a staged file to its content-addressed, write-once place. True when this call placed it;
   * false when identical bytes were already there (the staged copy is then dropped).
   */
  commit(staged: StagedBlob): Promise<boolean>;
  /**
   * Removes an original. Only for one this process just placed and that no media row came to
   * reference (a registration refused after its commit); never for evidence.
   */
  removeOriginal(sha256: string): Promise<void>;
  /** Every original on disk, for the scrub to find files that no media row accounts for. */
  listOriginals(): AsyncIterable<StoredOriginal>;
  /** Forgets a staged file that will not be committed. Never throws. */
  discard(staged: StagedBlob): Promise<void>;
  has(sha256: string): Promise<boolean>;
  openOriginal(sha256: string, range?: ByteRange): Readable;
  /** A local file path to read the original from (codecs such as ffmpeg need one). */
  localPath(sha256: string): string;
  /** Derived files (thumbnails, posters, playback copies) live apart from originals; the folder is created. */
  derivedPath(mediaId: string, name: string): string;
  /** Bytes still free where uploads land, less any the store keeps back (a database reserve not yet made). */
  freeBytes(): Promise<number>;
  /** Bytes uploads may still write before the disk is as full as it may get (MIN_FREE_DISK_BYTES); may be negative. */
  roomLeft(): Promise<number>;
  /** Removes temporary files left by a crash; called at start. */
  sweepStaging(): Promise<number>;
}


interface LocalDiskOptions {
  /** Bytes uploads must leave free (MIN_FREE_DISK_BYTES). */
  minFreeBytes?: number;
  /** The database's reserve: while given up, its size is not free for uploads; made again as soon as there is room. */
  reserve?: Pick<DiskReserve, 'missingBytes' | 'replenish'>;
}

export function createLocalDiskStore(dataDir: string, { minFreeBytes = 0, reserve }: LocalDiskOptions = {}): BlobStore {
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

  async function freeBytes(): Promise<number> {
    const stats = await fsp.statfs(stagingDir);
    return stats.bavail * stats.bsize - (reserve?.missingBytes() ?? 0);
  }
  async function roomLeft(): Promise<number> {
    // Asked before and while uploads write: the first moment there is room again, the reserve takes it first.
    if (reserve && reserve.missingBytes() > 0) await reserve.replenish(minFreeBytes);
    return (await freeBytes()) - minFreeBytes;
  }

  async function staged<T>(file: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      await fsp.rm(file, { force: true });
      if (isStorageFull(error)) throw new StorageFullError();
      throw error;
    }
  }

  return {
    async stage(source: Readable, limitFor: LimitFor): Promise<StagedBlob> {
      const file = path.join(stagingDir, `${randomUUID()}.part`);
      return { ...(await staged(file, () => writeHashed(source, file, limitFor, roomLeft))), path: file };
    },

    async adopt(localFile: string, limitFor: LimitFor): Promise<StagedBlob> {
      const file = path.join(stagingDir, `${randomUUID()}.part`);
      // Moved first, so a crash from here on leaves it where the start-up sweep looks.
      await fsp.rename(localFile, file);
      return { ...(await staged(file, () => hashInPlace(file, limitFor))), path: file };
    },

    async commit(staged: StagedBlob): Promise<boolean> {
      const target = originalPath(staged.sha256);
      if (fs.existsSync(target)) {
        // Content addressing: identical bytes are already safe on disk.
        await fsp.rm(staged.path, { force: true });
        return false;
      }
      const created = await fsp.mkdir(path.dirname(target), { recursive: true });
      await fsp.chmod(staged.path, 0o444);
      await fsp.rename(staged.path, target);
      await fsyncPath(path.dirname(target));
      // New fan-out folders are entries of their parents: those must reach the disk too.
      if (created) {
        for (let dir = path.dirname(path.dirname(target)); dir.length >= originalsDir.length; dir = path.dirname(dir)) await fsyncPath(dir);
      }
      return true;
    },

    async removeOriginal(sha256: string): Promise<void> {
      const target = originalPath(sha256);
      await fsp.rm(target, { force: true });
      await fsyncPath(path.dirname(target)).catch(() => {});
    },

    async *listOriginals(): AsyncIterable<StoredOriginal> {
      // Two levels of fan-out (ab/cd/abcd…); anything else under originals/ is not ours and is skipped.
      for (const first of await fsp.readdir(originalsDir)) {
        if (!/^[0-9a-f]{2}$/.test(first)) continue;
        for (const second of await fsp.readdir(path.join(originalsDir, first)).catch(() => [] as string[])) {
          if (!/^[0-9a-f]{2}$/.test(second)) continue;
          const dir = path.join(originalsDir, first, second);
          for (const name of await fsp.readdir(dir).catch(() => [] as string[])) {
            if (!/^[0-9a-f]{64}$/.test(name) || !name.startsWith(first + second)) continue;
            const stat = await fsp.stat(path.join(dir, name)).catch(() => undefined);
            if (stat?.isFile()) yield { sha256: name, bytes: stat.size, writtenAt: stat.mtime };
          }
        }
      }
    },

    async discard(staged: StagedBlob): Promise<void> {
      await fsp.rm(staged.path, { force: true }).catch(() => {});
    },

    async has(sha256: string): Promise<boolean> {
      return fs.existsSync(originalPath(sha256));
    },

    openOriginal(sha256: string, range?: ByteRange): Readable {
      return fs.createReadStream(originalPath(sha256), { highWaterMark: CHUNK, ...(range ? { start: range.start, end: range.end } : {}) });
    },

    localPath: originalPath,

    derivedPath(mediaId: string, name: string): string {
      if (!/^[0-9a-f-]{36}$/.test(mediaId) || !/^[a-z0-9.-]+$/.test(name)) throw new Error('bad derived path');
      const dir = path.join(derivedDir, mediaId.slice(0, 2), mediaId);
      fs.mkdirSync(dir, { recursive: true });
      return path.join(dir, name);
    },

    freeBytes,

    roomLeft,

    async sweepStaging(): Promise<number> {
      const leftovers = await fsp.readdir(stagingDir);
      await Promise.all(leftovers.map((name) => fsp.rm(path.join(stagingDir, name), { force: true })));
      return leftovers.length;
    },
  };
}
