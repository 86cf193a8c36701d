// Resumable uploads through a real tus client, a flaky connection, and hostile requests.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import * as tus from 'tus-js-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, listFiles, setUpShop, startServer, type TestServer } from '../helpers/server';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function tusUpload(endpoint: string, token: string, bytes: Buffer, metadata: Record<string, string>, options: Partial<tus.UploadOptions> = {}) {
  return new Promise<{ mediaId: string | null; url: string | null }>((resolve, reject) => {
    const upload = new tus.Upload(bytes, {
      endpoint,
      headers: { authorization: `Bearer ${token}` },
      metadata,
      chunkSize: 8 * 1024 * 1024,
      retryDelays: [0, 200, 500, 1000],
      onError: reject,
      onSuccess: (payload) => resolve({ mediaId: payload.lastResponse.getHeader('Packtrail-Media-Id') ?? null, url: upload.url }),
      ...options,
    });
    upload.start();
  });
}

/** A TCP relay that cuts the connection once after each of the given byte counts have passed upstream. */
function flakyRelay(targetPort: number, cutAfter: number[]) {
  let passed = 0;
  const pending = [...cutAfter];
  let cuts = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk) => {
      passed += chunk.length;
      if (pending.length > 0 && passed >= pending[0]) {
        pending.shift();
        cuts += 1;
        drop();
        return;
      }
      if (!upstream.write(chunk)) client.pause();
    });
    upstream.on('drain', () => client.resume());
    upstream.on('data', (chunk) => client.write(chunk));
    client.on('close', drop).on('error', drop);
    upstream.on('close', drop).on('error', drop);
  });
  return new Promise<{ port: number; cuts: () => number; close: () => void }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        cuts: () => cuts,
        close: () => {
          sockets.forEach((socket) => socket.destroy());
          server.close();
        },
      }),
    ),
  );
}

