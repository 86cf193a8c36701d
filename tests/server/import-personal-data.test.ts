// What an order import keeps of buyers: an e-mail address given as buyer ref (Shopify's and Amazon's
// exports have no other buyer ID) is kept only as its keyed pseudonym, which a flag follows and a search
// for the address finds; the buyer names a preview shows go once it is committed or expired, and its
// staged rows (names, delivery notes) with it, hourly and with the buyer-details purge.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, setUpShop, startServer, type Shop, type TestServer } from '../helpers/server';

const HOUR = 3_600_000;
const SHOPIFY_ADDRESSES = ['ada@example.com', 'ben@example.com'];

describe('buyer details in order imports', () => {
  let server: TestServer;
  let shop: Shop;
  let seller: string;
  let offsetMs = 0;

  beforeAll(async () => {
    server = await startServer({}, { clock: () => new Date(Date.now() + offsetMs) });
    shop = await setUpShop(server);
    seller = await shop.token('seller');
  });
  afterAll(() => server.close());

  async function preview(channel: string, bytes: Uint8Array | string, fileName: string) {
    const form = new FormData();
    form.append('channel', channel);
    form.append('file', new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)]), fileName);
    const response = await server.request('POST', '/api/v1/orders/imports', { token: seller, body: form });
    expect(response.status, await response.clone().text()).toBe(201);
    return response.json();
  }
  const commit = async (id: string) => (await server.request('POST', `/api/v1/orders/imports/${id}/commit`, { token: seller })).json();
  const getImport = async (id: string) => (await server.request('GET', `/api/v1/orders/imports/${id}`, { token: seller })).json();
  const getOrder = async (orderId: string) => (await server.request('GET', `/api/v1/orders/${encodeURIComponent(orderId)}`, { token: seller })).json();
  const search = async (q: string) =>
    ((await (await server.request('GET', `/api/v1/orders?q=${encodeURIComponent(q)}`, { token: seller })).json()) as { items: { orderId: string }[] }).items.map((item) => item.orderId);
  /** Every text the database holds for imports and orders, to look for what must not be there. */
  function storedText(): string {
    const db = new Database(path.join(server.dataDir, 'packtrail.sqlite'), { readonly: true });
    try {
      return [
        ...db.prepare('SELECT preview, columns, file_name FROM order_imports').all(),
        ...db.prepare('SELECT fields FROM order_import_rows').all(),
        ...db.prepare('SELECT buyer_ref, buyer_name, delivery_note FROM orders').all(),
        ...db.prepare('SELECT buyer_ref, reason FROM buyer_flags').all(),
      ].map((row) => JSON.stringify(row)).join('\n');
    } finally {
      db.close();
    }
  }

  it('keeps an e-mail buyer ref only as its pseudonym: the same for the same address, found by searching the address, and followed by a flag', async () => {
    const previewed = await preview('shopify', fs.readFileSync(fixture('imports/shopify.csv')), 'shopify.csv');
    // Staged, waiting for the commit: the address is already gone.
    expect(storedText()).not.toContain('@example.com');
    expect(await commit(previewed.id)).toMatchObject({ created: 2 });
    const ada = await getOrder('#1001');
    expect(ada.buyer).toMatchObject({ ref: expect.stringMatching(/^email-[0-9a-f]{16}$/), name: 'Ada Park', flagged: false });
    expect((await getOrder('#1002')).buyer.ref).not.toBe(ada.buyer.ref);
    for (const address of SHOPIFY_ADDRESSES) expect(storedText()).not.toContain(address);

    // The seller finds her orders by the address from a marketplace e-mail, in any case.
    expect(await search('ada@example.com')).toEqual(['#1001']);
    expect(await search(' ADA@Example.com ')).toEqual(['#1001']);

    // Flagged on this order, the flag meets her next order from the next day's file.
    expect((await server.request('PUT', '/api/v1/orders/%231001', { token: seller, json: { buyer: { flagged: true, flagReason: 'Said an apron was missing twice' } } })).status).toBe(200);
    const nextDay = 'Name,Email,Lineitem quantity,Lineitem name,Lineitem sku,Shipping Name\n#1050,Ada@Example.com,1,Linen Apron,APR-LIN,Ada Park\n';
    expect(await commit((await preview('shopify', nextDay, 'next-day.csv')).id)).toMatchObject({ created: 1 });
    expect((await getOrder('#1050')).buyer).toEqual({ ref: ada.buyer.ref, name: 'Ada Park', flagged: true, flagReason: 'Said an apron was missing twice' });
    expect(await search('ada@example.com')).toEqual(['#1050', '#1001']);
  });

  it('keeps an address sent through PUT as the same pseudonym, so the buyer’s flag follows them there too', async () => {
    const imported = (await getOrder('#1001')).buyer.ref;
    const put = await server.request('PUT', '/api/v1/orders/API-1', { token: seller, json: { buyer: { ref: 'Ada Park <ADA@example.com>', name: 'Ada Park' } } });
    expect(put.status).toBe(201);
    expect((await put.json()).buyer).toEqual({ ref: imported, name: 'Ada Park', flagged: true, flagReason: 'Said an apron was missing twice' });
    expect(storedText()).not.toContain('@example.com');
  });

  it('tells apart buyers whose masked ref is the same (Coupang’s 구매자 "최*연"), so a flag stays with its buyer', async () => {
    const header = '주문번호,운송장번호,업체상품코드,등록상품명,구매수(수량),구매자,수취인이름\n';
    const first = `${header}C-100,570000000100,CUP-01,유리컵,1,최*연,최지연\nC-101,570000000101,CUP-01,유리컵,1,최*연,최민연\n`;
    expect(await commit((await preview('coupang_wing', first, 'coupang-1.csv')).id)).toMatchObject({ created: 2 });
    const [jiyeon, minyeon] = [(await getOrder('C-100')).buyer, (await getOrder('C-101')).buyer];
    expect(jiyeon.ref).toMatch(/^masked-[0-9a-f]{16}$/);
    expect(minyeon.ref).toMatch(/^masked-[0-9a-f]{16}$/);
    expect(jiyeon.ref).not.toBe(minyeon.ref);
    expect((await server.request('PUT', '/api/v1/orders/C-100', { token: seller, json: { buyer: { flagged: true, flagReason: '빈 상자 신고 두 번' } } })).status).toBe(200);
    const next = `${header}C-102,570000000102,CUP-01,유리컵,1,최*연,최지연\nC-103,570000000103,CUP-01,유리컵,1,최*연,최민연\n`;
    expect(await commit((await preview('coupang_wing', next, 'coupang-2.csv')).id)).toMatchObject({ created: 2 });
    expect((await getOrder('C-102')).buyer).toMatchObject({ ref: jiyeon.ref, flagged: true, flagReason: '빈 상자 신고 두 번' });
    expect((await getOrder('C-103')).buyer).toMatchObject({ ref: minyeon.ref, flagged: false });
    expect(storedText()).not.toContain('최*연');
  });

  it('keeps a buyer ref that is not an address as the file gives it', async () => {
    const file = 'order_id,buyer_ref,buyer_name\nREF-1,sky_kim,김하늘\n';
    expect(await commit((await preview('custom', file, 'refs.csv')).id)).toMatchObject({ created: 1 });
    expect((await getOrder('REF-1')).buyer).toMatchObject({ ref: 'sky_kim', name: '김하늘' });
  });

  it('shows buyer names in a preview only until it is committed', async () => {
    const previewed = await preview('custom', 'order_id,buyer_name,delivery_note\nNAME-1,윤서아,문 앞\n', 'names.csv');
    expect(previewed.sample).toEqual([expect.objectContaining({ orderId: 'NAME-1', buyerName: '윤서아' })]);
    await commit(previewed.id);
    const committed = await getImport(previewed.id);
    expect(committed).toMatchObject({ status: 'committed', totals: { recognised: 1 } });
    expect(committed.sample).toEqual([expect.not.objectContaining({ buyerName: expect.anything() })]);
    expect(committed.sample[0]).toMatchObject({ orderId: 'NAME-1', action: 'new' });
    // On the order, where the buyer-details purge reaches it.
    expect((await getOrder('NAME-1')).buyer.name).toBe('윤서아');
  });

  it('forgets an uncommitted preview’s staged rows and names once it expires: hourly, and with the purge', async () => {
    const left = await preview('custom', 'order_id,buyer_name,delivery_note\nLEFT-1,강도윤,경비실에 맡겨 주세요\n', 'left.csv');
    const kept = storedText();
    expect(kept).toContain('강도윤');
    expect(kept).toContain('경비실에 맡겨 주세요');

    offsetMs = 25 * HOUR;
    try {
      expect(await server.app.runJob('forget-import-buyer-details')).toEqual({ stagedDropped: 1, previewsCleared: 1 });
      const text = storedText();
      expect(text).not.toContain('강도윤');
      expect(text).not.toContain('경비실에 맡겨 주세요');
      const expired = await getImport(left.id);
      expect(expired.sample).toEqual([expect.not.objectContaining({ buyerName: expect.anything() })]);
      expect(await server.app.runJob('forget-import-buyer-details')).toEqual({ stagedDropped: 0, previewsCleared: 0 });

      // A preview left this morning, and names from before this rule in an old committed preview: the
      // purge clears both (the committed one stands for imports made before previews forgot names).
      await preview('custom', 'order_id,buyer_name\nLEFT-2,한지우\n', 'left-2.csv');
      const db = new Database(path.join(server.dataDir, 'packtrail.sqlite'));
      try {
        const old = new Date(Date.now() + offsetMs - 3 * 24 * HOUR).toISOString();
        db.prepare("UPDATE order_imports SET created_at = ?, expires_at = ? WHERE file_name = 'left-2.csv'").run(old, old);
      } finally {
        db.close();
      }
      const purged = await server.request('POST', '/api/v1/orders/buyer-details/purge', { token: shop.ownerToken, json: { olderThanDays: 2 } });
      expect(purged.status).toBe(200);
      expect(storedText()).not.toContain('한지우');
    } finally {
      offsetMs = 0;
    }
  });

  it('files addresses stored before refs were pseudonymised under their pseudonyms at start, flags with them', async () => {
    const db = new Database(path.join(server.dataDir, 'packtrail.sqlite'));
    try {
      db.prepare("UPDATE orders SET buyer_ref = 'old.buyer@example.org' WHERE external_id = 'REF-1'").run();
      db.prepare("INSERT INTO buyer_flags (buyer_ref, reason, flagged_at) VALUES ('old.buyer@example.org', 'Returned a used kettle', '2026-01-01T00:00:00.000Z')").run();
    } finally {
      db.close();
    }
    await server.close();
    server = await startServer({}, { dataDir: server.dataDir, clock: () => new Date(Date.now() + offsetMs) });
    const order = await getOrder('REF-1');
    expect(order.buyer).toMatchObject({ ref: expect.stringMatching(/^email-[0-9a-f]{16}$/), flagged: true, flagReason: 'Returned a used kettle' });
    expect(storedText()).not.toContain('old.buyer@example.org');
    expect(await search('old.buyer@example.org')).toEqual(['REF-1']);
  });
});
