// How often each share link was opened: every load of its page counts, for that link only; files and
// bundles fetched through it do not; a revoked link answers 410 and counts no more.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, setUpShop, startServer, uploadFiles, type TestServer } from '../helpers/server';

describe('share link opens', () => {
  let server: TestServer;
  let seller: string;
  let disputeId: string;
  let photoId: string;
  let now = new Date('2026-11-23T09:00:00Z');

  beforeAll(async () => {
    server = await startServer({}, { clock: () => now });
    const shop = await setUpShop(server);
    seller = await shop.token('seller');
    const packer = (await shop.deviceToken()).token;
    await server.request('PUT', '/api/v1/orders/OPEN-1', { token: seller, json: { buyer: { name: '이서연' } } });
    const capture = await (await server.request('POST', '/api/v1/captures', { token: packer, json: { orderId: 'OPEN-1', kind: 'packing' } })).json();
    const upload = await uploadFiles(server, packer, capture.id, [{ name: 'inside.png', bytes: new Uint8Array(fs.readFileSync(fixture('photo.png'))) }]);
    photoId = (await upload.json()).media[0].id;
    await server.request('POST', `/api/v1/captures/${capture.id}/finish`, { token: packer });
    const dispute = await (await server.request('POST', '/api/v1/disputes', { token: seller, json: { orderId: 'OPEN-1', reason: 'damaged', counterparty: 'buyer' } })).json();
    disputeId = dispute.id;
    await server.request('POST', `/api/v1/disputes/${disputeId}/evidence`, { token: seller, json: { mediaId: photoId, caption: 'Inside' } });
  });
  afterAll(() => server.close());

  const createShare = async () => {
    const response = await server.request('POST', `/api/v1/disputes/${disputeId}/shares`, { token: seller, json: { expiresInHours: 24 } });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; url: string; openCount: number };
  };
  const listed = async () =>
    ((await (await server.request('GET', `/api/v1/disputes/${disputeId}/shares`, { token: seller })).json()) as { items: { id: string; openCount: number; lastOpenedAt?: string }[] }).items;
  const pathOf = (url: string) => new URL(url).pathname;

  it('starts at zero, and the link points at the address the seller used when PUBLIC_URL is localhost', async () => {
    const share = await createShare();
    expect(share.openCount).toBe(0);
    expect(share.url.startsWith(`${server.url}/s/`)).toBe(true);
    const item = (await listed()).find((entry) => entry.id === share.id)!;
    expect(item.openCount).toBe(0);
    expect(item).not.toHaveProperty('lastOpenedAt');
  });

  it('counts each opening of the page for that link only, with the time of the last', async () => {
    const first = await createShare();
    const second = await createShare();
    for (let i = 0; i < 3; i++) expect((await server.request('GET', pathOf(first.url))).status).toBe(200);
    now = new Date('2026-11-23T10:30:00Z');
    expect((await server.request('GET', pathOf(second.url))).status).toBe(200);
    const items = await listed();
    expect(items.find((entry) => entry.id === first.id)).toMatchObject({ openCount: 3, lastOpenedAt: '2026-11-23T09:00:00.000Z' });
    expect(items.find((entry) => entry.id === second.id)).toMatchObject({ openCount: 1, lastOpenedAt: '2026-11-23T10:30:00.000Z' });
  });

  it('does not count the files or the bundle fetched through the page, nor unknown tokens', async () => {
    const share = await createShare();
    expect((await server.request('GET', `${pathOf(share.url)}/media/${photoId}/thumbnail`)).status).toBe(200);
    const bundle = await server.request('GET', `${pathOf(share.url)}/bundle.zip`);
    expect(bundle.status).toBe(200);
    await bundle.arrayBuffer();
    expect((await server.request('GET', '/s/ptl_nosuchlinkatallxxxxxxxxxxxx')).status).toBe(404);
    expect((await listed()).find((entry) => entry.id === share.id)!.openCount).toBe(0);
  });

  it('keeps the count of a revoked link, which answers 410 and counts no more', async () => {
    const share = await createShare();
    expect((await server.request('GET', pathOf(share.url))).status).toBe(200);
    expect((await server.request('DELETE', `/api/v1/disputes/${disputeId}/shares/${share.id}`, { token: seller })).status).toBe(204);
    expect((await server.request('GET', pathOf(share.url))).status).toBe(410);
    const item = (await listed()).find((entry) => entry.id === share.id)!;
    expect(item).toMatchObject({ openCount: 1 });
    expect(item).toHaveProperty('revokedAt');
  });

  it('matches the audit trail: one share_access event per counted opening', async () => {
    const share = await createShare();
    await server.request('GET', pathOf(share.url));
    await server.request('GET', pathOf(share.url));
    const custody = await (await server.request('GET', `/api/v1/disputes/${disputeId}/custody`, { token: seller })).json();
    const opened = (custody.items as { actorId: string; action: string }[]).filter((event) => event.actorId === share.id && event.action === 'share_access');
    expect(opened).toHaveLength(2);
    expect((await listed()).find((entry) => entry.id === share.id)!.openCount).toBe(2);
  });
});
