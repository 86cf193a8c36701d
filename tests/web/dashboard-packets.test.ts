// Recipient packets on the dispute page, in real Chromium at a desk and on a phone: a chargeback through
// the payment processor on an order packed with tagged photos and a video → the packets that fit it
// (Stripe, Shopify, PayPal) listed first and marked, each with its state, deadline and limits beside the
// packet's figures; the other recipients behind a disclosure, eBay's stills marked as a derived copy of
// their original; the Stripe and Coupang ZIPs downloaded from the page, each answering 200 with
// packet.json and checklist.txt inside. Screens in English and Korean go to test-artifacts/dashboard/.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardSizes, openDashboardBrowser, shootScreen, signedInOwner, wait, type DashboardBrowser } from '../helpers/dashboard';
import { fixture, startServer, tempDir, type TestServer } from '../helpers/server';

const ORDER_ID = 'PKT-2026-1126';
const read = (name: string) => new Uint8Array(fs.readFileSync(fixture(name)));

describe.each(dashboardSizes)('recipient packets on a $name', (size) => {
  let server: TestServer;
  let dash: DashboardBrowser;
  let disputeId: string;
  let courierDisputeId: string;

  beforeAll(async () => {
    // Packed, shipped and delivered in the past (the server's clock held three days back), looked at today.
    let lagMs = 3 * 86_400_000;
    // A public address: packets carry no link to localhost.
    server = await startServer({ PUBLIC_URL: 'https://packtrail.example.com' }, { clock: () => new Date(Date.now() - lagMs) });
    dash = await openDashboardBrowser(size);
    const shop = await signedInOwner(server, dash.page);
    const seller = await shop.token('seller');
    const phone = (await shop.deviceToken('Packing phone')).token;
    const ok = async (response: Promise<Response>) => {
      const answer = await response;
      if (answer.status >= 300) throw new Error(`${answer.status} ${await answer.text()}`);
      return answer.json();
    };
    await ok(server.request('PUT', `/api/v1/orders/${ORDER_ID}`, {
      token: seller,
      json: {
        channel: 'shopify',
        buyer: { name: 'Dana Whitfield' },
        items: [{ sku: 'MUG-2', name: 'Stoneware mug, pair', quantity: 1, unitWeightGrams: 760 }],
        carrier: 'UPS',
        trackingNumbers: ['1Z999AA10123456784'],
        shippedAt: new Date(Date.now() - lagMs + 3 * 3_600_000).toISOString(),
        deliveredAt: new Date(Date.now() - lagMs + 30 * 3_600_000).toISOString(),
        declaredValue: { amount: 48, currency: 'USD' },
      },
    }));
    const packing = await ok(server.request('POST', '/api/v1/captures', { token: phone, json: { orderId: ORDER_ID, kind: 'packing', weight: { value: 905, unit: 'g' } } }));
    // The label photo tagged as the packing phone tags it: the processors ask for the shipping documentation.
    const form = new FormData();
    const files = [
      { name: 'inside.jpg', fixture: 'photo-orientation6-gps.jpg', type: 'image/jpeg', tags: 'packing_inside' },
      { name: 'sealed.png', fixture: 'photo.png', type: 'image/png', tags: 'packing_outside' },
      { name: 'label.webp', fixture: 'photo.webp', type: 'image/webp', tags: 'label_closeup' },
      { name: 'packing.mp4', fixture: 'clip-4s.mp4', type: 'video/mp4', tags: '' },
    ];
    for (const file of files) {
      form.append('tags', file.tags);
      form.append('file', new Blob([read(file.fixture)], { type: file.type }), file.name);
    }
    await ok(server.request('POST', `/api/v1/captures/${packing.id}/media`, { token: phone, body: form }));
    await ok(server.request('POST', `/api/v1/captures/${packing.id}/finish`, { token: phone }));
    // Due in 30 hours: inside the two days the dashboard marks as due soon.
    const dispute = await ok(server.request('POST', '/api/v1/disputes', {
      token: seller,
      json: { orderId: ORDER_ID, reason: 'not_received', counterparty: 'payment_processor', reference: 'dp_1QpKtr', respondBy: new Date(Date.now() + 30 * 3_600_000).toISOString() },
    }));
    disputeId = dispute.id;
    await ok(server.request('POST', `/api/v1/disputes/${disputeId}/evidence`, { token: seller, json: { captureId: packing.id } }));
    // The same parcel claimed from the courier: its packet and the Courier claim panel side by side.
    const claim = await ok(server.request('POST', '/api/v1/disputes', { token: seller, json: { orderId: ORDER_ID, reason: 'damaged', counterparty: 'courier' } }));
    courierDisputeId = claim.id;
    await ok(server.request('POST', `/api/v1/disputes/${courierDisputeId}/evidence`, { token: seller, json: { captureId: packing.id } }));
    lagMs = 0;
  }, 120_000);
  afterAll(async () => {
    await dash?.close();
    await server?.close();
  });

  /** Downloads a packet through its link on the page, as a person does; the unpacked ZIP's folder. */
  async function download(page: Page, name: string, recipient: string): Promise<string> {
    const downloading = page.waitForEvent('download', { timeout: 240_000 });
    await page.getByRole('link', { name: `Download the packet for ${name}: ZIP in English` }).click();
    const file = await downloading;
    expect(await file.failure()).toBeNull();
    expect(file.url()).toContain('lang=en');
    expect(file.suggestedFilename()).toBe(`${ORDER_ID}-${recipient}-packet.zip`);
    const dir = tempDir('packtrail-packet-');
    const zip = path.join(dir, `${recipient}.zip`);
    await file.saveAs(zip);
    const unpacked = path.join(dir, 'unpacked');
    expect(spawnSync('unzip', ['-q', zip, '-d', unpacked]).status).toBe(0);
    // A download passes by the page's network events: the same address asked again, with the same cookie, shows the answer.
    const again = await page.request.get(file.url(), { timeout: 240_000 });
    expect(again.status()).toBe(200);
    expect(again.headers()['content-type']).toContain('application/zip');
    expect(again.headers()['content-disposition']).toBe(`attachment; filename="${ORDER_ID}-${recipient}-packet.zip"`);
    return unpacked;
  }

  it('lists the packets that fit the dispute first, each with its checklist, the others behind a disclosure', async () => {
    const { page } = dash;
    await page.goto(`${server.url}/disputes/${disputeId}`);
    const packets = page.getByRole('region', { name: 'Packets for each recipient' });
    const suggested = packets.getByRole('list', { name: 'Suggested for this dispute' });
    await suggested.getByRole('article').first().waitFor(wait);

    // A chargeback through the payment processor: the processors' packets, and no marketplace's or courier's.
    const names = await suggested.getByRole('article').locator('h3').allTextContents();
    expect(names).toContain('Stripe');
    expect(names).not.toContain('Coupang');
    const stripe = suggested.getByRole('article', { name: 'Stripe' });
    expect(await stripe.getByText('Suggested', { exact: true }).isVisible()).toBe(true);
    // Photos of the inside, the sealed box and the label, the weight, the tracking number: nothing to add for Stripe.
    expect(await stripe.locator('.packet-state').textContent()).toBe('✓ Ready to upload');
    expect(await stripe.locator('.deadline').textContent()).toMatch(/due in (29|30) hours/);
    // The checklist: each limit with the packet's figure beside it, sizes in KB or MB.
    const limits = stripe.getByRole('list', { name: 'Limits, with this packet’s figures' });
    expect(await limits.getByRole('listitem').count()).toBeGreaterThan(0);
    expect((await limits.textContent()) ?? '').toMatch(/[\d.,]+ (B|kB|MB) of [\d.,]+ MB allowed/);
    expect(await stripe.getByText(/^What is included: \d+ files?, /).isVisible()).toBe(true);

    // The other recipients are one tap away, not in the way.
    const others = packets.getByRole('list', { name: 'Other recipients' });
    expect(await others.isVisible()).toBe(false);
    await packets.getByText(/^Other recipients \(\d+\)$/).click();
    const coupang = others.getByRole('article', { name: 'Coupang' });
    await coupang.waitFor(wait);
    expect(await coupang.getByRole('link', { name: 'Download the packet for Coupang: ZIP in English' }).isVisible()).toBe(true);
    // eBay takes no video: its stills are a derived copy, marked so, naming the original's SHA-256.
    const ebay = others.getByRole('article', { name: 'eBay' });
    await ebay.getByText(/^What is included: /).click();
    const ebayFiles = ebay.getByRole('list', { name: 'Files in the packet for eBay' });
    const stills = ebayFiles.getByRole('listitem').filter({ hasText: 'derived copy' });
    expect(await stills.count()).toBeGreaterThan(0);
    expect(await stills.first().textContent()).toMatch(/Made from the original with SHA-256 [0-9a-f]{64}/);
    await shootScreen(page, size, 'dispute-packets');
    // A phone page widens its layout to hold whatever overflows, rather than scrolling: its width says so.
    const { innerWidth, scrollWidth } = await page.evaluate(() => ({ innerWidth: window.innerWidth, scrollWidth: document.documentElement.scrollWidth }));
    expect(innerWidth).toBe(size.viewport.width);
    expect(scrollWidth).toBeLessThanOrEqual(size.viewport.width);
  });

  it('downloads the Stripe and the Coupang packets, each with packet.json and checklist.txt', async () => {
    const { page } = dash;
    await page.goto(`${server.url}/disputes/${disputeId}`);
    const packets = page.getByRole('region', { name: 'Packets for each recipient' });
    await packets.getByRole('article', { name: 'Stripe' }).waitFor(wait);

    const stripe = await download(page, 'Stripe', 'stripe');
    const stripePacket = JSON.parse(fs.readFileSync(path.join(stripe, 'packet.json'), 'utf8'));
    expect(stripePacket).toMatchObject({ format: 'packtrail-packet/v1', recipient: 'stripe', disputeId, orderId: ORDER_ID, language: 'en' });
    const checklist = fs.readFileSync(path.join(stripe, 'checklist.txt'), 'utf8');
    // The download made the packet's link to the full originals: the page shows it beside the packet, as the checklist names it.
    const link = packets.getByRole('article', { name: 'Stripe' }).locator('.packet-share a');
    await link.waitFor(wait);
    const url = (await link.getAttribute('href'))!;
    expect(url).toMatch(/\/s\/[\w-]+$/);
    expect(checklist).toContain(url);
    expect(stripePacket.shareLink?.url).toBe(url);

    await packets.getByText(/^Other recipients \(\d+\)$/).click();
    const coupang = await download(page, 'Coupang', 'coupang');
    expect(JSON.parse(fs.readFileSync(path.join(coupang, 'packet.json'), 'utf8'))).toMatchObject({ recipient: 'coupang', orderId: ORDER_ID });
    expect(fs.existsSync(path.join(coupang, 'checklist.txt'))).toBe(true);
    await shootScreen(page, size, 'dispute-packets-downloaded');
  }, 600_000);

  it('offers a courier dispute its claim packet once as the claim and once as the courier’s packet, saying how they differ', async () => {
    const { page } = dash;
    await page.goto(`${server.url}/disputes/${courierDisputeId}`);
    const packets = page.getByRole('region', { name: 'Packets for each recipient' });
    const suggested = packets.getByRole('list', { name: 'Suggested for this dispute' });
    await suggested.getByRole('article').first().waitFor(wait);
    // The courier's, and Shopify's as the order came through Shopify; no processor's otherwise.
    const names = await suggested.getByRole('article').locator('h3').allTextContents();
    expect(names).toContain('Courier claim (UPS)');
    expect(names).not.toContain('Stripe');
    const courier = suggested.getByRole('article', { name: 'Courier claim (UPS)' });
    expect(await courier.getByText('This is the claim packet offered under Courier claim').textContent()).toContain('One of the two is enough.');
    // Two downloads, each named for what it is.
    await page.getByRole('group', { name: 'Courier claim' }).getByRole('link', { name: 'Download the claim packet (ZIP)' }).waitFor(wait);
    expect(await courier.getByRole('link', { name: 'Download the packet for Courier claim (UPS): ZIP in English' }).isVisible()).toBe(true);
    await shootScreen(page, size, 'dispute-packets-courier');
  });
});
