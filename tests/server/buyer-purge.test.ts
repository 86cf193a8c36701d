// Buyer details are personal data: the owner removes buyers' names and delivery notes from orders older
// than a set age. The evidence stays whole: order IDs, items, tracking numbers, buyer refs, captures,
// media and the log, so a bundle exported after the purge still verifies; the search no longer finds
// the names; the purge is recorded with its count, and a repeat changes nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, setUpShop, startServer, tempDir, uploadFiles, type Shop, type TestServer } from '../helpers/server';

const OLD_BUYER = '김민준';
const NEW_BUYER = '이서연';
const DAY = 86_400_000;

describe('purging buyer details', () => {
  let server: TestServer;
  let shop: Shop;
  let seller: string;
  let packer: string;
  let captureId: string;
  let disputeId: string;
  const now = new Date('2026-03-01T01:00:00Z');

  const request = (method: string, route: string, json?: unknown, token = seller) => server.request(method, route, { token, json });
  const purge = (olderThanDays: number, token = shop.ownerToken) => request('POST', '/api/v1/orders/buyer-details/purge', { olderThanDays }, token);
  const search = async (q: string) =>
    ((await (await request('GET', `/api/v1/orders?q=${encodeURIComponent(q)}`)).json()) as { items: { orderId: string }[] }).items.map((item) => item.orderId);

  beforeAll(async () => {
    server = await startServer({}, { clock: () => now });
    shop = await setUpShop(server, 'Asia/Seoul');
    seller = await shop.token('seller');
    packer = (await shop.deviceToken('Station 1 phone')).token;
    const put = await request('PUT', '/api/v1/orders/OLD-1', {
      buyer: { ref: 'B-77', name: OLD_BUYER },
      deliveryNote: '서울시 마포구 101동 202호, 문 앞에 놓아 주세요',
      items: [{ sku: 'MUG', name: 'Mug', quantity: 2, unitWeightGrams: 380 }],
      carrier: 'CJ Logistics',
      trackingNumbers: ['600000000077'],
    });
    expect(put.status).toBe(201);
    const capture = await (await request('POST', '/api/v1/captures', { orderId: 'OLD-1', kind: 'packing', weight: { value: 760, unit: 'g' } }, packer)).json();
    captureId = capture.id;
    const photos = (await (await uploadFiles(server, packer, captureId, [{ name: 'inside.png', bytes: new Uint8Array(fs.readFileSync(fixture('photo.png'))) }])).json()).media;
    expect((await request('POST', `/api/v1/captures/${captureId}/finish`, undefined, packer)).status).toBe(200);
    const dispute = await (await request('POST', '/api/v1/disputes', { orderId: 'OLD-1', reason: 'damaged', counterparty: 'courier' })).json();
    disputeId = dispute.id;
    await request('POST', `/api/v1/disputes/${disputeId}/evidence`, { mediaId: photos[0].id, caption: 'Packed' });

    expect((await request('PUT', '/api/v1/orders/NEW-1', { buyer: { ref: 'B-78', name: NEW_BUYER }, deliveryNote: '경비실' })).status).toBe(201);
    // OLD-1 came in two months ago (moving the clock instead would end every session).
    const db = new Database(path.join(server.dataDir, 'packtrail.sqlite'));
    db.prepare("UPDATE orders SET created_at = ? WHERE external_id = 'OLD-1'").run(new Date(now.getTime() - 60 * DAY).toISOString());
    db.close();
  });
  afterAll(() => server.close());

  it('is the owner’s: a seller or a packer may not purge, and the age is 1 to 3650 days', async () => {
    expect((await purge(30, seller)).status).toBe(403);
    expect((await purge(30, packer)).status).toBe(403);
    for (const olderThanDays of [0, 3651, 1.5]) expect((await purge(olderThanDays)).status, String(olderThanDays)).toBe(400);
    expect(await search(OLD_BUYER)).toEqual(['OLD-1']);
  });

  it('removes the buyer’s name and delivery note from older orders and keeps what evidence needs', async () => {
    const before = await (await request('GET', '/api/v1/orders/OLD-1')).json();
    const response = await purge(30);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ purged: 1 });

    const after = await (await request('GET', '/api/v1/orders/OLD-1')).json();
    expect(after.buyer).toEqual({ ref: 'B-77', flagged: false });
    expect(after).not.toHaveProperty('deliveryNote');
    expect(after).toMatchObject({ orderId: 'OLD-1', items: before.items, trackingNumbers: ['600000000077'], carrier: 'CJ Logistics', expectedWeightGrams: 760 });
    expect(after.captures).toEqual(before.captures);
    expect(after.disputes.map((d: { id: string }) => d.id)).toEqual([disputeId]);

    const newer = await (await request('GET', '/api/v1/orders/NEW-1')).json();
    expect(newer).toMatchObject({ buyer: { ref: 'B-78', name: NEW_BUYER }, deliveryNote: '경비실' });
  });

  it('leaves the name nowhere the search reads, while the order is still found by its ID, tracking number and buyer ref', async () => {
    expect(await search(OLD_BUYER)).toEqual([]);
    expect(await search('민준')).toEqual([]);
    expect(await search(NEW_BUYER)).toEqual(['NEW-1']);
    for (const q of ['OLD-1', '600000000077', 'B-77']) expect(await search(q), q).toEqual(['OLD-1']);
    const db = new Database(path.join(server.dataDir, 'packtrail.sqlite'), { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) FROM order_search WHERE order_search MATCH ?').pluck().get(`"${OLD_BUYER}"`)).toBe(0);
      expect(db.prepare("SELECT count(*) FROM orders WHERE buyer_name IS NOT NULL OR delivery_note IS NOT NULL").pluck().get()).toBe(1);
    } finally {
      db.close();
    }
  });

  it('records the purge in the audit log with its count, and a repeat purges nothing more', async () => {
    expect(await (await purge(30)).json()).toEqual({ purged: 0 });
    const db = new Database(path.join(server.dataDir, 'packtrail.sqlite'), { readonly: true });
    try {
      const events = db.prepare("SELECT actor_type, action, detail FROM audit_events WHERE action = 'buyer_details_purge' ORDER BY seq").all() as {
        actor_type: string;
        detail: string;
      }[];
      expect(events.map((event) => ({ actor: event.actor_type, ...JSON.parse(event.detail) }))).toEqual([
        { actor: 'user', olderThanDays: 30, createdBefore: '2026-01-30T01:00:00.000Z', purged: 1, importPreviewsCleared: 0, importPreviewsDropped: 0 },
        { actor: 'user', olderThanDays: 30, createdBefore: '2026-01-30T01:00:00.000Z', purged: 0, importPreviewsCleared: 0, importPreviewsDropped: 0 },
      ]);
    } finally {
      db.close();
    }
  });

  it('keeps the evidence log true: its capture facts name the order by ID, never the buyer, and a bundle exported now verifies', async () => {
    const proof = await (await request('GET', `/api/v1/captures/${captureId}/proof`)).json();
    expect(proof.entry).toContain('order OLD-1\n');
    expect(proof.entry).not.toContain(OLD_BUYER);

    const response = await request('GET', `/api/v1/disputes/${disputeId}/bundle.zip?lang=en`);
    expect(response.status).toBe(200);
    const dir = tempDir('packtrail-purged-bundle-');
    const zip = path.join(dir, 'bundle.zip');
    fs.writeFileSync(zip, Buffer.from(await response.arrayBuffer()));
    execFileSync('unzip', ['-q', zip, '-d', path.join(dir, 'bundle')]);
    const verify = spawnSync(process.execPath, ['verification/verify.mjs'], { cwd: path.join(dir, 'bundle'), encoding: 'utf8' });
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toContain(`verified  packing capture ${captureId}, order OLD-1`);
    const manifest = fs.readFileSync(path.join(dir, 'bundle', 'manifest.json'), 'utf8');
    expect(manifest).not.toContain(OLD_BUYER);
    const report = execFileSync('pdftotext', ['-layout', path.join(dir, 'bundle', 'report.pdf'), '-'], { encoding: 'utf8' });
    expect(report).not.toContain(OLD_BUYER);
    expect(report).toContain('B-77');
  });
});
