// A scanned waybill finds its order: GET /orders/by-tracking/:trackingNumber answers the order holding
// the number (written with or without spaces and hyphens, in either case), 409 with the orders to choose
// from when several do, 404 when none does (and no order is made), 400 for input no waybill holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpShop, startServer, type Shop, type TestServer } from '../helpers/server';

describe('GET /orders/by-tracking/:trackingNumber', () => {
  let server: TestServer;
  let shop: Shop;
  let seller: string;
  let packer: string;
  const lookUp = (trackingNumber: string, token = packer) =>
    server.request('GET', `/api/v1/orders/by-tracking/${encodeURIComponent(trackingNumber)}`, { token });
  const put = async (orderId: string, json: unknown) => {
    const response = await server.request('PUT', `/api/v1/orders/${orderId}`, { token: seller, json });
    expect(response.status, await response.clone().text()).toBeLessThan(300);
  };

  beforeAll(async () => {
    server = await startServer();
    shop = await setUpShop(server);
    seller = await shop.token('seller');
    packer = await shop.token('packer');
    await put('WB-1', {
      buyer: { name: '김민준' },
      carrier: 'CJ Logistics',
      trackingNumbers: ['6012-3456-7891'],
      items: [{ name: 'Mug', quantity: 2, unitWeightGrams: 380 }],
    });
    await put('WB-2', { trackingNumbers: ['1Z 999 AA1 01 2345 6784', 'SECOND-NUMBER'] });
    // A courier reused a number: the older order first, the newer after.
    await put('WB-OLD', { trackingNumbers: ['CJ555000111'] });
    await put('WB-NEW', { trackingNumbers: ['CJ555000111'] });
  });
  afterAll(() => server.close());

  it('answers a packer the order summary, the same fields a search row carries', async () => {
    const response = await lookUp('6012-3456-7891');
    expect(response.status).toBe(200);
    const order = await response.json();
    expect(order).toMatchObject({
      orderId: 'WB-1',
      carrier: 'CJ Logistics',
      trackingNumbers: ['6012-3456-7891'],
      items: [{ name: 'Mug', quantity: 2, unitWeightGrams: 380 }],
      expectedWeightGrams: 760,
    });
    const searched = await (await server.request('GET', '/api/v1/orders?q=WB-1', { token: packer })).json();
    const { latestCapture: _latest, hasDispute: _dispute, ...row } = searched.items[0];
    expect(order).toEqual(row);
  });

  it('answers every signed-in role and a paired phone, and nobody signed out', async () => {
    for (const token of [shop.ownerToken, seller, (await shop.deviceToken()).token]) {
      expect((await lookUp('6012-3456-7891', token)).status).toBe(200);
    }
    const anonymous = await server.request('GET', '/api/v1/orders/by-tracking/601234567891');
    expect(anonymous.status).toBe(401);
  });

  it('finds a number as a barcode holds it, or typed with spaces, hyphens or small letters', async () => {
    for (const code of ['601234567891', '6012 3456 7891', ' 6012-3456-7891 ']) {
      expect(((await (await lookUp(code)).json()) as { orderId: string }).orderId, code).toBe('WB-1');
    }
    for (const code of ['1Z999AA10123456784', '1z999aa10123456784', '1Z-999-AA1-01-2345-6784', 'second number'.replace(' ', '-')]) {
      expect(((await (await lookUp(code)).json()) as { orderId: string }).orderId, code).toBe('WB-2');
    }
  });

  it('finds a number a capture recorded on its order', async () => {
    const capture = await server.request('POST', '/api/v1/captures', {
      token: packer,
      json: { orderId: 'WB-3', kind: 'packing', trackingNumber: '5566-7788' },
    });
    expect(capture.status).toBe(201);
    expect(((await (await lookUp('55667788')).json()) as { orderId: string }).orderId).toBe('WB-3');
  });

  it('answers 409 AMBIGUOUS_TRACKING_NUMBER naming every order that holds the number, newest first', async () => {
    const response = await lookUp('CJ555000111');
    expect(response.status).toBe(409);
    const body = await response.json();
    expect(body).toMatchObject({ statusCode: 409, code: 'AMBIGUOUS_TRACKING_NUMBER', error: 'Conflict', orderIds: ['WB-NEW', 'WB-OLD'] });
    expect(body.message).toContain('WB-NEW');
    // Still both after the older one changes: nothing but the packer picks.
    await put('WB-OLD', { carrier: 'CJ Logistics' });
    expect((await (await lookUp('cj555000111')).json()).orderIds).toEqual(['WB-NEW', 'WB-OLD']);
  });

  it('counts two spellings of one number as the same number, and one order holding both as one', async () => {
    await put('DUP-1', { trackingNumbers: ['AB-12 34'] });
    await put('DUP-2', { trackingNumbers: ['ab1234'] });
    const response = await lookUp('AB1234');
    expect(response.status).toBe(409);
    expect((await response.json()).orderIds).toEqual(['DUP-2', 'DUP-1']);
    await put('DUP-3', { trackingNumbers: ['ZZ-99', 'zz99'] });
    expect(((await (await lookUp('ZZ99')).json()) as { orderId: string }).orderId).toBe('DUP-3');
  });

  it('lists the 409 and its orderIds in the OpenAPI document', async () => {
    const spec = await (await fetch(`${server.url}/docs/json`)).json();
    const conflict = spec.paths['/api/v1/orders/by-tracking/{trackingNumber}'].get.responses['409'];
    expect(JSON.stringify(conflict)).toContain('orderIds');
  });

  it('answers 404 NOT_FOUND for a number no order holds, and makes no order', async () => {
    const response = await lookUp('9999-0000-1111');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    // A fragment of a number is not the number.
    expect((await lookUp('60123456789')).status).toBe(404);
    expect((await server.request('GET', '/api/v1/orders/9999-0000-1111', { token: packer })).status).toBe(404);
    const search = await (await server.request('GET', '/api/v1/orders?q=9999-0000-1111', { token: seller })).json();
    expect(search.items).toEqual([]);
  });

  it.each([
    // As they arrive in the address, percent-encoded.
    ['a NUL', '6012%003456'],
    ['a bell', '%07'],
    ['a lone surrogate in bytes UTF-8 cannot hold', '6012%ED%A0%803456'],
    ['bytes that are not UTF-8', '%FF%FE'],
    ['only hyphens and spaces', '-%20-%20-'],
    ['more than a waybill holds', '7'.repeat(65)],
    ['a line break', '6012%0A3456'],
  ])('refuses %s with 400 VALIDATION_FAILED', async (_what, encoded) => {
    const response = await server.request('GET', `/api/v1/orders/by-tracking/${encoded}`, { token: packer });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
  });

  it('treats characters SQL or a path would care about as plain text', async () => {
    for (const code of ["' OR 1=1 --", '%', '_', '../WB-1', '*']) {
      const response = await lookUp(code);
      expect(response.status, code).toBe(404);
    }
  });
});
