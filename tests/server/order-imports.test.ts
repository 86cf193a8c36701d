// Order imports through the real API: each marketplace's sample previews and commits, a re-import changes
// nothing, a later file updates tracking numbers without losing captures, and broken files are refused
// row by row (or as a whole, with a 4xx) without anything half-written.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, listFiles, setUpShop, startServer, type Shop, type TestServer } from '../helpers/server';
import { zipOf } from '../helpers/zip-of';

const importFixture = (name: string) => fs.readFileSync(fixture(path.join('imports', name)));

describe('order imports', () => {
  let server: TestServer;
  let shop: Shop;
  let seller: string;
  let packer: string;
  let offsetMs = 0;
  beforeAll(async () => {
    server = await startServer({}, { clock: () => new Date(Date.now() + offsetMs) });
    shop = await setUpShop(server);
    seller = await shop.token('seller');
    packer = (await shop.deviceToken()).token;
  });
  afterAll(() => server.close());

  async function upload(channel: string, bytes: Uint8Array | string, fileName: string, { token = seller, columns }: { token?: string; columns?: unknown } = {}) {
    const form = new FormData();
    form.append('channel', channel);
    if (columns !== undefined) form.append('columns', JSON.stringify(columns));
    form.append('file', new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)]), fileName);
    return server.request('POST', '/api/v1/orders/imports', { token, body: form });
  }
  async function preview(channel: string, name: string, options?: { columns?: unknown }) {
    const response = await upload(channel, importFixture(name), name, options);
    expect(response.status, await response.clone().text()).toBe(201);
    return response.json();
  }
  const commit = (id: string, token = seller) => server.request('POST', `/api/v1/orders/imports/${id}/commit`, { token });
  const order = async (orderId: string, token = seller) => server.request('GET', `/api/v1/orders/${encodeURIComponent(orderId)}`, { token });

  it('lists a preset per channel, with Korean headers for Naver Smart Store and Coupang Wing', async () => {
    const response = await server.request('GET', '/api/v1/orders/import-presets', { token: seller });
    expect(response.status).toBe(200);
    const { items } = await response.json();
    expect(items.map((preset: { channel: string }) => preset.channel)).toEqual(['naver_smartstore', 'coupang_wing', 'shopify', 'ebay', 'amazon', 'custom']);
    expect(items[0].columns).toMatchObject({ orderId: '주문번호', trackingNumber: '송장번호', deliveryNote: '배송메세지' });
    expect(items[2].columns).toMatchObject({ orderId: 'Name', itemName: 'Lineitem name', itemQuantity: 'Lineitem quantity' });
  });

  it.each([
    // channel, file, data rows, orders, an order and what it holds after the commit
    ['naver_smartstore', 'naver-smartstore-cp949.csv', 4, 3, '2026112600000002', { buyer: { ref: 'sea_lee', name: '이바다' }, trackingNumbers: ['640123450022'], deliveryNote: '경비실에 맡겨 주세요', items: [{ sku: 'TEA-GRN', name: '녹차 티백 20입', quantity: 1, unitValue: 8500 }, { sku: 'SPN-WOD', name: '나무 스푼', quantity: 3, unitValue: 3000 }], declaredValue: { amount: 17500, currency: 'KRW' } }],
    ['coupang_wing', 'coupang-wing.csv', 3, 2, '10000100002', { carrier: '한진택배', trackingNumbers: ['570011113333'], items: [{ sku: 'BWL-02', name: '세라믹 볼', quantity: 2 }, { sku: 'PLT-03', name: '접시 세트', quantity: 1 }] }],
    ['shopify', 'shopify.csv', 3, 2, '#1001', { buyer: { ref: expect.stringMatching(/^email-[0-9a-f]{16}$/), name: 'Ada Park' }, deliveryNote: 'Gift wrap please', items: [{ sku: 'APR-LIN', name: 'Linen Apron', quantity: 1, unitValue: 30 }, { sku: 'NAP-COT', name: 'Cotton Napkin', quantity: 1, unitValue: 12.5 }], declaredValue: { amount: 42.5, currency: 'USD' } }],
    ['ebay', 'ebay.csv', 2, 2, '12-34567-89012', { buyer: { ref: 'vintage_fan', name: 'Chris Doe' }, trackingNumbers: ['9400111899223344556677'], items: [{ sku: 'BELL-BR', name: 'Brass Desk Bell', quantity: 1, unitValue: 24.99 }] }],
    ['amazon', 'amazon.txt', 2, 2, '113-1234567-1234567', { carrier: 'Standard', buyer: { name: 'Eli Moss' }, items: [{ sku: 'CANDLE-S', name: 'Soy Candle Small', quantity: 2, unitValue: 9.99 }] }], // item-price is the line's: 19.98 for two
    ['custom', 'custom-semicolon.csv', 2, 2, 'C-1', { deliveryNote: 'Leave at the door;\nring twice', items: [{ sku: 'SOAP-1', name: 'Olive soap', quantity: 3, unitValue: 4.5 }], declaredValue: { amount: 13.5, currency: 'EUR' } }],
  ])('previews and commits the %s sample (%s)', async (channel, file, rows, orders, orderId, expected) => {
    const previewed = await preview(channel, file);
    expect(previewed).toMatchObject({ channel, fileName: file, status: 'preview', totals: { rows, recognised: rows, newOrders: orders, updatedOrders: 0, unchangedOrders: 0, refused: 0 }, refused: [] });
    // New orders the file gives no waybill for (Naver's third order, eBay's second, Amazon's and the custom file's none).
    expect(previewed.totals.newWithoutTracking).toBe(previewed.sample.filter((order: { trackingNumbers: string[] }) => order.trackingNumbers.length === 0).length);
    expect(previewed.sample).toHaveLength(orders);
    expect(previewed.sample[0]).toMatchObject({ line: 2, action: 'new' });
    // Nothing is written before the commit.
    expect((await order(orderId)).status).toBe(404);
    const committed = await commit(previewed.id);
    expect(committed.status).toBe(200);
    expect(await committed.json()).toEqual({ id: previewed.id, status: 'committed', created: orders, updated: 0, unchanged: 0 });
    const stored = await order(orderId);
    expect(stored.status).toBe(200);
    expect(await stored.json()).toMatchObject({ orderId, channel, ...expected });
    expect((await server.request('GET', `/api/v1/orders/imports/${previewed.id}`, { token: seller }).then((r) => r.json())).status).toBe('committed');
  });

  it('reads each preset\'s XLSX export like its CSV: the same preview, and committing it changes no order', async () => {
    // channel, the sample as CSV (committed above) and as XLSX, data rows, orders
    for (const [channel, csvFile, xlsxFile, rows, orders] of [
      ['naver_smartstore', 'naver-smartstore-cp949.csv', 'naver-smartstore.xlsx', 4, 3],
      ['coupang_wing', 'coupang-wing.csv', 'coupang-wing.xlsx', 3, 2],
      ['shopify', 'shopify.csv', 'shopify.xlsx', 3, 2],
      ['ebay', 'ebay.csv', 'ebay.xlsx', 2, 2],
      ['amazon', 'amazon.txt', 'amazon.xlsx', 2, 2],
    ] as const) {
      const fromCsv = await preview(channel, csvFile);
      const previewed = await preview(channel, xlsxFile);
      expect(previewed.totals, xlsxFile).toEqual({ rows, recognised: rows, newOrders: 0, updatedOrders: 0, unchangedOrders: orders, refused: 0, newWithoutTracking: 0 });
      expect(previewed.totals, xlsxFile).toEqual(fromCsv.totals);
      // Row for row the same orders, on the same lines (a sheet's row is the CSV's line).
      expect(previewed.sample, xlsxFile).toEqual(fromCsv.sample);
      expect(previewed.sample.every((row: { action: string }) => row.action === 'unchanged'), xlsxFile).toBe(true);

      const orderIds: string[] = previewed.sample.map((row: { orderId: string }) => row.orderId);
      const before = await Promise.all(orderIds.map(async (orderId) => (await order(orderId)).json()));
      expect(await (await commit(previewed.id)).json()).toMatchObject({ created: 0, updated: 0, unchanged: orders });
      const after = await Promise.all(orderIds.map(async (orderId) => (await order(orderId)).json()));
      expect(after, xlsxFile).toEqual(before);
    }
  });

  it('reads a pipe-separated file too', async () => {
    const previewed = await preview('custom', 'custom-pipe.csv');
    expect(previewed.totals).toMatchObject({ rows: 2, recognised: 2, refused: 0 });
    expect(previewed.sample[0]).toMatchObject({ orderId: 'C-1', trackingNumbers: ['TRK-0001'], buyerName: 'Gia Han', items: [{ sku: 'SOAP-1', name: 'Olive soap', quantity: 3 }] });
  });

  it('commits once: the second commit is 409 ALREADY_COMMITTED', async () => {
    const previewed = await preview('ebay', 'ebay.csv');
    expect((await commit(previewed.id)).status).toBe(200);
    const again = await commit(previewed.id);
    expect(again.status).toBe(409);
    expect((await again.json()).code).toBe('ALREADY_COMMITTED');
  });

  it('updates tracking numbers and notes from a later file, keeping captures, scanned waybills and unit weights', async () => {
    const first = 'order_id,tracking_number,delivery_note,sku,item_name,quantity\nLATER-1,,Call first,MUG-1,Mug,2\n';
    expect(await (await commit((await (await upload('custom', first, 'day1.csv')).json()).id)).json()).toMatchObject({ created: 1 });
    // The shop weighs its mugs; the packer scans the waybill the courier printed.
    expect((await server.request('PUT', '/api/v1/orders/LATER-1', { token: seller, json: { items: [{ sku: 'MUG-1', name: 'Mug', quantity: 2, unitWeightGrams: 350 }] } })).status).toBe(200);
    const capture = await server.request('POST', '/api/v1/captures', { token: packer, json: { orderId: 'LATER-1', kind: 'packing', trackingNumber: 'SCAN-777', weight: { value: 700, unit: 'g' } } });
    expect(capture.status).toBe(201);

    const later = 'order_id,tracking_number,delivery_note,sku,item_name,quantity\nLATER-1,TRK-NEW-1,Leave with the guard,MUG-1,Mug,2\n';
    const previewed = await (await upload('custom', later, 'day2.csv')).json();
    expect(previewed.totals).toMatchObject({ newOrders: 0, updatedOrders: 1, unchangedOrders: 0 });
    expect(await (await commit(previewed.id)).json()).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    const stored = await (await order('LATER-1')).json();
    expect(stored.trackingNumbers).toEqual(expect.arrayContaining(['TRK-NEW-1', 'SCAN-777']));
    expect(stored.deliveryNote).toBe('Leave with the guard');
    expect(stored.items).toEqual([{ sku: 'MUG-1', name: 'Mug', quantity: 2, unitWeightGrams: 350, weightKnown: true, weightFrom: 'order' }]);
    expect(stored.captures).toHaveLength(1);

    const same = await (await upload('custom', later, 'day2-again.csv')).json();
    expect(same.totals).toMatchObject({ newOrders: 0, updatedOrders: 0, unchangedOrders: 1 });
  });

  it('refuses broken rows with their lines and imports the good rows; nothing of a refused row is written', async () => {
    const previewed = await preview('custom', 'broken-rows.csv');
    expect(previewed.totals).toEqual({ rows: 8, recognised: 2, newOrders: 2, updatedOrders: 0, unchangedOrders: 0, refused: 6, newWithoutTracking: 0 });
    expect(previewed.refused.map(({ line, code }: { line: number; code: string }) => [line, code])).toEqual([
      [3, 'BAD_QUANTITY'], [4, 'MISSING_ORDER_ID'], [5, 'FORMULA_CELL'], [6, 'CONTROL_CHARACTER'], [8, 'INVALID_ENCODING'], [9, 'BAD_QUANTITY'],
    ]);
    for (const refusal of previewed.refused) expect(refusal.reason).toEqual(expect.any(String));
    expect(await (await commit(previewed.id)).json()).toMatchObject({ created: 2, updated: 0 });
    expect((await order('B-1')).status).toBe(200);
    expect((await (await order('B-6')).json()).items).toEqual([{ sku: 'SKU-6', name: '좋은 상품 둘', quantity: 2, weightKnown: false }]);
    for (const refused of ['B-2', 'B-4', 'B-5', 'B-7', 'B-8']) expect((await order(refused)).status).toBe(404);
  });

  it('refuses a formula cell of a workbook without evaluating it', async () => {
    const previewed = await preview('custom', 'formula-cell.xlsx', { columns: { orderId: 'order_id', trackingNumber: 'tracking_number', itemSku: 'sku', itemName: 'item_name', itemQuantity: 'quantity' } });
    expect(previewed.refused).toEqual([{ line: 3, code: 'FORMULA_CELL', reason: expect.any(String), params: { field: 'itemQuantity' } }]);
    expect(previewed.totals).toMatchObject({ rows: 2, recognised: 1, newOrders: 1 });
  });

  it('refuses every row of an order when one of its rows is refused, so no order is imported with items missing', async () => {
    const file = 'order_id,sku,item_name,quantity\nHALF-1,A,Apple,1\nHALF-1,B,Banana,lots\nWHOLE-1,C,Cherry,1\n';
    const previewed = await (await upload('custom', file, 'half.csv')).json();
    expect(previewed.refused.map(({ line, code }: { line: number; code: string }) => [line, code])).toEqual([[2, 'ORDER_INCOMPLETE'], [3, 'BAD_QUANTITY']]);
    expect(previewed.totals).toMatchObject({ rows: 3, recognised: 1, newOrders: 1, refused: 2 });
  });

  it('refuses a 10 MB cell as one row, and imports the rest', async () => {
    const big = `order_id,item_name,quantity\nBIG-1,"${'x'.repeat(10 * 1024 * 1024)}",1\nBIG-2,Small,1\n`;
    const response = await upload('custom', big, 'big.csv');
    expect(response.status).toBe(201);
    const previewed = await response.json();
    expect(previewed.refused).toEqual([{ line: 2, code: 'CELL_TOO_LONG', reason: expect.any(String), params: { column: 2, limit: 10_000 } }]);
    expect(previewed.totals).toMatchObject({ rows: 2, recognised: 1, newOrders: 1 });
  });

  it('answers 415 for a file that is not CSV or XLSX, 400 for an empty one or one without the order ID column, and keeps no upload', async () => {
    const png = await upload('custom', fs.readFileSync(fixture('photo.png')), 'orders.csv');
    expect(png.status).toBe(415);
    expect((await png.json()).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    // A ZIP (here a minimal one holding a.txt) is tried as a workbook and refused when it is not one.
    const zip = await upload('custom', fs.readFileSync(fixture('imports/not-a-workbook.zip')), 'orders.xlsx');
    expect(zip.status).toBe(415);
    const empty = await upload('custom', '', 'empty.csv');
    expect(empty.status).toBe(400);
    expect((await empty.json()).code).toBe('EMPTY_FILE');
    const noColumn = await upload('shopify', 'Order,Item\n1,Mug\n', 'wrong.csv');
    expect(noColumn.status).toBe(400);
    expect(await noColumn.json()).toMatchObject({ code: 'IMPORT_COLUMNS_NOT_FOUND', details: { missing: expect.arrayContaining(['Name']) } });
    const badChannel = await upload('etsy', 'a\n1\n', 'x.csv');
    expect(badChannel.status).toBe(400);
    expect(listFiles(path.join(server.dataDir, 'import-staging'))).toEqual([]);
  });

  it('answers 413 for a workbook that unpacks past any export (a decompression bomb), and keeps no upload', async () => {
    const bomb = zipOf([
      { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>') },
      { name: 'xl/sharedStrings.xml', data: Buffer.concat([Buffer.from('<sst><si><t>'), Buffer.alloc(130 * 1024 * 1024, 0x61), Buffer.from('</t></si></sst>')]) },
    ]);
    const response = await upload('custom', bomb, 'bomb.xlsx');
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('unpacks to more than 128 MiB') });
    expect(listFiles(path.join(server.dataDir, 'import-staging'))).toEqual([]);
  }, 60_000);

  it('answers 413 for a file over 50 MB, and keeps no upload', async () => {
    const tooBig = new Uint8Array(50 * 1024 * 1024 + 1).fill(0x41);
    const response = await upload('custom', tooBig, 'huge.csv');
    expect(response.status).toBe(413);
    expect((await response.json()).code).toBe('PAYLOAD_TOO_LARGE');
    expect(listFiles(path.join(server.dataDir, 'import-staging'))).toEqual([]);
  });

  it('lets owners and sellers import, not packers', async () => {
    expect((await upload('custom', 'order_id\nP-1\n', 'p.csv', { token: packer })).status).toBe(403);
    expect((await server.request('GET', '/api/v1/orders/import-presets', { token: packer })).status).toBe(403);
    const previewed = await (await upload('custom', 'order_id\nP-1\n', 'p.csv', { token: shop.ownerToken })).json();
    expect((await server.request('GET', `/api/v1/orders/imports/${previewed.id}`, { token: packer })).status).toBe(403);
    expect((await commit(previewed.id, packer)).status).toBe(403);
  });

  it('remembers a column mapping per channel and uses it for the next import', async () => {
    expect(await (await server.request('GET', '/api/v1/orders/import-mappings/custom', { token: seller })).json()).toMatchObject({ channel: 'custom', columns: { orderId: 'order_id' } });
    const put = await server.request('PUT', '/api/v1/orders/import-mappings/custom', { token: seller, json: { columns: { orderId: '주문 ID', trackingNumber: '운송장' } } });
    expect(put.status).toBe(200);
    expect(await (await server.request('GET', '/api/v1/orders/import-mappings/custom', { token: seller })).json()).toEqual({ channel: 'custom', columns: { orderId: '주문 ID', trackingNumber: '운송장' } });
    const previewed = await (await upload('custom', '주문 ID,운송장\nMAP-1,T-1\n', 'mapped.csv')).json();
    expect(previewed.sample[0]).toMatchObject({ orderId: 'MAP-1', trackingNumbers: ['T-1'] });
    expect((await server.request('PUT', '/api/v1/orders/import-mappings/custom', { token: seller, json: { columns: { trackingNumber: 'x' } } })).status).toBe(400);
    await server.request('PUT', '/api/v1/orders/import-mappings/custom', { token: seller, json: { columns: { orderId: 'order_id', trackingNumber: 'tracking_number', buyerName: 'buyer_name', buyerRef: 'buyer_ref', deliveryNote: 'delivery_note', itemSku: 'sku', itemName: 'item_name', itemQuantity: 'quantity', itemValue: 'unit_value', declaredValue: 'declared_value', currency: 'currency', carrier: 'carrier' } } });
  });

  it('refuses to commit an expired preview with 410', async () => {
    const previewed = await (await upload('custom', 'order_id\nOLD-1\n', 'old.csv')).json();
    offsetMs = 25 * 3_600_000;
    try {
      const response = await commit(previewed.id);
      expect(response.status).toBe(410);
      expect((await response.json()).code).toBe('IMPORT_EXPIRED');
    } finally {
      offsetMs = 0;
    }
    expect((await order('OLD-1')).status).toBe(404);
  });

  it('refuses with 410 a commit whose rows were forgotten while it waited, rather than commit nothing', async () => {
    const previewed = await (await upload('custom', 'order_id\nLATE-1\n', 'late.csv')).json();
    // As the hourly job does once a preview has expired, while this commit waited behind another.
    const db = new Database(path.join(server.dataDir, 'packtrail.sqlite'));
    try {
      db.prepare('DELETE FROM order_import_rows WHERE import_id = ?').run(previewed.id);
      db.prepare('DELETE FROM order_import_orders WHERE import_id = ?').run(previewed.id);
    } finally {
      db.close();
    }
    const response = await commit(previewed.id);
    expect(response.status).toBe(410);
    expect((await response.json()).code).toBe('IMPORT_EXPIRED');
    expect((await server.request('GET', `/api/v1/orders/imports/${previewed.id}`, { token: seller }).then((r) => r.json())).status).toBe('preview');
  });

  it('end to end: a packer capture on an imported order shows its expected weight from the SKU catalogue and the flagged buyer', async () => {
    const file = 'order_id,tracking_number,buyer_name,buyer_ref,sku,item_name,quantity\nE2E-1,TRK-E2E-1,윤서아,seoa,CUP-9,Cup,2\n';
    expect(await (await commit((await (await upload('custom', file, 'e2e.csv')).json()).id)).json()).toMatchObject({ created: 1 });
    // The unit weight comes from the SKU catalogue (the file has none); the flag follows the buyer ref.
    expect((await server.request('PUT', '/api/v1/skus/CUP-9', { token: seller, json: { name: 'Cup', unitWeightGrams: 300 } })).status).toBe(201);
    const flagged = await server.request('PUT', '/api/v1/orders/E2E-1', { token: seller, json: { buyer: { ref: 'seoa', flagged: true, flagReason: 'Claimed an empty box' } } });
    expect(flagged.status).toBe(200);
    // The packer scans the waybill: it finds the imported order.
    const found = await server.request('GET', '/api/v1/orders/by-tracking/TRK-E2E-1', { token: packer });
    expect((await found.json()).orderId).toBe('E2E-1');
    const capture = await server.request('POST', '/api/v1/captures', { token: packer, json: { orderId: 'E2E-1', kind: 'packing', weight: { value: 600, unit: 'g' } } });
    expect(capture.status).toBe(201);
    const seen = await (await order('E2E-1', packer)).json();
    expect(seen).toMatchObject({ expectedWeightGrams: 600, itemsWithoutWeight: 0, buyer: { ref: 'seoa', name: '윤서아', flagged: true, flagReason: 'Claimed an empty box' } });
    expect(seen.items[0]).toMatchObject({ sku: 'CUP-9', unitWeightGrams: 300, weightKnown: true, weightFrom: 'catalogue' });
    expect(seen.captures[0].weightCheck).toMatchObject({ expectedGrams: 600 });
  });
});
