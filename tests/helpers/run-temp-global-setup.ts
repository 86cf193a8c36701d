// Vitest global setup: gives the whole run one temp directory (TMPDIR, which os.tmpdir(), Chromium
// and ffmpeg all honour) and removes it when the run ends. Test servers, bundles, browser profiles and
// fixtures made in a run then never outlive it; before, each run left gigabytes in /tmp, and a CI
// machine with little free disk ran out partway.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'packtrail-run-'));
  const before = process.env.TMPDIR;
  // Set before the workers are forked, so each inherits it.
  process.env.TMPDIR = runDir;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    if (process.env.PACKTRAIL_KEEP_TEMP !== '1') fs.rmSync(runDir, { recursive: true, force: true });
  };
}
