// What the dashboard's order page asks of the API: a buyer flagged and cleared without touching the
// rest of the order, evidence added from a desk (call recordings as phones save them, screenshots,
// PDFs) into a capture of kind "other", and originals a browser can play or show.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, setUpShop, startServer, uploadFiles, type Shop, type TestServer } from '../helpers/server';

const read = (name: string) => new Uint8Array(fs.readFileSync(fixture(name)));

describe('the order page’s API', () => {
  let server: TestServer;
  let shop: Shop;
  let seller: string;

  beforeAll(async () => {
    server = await startServer();
    shop = await setUpShop(server);
    seller = await shop.token('seller');
  });
  afterAll(() => server.close());

  const getOrder = async (orderId: string) => (await server.request('GET', `/api/v1/orders/${orderId}`, { token: seller })).json();

  it('flags and clears a buyer with only `buyer` sent, leaving items, tracking numbers and the name as they were', async () => {
    const created = await server.request('PUT', '/api/v1/orders/FLAG-1', {
      token: shop.ownerToken,
      json: {
        buyer: { ref: 'buyer-77', name: '김민수' },
        items: [{ name: 'Wool socks', quantity: 2, unitWeightGrams: 120 }],
        trackingNumbers: ['601234567890'],
        carrier: 'CJ Logistics',
      },
    });
    expect(created.status).toBe(201);

    const flagged = await server.request('PUT', '/api/v1/orders/FLAG-1', {
      token: seller,
      json: { buyer: { ref: 'buyer-77', flagged: true, flagReason: 'Claimed a missing item twice' } },
    });
    expect(flagged.status).toBe(200);
    const order = await getOrder('FLAG-1');
    expect(order.buyer).toEqual({ ref: 'buyer-77', name: '김민수', flagged: true, flagReason: 'Claimed a missing item twice' });
    expect(order.items).toEqual([{ name: 'Wool socks', quantity: 2, unitWeightGrams: 120, weightKnown: true, weightFrom: 'order' }]);
    expect(order.trackingNumbers).toEqual(['601234567890']);
    expect(order.carrier).toBe('CJ Logistics');
    expect(order.expectedWeightGrams).toBe(240);

    expect((await server.request('PUT', '/api/v1/orders/FLAG-1', { token: seller, json: { buyer: { ref: 'buyer-77', flagged: false } } })).status).toBe(200);
    const cleared = await getOrder('FLAG-1');
    expect(cleared.buyer).toEqual({ ref: 'buyer-77', name: '김민수', flagged: false });
    expect(cleared.items).toHaveLength(1);

    // Packers capture; they do not judge buyers.
    const packer = await shop.token('packer');
    expect((await server.request('PUT', '/api/v1/orders/FLAG-1', { token: packer, json: { buyer: { ref: 'buyer-77', flagged: true } } })).status).toBe(403);
  });

  it('takes call recordings in the containers phones save them in as audio, and a screenshot and a PDF, into a desk capture with a caption', async () => {
    const capture = await server.request('POST', '/api/v1/captures', { token: seller, json: { orderId: 'DESK-1', kind: 'other' } });
    expect(capture.status).toBe(201);
    const captureId = ((await capture.json()) as { id: string }).id;
    const upload = await uploadFiles(
      server,
      seller,
      captureId,
      [
        { name: 'Call with buyer.m4a', bytes: read('sound-android.m4a') },
        { name: 'call.3gp', bytes: read('sound-call.3gp') },
        { name: 'call.mp3', bytes: read('sound.mp3') },
        { name: 'iPhone voice memo.m4a', bytes: read('sound.m4a') },
        { name: 'chat.png', bytes: read('photo.png') },
        { name: 'receipt.pdf', bytes: read('document.pdf') },
      ],
      { caption: 'Phone call, 3 May: buyer agrees to return' },
    );
    expect(upload.status).toBe(201);
    const media = ((await upload.json()) as { media: { id: string; type: string; mime: string; caption?: string }[] }).media;
    expect(media.map((item) => [item.type, item.mime])).toEqual([
      ['audio', 'audio/mp4'],
      ['audio', 'audio/3gpp'],
      ['audio', 'audio/mpeg'],
      ['audio', 'audio/mp4'],
      ['photo', 'image/png'],
      ['document', 'application/pdf'],
    ]);
    expect(media.every((item) => item.caption === 'Phone call, 3 May: buyer agrees to return')).toBe(true);
    expect((await server.request('POST', `/api/v1/captures/${captureId}/finish`, { token: seller })).status).toBe(200);

    const order = await getOrder('DESK-1');
    expect(order.captures).toHaveLength(1);
    expect(order.captures[0]).toMatchObject({ kind: 'other', status: 'finished' });
    expect(order.captures[0].media.map((item: { id: string }) => item.id)).toEqual(media.map((item) => item.id));

    // A recording plays from its original, as the sound it is.
    const recording = await server.request('GET', `/api/v1/media/${media[0].id}/original`, { token: seller });
    expect(recording.status).toBe(200);
    expect(recording.headers.get('content-type')).toBe('audio/mp4');
    await recording.arrayBuffer();
    const info = await (await server.request('GET', `/api/v1/media/${media[0].id}`, { token: seller })).json();
    expect(info.durationMs).toBeGreaterThan(900);

    // A PDF opens in the browser's own viewer: its type and an inline disposition with a .pdf name.
    const pdf = await server.request('GET', `/api/v1/media/${media[5].id}/original`, { token: seller });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe(`inline; filename="${media[5].id}.pdf"`);
    await pdf.arrayBuffer();

    // Each read is in the item's custody log.
    const custody = await (await server.request('GET', `/api/v1/media/${media[5].id}/custody`, { token: seller })).json();
    expect(custody.items.map((event: { action: string }) => event.action)).toEqual(['upload', 'download']);
  });

  it('still takes a video with a picture as a video', async () => {
    const captureId = ((await (await server.request('POST', '/api/v1/captures', { token: seller, json: { orderId: 'DESK-2', kind: 'other' } })).json()) as { id: string }).id;
    const upload = await uploadFiles(server, seller, captureId, [{ name: 'clip.mp4', bytes: read('clip-4s.mp4') }]);
    expect(upload.status).toBe(201);
    expect(((await upload.json()) as { media: { type: string; mime: string }[] }).media[0]).toMatchObject({ type: 'video', mime: 'video/mp4' });
  });
});