/** A finished upload's leftovers go right after its answer is sent, so a moment later the folder is empty. */
async function uploadsEmptied(dataDir: string): Promise<void> {
  for (let tries = 0; tries < 40 && listFiles(path.join(dataDir, 'uploads')).length > 0; tries++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(listFiles(path.join(dataDir, 'uploads'))).toEqual([]);
}

describe('resumable uploads (tus 1.0.0)', () => {
  let server: TestServer;
  let token: string;
  let otherToken: string;
  const endpoint = () => `${server.url}/api/v1/uploads`;
  const newCapture = async () =>
    (await (await server.request('POST', '/api/v1/captures', { token, json: { orderId: `TUS-${randomBytes(4).toString('hex')}`, kind: 'packing' } })).json()).id as string;

  beforeAll(async () => {
    server = await startServer({ MAX_VIDEO_BYTES: '300MiB', MAX_DOCUMENT_BYTES: '300MiB' });
    const shop = await setUpShop(server);
    token = (await shop.deviceToken('phone A')).token;
    otherToken = (await shop.deviceToken('phone B')).token;
  });
  afterAll(() => server.close());

  it('turns a finished tus upload into media of the capture, answering with Packtrail-Media-Id', async () => {
    const captureId = await newCapture();
    const bytes = fs.readFileSync(fixture('clip.webm'));
    const { mediaId } = await tusUpload(endpoint(), token, bytes, { captureId, filename: 'rec.webm', filetype: 'video/webm' });
    expect(mediaId).toMatch(/^[0-9a-f-]{36}$/);
    const media = await (await server.request('GET', `/api/v1/media/${mediaId}`, { token })).json();
    expect(media).toMatchObject({ captureId, type: 'video', mime: 'video/webm', sha256: sha256(bytes), bytes: bytes.length, originalName: 'rec.webm' });
    await uploadsEmptied(server.dataDir);
  });

  it('resumes a 200 MB upload across two broken connections to a media item with the right hash', async () => {
    const captureId = await newCapture();
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(200 * 1024 * 1024), Buffer.from('\n%%EOF\n')]);
    const relay = await flakyRelay(Number(new URL(server.url).port), [60 * 1024 * 1024, 140 * 1024 * 1024]);
    try {
      const { mediaId } = await tusUpload(`http://127.0.0.1:${relay.port}/api/v1/uploads`, token, bytes, { captureId, filename: 'big.pdf' }, { chunkSize: 32 * 1024 * 1024 });
      expect(relay.cuts()).toBe(2);
      const media = await (await server.request('GET', `/api/v1/media/${mediaId}`, { token })).json();
      expect(media.sha256).toBe(sha256(bytes));
      expect(media.bytes).toBe(bytes.length);
      const original = Buffer.from(await (await server.request('GET', `/api/v1/media/${mediaId}/original`, { token })).arrayBuffer());
      expect(sha256(original)).toBe(sha256(bytes));
    } finally {
      relay.close();
    }
  });

  it('takes a recording of unknown length chunk by chunk (creation-defer-length) and registers it at the end', async () => {
    const captureId = await newCapture();
    const bytes = fs.readFileSync(fixture('clip.mp4'));
    const metadata = `captureId ${Buffer.from(captureId).toString('base64')},filename ${Buffer.from('live.mp4').toString('base64')}`;
    const created = await fetch(endpoint(), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0', 'upload-defer-length': '1', 'upload-metadata': metadata },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('upload-expires')).toBeTruthy();
    const location = new URL(created.headers.get('location')!, server.url).href;
    const cut = Math.floor(bytes.length / 2);
    const patch = (offset: number, chunk: Buffer, extra: Record<string, string> = {}) =>
      fetch(location, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0', 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream', ...extra },
        body: new Uint8Array(chunk),
      });
    const first = await patch(0, bytes.subarray(0, cut));
    expect(first.status).toBe(204);
    expect(first.headers.get('packtrail-media-id')).toBeNull();
    const head = await fetch(location, { method: 'HEAD', headers: { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0' } });
    expect(head.headers.get('upload-offset')).toBe(String(cut));
    const last = await patch(cut, bytes.subarray(cut), { 'upload-length': String(bytes.length) });
    expect(last.status).toBe(204);
    const mediaId = last.headers.get('packtrail-media-id');
    const media = await (await server.request('GET', `/api/v1/media/${mediaId}`, { token })).json();
    expect(media.sha256).toBe(sha256(bytes));
  });

  it('completes an upload sent whole with its creation request (creation-with-upload)', async () => {
    const captureId = await newCapture();
    const bytes = fs.readFileSync(fixture('photo.png'));
    const created = await fetch(endpoint(), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'tus-resumable': '1.0.0',
        'upload-length': String(bytes.length),
        'upload-metadata': `captureId ${Buffer.from(captureId).toString('base64')},filename ${Buffer.from('label.png').toString('base64')}`,
        'content-type': 'application/offset+octet-stream',
      },
      body: new Uint8Array(bytes),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('upload-offset')).toBe(String(bytes.length));
    const mediaId = created.headers.get('packtrail-media-id');
    const media = await (await server.request('GET', `/api/v1/media/${mediaId}`, { token })).json();
    expect(media).toMatchObject({ sha256: sha256(bytes), originalName: 'label.png' });
    await uploadsEmptied(server.dataDir);
  });

  it('refuses a finished upload that is not an accepted type with 415, keeping nothing', async () => {
    const captureId = await newCapture();
    const before = listFiles(path.join(server.dataDir, 'originals'));
    const error = await tusUpload(endpoint(), token, fs.readFileSync(fixture('not-an-image.jpg')), { captureId, filename: 'x.jpg' }, { retryDelays: [] }).catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String(error.originalResponse?.getStatus())).toBe('415');
    expect(error.originalResponse.getBody()).toContain('UNSUPPORTED_MEDIA_TYPE');
    expect(listFiles(path.join(server.dataDir, 'originals'))).toEqual(before);
    expect(listFiles(path.join(server.dataDir, 'uploads'))).toEqual([]);
    expect(listFiles(path.join(server.dataDir, 'staging'))).toEqual([]);
    expect((await (await server.request('GET', `/api/v1/captures/${captureId}`, { token })).json()).media).toEqual([]);
  });

  it('lets only the uploader continue or cancel an upload, and refuses anonymous callers and bad metadata', async () => {
    const captureId = await newCapture();
    const metadata = `captureId ${Buffer.from(captureId).toString('base64')}`;
    const anonymous = await fetch(endpoint(), { method: 'POST', headers: { 'tus-resumable': '1.0.0', 'upload-length': '10', 'upload-metadata': metadata } });
    expect(anonymous.status).toBe(401);
    const noCapture = await fetch(endpoint(), { method: 'POST', headers: { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0', 'upload-length': '10' } });
    expect(noCapture.status).toBe(400);
    expect((await noCapture.json()).code).toBe('VALIDATION_FAILED');

    const created = await fetch(endpoint(), { method: 'POST', headers: { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0', 'upload-length': '10', 'upload-metadata': metadata } });
    const location = new URL(created.headers.get('location')!, server.url).href;
    const stranger = await fetch(location, { method: 'HEAD', headers: { authorization: `Bearer ${otherToken}`, 'tus-resumable': '1.0.0' } });
    expect(stranger.status).toBe(403);
    const strangerDelete = await fetch(location, { method: 'DELETE', headers: { authorization: `Bearer ${otherToken}`, 'tus-resumable': '1.0.0' } });
    expect(strangerDelete.status).toBe(403);

    const terminated = await fetch(location, { method: 'DELETE', headers: { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0' } });
    expect(terminated.status).toBe(204);
    const gone = await fetch(location, { method: 'HEAD', headers: { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0' } });
    expect(gone.status).toBe(404);

    const again = await fetch(endpoint(), { method: 'POST', headers: { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0', 'upload-length': '10', 'upload-metadata': metadata } });
    const wrongOffset = await fetch(new URL(again.headers.get('location')!, server.url), {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0', 'upload-offset': '5', 'content-type': 'application/offset+octet-stream' },
      body: new Uint8Array(5),
    });
    expect(wrongOffset.status).toBe(409);
    expect(await wrongOffset.json()).toMatchObject({ statusCode: 409, code: 'CONFLICT' });
    await fetch(new URL(again.headers.get('location')!, server.url), { method: 'DELETE', headers: { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0' } });
    const traversal = await fetch(`${endpoint()}/..%2F..%2Fpacktrail.sqlite`, { method: 'HEAD', headers: { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0' } });
    expect(traversal.status).toBe(404);
  });

  it('refuses to start an upload for a finished capture with 409', async () => {
    const captureId = await newCapture();
    await server.request('POST', `/api/v1/captures/${captureId}/finish`, { token });
    const response = await fetch(endpoint(), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0', 'upload-length': '10', 'upload-metadata': `captureId ${Buffer.from(captureId).toString('base64')}` },
    });
    expect(response.status).toBe(409);
  });

  it('answers every protocol refusal as a JSON error with a stable code, including those tus writes itself', async () => {
    const captureId = await newCapture();
    const metadata = `captureId ${Buffer.from(captureId).toString('base64')}`;
    const expectJsonError = async (response: Response, status: number, code: string) => {
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const body = await response.json();
      expect(body).toMatchObject({ statusCode: status, code });
      expect(body.message.length).toBeGreaterThan(0);
    };
    const auth = { authorization: `Bearer ${token}` };

    await expectJsonError(await fetch(endpoint(), { method: 'POST', headers: { ...auth, 'upload-length': '10', 'upload-metadata': metadata } }), 412, 'TUS_VERSION_REQUIRED');
    await expectJsonError(
      await fetch(endpoint(), { method: 'POST', headers: { ...auth, 'tus-resumable': '1.0.0', 'upload-length': 'ten', 'upload-metadata': metadata } }),
      400,
      'VALIDATION_FAILED',
    );
    const created = await fetch(endpoint(), { method: 'POST', headers: { ...auth, 'tus-resumable': '1.0.0', 'upload-length': '10', 'upload-metadata': metadata } });
    const location = new URL(created.headers.get('location')!, server.url);
    const patch = (headers: Record<string, string>, body: Uint8Array<ArrayBuffer>) =>
      fetch(location, { method: 'PATCH', headers: { ...auth, 'tus-resumable': '1.0.0', 'content-type': 'application/offset+octet-stream', ...headers }, body });
    await expectJsonError(await patch({ 'upload-offset': '-1' }, new Uint8Array(2)), 400, 'VALIDATION_FAILED');
    await expectJsonError(await patch({ 'upload-offset': '3' }, new Uint8Array(2)), 409, 'CONFLICT');
    await expectJsonError(await patch({ 'upload-offset': '0' }, new Uint8Array(11)), 413, 'PAYLOAD_TOO_LARGE');
    // The answers that are not refusals keep the protocol's own shape.
    const offset = await fetch(location, { method: 'HEAD', headers: { ...auth, 'tus-resumable': '1.0.0' } });
    expect(offset.status).toBe(200);
    expect(offset.headers.get('upload-offset')).toBe('0');
    await fetch(location, { method: 'DELETE', headers: { ...auth, 'tus-resumable': '1.0.0' } });
  });

  it('refuses to start or continue an upload the disk could not hold, with 507 INSUFFICIENT_STORAGE', async () => {
    const full = await startServer({ MIN_FREE_DISK_BYTES: '1000000GiB' });
    try {
      const shop = await setUpShop(full);
      const capture = await (await full.request('POST', '/api/v1/captures', { token: shop.ownerToken, json: { orderId: 'FULL-1', kind: 'packing' } })).json();
      const response = await fetch(`${full.url}/api/v1/uploads`, {
        method: 'POST',
        headers: { authorization: `Bearer ${shop.ownerToken}`, 'tus-resumable': '1.0.0', 'upload-length': '1000', 'upload-metadata': `captureId ${Buffer.from(capture.id).toString('base64')}` },
      });
      expect(response.status).toBe(507);
      expect((await response.json()).code).toBe('INSUFFICIENT_STORAGE');
      expect(listFiles(path.join(full.dataDir, 'uploads'))).toEqual([]);
    } finally {
      await full.close();
    }
  });

  it('removes abandoned partial uploads once they expire', async () => {
    const captureId = await newCapture();
    const created = await fetch(endpoint(), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0', 'upload-length': '1000', 'upload-metadata': `captureId ${Buffer.from(captureId).toString('base64')}` },
    });
    const id = created.headers.get('location')!.split('/').pop()!;
    const recordFile = path.join(server.dataDir, 'uploads', `${id}.json`);
    const record = JSON.parse(fs.readFileSync(recordFile, 'utf8'));
    record.creation_date = new Date(Date.now() - 100 * 3_600_000).toISOString();
    fs.writeFileSync(recordFile, JSON.stringify(record));
    expect(await server.app.runJob('remove-abandoned-uploads')).toBe(1);
    expect(listFiles(path.join(server.dataDir, 'uploads'))).toEqual([]);
  });
});
