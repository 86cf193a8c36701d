// A case worth sharing, made through the real API: an order with items, a weighed packing with a photo
// and a WebM video, a weighed return inspection whose checklist photo the packer app captioned in
// Korean, and a dispute with all of it as evidence and a share link. For the share page's tests.
import fs from 'node:fs';
import { vi } from 'vitest';
import type { CaptureView } from '../../server/services/captures.service';
import { fixture, setUpShop, uploadFiles, type Shop, type TestServer } from './server';

export const SHARED_ORDER = 'NAP-2026-0777';

const read = (name: string) => new Uint8Array(fs.readFileSync(fixture(name)));

export interface SharedCase {
  shop: Shop;
  seller: string;
  disputeId: string;
  /** The link's path, /s/<token>. */
  path: string;
  packing: CaptureView;
  unboxing: CaptureView;
  /** Media ids in the order they are shared (E1, E2, …). */
  mediaIds: string[];
}

export async function makeSharedCase(server: TestServer): Promise<SharedCase> {
  const shop = await setUpShop(server);
  const seller = await shop.token('seller');
  const packer = (await shop.deviceToken('Packing phone 1')).token;
  const ok = async (response: Promise<Response>) => {
    const answer = await response;
    if (answer.status >= 300) throw new Error(`${answer.status} ${await answer.text()}`);
    return answer.json();
  };
  await ok(server.request('PUT', `/api/v1/orders/${SHARED_ORDER}`, {
    token: seller,
    json: {
      channel: 'coupang',
      buyer: { ref: 'b-77', name: '김민준', flagged: true, flagReason: 'private: asked for refunds twice' },
      items: [
        { sku: 'NAP-12', name: 'Linen napkins, dozen', quantity: 4, unitWeightGrams: 570 },
        { sku: 'RING-2', name: 'Napkin ring, brass (pair) with a rather long product name that must wrap on a phone', quantity: 1, unitWeightGrams: 60 },
      ],
      carrier: 'CJ Logistics',
      trackingNumbers: ['601234567890'],
      shippedAt: '2026-05-01T07:00:00.000Z',
      deliveredAt: '2026-05-02T09:30:00.000Z',
    },
  }));

  const packingStart = await ok(server.request('POST', '/api/v1/captures', {
    token: packer,
    json: { orderId: SHARED_ORDER, kind: 'packing', weight: { value: 2.37, unit: 'kg' }, station: 'Station 2' },
  }));
  const packed = await ok(uploadFiles(server, packer, packingStart.id, [
    { name: 'inside.jpg', bytes: read('photo-orientation6-gps.jpg'), type: 'image/jpeg' },
    { name: 'packing.webm', bytes: read('clip.webm'), type: 'video/webm' },
  ], { caption: 'Four dozens and the brass rings go in' }));
  await ok(server.request('POST', `/api/v1/captures/${packingStart.id}/finish`, { token: packer }));

  const unboxingStart = await ok(server.request('POST', '/api/v1/captures', {
    token: packer,
    json: { orderId: SHARED_ORDER, kind: 'unboxing', weight: { value: 1765, unit: 'g' }, station: 'Returns desk' },
  }));
  // Taken from the checklist's "Outer box" row by a packer whose app speaks Korean: the app's caption.
  const returned = await ok(uploadFiles(server, packer, unboxingStart.id, [{ name: 'corner.png', bytes: read('photo.png'), type: 'image/png' }], { caption: '외부 상자' }));
  const cornerId = returned.media[0].id as string;
  await ok(server.request('PATCH', `/api/v1/captures/${unboxingStart.id}`, {
    token: packer,
    json: {
      checklist: [
        { item: 'outer_box', result: 'issue', note: 'Corner crushed', mediaIds: [cornerId] },
        { item: 'seal', result: 'ok' },
        { item: 'accessories_complete', result: 'issue', note: 'One dozen missing' },
        { item: 'signs_of_use', result: 'not_applicable' },
      ],
      outcome: 'parts_missing',
    },
  }));
  await ok(server.request('POST', `/api/v1/captures/${unboxingStart.id}/finish`, { token: packer }));

  const dispute = await ok(server.request('POST', '/api/v1/disputes', {
    token: seller,
    json: { orderId: SHARED_ORDER, reason: 'item_missing', counterparty: 'marketplace', reference: 'CP-5521' },
  }));
  await ok(server.request('POST', `/api/v1/disputes/${dispute.id}/evidence`, { token: seller, json: { captureId: packingStart.id } }));
  await ok(server.request('POST', `/api/v1/disputes/${dispute.id}/evidence`, { token: seller, json: { mediaId: cornerId } }));
  const share = await ok(server.request('POST', `/api/v1/disputes/${dispute.id}/shares`, { token: seller, json: { expiresInHours: 72 } }));

  // The WebM's MP4 copy is made in the background; the page says so once it is there.
  const webmId = packed.media[1].id as string;
  await vi.waitFor(async () => {
    const media = await ok(server.request('GET', `/api/v1/media/${webmId}`, { token: seller }));
    if (media.playbackStatus !== 'ready') throw new Error(`playback ${media.playbackStatus}`);
  }, { timeout: 60_000, interval: 200 });

  const capture = (id: string) => ok(server.request('GET', `/api/v1/captures/${id}`, { token: seller })) as Promise<CaptureView>;
  return {
    shop,
    seller,
    disputeId: dispute.id,
    path: new URL(share.url).pathname,
    packing: await capture(packingStart.id),
    unboxing: await capture(unboxingStart.id),
    mediaIds: [packed.media[0].id, webmId, cornerId],
  };
}
