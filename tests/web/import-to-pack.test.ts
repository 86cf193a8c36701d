// Orders in, end to end: each marketplace preset's sample (CSV, a CP949 CSV among them, and XLSX) is
// imported into a shop whose SKU catalogue knows the products' weights and whose seller flagged a buyer
// on yesterday's order; then a packer's phone (real headless Chromium at 390×844, a fake camera) looks
// the imported orders up by their waybill or order ID and shows the expected weight the catalogue
// gives, the flagged buyer's alert on that buyer's order only, and the capture is held to that weight.
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectPath } from '../../server/paths';
import { launchBrowser, newPhoneContext } from '../helpers/browser';
import { withCjkFonts } from '../helpers/dashboard';
import { pairPhone, tapDone, waitForAllSafe } from '../helpers/pack-app';
import { fixture, setUpShop, startServer, type Shop, type TestServer } from '../helpers/server';

const wait = { timeout: 15_000 };
const shotsDir = process.env.IMPORT_TO_PACK_SHOTS_DIR ?? projectPath('test-artifacts', 'import-to-pack');

/** What the shop's packaging weighs where no box size of an item's SKU says otherwise. */
const SHOP_PACKAGING_GRAMS = 90;
const boxSizes: Record<string, number> = { S: 120, M: 260 };
/** Every SKU of the samples: unit weight in grams and, for some, the box size they ship in. */
const catalogue: Record<string, { grams: number; box?: string }> = {
  'MUG-WHT': { grams: 340, box: 'S' },
  'MUG-BLK': { grams: 340, box: 'S' },
  'TEA-GRN': { grams: 45 },
  'SPN-WOD': { grams: 18 },
  'CUP-01': { grams: 410, box: 'M' },
  'BWL-02': { grams: 520, box: 'M' },
  'PLT-03': { grams: 1250, box: 'M' },
  'APR-LIN': { grams: 210 },
  'NAP-COT': { grams: 60 },
  'WRP-BEE': { grams: 35 },
  'BELL-BR': { grams: 380, box: 'S' },
  'POT-CI': { grams: 1600, box: 'M' },
  'CANDLE-S': { grams: 230 },
  'CANDLE-L': { grams: 480 },
};

/** The weight rule as a seller reads it off the catalogue: the items, plus the largest box's packaging or else the shop's. */
function weightFromCatalogue(items: { sku: string; quantity: number }[]): number {
  const itemsGrams = items.reduce((sum, item) => sum + item.quantity * catalogue[item.sku].grams, 0);
  const boxes = items.flatMap((item) => (catalogue[item.sku].box ? [boxSizes[catalogue[item.sku].box!]] : []));
  return itemsGrams + (boxes.length ? Math.max(...boxes) : SHOP_PACKAGING_GRAMS);
}

interface PackedOrder {
  orderId: string;
  /** What the packer types or scans: the waybill where the export has one, else the order ID. */
  lookup: string;
  /** Worked out by hand from the catalogue above. */
  expectedGrams: number;
}

interface Sample {
  channel: string;
  file: string;
  /** The same preset's export as CSV, which yesterday's file is cut from. */
  csvFile: string;
  encoding: 'utf8' | 'cp949';
  /** Orders in the sample, all new to the shop. */
  orders: number;
  flagged: PackedOrder & { trackingNumber?: string; reason: string };
  unflagged: PackedOrder;
}

