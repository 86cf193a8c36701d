// BlobStore on the local disk: staging files are fsynced, then renamed into a content-addressed,
// read-only place, so an original is either whole and final or not there at all.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { fsyncPath } from '../fsync';
import type { DiskReserve } from '../disk-reserve';
import { createRoomCheck } from '../room-check';
import { BlobTooLargeError, isStorageFull, StorageFullError, type BlobStore, type ByteRange, type Digest as TakenDigest, type StagedBlob, type StoredOriginal } from './blob-store';

/** file-type reads at most this many bytes to recognise a format. */
export const SNIFF_BYTES = 4100;
const CHUNK = 1 << 20;


type LimitFor = (head: Buffer) => Promise<number>;

/** Hashes (SHA-256 and CRC-32) bytes as they pass, keeps the head for sniffing, and enforces the limit decided from it. */
class Digest {
  private readonly hash = createHash('sha256');
  private readonly headChunks: Buffer[] = [];
  private limit: number | undefined;
  private crc32 = 0;
  bytes = 0;

  constructor(private readonly limitFor: LimitFor) {}

  async add(chunk: Buffer): Promise<void> {
    if (this.limit === undefined && this.bytes < SNIFF_BYTES) this.headChunks.push(chunk.subarray(0, SNIFF_BYTES - this.bytes));
    this.hash.update(chunk);
    this.crc32 = zlib.crc32(chunk, this.crc32);
    this.bytes += chunk.length;
    if (this.limit === undefined && this.bytes >= SNIFF_BYTES) this.limit = await this.limitFor(this.head());
    if (this.limit !== undefined && this.bytes > this.limit) throw new BlobTooLargeError(this.limit);
  }

  async finish(): Promise<{ sha256: string; crc32: number; bytes: number; head: Buffer }> {
    this.limit ??= await this.limitFor(this.head());
    if (this.bytes > this.limit) throw new BlobTooLargeError(this.limit);
    return { sha256: this.hash.digest('hex'), crc32: this.crc32, bytes: this.bytes, head: this.head() };
  }

  private head(): Buffer {
    return Buffer.concat(this.headChunks);
  }
}

/**
 * Copies `source` into `file`, hashing in the same pass, and resolves only once the bytes are fsynced.
 * A plain loop rather than stream.pipeline: multipart file streams report a cut-off body with an
 * 'error' event that pipeline does not always settle on, and a hung upload is worse than a failed one.
 */
async function writeHashed(source: Readable, file: string, limitFor: LimitFor, roomLeft: () => Promise<number>) {
  const digest = new Digest(limitFor);
  const out = fs.createWriteStream(file, { flags: 'wx', mode: 0o600, highWaterMark: CHUNK, flush: true });
  const room = createRoomCheck(roomLeft, () => out.writableLength);
  let failed: Error | undefined;
  out.on('error', (error) => (failed = error));
  const closed = new Promise<void>((resolve) => out.once('close', resolve));
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (failed) throw failed;
      await digest.add(chunk);
      await room(chunk.length);
      if (!out.write(chunk)) await once(out, 'drain');
    }
    const result = await digest.finish();
    out.end();
    await closed;
    if (failed) throw failed;
    return result;
  } catch (error) {
    out.destroy();
    await closed;
    throw error;
  }
}

/** Hashes a file already on disk (a finished resumable upload) and makes sure its bytes are durable. */
async function hashInPlace(file: string, limitFor: LimitFor) {
  const digest = new Digest(limitFor);
  for await (const chunk of fs.createReadStream(file, { highWaterMark: CHUNK }) as AsyncIterable<Buffer>) await digest.add(chunk);
  const result = await digest.finish();
  await fsyncPath(file);
  return result;
}

/**
 * Trusts a digest computed while the file's bytes arrived: checks the limit and makes the bytes
 * durable without reading them. A digest for another length than the file's is no digest of it.
 */
async function takeDigest(file: string, digest: TakenDigest, limitFor: LimitFor) {
  if ((await fsp.stat(file)).size !== digest.bytes) return hashInPlace(file, limitFor);
  const limit = await limitFor(digest.head);
  if (digest.bytes > limit) throw new BlobTooLargeError(limit);
  await fsyncPath(file);
  return { sha256: digest.sha256, crc32: digest.crc32, bytes: digest.bytes, head: digest.head };
}

export interface LocalDiskOptions {
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

    async adopt(localFile: string, limitFor: LimitFor, digest?: TakenDigest): Promise<StagedBlob> {
      const file = path.join(stagingDir, `${randomUUID()}.part`);
      // Moved first, so a crash from here on leaves it where the start-up sweep looks.
      await fsp.rename(localFile, file);
      return { ...(await staged(file, () => (digest ? takeDigest(file, digest, limitFor) : hashInPlace(file, limitFor)))), path: file };
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
