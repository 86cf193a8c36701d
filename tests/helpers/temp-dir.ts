// Temp directories for one test file, removed when the file ends (tests/helpers/remove-temp-dirs.ts).
// A test server's data directory holds real media, hundreds of megabytes in the upload suites; kept
// until the whole run ends, they filled a CI disk with little room.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const made = new Set<string>();

export function tempDir(prefix = 'packtrail-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.add(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made) {
    // A child process a test left running may still write here; the run's own temp directory
    // (run-temp-global-setup.ts) takes whatever this misses.
    try {
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
    } catch {
      continue;
    }
    made.delete(dir);
  }
}
