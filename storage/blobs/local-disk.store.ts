// Originals and derived files on the local disk. Originals: staging files are fsynced, then renamed
// into a content-addressed, read-only place, so an original is either whole and final or not there
// at all. Derived files: written under a private temporary name, then renamed into place.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fsyncPath } from '../fsync';
import type { DiskReserve } from '../disk-reserve';
import { FileReadable } from '../file-readable';
import { hashInPlace, writeHashed } from './digest';
import {
  BlobTooLargeError,
  isStorageFull,
  StorageFullError,
  type ByteRange,
  type Digest,
  type DerivedStore,
  type LimitFor,
  type OriginalsStore,
  type StagedOriginal,
  type StoredOriginal,
} from './blob-store';

export interface LocalDiskOptions {
  /** Bytes uploads must leave free (MIN_FREE_DISK_BYTES). */
  minFreeBytes?: number;
  /** The database's reserve: while given up, its size is not free for uploads; made again as soon as there is room. */
  reserve?: Pick<DiskReserve, 'missingBytes' | 'replenish'>;
}

const SHA256 = /^[0-9a-f]{64}$/;
/** A staging file's name is its ref: nothing a caller hands back can point outside staging/. */
const STAGING_REF = /^[0-9a-f-]{36}\.part$/;

/** Moves a file, copying when it lies on another filesystem (an uploads folder mounted apart). */
async function move(from: string, to: string): Promise<void> {
  try {
    await fsp.rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await fsp.copyFile(from, to, fs.constants.COPYFILE_EXCL);
    await fsp.rm(from, { force: true });
  }
}

/** Opens first, so a missing file rejects here rather than as a later stream error; ZIP exports read it into their own buffers. */
const openRead = (file: string, range?: ByteRange): Promise<Readable> => FileReadable.open(file, range);

