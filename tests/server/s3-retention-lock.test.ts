// S3_OBJECT_LOCK_DAYS against RETENTION_DAYS with originals on S3 (Ceph RGW): a start warns once, in plain
// words, when the lock outlasts retention or when an Object Lock bucket gets S3_OBJECT_LOCK_DAYS=0; the
// retention run counts locked originals instead of failing on them, and no removal date shown comes before
// the lock ends.
import fs from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cephClient, createTestBucket, startCephRgw, type CephS3 } from '../helpers/ceph-rgw';
import { startChildServer } from '../helpers/child-server';
import { setUpShop, startServer, tempDir, uploadFiles } from '../helpers/server';

const DAY_MS = 86_400_000;

describe('the Object Lock period against RETENTION_DAYS', () => {
  let ceph: CephS3;

  beforeAll(async () => {
    ceph = await startCephRgw();
  }, 600_000);

  async function startLog(env: Record<string, string>): Promise<string> {
    const dataDir = tempDir('packtrail-s3-lockdays-');
    const server = await startChildServer({ dataDir, env: { ...ceph.env, BLOB_STORE: 's3', ...env } });
    try {
      // Start-up warnings come before "Server listening".
      return server.output();
    } finally {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }

  it('warns once at start when the lock outlasts RETENTION_DAYS, and when an Object Lock bucket gets S3_OBJECT_LOCK_DAYS=0', async () => {
    const bucket = await createTestBucket(ceph, { objectLock: true });
    const outlasts = await startLog({ S3_BUCKET: bucket, S3_OBJECT_LOCK_DAYS: '365', RETENTION_DAYS: '30' });
    expect(outlasts.match(/S3_OBJECT_LOCK_DAYS=365 outlasts RETENTION_DAYS=30/g), outlasts).toHaveLength(1);
    const unlocked = await startLog({ S3_BUCKET: bucket, S3_OBJECT_LOCK_DAYS: '0' });
    expect(unlocked.match(/S3_OBJECT_LOCK_DAYS=0 on a bucket with Object Lock/g), unlocked).toHaveLength(1);
    const fitting = await startLog({ S3_BUCKET: bucket, S3_OBJECT_LOCK_DAYS: '10', RETENTION_DAYS: '30' });
    expect(fitting).not.toMatch(/outlasts|S3_OBJECT_LOCK_DAYS=0/);
  }, 120_000);

  it('keeps a locked original past RETENTION_DAYS without failing the run, and never lists it as removable before its lock ends', async () => {
    const bucket = await createTestBucket(ceph, { objectLock: true });
    let ahead = 0;
    const server = await startServer(
      { ...ceph.env, BLOB_STORE: 's3', S3_BUCKET: bucket, S3_OBJECT_LOCK_DAYS: '3', RETENTION_DAYS: '1', SESSION_TTL_HOURS: '720' },
      { clock: () => new Date(Date.now() + ahead) },
    );
    try {
      const shop = await setUpShop(server);
      const capture = (await (await server.request('POST', '/api/v1/captures', { token: shop.ownerToken, json: { orderId: 'LOCKDAYS-1', kind: 'packing' } })).json()) as { id: string };
      const bytes = await sharp({ create: { width: 20, height: 12, channels: 3, background: { r: 9, g: 99, b: 199 } } }).png().toBuffer();
      const upload = await uploadFiles(server, shop.ownerToken, capture.id, [{ name: 'a.png', bytes: new Uint8Array(bytes) }]);
      expect(upload.status).toBe(201);
      const item = ((await upload.json()) as { media: { id: string; receivedAt: string }[] }).media[0];

      const upcoming = (await (await server.request('GET', '/api/v1/retention/upcoming', { token: shop.ownerToken })).json()) as { items: { mediaId: string; removableAt: string }[] };
      const listed = upcoming.items.find((entry) => entry.mediaId === item.id);
      expect(listed).toBeDefined();
      expect(Date.parse(listed!.removableAt)).toBeGreaterThanOrEqual(Date.parse(item.receivedAt) + 3 * DAY_MS);

      // Two days on by the service's clock: past RETENTION_DAYS, still inside the (real) three-day lock.
      ahead = 2 * DAY_MS;
      const report = (await server.app.runJob('retention')) as { removed: number; originalsLocked: number; firstLockEnds?: string };
      expect(report).toMatchObject({ removed: 0, originalsLocked: 1 });
      expect(Date.parse(report.firstLockEnds!)).toBeGreaterThan(Date.now() + 2 * DAY_MS);
      expect((await server.request('GET', `/api/v1/media/${item.id}/original`, { token: shop.ownerToken })).status).toBe(200);
    } finally {
      await server.close();
    }
  }, 120_000);

  afterAll(() => cephClient(ceph).destroy());
});
