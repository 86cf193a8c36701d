// The seller's whole journey through the dashboard at / in real headless Chromium, at a desk
// (1366×900) and on a phone (390×844), as the acceptance walks it: first run → signed in → a
// phone added and its QR code read back → a capture made by that phone through the API (video, photos,
// weight) shows on Today → found by four digits of its tracking number → on the order page a photo
// opens and the video seeks to 2 s → the buyer flagged → a dispute opened with two captioned items →
// the bundle downloaded and verified → a share link opened by a stranger, then revoked (410) → the
// dispute won and counted on Today → an ended session, sign-out and sign-in, the phone revoked. Every
// screen is checked by axe-core and written in English and Korean to test-artifacts/dashboard/.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import jsQR from 'jsqr';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardSizes, openDashboardBrowser, shootScreen, shotsDir, wait, type DashboardBrowser } from '../helpers/dashboard';
import { fixture, startServer, tempDir, uploadFiles, type TestServer } from '../helpers/server';

const OWNER = { email: 'owner@shop.example', password: 'quiet harbour lantern 7' };
const ORDER_ID = 'SS-2024-0815';
const TRACKING = '601234567890';

/**
 * The text a QR code on screen carries, read from a screenshot of it as a phone's camera held close
 * would see it. For the shot the code is drawn at 8 px a module, a whole number (its SVG's viewBox says
 * how many modules): at a fractional size, crisp edges make some modules a pixel narrower than others,
 * which sometimes misreads. Like a camera, it tries a few frames. jsQR decodes: zxing's reader lost its
 * grid on about one pairing link in twenty-five even when drawn perfectly (tried on 200 random links).
 */
async function readQrCode(page: Page, selector: string): Promise<string> {
  const code = page.locator(selector);
  const before = await code.evaluate((element: HTMLElement) => {
    const modules = Number(element.querySelector('svg')?.getAttribute('viewBox')?.split(' ')[2] ?? 41);
    const width = element.style.width;
    element.style.width = `${modules * 8}px`;
    element.style.maxWidth = 'none';
    return width;
  });
  try {
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        return await decodeQr(await code.screenshot());
      } catch (error) {
        lastError = error;
        await page.waitForTimeout(200);
      }
    }
    throw lastError;
  } finally {
    await code.evaluate((element: HTMLElement, width: string) => {
      element.style.width = width;
      element.style.maxWidth = '';
    }, before);
  }
}

