// The SKU catalogue: SKUs and box sizes edited and imported (CSV in English and Korean headers, CP949,
// XLSX, broken rows refused by line, formulas never evaluated), and orders whose items have no weights
// of their own taking their expected weight and packaging from it, as it stands when they are read.
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpShop, startServer, type Shop, type TestServer } from '../helpers/server';

interface Item {
  sku?: string;
  name: string;
  quantity: number;
  unitWeightGrams?: number;
  weightKnown: boolean;
  weightFrom?: string;
}
interface Order {
  orderId: string;
  items: Item[];
  itemsWithoutWeight: number;
  expectedWeightGrams?: number;
  expectedWeightParts?: { itemsGrams: number; packagingGrams: number; packagingFrom: string; boxSize?: string };
}
interface ImportResult {
  created: number;
  updated: number;
  refused: { line: number; reason: string; code: string }[];
}

describe('the SKU catalogue', () => {
  let server: TestServer;
  let shop: Shop;
  let seller: string;
  let packer: string;

  const request = (method: string, route: string, json?: unknown, token = seller) => server.request(method, route, { token, json });
  const order = async (orderId: string): Promise<Order> => (await (await request('GET', `/api/v1/orders/${orderId}`)).json()) as Order;
  const putOrder = async (orderId: string, json: unknown): Promise<Order> => {
    const response = await request('PUT', `/api/v1/orders/${orderId}`, json);
    expect(response.status, await response.clone().text()).toBeLessThan(300);
    return (await response.json()) as Order;
  };
  const putSku = async (sku: string, json: unknown) => {
    const response = await request('PUT', `/api/v1/skus/${encodeURIComponent(sku)}`, json);
    expect(response.status, await response.clone().text()).toBeLessThan(300);
    return response;
  };
  const importFile = async (bytes: Uint8Array | string, name = 'catalogue.csv', token = seller): Promise<Response> => {
    const form = new FormData();
    form.append('file', new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)]), name);
    return server.request('POST', '/api/v1/skus/imports', { token, body: form });
  };
  const imported = async (bytes: Uint8Array | string, name?: string): Promise<ImportResult> => {
    const response = await importFile(bytes, name);
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as ImportResult;
  };
  const sku = async (code: string) => (await request('GET', `/api/v1/skus/${encodeURIComponent(code)}`)).json();

  beforeAll(async () => {
    server = await startServer();
    shop = await setUpShop(server, 'Asia/Seoul');
    seller = await shop.token('seller');
    packer = (await shop.deviceToken('Station 1 phone')).token;
    for (const [code, grams] of [['S', 40], ['M', 150], ['L', 300]] as const) {
      expect((await request('PUT', `/api/v1/box-sizes/${code}`, { name: `Box ${code}`, packagingWeightGrams: grams })).status).toBe(201);
    }
  });
  afterAll(() => server.close());

  describe('edited one at a time', () => {
    it('adds, replaces, lists, searches, pages and removes SKUs', async () => {
      expect((await putSku('CUP-1', { name: 'Cup', unitWeightGrams: 210, boxSize: 'S' })).status).toBe(201);
      expect(await sku('CUP-1')).toEqual({ sku: 'CUP-1', name: 'Cup', unitWeightGrams: 210, boxSize: 'S' });
      // The form sends the whole row: what it leaves out is cleared.
      expect((await putSku('CUP-1', { name: 'Cup, blue', unitWeightGrams: 215 })).status).toBe(200);
      expect(await sku('CUP-1')).toEqual({ sku: 'CUP-1', name: 'Cup, blue', unitWeightGrams: 215 });
      await putSku('CUP-2', { name: 'Saucer' });
      await putSku('CUP-3', { unitWeightGrams: 90 });

      const found = await (await request('GET', '/api/v1/skus?q=saucer')).json();
      expect(found.items.map((item: { sku: string }) => item.sku)).toEqual(['CUP-2']);
      const first = await (await request('GET', '/api/v1/skus?q=CUP-&limit=2')).json();
      expect(first.items.map((item: { sku: string }) => item.sku)).toEqual(['CUP-1', 'CUP-2']);
      const second = await (await request('GET', `/api/v1/skus?q=CUP-&limit=2&cursor=${first.nextCursor}`)).json();
      expect(second).toEqual({ items: [{ sku: 'CUP-3', unitWeightGrams: 90 }], nextCursor: null });
      // A percent sign is a character, not a wildcard.
      expect((await (await request('GET', '/api/v1/skus?q=%25')).json()).items).toEqual([]);

      expect((await request('DELETE', '/api/v1/skus/CUP-3')).status).toBe(204);
      expect((await request('GET', '/api/v1/skus/CUP-3')).status).toBe(404);
      expect((await request('DELETE', '/api/v1/skus/CUP-3')).status).toBe(404);
    });

    it('refuses a box size nobody defined, and keeps a box size SKUs still use', async () => {
      const unknown = await request('PUT', '/api/v1/skus/CUP-9', { boxSize: 'XXL' });
      expect(unknown.status).toBe(400);
      expect((await unknown.json()).code).toBe('VALIDATION_FAILED');
      await putSku('CUP-9', { boxSize: 'M' });
      const inUse = await request('DELETE', '/api/v1/box-sizes/M');
      expect(inUse.status).toBe(409);
      expect((await inUse.json()).code).toBe('CONFLICT');
      await request('DELETE', '/api/v1/skus/CUP-9');
      expect((await request('PUT', '/api/v1/box-sizes/TMP', { packagingWeightGrams: 1 })).status).toBe(201);
      expect((await request('PUT', '/api/v1/box-sizes/TMP', { name: 'Tiny', packagingWeightGrams: 2 })).status).toBe(200);
      expect((await request('DELETE', '/api/v1/box-sizes/TMP')).status).toBe(204);
      expect(await (await request('GET', '/api/v1/box-sizes')).json()).toEqual({
        items: [
          { code: 'L', name: 'Box L', packagingWeightGrams: 300 },
          { code: 'M', name: 'Box M', packagingWeightGrams: 150 },
          { code: 'S', name: 'Box S', packagingWeightGrams: 40 },
        ],
      });
      expect((await request('PUT', '/api/v1/box-sizes/NEG', { packagingWeightGrams: -1 })).status).toBe(400);
    });

    it('is for the owner and sellers: a packer may not read or change it', async () => {
      const owner = shop.ownerToken;
      expect((await request('GET', '/api/v1/skus', undefined, owner)).status).toBe(200);
      expect((await request('GET', '/api/v1/skus', undefined, packer)).status).toBe(403);
      expect((await request('PUT', '/api/v1/skus/X', { unitWeightGrams: 1 }, packer)).status).toBe(403);
      expect((await request('GET', '/api/v1/box-sizes', undefined, packer)).status).toBe(403);
      expect((await importFile('SKU\nX\n', 'x.csv', packer)).status).toBe(403);
      expect((await server.request('GET', '/api/v1/skus')).status).toBe(401);
    });
  });

  describe('imported from a file', () => {
    it('reads English headers, kilograms and pounds by a unit column, and box sizes', async () => {
      const result = await imported('SKU,Name,Weight,Unit,Box\nMUG-W,White mug,0.38,kg,M\nTEA-1,Green tea,1,lb,\nSPOON,Spoon,25,,S\n');
      expect(result).toEqual({ created: 3, updated: 0, refused: [] });
      expect(await sku('MUG-W')).toEqual({ sku: 'MUG-W', name: 'White mug', unitWeightGrams: 380, boxSize: 'M' });
      expect(await sku('TEA-1')).toMatchObject({ unitWeightGrams: 453.59 });
      expect(await sku('SPOON')).toMatchObject({ unitWeightGrams: 25, boxSize: 'S' });
    });

    it('reads Korean headers in a semicolon-separated file, and updates what is there without clearing the cells left empty', async () => {
      const result = await imported('상품코드;상품명;무게(g);박스\nMUG-W;;390;\n접시-01;접시;520;L\n');
      expect(result).toEqual({ created: 1, updated: 1, refused: [] });
      expect(await sku('MUG-W')).toEqual({ sku: 'MUG-W', name: 'White mug', unitWeightGrams: 390, boxSize: 'M' });
      expect(await sku('접시-01')).toEqual({ sku: '접시-01', name: '접시', unitWeightGrams: 520, boxSize: 'L' });
    });

    it('reads a CP949 file, as Korean seller centres export it, tab-separated', async () => {
      const text = '상품코드\t상품명\t무게\t단위\n그릇-02\t국그릇\t0.45\tkg\n그릇-03\t밥그릇 "작은"\t300\tg\n';
      const bytes = iconv.encode(text, 'cp949');
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
      const result = await imported(bytes);
      expect(result).toEqual({ created: 2, updated: 0, refused: [] });
      expect(await sku('그릇-02')).toEqual({ sku: '그릇-02', name: '국그릇', unitWeightGrams: 450 });
      expect(await sku('그릇-03')).toMatchObject({ name: '밥그릇 "작은"', unitWeightGrams: 300 });
    });

    it('reads an XLSX workbook, refusing a row with a formula cell and never using its result', async () => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('SKUs');
      sheet.addRow(['SKU', '상품명', 'Weight', 'Box']);
      sheet.addRow(['XL-1', 'Jar', 640, 'L']);
      sheet.addRow(['XL-2', 'Lid', { formula: '2*20', result: 40 }, '']);
      sheet.addRow(['XL-3', { richText: [{ text: 'Rich ' }, { text: 'name' }] }, 12.5, '']);
      workbook.addWorksheet('Notes').addRow(['not', 'a', 'catalogue']);
      const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
      const result = await imported(bytes, 'catalogue.xlsx');
      expect(result.created).toBe(2);
      expect(result.refused).toEqual([{ line: 3, code: 'FORMULA_CELL', reason: expect.stringContaining('formula') }]);
      expect(await sku('XL-1')).toEqual({ sku: 'XL-1', name: 'Jar', unitWeightGrams: 640, boxSize: 'L' });
      expect(await sku('XL-3')).toEqual({ sku: 'XL-3', name: 'Rich name', unitWeightGrams: 12.5 });
      expect((await request('GET', '/api/v1/skus/XL-2')).status).toBe(404);
    });

    it('imports the good rows and refuses each broken one with its line and why', async () => {
      const file = [
        'sku,name,weight,unit,box',
        'OK-1,Fine,100,g,', // 2
        ',No SKU,100,g,', // 3
        'BAD-W,Bad weight,heavy,g,', // 4
        'BAD-U,Bad unit,100,stone,', // 5
        'BAD-B,Bad box,100,g,XXL', // 6
        'HUGE,Too heavy,2000,kg,', // 7
        '', // 8: an empty line is no row
        'OK-2,"Quoted, with comma",1,250,g,', // 9: "1,250" unquoted is two cells, so "250" is read as the unit
        `LONG,${'x'.repeat(600)},1,g,`, // 10
        'OK-3,"Grouped",1250,g,', // 11
      ].join('\n');
      const result = await imported(file);
      expect(result.refused.map(({ line, code }) => ({ line, code }))).toEqual([
        { line: 3, code: 'MISSING_SKU' },
        { line: 4, code: 'BAD_WEIGHT' },
        { line: 5, code: 'BAD_UNIT' },
        { line: 6, code: 'UNKNOWN_BOX_SIZE' },
        { line: 7, code: 'BAD_WEIGHT' },
        { line: 9, code: 'BAD_UNIT' },
        { line: 10, code: 'CELL_TOO_LONG' },
      ]);
      expect(result.refused[3].reason).toContain('XXL');
      expect(result.created).toBe(2);
      expect(await sku('OK-3')).toMatchObject({ unitWeightGrams: 1250 });
    });

    it('refuses a 10 MB cell and a row whose quote never closes, keeping the rows around them', async () => {
      const file = `SKU,name,weight\nBIG,${'x'.repeat(10 * 1024 * 1024)},1\nAFTER-BIG,After,2\nOPEN,"never closed,3\n`;
      const result = await imported(file);
      expect(result.refused.map(({ line, code }) => ({ line, code }))).toEqual([
        { line: 2, code: 'CELL_TOO_LONG' },
        { line: 4, code: 'UNREADABLE_ROW' },
      ]);
      expect(result.created).toBe(1);
      expect(await sku('AFTER-BIG')).toMatchObject({ unitWeightGrams: 2 });
    });

    it('refuses a row that is not UTF-8 in a file that starts as UTF-8', async () => {
      const rows = Array.from({ length: 3000 }, (_, i) => `FILL-${i},Filler item ${i} — 채움,10,g,`).join('\n');
      const head = Buffer.from(`sku,name,weight,unit,box\n${rows}\n`, 'utf8');
      expect(head.length).toBeGreaterThan(64 * 1024);
      const bytes = Buffer.concat([head, iconv.encode('CP-1,밥그릇,10,g,\n', 'cp949'), Buffer.from('UTF-1,국자,10,g,\n')]);
      const result = await imported(new Uint8Array(bytes));
      expect(result.refused).toEqual([{ line: 3002, code: 'NOT_UTF8', reason: expect.any(String) }]);
      expect(result.created).toBe(3001);
      expect(await sku('UTF-1')).toMatchObject({ name: '국자' });
    });

    it('answers 4xx, writing nothing, for a file without a SKU column, an empty file, a broken workbook or no file', async () => {
      for (const [bytes, name] of [
        ['name,weight\nMug,380\n', 'a.csv'],
        ['', 'empty.csv'],
        [new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8, 9]), 'broken.xlsx'],
      ] as const) {
        const response = await importFile(bytes, name);
        expect(response.status, name).toBe(400);
        expect((await response.json()).code).toBe('VALIDATION_FAILED');
      }
      const form = new FormData();
      form.append('other', new Blob(['SKU\nX\n']), 'x.csv');
      expect((await server.request('POST', '/api/v1/skus/imports', { token: seller, body: form })).status).toBe(400);
      expect((await request('POST', '/api/v1/skus/imports', { file: 'SKU' })).status).toBe(415);
      expect((await request('GET', '/api/v1/skus/X')).status).toBe(404);
    });
  });

  describe('in orders', () => {
    beforeAll(async () => {
      await putSku('BOWL', { name: 'Bowl', unitWeightGrams: 300, boxSize: 'M' });
      await putSku('PLATE', { name: 'Plate', unitWeightGrams: 500, boxSize: 'L' });
      await putSku('NAPKIN', { name: 'Napkin', unitWeightGrams: 20 });
    });

    it('gives items without a weight of their own their SKU’s, and the box size’s packaging', async () => {
      const created = await putOrder('SO-1', {
        items: [
          { sku: 'BOWL', name: 'Bowl', quantity: 2 },
          { sku: 'NAPKIN', name: 'Napkin', quantity: 4, unitWeightGrams: 25 },
        ],
      });
      expect(created.items).toEqual([
        { sku: 'BOWL', name: 'Bowl', quantity: 2, unitWeightGrams: 300, weightKnown: true, weightFrom: 'catalogue' },
        { sku: 'NAPKIN', name: 'Napkin', quantity: 4, unitWeightGrams: 25, weightKnown: true, weightFrom: 'order' },
      ]);
      expect(created).toMatchObject({
        itemsWithoutWeight: 0,
        expectedWeightGrams: 850,
        expectedWeightParts: { itemsGrams: 700, packagingGrams: 150, packagingFrom: 'box', boxSize: 'M' },
      });
    });

    it('counts the largest box among the items, the order’s own packaging over it, and the shop’s default without any', async () => {
      const both = await putOrder('SO-2', { items: [{ sku: 'BOWL', name: 'Bowl', quantity: 1 }, { sku: 'PLATE', name: 'Plate', quantity: 1 }] });
      expect(both).toMatchObject({ expectedWeightGrams: 1100, expectedWeightParts: { packagingGrams: 300, packagingFrom: 'box', boxSize: 'L' } });
      const own = await putOrder('SO-2', { packagingWeightGrams: 90 });
      expect(own).toMatchObject({ expectedWeightGrams: 890, expectedWeightParts: { packagingGrams: 90, packagingFrom: 'order' } });
      expect(own.expectedWeightParts).not.toHaveProperty('boxSize');
      expect((await request('PATCH', '/api/v1/shop', { packagingWeightGrams: 35 }, shop.ownerToken)).status).toBe(200);
      const none = await putOrder('SO-3', { items: [{ sku: 'NAPKIN', name: 'Napkin', quantity: 2 }] });
      expect(none).toMatchObject({ expectedWeightGrams: 75, expectedWeightParts: { packagingGrams: 35, packagingFrom: 'shop' } });
      expect((await request('PATCH', '/api/v1/shop', { packagingWeightGrams: 0 }, shop.ownerToken)).status).toBe(200);
    });

    it('says which items have no known weight, and gives no expected weight while any has none', async () => {
      const partly = await putOrder('SO-4', {
        items: [
          { sku: 'BOWL', name: 'Bowl', quantity: 1 },
          { sku: 'UNKNOWN-SKU', name: 'Mystery', quantity: 1 },
          { name: 'Gift card', quantity: 1 },
        ],
      });
      expect(partly.items.map((item) => item.weightKnown)).toEqual([true, false, false]);
      expect(partly.items[1]).not.toHaveProperty('unitWeightGrams');
      expect(partly.itemsWithoutWeight).toBe(2);
      expect(partly.expectedWeightGrams).toBeUndefined();
      const found = await (await request('GET', '/api/v1/orders?q=SO-4')).json();
      expect(found.items[0]).toMatchObject({ orderId: 'SO-4', itemsWithoutWeight: 2 });
    });

    it('follows a catalogue fix in an open order, while a finished capture keeps the weight it was judged against, in its verdict and its logged facts', async () => {
      await putOrder('SO-5', { items: [{ sku: 'PLATE', name: 'Plate', quantity: 2 }], trackingNumbers: ['SO5-TRACK'] });
      expect((await order('SO-5')).expectedWeightGrams).toBe(1300);

      // A packer's capture on the order is held to the catalogue's expected weight.
      const capture = await (await request('POST', '/api/v1/captures', { orderId: 'SO-5', kind: 'packing', weight: { value: 1.3, unit: 'kg' } }, packer)).json();
      expect(capture.weightCheck).toMatchObject({ verdict: 'ok', expectedGrams: 1300 });
      expect((await request('POST', `/api/v1/captures/${capture.id}/finish`, undefined, packer)).status).toBe(200);
      const byTracking = await (await request('GET', '/api/v1/orders/by-tracking/SO5-TRACK', undefined, packer)).json();
      expect(byTracking.expectedWeightGrams).toBe(1300);

      await putSku('PLATE', { name: 'Plate', unitWeightGrams: 450, boxSize: 'L' });
      const fixed = await order('SO-5');
      expect(fixed.expectedWeightGrams).toBe(1200);
      // The finished capture keeps the basis it was judged against (1300 g expected: ok), and the search's SQL agrees.
      const captures = (fixed as unknown as { captures: { weightCheck: { verdict: string; expectedGrams: number } }[] }).captures;
      expect(captures[0].weightCheck).toMatchObject({ verdict: 'ok', expectedGrams: 1300 });
      const warned = await (await request('GET', '/api/v1/orders?q=SO-5&weightWarnings=true')).json();
      expect(warned.items).toEqual([]);
      // The log keeps what was expected when the capture finished.
      const proof = await (await request('GET', `/api/v1/captures/${capture.id}/proof`)).json();
      expect(proof.entry).toContain('expected-grams 1300\n');
    });
  });
});
