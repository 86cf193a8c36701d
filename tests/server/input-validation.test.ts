// What the API takes from a request: finite numbers, JSON of the declared types, well-formed text, named fields.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpShop, startServer, type TestServer } from '../helpers/server';

describe('input validation', () => {
  let server: TestServer;
  let owner: string;
  let disputeId: string;
  let captureId: string;

  /** Sends the text exactly as written, so literals JSON.stringify cannot produce (1e400) reach the server. */
  const send = (method: string, route: string, rawJson: string) =>
    server.request(method, route, { token: owner, body: rawJson, headers: { 'content-type': 'application/json' } });

  async function expectRefused(response: Response) {
    const body = await response.json();
    expect({ status: response.status, code: body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(Object.keys(body)).toEqual(expect.arrayContaining(['statusCode', 'code', 'error', 'message']));
  }

  async function expectOrdersStillReadable() {
    const list = await server.request('GET', '/api/v1/orders', { token: owner });
    expect(list.status).toBe(200);
    for (const { orderId } of (await list.json()).items) {
      expect((await server.request('GET', `/api/v1/orders/${encodeURIComponent(orderId)}`, { token: owner })).status).toBe(200);
    }
  }

  beforeAll(async () => {
    server = await startServer();
    owner = (await setUpShop(server)).ownerToken;
    await server.request('PUT', '/api/v1/orders/BASE-1', { token: owner, json: { items: [{ name: 'Mug', quantity: 1 }] } });
    const dispute = await server.request('POST', '/api/v1/disputes', { token: owner, json: { orderId: 'BASE-1', reason: 'damaged', counterparty: 'buyer' } });
    disputeId = (await dispute.json()).id;
    const capture = await server.request('POST', '/api/v1/captures', { token: owner, json: { orderId: 'BASE-1', kind: 'packing' } });
    captureId = (await capture.json()).id;
  });
  afterAll(() => server.close());

  describe('non-finite numbers', () => {
    const nonFinite = ['"Infinity"', '"-Infinity"', '"1e400"', '1e400', '-1e400', '"NaN"'];
    const places: [string, string, (value: string) => string][] = [
      ['an item quantity', 'PUT /api/v1/orders/INF-1', (v) => `{"items":[{"name":"x","quantity":${v}}]}`],
      ['an item weight', 'PUT /api/v1/orders/INF-2', (v) => `{"items":[{"name":"x","quantity":1,"unitWeightGrams":${v}}]}`],
      ['an item value', 'PUT /api/v1/orders/INF-3', (v) => `{"items":[{"name":"x","quantity":1,"unitValue":${v}}]}`],
      ['a declared value', 'PUT /api/v1/orders/INF-4', (v) => `{"declaredValue":{"amount":${v},"currency":"KRW"}}`],
      ['a dispute amount', 'POST /api/v1/disputes', (v) => `{"orderId":"BASE-1","reason":"damaged","counterparty":"buyer","amount":{"value":${v},"currency":"KRW"}}`],
      ['a capture weight', 'POST /api/v1/captures', (v) => `{"orderId":"INF-5","kind":"packing","weight":{"value":${v},"unit":"g"}}`],
    ];

    it.each(places)('refuses a non-finite number as %s, and every order stays readable', async (_place, request, body) => {
      const [method, route] = request.split(' ');
      for (const value of nonFinite) await expectRefused(await send(method, route, body(value)));
      await expectOrdersStillReadable();
      expect((await server.request('GET', '/api/v1/orders/INF-1', { token: owner })).status).toBe(404);
    });

    it('refuses a non-finite number in a dispute update and in a capture update', async () => {
      await expectRefused(await send('PATCH', `/api/v1/disputes/${disputeId}`, '{"amount":{"value":"Infinity","currency":"KRW"}}'));
      await expectRefused(await send('PATCH', `/api/v1/captures/${captureId}`, '{"weight":{"value":"1e400","unit":"kg"}}'));
      expect((await server.request('GET', `/api/v1/disputes/${disputeId}`, { token: owner })).status).toBe(200);
    });

    it('refuses Infinity and 1e400 in query strings, and still reads plain numbers there', async () => {
      for (const query of ['limit=Infinity', 'limit=1e400', 'limit=-Infinity', 'limit=NaN']) {
        await expectRefused(await server.request('GET', `/api/v1/orders?${query}`, { token: owner }));
      }
      for (const query of ['from=1&to=Infinity', 'from=1e400&to=2']) {
        await expectRefused(await server.request('GET', `/api/v1/ledger/consistency?${query}`));
      }
      const plain = await server.request('GET', '/api/v1/orders?limit=1', { token: owner });
      expect(plain.status).toBe(200);
      expect((await plain.json()).items).toHaveLength(1);
    });
  });

  describe('JSON bodies are taken as typed', () => {
    it('refuses a number where text belongs, a boolean where a number belongs and null where a value belongs', async () => {
      await expectRefused(await send('POST', '/api/v1/devices', '{"name":123}'));
      await expectRefused(await send('POST', '/api/v1/devices', '{"name":null}'));
      await expectRefused(await send('POST', `/api/v1/disputes/${disputeId}/shares`, '{"expiresInHours":true}'));
      await expectRefused(await send('POST', `/api/v1/disputes/${disputeId}/shares`, '{"expiresInHours":"24"}'));
      await expectRefused(await send('PUT', '/api/v1/orders/TYPES-1', '{"items":[{"name":"x","quantity":"2"}]}'));
      await expectRefused(await send('PUT', '/api/v1/orders/TYPES-1', '{"buyer":{"flagged":"true"}}'));
      await expectRefused(await send('PUT', '/api/v1/orders/TYPES-1', '{"channel":null}'));
      await expectRefused(await send('PUT', '/api/v1/orders/TYPES-1', '{"trackingNumbers":"6012345678901"}'));
      expect((await server.request('GET', '/api/v1/orders/TYPES-1', { token: owner })).status).toBe(404);
      const devices = await (await server.request('GET', '/api/v1/devices', { token: owner })).json();
      expect(devices.items).toEqual([]);
      expect((await (await server.request('GET', `/api/v1/disputes/${disputeId}/shares`, { token: owner })).json()).items).toEqual([]);
    });

    it('still clears a field with null where the API says null clears it', async () => {
      const response = await send('PATCH', `/api/v1/captures/${captureId}`, '{"note":null,"weight":null}');
      expect(response.status).toBe(200);
    });
  });

  describe('text', () => {
    // A path cannot carry one: its percent-encoding is not UTF-8 (see input-errors.test.ts).
    it('refuses a lone surrogate in an order ID in a body, and keeps the order list readable', async () => {
      await expectRefused(await send('POST', '/api/v1/captures', '{"orderId":"SUR\\ud800","kind":"packing"}'));
      await expectRefused(await send('POST', '/api/v1/captures', '{"orderId":"\\udfff","kind":"packing"}'));
      await expectRefused(await send('POST', '/api/v1/disputes', '{"orderId":"\\ud800","reason":"damaged","counterparty":"buyer"}'));
      await expectOrdersStillReadable();
    });

    it('refuses lone surrogates and control characters in names and notes, and keeps emoji, Hangul and line breaks', async () => {
      for (const body of [
        '{"channel":"shop\\ud800"}',
        '{"buyer":{"name":"\\udc00Kim"}}',
        '{"items":[{"name":"Mug\\u0000","quantity":1}]}',
        '{"carrier":"CJ\\nLogistics"}',
        '{"deliveryNote":"ring \\u001b[31m twice"}',
        '{"deliveryNote":"\\ud83d alone"}',
      ]) {
        await expectRefused(await send('PUT', '/api/v1/orders/TEXT-1', body));
      }
      await expectRefused(await send('POST', '/api/v1/devices', '{"name":"phone\\u0007"}'));
      await expectRefused(await send('PATCH', `/api/v1/disputes/${disputeId}`, '{"note":"\\ud800"}'));
      await expectRefused(await send('PATCH', `/api/v1/captures/${captureId}`, '{"station":"Station\\t2"}'));

      const accepted = await send('PUT', '/api/v1/orders/TEXT-1', '{"buyer":{"name":"김민준 😀"},"deliveryNote":"Leave at the door.\\r\\nRing\\ttwice."}');
      expect(accepted.status).toBe(201);
      expect(await accepted.json()).toMatchObject({ buyer: { name: '김민준 😀' }, deliveryNote: 'Leave at the door.\r\nRing\ttwice.' });
    });
  });

  describe('fields', () => {
    it('refuses unknown fields, __proto__ and constructor in every body, nested objects included', async () => {
      await expectRefused(await send('POST', '/api/v1/devices', '{"name":"Phone","constructor":{"prototype":{"admin":true}}}'));
      await expectRefused(await send('POST', '/api/v1/devices', '{"name":"Phone","__proto__":{"admin":true}}'));
      await expectRefused(await send('POST', '/api/v1/devices', '{"name":"Phone","constructor":1}'));
      await expectRefused(await send('PUT', '/api/v1/orders/PROTO-1', '{"buyer":{"ref":"b1","isAdmin":true}}'));
      await expectRefused(await send('PUT', '/api/v1/orders/PROTO-1', '{"items":[{"name":"x","quantity":1,"constructor":1}]}'));
      await expectRefused(await send('PUT', '/api/v1/orders/PROTO-1', '{"declaredValue":{"amount":1,"currency":"KRW","extra":1}}'));
      await expectRefused(await send('PATCH', `/api/v1/captures/${captureId}`, '{"weight":{"value":1,"unit":"g","grams":1}}'));
      await expectRefused(await send('POST', '/api/v1/sessions', '{"email":"owner@example.com","password":"correct horse battery","remember":true}'));
      expect((await server.request('GET', '/api/v1/orders/PROTO-1', { token: owner })).status).toBe(404);
    });

    it('refuses a JSON body that is not UTF-8 instead of storing its bytes as U+FFFD', async () => {
      const latin1 = Buffer.concat([Buffer.from('{"orderId":"CAF'), Buffer.from([0xe9]), Buffer.from('-1","kind":"packing"}')]);
      const response = await server.request('POST', '/api/v1/captures', {
        token: owner,
        body: new Uint8Array(latin1),
        headers: { 'content-type': 'application/json; charset=latin1' },
      });
      await expectRefused(response);
      expect((await server.request('GET', `/api/v1/orders/${encodeURIComponent('CAF\uFFFD-1')}`, { token: owner })).status).toBe(404);
    });

    it('refuses a text/plain body with 415, as a form on another site would send it', async () => {
      const capture = await server.request('POST', '/api/v1/captures', { token: owner, json: { orderId: 'BASE-1', kind: 'packing' } });
      const id = (await capture.json()).id;
      const plain = await server.request('POST', `/api/v1/captures/${id}/finish`, { token: owner, body: '{}', headers: { 'content-type': 'text/plain' } });
      expect({ status: plain.status, code: (await plain.json()).code }).toEqual({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
      expect((await (await server.request('GET', `/api/v1/captures/${id}`, { token: owner })).json()).finishedAt).toBeUndefined();
      expect((await server.request('POST', `/api/v1/captures/${id}/finish`, { token: owner })).status).toBe(200);
    });

    it('ignores prototype keys in a query string without failing', async () => {
      const response = await server.request('GET', '/api/v1/orders?__proto__=1&constructor=2&q=BASE', { token: owner });
      expect(response.status).toBe(200);
      expect((await response.json()).items.map((order: { orderId: string }) => order.orderId)).toEqual(['BASE-1']);
    });

    it('refuses numbers in query strings beyond what is exact', async () => {
      await expectRefused(await server.request('GET', '/api/v1/ledger/consistency?from=1&to=1e300'));
    });
  });
});
