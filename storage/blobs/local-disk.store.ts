// BlobStore on the local disk: staging files are fsynced, then renamed into a content-addressed,
// read-only place, so an original is either whole and final or not there at all.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BlobTooLargeError, StorageFullError, type BlobStore, type ByteRange, type StagedBlob } from './blob-store';

/** file-type reads at most this many bytes to recognise a format. */
export const SNIFF_BYTES = 4100;
const WRITE_BUFFER = 1 << 20;

const diskFullCodes = new Set(['ENOSPC', 'EDQUOT']);

/** Hashes, counts and keeps the head of what flows through, enforcing the byte limit as it goes. */
class Meter extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  private headChunks: Buffer[] = [];
  private headLength = 0;
  private limit: number | undefined;

  constructor(private readonly limitFor: (head: Buffer) => Promise<number>) {
    super();
  }

  get head(): Buffer {
    return Buffer.concat(this.headChunks, this.headLength);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (this.limit === undefined) {
      this.headChunks.push(chunk.subarray(0, SNIFF_BYTES - this.headLength));
      this.headLength = Math.min(SNIFF_BYTES, this.headLength + chunk.length);
      if (this.headLength < SNIFF_BYTES) return callback(null, chunk);
      this.decideLimit().then(() => this.pass(chunk, callback), callback);
      return;
    }
    this.pass(chunk, callback);
  }

  override _flush(callback: TransformCallback): void {
    if (this.limit !== undefined) return callback();
    this.decideLimit().then(() => callback(this.overLimit()), callback);
  }

  private async decideLimit(): Promise<void> {
    this.limit = await this.limitFor(this.head);
  }

  private overLimit(): BlobTooLargeError | null {
    return this.limit !== undefined && this.bytes > this.limit ? new BlobTooLargeError(this.limit) : null;
  }

  private pass(chunk: Buffer, callback: TransformCallback): void {
    const error = this.overLimit();
    if (error) return callback(error);
    callback(null, chunk);
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
      const meter = new Meter(limitFor);
      const handle = await fsp.open(file, 'wx', 0o600);
      try {
        await pipeline(source, meter, handle.createWriteStream({ highWaterMark: WRITE_BUFFER, autoClose: false }));
        await handle.sync();
      } catch (error) {
        await handle.close().catch(() => {});
        await fsp.rm(file, { force: true });
        if (diskFullCodes.has((error as NodeJS.ErrnoException).code ?? '')) throw new StorageFullError();
        throw error;
      }
      await handle.close();
      return { sha256: meter.hash.digest('hex'), bytes: meter.bytes, head: meter.head, path: file };
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
      return path.join(derivedDir, mediaId.slice(0, 2), mediaId, name);
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
