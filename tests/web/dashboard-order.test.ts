// The order page in real headless Chromium, at a desk and on a phone: an order packed by a phone
// (video, photos, weight), a return inspected (checklist, outcome), a call recording and a PDF, and a
// dispute. A photo opens in the viewer; the video plays from its playback copy and seeks to 2 s; the
// audio can play; the PDF opens in a new tab; a custody log shows a read; the buyer is flagged and
// cleared; a screenshot is added from the desk and appears in the timeline.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardSizes, openDashboardBrowser, shootScreen, shotsDir, signedInOwner, wait, type DashboardBrowser } from '../helpers/dashboard';
import { fixture, startServer, uploadFiles, type Shop, type TestServer } from '../helpers/server';

const ORDER_ID = 'SS-2024-0901';
const TRACKING = '601234560001';
const read = (name: string) => new Uint8Array(fs.readFileSync(fixture(name)));

interface MediaView {
  id: string;
  type: string;
  sha256: string;
  playbackStatus?: string;
}

async function captureWith(server: TestServer, token: string, body: object, files: { name: string; bytes: Uint8Array<ArrayBuffer> }[], caption?: string): Promise<MediaView[]> {
  const started = await server.request('POST', '/api/v1/captures', { token, json: { orderId: ORDER_ID, ...body } });
  expect(started.status).toBe(201);
  const captureId = ((await started.json()) as { id: string }).id;
  const upload = await uploadFiles(server, token, captureId, files, caption ? { caption } : {});
  expect(upload.status).toBe(201);
  expect((await server.request('POST', `/api/v1/captures/${captureId}/finish`, { token })).status).toBe(200);
  return ((await upload.json()) as { media: MediaView[] }).media;
}

/** The order as a packing phone, a return inspection and the desk left it, with one dispute. */
async function makeOrder(server: TestServer, shop: Shop) {
  const phone = await shop.deviceToken('Station 2');
  const order = await server.request('PUT', `/api/v1/orders/${ORDER_ID}`, {
    token: shop.ownerToken,
    json: {
      channel: 'smartstore',
      buyer: { ref: 'buyer-park-12', name: '박서연' },
      items: [{ name: 'Wool socks (dozen)', quantity: 4, unitWeightGrams: 544 }, { name: 'Gift box', quantity: 1, unitWeightGrams: 104 }],
      carrier: 'CJ Logistics',
      trackingNumbers: [TRACKING],
    },
  });
  expect(order.status).toBe(201);
  const packing = await captureWith(
    server,
    phone.token,
    { kind: 'packing', weight: { value: 2.31, unit: 'kg' }, station: 'Station 2', trackingNumber: TRACKING, note: 'Sealed with tape twice' },
    [
      { name: 'packing.mp4', bytes: read('clip-4s.mp4') },
      { name: 'contents.jpg', bytes: read('photo-orientation6-gps.jpg') },
      { name: 'sealed.png', bytes: read('photo.png') },
    ],
  );
  await captureWith(
    server,
    phone.token,
    {
      kind: 'unboxing',
      station: 'Returns desk',
      checklist: [
        { item: 'outer_box', result: 'ok' },
        { item: 'seal', result: 'issue', note: 'Tape cut and re-taped' },
        { item: 'signs_of_use', result: 'issue', note: 'Socks worn' },
      ],
      outcome: 'used',
    },
    [{ name: 'return.webp', bytes: read('photo.webp') }],
  );
  const desk = await captureWith(
    server,
    shop.ownerToken,
    { kind: 'other' },
    [
      { name: 'call.m4a', bytes: read('sound-android.m4a') },
      { name: 'invoice.pdf', bytes: read('document.pdf') },
    ],
    'Call with the buyer and the invoice',
  );
  const dispute = await server.request('POST', '/api/v1/disputes', { token: shop.ownerToken, json: { orderId: ORDER_ID, reason: 'return_used', counterparty: 'marketplace' } });
  expect(dispute.status).toBe(201);
  // The video plays from its playback copy: wait until it is made.
  const video = packing[0];
  await expect
    .poll(async () => ((await (await server.request('GET', `/api/v1/media/${video.id}`, { token: shop.ownerToken })).json()) as MediaView).playbackStatus, { timeout: 30_000 })
    .toBe('ready');
  return { photos: packing.slice(1), video, desk, disputeId: ((await dispute.json()) as { id: string }).id };
}

