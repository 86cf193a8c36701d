// A courier claim in the dashboard, in real Chromium at a desk and on a phone: a photo's courier tags
// as chips on the order page, the claim's dates that do not agree on the dispute page (with what to do
// about a missing photo), and the claim's last filing day among Today's reminders. Screens are written
// in English and Korean to test-artifacts/dashboard/.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardSizes, openDashboardBrowser, shootScreen, signedInOwner, wait, type DashboardBrowser } from '../helpers/dashboard';
import { fixture, startServer, type TestServer } from '../helpers/server';

describe.each(dashboardSizes)('a courier claim on a $name', (size) => {
  let dashboard: DashboardBrowser;
  let server: TestServer;
  let now = new Date('2026-11-18T01:00:00Z'); // packed 10:00 in Seoul on 18 November
  let disputeId: string;

  beforeAll(async () => {
    dashboard = await openDashboardBrowser(size);
    server = await startServer({}, { clock: () => now });
    const shop = await signedInOwner(server, dashboard.page);
    const seller = await shop.token('seller');
    const phone = (await shop.deviceToken('Table 1 phone')).token;
    const call = async (method: string, route: string, options: { json?: unknown; body?: FormData }, token = seller) => {
      const response = await server.request(method, `/api/v1${route}`, { token, ...options });
      expect(response.status, `${method} ${route}: ${await response.clone().text()}`).toBeLessThan(300);
      return response.json();
    };
    // Delivered (so the shop's system says) the day before it was packed, and before it was shipped.
    await call('PUT', '/orders/CLM-W', {
      json: { items: [{ name: 'Ceramic mug', quantity: 2, unitWeightGrams: 380 }], carrier: 'CJ대한통운', trackingNumbers: ['601200001111'], shippedAt: '2026-11-19T02:00:00Z', deliveredAt: '2026-11-17T00:00:00Z' },
    });
    const packing = await call('POST', '/captures', { json: { orderId: 'CLM-W', kind: 'packing', weight: { value: 905, unit: 'g' } } }, phone);
    const form = new FormData();
    form.append('tags', 'label_closeup,weight');
    form.append('file', new Blob([fs.readFileSync(fixture('photo.webp'))]), 'label.webp');
    form.append('tags', '');
    form.append('file', new Blob([fs.readFileSync(fixture('photo.png'))]), 'box.png');
    await call('POST', `/captures/${packing.id}/media`, { body: form }, phone);
    await call('POST', `/captures/${packing.id}/finish`, {}, phone);
    const dispute = await call('POST', '/disputes', { json: { orderId: 'CLM-W', reason: 'damaged', counterparty: 'courier' } });
    disputeId = dispute.id;
    await call('POST', `/disputes/${disputeId}/evidence`, { json: { captureId: packing.id } });
    // Korean standard parcel terms: 14 days from the recorded delivery on 17 November, so the last day is 1 December.
    now = new Date('2026-11-30T12:00:00Z');
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await dashboard?.close();
  });

  it('shows a photo’s courier tags as chips in the reader’s language', async () => {
    const { page } = dashboard;
    await page.goto(`${server.url}/orders/CLM-W`);
    const tags = page.getByRole('list', { name: 'Courier photo tags' });
    await tags.first().waitFor(wait);
    expect(await tags.count()).toBe(1);
    expect(await tags.getByRole('listitem').allTextContents()).toEqual(['Label close-up', 'Scale display']);
    await shootScreen(page, size, 'order-photo-tags');
    await page.locator('header select').selectOption('ko');
    try {
      await expect.poll(() => page.locator('.media-tags li').allTextContents()).toEqual(['운송장 근접', '저울 표시']);
    } finally {
      await page.locator('header select').selectOption('en');
    }
  });

  it('flags the dates that do not agree beside the claim, and says how to add a missing photo', async () => {
    const { page } = dashboard;
    await page.goto(`${server.url}/disputes/${disputeId}`);
    const claim = page.getByRole('group', { name: 'Courier claim' });
    const dates = claim.getByRole('alert');
    await dates.waitFor(wait);
    expect(await dates.getByRole('heading').textContent()).toBe('Dates that do not agree');
    expect(await dates.getByRole('listitem').allTextContents()).toEqual([
      'The delivery date (2026-11-17) is before the ship date (2026-11-19).',
      'The packing was recorded at 2026-11-18 10:00:00 KST, after the delivery date (2026-11-17).',
    ]);
    const photos = claim.locator('.claim-photos li');
    expect(await photos.filter({ hasText: 'Shipping label' }).textContent()).toContain('in the evidence: E1');
    expect(await photos.filter({ hasText: 'closed and sealed box' }).textContent()).toMatch(/sealed box\s*missing$/);
    expect(await claim.getByText('Only a photo tagged with what it shows counts').textContent()).toContain('one tap on the packing phone');
    await shootScreen(page, size, 'dispute-claim-dates');
  });

  it('lists the last day to file the claim among Today’s reminders', async () => {
    const { page } = dashboard;
    await page.goto(`${server.url}/`);
    const reminders = page.getByRole('region', { name: 'Reminders' });
    await reminders.getByRole('link', { name: 'Order CLM-W: Arrived damaged' }).waitFor(wait);
    expect(await reminders.textContent()).toMatch(/Due within 48 hours:\s*Order CLM-W: Arrived damaged · last day to file the courier claim: Dec 1, 2026/);
    expect(await reminders.getByRole('link', { name: 'Order CLM-W: Arrived damaged' }).getAttribute('href')).toBe(`/disputes/${disputeId}`);
    await shootScreen(page, size, 'today-claim-reminder');
  });
});
