// kill -9 with originals on S3 (Ceph RGW): an upload cut mid-way, with its multipart upload to the
// bucket under way, never becomes an original or a row; after a restart every row's original is in the
// bucket, locked and hashing true, every original in the bucket has its row, and what the kill left
// in staging/ is swept once it is stale.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { GetObjectCommand, GetObjectRetentionCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3OriginalsStore } from '../../storage/blobs/s3.store';
import { cephClient, createTestBucket, startCephRgw, type CephS3 } from '../helpers/ceph-rgw';
import { apiJson, fetchOriginal, paced, pdfChunks, setUpCapture, startChildServer, startUpload, type ChildServer } from '../helpers/child-server';
import { tempDir } from '../helpers/server';
import { waitFor, within } from '../helpers/wait';

const MIB = 1024 * 1024;

interface MediaItem { id: string; sha256: string; bytes: number }

describe('a service with originals on S3 killed mid-upload', () => {
  let ceph: CephS3;
  let client: S3Client;
  let bucket: string;
  const servers: ChildServer[] = [];
  const dataDir = tempDir('packtrail-s3-crash-');

  beforeAll(async () => {
    ceph = await startCephRgw();
    client = cephClient(ceph);
    bucket = await createTestBucket(ceph, { objectLock: true });
  }, 600_000);
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.kill()));
    client?.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async () => {
    const server = await startChildServer({
      dataDir,
      env: { ...ceph.env, BLOB_STORE: 's3', S3_BUCKET: bucket, S3_OBJECT_LOCK_DAYS: '1', MAX_DOCUMENT_BYTES: '1GiB' },
    });
    servers.push(server);
    return server;
  };
  const unfinishedMultipartUploads = async () => (await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: 'staging/' }))).Uploads ?? [];
  async function originalsInBucket(): Promise<Map<string, number>> {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'originals/' }));
    return new Map((page.Contents ?? []).map((object) => [object.Key!.slice('originals/'.length), object.Size!]));
  }
  async function hashInBucket(sha256: string): Promise<string> {
    const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: `originals/${sha256}` }));
    const hash = createHash('sha256');
    for await (const chunk of answer.Body as AsyncIterable<Buffer>) hash.update(chunk);
    return hash.digest('hex');
  }

  it('leaves no original without its row and no row without its original', async () => {
    const first = await start();
    const { token, captureId } = await setUpCapture(first.url);
    const upload = (size: number, chunks: Iterable<Buffer> | AsyncIterable<Buffer>) => startUpload({ url: first.url, token, captureId, chunks, size });

    const finished = await within('the uploads before the kill', Promise.all([64 * 1024, 1 * MIB, 5 * MIB, 20 * MIB].map((size) => upload(size, pdfChunks(size)).result)), 120_000);
    for (const result of finished) expect(result.status).toBe(201);
    const acknowledged = finished.map((result) => (result.body as { media: MediaItem[] }).media[0]);

    // Held part-way: one past its first 8 MiB part (a multipart upload to the bucket is under way), one within it.
    const unfinishedBefore = (await unfinishedMultipartUploads()).length;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held = [
      upload(48 * MIB, paced(pdfChunks(48 * MIB), { holdAfterBytes: 24 * MIB, gate })),
      upload(8 * MIB, paced(pdfChunks(8 * MIB), { holdAfterBytes: 2 * MIB, gate })),
    ];
    await waitFor('a held upload mid-body with its multipart upload in the bucket', () => held.every((each) => each.phase === 'sending' && each.sentBytes > 0), 60_000);
    await within('a part in the bucket', (async () => {
      while ((await unfinishedMultipartUploads()).length <= unfinishedBefore) await new Promise((resolve) => setTimeout(resolve, 100));
    })(), 60_000);
    expect((await first.kill()).signal).toBe('SIGKILL');
    release();
    for (const result of await within('the held uploads to break', Promise.all(held.map((each) => each.result)), 15_000)) expect(result.status).toBe(0);

    const second = await start();
    const capture = await apiJson<{ media: MediaItem[] }>(second.url, 'GET', `/api/v1/captures/${captureId}`, { token });
    expect(capture.media.map((media) => media.sha256).sort()).toEqual(acknowledged.map((media) => media.sha256).sort());
    for (const media of capture.media) {
      expect(await fetchOriginal(second.url, token, media.id)).toMatchObject({ status: 200, sha256: media.sha256, bytes: media.bytes });
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: `originals/${media.sha256}` }));
      const { Retention } = await client.send(new GetObjectRetentionCommand({ Bucket: bucket, Key: `originals/${media.sha256}`, VersionId: head.VersionId }));
      expect(Retention?.Mode).toBe('COMPLIANCE');
    }

    // The bucket's originals are exactly the rows' originals, each whole.
    const inBucket = await originalsInBucket();
    expect([...inBucket.keys()].sort()).toEqual(capture.media.map((media) => media.sha256).sort());
    for (const [sha256] of inBucket) expect(await hashInBucket(sha256)).toBe(sha256);

    // What the kill left is staging only, swept by the start an hour later (here: a sweep that takes it for stale now).
    expect((await unfinishedMultipartUploads()).length).toBeGreaterThan(unfinishedBefore);
    const sweeper = createS3OriginalsStore({ ...ceph, bucket, objectLockDays: 0, tempDir: tempDir(), localRoom: { freeBytes: async () => 1e12, roomLeft: async () => 1e12 }, staleAfterMs: 0 });
    expect(await sweeper.sweepStaging()).toBeGreaterThanOrEqual(1);
    expect(await unfinishedMultipartUploads()).toEqual([]);
    expect((await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'staging/' }))).Contents ?? []).toEqual([]);
    expect(await second.stop()).toEqual({ code: 0, signal: null });
    // Two servers, about 80 MiB through the gateway, and a kill: on two busy cores this takes a while.
  }, 300_000);
});