describe.each(dashboardSizes)('the order page on a $name', (size) => {
  let server: TestServer;
  let browser: DashboardBrowser;
  let page: Page;
  let shop: Shop;

  beforeAll(async () => {
    server = await startServer();
    browser = await openDashboardBrowser(size);
    page = browser.page;
    shop = await signedInOwner(server, page);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const orderNow = async () => (await server.request('GET', `/api/v1/orders/${ORDER_ID}`, { token: shop.ownerToken })).json();

  it('plays, opens and explains every file, flags the buyer and takes evidence from the desk', { timeout: 120_000 }, async () => {
    const { photos, video, desk, disputeId } = await makeOrder(server, shop);
    await page.goto(`${server.url}/orders/${ORDER_ID}`);
    await page.getByRole('heading', { name: `Order ${ORDER_ID}`, level: 1 }).waitFor(wait);

    // The timeline's details: weight against the expected, the return's findings and outcome.
    const packing = page.locator('.capture').nth(0);
    expect(await packing.locator('.weight').textContent()).toBe('2,310 g measured, 2,280 g expected (+1.3%)');
    // What the expected weight is made of: no packaging until the owner sets one.
    expect(await page.locator('#order-facts').textContent()).toContain('2,280 g (items only; no packaging weight set)');
    expect(await packing.textContent()).toContain('Station 2 (phone)');
    expect(await packing.textContent()).toContain('Sealed with tape twice');
    const inspection = await page.locator('.capture').nth(1).textContent();
    expect(inspection).toContain('Seal: Issue — Tape cut and re-taped');
    expect(inspection).toContain('Used');
    expect(inspection).toMatch(/GMT\+9|KST/);

    // Its dispute, and the way to open another.
    await page.getByRole('link', { name: 'Return was used' }).waitFor(wait);
    expect(await page.getByRole('link', { name: 'Return was used' }).getAttribute('href')).toBe(`/disputes/${disputeId}`);
    expect(await page.getByRole('link', { name: 'Open a dispute' }).getAttribute('href')).toBe(`/disputes?new=${ORDER_ID}`);

    // A photo opens full size; arrows step; zoom shows it at its own size; Escape gives focus back.
    for (const { sha256 } of photos) await page.getByText(sha256).waitFor(wait);
    const first = page.getByRole('button', { name: 'Open Photo 1 full size' });
    await first.click();
    const viewer = page.getByRole('dialog', { name: 'Photo 1 of 3' });
    await viewer.waitFor(wait);
    await expect.poll(() => viewer.locator('img').evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth), wait).toBeGreaterThan(0);
    await page.keyboard.press('ArrowRight');
    await page.getByRole('dialog', { name: 'Photo 2 of 3' }).waitFor(wait);
    await page.keyboard.press('ArrowLeft');
    await viewer.waitFor(wait);
    await viewer.getByRole('button', { name: 'Actual size' }).click();
    await viewer.getByRole('button', { name: 'Fit to screen' }).waitFor(wait);
    await viewer.getByRole('button', { name: 'Fit to screen' }).click();
    await shootScreen(page, size, 'order-photo-viewer');
    // The whole page behind a modal is of little use to a person: the screen as it is seen, too.
    await page.screenshot({ path: path.join(shotsDir, `${size.name}-order-photo-viewer-screen-en.png`) });
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'hidden', ...wait });
    await expect.poll(() => first.evaluate((button) => button === document.activeElement)).toBe(true);

    // The video plays from its playback copy and seeks to 2 s.
    const player = page.locator(`[data-media-id="${video.id}"] video`);
    const seeked = await player.evaluate(async (element: HTMLVideoElement) => {
      if (element.readyState < 1) await new Promise((resolve) => element.addEventListener('loadedmetadata', resolve, { once: true }));
      const done = new Promise((resolve) => element.addEventListener('seeked', resolve, { once: true }));
      element.currentTime = 2;
      await done;
      return { source: element.currentSrc, time: element.currentTime, duration: element.duration };
    });
    expect(seeked.source).toBe(`${server.url}/api/v1/media/${video.id}/playback`);
    expect(seeked.time).toBeCloseTo(2, 1);
    expect(seeked.duration).toBeGreaterThan(3);
    await expect.poll(() => player.evaluate((element: HTMLVideoElement) => element.readyState), wait).toBeGreaterThanOrEqual(2);

    // The call recording can play.
    const audio = page.locator(`[data-media-id="${desk[0].id}"] audio`);
    await audio.evaluate(async (element: HTMLAudioElement) => {
      if (element.readyState >= 3) return;
      await new Promise((resolve, reject) => {
        element.addEventListener('canplay', resolve, { once: true });
        element.addEventListener('error', () => reject(new Error(`audio error ${element.error?.code}`)), { once: true });
        element.load();
      });
    });

    // The PDF opens in a new tab from its original.
    const [tab] = await Promise.all([page.waitForEvent('popup'), page.getByRole('link', { name: 'Open invoice.pdf (opens in a new tab)' }).click()]);
    expect(tab.url()).toBe(`${server.url}/api/v1/media/${desk[1].id}/original`);
    await tab.close();

    // Opening the photo was a read of its original: its custody log says so, and by whom.
    const custody = page.locator(`[data-media-id="${photos[0].id}"] details`);
    await custody.locator('summary').click();
    await custody.getByText('Original opened or downloaded · you, owner@example.com').waitFor(wait);
    expect(await custody.textContent()).toContain('Uploaded · Station 2 (phone)');
    // The log follows a change of language, the names it had loaded included.
    await page.getByRole('combobox', { name: 'Language', exact: true }).selectOption('ko');
    await custody.getByText('나(owner@example.com)').first().waitFor(wait);
    expect(await custody.textContent()).toContain('업로드');
    await page.getByRole('combobox', { name: '언어', exact: true }).selectOption('en');
    await custody.getByText('Original opened or downloaded · you, owner@example.com').waitFor(wait);

    // The sales channel in words, not its code.
    expect(await page.locator('#order-facts').textContent()).toContain('ChannelNaver Smart Store');

    // Flag the buyer with a reason: loud, in words, and only `buyer` changed.
    await page.getByRole('button', { name: 'Flag this buyer' }).click();
    await page.getByLabel('Reason for the flag').fill('Returned worn socks twice');
    await page.getByRole('button', { name: 'Flag the buyer' }).click();
    await page.locator('.flag-banner').getByText('Reason: Returned worn socks twice').waitFor(wait);
    expect(await page.locator('.flag-banner').textContent()).toContain('Flagged buyer');
    await expect.poll(() => page.getByRole('button', { name: 'Clear the flag' }).evaluate((button) => button === document.activeElement)).toBe(true);
    const flagged = await orderNow();
    expect(flagged.buyer).toMatchObject({ ref: 'buyer-park-12', name: '박서연', flagged: true, flagReason: 'Returned worn socks twice' });
    expect(flagged.items).toHaveLength(2);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shootScreen(page, size, 'order');

    await page.getByRole('button', { name: 'Clear the flag' }).click();
    await page.getByText('The flag is cleared.').waitFor(wait);
    expect(await page.locator('.flag-banner').count()).toBe(0);
    expect((await orderNow()).buyer.flagged).toBe(false);

    // Evidence from the desk: a file the server cannot keep is refused with its reason; a chat
    // screenshot with a caption goes into the timeline.
    const files = page.getByLabel('Files', { exact: true });
    await files.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not evidence') });
    await page.getByLabel('Caption').fill('Chat with the buyer, 3 May');
    await page.getByRole('button', { name: 'Add evidence' }).click();
    const refusal = page.locator('.add-evidence [role="alert"]');
    await refusal.waitFor(wait);
    expect(await refusal.textContent()).toContain('A file is of a type that cannot be kept.');
    expect(await refusal.textContent()).toContain('Only photos');
    await files.setInputFiles(fixture('photo.png'));
    await page.getByRole('button', { name: 'Add evidence' }).click();
    await page.getByText('1 file added to the timeline.').waitFor(wait);
    // Focus back on the button pressed, the confirmation beside it.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Add evidence');
    // (Beside it in the same row, so it scrolls with the button, not at the foot of the section.)
    expect(await page.getByText('1 file added to the timeline.').evaluate((element) => element.parentElement === document.activeElement?.parentElement)).toBe(true);
    await page.locator('.media-facts').getByText('Photo 4: Chat with the buyer, 3 May').waitFor(wait);
    const captures = (await orderNow()).captures as { kind: string; status: string; media: { caption?: string }[] }[];
    expect(captures).toHaveLength(4);
    expect(captures[3]).toMatchObject({ kind: 'other', status: 'finished', media: [{ caption: 'Chat with the buyer, 3 May' }] });
    expect(fs.existsSync(path.join(shotsDir, `${size.name}-order-en.png`))).toBe(true);

    // The owner sets the shop's usual box: the order's expected weight says what it is made of, while the
    // finished packing keeps the basis it was judged against when it finished (its logged facts say the same).
    expect((await server.request('PATCH', '/api/v1/shop', { token: shop.ownerToken, json: { packagingWeightGrams: 150 } })).status).toBe(200);
    await page.reload();
    await page.getByRole('heading', { name: `Order ${ORDER_ID}`, level: 1 }).waitFor(wait);
    expect(await page.locator('#order-facts').textContent()).toContain("2,430 g (2,280 g items + 150 g packaging, the shop's default)");
    expect(await page.locator('.capture').nth(0).locator('.weight').textContent()).toMatch(/^2,310 g measured, 2,280 g expected \(\+1\.3%\)/);
  });
});
