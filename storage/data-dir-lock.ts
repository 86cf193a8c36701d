// One service per DATA_DIR: a second one (started by mistake, or a restore into a folder in use) would
// sweep staging, resume processing and clean up packets under the running one's feet before failing on
// its port. The lock file holds the PID; a lock whose process is gone is taken over.
import fs from 'node:fs';
import { lockFolder } from './backup/folder-lock';

export { FolderBusyError as DataDirBusyError } from './backup/folder-lock';

export const DATA_DIR_LOCK_FILE = 'packtrail.lock';

export function lockDataDir(dataDir: string, who: 'service' | 'restore'): { release(): void } {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return lockFolder(dataDir, {
    file: DATA_DIR_LOCK_FILE,
    holder: (pid, host, since) => `DATA_DIR ${dataDir} is in use by process ${pid} on ${host} (since ${since}): a ${who} cannot share it`,
    takeOverOwn: who === 'service',
  });
}
