// Write-once originals on a bucket with Object Lock (Ceph RGW): each committed original's version has
// COMPLIANCE retention of S3_OBJECT_LOCK_DAYS, and neither the store nor anyone with the bucket's keys
// can delete it, shorten its retention, or change what the service reads.
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectRetentionCommand,
  HeadObjectCommand,
  PutObjectCommand,
  PutObjectRetentionCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OriginalLockedError } from '../../storage/blobs/blob-store';
import { createS3OriginalsStore, type S3OriginalsStore } from '../../storage/blobs/s3.store';
import { cephClient, createTestBucket, startCephRgw, type CephS3 } from '../helpers/ceph-rgw';
import { tempDir } from '../helpers/server';

const DAY_MS = 86_400_000;
const noLimit = async () => Number.MAX_SAFE_INTEGER;
const localRoom = { freeBytes: async () => 1e12, roomLeft: async () => 1e12 };

describe('S3 Object Lock on Ceph RGW', () => {
  let settings: CephS3;
  let client: S3Client;
  let bucket: string;
  let store: S3OriginalsStore;
  const openStore = () => createS3OriginalsStore({ ...settings, bucket, objectLockDays: 1, objectLockRequired: true, tempDir: tempDir(), localRoom, partSize: 5 * 1024 * 1024 });

  beforeAll(async () => {
    settings = await startCephRgw();
    client = cephClient(settings);
    bucket = await createTestBucket(settings, { objectLock: true });
    store = openStore();
  }, 600_000);
  afterAll(() => client?.destroy());

  async function committed(bytes: Buffer): Promise<{ sha256: string; key: string; versionId: string }> {
    const staged = await store.stage(Readable.from([bytes.subarray(0, 6e6), bytes.subarray(6e6)]), noLimit);
    expect(await store.commit(staged)).toBe(true);
    const key = `originals/${staged.sha256}`;
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { sha256: staged.sha256, key, versionId: head.VersionId! };
  }

  it('gives a committed original (a multipart upload, whose lock headers Ceph would ignore) COMPLIANCE retention of S3_OBJECT_LOCK_DAYS', async () => {
    const started = Date.now();
    const { key, versionId } = await committed(randomBytes(11 * 1024 * 1024));
    const { Retention } = await client.send(new GetObjectRetentionCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
    expect(Retention?.Mode).toBe('COMPLIANCE');
    const until = Retention!.RetainUntilDate!.getTime();
    expect(until).toBeGreaterThanOrEqual(started + DAY_MS - 2000);
    expect(until).toBeLessThanOrEqual(Date.now() + DAY_MS + 2000);
  });

  it('refuses removal through the store with OriginalLockedError, saying until when', async () => {
    const { sha256 } = await committed(randomBytes(300_000));
    const error = await store.remove(sha256).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OriginalLockedError);
    expect((error as OriginalLockedError).sha256).toBe(sha256);
    expect((error as OriginalLockedError).until?.getTime()).toBeGreaterThan(Date.now() + DAY_MS - 60_000);
    expect(await store.has(sha256)).toBe(true);
  });

  it('refuses a delete of the locked version, with or without the governance bypass, and a shorter retention, to the bucket owner', async () => {
    const { key, versionId } = await committed(randomBytes(200_000));
    for (const BypassGovernanceRetention of [undefined, true]) {
      const error = await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId, BypassGovernanceRetention })).catch((caught: unknown) => caught);
      expect((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(403);
    }
    await expect(
      client.send(new PutObjectRetentionCommand({ Bucket: bucket, Key: key, VersionId: versionId, Retention: { Mode: 'COMPLIANCE', RetainUntilDate: new Date(Date.now() + 1000) } })),
    ).rejects.toThrow();
    await expect(
      client.send(new PutObjectRetentionCommand({ Bucket: bucket, Key: key, VersionId: versionId, Retention: { Mode: 'GOVERNANCE', RetainUntilDate: new Date(Date.now() + 1000) } })),
    ).rejects.toThrow();
    expect((await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }))).ContentLength).toBe(200_000);
  });

  it('still reads the true bytes after someone puts other bytes on the key and then hides it behind a delete marker', async () => {
    const bytes = randomBytes(150_000);
    const { sha256, key } = await committed(bytes);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from('altered evidence') }));
    const fresh = openStore();
    const read = async () => Buffer.concat(await (await fresh.open(sha256)).toArray());
    expect(createHash('sha256').update(await read()).digest('hex')).toBe(sha256);
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    const afterMarker = openStore();
    expect(await afterMarker.has(sha256)).toBe(true);
    expect(Buffer.concat(await (await afterMarker.open(sha256)).toArray()).equals(bytes)).toBe(true);
    await expect(afterMarker.remove(sha256)).rejects.toBeInstanceOf(OriginalLockedError);
  });

  it('keeps reading and locking the version it wrote when someone puts, copies or delete-marks the key right after the commit (Ceph returns no version id on copy)', async () => {
    const bytes = randomBytes(120_000);
    const { sha256, key, versionId } = await committed(bytes);
    // The same store instance: the version it pinned at commit is what counts, not a fresh listing.
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from('ATTACKER REPLACED THIS EVIDENCE') }));
    const read = async () => Buffer.concat(await (await store.open(sha256)).toArray());
    expect((await read()).equals(bytes)).toBe(true);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'staging/forged', Body: Buffer.from('forged copy') }));
    await client.send(new CopyObjectCommand({ Bucket: bucket, Key: key, CopySource: `${bucket}/staging/forged` }));
    expect((await read()).equals(bytes)).toBe(true);
    const ranged = Buffer.concat(await (await store.open(sha256, { start: 10, end: 19 })).toArray());
    expect(ranged.equals(bytes.subarray(10, 20))).toBe(true);
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    expect((await read()).equals(bytes)).toBe(true);
    expect(await store.withLocalCopy(sha256, async (file) => (await import('node:fs')).readFileSync(file).equals(bytes))).toBe(true);
    // The listing (the scrub's orphan walk) still shows the original, by the size of the version read.
    const listed: { sha256: string; bytes: number }[] = [];
    for await (const original of store.list()) listed.push(original);
    expect(listed.find((original) => original.sha256 === sha256)?.bytes).toBe(bytes.length);
    // The version the commit locked is the one holding the true bytes.
    const { Retention } = await client.send(new GetObjectRetentionCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
    expect(Retention?.Mode).toBe('COMPLIANCE');
  });

  it('locks an original a crash left unlocked (between its copy and its retention) when the same bytes come again', async () => {
    const bytes = randomBytes(100_000);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const key = `originals/${sha256}`;
    // As a crash would leave it: the copy made, no retention yet.
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'staging/crashed', Body: bytes }));
    await client.send(new CopyObjectCommand({ Bucket: bucket, Key: key, CopySource: `${bucket}/staging/crashed` }));
    const unlocked = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    await expect(client.send(new GetObjectRetentionCommand({ Bucket: bucket, Key: key, VersionId: unlocked.VersionId }))).rejects.toThrow();
    const fresh = openStore();
    expect(await fresh.commit(await fresh.stage(Readable.from([bytes]), noLimit))).toBe(false);
    const { Retention } = await client.send(new GetObjectRetentionCommand({ Bucket: bucket, Key: key, VersionId: unlocked.VersionId }));
    expect(Retention?.Mode).toBe('COMPLIANCE');
  });
  it('finds an original a crash left unlocked when checking it (the scrub), locks it for its term from when it was written, and says so', async () => {
    const bytes = randomBytes(90_000);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const key = `originals/${sha256}`;
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'staging/crashed-2', Body: bytes }));
    await client.send(new CopyObjectCommand({ Bucket: bucket, Key: key, CopySource: `${bucket}/staging/crashed-2` }));
    const unlocked = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    const fresh = openStore();
    const found = await fresh.checkLock!(sha256);
    expect(found).toMatchObject({ state: 'relocked', otherVersions: 0 });
    expect(found.until!.getTime()).toBeLessThanOrEqual(unlocked.LastModified!.getTime() + DAY_MS + 1000);
    const { Retention } = await client.send(new GetObjectRetentionCommand({ Bucket: bucket, Key: key, VersionId: unlocked.VersionId }));
    expect(Retention?.Mode).toBe('COMPLIANCE');
    expect(await fresh.checkLock!(sha256)).toMatchObject({ state: 'locked', otherVersions: 0 });
    // Someone's later write is counted, and changes nothing about the lock of the version read.
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from('later write') }));
    expect(await fresh.checkLock!(sha256)).toMatchObject({ state: 'locked', otherVersions: 1 });
  });
});
