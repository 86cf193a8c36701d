// Orders in, from the dashboard, in real Chromium at desk and phone size: the SKU catalogue filled by
// hand and from a CSV list (a refused row listed with its line), then a marketplace export imported
// with the seller's own columns: the preview counts new orders and lists the refused rows, "Import"
// writes them, and an imported order is found by its tracking number, its items marked where no
// weight is known. The owner's purge of old buyer details says what it keeps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardSizes, openDashboardBrowser, shootScreen, signedInOwner, wait, type DashboardBrowser } from '../helpers/dashboard';
import { fixture, startServer, type Shop, type TestServer } from '../helpers/server';

/** A day's export as a small shop's custom sheet: two good orders (one with two items), one with an unknown SKU, two broken rows. */
const ordersCsv = [
  'Order,Tracking,Buyer,SKU,Product,Qty',
  'IMP-1001,TRK5550001,Kim Minjun,NAP-12,Linen napkins,2',
  'IMP-1002,TRK5550002,Olivia Park,MUG-01,Stoneware mug,1',
  'IMP-1002,TRK5550002,Olivia Park,NAP-12,Linen napkins,1',
  ',TRK5550003,Nobody,NAP-12,Linen napkins,1',
  'IMP-1004,TRK5550004,Lee Seoyeon,NAP-12,Linen napkins,many',
  'IMP-1005,TRK5550005,Chen Wei,TEA-9,Oolong tea,3',
].join('\n');

const skusCsv = ['sku,name,weight', 'MUG-01,Stoneware mug,340', 'BAD-1,Broken row,heavy'].join('\n');

