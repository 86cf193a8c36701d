// Courier photo tags: set with one tap at upload (multipart field or tus metadata), changed later by
// whoever may change the capture, refused when unknown, part of what makes a retried upload the same.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, setUpShop, startServer, uploadFiles, type TestServer } from '../helpers/server';

const read = (name: string) => new Uint8Array(fs.readFileSync(fixture(name)));

describe('courier photo tags on media', () => {
  let server: TestServer;
  let owner: string;
  let seller: string;
  let packer: string;
  let otherPacker: string;
  let phone: string;
  let captureId: string;

  const capture = async (token: string) =>
    (await (await server.request('POST', '/api/v1/captures', { token, json: { orderId: 'TAG-1', kind: 'packing' } })).json()).id as string;
  const putTags = (token: string, mediaId: string, tags: unknown) => server.request('PUT', `/api/v1/media/${mediaId}/tags`, { token, json: { tags } });

  beforeAll(async () => {
    server = await startServer();
    const shop = await setUpShop(server);
    owner = shop.ownerToken;
    seller = await shop.token('seller');
    packer = await shop.token('packer');
    otherPacker = await shop.token('packer');
    phone = (await shop.deviceToken()).token;
    captureId = await capture(packer);
  });
  afterAll(() => server.close());

  it('sets tags at upload from the tags field, for the photos after it, in the vocabulary order; other files keep none', async () => {
    const form = new FormData();
    form.append('file', new Blob([read('photo.png')]), 'untagged.png');
    form.append('tags', ' weight , label_closeup');
    form.append('file', new Blob([read('photo.webp')]), 'label.webp');
    form.append('file', new Blob([read('clip.mp4')]), 'clip.mp4');
    form.append('tags', '');
    form.append('file', new Blob([read('photo-orientation6-gps.jpg')]), 'after-empty.jpg');
    const uploaded = await server.request('POST', `/api/v1/captures/${captureId}/media`, { token: packer, body: form });
    expect(uploaded.status).toBe(201);
    const { media } = await uploaded.json();
    expect(media.map((item: { tags: string[] }) => item.tags)).toEqual([[], ['label_closeup', 'weight'], [], []]);

    const got = await (await server.request('GET', `/api/v1/media/${media[1].id}`, { token: seller })).json();
    expect(got.tags).toEqual(['label_closeup', 'weight']);
    const order = await (await server.request('GET', '/api/v1/orders/TAG-1', { token: seller })).json();
    const listed = order.captures.flatMap((item: { media: { id: string; tags: string[] }[] }) => item.media);
    expect(listed.every((item: { tags: unknown }) => Array.isArray(item.tags))).toBe(true);
  });

  it('refuses an unknown tag at upload with 400 VALIDATION_FAILED, keeping nothing', async () => {
    const id = await capture(packer);
    const response = await uploadFiles(server, packer, id, [{ name: 'a.png', bytes: read('photo.png') }], { tags: 'label_closeup,selfie' });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.message).toContain('"selfie"');
    const order = await (await server.request('GET', '/api/v1/orders/TAG-1', { token: seller })).json();
    expect(order.captures.find((item: { id: string }) => item.id === id).media).toHaveLength(0);
  });

  it('counts tags in what makes a retried upload the same request', async () => {
    const id = await capture(phone);
    const file = [{ name: 'p.png', bytes: read('photo.png') }];
    const key = { 'idempotency-key': 'tagged-upload-1' };
    const first = await uploadFiles(server, phone, id, file, { tags: 'damage' }, key);
    expect(first.status).toBe(201);
    const replay = await uploadFiles(server, phone, id, file, { tags: 'damage' }, key);
    expect(replay.status).toBe(201);
    expect((await replay.json()).media[0].id).toBe((await first.json()).media[0].id);
    const other = await uploadFiles(server, phone, id, file, { tags: 'all_sides' }, key);
    expect(other.status).toBe(409);
    expect((await other.json()).code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('sets tags from tus Upload-Metadata and refuses an unknown one before a byte is sent', async () => {
    const id = await capture(phone);
    const bytes = fs.readFileSync(fixture('photo.png'));
    const metadata = (tags: string) => [`captureId ${Buffer.from(id).toString('base64')}`, `tags ${Buffer.from(tags).toString('base64')}`].join(',');
    const tus = (tags: string) =>
      fetch(`${server.url}/api/v1/uploads`, {
        method: 'POST',
        headers: { authorization: `Bearer ${phone}`, 'tus-resumable': '1.0.0', 'upload-length': String(bytes.length), 'upload-metadata': metadata(tags) },
      });

    const refused = await tus('packing_inside,upside_down');
    expect(refused.status).toBe(400);
    expect((await refused.json()).code).toBe('VALIDATION_FAILED');

    const created = await tus('packing_outside,packing_inside');
    expect(created.status).toBe(201);
    const location = new URL(created.headers.get('location')!, server.url).href;
    const patched = await fetch(location, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${phone}`, 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      body: bytes,
    });
    expect(patched.status).toBe(204);
    const mediaId = patched.headers.get('packtrail-media-id');
    const media = await (await server.request('GET', `/api/v1/media/${mediaId}`, { token: seller })).json();
    expect(media.tags).toEqual(['packing_inside', 'packing_outside']);
  });

  describe('PUT /media/:id/tags', () => {
    let photoId: string;
    let videoId: string;

    beforeAll(async () => {
      const id = await capture(packer);
      const { media } = await (await uploadFiles(server, packer, id, [
        { name: 'box.png', bytes: read('photo.png') },
        { name: 'clip.mp4', bytes: read('clip.mp4') },
      ])).json();
      [photoId, videoId] = media.map((item: { id: string }) => item.id);
      // Finished: tags label the evidence and may still change.
      await server.request('POST', `/api/v1/captures/${id}/finish`, { token: packer });
    });

    it('lets the packer who started the capture, a seller and the owner change them', async () => {
      // Each code once, in the vocabulary's order, whatever order they came in.
      for (const [token, tags, expected] of [
        [packer, ['damage'], ['damage']],
        [seller, ['all_sides', 'damage'], ['damage', 'all_sides']],
        [owner, [], []],
        [packer, ['weight'], ['weight']],
      ] as const) {
        const response = await putTags(token, photoId, tags);
        expect(response.status, JSON.stringify(tags)).toBe(200);
        expect((await response.json()).tags).toEqual(expected);
      }
    });

    it('refuses a packer or phone that did not start the capture with 403', async () => {
      for (const token of [otherPacker, phone]) {
        const response = await putTags(token, photoId, ['label_closeup']);
        expect(response.status).toBe(403);
        expect((await response.json()).code).toBe('FORBIDDEN');
      }
      expect((await (await server.request('GET', `/api/v1/media/${photoId}`, { token: seller })).json()).tags).toEqual(['weight']);
    });

    it('refuses unknown codes and a body without tags with 400 VALIDATION_FAILED', async () => {
      for (const body of [['selfie'], 'damage', [1], undefined]) {
        const response = await server.request('PUT', `/api/v1/media/${photoId}/tags`, { token: seller, json: body === undefined ? {} : { tags: body } });
        expect(response.status, JSON.stringify(body)).toBe(400);
        expect((await response.json()).code).toBe('VALIDATION_FAILED');
      }
    });

    it('keeps tags to photos: a video cannot be tagged', async () => {
      const response = await putTags(seller, videoId, ['packing_inside']);
      expect(response.status).toBe(400);
      expect((await response.json()).message).toMatch(/Only photos/);
      expect((await putTags(seller, videoId, [])).status).toBe(200);
    });

    it('records each change in the custody log, with what the tags were before', async () => {
      const custody = await (await server.request('GET', `/api/v1/media/${photoId}/custody`, { token: seller })).json();
      const changes = custody.items.filter((event: { action: string }) => event.action === 'tag');
      expect(changes.map((event: { detail: { tags: string[] } }) => event.detail.tags)).toEqual([['damage'], ['damage', 'all_sides'], [], ['weight']]);
      expect(changes.map((event: { actorType: string }) => event.actorType)).toEqual(['user', 'user', 'user', 'user']);
      expect(changes[1].detail.before).toEqual(['damage']);
    });

    it('answers 404 for a media item that does not exist', async () => {
      expect((await putTags(seller, '00000000-0000-4000-8000-000000000000', [])).status).toBe(404);
    });
  });
});