const samples: Sample[] = [
  {
    channel: 'naver_smartstore', file: 'naver-smartstore-cp949.csv', csvFile: 'naver-smartstore-cp949.csv', encoding: 'cp949', orders: 3,
    // 1 × 45 g tea + 3 × 18 g spoons + the shop's 90 g packaging
    flagged: { orderId: '2026112600000002', lookup: '640123450022', trackingNumber: '640123450022', expectedGrams: 189, reason: '빈 상자를 받았다고 두 번 신고함' },
    // 2 × 340 g mugs in a 120 g small box
    unflagged: { orderId: '2026112600000001', lookup: '640123450011', expectedGrams: 800 },
  },
  {
    channel: 'coupang_wing', file: 'coupang-wing.xlsx', csvFile: 'coupang-wing.csv', encoding: 'utf8', orders: 2,
    // 2 × 520 g bowls + a 1,250 g plate set in a 260 g medium box
    flagged: { orderId: '10000100002', lookup: '570011113333', trackingNumber: '570011113333', expectedGrams: 2550, reason: 'Said a bowl was missing' },
    // a 410 g glass set in a 260 g medium box
    unflagged: { orderId: '10000100001', lookup: '570011112222', expectedGrams: 670 },
  },
  {
    channel: 'shopify', file: 'shopify.csv', csvFile: 'shopify.csv', encoding: 'utf8', orders: 2,
    // a 210 g apron + a 60 g napkin + the shop's 90 g packaging
    flagged: { orderId: '#1001', lookup: '1Z999AA10123456784', trackingNumber: '1Z999AA10123456784', expectedGrams: 360, reason: 'Charged back a delivered parcel' },
    // 2 × 35 g wraps + the shop's 90 g packaging
    unflagged: { orderId: '#1002', lookup: '1Z999AA10123456791', expectedGrams: 160 },
  },
  {
    channel: 'ebay', file: 'ebay.xlsx', csvFile: 'ebay.csv', encoding: 'utf8', orders: 2,
    // a 380 g bell in a 120 g small box
    flagged: { orderId: '12-34567-89012', lookup: '9400111899223344556677', trackingNumber: '9400111899223344556677', expectedGrams: 500, reason: 'Returned a different bell' },
    // a 1,600 g teapot in a 260 g medium box; the export has no waybill for it yet
    unflagged: { orderId: '12-34567-89013', lookup: '12-34567-89013', expectedGrams: 1860 },
  },
  {
    channel: 'amazon', file: 'amazon.xlsx', csvFile: 'amazon.txt', encoding: 'utf8', orders: 2,
    // 2 × 230 g candles + the shop's 90 g packaging; Amazon's report has no waybills
    flagged: { orderId: '113-1234567-1234567', lookup: '113-1234567-1234567', expectedGrams: 550, reason: 'Claimed the candles arrived melted' },
    // a 480 g candle + the shop's 90 g packaging
    unflagged: { orderId: '113-7654321-7654321', lookup: '113-7654321-7654321', expectedGrams: 570 },
  },
];

/** A weight as the phone writes it in English: "2,550 g". */
const shown = (grams: number) => `${grams.toLocaleString('en-US')} g`;

const yesterdaysId = (orderId: string) => `${orderId}-Y`;

/**
 * Yesterday's export from the same marketplace: the sample's header and the flagged buyer's first row,
 * under another order ID and waybill, in the sample's encoding.
 */
function yesterdaysExport({ csvFile, encoding, flagged }: Sample): Buffer {
  const bytes = fs.readFileSync(fixture(path.join('imports', csvFile)));
  const [header, ...rows] = (encoding === 'cp949' ? iconv.decode(bytes, 'cp949') : bytes.toString('utf8')).split('\r\n');
  let row = rows.find((line) => line.includes(flagged.orderId))!.replaceAll(flagged.orderId, yesterdaysId(flagged.orderId));
  if (flagged.trackingNumber) row = row.replaceAll(flagged.trackingNumber, `${flagged.trackingNumber}9`);
  const text = `${header}\r\n${row}\r\n`;
  return encoding === 'cp949' ? iconv.encode(text, 'cp949') : Buffer.from(text);
}

interface StoredOrder {
  orderId: string;
  buyer?: { ref?: string; name?: string; flagged: boolean; flagReason?: string };
  items: { sku: string; quantity: number; unitWeightGrams?: number; weightFrom?: string }[];
  itemsWithoutWeight: number;
  expectedWeightGrams?: number;
  captures: { kind: string; status: string; weightGrams?: number; weightCheck?: { verdict: string; expectedGrams?: number }; media: { type: string }[] }[];
}

