// A real, small filesystem for full-disk tests: a size-limited tmpfs (needs root, or CAP_SYS_ADMIN),
// and a filler file that takes up exactly as much of it as a test wants.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'vitest';

export interface Tmpfs {
  dir: string;
  /** Bytes free for an unprivileged writer, as the server measures them. */
  freeBytes(): number;
  /**
   * Grows or shrinks the filler file until about `bytes` are free (to the page), or, for 0, until
   * the filesystem refuses another byte. Returns the bytes free afterwards.
   */
  leaveFree(bytes: number): number;
  /** Deletes the filler file, freeing everything it took. */
  removeFiller(): void;
  unmount(): void;
}

function errorText(error: unknown): string {
  const { stderr, message } = error as { stderr?: Buffer | string; message?: string };
  return (stderr?.toString().trim() || message || String(error)).split('\n')[0];
}

/** Mounts a tmpfs of `size` (such as "40m"), or says why it cannot. */
export function mountTmpfs(size: string): { tmpfs: Tmpfs } | { reason: string } {
  if (process.platform !== 'linux') return { reason: `tmpfs mounts need Linux, this is ${process.platform}` };
  if (process.getuid?.() !== 0) return { reason: `mounting a tmpfs needs root; running as uid ${process.getuid?.()}` };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'packtrail-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    fs.rmdirSync(dir);
    return { reason: `"mount -t tmpfs -o size=${size}" was refused: ${errorText(error)}` };
  }

  const filler = path.join(dir, 'filler');
  const freeBytes = () => {
    const stats = fs.statfsSync(dir);
    return stats.bavail * stats.bsize;
  };
  const fillerBytes = () => (fs.existsSync(filler) ? fs.statSync(filler).size : 0);
  const page = fs.statfsSync(dir).bsize;

  function grow(bytes: number): void {
    const fd = fs.openSync(filler, 'a');
    const block = Buffer.alloc(1 << 20, 0x5a);
    try {
      for (let left = bytes; left > 0; ) {
        const written = fs.writeSync(fd, block, 0, Math.min(block.length, left));
        left -= written;
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
    } finally {
      fs.closeSync(fd);
    }
  }

  return {
    tmpfs: {
      dir,
      freeBytes,
      leaveFree(bytes) {
        if (bytes === 0) {
          grow(Number.MAX_SAFE_INTEGER);
          // The last partial page may still take a few bytes: write them one page at a time.
          for (let i = 0; i < 4 && freeBytes() > 0; i++) grow(page);
          return freeBytes();
        }
        const change = freeBytes() - bytes;
        if (change > 0) grow(change);
        else if (change < 0) fs.truncateSync(filler, Math.max(0, fillerBytes() + change));
        return freeBytes();
      },
      removeFiller() {
        fs.rmSync(filler, { force: true });
      },
      unmount() {
        try {
          execFileSync('umount', [dir], { stdio: 'pipe' });
        } catch {
          // Still busy (a process that has not quite exited): detach now, freed once the last file closes.
          execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
        }
        fs.rmdirSync(dir);
      },
    },
  };
}

/**
 * Skips a test, saying why, where no tmpfs could be mounted; on failure prints the server's warnings and
 * errors, which say why a request failed (its info lines are noise here).
 */
export function needsTmpfs(context: TestContext, skipReason: string | undefined, serverOutput: () => string): void {
  if (skipReason) context.skip(`needs a size-limited tmpfs: ${skipReason}`);
  context.onTestFailed(() => console.log(`server warnings and errors:\n${serverOutput().split('\n').filter((line) => /"level":[4-6]\d/.test(line)).slice(-20).join('\n')}`));
}
