// A tus upload cut off mid-way and resumed after the service restarted: the hash kept in memory is gone
// with the old process, so the new one hashes what is on disk before it goes on, and the media item
// carries the SHA-256 and CRC-32 of every byte. Real server, real SQLite, real files.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { pdfDocument } from '../helpers/pdf-file';
import { setUpShop, startServer, tempDir, type TestServer } from '../helpers/server';
import { tusCreate, tusHead, tusPatch, tusPatchCutOff } from '../helpers/tus-client';

const MIB = 1024 * 1024;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('a tus upload resumed after a restart', () => {
  const servers: TestServer[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('hashes the part from before the restart again and registers the right SHA-256', async () => {
    const dataDir = tempDir('packtrail-resume-restart-');
    dirs.push(dataDir);
    const env = { MAX_DOCUMENT_BYTES: '64MiB' };
    const first = await startServer(env, { dataDir });
    servers.push(first);
    const shop = await setUpShop(first);
    const { token } = await shop.deviceToken('phone');
    const capture = await (await first.request('POST', '/api/v1/captures', { token, json: { orderId: `RESUME-${randomBytes(3).toString('hex')}`, kind: 'packing' } })).json();
    const content = pdfDocument(12 * MIB + 321);

    const created = await tusCreate(first.url, token, { captureId: capture.id, length: content.length, filename: 'resumed.pdf' });
    expect(created.status, created.body).toBe(201);
    const uploadPath = new URL(created.location!).pathname;
    expect((await tusPatch(created.location!, token, 0, content.subarray(0, 3 * MIB)).done).status).toBe(204);
    await tusPatchCutOff(created.location!, token, 3 * MIB, content.subarray(3 * MIB), 4 * MIB + 17);
    // What arrived of the cut-off body is taken in before the service stops.
    let cutAt = 0;
    for (let tries = 0; tries < 50; tries++) {
      const offset = (await tusHead(created.location!, token)).offset ?? 0;
      if (offset === cutAt && offset > 3 * MIB) break;
      cutAt = offset;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(cutAt).toBeGreaterThan(3 * MIB);
    expect(cutAt).toBeLessThan(content.length);
    servers.splice(servers.indexOf(first), 1);
    await first.close();

    const second = await startServer(env, { dataDir });
    servers.push(second);
    const location = second.url + uploadPath;
    const head = await tusHead(location, token);
    expect(head).toMatchObject({ status: 200, offset: cutAt, length: content.length });
    const last = await tusPatch(location, token, cutAt, content.subarray(cutAt)).done;
    expect(last.status, last.body).toBe(204);
    expect(last.mediaId).toMatch(/^[0-9a-f-]{36}$/);

    const media = await (await second.request('GET', `/api/v1/media/${last.mediaId}`, { token })).json();
    expect(media).toMatchObject({ sha256: sha256(content), bytes: content.length });
    const original = Buffer.from(await (await second.request('GET', `/api/v1/media/${last.mediaId}/original`, { token })).arrayBuffer());
    expect(sha256(original)).toBe(sha256(content));
  });
});