describe('an imported order on the packer’s phone', () => {
  let server: TestServer;
  let shop: Shop;
  let seller: string;
  let browser: Browser;
  let page: Page;

  const order = async (orderId: string): Promise<StoredOrder> => {
    const response = await server.request('GET', `/api/v1/orders/${encodeURIComponent(orderId)}`, { token: seller });
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as StoredOrder;
  };

  /** Uploads an export with its preset and commits the preview, as the dashboard's "Import" does. */
  async function importOrders(channel: string, bytes: Buffer, fileName: string): Promise<number> {
    const form = new FormData();
    form.append('channel', channel);
    form.append('file', new Blob([new Uint8Array(bytes)]), fileName);
    const previewed = await server.request('POST', '/api/v1/orders/imports', { token: seller, body: form });
    expect(previewed.status, await previewed.clone().text()).toBe(201);
    const { id, totals } = await previewed.json();
    expect(totals.refused, fileName).toBe(0);
    const committed = await server.request('POST', `/api/v1/orders/imports/${id}/commit`, { token: seller });
    expect(committed.status, await committed.clone().text()).toBe(200);
    return (await committed.json()).created;
  }

  async function shoot(name: string, fullPage = false) {
    fs.mkdirSync(shotsDir, { recursive: true });
    await page.screenshot({ path: path.join(shotsDir, `${name}.png`), fullPage });
  }

  /** Types the code on the home screen, as a packer does with a waybill or an order ID in hand; the capture opens. */
  async function lookUp({ orderId, lookup }: PackedOrder) {
    await page.locator('#screen-scan').waitFor({ state: 'visible' });
    await page.fill('#order-input', lookup);
    await page.press('#order-input', 'Enter');
    await page.locator('#capture-order').filter({ hasText: orderId }).waitFor(wait);
    await page.locator('#record-button[data-recording="true"]').waitFor(wait);
  }

  beforeAll(async () => {
    server = await startServer();
    shop = await setUpShop(server);
    seller = await shop.token('seller');

    // The catalogue: box sizes, the shop's own packaging weight, then the SKU list as a file.
    for (const [code, grams] of Object.entries(boxSizes)) {
      expect((await server.request('PUT', `/api/v1/box-sizes/${code}`, { token: seller, json: { name: `Box ${code}`, packagingWeightGrams: grams } })).status).toBe(201);
    }
    expect((await server.request('PATCH', '/api/v1/shop', { token: shop.ownerToken, json: { packagingWeightGrams: SHOP_PACKAGING_GRAMS } })).status).toBe(200);
    const skuList = ['sku,name,weight,box', ...Object.entries(catalogue).map(([sku, { grams, box }]) => `${sku},,${grams},${box ?? ''}`)].join('\n');
    const form = new FormData();
    form.append('file', new Blob([skuList]), 'catalogue.csv');
    const imported = await server.request('POST', '/api/v1/skus/imports', { token: seller, body: form });
    expect(await imported.json()).toEqual({ created: Object.keys(catalogue).length, updated: 0, refused: [] });

    withCjkFonts();
    browser = await launchBrowser();
    page = await (await newPhoneContext(browser)).newPage();
    page.on('pageerror', (error) => console.error('page error:', error.message));
    await pairPhone(page, server, shop, 'Packing table phone');
    console.log(`import-to-pack screenshots: ${shotsDir}`);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it.each(samples)('imports the $channel sample ($file); the phone shows its expected weight and the flagged buyer, and the capture is held to it', async (sample) => {
    const { channel, file, orders, flagged, unflagged } = sample;

    // Yesterday the seller imported an earlier order of this buyer and flagged them on it, by the
    // order's own buyer ref (whatever the import stored it as).
    const yesterday = yesterdaysExport(sample);
    expect(await importOrders(channel, yesterday, `yesterday${path.extname(sample.csvFile)}`)).toBe(1);
    const flagging = await server.request('PUT', `/api/v1/orders/${encodeURIComponent(yesterdaysId(flagged.orderId))}`, {
      token: seller,
      json: { buyer: { flagged: true, flagReason: flagged.reason } },
    });
    expect(flagging.status, await flagging.clone().text()).toBe(200);

    // Today's export: the flag reaches the new order through the buyer ref the import gives it.
    expect(await importOrders(channel, fs.readFileSync(fixture(path.join('imports', file))), file)).toBe(orders);
    for (const { orderId, expectedGrams } of [flagged, unflagged]) {
      const stored = await order(orderId);
      expect(stored.itemsWithoutWeight, orderId).toBe(0);
      for (const item of stored.items) expect(item, orderId).toMatchObject({ unitWeightGrams: catalogue[item.sku].grams, weightFrom: 'catalogue' });
      expect(stored.expectedWeightGrams, orderId).toBe(expectedGrams);
      expect(weightFromCatalogue(stored.items), orderId).toBe(expectedGrams);
    }
    expect((await order(flagged.orderId)).buyer).toMatchObject({ flagged: true, flagReason: flagged.reason });
    expect((await order(unflagged.orderId)).buyer?.flagged).toBe(false);

    // An unflagged buyer's parcel: the expected weight, and no alert once the order is in.
    await lookUp(unflagged);
    await expect.poll(() => page.locator('#weight-expected').textContent(), wait).toBe(`Expected ${shown(unflagged.expectedGrams)} ±5 %`);
    expect(await page.locator('#order-facts').textContent()).toContain(`Expected weight${shown(unflagged.expectedGrams)}`);
    expect(await page.locator('#flag-alert').isHidden()).toBe(true);
    await shoot(`${channel}-1-unflagged`);
    await page.waitForTimeout(800);
    await tapDone(page);

    // The flagged buyer's parcel: the alert with the seller's reason, then a photo and the scale's number.
    await lookUp(flagged);
    const alert = page.locator('#flag-alert');
    await alert.waitFor({ state: 'visible', ...wait });
    expect(await alert.textContent()).toContain('Flagged buyer');
    expect(await page.locator('#flag-reason').textContent()).toContain(flagged.reason);
    await expect.poll(() => page.locator('#weight-expected').textContent(), wait).toBe(`Expected ${shown(flagged.expectedGrams)} ±5 %`);
    expect(await page.locator('#order-facts').textContent()).toContain(`Expected weight${shown(flagged.expectedGrams)}`);
    await page.click('#photo-button');
    await expect.poll(() => page.locator('#capture-files').textContent(), wait).toContain('📷 1');
    await page.fill('#weight-input', String(flagged.expectedGrams));
    const check = page.locator('#weight-check');
    await expect.poll(() => check.getAttribute('data-status'), wait).toBe('ok');
    expect(await check.textContent()).toContain(`expected ${shown(flagged.expectedGrams)} ±5 %, measured ${shown(flagged.expectedGrams)}`);
    await shoot(`${channel}-2-flagged`);
    await tapDone(page);
    await waitForAllSafe(page);

    // The server filed both captures under the imported orders; the flagged one is held to the catalogue's weight.
    const packed = await order(flagged.orderId);
    expect(packed).toMatchObject({
      expectedWeightGrams: flagged.expectedGrams,
      buyer: { flagged: true },
      captures: [{ kind: 'packing', status: 'finished', weightGrams: flagged.expectedGrams, weightCheck: { verdict: 'ok', expectedGrams: flagged.expectedGrams } }],
    });
    expect(packed.captures[0].media.map((media) => media.type).sort()).toEqual(['photo', 'video']);
    expect((await order(unflagged.orderId)).captures).toMatchObject([{ kind: 'packing', status: 'finished' }]);
  });
});
