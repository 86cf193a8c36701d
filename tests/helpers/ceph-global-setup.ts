// Vitest global setup: starts the Ceph gateway in the background as the run begins, so the S3 suites
// find it ready instead of waiting for it, while every other suite runs meanwhile. The S3 suites
// themselves wait on the same lock (tests/helpers/ceph-rgw.ts) and report a start that failed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cephDir } from './ceph-rgw';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** A run limited to named files starts the gateway early only when one of them looks like an S3 suite. */
function runMayNeedCeph(): boolean {
  const args = process.argv.slice(2).filter((arg) => !arg.startsWith('-') && !['run', 'watch', 'related', 'bench'].includes(arg));
  const testFiles = args.filter((arg) => arg.includes('/') || arg.endsWith('.ts'));
  return testFiles.length === 0 || testFiles.some((file) => /s3|ceph/i.test(file));
}

function gatewayWasRunning(): boolean {
  return fs.existsSync(path.join(cephDir, 's3.env'));
}

export default function setup(): () => Promise<void> {
  const wasRunning = gatewayWasRunning();
  if (runMayNeedCeph()) {
    fs.mkdirSync(path.dirname(cephDir), { recursive: true });
    const log = fs.openSync(`${cephDir}.start.log`, 'w');
    const child = spawn('flock', ['--close', `${cephDir}.lock`, 'bash', path.join(repoRoot, 'scripts', 'ceph', 'start-rgw.sh')], {
      stdio: ['ignore', log, log],
    });
    child.on('error', () => undefined);
    child.unref();
    fs.closeSync(log);
  }
  // A gateway this run started is stopped at its end (its memstore holds the bytes in memory);
  // one that was already running, or PACKTRAIL_KEEP_CEPH=1, is left for the next run.
  return async () => {
    if (wasRunning || process.env.PACKTRAIL_KEEP_CEPH === '1') return;
    await new Promise<void>((resolve) => {
      const stop = spawn('flock', ['--close', `${cephDir}.lock`, 'bash', path.join(repoRoot, 'scripts', 'ceph', 'stop-rgw.sh')], { stdio: 'ignore' });
      stop.on('exit', () => resolve());
      stop.on('error', () => resolve());
    });
  };
}