describe.each(dashboardSizes)('importing orders on a $name', (size) => {
  let server: TestServer;
  let browser: DashboardBrowser;
  let shop: Shop;

  beforeAll(async () => {
    server = await startServer();
    browser = await openDashboardBrowser(size);
    shop = await signedInOwner(server, browser.page);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('fills the SKU catalogue by hand and from a list, the refused row listed with its line', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('link', { name: 'Open the SKU catalogue' }).click();
    await page.getByRole('heading', { level: 1, name: 'SKU catalogue' }).waitFor(wait);
    await expect.poll(() => page.locator('#skus-status').textContent(), wait).toContain('No SKUs yet');

    await page.getByLabel('Box code').fill('S');
    await page.getByLabel('Box name').fill('Small box');
    await page.getByLabel('Packaging weight (g)').fill('120');
    await page.getByRole('button', { name: 'Save box size' }).click();
    await page.getByRole('row', { name: /Small box/ }).waitFor(wait);

    await page.getByLabel('SKU', { exact: true }).fill('NAP-12');
    await page.getByLabel('Product name').fill('Linen napkins, dozen');
    await page.getByLabel('Unit weight (g)').fill('570');
    await page.getByLabel('Box size', { exact: true }).selectOption('S');
    await page.getByRole('button', { name: 'Save SKU' }).click();
    await expect.poll(() => page.locator('#sku-status').textContent(), wait).toBe('NAP-12 saved.');
    await page.getByRole('row', { name: /NAP-12/ }).waitFor(wait);

    await page.getByLabel('SKU list (CSV or XLSX)').setInputFiles({ name: 'skus.csv', mimeType: 'text/csv', buffer: Buffer.from(skusCsv) });
    await page.getByRole('button', { name: 'Import SKUs' }).click();
    await expect.poll(() => page.locator('#sku-import-result').textContent(), wait).toBe('1 added, 0 updated, 1 refused.');
    const refused = page.locator('#sku-refused tbody tr');
    await expect.poll(() => refused.count(), wait).toBe(1);
    expect(await refused.first().locator('td').first().textContent()).toBe('3');
    await expect.poll(() => page.locator('#skus-status').textContent(), wait).toBe('2 SKUs');
    expect(await page.getByRole('row', { name: /MUG-01/ }).textContent()).toContain('340 g');
    await shootScreen(page, size, 'sku-catalogue');
  });

  it('imports an export with the seller’s own columns: preview, refused rows by line, import, then finds the order', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Orders' }).click();
    await page.getByRole('link', { name: 'Import orders' }).click();
    await page.getByRole('heading', { level: 1, name: 'Import orders' }).waitFor(wait);
    expect(new URL(page.url()).pathname).toBe('/orders/import');

    await page.getByLabel('Where the file comes from').selectOption('custom');
    // A custom file: the seller names each column, offered from the file's own header line.
    await page.getByLabel('Order ID').waitFor(wait);
    await page.getByLabel('Order export (CSV or XLSX)').setInputFiles({ name: 'orders-today.csv', mimeType: 'text/csv', buffer: Buffer.from(ordersCsv) });
    await expect.poll(() => page.locator('#import-headers option').count(), wait).toBe(6);
    const columns: [string, string][] = [
      ['Order ID', 'Order'],
      ['Tracking number', 'Tracking'],
      ['Buyer name', 'Buyer'],
      ['Item SKU', 'SKU'],
      ['Item name', 'Product'],
      ['Item quantity', 'Qty'],
    ];
    for (const [label, column] of columns) await page.getByLabel(label, { exact: true }).fill(column);
    await shootScreen(page, size, 'import-orders');

    await page.getByRole('button', { name: 'Upload and preview' }).click();
    const preview = page.getByRole('heading', { name: 'Preview of orders-today.csv' });
    await preview.waitFor(wait);
    // Focus moves to the preview, so a keyboard or screen-reader user lands on it.
    await expect.poll(() => preview.evaluate((heading) => heading === document.activeElement), wait).toBe(true);
    const total = (name: string) => page.locator(`.import-total-${name} dd`).textContent();
    expect(await total('new')).toBe('3');
    expect(await total('updated')).toBe('0');
    expect(await total('refused')).toBe('2');
    const refusedLines = await page.locator('#import-refused tbody tr td.import-line').allTextContents();
    expect(refusedLines).toEqual(['5', '6']);
    expect(await page.locator('#import-sample').textContent()).toContain('IMP-1002');
    const reasons = () => page.locator('#import-refused tbody tr td:not(.import-line)').allTextContents();
    expect(await reasons()).toEqual(['The row has no order ID.', 'The quantity is not a whole number of 1 or more.']);
    await shootScreen(page, size, 'import-preview');
    // In the seller's language, from the reasons' codes (the server's words are English).
    await page.locator('header select').selectOption('ko');
    await expect.poll(reasons, wait).toEqual(['주문번호가 없는 행입니다.', '수량이 1 이상의 정수가 아닙니다.']);
    await page.locator('header select').selectOption('en');
    await expect.poll(reasons, wait).toEqual(['The row has no order ID.', 'The quantity is not a whole number of 1 or more.']);

    // Nothing is written before the seller says so.
    expect((await server.request('GET', '/api/v1/orders/IMP-1001', { token: shop.ownerToken })).status).toBe(404);
    await page.getByRole('button', { name: 'Import 3 orders' }).click();
    const done = page.locator('#import-done');
    await done.getByRole('heading', { name: 'Orders imported' }).waitFor(wait);
    expect(await done.textContent()).toContain('3 new, 0 updated, 0 unchanged.');

    await done.getByRole('link', { name: 'Find them in Orders' }).click();
    await page.getByRole('searchbox', { name: 'Search orders' }).fill('TRK5550005');
    const found = page.getByRole('link', { name: /IMP-1005/ });
    await found.waitFor(wait);
    expect(await found.textContent()).toContain('Chen Wei');
    await found.click();
    await page.getByRole('heading', { level: 1, name: /IMP-1005/ }).waitFor(wait);
    // The tea is in no catalogue: the order says so rather than guessing a weight.
    await expect.poll(() => page.locator('#order-facts').textContent(), wait).toContain('no weight known');
  });

  it('remembers the columns, and a second upload of the same file changes nothing', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/orders/import`);
    await page.getByLabel('Where the file comes from').waitFor(wait);
    expect(await page.getByLabel('Where the file comes from').inputValue()).toBe('custom');
    await expect.poll(() => page.getByLabel('Item quantity').inputValue(), wait).toBe('Qty');
    await page.getByLabel('Order export (CSV or XLSX)').setInputFiles({ name: 'orders-today.csv', mimeType: 'text/csv', buffer: Buffer.from(ordersCsv) });
    await page.getByRole('button', { name: 'Upload and preview' }).click();
    await page.getByRole('heading', { name: 'Preview of orders-today.csv' }).waitFor(wait);
    expect(await page.locator('.import-total-unchanged dd').textContent()).toBe('3');
    await page.locator('#import-nothing').waitFor(wait);
    expect(await page.getByRole('button', { name: /^Import \d+ order/ }).count()).toBe(0);
  });

  it('imports a Naver Smart Store export in the legacy Korean encoding with the preset’s columns', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Choose another file' }).click();
    await page.getByLabel('Where the file comes from').selectOption('naver_smartstore');
    const fold = page.getByText('Columns for Naver Smart Store');
    await fold.waitFor(wait);
    await page.getByLabel('Order export (CSV or XLSX)').setInputFiles(fixture('imports/naver-smartstore-cp949.csv'));
    // The header line is read in the browser too (EUC-KR/CP949), so the seller sees the file's own names.
    await expect.poll(() => page.locator('#import-headers option[value="주문번호"]').count(), wait).toBe(1);
    await page.getByRole('button', { name: 'Upload and preview' }).click();
    await page.getByRole('heading', { name: 'Preview of naver-smartstore-cp949.csv' }).waitFor(wait);
    expect(Number(await page.locator('.import-total-new dd').textContent())).toBeGreaterThan(0);
    expect(await page.locator('#import-sample').textContent()).toContain('이바다');
    // Order 2026112600000003 has no waybill yet: the preview says the phone cannot find it by scanning.
    expect(await page.locator('#import-no-tracking').textContent()).toBe('1 new order has no tracking number in the file: the packer finds it by its order ID, not by scanning the waybill.');
    await page.getByRole('button', { name: /^Import \d+ orders?$/ }).click();
    await page.locator('#import-done').getByRole('heading', { name: 'Orders imported' }).waitFor(wait);
    await page.getByRole('link', { name: 'Find them in Orders' }).click();
    await page.getByRole('searchbox', { name: 'Search orders' }).fill('640123450022');
    await page.getByRole('link', { name: /2026112600000002/ }).waitFor(wait);
  });

  it('says which column a mismatched file lacks, lists its own, and remembers columns only once they import', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/orders/import`);
    await page.getByLabel('Where the file comes from').selectOption('naver_smartstore');
    await page.getByText('Columns for Naver Smart Store').waitFor(wait);
    const odd = '주문번호2,송장,수취인,상품\nODD-1,TRK-ODD-1,한지우,머그컵\n';
    await page.getByLabel('Order export (CSV or XLSX)').setInputFiles({ name: 'odd.csv', mimeType: 'text/csv', buffer: Buffer.from(odd) });
    await page.getByRole('button', { name: 'Upload and preview' }).click();
    const unmatched = page.locator('#import-unmatched');
    await unmatched.waitFor(wait);
    expect(await unmatched.textContent()).toContain('The file has no “주문번호” column for the order ID');
    expect(await unmatched.textContent()).toContain('Its columns: 주문번호2, 송장, 수취인, 상품.');
    await shootScreen(page, size, 'import-unmatched');
    // The columns open for the seller to choose; typed, the file previews.
    const orderId = page.getByLabel('Order ID', { exact: true });
    await orderId.waitFor(wait);
    await orderId.fill('주문번호2');
    await page.getByRole('button', { name: 'Upload and preview' }).click();
    await page.getByRole('heading', { name: 'Preview of odd.csv' }).waitFor(wait);
    // Not imported: the preset's columns are still the channel's.
    const remembered = await (await server.request('GET', '/api/v1/orders/import-mappings/naver_smartstore', { token: shop.ownerToken })).json();
    expect(remembered.columns.orderId).toBe('주문번호');
    // The form keeps what was typed for another try; the preset's columns are one button away.
    await page.getByRole('button', { name: 'Choose another file' }).click();
    const orderIdAgain = page.getByLabel('Order ID', { exact: true });
    if (!(await orderIdAgain.isVisible())) await page.getByText('Columns for Naver Smart Store').click();
    expect(await orderIdAgain.inputValue()).toBe('주문번호2');
    await page.getByRole('button', { name: 'Use Naver Smart Store’s usual columns' }).click();
    expect(await orderIdAgain.inputValue()).toBe('주문번호');
    expect(await page.getByRole('button', { name: 'Use Naver Smart Store’s usual columns' }).count()).toBe(0);
  });

  it('lets the owner purge old buyer details, saying first what is kept', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Orders older than (days)').fill('30');
    await page.getByRole('button', { name: 'Purge buyer details…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove buyer details from orders older than 30 days?' });
    await dialog.waitFor(wait);
    expect(await dialog.textContent()).toContain('Kept: order IDs, items, tracking numbers');
    await dialog.getByRole('button', { name: 'Purge buyer details' }).click();
    // The orders were made today: none is old enough.
    await expect.poll(() => page.locator('#settings-purged').textContent(), wait).toBe('Buyer details removed from 0 orders.');
  });
});
