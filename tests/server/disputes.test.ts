import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, setUpShop, startServer, uploadFiles, type TestServer } from '../helpers/server';

describe('disputes', () => {
  let server: TestServer;
  let seller: string;
  let packer: string;
  let now = new Date('2026-11-23T09:00:00Z');
  let packingCaptureId: string;
  let photoId: string;

  beforeAll(async () => {
    server = await startServer({}, { clock: () => now });
    const shop = await setUpShop(server);
    seller = await shop.token('seller');
    packer = (await shop.deviceToken()).token;
    await server.request('PUT', '/api/v1/orders/NAP-1', { token: seller, json: { buyer: { name: '김민준' }, items: [{ name: 'Napkins', quantity: 4, unitWeightGrams: 570 }] } });
    const capture = await (await server.request('POST', '/api/v1/captures', { token: packer, json: { orderId: 'NAP-1', kind: 'packing', weight: { value: 2310, unit: 'g' } } })).json();
    packingCaptureId = capture.id;
    const upload = await uploadFiles(server, packer, capture.id, [
      { name: 'inside.png', bytes: new Uint8Array(fs.readFileSync(fixture('photo.png'))) },
      { name: 'sealed.webp', bytes: new Uint8Array(fs.readFileSync(fixture('photo.webp'))) },
    ]);
    photoId = (await upload.json()).media[0].id;
    await server.request('POST', `/api/v1/captures/${capture.id}/finish`, { token: packer });
  });
  afterAll(() => server.close());

  const open = (json: Record<string, unknown>) => server.request('POST', '/api/v1/disputes', { token: seller, json: { orderId: 'NAP-1', reason: 'item_missing', counterparty: 'marketplace', ...json } });

  it('opens a dispute on an order, shown with the order', async () => {
    const response = await open({ reference: 'CASE-778', amount: { value: 12.5, currency: 'USD' }, respondBy: '2026-11-30T00:00:00Z', note: 'Buyer says 3 of 4 arrived' });
    expect(response.status).toBe(201);
    const dispute = await response.json();
    expect(dispute).toMatchObject({ orderId: 'NAP-1', status: 'open', reason: 'item_missing', counterparty: 'marketplace', reference: 'CASE-778', amount: { value: 12.5, currency: 'USD' }, respondBy: '2026-11-30T00:00:00.000Z' });
    const order = await (await server.request('GET', '/api/v1/orders/NAP-1', { token: seller })).json();
    expect(order.disputes.map((d: { id: string }) => d.id)).toContain(dispute.id);
  });

  it('refuses packers, unknown orders and unknown reasons', async () => {
    const asPacker = await server.request('POST', '/api/v1/disputes', { token: packer, json: { orderId: 'NAP-1', reason: 'damaged', counterparty: 'buyer' } });
    expect(asPacker.status).toBe(403);
    expect((await server.request('GET', '/api/v1/disputes', { token: packer })).status).toBe(403);
    expect((await open({ orderId: 'NOPE' })).status).toBe(404);
    expect((await open({ respondBy: '2026-12-31T23:59:60Z' })).status).toBe(400);
    const badReason = await open({ reason: 'bored' });
    expect(badReason.status).toBe(400);
    expect((await badReason.json()).code).toBe('VALIDATION_FAILED');
    expect((await open({ amount: { value: -1, currency: 'USD' } })).status).toBe(400);
  });

  it('lists open disputes soonest respond-by first, those without a deadline last', async () => {
    const late = await (await open({ respondBy: '2026-12-20T00:00:00Z' })).json();
    const none = await (await open({})).json();
    const soon = await (await open({ respondBy: '2026-11-25T00:00:00Z' })).json();
    const list = await (await server.request('GET', '/api/v1/disputes?status=open', { token: seller })).json();
    const ids = list.items.map((d: { id: string }) => d.id);
    expect(ids.indexOf(soon.id)).toBeLessThan(ids.indexOf(late.id));
    expect(ids.at(-1)).toBe(none.id);
  });

  it('links media and whole captures with captions, refuses a second link, and unlinks', async () => {
    const dispute = await (await open({})).json();
    const media = await server.request('POST', `/api/v1/disputes/${dispute.id}/evidence`, { token: seller, json: { mediaId: photoId, caption: 'All four dozens inside' } });
    expect(media.status).toBe(201);
    const capture = await server.request('POST', `/api/v1/disputes/${dispute.id}/evidence`, { token: seller, json: { captureId: packingCaptureId } });
    expect(capture.status).toBe(201);
    expect((await capture.json()).capture).toMatchObject({ id: packingCaptureId, weightGrams: 2310 });
    const twice = await server.request('POST', `/api/v1/disputes/${dispute.id}/evidence`, { token: seller, json: { mediaId: photoId } });
    expect(twice.status).toBe(409);
    const both = await server.request('POST', `/api/v1/disputes/${dispute.id}/evidence`, { token: seller, json: { mediaId: photoId, captureId: packingCaptureId } });
    expect(both.status).toBe(400);
    const other = await (await server.request('POST', '/api/v1/captures', { token: packer, json: { orderId: 'SOMEONE-ELSE', kind: 'packing' } })).json();
    const foreign = await server.request('POST', `/api/v1/disputes/${dispute.id}/evidence`, { token: seller, json: { captureId: other.id } });
    expect(foreign.status).toBe(409);
    expect((await foreign.json()).message).toMatch(/another order/);

    const detail = await (await server.request('GET', `/api/v1/disputes/${dispute.id}`, { token: seller })).json();
    expect(detail.evidence.map((e: { caption?: string }) => e.caption)).toEqual(['All four dozens inside', undefined]);
    expect(detail.order.captures[0].media).toHaveLength(2);

    const evidenceId = detail.evidence[0].id;
    expect((await server.request('DELETE', `/api/v1/disputes/${dispute.id}/evidence/${evidenceId}`, { token: seller })).status).toBe(204);
    expect((await server.request('DELETE', `/api/v1/disputes/${dispute.id}/evidence/${evidenceId}`, { token: seller })).status).toBe(404);
    expect((await server.request('GET', `/api/v1/media/${photoId}`, { token: seller })).status).toBe(200);
  });

  it('moves evidence to a place in the list, numbering the rest after it, and refuses bad places and packers', async () => {
    const dispute = await (await open({})).json();
    const link = (json: Record<string, unknown>) => server.request('POST', `/api/v1/disputes/${dispute.id}/evidence`, { token: seller, json });
    const first = await (await link({ mediaId: photoId, caption: 'one' })).json();
    const second = await (await link({ captureId: packingCaptureId, caption: 'two' })).json();
    const move = (evidenceId: string, json: unknown, token = seller) =>
      server.request('PATCH', `/api/v1/disputes/${dispute.id}/evidence/${evidenceId}`, { token, json });
    const captions = async () =>
      ((await (await server.request('GET', `/api/v1/disputes/${dispute.id}`, { token: seller })).json()).evidence as { caption: string; position: number }[]).map((e) => [e.caption, e.position]);

    const moved = await move(second.id, { position: 0 });
    expect(moved.status).toBe(200);
    expect((await moved.json()).position).toBe(0);
    expect(await captions()).toEqual([['two', 0], ['one', 1]]);
    expect((await move(second.id, { position: 1 })).status).toBe(200);
    expect(await captions()).toEqual([['one', 0], ['two', 1]]);

    for (const bad of [{ position: 2 }, { position: -1 }, { position: 0.5 }, { position: '0' }, {}]) {
      const refused = await move(first.id, bad);
      expect(refused.status, JSON.stringify(bad)).toBe(400);
      expect((await refused.json()).code).toBe('VALIDATION_FAILED');
    }
    expect((await move('00000000-0000-4000-8000-000000000000', { position: 0 })).status).toBe(404);
    expect((await move(first.id, { position: 1 }, packer)).status).toBe(403);
    expect(await captions()).toEqual([['one', 0], ['two', 1]]);
  });

  it('changes status and deadline, and clears a note with null', async () => {
    const dispute = await (await open({ note: 'draft' })).json();
    const patched = await (await server.request('PATCH', `/api/v1/disputes/${dispute.id}`, { token: seller, json: { status: 'submitted', note: null, respondBy: '2026-12-01T12:00:00+09:00' } })).json();
    expect(patched).toMatchObject({ status: 'submitted', respondBy: '2026-12-01T03:00:00.000Z' });
    expect(patched).not.toHaveProperty('note');
    const bad = await server.request('PATCH', `/api/v1/disputes/${dispute.id}`, { token: seller, json: { status: 'pending' } });
    expect(bad.status).toBe(400);
  });

  it('reminds of deadlines within 48 hours once, then once more when overdue', async () => {
    const dispute = await (await open({ respondBy: new Date(now.getTime() + 24 * 3_600_000).toISOString() })).json();
    await server.app.runJob('dispute-deadline-reminders');
    await server.app.runJob('dispute-deadline-reminders');
    let reminders = (await (await server.request('GET', '/api/v1/reminders', { token: seller })).json()).items.filter((r: { disputeId: string }) => r.disputeId === dispute.id);
    expect(reminders.map((r: { kind: string }) => r.kind)).toEqual(['due_soon']);

    now = new Date(now.getTime() + 25 * 3_600_000);
    await server.app.runJob('dispute-deadline-reminders');
    reminders = (await (await server.request('GET', '/api/v1/reminders', { token: seller })).json()).items.filter((r: { disputeId: string }) => r.disputeId === dispute.id);
    expect(reminders.map((r: { kind: string }) => r.kind).sort()).toEqual(['due_soon', 'overdue']);

    await server.request('PATCH', `/api/v1/disputes/${dispute.id}`, { token: seller, json: { status: 'submitted' } });
    reminders = (await (await server.request('GET', '/api/v1/reminders', { token: seller })).json()).items.filter((r: { disputeId: string }) => r.disputeId === dispute.id);
    expect(reminders).toEqual([]);
  });

  it('creates share links with long random tokens, refuses bad lifetimes, and revokes them', async () => {
    const dispute = await (await open({})).json();
    const created = await server.request('POST', `/api/v1/disputes/${dispute.id}/shares`, { token: seller, json: { expiresInHours: 72 } });
    expect(created.status).toBe(201);
    const share = await created.json();
    const token = share.url.split('/s/')[1];
    expect(token).toMatch(/^ptl_/);
    expect(Buffer.from(token.replace(/^ptl_/, ''), 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(Date.parse(share.expiresAt) - now.getTime()).toBe(72 * 3_600_000);
    for (const expiresInHours of [0, -5, 1e-300, 100000]) {
      expect((await server.request('POST', `/api/v1/disputes/${dispute.id}/shares`, { token: seller, json: { expiresInHours } })).status).toBe(400);
    }
    expect((await server.request('DELETE', `/api/v1/disputes/${dispute.id}/shares/${share.id}`, { token: seller })).status).toBe(204);
    const list = await (await server.request('GET', `/api/v1/disputes/${dispute.id}/shares`, { token: seller })).json();
    expect(list.items[0].revokedAt).toBeTruthy();
    expect(list.items[0]).not.toHaveProperty('url');
  });
});
