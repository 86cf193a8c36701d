// Every byte of evidence that leaves is custody: the playback copy, thumbnails and any Range of an
// original, through the API and through share links; a player's many requests read as one viewing.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, setUpShop, startServer, uploadFiles, type TestServer } from '../helpers/server';

const read = (name: string) => new Uint8Array(fs.readFileSync(fixture(name)));

interface CustodyEvent {
  actorType: string;
  actorId: string | null;
  action: string;
  detail: Record<string, unknown> | null;
}

describe('custody of evidence that leaves', () => {
  let server: TestServer;
  let now = new Date('2026-11-23T09:00:00Z');
  let owner: string;
  let seller: string;
  let sellerId: string;
  let ownerId: string;
  let video: string;
  let photo: string;
  let shareBase: string;
  let shareId: string;
  let disputeId: string;

  async function custody(mediaId: string): Promise<CustodyEvent[]> {
    const response = await server.request('GET', `/api/v1/media/${mediaId}/custody`, { token: owner });
    expect(response.status).toBe(200);
    return (await response.json()).items;
  }

  /** Events of one actor, as "action" or "action:copy". */
  async function readsBy(mediaId: string, actorId: string): Promise<string[]> {
    return (await custody(mediaId))
      .filter((event) => event.actorId === actorId && event.action !== 'upload')
      .map((event) => (event.detail?.copy ? `${event.action}:${event.detail.copy}` : event.action));
  }

  async function start(dataDir?: string) {
    server = await startServer({}, { clock: () => now, dataDir });
  }

  beforeAll(async () => {
    await start();
    const shop = await setUpShop(server);
    owner = shop.ownerToken;
    seller = await shop.token('seller');
    ownerId = (await (await server.request('GET', '/api/v1/me', { token: owner })).json()).id;
    sellerId = (await (await server.request('GET', '/api/v1/me', { token: seller })).json()).id;
    const packer = (await shop.deviceToken()).token;
    const capture = await (await server.request('POST', '/api/v1/captures', { token: packer, json: { orderId: 'CUSTODY-1', kind: 'packing' } })).json();
    const uploaded = (await (await uploadFiles(server, packer, capture.id, [
      { name: 'packing.webm', bytes: read('clip.webm') },
      { name: 'label.png', bytes: read('photo.png') },
    ])).json()).media;
    [video, photo] = uploaded.map((media: { id: string }) => media.id);
    await server.request('POST', `/api/v1/captures/${capture.id}/finish`, { token: packer });
    // The playback copy is made off the request path; wait for it without reading the media as anyone.
    for (let tries = 0; tries < 160; tries++) {
      const probe = await server.request('HEAD', `/api/v1/media/${video}/playback`, { token: owner });
      if (probe.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const dispute = await (await server.request('POST', '/api/v1/disputes', {
      token: seller,
      json: { orderId: 'CUSTODY-1', reason: 'item_missing', counterparty: 'marketplace' },
    })).json();
    await server.request('POST', `/api/v1/disputes/${dispute.id}/evidence`, { token: seller, json: { captureId: capture.id } });
    const share = await (await server.request('POST', `/api/v1/disputes/${dispute.id}/shares`, { token: seller, json: { expiresInHours: 48 } })).json();
    shareBase = `${server.url}${new URL(share.url).pathname}`;
    shareId = share.id;
    disputeId = dispute.id;
  });
  afterAll(() => server.close());

  it('records a custody event for the playback copy, each thumbnail and an original read from the middle, through the API', async () => {
    const playback = await server.request('GET', `/api/v1/media/${video}/playback`, { token: seller });
    expect(playback.status).toBe(200);
    await playback.arrayBuffer();
    const thumbnail = await server.request('GET', `/api/v1/media/${photo}/thumbnail`, { token: seller });
    expect(thumbnail.status).toBe(200);
    await thumbnail.arrayBuffer();
    const poster = await server.request('GET', `/api/v1/media/${video}/thumbnail`, { token: seller });
    expect(poster.status).toBe(200);
    await poster.arrayBuffer();
    const middle = await server.request('GET', `/api/v1/media/${photo}/original`, { token: seller, headers: { range: 'bytes=1-' } });
    expect(middle.status).toBe(206);
    await middle.arrayBuffer();

    expect(await readsBy(video, sellerId)).toEqual(['view:playback', 'view:thumbnail']);
    expect(await readsBy(photo, sellerId)).toEqual(['view:thumbnail', 'download']);
  });

  it('records a custody event for the playback copy, the thumbnail and an original read from the middle, through a share link', async () => {
    for (const route of [`/media/${video}/playback`, `/media/${video}/thumbnail`, `/media/${video}/original`]) {
      const response = await fetch(`${shareBase}${route}`, { headers: route.endsWith('original') ? { range: 'bytes=1-' } : {} });
      expect(response.status, route).toBeLessThan(300);
      await response.arrayBuffer();
    }
    expect(await readsBy(video, shareId)).toEqual(['view:playback', 'view:thumbnail', 'download']);
    const events = (await custody(video)).filter((event) => event.actorId === shareId);
    expect(events.every((event) => event.actorType === 'share')).toBe(true);
  });

  it('counts a player’s twenty Range requests for one video as one viewing, while another viewer gets an event of their own', async () => {
    const before = await readsBy(video, sellerId);
    const size = Number((await server.request('HEAD', `/api/v1/media/${video}/original`, { token: seller })).headers.get('content-length'));
    for (let i = 0; i < 20; i++) {
      const start = Math.floor((size * i) / 20);
      const response = await server.request('GET', `/api/v1/media/${video}/original`, { token: seller, headers: { range: `bytes=${start}-` } });
      expect(response.status).toBe(206);
      await response.arrayBuffer();
    }
    for (let i = 0; i < 20; i++) {
      const response = await server.request('GET', `/api/v1/media/${video}/playback`, { token: seller, headers: { range: `bytes=${i * 100}-` } });
      expect(response.status).toBe(206);
      await response.arrayBuffer();
    }
    expect(await readsBy(video, sellerId)).toEqual([...before, 'download']);

    const other = await server.request('GET', `/api/v1/media/${video}/original`, { token: owner, headers: { range: 'bytes=100-' } });
    expect(other.status).toBe(206);
    await other.arrayBuffer();
    expect(await readsBy(video, ownerId)).toEqual(['download']);
  });

  it('records a new viewing once the window has passed, and remembers a viewing across a restart', async () => {
    const before = await readsBy(photo, sellerId);
    now = new Date(now.getTime() + 31 * 60_000);
    const later = await server.request('GET', `/api/v1/media/${photo}/original`, { token: seller, headers: { range: 'bytes=5-' } });
    await later.arrayBuffer();
    expect(await readsBy(photo, sellerId)).toEqual([...before, 'download']);

    const dataDir = server.dataDir;
    await server.close();
    await start(dataDir);
    const again = await server.request('GET', `/api/v1/media/${photo}/original`, { token: seller, headers: { range: 'bytes=9-' } });
    expect(again.status).toBe(206);
    await again.arrayBuffer();
    expect(await readsBy(photo, sellerId)).toEqual([...before, 'download']);
  });

  it('records nothing when no bytes leave: a HEAD, or a 304 for a copy the viewer already holds', async () => {
    now = new Date(now.getTime() + 31 * 60_000);
    const before = await readsBy(photo, ownerId);
    const head = await server.request('HEAD', `/api/v1/media/${photo}/original`, { token: owner });
    expect(head.status).toBe(200);
    const etag = head.headers.get('etag')!;
    const cached = await server.request('GET', `/api/v1/media/${photo}/original`, { token: owner, headers: { 'if-none-match': etag } });
    expect(cached.status).toBe(304);
    expect(await readsBy(photo, ownerId)).toEqual(before);
  });

  it("lists in each file's custody the bundle and share-link exports that carried it, and not those of other files", async () => {
    const bundle = await server.request('GET', `/api/v1/disputes/${disputeId}/bundle.zip`, { token: seller });
    expect(bundle.status).toBe(200);
    await bundle.arrayBuffer();
    // The server restarted in an earlier test: the link's path on the server as it is now.
    const shared = await fetch(`${server.url}${new URL(shareBase).pathname}/bundle.zip`);
    expect(shared.status).toBe(200);
    await shared.arrayBuffer();
    const exportsOf = async (mediaId: string) => (await custody(mediaId)).filter((event) => event.action === 'export').map((event) => event.actorType);
    expect(await exportsOf(photo)).toEqual(['user', 'share']);
    expect(await exportsOf(video)).toEqual(['user', 'share']);

    // A file of the same order that no dispute carries has no export in its custody.
    const desk = await (await server.request('POST', '/api/v1/captures', { token: owner, json: { orderId: 'CUSTODY-1', kind: 'other' } })).json();
    const added = await uploadFiles(server, owner, desk.id, [{ name: 'later.png', bytes: read('photo.png') }]);
    expect(added.status).toBe(201);
    expect(await exportsOf((await added.json()).media[0].id)).toEqual([]);
  });
});
