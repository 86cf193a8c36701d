// With originals on S3 (Ceph RGW), what crashes and cut connections leave under staging/ (objects and
// unfinished multipart uploads) is swept by a scheduled job once stale, not only at the next start, and a
// sweep never takes an upload this process is still receiving, however long it has been running.
import { randomBytes, randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import {
  CreateMultipartUploadCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3OriginalsStore } from '../../storage/blobs/s3.store';
import { cephClient, createTestBucket, startCephRgw, type CephS3 } from '../helpers/ceph-rgw';
import { startServer, tempDir, type TestServer } from '../helpers/server';

const HOUR_MS = 3_600_000;
const MIB = 1024 * 1024;

describe('sweeping S3 staging while the service runs', () => {
  let ceph: CephS3;
  let client: S3Client;
  let bucket: string;
  let server: TestServer;
  let ahead = 0;

  beforeAll(async () => {
    ceph = await startCephRgw();
    client = cephClient(ceph);
    bucket = await createTestBucket(ceph, { objectLock: true });
    server = await startServer({ ...ceph.env, BLOB_STORE: 's3', S3_BUCKET: bucket, S3_OBJECT_LOCK_DAYS: '1' }, { clock: () => new Date(Date.now() + ahead) });
  }, 600_000);
  afterAll(async () => {
    await server?.close();
    client?.destroy();
  });

  const unfinished = async () => (await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: 'staging/' }))).Uploads ?? [];
  const stagedObjects = async () => (await client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'staging/' }))).Versions ?? [];

  it('sweeps stale staging objects and unfinished multipart uploads in a scheduled job, leaving fresh ones', async () => {
    // What a crash leaves: a multipart upload with a part sent and never completed, and a staged object never committed.
    const Key = `staging/${randomUUID()}`;
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key }));
    await client.send(new UploadPartCommand({ Bucket: bucket, Key, UploadId, PartNumber: 1, Body: randomBytes(5 * MIB), ContentLength: 5 * MIB }));
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: `staging/${randomUUID()}`, Body: randomBytes(1000) }));

    expect(await server.app.runJob('sweep-s3-staging')).toEqual({ sweptFiles: 0 });
    expect(await unfinished()).toHaveLength(1);
    expect(await stagedObjects()).toHaveLength(1);

    ahead = 2 * HOUR_MS;
    expect(await server.app.runJob('sweep-s3-staging')).toEqual({ sweptFiles: 2 });
    expect(await unfinished()).toEqual([]);
    expect(await stagedObjects()).toEqual([]);
    ahead = 0;
  });

  it('never sweeps an upload this process is still receiving', async () => {
    const store = createS3OriginalsStore({
      ...ceph, bucket, objectLockDays: 1, tempDir: tempDir(), localRoom: { freeBytes: async () => 1e12, roomLeft: async () => 1e12 }, partSize: 5 * MIB, staleAfterMs: 0,
    });
    const source = new PassThrough();
    const staging = store.stage(source, async () => Number.MAX_SAFE_INTEGER);
    // Past one part, so its multipart upload is under way in the bucket.
    source.write(randomBytes(6 * MIB));
    await expect.poll(async () => (await unfinished()).length, { timeout: 20_000 }).toBe(1);
    expect(await store.sweepStaging()).toBe(0);
    source.end(randomBytes(1000));
    const staged = await staging;
    expect(await store.sweepStaging()).toBe(0);
    expect(await store.commit(staged)).toBe(true);
    expect(await store.has(staged.sha256)).toBe(true);
  });
});
