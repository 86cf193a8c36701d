// One backup at a time per backup folder: an hourly cron job whose first, large run outlasts the hour
// must not have a second run sweep away its half-written database copy or interleave manifests.
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

/**
 * Takes the folder's lock, or throws FolderBusyError naming the run that holds it. A lock left by a
 * run on this machine that is no longer running (killed, machine restarted) is taken over; one held
 * from another machine (a shared folder) is never guessed about.
 */
export function lockFolder(dir: string): { release(): void } {
  const file = path.join(dir, LOCK_FILE);
  const me = `${os.hostname()} ${process.pid} ${new Date().toISOString()}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, me, { flag: 'wx', mode: 0o600 });
      return { release: () => fs.rmSync(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const [host, pidText, since] = fs.readFileSync(file, 'utf8').trim().split(' ');
    const pid = Number(pidText);
    if (host !== os.hostname() || !Number.isSafeInteger(pid) || isAlive(pid)) {
      throw new FolderBusyError(
        `another backup (process ${pidText} on ${host}, since ${since}) is writing to ${dir}; if it is surely gone, remove ${file}`,
      );
    }
    fs.rmSync(file, { force: true });
  }
  throw new FolderBusyError(`could not take ${file}: another backup keeps taking it`);
}