export function createLocalOriginalsStore(dataDir: string, { minFreeBytes = 0, reserve }: LocalDiskOptions = {}): OriginalsStore {
  const originalsDir = path.join(dataDir, 'originals');
  const stagingDir = path.join(dataDir, 'staging');
  fs.mkdirSync(originalsDir, { recursive: true });
  fs.mkdirSync(stagingDir, { recursive: true });

  const originalPath = (sha256: string) => {
    if (!SHA256.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return path.join(originalsDir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  };
  const stagingPath = (ref: string) => {
    if (!STAGING_REF.test(ref)) throw new Error(`not a staging ref: ${ref}`);
    return path.join(stagingDir, ref);
  };
  const newRef = () => `${randomUUID()}.part`;

  async function freeBytes(): Promise<number> {
    const stats = await fsp.statfs(stagingDir);
    return stats.bavail * stats.bsize - (reserve?.missingBytes() ?? 0);
  }
  async function roomLeft(): Promise<number> {
    // Asked before and while uploads write: the first moment there is room again, the reserve takes it first.
    if (reserve && reserve.missingBytes() > 0) await reserve.replenish(minFreeBytes);
    return (await freeBytes()) - minFreeBytes;
  }

  /** Runs `work` on a staging file, removing the file if it fails; a full disk in any form becomes StorageFullError. */
  async function staged(ref: string, work: (file: string) => Promise<Digest>): Promise<StagedOriginal> {
    const file = stagingPath(ref);
    try {
      return { ...(await work(file)), ref };
    } catch (error) {
      await fsp.rm(file, { force: true });
      if (isStorageFull(error)) throw new StorageFullError();
      throw error;
    }
  }

  /** Trusts a digest computed as the bytes arrived, after checking the file is its size and the limit holds. */
  async function acceptDigest(file: string, limitFor: LimitFor, digest: Digest): Promise<Digest> {
    const { size } = await fsp.stat(file);
    if (size !== digest.bytes) throw new Error(`the file has ${size} bytes, its digest says ${digest.bytes}`);
    const limit = await limitFor(digest.head);
    if (digest.bytes > limit) throw new BlobTooLargeError(limit);
    await fsyncPath(file);
    return digest;
  }

  return {
    kind: 'local',

    stage: (source, limitFor) => staged(newRef(), (file) => writeHashed(source, file, limitFor, roomLeft)),

    async stageFile(localFile, limitFor, digest) {
      const ref = newRef();
      // Moved first, so a crash from here on leaves it where the start-up sweep looks.
      await move(localFile, stagingPath(ref));
      return staged(ref, (file) => (digest ? acceptDigest(file, limitFor, digest) : hashInPlace(file, limitFor)));
    },

    async withStagedFile(staged, use) {
      return use(stagingPath(staged.ref));
    },

    async withStagedLocation(staged, use) {
      return use(stagingPath(staged.ref));
    },

    async readStaged(staged, range) {
      return Buffer.concat((await (await openRead(stagingPath(staged.ref), range)).toArray()) as Buffer[]);
    },

    async commit(staged) {
      const from = stagingPath(staged.ref);
      const target = originalPath(staged.sha256);
      if (fs.existsSync(target)) {
        // Content addressing: identical bytes are already safe on disk.
        await fsp.rm(from, { force: true });
        return false;
      }
      const created = await fsp.mkdir(path.dirname(target), { recursive: true });
      await fsp.chmod(from, 0o444);
      await fsp.rename(from, target);
      await fsyncPath(path.dirname(target));
      // New fan-out folders are entries of their parents: those must reach the disk too.
      if (created) {
        for (let dir = path.dirname(path.dirname(target)); dir.length >= originalsDir.length; dir = path.dirname(dir)) await fsyncPath(dir);
      }
      return true;
    },

    async discard(staged) {
      await fsp.rm(stagingPath(staged.ref), { force: true }).catch(() => {});
    },

    async has(sha256) {
      return fs.existsSync(originalPath(sha256));
    },

    async open(sha256, range) {
      return openRead(originalPath(sha256), range);
    },

    async withLocalCopy(sha256, use) {
      const file = originalPath(sha256);
      // Fails as a missing file would, before the codec is started on nothing.
      await fsp.access(file, fs.constants.R_OK);
      return use(file);
    },

    async remove(sha256) {
      const target = originalPath(sha256);
      await fsp.rm(target, { force: true });
      await fsyncPath(path.dirname(target)).catch(() => {});
    },

    async *list(): AsyncIterable<StoredOriginal> {
      // Two levels of fan-out (ab/cd/abcd…); anything else under originals/ is not ours and is skipped.
      for (const first of await fsp.readdir(originalsDir)) {
        if (!/^[0-9a-f]{2}$/.test(first)) continue;
        for (const second of await fsp.readdir(path.join(originalsDir, first)).catch(() => [] as string[])) {
          if (!/^[0-9a-f]{2}$/.test(second)) continue;
          const dir = path.join(originalsDir, first, second);
          for (const name of await fsp.readdir(dir).catch(() => [] as string[])) {
            if (!SHA256.test(name) || !name.startsWith(first + second)) continue;
            const stat = await fsp.stat(path.join(dir, name)).catch(() => undefined);
            if (stat?.isFile()) yield { sha256: name, bytes: stat.size, writtenAt: stat.mtime };
          }
        }
      }
    },

    freeBytes,

    roomLeft,

    async sweepStaging() {
      const leftovers = await fsp.readdir(stagingDir);
      await Promise.all(leftovers.map((name) => fsp.rm(path.join(stagingDir, name), { force: true, recursive: true })));
      return leftovers.length;
    },
  };
}

const MEDIA_ID = /^[0-9a-f-]{36}$/;
/** One or two plain segments ("thumbnail.jpg", "stills/still-000005000.jpg"); never "..", never hidden. */
const DERIVED_NAME = /^[a-z0-9][a-z0-9.-]*(\/[a-z0-9][a-z0-9.-]*)?$/;
/** Temporary names start with a dot, so listings never show a file still being made. */
const temporaryName = (name: string) => `.${randomUUID()}.tmp-${name}`;

export function createLocalDerivedStore(dataDir: string): DerivedStore {
  const derivedDir = path.join(dataDir, 'derived');
  fs.mkdirSync(derivedDir, { recursive: true });

  const folderOf = (mediaId: string) => {
    if (!MEDIA_ID.test(mediaId)) throw new Error(`not a media id: ${mediaId}`);
    return path.join(derivedDir, mediaId.slice(0, 2), mediaId);
  };
  const pathOf = (mediaId: string, name: string) => {
    if (!DERIVED_NAME.test(name) || name.split('/').some((part) => part.includes('..'))) throw new Error(`not a derived name: ${name}`);
    return path.join(folderOf(mediaId), name);
  };
  const statOf = (file: string) => fsp.stat(file).catch(() => undefined);

  return {
    async produce(mediaId, name, make) {
      if (name.includes('/')) throw new Error(`a derived file is named without a folder: ${name}`);
      const final = pathOf(mediaId, name);
      await fsp.mkdir(path.dirname(final), { recursive: true });
      // The temporary name ends in the final one, so codecs that choose a format by extension still can.
      const temporary = path.join(path.dirname(final), temporaryName(name));
      try {
        await make(temporary);
        await fsyncPath(temporary);
        await fsp.rename(temporary, final);
      } finally {
        await fsp.rm(temporary, { force: true });
      }
    },

    async produceFolder(mediaId, name, make) {
      if (name.includes('/')) throw new Error(`a derived folder is named without a parent: ${name}`);
      const final = pathOf(mediaId, name);
      await fsp.mkdir(path.dirname(final), { recursive: true });
      const temporary = path.join(path.dirname(final), temporaryName(name));
      const old = path.join(path.dirname(final), temporaryName(`${name}-old`));
      try {
        await fsp.mkdir(temporary);
        await make(temporary);
        await fsyncPath(temporary);
        // A folder cannot be renamed over a non-empty one: the old one steps aside first.
        await fsp.rename(final, old).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        });
        await fsp.rename(temporary, final);
        await fsyncPath(path.dirname(final));
      } finally {
        await fsp.rm(temporary, { recursive: true, force: true });
        await fsp.rm(old, { recursive: true, force: true });
      }
    },

    async stat(mediaId, name) {
      const stat = await statOf(pathOf(mediaId, name));
      return stat?.isFile() ? { bytes: stat.size, modifiedAt: stat.mtime } : undefined;
    },

    async open(mediaId, name, range) {
      const file = pathOf(mediaId, name);
      const stat = await statOf(file);
      if (!stat?.isFile()) return undefined;
      return openRead(file, range).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      });
    },

    async withLocalFile(mediaId, name, use) {
      const file = pathOf(mediaId, name);
      if (!(await statOf(file))?.isFile()) return undefined;
      return use(file);
    },

    async list(mediaId, folder) {
      const names = await fsp.readdir(pathOf(mediaId, folder)).catch(() => [] as string[]);
      return names.filter((name) => !name.startsWith('.')).sort();
    },

    async removeAll(mediaId) {
      await fsp.rm(folderOf(mediaId), { recursive: true, force: true });
    },
  };
}
