// Room on disk kept for the database alone: a file of real bytes in DATA_DIR, given up the moment
// SQLite finds the disk full, so that reads (whose custody records are writes), exports and sign-ins
// keep working on a disk something else has filled. Uploads count a reserve not yet (re)made as taken.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

const FILE = 'database-reserve';
const BLOCK = 1 << 20;

export interface DiskReserve {
  /** The size the reserve should have. */
  readonly bytes: number;
  /** Bytes the reserve should hold but does not (given up, or not made yet): not free for anything else. */
  missingBytes(): number;
  /** Gives the reserve's bytes back to the filesystem; false when there was nothing to give. Synchronous, for SQLite's sake. */
  release(): boolean;
  /** Makes the reserve whole again when the disk has `keepFree` bytes to spare beyond it; true when it is whole. */
  replenish(keepFree: number): Promise<boolean>;
}

interface Log {
  error(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

const isDiskFull = (error: unknown) => ['ENOSPC', 'EDQUOT'].includes((error as NodeJS.ErrnoException | undefined)?.code ?? '');

function freeBytes(dir: string): number {
  const stats = fs.statfsSync(dir);
  return stats.bavail * stats.bsize;
}

/**
 * The reserve in `dir`, made now (synchronously, before the database opens) when the disk has room.
 * Written with real bytes, never as a sparse file: only allocated blocks are blocks the disk gives back.
 */
export function openDiskReserve(dir: string, bytes: number, log: Log): DiskReserve {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, FILE);
  const heldBytes = () => {
    try {
      return fs.statSync(file).size;
    } catch {
      return 0;
    }
  };
  let held = Math.min(heldBytes(), bytes);
  let filling: Promise<boolean> | undefined;

  /** Appends zeros up to the full size, one block at a time; a full disk stops it where it got. */
  function fillSync(): void {
    const fd = fs.openSync(file, 'a', 0o600);
    const block = Buffer.alloc(BLOCK);
    try {
      while (held < bytes) held += fs.writeSync(fd, block, 0, Math.min(BLOCK, bytes - held));
      fs.fsyncSync(fd);
    } catch (error) {
      if (!isDiskFull(error)) throw error;
      fs.ftruncateSync(fd, 0);
      held = 0;
    } finally {
      fs.closeSync(fd);
    }
  }

  async function fill(): Promise<boolean> {
    const handle = await fsp.open(file, 'a', 0o600);
    const block = Buffer.alloc(BLOCK);
    try {
      while (held < bytes) held += (await handle.write(block, 0, Math.min(BLOCK, bytes - held))).bytesWritten;
      await handle.sync();
      return true;
    } catch (error) {
      if (!isDiskFull(error)) throw error;
      // Someone else took the room meanwhile: give it back rather than keep a reserve that fills the disk.
      await handle.truncate(0);
      held = 0;
      return false;
    } finally {
      await handle.close();
    }
  }

  if (bytes > 0 && held < bytes && freeBytes(dir) >= bytes - held) fillSync();
  if (bytes > 0 && held < bytes) log.error({ reserveBytes: bytes, heldBytes: held }, 'disk full: no database reserve could be made');
  if (bytes === 0 && heldBytes() > 0) fs.rmSync(file, { force: true });

  return {
    bytes,
    missingBytes: () => bytes - held,

    release(): boolean {
      if (held === 0) return false;
      fs.truncateSync(file, 0);
      log.error({ releasedBytes: held }, 'disk full: database reserve released');
      held = 0;
      return true;
    },

    async replenish(keepFree: number): Promise<boolean> {
      if (held >= bytes) return true;
      if (!filling) {
        filling = (async () => {
          const stats = await fsp.statfs(dir);
          if (stats.bavail * stats.bsize - (bytes - held) < keepFree) return false;
          const made = await fill();
          if (made) log.info({ reserveBytes: bytes }, 'database reserve made again');
          return made;
        })().finally(() => (filling = undefined));
      }
      return filling;
    },
  };
}
