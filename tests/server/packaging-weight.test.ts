// Expected weights count the box: the shop's default packaging weight and tolerance, an order's own
// packaging weight, the verdict at the tolerance's edges (the same in the search's SQL, on the home page
// and on the capture), a return held to what was shipped, and the sentences the reports print.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, setUpShop, startServer, tempDir, uploadFiles, type Shop, type TestServer } from '../helpers/server';

interface WeightCheck {
  verdict: string;
  measuredGrams?: number;
  expectedGrams?: number;
  differenceGrams?: number;
  tolerancePercent: number;
  against: string;
}
interface Order {
  orderId: string;
  packagingWeightGrams?: number;
  expectedWeightGrams?: number;
  expectedWeightParts?: { itemsGrams: number; packagingGrams: number; packagingFrom: string };
  captures: { id: string; kind: string; weightCheck?: WeightCheck }[];
}

// The parcel: 2 × 380 g + 60 g of items.
const mugsAndCoaster = [
  { name: 'Mug', quantity: 2, unitWeightGrams: 380 },
  { name: 'Coaster', quantity: 1, unitWeightGrams: 60 },
];

describe('packaging in the expected weight, and the shop’s tolerance', () => {
  let server: TestServer;
  let shop: Shop;
  let seller: string;
  let now = new Date('2026-06-01T01:00:00Z');
  let minute = 0;

  const request = (method: string, route: string, json?: unknown, token = seller) => server.request(method, route, { token, json });
  const patchShop = (json: unknown, token = shop.ownerToken) => request('PATCH', '/api/v1/shop', json, token);
  const put = async (orderId: string, json: unknown): Promise<Order> => {
    const response = await request('PUT', `/api/v1/orders/${orderId}`, json);
    expect(response.status, await response.clone().text()).toBeLessThan(300);
    return (await response.json()) as Order;
  };
  const order = async (orderId: string): Promise<Order> => (await (await request('GET', `/api/v1/orders/${orderId}`)).json()) as Order;
  /** A finished capture, each a minute after the last, so "before" and "after" are plain. */
  const weigh = async (orderId: string, kind: string, grams: number, station = 'scale'): Promise<{ id: string; weightCheck: WeightCheck }> => {
    now = new Date(Date.parse('2026-06-01T01:00:00Z') + ++minute * 60_000);
    const response = await request('POST', '/api/v1/captures', { orderId, kind, station, weight: { value: grams, unit: 'g' } });
    expect(response.status, await response.clone().text()).toBe(201);
    const capture = (await response.json()) as { id: string; weightCheck: WeightCheck };
    await request('POST', `/api/v1/captures/${capture.id}/finish`);
    return capture;
  };
  const warnedInSearch = async (station: string): Promise<string[]> => {
    const response = await request('GET', `/api/v1/orders?station=${station}&weightWarnings=true&limit=200`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: { orderId: string }[] }).items.map((item) => item.orderId).sort();
  };
  const overviewWarnings = async () =>
    ((await (await request('GET', '/api/v1/overview')).json()) as {
      weightWarnings: { items: { orderId: string; kind: string; expectedGrams: number; verdict: string; against: string }[] };
    }).weightWarnings.items;

  beforeAll(async () => {
    server = await startServer({}, { clock: () => now });
    shop = await setUpShop(server, 'Asia/Seoul');
    seller = await shop.token('seller');
  });
  afterAll(() => server.close());

  it('starts with no packaging counted and a 5 % tolerance, so orders weigh what they weighed before', async () => {
    expect(await (await request('GET', '/api/v1/shop')).json()).toMatchObject({ packagingWeightGrams: 0, weightTolerancePercent: 5 });
    const packer = await shop.token('packer');
    const me = await (await request('GET', '/api/v1/me', undefined, packer)).json();
    // The packer's phone checks weights as the server does: the tolerance reaches it through /me.
    expect(me.shop).toMatchObject({ packagingWeightGrams: 0, weightTolerancePercent: 5 });
    const created = await put('PKG-1', { items: mugsAndCoaster });
    expect(created.expectedWeightGrams).toBe(820);
    expect(created.expectedWeightParts).toEqual({ itemsGrams: 820, packagingGrams: 0, packagingFrom: 'shop' });
    expect(created.packagingWeightGrams).toBeUndefined();
  });

  it('counts the shop’s default packaging in every order that gives none, as soon as the owner sets it', async () => {
    const answer = await patchShop({ packagingWeightGrams: 150 });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ packagingWeightGrams: 150, weightTolerancePercent: 5 });
    const stored = await order('PKG-1');
    expect(stored.expectedWeightGrams).toBe(970);
    expect(stored.expectedWeightParts).toEqual({ itemsGrams: 820, packagingGrams: 150, packagingFrom: 'shop' });
    // The search's rows carry the same figure.
    const found = (await (await request('GET', '/api/v1/orders?q=PKG-1')).json()) as { items: Order[] };
    expect(found.items[0]).toMatchObject({ orderId: 'PKG-1', expectedWeightGrams: 970 });
  });

  it('lets an order give its own packaging weight, keeps it through other changes, and hands it back to the default with null', async () => {
    expect(await put('PKG-1', { packagingWeightGrams: 40 })).toMatchObject({
      packagingWeightGrams: 40,
      expectedWeightGrams: 860,
      expectedWeightParts: { itemsGrams: 820, packagingGrams: 40, packagingFrom: 'order' },
    });
    // An item-only update keeps the order's own packaging.
    expect(await put('PKG-1', { items: [...mugsAndCoaster, { name: 'Card', quantity: 1, unitWeightGrams: 5 }] })).toMatchObject({
      packagingWeightGrams: 40,
      expectedWeightGrams: 865,
    });
    // A parcel shipped in the item's own box: no packaging at all, whatever the shop's default.
    expect(await put('PKG-1', { packagingWeightGrams: 0 })).toMatchObject({ packagingWeightGrams: 0, expectedWeightGrams: 825 });
    const back = await put('PKG-1', { packagingWeightGrams: null });
    expect(back.packagingWeightGrams).toBeUndefined();
    expect(back).toMatchObject({ expectedWeightGrams: 975, expectedWeightParts: { packagingGrams: 150, packagingFrom: 'shop' } });
  });

  it('has no expected weight while an item has none, packaging or not', async () => {
    const partial = await put('PKG-2', { items: [{ name: 'Mug', quantity: 1, unitWeightGrams: 380 }, { name: 'Tea', quantity: 1 }], packagingWeightGrams: 90 });
    expect(partial.expectedWeightGrams).toBeUndefined();
    expect(partial.expectedWeightParts).toBeUndefined();
    expect(partial.packagingWeightGrams).toBe(90);
  });

  it.each([
    [{ packagingWeightGrams: -1 }],
    [{ packagingWeightGrams: 1_000_001 }],
    [{ packagingWeightGrams: '150' }],
    [{ weightTolerancePercent: 0 }],
    // Finer than any parcel scale reads, and printed as "± 0 %": under 0.1 % is refused.
    [{ weightTolerancePercent: 1e-7 }],
    [{ weightTolerancePercent: 0.09 }],
    [{ weightTolerancePercent: -5 }],
    [{ weightTolerancePercent: 51 }],
    [{ weightTolerancePercent: null }],
  ])('refuses shop settings %j with VALIDATION_FAILED and changes nothing', async (body) => {
    const answer = await patchShop(body);
    expect(answer.status).toBe(400);
    expect((await answer.json()).code).toBe('VALIDATION_FAILED');
    expect(await (await request('GET', '/api/v1/shop')).json()).toMatchObject({ packagingWeightGrams: 150, weightTolerancePercent: 5 });
  });

  it('refuses an order packaging weight below 0, above any parcel, or not a number', async () => {
    for (const packagingWeightGrams of [-0.5, 2_000_000, 'a box', {}]) {
      const answer = await request('PUT', '/api/v1/orders/PKG-1', { packagingWeightGrams });
      expect(answer.status, JSON.stringify(packagingWeightGrams)).toBe(400);
      expect((await answer.json()).code).toBe('VALIDATION_FAILED');
    }
  });

  it('lets only the owner change the weight settings', async () => {
    const answer = await patchShop({ weightTolerancePercent: 20 }, seller);
    expect(answer.status).toBe(403);
  });

  it('gives the verdict at the tolerance’s edges with the packaging counted, and the search’s SQL and the home page agree', async () => {
    // 970 g expected (820 g items + 150 g packaging); 5 % is 48.5 g.
    const cases: [string, number, string][] = [
      ['EDGE-LOW-IN', 921.5, 'ok'],
      ['EDGE-LOW-OUT', 921.4, 'light'],
      ['EDGE-HIGH-IN', 1018.5, 'ok'],
      ['EDGE-HIGH-OUT', 1018.6, 'heavy'],
      // Without the packaging this parcel read 20 % heavy.
      ['EDGE-MID', 985, 'ok'],
    ];
    for (const [orderId, grams, verdict] of cases) {
      await put(orderId, { items: mugsAndCoaster });
      const capture = await weigh(orderId, 'packing', grams, 'edge');
      expect(capture.weightCheck, orderId).toMatchObject({ verdict, expectedGrams: 970, tolerancePercent: 5, against: 'expected' });
    }
    const warned = cases.filter(([, , verdict]) => verdict !== 'ok').map(([orderId]) => orderId).sort();
    expect(await warnedInSearch('edge')).toEqual(warned);
    expect((await overviewWarnings()).filter((item) => item.orderId.startsWith('EDGE-')).map((item) => item.orderId).sort()).toEqual(warned);

    // The owner tightens the tolerance to 2 % (19.4 g): every capture made from now on is held to it.
    expect((await patchShop({ weightTolerancePercent: 2 })).status).toBe(200);
    const tight: [string, number, string][] = [
      ['TIGHT-LOW-IN', 950.6, 'ok'],
      ['TIGHT-LOW-OUT', 950.5, 'light'],
      ['TIGHT-HIGH-IN', 989.4, 'ok'],
      ['TIGHT-HIGH-OUT', 989.5, 'heavy'],
    ];
    for (const [orderId, grams, verdict] of tight) {
      await put(orderId, { items: mugsAndCoaster });
      const capture = await weigh(orderId, 'packing', grams, 'tight');
      expect(capture.weightCheck, orderId).toMatchObject({ verdict, expectedGrams: 970, tolerancePercent: 2 });
    }
    expect(await warnedInSearch('tight')).toEqual(['TIGHT-HIGH-OUT', 'TIGHT-LOW-OUT']);
    // The captures finished at 5 % keep it, on the capture, in the search's SQL and on the home page:
    // 985 g is 15 g off, inside the 5 % in force when it was weighed though outside 2 %.
    expect((await order('EDGE-MID')).captures[0].weightCheck).toMatchObject({ verdict: 'ok', tolerancePercent: 5 });
    expect(await warnedInSearch('edge')).toEqual(warned);
    expect((await overviewWarnings()).filter((item) => item.orderId.startsWith('EDGE-')).map((item) => item.orderId).sort()).toEqual(warned);

    // An order's own packaging moves its edges with it, in SQL too: 860 g at 2 % is 17.2 g.
    await put('EDGE-OWN', { items: mugsAndCoaster, packagingWeightGrams: 40 });
    expect((await weigh('EDGE-OWN', 'packing', 877.2, 'own')).weightCheck).toMatchObject({ verdict: 'ok', expectedGrams: 860 });
    await put('EDGE-OWN-2', { items: mugsAndCoaster, packagingWeightGrams: 40 });
    expect((await weigh('EDGE-OWN-2', 'packing', 877.3, 'own')).weightCheck).toMatchObject({ verdict: 'heavy', expectedGrams: 860 });
    expect(await warnedInSearch('own')).toEqual(['EDGE-OWN-2']);

    expect((await patchShop({ weightTolerancePercent: 5 })).status).toBe(200);
  });

  it('holds a return to what was shipped: the packing weight when there is one, else the expected weight', async () => {
    await put('RET-1', { items: mugsAndCoaster });
    const packed = await weigh('RET-1', 'packing', 1015, 'returns');
    expect(packed.weightCheck).toMatchObject({ verdict: 'ok', expectedGrams: 970, against: 'expected' });
    // 53 g under what left the shop (5 % of 1,015 g is 50.75 g), though within 5 % of the expected 970 g.
    const opened = await weigh('RET-1', 'unboxing', 962, 'returns');
    expect(opened.weightCheck).toEqual({ verdict: 'light', measuredGrams: 962, expectedGrams: 1015, differenceGrams: -53, tolerancePercent: 5, against: 'shipped' });
    // A replacement packed after the return came back is not what came back.
    await weigh('RET-1', 'packing', 500, 'replacement');
    expect((await order('RET-1')).captures.find((capture) => capture.id === opened.id)?.weightCheck).toMatchObject({ expectedGrams: 1015, against: 'shipped' });

    // No packing weight: the expected weight is what the return is held to.
    await put('RET-2', { items: mugsAndCoaster });
    expect((await weigh('RET-2', 'unboxing', 985, 'returns')).weightCheck).toMatchObject({ verdict: 'ok', expectedGrams: 970, against: 'expected' });

    expect(await warnedInSearch('returns')).toEqual(['RET-1']);
    const onHome = (await overviewWarnings()).filter((item) => item.orderId.startsWith('RET-'));
    expect(onHome).toEqual([
      // The 500 g replacement is light against the order's own 970 g.
      expect.objectContaining({ orderId: 'RET-1', kind: 'packing', verdict: 'light', expectedGrams: 970, against: 'expected' }),
      expect.objectContaining({ orderId: 'RET-1', kind: 'unboxing', verdict: 'light', expectedGrams: 1015, against: 'shipped' }),
    ]);
  });

  it('holds a finished capture to the expected weight and tolerance in force when it finished, and an open one to today\'s', async () => {
    await put('BASIS-1', { items: mugsAndCoaster });
    // 985 g against 820 g items + 150 g packaging = 970 g, ± 5 %.
    const finished = await weigh('BASIS-1', 'packing', 985, 'basis');
    const atFinish = { verdict: 'ok', measuredGrams: 985, expectedGrams: 970, differenceGrams: 15, packagingGrams: 150, tolerancePercent: 5, against: 'expected' };
    expect((await order('BASIS-1')).captures[0].weightCheck).toEqual(atFinish);
    const entry = (await (await request('GET', `/api/v1/captures/${finished.id}/proof`)).json()).entry as string;
    expect(entry).toContain('expected-grams 970\ntolerance-percent 5\n');

    const open = (await (await request('POST', '/api/v1/captures', { orderId: 'BASIS-1', kind: 'handover', weight: { value: 985, unit: 'g' } })).json()) as { id: string };
    // The owner changes everything the verdict reads: no packaging, the finest tolerance there is, a heavier mug.
    expect((await patchShop({ packagingWeightGrams: 0.0001, weightTolerancePercent: 0.1 })).status).toBe(200);
    await put('BASIS-1', { items: [{ name: 'Mug', quantity: 2, unitWeightGrams: 400 }, mugsAndCoaster[1]] });
    try {
      const now = await order('BASIS-1');
      expect(now.expectedWeightGrams).toBe(860);
      // The finished capture as every reader gets it: the capture, the order, the search row.
      expect(now.captures[0].weightCheck).toEqual(atFinish);
      expect((await (await request('GET', `/api/v1/captures/${finished.id}`)).json()).weightCheck).toEqual(atFinish);
      // The open capture is still being recorded: it follows the settings as they are now.
      expect((await (await request('GET', `/api/v1/captures/${open.id}`)).json()).weightCheck).toMatchObject({
        verdict: 'heavy', expectedGrams: 860, tolerancePercent: 0.1, packagingGrams: 0.0001,
      });
      expect(await warnedInSearch('basis')).toEqual([]);
    } finally {
      expect((await patchShop({ packagingWeightGrams: 150, weightTolerancePercent: 5 })).status).toBe(200);
    }
  });

  it('keeps a capture finished with no expected weight without a verdict once its items get weights', async () => {
    await put('BASIS-2', { items: [{ name: 'Mug', quantity: 1, unitWeightGrams: 380 }, { name: 'Tea', quantity: 1 }] });
    const finished = await weigh('BASIS-2', 'packing', 700, 'basis-unknown');
    const entry = (await (await request('GET', `/api/v1/captures/${finished.id}/proof`)).json()).entry as string;
    expect(entry).not.toContain('expected-grams');
    expect(entry).toContain('tolerance-percent 5\n');
    await put('BASIS-2', { items: [{ name: 'Mug', quantity: 1, unitWeightGrams: 380 }, { name: 'Tea', quantity: 1, unitWeightGrams: 100 }] });
    expect((await order('BASIS-2')).expectedWeightGrams).toBe(630);
    expect((await order('BASIS-2')).captures[0].weightCheck).toEqual({ verdict: 'unknown', measuredGrams: 700, tolerancePercent: 5, against: 'expected' });
    expect(await warnedInSearch('basis-unknown')).toEqual([]);
  });

  describe('the sentences the reports print', () => {
    /** The report.pdf of a bundle for a dispute on `orderId`, as text with whitespace runs made one space. */
    async function reportText(orderId: string, lang: string): Promise<string> {
      return (await exported(orderId, lang)).text;
    }

    /** A bundle for a new dispute on `orderId`, unzipped: its folder and its report's text. */
    async function exported(orderId: string, lang: string): Promise<{ dir: string; text: string }> {
      const created = await request('POST', '/api/v1/disputes', { orderId, reason: 'item_missing', counterparty: 'marketplace' });
      expect(created.status).toBe(201);
      return exportedDispute(((await created.json()) as { id: string }).id, lang);
    }

    async function exportedDispute(id: string, lang: string): Promise<{ dir: string; text: string }> {
      const response = await request('GET', `/api/v1/disputes/${id}/bundle.zip?lang=${lang}`);
      expect(response.status).toBe(200);
      const dir = tempDir('packtrail-packaging-');
      const zip = path.join(dir, 'bundle.zip');
      fs.writeFileSync(zip, Buffer.from(await response.arrayBuffer()));
      const unzipped = path.join(dir, 'bundle');
      execFileSync('unzip', ['-q', zip, '-d', unzipped]);
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', path.join(unzipped, 'report.pdf'), '-']).toString().replace(/\s+/g, ' ');
      return { dir: unzipped, text };
    }

    beforeAll(async () => {
      // The acceptance's parcel: 2 × 380 g + 60 g with 150 g packaging.
      await put('ACC-OK', { items: mugsAndCoaster, packagingWeightGrams: 150 });
      await weigh('ACC-OK', 'packing', 985, 'acceptance');
      await put('ACC-SHORT', { items: mugsAndCoaster, packagingWeightGrams: 150 });
      await weigh('ACC-SHORT', 'packing', 605, 'acceptance');
      await put('ACC-RETURN', { items: mugsAndCoaster, packagingWeightGrams: 150 });
      await weigh('ACC-RETURN', 'packing', 985, 'acceptance');
      await weigh('ACC-RETURN', 'unboxing', 605, 'acceptance');
    });

    it('calls 985 g consistent and names the packaging it counted', async () => {
      const text = await reportText('ACC-OK', 'en');
      expect(text).toContain('Expected weight 970 g (820 g items + 150 g packaging)');
      expect(text).toContain('985 g measured; 3 items + 150 g packaging expected 970 g ± 5 %; consistent with all items');
      expect(text).not.toMatch(/heavier than expected/);
    });

    it('calls 605 g about one 380 g item short, in every report language', async () => {
      expect(await reportText('ACC-SHORT', 'en')).toContain(
        '605 g measured; 3 items + 150 g packaging expected 970 g ± 5 %; 365 g lighter than expected, about one 380 g item short (Mug)',
      );
      expect(await reportText('ACC-SHORT', 'ko')).toContain('예상보다 365 g 가벼움, 약 380 g짜리 상품 1개(Mug)만큼 모자람');
      expect(await reportText('ACC-SHORT', 'zh-TW')).toContain('比預期輕 365 g，約少了 1 件 380 g 的商品（Mug）');
    });

    it('prints the verdict the capture had when it finished, after the owner changed the packaging and tolerance, and the bundle still verifies', async () => {
      // A weighed packing with a photo, picked as the dispute's evidence, so verify.mjs has an original to prove.
      await put('ACC-KEEP', { items: mugsAndCoaster, packagingWeightGrams: 150 });
      const capture = (await (await request('POST', '/api/v1/captures', { orderId: 'ACC-KEEP', kind: 'packing', weight: { value: 985, unit: 'g' } })).json()) as { id: string };
      expect((await uploadFiles(server, seller, capture.id, [{ name: 'box.png', bytes: new Uint8Array(fs.readFileSync(fixture('photo.png'))) }])).status).toBe(201);
      expect((await request('POST', `/api/v1/captures/${capture.id}/finish`)).status).toBe(200);
      const dispute = (await (await request('POST', '/api/v1/disputes', { orderId: 'ACC-KEEP', reason: 'item_missing', counterparty: 'marketplace' })).json()) as { id: string };
      expect((await request('POST', `/api/v1/disputes/${dispute.id}/evidence`, { captureId: capture.id })).status).toBeLessThan(300);

      expect((await patchShop({ packagingWeightGrams: 0.0001, weightTolerancePercent: 0.1 })).status).toBe(200);
      await put('ACC-KEEP', { packagingWeightGrams: 10 });
      try {
        const { dir, text } = await exportedDispute(dispute.id, 'en');
        expect(text).toContain('985 g measured; 3 items + 150 g packaging expected 970 g ± 5 %; consistent with all items');
        expect(text).not.toMatch(/± 0 %|± 0\.1 %|heavier than expected/);
        const facts = fs.readFileSync(path.join(dir, 'verification/capture-facts.json'), 'utf8');
        expect(facts).toContain('expected-grams 970\\ntolerance-percent 5\\n');
        const verified = spawnSync(process.execPath, ['verification/verify.mjs'], { cwd: dir, encoding: 'utf8' });
        expect(verified.status, verified.stdout + verified.stderr).toBe(0);
        expect(verified.stdout).toContain('Capture facts 1: 1 verified, 0 failed');
      } finally {
        expect((await patchShop({ packagingWeightGrams: 150, weightTolerancePercent: 5 })).status).toBe(200);
      }
    });

    it('measures a return against the parcel as it was packed', async () => {
      const text = await reportText('ACC-RETURN', 'en');
      expect(text).toContain('985 g measured; 3 items + 150 g packaging expected 970 g ± 5 %; consistent with all items');
      expect(text).toContain('605 g measured; 985 g at packing ± 5 %; 380 g lighter than at packing, about one 380 g item short (Mug)');
    });
  });
});
