// The blob contract against a real Ceph object gateway (scripts/ceph/start-rgw.sh), on a bucket with
// Object Lock (versioned, as Object Lock requires) and on a plain one, plus what only the S3 store
// promises: where its keys are, nothing left of refused uploads, and crash leftovers swept.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import {
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobTooLargeError } from '../../storage/blobs/blob-store';
import { openBlobStores } from '../../storage/blobs/open-stores';
import { createS3OriginalsStore, S3StoreSetupError, type S3OriginalsStore } from '../../storage/blobs/s3.store';
import { cephClient, createTestBucket, startCephRgw, type CephS3 } from '../helpers/ceph-rgw';
import { tempDir } from '../helpers/server';
import { describeOriginalsStoreContract } from './blob-contract';

// On a fresh machine the gateway's packages are installed first.
const CEPH_START_MS = 600_000;
const noLimit = async () => Number.MAX_SAFE_INTEGER;
const localRoom = { freeBytes: async () => 1e12, roomLeft: async () => 1e12 };

let cephStart: Promise<CephS3> | undefined;
const ceph = () => (cephStart ??= startCephRgw());

function openOn(bucket: () => Promise<string>, extra: { objectLockDays?: number; staleAfterMs?: number } = {}) {
  return async () => {
    const settings = await ceph();
    const dir = tempDir();
    const store = createS3OriginalsStore({ ...settings, bucket: await bucket(), objectLockDays: extra.objectLockDays ?? 0, tempDir: dir, localRoom, staleAfterMs: extra.staleAfterMs });
    return { store, close: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  };
}

beforeAll(async () => {
  await ceph();
}, CEPH_START_MS);

// Retention days 0 here: the contract removes what it wrote. s3-object-lock.test.ts covers locked originals.
describeOriginalsStoreContract('S3 on Ceph RGW, bucket with Object Lock', openOn(async () => createTestBucket(await ceph(), { objectLock: true })));
describeOriginalsStoreContract('S3 on Ceph RGW, plain bucket', openOn(async () => createTestBucket(await ceph(), { objectLock: false })));

describe('S3 originals store on Ceph RGW', () => {
  let settings: CephS3;
  let client: S3Client;
  let bucket: string;
  let store: S3OriginalsStore;

  beforeAll(async () => {
    settings = await ceph();
    client = cephClient(settings);
    bucket = await createTestBucket(settings, { objectLock: true });
    store = createS3OriginalsStore({ ...settings, bucket, objectLockDays: 0, tempDir: tempDir(), localRoom, partSize: 5 * 1024 * 1024, queueSize: 2 });
  }, CEPH_START_MS);
  afterAll(() => client?.destroy());

  const keysUnder = async (prefix: string) => {
    const page = await client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix }));
    return [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => v.Key);
  };

  it('streams a multi-part upload to staging/ and commits it as originals/<sha256>, leaving no staging behind', async () => {
    const bytes = randomBytes(12 * 1024 * 1024 + 5);
    const staged = await store.stage(Readable.from([bytes.subarray(0, 7e6), bytes.subarray(7e6)]), noLimit);
    expect(staged.ref).toMatch(/^staging\/[0-9a-f-]{36}$/);
    expect((await client.send(new HeadObjectCommand({ Bucket: bucket, Key: staged.ref }))).ContentLength).toBe(bytes.length);
    expect(await store.commit(staged)).toBe(true);
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: `originals/${staged.sha256}` }));
    expect(head.ContentLength).toBe(bytes.length);
    expect(await keysUnder(staged.ref)).toEqual([]);
  });

  it('leaves neither an object nor an unfinished multipart upload when the limit refuses a large upload mid-way', async () => {
    const before = (await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: 'staging/' }))).Uploads?.length ?? 0;
    const bytes = randomBytes(20 * 1024 * 1024);
    await expect(store.stage(Readable.from([bytes.subarray(0, 12e6), bytes.subarray(12e6)]), async () => 15 * 1024 * 1024)).rejects.toBeInstanceOf(BlobTooLargeError);
    const after = (await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: 'staging/' }))).Uploads?.length ?? 0;
    expect(after).toBe(before);
    expect(await keysUnder('staging/')).toEqual([]);
  });

  it('reads the version it wrote, not one put on top of it or hidden by a delete marker', async () => {
    const bytes = randomBytes(64 * 1024);
    const staged = await store.stage(Readable.from([bytes]), noLimit);
    await store.commit(staged);
    const key = `originals/${staged.sha256}`;
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from('forged bytes') }));
    // A store opened afresh (a restarted service) has nothing remembered.
    const fresh = createS3OriginalsStore({ ...settings, bucket, objectLockDays: 0, tempDir: tempDir(), localRoom });
    const read = async () => Buffer.concat(await (await fresh.open(staged.sha256)).toArray());
    expect((await read()).equals(bytes)).toBe(true);
    expect((await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).ContentLength).toBe(12);
    expect(await fresh.commit(await fresh.stage(Readable.from([bytes]), noLimit))).toBe(false);
    expect((await read()).equals(bytes)).toBe(true);
  });

  it('sweeps staged objects and unfinished multipart uploads a crash left, once they are stale', async () => {
    const sweeping = createS3OriginalsStore({ ...settings, bucket, objectLockDays: 0, tempDir: tempDir(), localRoom, staleAfterMs: 0 });
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'staging/left-by-a-crash', Body: Buffer.from('x') }));
    await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'staging/cut-by-a-crash' }));
    const kept = await store.stage(Readable.from([randomBytes(1000)]), noLimit);
    await store.commit(kept);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await sweeping.sweepStaging()).toBeGreaterThanOrEqual(2);
    expect(await keysUnder('staging/')).toEqual([]);
    expect((await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: 'staging/' }))).Uploads ?? []).toEqual([]);
    expect(await store.has(kept.sha256)).toBe(true);
  });

  it('refuses at start a bucket that is missing, wrong keys, and a bucket without Object Lock where retention was asked for', async () => {
    const check = (overrides: Record<string, unknown>) =>
      createS3OriginalsStore({ ...settings, bucket, objectLockDays: 0, tempDir: tempDir(), localRoom, ...overrides }).checkBucket();
    await expect(check({ bucket: 'packtrail-no-such-bucket' })).rejects.toBeInstanceOf(S3StoreSetupError);
    await expect(check({ secretAccessKey: 'wrong' })).rejects.toBeInstanceOf(S3StoreSetupError);
    const plain = await createTestBucket(settings, { objectLock: false });
    await expect(check({ bucket: plain, objectLockDays: 30, objectLockRequired: true })).rejects.toThrow(/has no Object Lock/);
    expect(await check({ bucket: plain, objectLockDays: 30 })).toEqual({ objectLock: false });
    expect(await check({})).toEqual({ objectLock: true });
  });

  it('is what openBlobStores gives for BLOB_STORE=s3', () => {
    const stores = openBlobStores({ dataDir: tempDir(), minFreeDiskBytes: 0, blobStore: 's3', s3: { ...settings, bucket, objectLockDays: 0, objectLockRequired: false } });
    expect(stores.originals.kind).toBe('s3');
  });
});
