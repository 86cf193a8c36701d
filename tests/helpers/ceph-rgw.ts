// The Ceph object gateway the S3 tests run against (scripts/ceph/start-rgw.sh): started once per machine
// and shared. Every caller goes through one lock, so a test file that needs the gateway while the
// global setup is still starting it waits for that start instead of racing it.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { CreateBucketCommand, PutBucketVersioningCommand, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../storage/blobs/s3.store';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
export const cephDir = process.env.PACKTRAIL_CEPH_DIR ?? '/tmp/packtrail-ceph';
const lockFile = `${cephDir}.lock`;
const startScript = path.join(repoRoot, 'scripts', 'ceph', 'start-rgw.sh');

export interface CephS3 {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
  /** The same as environment variables for a child server (BLOB_STORE and S3_BUCKET are the caller's). */
  env: Record<string, string>;
}

/** Starts the gateway (or waits for the start under way, or reuses a running one) and reads its settings. */
export async function startCephRgw(): Promise<CephS3> {
  // Installing the packages on a fresh machine and starting take well under the 10 minutes allowed here.
  const { stdout } = await run('flock', ['--close', lockFile, 'bash', startScript], { timeout: 600_000, maxBuffer: 16 << 20 }).catch((error: { stderr?: string; message: string }) => {
    throw new Error(`the Ceph gateway did not start: ${error.stderr || error.message}`);
  });
  const envFile = stdout.trim().split('\n').at(-1)!;
  const env = Object.fromEntries(
    fs.readFileSync(envFile, 'utf8').trim().split('\n').map((line) => {
      const at = line.indexOf('=');
      return [line.slice(0, at), line.slice(at + 1)];
    }),
  ) as Record<string, string>;
  return {
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION,
    accessKeyId: env.S3_ACCESS_KEY_ID,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY,
    forcePathStyle: env.S3_FORCE_PATH_STYLE === 'true',
    env,
  };
}

export const cephClient = (ceph: CephS3): S3Client => createS3Client(ceph);

/** A new bucket of its own for one test file, with Object Lock (and so versioning) or with neither. */
export async function createTestBucket(ceph: CephS3, options: { objectLock: boolean; versioned?: boolean }): Promise<string> {
  const bucket = `packtrail-${randomBytes(6).toString('hex')}`;
  const client = cephClient(ceph);
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: options.objectLock || undefined }));
    if (!options.objectLock && options.versioned) {
      await client.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    }
  } finally {
    client.destroy();
  }
  return bucket;
}
