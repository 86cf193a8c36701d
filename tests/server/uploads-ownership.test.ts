// An upload's ID is its only name and works like a password: the tus handler must act on exactly the
// upload the caller was authorized for, whatever else the URL carries, and the ID must stay out of the logs.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResumableUploads } from '../../storage/resumable-uploads';
import { setUpCapture, startChildServer, type ChildServer } from '../helpers/child-server';
import { fixture, setUpShop, startServer, tempDir, type TestServer } from '../helpers/server';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const TUS = { 'tus-resumable': '1.0.0' };
const metadataFor = (captureId: string, filename = 'photo.png') =>
  `captureId ${Buffer.from(captureId).toString('base64')},filename ${Buffer.from(filename).toString('base64')}`;

/**
 * A request exactly as written, path and query untouched (fetch and URL would normalise some of it).
 * Resolves with the status and headers, or status 0 when the server closed the connection instead.
 */
function rawRequest(base: string, method: string, target: string, headers: Record<string, string>, body?: Buffer) {
  const { hostname, port } = new URL(base);
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve) => {
    const request = http.request({ hostname, port, method, path: target, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) }, agent: false }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(parts).toString('utf8') }));
    });
    request.on('error', () => resolve({ status: 0, headers: {}, body: '' }));
    request.end(body);
  });
}

