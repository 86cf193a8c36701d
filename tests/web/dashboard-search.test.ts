// The orders screen in real Chromium at desk and phone size: results with a thumbnail, the capture's
// kind, station and time, and the weight verdict in words; filters that narrow the list and live in
// the address.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardSizes, openDashboardBrowser, shootScreen, signedInOwner, wait, type DashboardBrowser } from '../helpers/dashboard';
import { fixture, startServer, uploadFiles, type TestServer } from '../helpers/server';

const napkins = [{ name: 'Linen napkins, dozen', quantity: 4, unitWeightGrams: 570 }];

describe.each(dashboardSizes)('searching orders on a $name', (size) => {
  let server: TestServer;
  let browser: DashboardBrowser;

  beforeAll(async () => {
    server = await startServer();
    browser = await openDashboardBrowser(size);
    const shop = await signedInOwner(server, browser.page);
    const token = shop.ownerToken;
    const request = async (method: string, route: string, json: unknown) => {
      const response = await server.request(method, route, { token, json });
      expect(response.status, await response.clone().text()).toBeLessThan(300);
      return (await response.json()) as { id: string };
    };
    await request('PUT', '/api/v1/orders/SS-2026-0417', { items: napkins, buyer: { name: '김민준' }, trackingNumbers: ['601234567890'] });
    await request('PUT', '/api/v1/orders/SS-2026-0418', { items: napkins, buyer: { name: 'Olivia Park' }, trackingNumbers: ['1Z999AA10123456784'] });
    await request('PUT', '/api/v1/orders/SS-2026-0419', { buyer: { name: '이서연' } });
    const packed = await request('POST', '/api/v1/captures', { orderId: 'SS-2026-0417', kind: 'packing', station: 'Table 2', weight: { value: 2310, unit: 'g' } });
    const photo = new Uint8Array(fs.readFileSync(fixture('photo-orientation6-gps.jpg')));
    expect((await uploadFiles(server, token, packed.id, [{ name: 'contents.jpg', bytes: photo, type: 'image/jpeg' }])).status).toBe(201);
    const light = await request('POST', '/api/v1/captures', { orderId: 'SS-2026-0418', kind: 'packing', station: 'Table 1', weight: { value: 1.71, unit: 'kg' } });
    expect((await uploadFiles(server, token, light.id, [{ name: 'box.png', bytes: new Uint8Array(fs.readFileSync(fixture('photo.png'))), type: 'image/png' }])).status).toBe(201);
    await request('POST', '/api/v1/disputes', { orderId: 'SS-2026-0418', reason: 'item_missing', counterparty: 'buyer' });
    // A station named the way phones often are: "Station 3" is not to read "Station Station 3".
    await request('PUT', '/api/v1/orders/SS-2025-1101', { buyer: { name: 'Station test' } });
    await request('POST', '/api/v1/captures', { orderId: 'SS-2025-1101', kind: 'packing', station: 'Station 3' });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows each order with a thumbnail, the capture’s kind, station and time, and the weight verdict in words', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Orders' }).click();
    await page.getByRole('searchbox', { name: 'Search orders' }).waitFor(wait);
    const light = page.getByRole('link', { name: /SS-2026-0418/ });
    await light.waitFor(wait);
    await expect.poll(() => page.locator('#search-status').textContent(), wait).toBe('Latest orders');
    const text = (await light.textContent()) ?? '';
    for (const fact of ['Olivia Park', 'Packing', 'Station Table 1', '570 g light', 'Dispute']) expect(text).toContain(fact);
    // The time in the shop's zone (Asia/Seoul, as the test shop is set up).
    expect(text).toMatch(/GMT\+9|KST/);
    expect(await page.getByRole('link', { name: /SS-2026-0417/ }).textContent()).toContain('Weight OK');
    expect(await page.getByRole('link', { name: /SS-2026-0419/ }).textContent()).toContain('No captures yet');
    const named = (await page.getByRole('link', { name: /SS-2025-1101/ }).textContent()) ?? '';
    expect(named).toContain('Packing · Station 3');
    expect(named).not.toContain('Station Station');

    // The thumbnail is the capture's photo, loaded, and says what it is.
    const thumbnail = page.getByRole('link', { name: /SS-2026-0417/ }).getByRole('img', { name: 'Picture from the Packing capture' });
    await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), wait).toBe(true);

    // Typing narrows the list while the verdicts stay.
    await page.getByRole('searchbox', { name: 'Search orders' }).pressSequentially('2026-04', { delay: 30 });
    await expect.poll(() => page.locator('#search-status').textContent(), wait).toBe('3 orders');
    await page.getByRole('searchbox', { name: 'Search orders' }).fill('');
    await expect.poll(() => page.locator('#search-status').textContent(), wait).toBe('Latest orders');
  });

  it('narrows the results with a filter, keeps it in the address, and shows it again after a reload', async () => {
    const { page } = browser;
    const checkbox = page.getByRole('checkbox', { name: 'Weight warnings only' });
    // On a phone the filter bar is folded away until asked for.
    expect(await checkbox.isVisible()).toBe(!size.phone);
    if (size.phone) await page.getByText('Filters', { exact: true }).click();
    await checkbox.check();
    await expect.poll(() => page.locator('#search-status').textContent(), wait).toBe('1 order');
    await page.getByRole('link', { name: /SS-2026-0418/ }).waitFor(wait);
    expect(new URL(page.url()).searchParams.get('weightWarnings')).toBe('true');
    await shootScreen(page, size, 'search');

    await page.getByLabel('Capture kind').selectOption('unboxing');
    await expect.poll(() => page.locator('#search-status').textContent(), wait).toBe('No order matches these filters.');
    expect(new URL(page.url()).search).toBe('?kind=unboxing&weightWarnings=true');

    await page.reload();
    await expect.poll(() => page.locator('#search-status').textContent(), wait).toBe('No order matches these filters.');
    expect(await page.getByRole('checkbox', { name: 'Weight warnings only' }).isChecked()).toBe(true);
    expect(await page.getByLabel('Capture kind').inputValue()).toBe('unboxing');

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => page.locator('#search-status').textContent(), wait).toBe('Latest orders');
    await page.getByLabel('Station').fill('Table 2');
    await expect.poll(() => page.locator('#search-status').textContent(), wait).toBe('1 order');
    await page.getByRole('link', { name: /SS-2026-0417/ }).waitFor(wait);
  });
});
