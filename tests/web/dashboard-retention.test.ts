// Retention in the dashboard, in real headless Chromium on a test clock: the owner holds a file on the
// order page with a reason, Settings lists what the retention job removes next (not the held file), the
// job removes the other and the order page says when and why; the hold is released from the page.
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardSizes, openDashboardBrowser, shootScreen, signedInOwner, wait, type DashboardBrowser } from '../helpers/dashboard';
import { listFiles, startServer, uploadFiles, type TestServer } from '../helpers/server';

const DAY = 86_400_000;
const ORDER_ID = 'RT-2026-0007';
const png = (seed: number) =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: { r: (seed * 91) % 256, g: 120, b: (seed * 53) % 256 } } }).png().toBuffer();

describe('retention on the dashboard', () => {
  const size = dashboardSizes[0];
  let server: TestServer;
  let dashboard: DashboardBrowser;
  const start = Date.now();
  let now = new Date(start);
  const media: { id: string; sha256: string }[] = [];
  let ownerToken: string;

  beforeAll(async () => {
    server = await startServer({ RETENTION_DAYS: '30', SESSION_TTL_HOURS: String(24 * 365) }, { clock: () => now });
    dashboard = await openDashboardBrowser(size);
    const shop = await signedInOwner(server, dashboard.page);
    ownerToken = shop.ownerToken;
    const phone = await shop.deviceToken('Station 1');
    await server.request('PUT', `/api/v1/orders/${ORDER_ID}`, { token: shop.ownerToken, json: {} });
    const capture = await (await server.request('POST', '/api/v1/captures', { token: phone.token, json: { orderId: ORDER_ID, kind: 'packing' } })).json();
    const upload = await uploadFiles(server, phone.token, capture.id, [
      { name: 'label.png', bytes: new Uint8Array(await png(1)) },
      { name: 'inside.png', bytes: new Uint8Array(await png(2)) },
    ]);
    expect(upload.status).toBe(201);
    media.push(...(await upload.json()).media);
    await server.request('POST', `/api/v1/captures/${capture.id}/finish`, { token: phone.token });
  }, 60_000);
  afterAll(async () => {
    await dashboard?.close();
    await server?.close();
  });

  it('holds a file from the order page with a reason, and shows when the other may be removed', async () => {
    const { page } = dashboard;
    await page.goto(`${server.url}/orders/${ORDER_ID}`);
    await page.getByRole('heading', { name: `Order ${ORDER_ID}`, level: 1 }).waitFor(wait);
    const first = page.locator(`[data-media-id="${media[0].id}"]`);
    const second = page.locator(`[data-media-id="${media[1].id}"]`);
    await first.getByText(/Kept until .*\(30-day retention\)/).waitFor(wait);

    await second.getByRole('button', { name: 'Hold · Photo 2' }).click();
    await second.getByLabel('Why (optional)').fill('Buyer asked for the photos in March');
    await second.getByRole('button', { name: 'Hold this file' }).click();
    await second.getByText('On hold').waitFor(wait);
    expect(await second.locator('.hold-line').textContent()).toContain('Buyer asked for the photos in March');
    expect(await second.locator('.media-retention').getAttribute('data-retention')).toBe('held');
    await second.getByRole('button', { name: 'Release hold · Photo 2' }).waitFor(wait);
    const hold = await (await server.request('GET', `/api/v1/retention/orders/${ORDER_ID}`, { token: ownerToken })).json();
    expect(hold.items.find((item: { mediaId: string }) => item.mediaId === media[1].id).hold.reason).toBe('Buyer asked for the photos in March');
    await shootScreen(page, size, 'order-retention-held');
  });

  it('lists in Settings the files removed next, soonest first, without the held one', async () => {
    const { page } = dashboard;
    await page.goto(`${server.url}/settings`);
    const card = page.locator('.retention-card');
    await card.getByText('Originals are kept 30 days after the server received them').waitFor(wait);
    const rows = card.locator('tbody tr');
    await expect.poll(() => rows.count(), wait).toBe(1);
    expect(await rows.first().getAttribute('data-media-id')).toBe(media[0].id);
    expect(await rows.first().textContent()).toContain(ORDER_ID);
    await shootScreen(page, size, 'settings-retention');
    await card.getByRole('link', { name: ORDER_ID }).click();
    await page.getByRole('heading', { name: `Order ${ORDER_ID}`, level: 1 }).waitFor(wait);
  });

  it('shows a removed file with when and why, keeps the held one, and releases the hold', async () => {
    now = new Date(start + 40 * DAY);
    expect(await server.app.runJob('retention')).toMatchObject({ removed: 1, originalsRemoved: 1 });
    expect(listFiles(path.join(server.dataDir, 'originals')).some((file) => file.endsWith(media[0].sha256))).toBe(false);

    const { page } = dashboard;
    await page.reload();
    const first = page.locator(`[data-media-id="${media[0].id}"]`);
    await first.getByRole('note').waitFor(wait);
    expect(await first.getByRole('note').textContent()).toMatch(/^Removed on .+ by the shop's retention policy\./);
    // Nothing of it to open: no thumbnail button, no download.
    expect(await first.locator('img, a[download]').count()).toBe(0);
    await first.locator('details.custody summary').click();
    await first.getByText('Removed by the retention policy').waitFor(wait);
    await shootScreen(page, size, 'order-retention-removed');

    const second = page.locator(`[data-media-id="${media[1].id}"]`);
    await second.getByRole('button', { name: 'Release hold · Photo 2' }).click();
    await second.getByRole('button', { name: 'Hold · Photo 2' }).waitFor(wait);
    // The button changes as soon as the hold is released; the state line follows when the order's retention is read again.
    await expect.poll(() => second.locator('.media-retention').getAttribute('data-retention'), wait).toBe('scheduled');
  });
});
