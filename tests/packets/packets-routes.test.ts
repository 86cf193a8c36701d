// The packets routes as a seller's dashboard calls them: every recipient listed with what goes in, what
// is missing, its limits and deadline, suggested ones first; each packet downloads as a ZIP; unknown
// recipients and disputes are 404, a language outside the list 400; the courier claim packet still works.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, startServer, type TestServer } from '../helpers/server';
import { downloadPacket, expectStatus, filesUnder, magicType, makePacketCase, removeDownloads, type PacketCase } from './packet-case';

const smallMedia = { photos: [fixture('photo-orientation6-gps.jpg'), fixture('photo.png'), fixture('photo.webp')], video: fixture('clip-4s.mp4') };

describe('recipient packets over HTTP', () => {
  let server: TestServer;
  let marketplace: PacketCase;
  let courier: PacketCase;

  beforeAll(async () => {
    // A public address: packets carry no link to localhost.
    server = await startServer({ PUBLIC_URL: 'https://packtrail.example.com' }, { clock: () => new Date('2026-11-25T01:00:00Z') });
    marketplace = await makePacketCase(server, smallMedia, { orderId: 'PKT-ROUTES-1', counterparty: 'marketplace', channel: 'coupang_wing' });
    courier = await makePacketCase(server, smallMedia, {
      orderId: 'PKT-ROUTES-2', counterparty: 'courier', reason: 'damaged', shop: { seller: marketplace.seller, packer: marketplace.packer },
    });
  });
  afterAll(async () => {
    removeDownloads();
    await server.close();
  });

  it('lists every recipient, the suggested one first, each with what goes in, what is missing, its limits and deadline', async () => {
    const response = await server.request('GET', `/api/v1/disputes/${marketplace.disputeId}/packets?lang=en`, { token: marketplace.seller });
    await expectStatus(response, 200);
    const { items } = await response.json();
    expect(items.map((item: { recipient: string }) => item.recipient)).toEqual(['coupang', 'stripe', 'shopify', 'paypal', 'ebay', 'amazon', 'shopee', 'courier']);
    expect(items[0]).toMatchObject({ recipient: 'coupang', suggested: true, name: 'Coupang', downloadUrl: `/api/v1/disputes/${marketplace.disputeId}/packets/coupang.zip?lang=en` });
    expect(items.filter((item: { suggested: boolean }) => item.suggested)).toHaveLength(1);
    const stripe = items.find((item: { recipient: string }) => item.recipient === 'stripe');
    expect(stripe.included.map((file: { path: string }) => file.path)).toContain('evidence.pdf');
    expect(stripe.missing.map((item: { code: string }) => item.code)).toContain('VIDEO_NOT_ACCEPTED');
    expect(stripe.limits.map((limit: { code: string }) => limit.code)).toEqual(['FILE_TYPES', 'FILE_BYTES', 'TOTAL_BYTES', 'PAGES', 'TEXT_CHARACTERS']);
    for (const limit of stripe.limits) expect(limit.ok, limit.text).toBe(true);
    expect(stripe.deadline).toMatchObject({ at: '2026-12-01T14:59:00.000Z' });
    const courierItem = items.find((item: { recipient: string }) => item.recipient === 'courier');
    expect(courierItem.name).toBe('Courier claim (CJ Logistics)');
    expect(courierItem.deadline.at).toBe('2026-12-06T14:59:59.000Z');
  });

  it('suggests the courier claim for a courier dispute and words everything in Korean and Chinese', async () => {
    for (const lang of ['ko', 'zh-TW']) {
      const { items } = await (await server.request('GET', `/api/v1/disputes/${courier.disputeId}/packets?lang=${lang}`, { token: courier.seller })).json();
      expect(items[0]).toMatchObject({ recipient: 'courier', suggested: true });
      expect(items[0].deadline.rule).toMatch(lang === 'ko' ? /[가-힣]/ : /[\u4e00-\u9fff]/);
    }
  });

  it('answers 404 for an unknown recipient or dispute, and 400 for a language outside the list', async () => {
    const token = marketplace.seller;
    const unknownRecipient = await server.request('GET', `/api/v1/disputes/${marketplace.disputeId}/packets/fedex.zip`, { token });
    await expectStatus(unknownRecipient, 404);
    expect((await unknownRecipient.json()).code).toBe('NOT_FOUND');
    const unknownDispute = '00000000-0000-4000-8000-000000000000';
    for (const route of [`/api/v1/disputes/${unknownDispute}/packets`, `/api/v1/disputes/${unknownDispute}/packets/stripe.zip`]) {
      const response = await server.request('GET', route, { token });
      await expectStatus(response, 404);
      expect((await response.json()).code).toBe('NOT_FOUND');
    }
    for (const route of [`/api/v1/disputes/${marketplace.disputeId}/packets?lang=fr`, `/api/v1/disputes/${marketplace.disputeId}/packets/stripe.zip?lang=zh-CN`]) {
      await expectStatus(await server.request('GET', route, { token }), 400);
    }
    await expectStatus(await server.request('GET', `/api/v1/disputes/${marketplace.disputeId}/packets`, { token: marketplace.packer }), 403);
  });

  it('downloads a packet named after the order, with packet.json and checklist.txt', async () => {
    const { dir, response } = await downloadPacket(server, marketplace.seller, marketplace.disputeId, 'stripe');
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="PKT-ROUTES-1-stripe-packet.zip"');
    const packet = JSON.parse(fs.readFileSync(path.join(dir, 'packet.json'), 'utf8'));
    expect(packet).toMatchObject({ format: 'packtrail-packet/v1', recipient: 'stripe', disputeId: marketplace.disputeId, orderId: 'PKT-ROUTES-1', language: 'en' });
    expect(packet.shareLink.url).toMatch(/\/s\/ptl_/);
    const checklist = fs.readFileSync(path.join(dir, 'checklist.txt'), 'utf8');
    expect(checklist).toContain('PACKET FOR STRIPE');
    expect(checklist).toContain('DEADLINE');
    // The link the packet carries is a share of the dispute, labelled for the recipient, and the listing names it.
    const sharesFor = async () => {
      const answer = await (await server.request('GET', `/api/v1/disputes/${marketplace.disputeId}/shares`, { token: marketplace.seller })).json();
      return (answer.items as { id: string; label?: string; revokedAt?: string }[]).filter((share) => share.label === 'packet for stripe');
    };
    expect(await sharesFor()).toHaveLength(1);
    const listedLink = async () =>
      (await (await server.request('GET', `/api/v1/disputes/${marketplace.disputeId}/packets`, { token: marketplace.seller })).json()).items
        .find((item: { recipient: string }) => item.recipient === 'stripe').shareLink;
    expect(await listedLink()).toEqual(packet.shareLink);
    expect((await fetch(`${server.url}${new URL(packet.shareLink.url).pathname}`)).status).toBe(200);
    // Downloading again hands out the same link; once it is revoked, the next packet gets a new one.
    const again = JSON.parse(fs.readFileSync(path.join((await downloadPacket(server, marketplace.seller, marketplace.disputeId, 'stripe')).dir, 'packet.json'), 'utf8'));
    expect(again.shareLink).toEqual(packet.shareLink);
    const [share] = await sharesFor();
    await expectStatus(await server.request('DELETE', `/api/v1/disputes/${marketplace.disputeId}/shares/${share.id}`, { token: marketplace.seller }), 204);
    expect(await listedLink()).toBeUndefined();
    const renewed = JSON.parse(fs.readFileSync(path.join((await downloadPacket(server, marketplace.seller, marketplace.disputeId, 'stripe')).dir, 'packet.json'), 'utf8'));
    expect(renewed.shareLink.url).not.toBe(packet.shareLink.url);
    expect(await listedLink()).toEqual(renewed.shareLink);
  });

  it('builds every packet for a dispute with no evidence picked yet, and says what is missing', async () => {
    const bare = await (await server.request('POST', '/api/v1/disputes', {
      token: marketplace.seller, json: { orderId: 'PKT-ROUTES-1', reason: 'not_received', counterparty: 'buyer' },
    })).json();
    const { items } = await (await server.request('GET', `/api/v1/disputes/${bare.id}/packets`, { token: marketplace.seller })).json();
    // A buyer's dispute suggests no recipient.
    expect(items.filter((item: { suggested: boolean }) => item.suggested)).toEqual([]);
    for (const item of items) {
      expect(item.missing.map((missing: { code: string }) => missing.code), item.recipient).toContain('NO_PHOTOS');
      const { dir } = await downloadPacket(server, marketplace.seller, bare.id, item.recipient);
      const packet = JSON.parse(fs.readFileSync(path.join(dir, 'packet.json'), 'utf8'));
      expect(JSON.stringify(packet.fields), item.recipient).toContain('601234567890');
      expect(fs.readFileSync(path.join(dir, 'checklist.txt'), 'utf8'), item.recipient).toContain('[NO_PHOTOS]');
    }
  }, 120_000);

  it('sends a return dispute the return\'s unboxing video, and tells its findings in words', async () => {
    const { seller, packer } = marketplace;
    const ok = async (response: Promise<Response>) => {
      const answer = await response;
      if (answer.status >= 300) throw new Error(`${answer.status} ${await answer.text()}`);
      return answer.json();
    };
    const unboxing = await ok(server.request('POST', '/api/v1/captures', {
      token: packer, json: { orderId: 'PKT-ROUTES-1', kind: 'unboxing', weight: { value: 1180, unit: 'g' }, station: 'Returns desk' },
    }));
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(fs.readFileSync(fixture('clip.mp4')))]), 'unboxing.mp4');
    const [video] = (await ok(server.request('POST', `/api/v1/captures/${unboxing.id}/media`, { token: packer, body: form }))).media;
    await ok(server.request('PATCH', `/api/v1/captures/${unboxing.id}`, {
      token: packer,
      json: { checklist: [{ item: 'outer_box', result: 'issue', note: 'Corner crushed' }, { item: 'seal', result: 'ok' }], outcome: 'damaged' },
    }));
    await ok(server.request('POST', `/api/v1/captures/${unboxing.id}/finish`, { token: packer }));
    const returned = await ok(server.request('POST', '/api/v1/disputes', { token: seller, json: { orderId: 'PKT-ROUTES-1', reason: 'return_damaged', counterparty: 'marketplace' } }));
    // The packing video goes along too: the return's own recording is the one a return dispute sends.
    const packingVideo = marketplace.media.find((media) => media.type === 'video')!;
    await ok(server.request('POST', `/api/v1/disputes/${returned.id}/evidence`, { token: seller, json: { mediaId: packingVideo.id } }));
    await ok(server.request('POST', `/api/v1/disputes/${returned.id}/evidence`, { token: seller, json: { captureId: unboxing.id } }));

    const { dir } = await downloadPacket(server, seller, returned.id, 'coupang');
    const packet = JSON.parse(fs.readFileSync(path.join(dir, 'packet.json'), 'utf8'));
    const videos = packet.files.filter((file: { path: string }) => file.path.endsWith('.mp4'));
    expect(videos).toHaveLength(1);
    expect(videos[0].role === 'original' ? videos[0].sha256 : videos[0].originalSha256).toBe(video.sha256);
    expect(packet.fields.description).toContain('The returned parcel was opened on camera');
    expect(packet.fields.description).toContain('Outer box: Problem found (Corner crushed)');
    // Coupang counts from the return's arrival here when no respond-by date is entered.
    expect(packet.deadline.basis).toContain('the return being opened here');
  });

  it('leaves out or converts what a recipient cannot open: WebP and HEIC photos, WebM video, sound, PDF', async () => {
    const mixed = await makePacketCase(server, {
      photos: [fixture('photo.png'), fixture('photo.webp'), fixture('photo-hevc.heic'), fixture('sound.m4a'), fixture('document.pdf')],
      video: fixture('clip.webm'),
    }, { orderId: 'PKT-ROUTES-3', counterparty: 'marketplace', shop: { seller: marketplace.seller, packer: marketplace.packer } });
    for (const recipient of ['stripe', 'shopify', 'paypal', 'ebay', 'amazon', 'coupang', 'shopee']) {
      const { dir } = await downloadPacket(server, mixed.seller, mixed.disputeId, recipient);
      const checklist = fs.readFileSync(path.join(dir, 'checklist.txt'), 'utf8');
      expect(checklist, recipient).toContain('[AUDIO_NOT_ACCEPTED]');
      for (const file of filesUnder(dir).filter((name) => !['packet.json', 'checklist.txt'].includes(name))) {
        expect(['jpeg', 'png', 'pdf', 'mp4'], `${recipient}: ${file}`).toContain(magicType(path.join(dir, file)));
      }
    }
  }, 180_000);

  it('keeps the courier claim packet route working, and builds the courier packet from the same code', async () => {
    const claim = await server.request('GET', `/api/v1/disputes/${courier.disputeId}/claim-packet.zip?lang=en`, { token: courier.seller });
    await expectStatus(claim, 200);
    const { dir } = await downloadPacket(server, courier.seller, courier.disputeId, 'courier');
    for (const file of ['claim-letter.pdf', 'packet.json', 'checklist.txt', 'manifest.json', 'README.txt']) expect(fs.existsSync(path.join(dir, file)), file).toBe(true);
    const packet = JSON.parse(fs.readFileSync(path.join(dir, 'packet.json'), 'utf8'));
    expect(packet.fields).toMatchObject({ orderId: 'PKT-ROUTES-2', carrier: 'CJ Logistics', trackingNumber: '601234567890', packedWeightGrams: 1552 });
  });
});