describe('resumable upload ownership', () => {
  let server: TestServer;
  let ownerToken: string;
  let phoneA: { id: string; token: string };
  let phoneB: { id: string; token: string };

  beforeAll(async () => {
    server = await startServer();
    const shop = await setUpShop(server);
    ownerToken = shop.ownerToken;
    phoneA = await shop.deviceToken('phone A');
    phoneB = await shop.deviceToken('phone B');
  });
  afterAll(() => server.close());

  const newCapture = async (token: string) =>
    (await (await server.request('POST', '/api/v1/captures', { token, json: { orderId: `OWN-${randomBytes(4).toString('hex')}`, kind: 'packing' } })).json()).id as string;

  async function createUpload(token: string, captureId: string, length: number): Promise<string> {
    const created = await fetch(`${server.url}/api/v1/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, ...TUS, 'upload-length': String(length), 'upload-metadata': metadataFor(captureId) },
    });
    expect(created.status).toBe(201);
    return created.headers.get('location')!.split('/').pop()!;
  }

  const patchHeaders = (token: string, offset: number) => ({
    authorization: `Bearer ${token}`,
    ...TUS,
    'upload-offset': String(offset),
    'content-type': 'application/offset+octet-stream',
  });

  const offsetOf = async (token: string, id: string) => {
    const head = await rawRequest(server.url, 'HEAD', `/api/v1/uploads/${id}`, { authorization: `Bearer ${token}`, ...TUS });
    expect(head.status).toBe(200);
    return Number(head.headers['upload-offset']);
  };

  it("never lets a crafted query string steer another device's PATCH, HEAD or DELETE into an upload it does not own", async () => {
    const bytes = fs.readFileSync(fixture('photo.png'));
    const forged = Buffer.from(bytes);
    forged.fill(0x41, 200);
    const victim = await createUpload(phoneA.token, await newCapture(phoneA.token), bytes.length);
    const first = await rawRequest(server.url, 'PATCH', `/api/v1/uploads/${victim}`, patchHeaders(phoneA.token, 0), bytes.subarray(0, 100));
    expect(first.status).toBe(204);
    const own = await createUpload(phoneB.token, await newCapture(phoneB.token), bytes.length);

    const steered = [`?x=/${victim}`, `?/${victim}`, `?x=%2F${victim}`, `?x=/../${victim}`, `?x=/${victim}/`, `?a=1&x=/${victim}`];
    for (const query of steered) {
      const patch = await rawRequest(server.url, 'PATCH', `/api/v1/uploads/${own}${query}`, patchHeaders(phoneB.token, 100), forged.subarray(100));
      expect(patch.status, `PATCH ${query}`).toBeGreaterThanOrEqual(400);
      expect(patch.status, `PATCH ${query}`).toBeLessThan(500);
      expect(patch.headers['packtrail-media-id']).toBeUndefined();
      const head = await rawRequest(server.url, 'HEAD', `/api/v1/uploads/${own}${query}`, { authorization: `Bearer ${phoneB.token}`, ...TUS });
      expect(head.status, `HEAD ${query}`).toBeGreaterThanOrEqual(400);
      expect(head.status, `HEAD ${query}`).toBeLessThan(500);
      expect(head.headers['upload-offset']).toBeUndefined();
      const terminate = await rawRequest(server.url, 'DELETE', `/api/v1/uploads/${own}${query}`, { authorization: `Bearer ${phoneB.token}`, ...TUS });
      expect(terminate.status, `DELETE ${query}`).toBeGreaterThanOrEqual(400);
      expect(terminate.status, `DELETE ${query}`).toBeLessThan(500);
    }

    // A's upload is as A left it, and A finishes it with A's own bytes, as A.
    expect(await offsetOf(phoneA.token, victim)).toBe(100);
    const last = await rawRequest(server.url, 'PATCH', `/api/v1/uploads/${victim}`, patchHeaders(phoneA.token, 100), bytes.subarray(100));
    expect(last.status).toBe(204);
    const mediaId = last.headers['packtrail-media-id'] as string;
    const media = await (await server.request('GET', `/api/v1/media/${mediaId}`, { token: ownerToken })).json();
    expect(media.sha256).toBe(sha256(bytes));
    const custody = await (await server.request('GET', `/api/v1/media/${mediaId}/custody`, { token: ownerToken })).json();
    const upload = custody.items.find((event: { action: string }) => event.action === 'upload');
    expect(upload).toMatchObject({ actorType: 'device', actorId: phoneA.id });
    // B's own upload was not touched either.
    expect(await offsetOf(phoneB.token, own)).toBe(0);
  });

  it("refuses a path that names an upload in another way than its plain ID, even the caller's own", async () => {
    const own = await createUpload(phoneB.token, await newCapture(phoneB.token), 10);
    for (const target of [`/api/v1/uploads/${own}?x=1`, `/api/v1/uploads/${own}/`, `/api/v1/uploads/${own}%2F`, `/api/v1/uploads/${own.toUpperCase()}`]) {
      const head = await rawRequest(server.url, 'HEAD', target, { authorization: `Bearer ${phoneB.token}`, ...TUS });
      expect(head.status, target).toBeGreaterThanOrEqual(400);
      expect(head.status, target).toBeLessThan(500);
    }
    expect(await offsetOf(phoneB.token, own)).toBe(0);
  });
});

describe('the resumable-upload store', () => {
  it('acts only on the upload it is handed, whatever upload the URL names', async () => {
    const directory = tempDir();
    const resumable = createResumableUploads({
      directory,
      path: '/api/v1/uploads',
      expiryMs: 3_600_000,
      maxBytes: 1000,
      onFinish: async () => ({}),
      describeError: (status, message) => JSON.stringify({ status, message }),
    });
    // Like the routes: the caller decides which upload a request is about (here: a header says so).
    const server = http.createServer((request, response) => {
      const id = request.headers['x-act-on'] as string | undefined;
      void resumable.handle(request, response, request.method === 'POST' ? resumable.newId() : id);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const create = async () => String((await rawRequest(base, 'POST', '/api/v1/uploads', { ...TUS, 'upload-length': '100' })).headers.location).split('/').pop()!;
      const victim = await create();
      const own = await create();
      const written = await rawRequest(base, 'PATCH', `/api/v1/uploads/${victim}`, { ...TUS, 'x-act-on': victim, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, Buffer.alloc(40, 1));
      expect(written.status).toBe(204);

      const steered = await rawRequest(base, 'PATCH', `/api/v1/uploads/${own}?x=/${victim}`, { ...TUS, 'x-act-on': own, 'upload-offset': '40', 'content-type': 'application/offset+octet-stream' }, Buffer.alloc(60, 2));
      expect(steered.status).toBe(409); // own is at offset 0: the write went nowhere
      const named = await rawRequest(base, 'DELETE', `/api/v1/uploads/${victim}`, { ...TUS, 'x-act-on': own });
      expect(named.status).toBe(204); // terminated own, the one handed over, not the one in the URL
      expect(await resumable.get(own)).toBeUndefined();
      expect(await resumable.get(victim)).toMatchObject({ offset: 40, size: 100 });
      expect(fs.readFileSync(path.join(directory, victim))).toEqual(Buffer.alloc(40, 1));
    } finally {
      server.close();
    }
  });
});

describe('upload IDs in the log', () => {
  let child: ChildServer;

  beforeAll(async () => {
    child = await startChildServer({ dataDir: tempDir() });
  });
  afterAll(() => child.stop());

  it('never writes an upload ID to the log, like a share token', async () => {
    const url = child.url;
    const { token, captureId } = await setUpCapture(url);
    const bytes = fs.readFileSync(fixture('photo.png'));
    const created = await fetch(`${url}/api/v1/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, ...TUS, 'upload-length': String(bytes.length), 'upload-metadata': metadataFor(captureId) },
    });
    expect(created.status).toBe(201);
    const id = created.headers.get('location')!.split('/').pop()!;
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    const patchHeaders = (offset: number) => ({ authorization: `Bearer ${token}`, ...TUS, 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' });
    await rawRequest(url, 'HEAD', `/api/v1/uploads/${id}`, { authorization: `Bearer ${token}`, ...TUS });
    await rawRequest(url, 'PATCH', `/api/v1/uploads/${id}?probe=${id}`, patchHeaders(0), bytes.subarray(0, 10));
    await rawRequest(url, 'PATCH', `/api/v1/uploads/${id}`, patchHeaders(0), bytes.subarray(0, 10));
    await rawRequest(url, 'HEAD', `/api/v1/uploads/${id.toUpperCase()}`, { authorization: `Bearer ${token}`, ...TUS });
    const last = await rawRequest(url, 'PATCH', `/api/v1/uploads/${id}`, patchHeaders(10), bytes.subarray(10));
    expect(last.status).toBe(204);
    await new Promise((resolve) => setTimeout(resolve, 200));

    const log = child.output();
    expect(log).toContain('/api/v1/uploads/<id>');
    expect(log.toLowerCase()).not.toContain(id);
  });
});
