// The whole service with BLOB_STORE=s3 against Ceph RGW: multipart and tus uploads land as
// originals/<sha256> with COMPLIANCE retention, the bucket refuses to delete them, and what reads
// originals (downloads with ranges, thumbnails, playback copies, bundles, the scrub) reads them there.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CopyObjectCommand, DeleteObjectCommand, GetObjectRetentionCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cephClient, createTestBucket, startCephRgw } from '../helpers/ceph-rgw';
import { fixture, listFiles, startServer, tempDir, type TestServer } from '../helpers/server';
import { makeSharedCase, type SharedCase } from '../helpers/share-case';
import { tusCreate, tusPatch } from '../helpers/tus-client';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('the service with originals on S3 (Ceph RGW)', () => {
  let server: TestServer;
  let client: S3Client;
  let bucket: string;
  let shared: SharedCase;

  beforeAll(async () => {
    const ceph = await startCephRgw();
    client = cephClient(ceph);
    bucket = await createTestBucket(ceph, { objectLock: true });
    server = await startServer({ ...ceph.env, BLOB_STORE: 's3', S3_BUCKET: bucket, S3_OBJECT_LOCK_DAYS: '1' });
    shared = await makeSharedCase(server);
  }, 600_000);
  afterAll(async () => {
    await server?.close();
    client?.destroy();
  });

  const media = async (id: string) => (await (await server.request('GET', `/api/v1/media/${id}`, { token: shared.seller })).json()) as { id: string; sha256: string; bytes: number; kind: string };

  async function expectLockedOriginal(sha: string, bytes: number): Promise<void> {
    const key = `originals/${sha}`;
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(head.ContentLength).toBe(bytes);
    const { Retention } = await client.send(new GetObjectRetentionCommand({ Bucket: bucket, Key: key, VersionId: head.VersionId }));
    expect(Retention?.Mode).toBe('COMPLIANCE');
    expect(Retention!.RetainUntilDate!.getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    const refused = await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: head.VersionId })).catch((error: unknown) => error);
    expect((refused as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(403);
  }

  it('keeps multipart uploads as originals/<sha256> under COMPLIANCE retention, and none on local disk', async () => {
    expect(shared.mediaIds).toHaveLength(3);
    for (const id of shared.mediaIds) {
      const item = await media(id);
      await expectLockedOriginal(item.sha256, item.bytes);
    }
    expect(listFiles(path.join(server.dataDir, 'originals'))).toEqual([]);
    const staging = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'staging/' }));
    expect(staging.Contents ?? []).toEqual([]);
  });

  it('keeps a tus upload as originals/<sha256> under COMPLIANCE retention, and serves it back byte-exact', async () => {
    const packer = (await shared.shop.deviceToken('Tus phone')).token;
    const capture = (await (await server.request('POST', '/api/v1/captures', { token: packer, json: { orderId: 'NAP-2026-0777', kind: 'packing', station: 'Station 3' } })).json()) as { id: string };
    const video = fs.readFileSync(fixture('clip.mp4'));
    const half = Math.floor(video.length / 2);
    const created = await tusCreate(server.url, packer, { captureId: capture.id, length: video.length, filename: 'packing.mp4' });
    expect(created.status).toBe(201);
    const first = await tusPatch(created.location!, packer, 0, video.subarray(0, half)).done;
    expect(first.status).toBe(204);
    const last = await tusPatch(created.location!, packer, half, video.subarray(half)).done;
    expect(last.status, JSON.stringify(last.body ?? last)).toBe(204);
    expect(last.mediaId).toBeDefined();
    const item = await media(last.mediaId!);
    expect(item.sha256).toBe(sha256(video));
    await expectLockedOriginal(item.sha256, video.length);
    const original = await server.request('GET', `/api/v1/media/${item.id}/original`, { token: shared.seller });
    expect(original.status).toBe(200);
    expect(sha256(new Uint8Array(await original.arrayBuffer()))).toBe(item.sha256);
    expect(listFiles(path.join(server.dataDir, 'originals'))).toEqual([]);
  });

  it('checks recordings and PDFs where they lie in the bucket: cut ones answer 422 without a copy downloaded to check them, whole ones pass', async () => {
    const packer = (await shared.shop.deviceToken('Check phone')).token;
    const capture = (await (await server.request('POST', '/api/v1/captures', { token: packer, json: { orderId: 'NAP-2026-0778', kind: 'packing', station: 'Station 3' } })).json()) as { id: string };
    const upload = (name: string, bytes: Buffer) => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(bytes)]), name);
      return server.request('POST', `/api/v1/captures/${capture.id}/media`, { token: packer, body: form });
    };
    const mp4 = fs.readFileSync(fixture('clip.mp4'));
    const pdf = fs.readFileSync(fixture('document.pdf'));
    // The store's folder for short-lived local copies: a download to check a file would pass through it.
    // Refused files are the ones to watch it with, once the earlier uploads' thumbnails and playback
    // copies (made from downloads) are done, as nothing is processed in the background after them.
    const db = new Database(path.join(server.dataDir, 'packtrail.sqlite'), { readonly: true });
    const pending = db.prepare("SELECT count(*) AS n FROM media WHERE processing_status = 'pending' OR playback_status = 'pending'");
    try {
      await vi.waitFor(() => expect((pending.get() as { n: number }).n).toBe(0), { timeout: 60_000, interval: 200 });
    } finally {
      db.close();
    }
    const seen = new Set<string>();
    const watcher = fs.watch(path.join(server.dataDir, 'tmp', 's3'), (_event, name) => name && seen.add(String(name)));
    try {
      for (const [name, bytes] of [['cut.mp4', mp4.subarray(0, 16)], ['cut.pdf', pdf.subarray(0, Math.floor(pdf.length * 0.7))]] as const) {
        const refused = await upload(name, bytes);
        expect(refused.status, name).toBe(422);
        expect((await refused.json()).code).toBe('UNPROCESSABLE_MEDIA');
      }
    } finally {
      watcher.close();
    }
    expect([...seen]).toEqual([]);
    expect((await upload('whole.mp4', mp4)).status).toBe(201);
    expect((await upload('whole.pdf', pdf)).status).toBe(201);
    const staging = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'staging/' }));
    expect(staging.Contents ?? []).toEqual([]);
  });

  it('serves originals whole and by range, thumbnails, and the playback copy made from the bucket', async () => {
    const [photoId, webmId] = shared.mediaIds;
    const photo = await media(photoId);
    const range = await server.request('GET', `/api/v1/media/${photoId}/original`, { token: shared.seller, headers: { range: 'bytes=100-1099' } });
    expect(range.status).toBe(206);
    const whole = new Uint8Array(await (await server.request('GET', `/api/v1/media/${photoId}/original`, { token: shared.seller })).arrayBuffer());
    expect(sha256(whole)).toBe(photo.sha256);
    expect(Buffer.from(await range.arrayBuffer()).equals(Buffer.from(whole.subarray(100, 1100)))).toBe(true);

    await vi.waitFor(async () => {
      const thumbnail = await server.request('GET', `/api/v1/media/${photoId}/thumbnail`, { token: shared.seller });
      if (thumbnail.status !== 200) throw new Error(`thumbnail ${thumbnail.status}`);
      expect(thumbnail.headers.get('content-type')).toMatch(/^image\//);
    }, { timeout: 30_000, interval: 200 });

    const playback = await server.request('GET', `/api/v1/media/${webmId}/playback`, { token: shared.seller, headers: { range: 'bytes=0-1023' } });
    expect(playback.status).toBe(206);
    expect(playback.headers.get('content-type')).toBe('video/mp4');
    expect((await playback.arrayBuffer()).byteLength).toBe(1024);
  });

  it('exports a bundle whose originals are bit-exact and whose verifier passes', async () => {
    const response = await server.request('GET', `/api/v1/disputes/${shared.disputeId}/bundle.zip?lang=en`, { token: shared.seller });
    expect(response.status).toBe(200);
    const dir = tempDir('packtrail-s3-bundle-');
    const zip = path.join(dir, 'bundle.zip');
    fs.writeFileSync(zip, Buffer.from(await response.arrayBuffer()));
    expect(spawnSync('unzip', ['-t', zip]).status).toBe(0);
    execFileSync('unzip', ['-q', zip, '-d', path.join(dir, 'out')]);
    const verify = spawnSync(process.execPath, ['verification/verify.mjs'], { cwd: path.join(dir, 'out'), encoding: 'utf8' });
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/verified/i);
    const exported = fs.readdirSync(path.join(dir, 'out', 'media')).map((name) => sha256(fs.readFileSync(path.join(dir, 'out', 'media', name))));
    for (const id of shared.mediaIds) expect(exported).toContain((await media(id)).sha256);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('re-hashes originals from the bucket in the integrity scrub, finding every one true and none unaccounted for', async () => {
    const report = (await server.app.runJob('integrity-scrub')) as { checked: number; ok: number; problems: unknown[]; orphans: unknown[] };
    expect(report.checked).toBeGreaterThanOrEqual(4);
    expect(report.ok).toBe(report.checked);
    expect(report.problems).toEqual([]);
    expect(report.orphans).toEqual([]);
  });
  it('keeps serving, exporting and scrubbing the locked bytes after an admin with the keys puts, copies and delete-marks originals/<sha256>', async () => {
    const targets = await Promise.all(shared.mediaIds.map(media));
    const truth = new Map<string, string>();
    for (const item of targets) {
      const response = await server.request('GET', `/api/v1/media/${item.id}/original`, { token: shared.seller });
      truth.set(item.id, sha256(new Uint8Array(await response.arrayBuffer())));
    }
    const [first, second, third] = targets;
    const key = (sha: string) => `originals/${sha}`;
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key(first.sha256), Body: Buffer.from('ATTACKER REPLACED THIS EVIDENCE') }));
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'staging/forged', Body: Buffer.from('forged by copy') }));
    await client.send(new CopyObjectCommand({ Bucket: bucket, Key: key(second.sha256), CopySource: `${bucket}/staging/forged` }));
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'staging/forged' }));
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key(third.sha256) }));

    for (const item of targets) {
      const response = await server.request('GET', `/api/v1/media/${item.id}/original`, { token: shared.seller });
      expect(response.status).toBe(200);
      expect(sha256(new Uint8Array(await response.arrayBuffer()))).toBe(item.sha256);
      expect(truth.get(item.id)).toBe(item.sha256);
      const range = await server.request('GET', `/api/v1/media/${item.id}/original`, { token: shared.seller, headers: { range: 'bytes=0-9' } });
      expect(range.status).toBe(206);
      expect((await range.arrayBuffer()).byteLength).toBe(10);
    }

    const bundle = await server.request('GET', `/api/v1/disputes/${shared.disputeId}/bundle.zip?lang=en`, { token: shared.seller });
    expect(bundle.status).toBe(200);
    const dir = tempDir('packtrail-s3-attacked-');
    const zip = path.join(dir, 'bundle.zip');
    fs.writeFileSync(zip, Buffer.from(await bundle.arrayBuffer()));
    execFileSync('unzip', ['-q', zip, '-d', path.join(dir, 'out')]);
    const verify = spawnSync(process.execPath, ['verification/verify.mjs'], { cwd: path.join(dir, 'out'), encoding: 'utf8' });
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });

    const report = (await server.app.runJob('integrity-scrub')) as { checked: number; ok: number; problems: unknown[]; locks?: { sha256: string; state: string; otherVersions: number }[] };
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(report.checked);
  });

  it('has the scrub check each original\'s COMPLIANCE lock and report the versions someone else put on its key', async () => {
    // Every original is due again: the scrub walks the least recently checked first.
    const report = (await server.app.runJob('integrity-scrub')) as { checked: number; problems: unknown[]; locks?: { sha256: string; state: string; otherVersions: number; message: string }[] };
    expect(report.problems).toEqual([]);
    const attacked = (await Promise.all(shared.mediaIds.map(media))).map((item) => item.sha256);
    for (const sha of attacked) {
      const finding = report.locks?.find((lock) => lock.sha256 === sha);
      expect(finding, JSON.stringify(report.locks)).toBeDefined();
      expect(finding!.state).toBe('locked');
      expect(finding!.otherVersions).toBeGreaterThanOrEqual(1);
      expect(finding!.message).toMatch(/someone else/);
    }
  });
});
