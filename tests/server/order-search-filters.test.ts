// Search results carry what a result row shows (latest capture, thumbnail, weight verdict, dispute), and
// filters narrow them in SQL: dates in the shop's time zone, station, kind, weight warnings, disputes.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, setUpShop, startServer, uploadFiles, type TestServer } from '../helpers/server';

interface Item {
  orderId: string;
  hasDispute: boolean;
  latestCapture?: {
    id: string;
    kind: string;
    station?: string;
    startedAt: string;
    thumbnailMediaId?: string;
    weightCheck?: { verdict: string; measuredGrams?: number; expectedGrams?: number; differenceGrams?: number; tolerancePercent: number };
  };
}
interface Page {
  items: Item[];
  nextCursor: string | null;
}

const napkins = [{ name: 'Linen napkins, dozen', quantity: 4, unitWeightGrams: 570 }];

describe('order search results and filters', () => {
  let server: TestServer;
  let token: string;
  let now = new Date('2026-05-01T00:00:00Z');
  let photoId: string;
  const request = (method: string, route: string, json?: unknown) => server.request(method, route, { token, json });
  const put = async (orderId: string, json: unknown) => expect((await request('PUT', `/api/v1/orders/${orderId}`, json)).status).toBeLessThan(300);
  const capture = async (at: string, json: Record<string, unknown>): Promise<string> => {
    now = new Date(at);
    const response = await request('POST', '/api/v1/captures', json);
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };
  const search = async (query: string): Promise<Page> => {
    const response = await request('GET', `/api/v1/orders?${query}`);
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as Page;
  };
  const ids = async (query: string) => (await search(query)).items.map((item) => item.orderId);
  const item = async (query: string, orderId: string) => (await search(query)).items.find((entry) => entry.orderId === orderId);

  beforeAll(async () => {
    server = await startServer({}, { clock: () => now });
    token = await (await setUpShop(server, 'Asia/Seoul')).token('seller');
    await put('FLT-A', { items: napkins, buyer: { name: '김민준' } });
    await put('FLT-B', { items: napkins });
    await put('FLT-C', { items: [{ name: 'Tea', quantity: 1 }] });
    await put('FLT-D', {});
    await put('FLT-E', { items: napkins });
    // 23:30 on 1 May in Seoul; a photo of the packing.
    const a = await capture('2026-05-01T14:30:00Z', { orderId: 'FLT-A', kind: 'packing', station: '2', weight: { value: 2310, unit: 'g' } });
    const upload = await uploadFiles(server, token, a, [{ name: 'packing.png', bytes: new Uint8Array(fs.readFileSync(fixture('photo.png'))), type: 'image/png' }]);
    expect(upload.status).toBe(201);
    photoId = ((await upload.json()) as { media: { id: string }[] }).media[0].id;
    // 00:30 on 2 May in Seoul (still 1 May in UTC); light by one dozen napkins, and disputed.
    await capture('2026-05-01T15:30:00Z', { orderId: 'FLT-B', kind: 'packing', station: '1', weight: { value: 1.71, unit: 'kg' } });
    expect((await request('POST', '/api/v1/disputes', { orderId: 'FLT-B', reason: 'item_missing', counterparty: 'buyer' })).status).toBe(201);
    // 01:00 on 3 May in Seoul: a return, weighed, but the order's items have no weights to compare with.
    await capture('2026-05-02T16:00:00Z', { orderId: 'FLT-C', kind: 'unboxing', station: '2', weight: { value: 800, unit: 'g' } });
    // Packed at station 1, then handed over.
    await capture('2026-05-03T01:00:00Z', { orderId: 'FLT-E', kind: 'packing', station: '1', weight: { value: 2300, unit: 'g' } });
    await capture('2026-05-03T02:00:00Z', { orderId: 'FLT-E', kind: 'handover', station: '1' });
  });
  afterAll(() => server.close());

  it('shows each result’s latest capture with its kind, station, time, thumbnail and weight verdict, and whether it has a dispute', async () => {
    const page = await search('q=FLT');
    expect(page.items.map((entry) => entry.orderId)).toEqual(['FLT-E', 'FLT-D', 'FLT-C', 'FLT-B', 'FLT-A']);
    const [e, d, c, b, a] = page.items;
    expect(a).toMatchObject({
      hasDispute: false,
      latestCapture: {
        kind: 'packing',
        station: '2',
        startedAt: '2026-05-01T14:30:00.000Z',
        thumbnailMediaId: photoId,
        weightCheck: { verdict: 'ok', measuredGrams: 2310, expectedGrams: 2280, differenceGrams: 30, tolerancePercent: 5 },
      },
    });
    expect(b).toMatchObject({ hasDispute: true, latestCapture: { kind: 'packing', weightCheck: { verdict: 'light', differenceGrams: -570 } } });
    expect(b.latestCapture?.thumbnailMediaId).toBeUndefined();
    expect(c.latestCapture).toMatchObject({ kind: 'unboxing', weightCheck: { verdict: 'unknown', measuredGrams: 800 } });
    expect(d).toEqual(expect.objectContaining({ hasDispute: false }));
    expect(d.latestCapture).toBeUndefined();
    expect(e.latestCapture).toMatchObject({ kind: 'handover', station: '1' });
    expect(e.latestCapture?.weightCheck).toBeUndefined();
    // The same fields without a term, on the recent list.
    expect((await search('')).items.find((entry) => entry.orderId === 'FLT-A')).toEqual(a);
  });

  it('puts the same weight verdict on the capture as the order page shows it', async () => {
    const order = (await (await request('GET', '/api/v1/orders/FLT-B')).json()) as { captures: { weightCheck?: unknown }[] };
    expect(order.captures[0].weightCheck).toEqual({ verdict: 'light', measuredGrams: 1710, expectedGrams: 2280, differenceGrams: -570, tolerancePercent: 5, against: 'expected' });
  });

  it('filters by days in the shop’s time zone, both ends included', async () => {
    expect(await ids('from=2026-05-01&to=2026-05-01')).toEqual(['FLT-A']);
    expect(await ids('from=2026-05-02&to=2026-05-02')).toEqual(['FLT-B']);
    expect(await ids('from=2026-05-02')).toEqual(['FLT-E', 'FLT-C', 'FLT-B']);
    expect(await ids('to=2026-05-02')).toEqual(['FLT-B', 'FLT-A']);
    expect(await ids('from=2026-05-04')).toEqual([]);
  });

  it('filters by station and by kind, and shows the capture that matched', async () => {
    expect(await ids('station=2')).toEqual(['FLT-C', 'FLT-A']);
    expect(await ids('kind=unboxing')).toEqual(['FLT-C']);
    expect(await ids('kind=packing')).toEqual(['FLT-E', 'FLT-B', 'FLT-A']);
    expect((await item('kind=packing', 'FLT-E'))?.latestCapture).toMatchObject({ kind: 'packing', weightCheck: { verdict: 'ok' } });
    expect(await ids('kind=packing&station=2')).toEqual(['FLT-A']);
    expect(await ids('kind=handover&station=2')).toEqual([]);
  });

  it('keeps only weight warnings, or only orders with a dispute', async () => {
    expect(await ids('weightWarnings=true')).toEqual(['FLT-B']);
    expect(await ids('hasDispute=true')).toEqual(['FLT-B']);
    expect(await ids('weightWarnings=false&hasDispute=false')).toHaveLength(5);
  });

  it('combines filters with a term, exact and fragment matches alike', async () => {
    expect(await ids('q=FLT-B&weightWarnings=true')).toEqual(['FLT-B']);
    expect(await ids('q=FLT-A&weightWarnings=true')).toEqual([]);
    expect(await ids('q=FLT&station=2&kind=packing')).toEqual(['FLT-A']);
    expect(await ids(`q=${encodeURIComponent('민준')}&from=2026-05-01&to=2026-05-01`)).toEqual(['FLT-A']);
    expect(await ids(`q=${encodeURIComponent('민준')}&from=2026-05-02`)).toEqual([]);
  });

  it('pages through filtered results without short pages', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await search(`station=1&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items).toHaveLength(1);
      seen.push(...page.items.map((entry) => entry.orderId));
      cursor = page.nextCursor;
    } while (cursor && seen.length < 10);
    expect(seen).toEqual(['FLT-E', 'FLT-B']);
  });

  it('flags in SQL exactly the weights the verdict calls light or heavy', async () => {
    // Around the 5 % edges of 2,280 g (114 g).
    const weights = [2166, 2165.9, 2394, 2394.1, 2280];
    for (const [index, grams] of weights.entries()) {
      await put(`EDGE-${index}`, { items: napkins });
      await capture(`2026-05-03T0${3 + index}:00:00Z`, { orderId: `EDGE-${index}`, kind: 'packing', station: 'edge', weight: { value: grams, unit: 'g' } });
    }
    const all = await search('station=edge');
    const warned = all.items.filter((entry) => entry.latestCapture?.weightCheck?.verdict !== 'ok').map((entry) => entry.orderId);
    expect(warned).toEqual(['EDGE-3', 'EDGE-1']);
    expect(await ids('station=edge&weightWarnings=true')).toEqual(warned);
  });

  it.each([
    'from=2026-13-01',
    'from=2026-02-30',
    'to=yesterday',
    'from=2026-05-03&to=2026-05-01',
    'kind=box',
    'station=',
    'weightWarnings=maybe',
    'hasDispute=2',
  ])('refuses %s with VALIDATION_FAILED', async (query) => {
    const response = await request('GET', `/api/v1/orders?${query}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
  });
});
