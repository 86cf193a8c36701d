import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { fixture, setUpShop, startServer, uploadFiles, type Shop, type TestServer } from '../helpers/server';

describe('captures', () => {
  let server: TestServer;
  let token: string;
  let shop: Shop;
  beforeAll(async () => {
    server = await startServer();
    shop = await setUpShop(server);
    token = (await shop.deviceToken()).token;
  });
  afterAll(() => server.close());

  const create = (json: unknown, headers: Record<string, string> = {}) => server.request('POST', '/api/v1/captures', { token, json, headers });

  it('stores a weight typed in pounds as grams (2.5 lb → 1133.98 g) and creates an unknown order on first capture', async () => {
    const response = await create({ orderId: 'NEW-ORDER-9', kind: 'packing', weight: { value: 2.5, unit: 'lb' }, station: 'Station 2' });
    expect(response.status).toBe(201);
    const capture = await response.json();
    expect(capture).toMatchObject({ orderId: 'NEW-ORDER-9', kind: 'packing', status: 'open', weightGrams: 1133.98, weight: { value: 2.5, unit: 'lb' }, station: 'Station 2' });
    expect(Date.parse(capture.startedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(capture.recordedBy).toMatchObject({ kind: 'device', name: 'Station 2 phone' });
    const order = await (await server.request('GET', '/api/v1/orders/NEW-ORDER-9', { token })).json();
    expect(order.captures.map((c: { id: string }) => c.id)).toEqual([capture.id]);
  });

  it.each([
    [{ value: 16, unit: 'oz' }, 453.59],
    [{ value: 1.25, unit: 'kg' }, 1250],
    [{ value: 740, unit: 'g' }, 740],
  ])('converts %j to %d g', async (weight, grams) => {
    const capture = await (await create({ orderId: 'UNITS', kind: 'packing', weight })).json();
    expect(capture.weightGrams).toBe(grams);
  });

  it.each([
    [{ value: -1, unit: 'g' }],
    [{ value: 0, unit: 'kg' }],
    [{ value: 'heavy', unit: 'kg' }],
    [{ value: 3, unit: 'stone' }],
    [{ value: 5000, unit: 'kg' }],
    [{ unit: 'g' }],
  ])('refuses the bad weight %j with 400 VALIDATION_FAILED', async (weight) => {
    const response = await create({ orderId: 'BAD-WEIGHT', kind: 'packing', weight });
    expect(response.status).toBe(400);
    expect((await response.json()).code).toBe('VALIDATION_FAILED');
  });

  it('refuses a misspelt field rather than silently losing the weight', async () => {
    const response = await create({ orderId: 'TYPO-1', kind: 'packing', weightGrams: 2310 });
    expect(response.status).toBe(400);
    expect((await response.json()).code).toBe('VALIDATION_FAILED');
  });

  it('refuses an unknown kind and leaves no order behind', async () => {
    const response = await create({ orderId: 'NEVER-CREATED', kind: 'dancing' });
    expect(response.status).toBe(400);
    expect((await server.request('GET', '/api/v1/orders/NEVER-CREATED', { token })).status).toBe(404);
  });

  it('returns the same capture for a retried Idempotency-Key, and 409 when the key is reused for a different request', async () => {
    const body = { orderId: 'IDEM-1', kind: 'packing', note: 'first' };
    const first = await (await create(body, { 'idempotency-key': 'k-123' })).json();
    const retry = await create(body, { 'idempotency-key': 'k-123' });
    expect(retry.status).toBe(201);
    expect((await retry.json()).id).toBe(first.id);
    const order = await (await server.request('GET', '/api/v1/orders/IDEM-1', { token })).json();
    expect(order.captures).toHaveLength(1);
    const misuse = await create({ ...body, note: 'other' }, { 'idempotency-key': 'k-123' });
    expect(misuse.status).toBe(409);
    expect((await misuse.json()).code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('edits a capture until it is finished, and refuses changes after with 409 CAPTURE_FINISHED', async () => {
    const capture = await (await create({ orderId: 'RETURN-1', kind: 'unboxing' })).json();
    const checklist = [
      { item: 'outer_box', result: 'ok' },
      { item: 'protective_film', result: 'issue', note: 'peeled' },
    ];
    const patched = await server.request('PATCH', `/api/v1/captures/${capture.id}`, {
      token,
      json: { checklist, outcome: 'used', weight: { value: 310, unit: 'g' }, trackingNumber: 'RT-555' },
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ checklist, outcome: 'used', weightGrams: 310, trackingNumber: 'RT-555' });

    const cleared = await (await server.request('PATCH', `/api/v1/captures/${capture.id}`, { token, json: { weight: null } })).json();
    expect(cleared).not.toHaveProperty('weightGrams');

    const finished = await server.request('POST', `/api/v1/captures/${capture.id}/finish`, { token });
    expect(finished.status).toBe(200);
    const finishedBody = await finished.json();
    expect(finishedBody.status).toBe('finished');
    const again = await server.request('POST', `/api/v1/captures/${capture.id}/finish`, { token });
    expect((await again.json()).finishedAt).toBe(finishedBody.finishedAt);

    const late = await server.request('PATCH', `/api/v1/captures/${capture.id}`, { token, json: { note: 'too late' } });
    expect(late.status).toBe(409);
    expect((await late.json()).code).toBe('CAPTURE_FINISHED');
    const order = await (await server.request('GET', '/api/v1/orders/RETURN-1', { token })).json();
    expect(order.trackingNumbers).toContain('RT-555');
  });

  it("lets no other phone or packer add to, change or finish a phone's open capture, while the shop's staff may", async () => {
    const capture = await (await create({ orderId: 'OWNED-1', kind: 'packing' })).json();
    const other = (await shop.deviceToken('Station 3 phone')).token;
    const packer = await shop.token('packer');
    const photo = fs.readFileSync(fixture('photo.png'));
    for (const intruder of [other, packer]) {
      const attempts = [
        await server.request('PATCH', `/api/v1/captures/${capture.id}`, { token: intruder, json: { note: 'not mine' } }),
        await uploadFiles(server, intruder, capture.id, [{ name: 'photo.png', bytes: photo }]),
        await server.request('POST', '/api/v1/uploads', {
          token: intruder,
          headers: { 'tus-resumable': '1.0.0', 'upload-length': String(photo.length), 'upload-metadata': `captureId ${Buffer.from(capture.id).toString('base64')}` },
        }),
        await server.request('POST', `/api/v1/captures/${capture.id}/finish`, { token: intruder }),
      ];
      for (const attempt of attempts) expect({ status: attempt.status, code: (await attempt.json()).code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    }
    const untouched = await (await server.request('GET', `/api/v1/captures/${capture.id}`, { token })).json();
    expect(untouched).toMatchObject({ status: 'open', media: [] });
    expect(untouched).not.toHaveProperty('note');

    expect((await uploadFiles(server, token, capture.id, [{ name: 'photo.png', bytes: photo }])).status).toBe(201);
    const seller = await shop.token('seller');
    expect((await server.request('PATCH', `/api/v1/captures/${capture.id}`, { token: seller, json: { note: 'call recording added' } })).status).toBe(200);
    expect((await server.request('POST', `/api/v1/captures/${capture.id}/finish`, { token: seller })).status).toBe(200);
  });

  it('answers 404 for an unknown capture and 400 for a malformed id', async () => {
    expect((await server.request('GET', '/api/v1/captures/00000000-0000-4000-8000-000000000000', { token })).status).toBe(404);
    expect((await server.request('GET', '/api/v1/captures/..%2F..%2Fetc', { token })).status).toBe(400);
  });
});