async function decodeQr(png: Buffer): Promise<string> {
  const { data, info } = await sharp(png)
    .flatten({ background: '#ffffff' })
    .extend({ top: 64, bottom: 64, left: 64, right: 64, background: '#ffffff' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const code = jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height);
  if (!code) throw new Error('no QR code could be read from the screenshot');
  return code.data;
}

describe.each(dashboardSizes)('the seller dashboard on a $name', (size) => {
  let server: TestServer;
  let dash: DashboardBrowser;
  let page: Page;

  beforeAll(async () => {
    server = await startServer();
    dash = await openDashboardBrowser(size);
    page = dash.page;
  });
  afterAll(async () => {
    await dash?.close();
    await server?.close();
  });

  /** The screen as it is, checked by axe, in English and in Korean, then back to English. */
  const shoot = (screen: string) => shootScreen(page, size, `journey-${screen}`);

  it('walks a seller from first run to a won dispute counted on Today, and signs out and in again', { timeout: 180_000 }, async () => {
    // The first page's JavaScript, as it travels (gzipped): the issue allows at most 60 KB.
    const scripts: Promise<number>[] = [];
    const countScript = (response: import('playwright-core').Response) => {
      if (response.request().resourceType() !== 'script') return;
      scripts.push(
        response.allHeaders().then((headers) => {
          const bytes = Number(headers['content-length']);
          // Files of a few hundred bytes are sent as they are; anything larger travels gzipped.
          if (bytes > 512) expect(headers['content-encoding'], response.url()).toBe('gzip');
          return bytes;
        }),
      );
    };
    page.on('response', countScript);
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Set up your shop' }).waitFor(wait);
    page.off('response', countScript);
    const firstLoadBytes = (await Promise.all(scripts)).reduce((sum, bytes) => sum + bytes, 0);
    console.log(`dashboard first page: ${scripts.length} script file(s), ${(firstLoadBytes / 1024).toFixed(1)} KB of gzipped JavaScript`);
    expect(firstLoadBytes).toBeGreaterThan(0);
    expect(firstLoadBytes).toBeLessThanOrEqual(60 * 1024);
    await expect.poll(() => page.getByLabel('Time zone').inputValue()).toBe('Asia/Seoul');
    await shoot('1-setup');

    // A weak password is refused with the server's reason, in the person's language.
    await page.getByLabel('Shop name').fill('Seoul Socks');
    await page.getByLabel('Owner’s email').fill(OWNER.email);
    await page.getByLabel('Password').fill('password123');
    await page.getByRole('button', { name: 'Create the shop' }).click();
    const refusal = page.getByRole('alert');
    await refusal.waitFor(wait);
    expect(await refusal.textContent()).toContain('Choose a stronger password.');
    expect(await refusal.textContent()).toContain('commonly used password');
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Create the shop' }).click();

    // Signed in: Today first, telling a new shop to pair a phone; the orders screen is empty for now.
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor(wait);
    await page.getByRole('region', { name: 'Today’s captures' }).getByRole('link', { name: 'Pair a packing phone' }).waitFor(wait);
    await shoot('2-today-empty');
    await page.getByRole('link', { name: 'Orders' }).click();
    await page.getByRole('searchbox', { name: 'Search orders' }).waitFor(wait);
    expect(await page.locator('.shop-name').textContent()).toBe('Seoul Socks');
    await page.getByText('No orders yet.', { exact: false }).waitFor(wait);
    await shoot('3-orders-empty');

    // A packing phone: its QR code carries exactly the pairing link the API made.
    await page.getByRole('link', { name: 'Phones' }).click();
    await page.getByLabel('Phone name').fill('Station 2');
    const created = page.waitForResponse((response) => response.url().endsWith('/api/v1/devices') && response.request().method() === 'POST');
    await page.getByRole('button', { name: 'Add phone' }).click();
    const device = (await (await created).json()) as { id: string; token: string; pairingUrl: string };
    await page.locator('#pairing-qr svg').waitFor(wait);
    expect(await page.getByRole('textbox', { name: 'Pairing link' }).inputValue()).toBe(device.pairingUrl);
    expect(device.pairingUrl.startsWith(`${server.url}/pack#pair=`)).toBe(true);
    expect(await readQrCode(page, '#pairing-qr')).toBe(device.pairingUrl);
    await page.getByText('points to this computer only', { exact: false }).waitFor(wait);
    await page.getByRole('list', { name: 'Paired phones' }).getByText('Station 2').waitFor(wait);
    await shoot('4-phones-pairing');

    // The phone packs an order: weight, a video and two photos, through the API with its own token.
    const session = await server.request('POST', '/api/v1/sessions', { json: OWNER });
    const ownerToken = ((await session.json()) as { token: string }).token;
    const order = await server.request('PUT', `/api/v1/orders/${ORDER_ID}`, {
      token: ownerToken,
      json: {
        channel: 'smartstore',
        buyer: { ref: 'buyer-kim-77', name: '김민수' },
        items: [{ name: 'Wool socks (dozen)', quantity: 4, unitWeightGrams: 544 }, { name: 'Gift box', quantity: 1, unitWeightGrams: 104 }],
        carrier: 'CJ Logistics',
        trackingNumbers: [TRACKING],
        deliveryNote: 'Leave at the door',
        declaredValue: { amount: 48000, currency: 'KRW' },
      },
    });
    expect(order.status).toBe(201);
    const capture = await server.request('POST', '/api/v1/captures', {
      token: device.token,
      json: { orderId: ORDER_ID, kind: 'packing', weight: { value: 2.31, unit: 'kg' }, station: 'Station 2', trackingNumber: TRACKING, note: 'Sealed with tape twice' },
    });
    expect(capture.status).toBe(201);
    const captureId = ((await capture.json()) as { id: string }).id;
    const upload = await uploadFiles(server, device.token, captureId, [
      { name: 'packing.mp4', bytes: new Uint8Array(fs.readFileSync(fixture('clip-4s.mp4'))), type: 'video/mp4' },
      { name: 'contents.jpg', bytes: new Uint8Array(fs.readFileSync(fixture('photo-orientation6-gps.jpg'))), type: 'image/jpeg' },
      { name: 'sealed.png', bytes: new Uint8Array(fs.readFileSync(fixture('photo.png'))), type: 'image/png' },
    ]);
    expect(upload.status).toBe(201);
    const [video, ...photos] = ((await upload.json()) as { media: { id: string; sha256: string }[] }).media;
    expect((await server.request('POST', `/api/v1/captures/${captureId}/finish`, { token: device.token })).status).toBe(200);

    // Today counts it, by station.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Today' }).click();
    const todaysCaptures = page.getByRole('region', { name: 'Today’s captures' });
    await todaysCaptures.getByText('1 capture today').waitFor(wait);
    expect(await todaysCaptures.textContent()).toContain('Station 2');
    await shoot('5-today');

    // Four digits of the tracking number find it while typing.
    await page.getByRole('link', { name: 'Orders' }).click();
    const search = page.getByRole('searchbox', { name: 'Search orders' });
    await search.pressSequentially('5678', { delay: 40 });
    const result = page.getByRole('link', { name: new RegExp(ORDER_ID) });
    await result.waitFor(wait);
    await expect.poll(() => page.locator('#search-status').textContent(), wait).toBe('1 order');
    expect(await result.textContent()).toContain(TRACKING);
    expect(await result.textContent()).toContain('김민수');
    await shoot('6-search');

    // The order page: facts, the weight against the expected, the files with their SHA-256.
    // Opened from the keyboard, as a link.
    await result.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: `Order ${ORDER_ID}` }).waitFor(wait);
    const facts = await page.locator('#order-facts').textContent();
    expect(facts).toContain('Leave at the door');
    expect(facts).toContain('2,280 g');
    expect(await page.locator('.capture .weight').textContent()).toBe('2,310 g measured, 2,280 g expected (+1.3%)');
    expect(await page.locator('.capture').textContent()).toContain('Station 2');
    expect(await page.locator('.capture').textContent()).toMatch(/GMT\+9|KST/);
    for (const { sha256 } of [video, ...photos]) await page.getByText(sha256).waitFor(wait);
    await expect.poll(() => page.locator('.thumb img').first().evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth), wait).toBeGreaterThan(0);
    await shoot('7-order');

    // A photo opens full size; the arrow keys step through; Escape closes and gives focus back.
    const first = page.getByRole('button', { name: 'Open Photo 1 full size' });
    await first.click();
    const viewer = page.getByRole('dialog', { name: 'Photo 1 of 2' });
    await viewer.waitFor(wait);
    await expect.poll(() => viewer.locator('img').evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth), wait).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(shotsDir, `${size.name}-journey-8-photo-viewer-en.png`) });
    await page.keyboard.press('ArrowRight');
    await page.getByRole('dialog', { name: 'Photo 2 of 2' }).waitFor(wait);
    await page.getByRole('button', { name: 'Previous photo' }).click();
    await page.getByRole('dialog', { name: 'Photo 1 of 2' }).waitFor(wait);
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'hidden', ...wait });
    await expect.poll(() => first.evaluate((button) => button === document.activeElement)).toBe(true);

    // The video plays from its playback copy (made off the request path) and seeks to 2 s.
    await expect
      .poll(async () => ((await (await server.request('GET', `/api/v1/media/${video.id}`, { token: ownerToken })).json()) as { playbackStatus: string }).playbackStatus, { timeout: 60_000 })
      .toBe('ready');
    await page.reload();
    await page.getByRole('heading', { name: `Order ${ORDER_ID}` }).waitFor(wait);
    const player = page.locator(`[data-media-id="${video.id}"] video`);
    const seeked = await player.evaluate(async (element: HTMLVideoElement) => {
      if (element.readyState < 1) await new Promise((resolve) => element.addEventListener('loadedmetadata', resolve, { once: true }));
      const done = new Promise((resolve) => element.addEventListener('seeked', resolve, { once: true }));
      element.currentTime = 2;
      await done;
      return { source: element.currentSrc, time: element.currentTime };
    });
    expect(seeked.source).toBe(`${server.url}/api/v1/media/${video.id}/playback`);
    expect(seeked.time).toBeCloseTo(2, 1);
    await expect.poll(() => player.evaluate((element: HTMLVideoElement) => element.readyState), wait).toBeGreaterThanOrEqual(2);

    // The buyer is flagged from the order page, loudly and with the reason.
    await page.getByRole('button', { name: 'Flag this buyer' }).click();
    await page.getByLabel('Reason for the flag').fill('Claimed a missing item twice');
    await page.getByRole('button', { name: 'Flag the buyer' }).click();
    await page.locator('.flag-banner').getByText('Reason: Claimed a missing item twice').waitFor(wait);

    // A dispute opened from the order, two photos attached with captions.
    await page.getByRole('link', { name: 'Open a dispute' }).click();
    await page.getByRole('heading', { name: `Open a dispute on order ${ORDER_ID}` }).waitFor(wait);
    await page.getByLabel('Reason').selectOption({ label: 'Item missing' });
    await page.getByLabel('Raised by or with').selectOption({ label: 'Marketplace' });
    await page.getByLabel('Case reference').fill('SS-CASE-9921');
    await page.getByLabel('Amount claimed').fill('48000');
    await page.getByLabel('Respond by').fill('2031-05-20T18:00');
    await shoot('9-dispute-open');
    await page.getByRole('button', { name: 'Open the dispute' }).click();
    await page.getByRole('heading', { name: `Dispute on order ${ORDER_ID}`, level: 1 }).waitFor(wait);
    await page.getByLabel('Caption for Packing · Photo 2').fill('Sealed box with tape twice');
    await page.getByRole('button', { name: 'Attach Packing · Photo 2' }).click();
    await page.getByRole('status').getByText('Attached Packing · Photo 2.').waitFor(wait);
    await page.getByLabel('Caption for Packing · Photo 1').fill('All four pairs in the box');
    await page.getByRole('button', { name: 'Attach Packing · Photo 1' }).click();
    await page.getByRole('status').getByText('Attached Packing · Photo 1.').waitFor(wait);

    // The bundle opens, its manifest lists both photos with their SHA-256, and its own verifier passes.
    const downloading = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download the evidence bundle (ZIP)' }).click();
    const dir = tempDir('packtrail-journey-');
    await (await downloading).saveAs(path.join(dir, 'bundle.zip'));
    expect(spawnSync('unzip', ['-q', path.join(dir, 'bundle.zip'), '-d', path.join(dir, 'bundle')]).status).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'bundle', 'manifest.json'), 'utf8')) as { files: { kind: string; sha256: string }[] };
    expect(manifest.files.filter((file) => file.kind === 'original').map((file) => file.sha256)).toEqual([photos[1].sha256, photos[0].sha256]);
    const verified = spawnSync(process.execPath, ['verification/verify.mjs'], { cwd: path.join(dir, 'bundle'), encoding: 'utf8' });
    expect(verified.status, verified.stdout + verified.stderr).toBe(0);

    // A share link, opened by a stranger in a browser of their own, then revoked: it answers 410.
    await page.getByLabel('Link lasts (hours)').fill('48');
    await page.getByRole('button', { name: 'Create a share link' }).click();
    const shareUrl = await page.getByRole('textbox', { name: 'New share link' }).inputValue();
    const stranger = await dash.newPage();
    expect((await stranger.goto(shareUrl))?.status()).toBe(200);
    expect(await stranger.textContent('body')).toContain('Sealed box with tape twice');
    await stranger.context().close();
    await shoot('10-dispute');
    await page.getByRole('button', { name: /^Revoke the Link made/ }).click();
    await page.getByRole('dialog', { name: 'Revoke this link?' }).getByRole('button', { name: 'Revoke the link' }).click();
    await page.getByText('Link revoked: it no longer opens.').waitFor(wait);
    expect((await fetch(shareUrl)).status).toBe(410);
    await page.getByText('Opened 1 time', { exact: true }).waitFor(wait);

    // Won: Today counts it, with the amount recovered.
    await page.getByRole('radio', { name: 'Won' }).check();
    await page.getByRole('button', { name: 'Save the outcome' }).click();
    await page.getByText('Saved: Won.').waitFor(wait);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Disputes' }).click();
    await page.getByRole('navigation', { name: 'Disputes by status' }).getByRole('link', { name: 'Won' }).click();
    await page.getByRole('link', { name: `Order ${ORDER_ID} · Item missing` }).waitFor(wait);
    await shoot('11-disputes-won');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Today' }).click();
    const outcomes = page.getByRole('figure', { name: 'Disputes won and lost' }).getByRole('img');
    await expect.poll(() => outcomes.getAttribute('aria-label'), wait).toMatch(/^1 won, 0 lost\. Recovered: ₩48,000\.$/);
    await shoot('12-today-won');

    // A reload of the order's own address opens the same page.
    await page.goto(`${server.url}/orders/${ORDER_ID}`);
    await page.getByRole('heading', { name: `Order ${ORDER_ID}` }).waitFor(wait);

    // A session that ended elsewhere: the next call shows sign-in with a notice.
    const cookies = await page.context().cookies();
    await page.context().clearCookies();
    // The order page may itself ask the server again first (a file still being processed): then the
    // sign-in screen is already there and there is no Phones link to follow.
    const ended = page.getByText('Your session has ended.', { exact: false });
    if (!(await ended.isVisible())) await page.getByRole('link', { name: 'Phones' }).click({ timeout: 5_000 }).catch(() => undefined);
    await ended.waitFor(wait);
    await page.context().addCookies(cookies);
    await page.goto(`${server.url}/`);

    // Sign out, and in again.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor(wait);
    await shoot('13-sign-in');
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('The email or password is not right.');
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor(wait);
    await page.getByRole('link', { name: 'Orders' }).click();
    await page.getByRole('link', { name: new RegExp(ORDER_ID) }).waitFor(wait);

    // The phone is revoked after a confirmation; its token stops working at once.
    await page.getByRole('link', { name: 'Phones' }).click();
    await page.getByRole('button', { name: 'Revoke Station 2' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('“Station 2” is revoked.').waitFor(wait);
    await page.getByText('No phones yet.').waitFor(wait);
    expect((await server.request('GET', '/api/v1/me', { token: device.token })).status).toBe(401);
  });
});
