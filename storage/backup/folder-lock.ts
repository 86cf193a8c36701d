// One writer at a time per folder: an hourly backup whose first, large run outlasts the hour must not
// have a second run sweep away its half-written database copy or interleave manifests; a second
// service (or a restore) on a DATA_DIR already in use must stop before its start-up clean-up.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const LOCK_FILE = '.backup.lock';

export class FolderBusyError extends Error {}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface FolderLockOptions {
  /** The lock file's name inside the folder. */
  file?: string;
  /** Who holds it, for the message: "another backup (process 12 on host, since …) is writing to DIR". */
  holder?: (pid: string, host: string, since: string, dir: string) => string;
  /**
   * A lock this very process holds is taken over: several services built in one process (tests that
   * start one again after a simulated crash) are not the two processes this guards against.
   */
  takeOverOwn?: boolean;
}

/**
 * Takes the folder's lock, or throws FolderBusyError naming the run that holds it. A lock left by a
 * run on this machine that is no longer running (killed, machine restarted) is taken over; one held
 * from another machine (a shared folder) is never guessed about.
 */
export function lockFolder(dir: string, options: FolderLockOptions = {}): { release(): void } {
  const file = path.join(dir, options.file ?? LOCK_FILE);
  const holder = options.holder ?? ((pid, host, since) => `another backup (process ${pid} on ${host}, since ${since}) is writing to ${dir}`);
  const me = `${os.hostname()} ${process.pid} ${new Date().toISOString()}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, me, { flag: 'wx', mode: 0o600 });
      return {
        release: () => {
          // Only our own lock: one taken over by another run since is theirs.
          if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === me) fs.rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const [host, pidText, since] = fs.readFileSync(file, 'utf8').trim().split(' ');
    const pid = Number(pidText);
    const own = options.takeOverOwn && host === os.hostname() && pid === process.pid;
    if (!own && (host !== os.hostname() || !Number.isSafeInteger(pid) || isAlive(pid))) {
      throw new FolderBusyError(`${holder(pidText, host, since, dir)}; if it is surely gone, remove ${file}`);
    }
    fs.rmSync(file, { force: true });
  }
  throw new FolderBusyError(`could not take ${file}: another run keeps taking it`);
}
