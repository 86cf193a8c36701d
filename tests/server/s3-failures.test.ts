// With originals on S3 (Ceph RGW), a store that cannot be used: unreachable, without keys, or with a bucket rule
// that forbids COMPLIANCE retention. A start says so in one plain "Configuration error" line and exits non-zero;
// while running, requests answer a retryable 503 STORAGE_UNAVAILABLE, never a bare 500, and leave nothing registered.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ListObjectVersionsCommand, PutObjectLockConfigurationCommand, type S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cephClient, createTestBucket, startCephRgw, type CephS3 } from '../helpers/ceph-rgw';
import { setUpShop, startServer, tempDir, uploadFiles, type TestServer } from '../helpers/server';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** Runs server/main.ts until it exits (it should: the store is unusable), with what it printed. */
function startMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const dataDir = tempDir('packtrail-s3-start-');
    const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(S3_|AWS_)/.test(name)));
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: repoRoot,
      env: { ...clean, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', BLOB_STORE: 's3', AWS_EC2_METADATA_DISABLED: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`still running after 45 s:\n${stdout}\n${stderr}`));
    }, 45_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fs.rmSync(dataDir, { recursive: true, force: true });
      resolve({ code, stdout, stderr });
    });
  });
}

function expectPlainConfigurationError(result: { code: number | null; stderr: string; stdout: string }, reason: RegExp): void {
  const printed = `${result.stdout}\n${result.stderr}`;
  expect(result.code, printed).not.toBe(0);
  const lines = printed.split('\n').filter((line) => line.includes('Configuration error'));
  expect(lines, printed).toHaveLength(1);
  expect(lines[0]).toMatch(/^Configuration error: /);
  expect(lines[0]).toMatch(reason);
  expect(printed, 'no stack trace').not.toMatch(/^\s+at /m);
  // Nor the AWS SDK's multi-line Node 22 notice (the variable that silences it is not set by this test).
  expect(printed).not.toMatch(/NodeVersionSupportWarning/);
}

/** A TCP relay in front of the gateway, to take the store away from a running service and give it back. */
async function relay(target: URL): Promise<{ port: number; cut(): Promise<void>; restore(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(target.port), target.hostname);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  await listen();
  return {
    port,
    async cut() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
    },
    restore: listen,
  };
}

describe('an S3 store that cannot be used', () => {
  let ceph: CephS3;
  let client: S3Client;

  beforeAll(async () => {
    ceph = await startCephRgw();
    client = cephClient(ceph);
  }, 600_000);
  afterAll(() => client?.destroy());

  it('refuses to start, in one plain line, when the endpoint does not answer or the keys are missing', async () => {
    const bucket = await createTestBucket(ceph, { objectLock: true });
    expectPlainConfigurationError(await startMain({ ...ceph.env, S3_BUCKET: bucket, S3_ENDPOINT: 'http://127.0.0.1:1' }), /ECONNREFUSED|no answer/);
    const { S3_ACCESS_KEY_ID: _id, S3_SECRET_ACCESS_KEY: _secret, ...keyless } = ceph.env;
    expectPlainConfigurationError(await startMain({ ...keyless, S3_BUCKET: bucket }), /S3_ACCESS_KEY_ID/);
  }, 120_000);

  it('refuses to start on a bucket whose default retention rule is GOVERNANCE, saying what to change', async () => {
    const bucket = await createTestBucket(ceph, { objectLock: true });
    await client.send(new PutObjectLockConfigurationCommand({
      Bucket: bucket,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } } },
    }));
    expectPlainConfigurationError(await startMain({ ...ceph.env, S3_BUCKET: bucket, S3_OBJECT_LOCK_DAYS: '1' }), /GOVERNANCE/);
  }, 60_000);

  describe('while running', () => {
    let server: TestServer;
    let bucket: string;
    let gateway: Awaited<ReturnType<typeof relay>>;
    let owner: string;
    let captureId: string;

    beforeAll(async () => {
      bucket = await createTestBucket(ceph, { objectLock: true });
      gateway = await relay(new URL(ceph.env.S3_ENDPOINT));
      server = await startServer({ ...ceph.env, S3_ENDPOINT: `http://127.0.0.1:${gateway.port}`, BLOB_STORE: 's3', S3_BUCKET: bucket, S3_OBJECT_LOCK_DAYS: '1' });
      owner = (await setUpShop(server)).ownerToken;
      const capture = await server.request('POST', '/api/v1/captures', { token: owner, json: { orderId: 'S3-FAIL-1', kind: 'packing', station: 'Station 1' } });
      captureId = ((await capture.json()) as { id: string }).id;
    }, 120_000);
    afterAll(async () => {
      await server?.close();
      await gateway?.cut().catch(() => undefined);
    });

    /** A small photo of its own each time, so each upload is new bytes. */
    const photo = async (): Promise<Uint8Array<ArrayBuffer>> =>
      new Uint8Array(await sharp(randomBytes(16 * 16 * 3), { raw: { width: 16, height: 16, channels: 3 } }).png().toBuffer());
    const upload = (bytes: Uint8Array<ArrayBuffer>) => uploadFiles(server, owner, captureId, [{ name: 'photo.png', bytes }]);
    const mediaCount = async () => ((await (await server.request('GET', `/api/v1/captures/${captureId}`, { token: owner })).json()) as { media?: unknown[] }).media?.length ?? 0;
    const versionsOf = async (sha256: string) => {
      const listing = await client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: `originals/${sha256}` }));
      return [...(listing.Versions ?? []), ...(listing.DeleteMarkers ?? [])];
    };

    it('answers 503 STORAGE_UNAVAILABLE for uploads and downloads while the store is gone, and works again when it is back', async () => {
      const first = await upload(await photo());
      expect(first.status, await first.clone().text()).toBe(201);
      const [stored] = ((await first.json()) as { media: { id: string }[] }).media;
      await gateway.cut();
      const refused = await upload(await photo());
      expect(refused.status).toBe(503);
      expect(await refused.json()).toMatchObject({ statusCode: 503, code: 'STORAGE_UNAVAILABLE' });
      const download = await server.request('GET', `/api/v1/media/${stored.id}/original`, { token: owner });
      expect(download.status).toBe(503);
      expect((await download.json()).code).toBe('STORAGE_UNAVAILABLE');
      await gateway.restore();
      const again = await upload(await photo());
      expect(again.status, await again.clone().text()).toBe(201);
    });

    it('answers 503 STORAGE_UNAVAILABLE when a GOVERNANCE default rule appears while running, registering nothing and leaving no original behind', async () => {
      const before = await mediaCount();
      await client.send(new PutObjectLockConfigurationCommand({
        Bucket: bucket,
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } } },
      }));
      const bytes = await photo();
      const refused = await upload(bytes);
      expect(refused.status).toBe(503);
      expect(await refused.json()).toMatchObject({ statusCode: 503, code: 'STORAGE_UNAVAILABLE' });
      expect(await mediaCount()).toBe(before);
      expect(await versionsOf(createHash('sha256').update(bytes).digest('hex'))).toEqual([]);
      await client.send(new PutObjectLockConfigurationCommand({ Bucket: bucket, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } }));
      const accepted = await upload(bytes);
      expect(accepted.status, await accepted.clone().text()).toBe(201);
    });
  });
});
