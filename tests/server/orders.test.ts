import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpShop, startServer, type TestServer } from '../helpers/server';

describe('orders', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startServer();
    token = await (await setUpShop(server)).token('seller');
  });
  afterAll(() => server.close());

  it('creates an order with 201, updates it with 200, and computes the expected weight from the items', async () => {
    const order = {
      channel: 'coupang',
      buyer: { ref: 'buyer-77', name: '김민준' },
      items: [
        { sku: 'NAP-12', name: 'Linen napkins, dozen', quantity: 4, unitWeightGrams: 570, unitValue: 12.5 },
      ],
      carrier: 'CJ Logistics',
      trackingNumbers: ['6012345678901'],
      deliveryNote: 'Leave at the door',
      declaredValue: { amount: 50000, currency: 'KRW' },
    };
    const created = await server.request('PUT', '/api/v1/orders/NAP-2026-0001', { token, json: order });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ orderId: 'NAP-2026-0001', expectedWeightGrams: 2280, buyer: { name: '김민준', flagged: false } });

    const updated = await server.request('PUT', '/api/v1/orders/NAP-2026-0001', { token, json: { buyer: { ref: 'buyer-77', flagged: true, flagReason: 'claimed missing items twice' } } });
    expect(updated.status).toBe(200);
    const body = await updated.json();
    expect(body.buyer).toEqual({ ref: 'buyer-77', name: '김민준', flagged: true, flagReason: 'claimed missing items twice' });
    expect(body.carrier).toBe('CJ Logistics');

    const fetched = await (await server.request('GET', '/api/v1/orders/NAP-2026-0001', { token })).json();
    expect(fetched).toMatchObject({ orderId: 'NAP-2026-0001', expectedWeightGrams: 2280, captures: [], disputes: [], trackingNumbers: ['6012345678901'] });
  });

  it('carries a buyer flag to the same buyer’s next order', async () => {
    await server.request('PUT', '/api/v1/orders/NEXT-1', { token, json: { buyer: { ref: 'buyer-77' } } });
    const next = await (await server.request('GET', '/api/v1/orders/NEXT-1', { token })).json();
    expect(next.buyer.flagged).toBe(true);
  });

  it('leaves out the expected weight when an item has no weight', async () => {
    const created = await server.request('PUT', '/api/v1/orders/PARTIAL-1', {
      token,
      json: { items: [{ name: 'A', quantity: 1, unitWeightGrams: 100 }, { name: 'B', quantity: 1 }] },
    });
    expect(await created.json()).not.toHaveProperty('expectedWeightGrams');
  });

  it('answers 404 NOT_FOUND for an unknown order and 400 for an ID with control characters or over 128 characters', async () => {
    const missing = await server.request('GET', '/api/v1/orders/NOPE', { token });
    expect(missing.status).toBe(404);
    expect((await missing.json()).code).toBe('NOT_FOUND');
    for (const id of ['bad%0Aid', 'x'.repeat(129), 'ORD%C2%85X', 'ORD%E2%80%AEX', '%20', '%20ORD-1']) {
      const response = await server.request('PUT', `/api/v1/orders/${id}`, { token, json: {} });
      expect(response.status).toBe(400);
      expect((await response.json()).code).toBe('VALIDATION_FAILED');
    }
  });

  it('stores times as UTC, refuses a time no calendar has, and refuses unknown fields instead of dropping them', async () => {
    const stored = await (await server.request('PUT', '/api/v1/orders/TIMES-1', { token, json: { deliveredAt: '2026-12-31T10:00:00+09:00' } })).json();
    expect(stored.deliveredAt).toBe('2026-12-31T01:00:00.000Z');
    const leap = await server.request('PUT', '/api/v1/orders/TIMES-1', { token, json: { shippedAt: '2026-12-31T23:59:60Z' } });
    expect(leap.status).toBe(400);
    expect((await leap.json()).code).toBe('VALIDATION_FAILED');
    const typo = await server.request('PUT', '/api/v1/orders/TIMES-1', { token, json: { trackingNumber: '123' } });
    expect(typo.status).toBe(400);
  });

  it('rejects malformed order bodies with VALIDATION_FAILED and changes nothing', async () => {
    for (const json of [
      { items: [{ name: 'A', quantity: 0 }] },
      { items: [{ name: 'A', quantity: 1, unitWeightGrams: -5 }] },
      { declaredValue: { amount: 10, currency: 'won' } },
      { trackingNumbers: 'not-a-list' },
    ]) {
      const response = await server.request('PUT', '/api/v1/orders/BAD-BODY', { token, json });
      expect(response.status).toBe(400);
    }
    expect((await server.request('GET', '/api/v1/orders/BAD-BODY', { token })).status).toBe(404);
  });

  it('finds orders by order ID, tracking number and buyer, a page at a time', async () => {
    for (let i = 1; i <= 5; i++) {
      await server.request('PUT', `/api/v1/orders/SEARCH-${i}`, {
        token,
        json: { buyer: { name: i === 3 ? '陳小明' : `Buyer ${i}` }, trackingNumbers: [`1Z999AA1012345678${i}`] },
      });
    }
    const byId = await (await server.request('GET', '/api/v1/orders?q=SEARCH-&limit=2', { token })).json();
    expect(byId.items.map((o: { orderId: string }) => o.orderId)).toEqual(['SEARCH-5', 'SEARCH-4']);
    const page2 = await (await server.request('GET', `/api/v1/orders?q=SEARCH-&limit=2&cursor=${byId.nextCursor}`, { token })).json();
    expect(page2.items.map((o: { orderId: string }) => o.orderId)).toEqual(['SEARCH-3', 'SEARCH-2']);
    const page3 = await (await server.request('GET', `/api/v1/orders?q=SEARCH-&limit=2&cursor=${page2.nextCursor}`, { token })).json();
    expect(page3.items.map((o: { orderId: string }) => o.orderId)).toEqual(['SEARCH-1']);
    expect(page3.nextCursor).toBeNull();

    const byTracking = await (await server.request('GET', '/api/v1/orders?q=1Z999AA10123456784', { token })).json();
    expect(byTracking.items.map((o: { orderId: string }) => o.orderId)).toEqual(['SEARCH-4']);
    const byBuyer = await (await server.request('GET', `/api/v1/orders?q=${encodeURIComponent('陳小明')}`, { token })).json();
    expect(byBuyer.items.map((o: { orderId: string }) => o.orderId)).toEqual(['SEARCH-3']);
    const wildcard = await (await server.request('GET', '/api/v1/orders?q=%25', { token })).json();
    expect(wildcard.items).toEqual([]);
    const badCursor = await server.request('GET', '/api/v1/orders?cursor=garbage!', { token });
    expect(badCursor.status).toBe(400);
  });
});
