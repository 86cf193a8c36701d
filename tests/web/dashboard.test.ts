// The seller dashboard at / in real headless Chromium, at a desk (1366×900) and on a phone (390×844):
// first run → signed in → a phone added and its QR code read back → a capture made by that phone
// through the API → found by four digits of its tracking number → its weight and photo on the
// order page → an ended session → signed out and in again. Screens are written in English and
// Korean to test-artifacts/dashboard/ for a person to look through.
import fs from 'node:fs';
import path from 'node:path';
import { BinaryBitmap, DecodeHintType, HybridBinarizer, QRCodeReader, RGBLuminanceSource } from '@zxing/library';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectPath } from '../../server/paths';
import { launchBrowser } from '../helpers/browser';
import { fixture, startServer, tempDir, uploadFiles, type TestServer } from '../helpers/server';

const shotsDir = process.env.DASHBOARD_SHOTS_DIR ?? projectPath('test-artifacts', 'dashboard');
const wait = { timeout: 15_000 };
const OWNER = { email: 'owner@shop.example', password: 'quiet harbour lantern 7' };
const ORDER_ID = 'SS-2024-0815';
const TRACKING = '601234567890';

const sizes = [
  { name: 'desktop', viewport: { width: 1366, height: 900 }, phone: false },
  { name: 'phone', viewport: { width: 390, height: 844 }, phone: true },
];

/**
 * This machine has no Korean or Chinese system font, which every seller's computer has; the screenshots
 * would show boxes. Chromium finds fonts through fontconfig, so it is pointed at the Noto fonts the
 * reports already ship with, on top of the system's own configuration.
 */
function withCjkFonts() {
  const dirs = ['noto-sans-kr/400Regular', 'noto-sans-kr/700Bold', 'noto-sans-tc/400Regular', 'noto-sans-tc/700Bold']
    .map((dir) => projectPath('node_modules', '@expo-google-fonts', dir))
    .filter((dir) => fs.existsSync(dir));
  const file = path.join(tempDir('packtrail-fonts-'), 'fonts.conf');
  fs.writeFileSync(file, `<?xml version="1.0"?>\n<fontconfig>\n  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n${dirs.map((dir) => `  <dir>${dir}</dir>\n`).join('')}</fontconfig>\n`);
  process.env.FONTCONFIG_FILE = file;
}

/** The text a QR code on screen carries, read from a screenshot of it. */
async function readQrCode(page: Page, selector: string): Promise<string> {
  const png = await page.locator(selector).screenshot();
  // A phone-sized code is a few pixels a module: enlarged without smoothing and given a quiet zone, it
  // reads every time, as it does for a phone's camera held close.
  const { width = 0 } = await sharp(png).metadata();
  const { data, info } = await sharp(png)
    .flatten({ background: '#ffffff' })
    .resize({ width: width * 4, kernel: 'nearest' })
    .extend({ top: 64, bottom: 64, left: 64, right: 64, background: '#ffffff' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const luminance = new Uint8ClampedArray(info.width * info.height);
  for (let i = 0; i < luminance.length; i++) luminance[i] = data[i * info.channels];
  const source = new RGBLuminanceSource(luminance, info.width, info.height);
  return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)), new Map([[DecodeHintType.TRY_HARDER, true]])).getText();
}

describe.each(sizes)('the seller dashboard on a $name', ({ name, viewport, phone }) => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    fs.mkdirSync(shotsDir, { recursive: true });
    server = await startServer();
    withCjkFonts();
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport, isMobile: phone, hasTouch: phone, locale: 'en-US', timezoneId: 'Asia/Seoul' });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => console.error('page error:', error.message));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function noSidewaysScroll() {
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth, 'page scrolls sideways').toBeLessThanOrEqual(innerWidth);
  }

  /** The screen as it is, in English and in Korean, then back to English. */
  async function shoot(screen: string) {
    await noSidewaysScroll();
    const language = page.locator('header select');
    for (const code of ['en', 'ko']) {
      await language.selectOption(code);
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(code);
      await page.screenshot({ path: path.join(shotsDir, `${name}-${screen}-${code}.png`), fullPage: true });
      await noSidewaysScroll();
    }
    await language.selectOption('en');
  }

  it('walks a seller from first run to a capture’s photo, and signs out and in again', async () => {
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

    // Signed in: today's screen first; the orders screen is empty for now.
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor(wait);
    await page.getByRole('link', { name: 'Orders' }).click();
    await page.getByRole('searchbox', { name: 'Search orders' }).waitFor(wait);
    expect(await page.locator('.shop-name').textContent()).toBe('Seoul Socks');
    await page.getByText('No orders yet.', { exact: false }).waitFor(wait);
    await shoot('2-orders-empty');

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
    await shoot('3-phones-pairing');

    // The phone packs an order: weight and two photos, through the API with its own token.
    const session = await server.request('POST', '/api/v1/sessions', { json: OWNER });
    const ownerToken = ((await session.json()) as { token: string }).token;
    const order = await server.request('PUT', `/api/v1/orders/${ORDER_ID}`, {
      token: ownerToken,
      json: {
        channel: 'smartstore',
        buyer: { ref: 'buyer-kim-77', name: '김민수', flagged: true, flagReason: 'Claimed a missing item twice' },
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
      { name: 'contents.jpg', bytes: new Uint8Array(fs.readFileSync(fixture('photo-orientation6-gps.jpg'))), type: 'image/jpeg' },
      { name: 'sealed.png', bytes: new Uint8Array(fs.readFileSync(fixture('photo.png'))), type: 'image/png' },
    ]);
    expect(upload.status).toBe(201);
    const media = ((await upload.json()) as { media: { sha256: string }[] }).media;
    expect((await server.request('POST', `/api/v1/captures/${captureId}/finish`, { token: device.token })).status).toBe(200);

    // Four digits of the tracking number find it while typing.
    await page.getByRole('link', { name: 'Orders' }).click();
    const search = page.getByRole('searchbox', { name: 'Search orders' });
    await search.pressSequentially('5678', { delay: 40 });
    const result = page.getByRole('link', { name: new RegExp(ORDER_ID) });
    await result.waitFor(wait);
    await expect.poll(() => page.locator('#search-status').textContent(), wait).toBe('1 order');
    expect(await result.textContent()).toContain(TRACKING);
    expect(await result.textContent()).toContain('김민수');
    await shoot('4-search');

    // The order page: facts, the weight against the expected, the files with their SHA-256.
    // Opened from the keyboard, as a link.
    await result.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: `Order ${ORDER_ID}` }).waitFor(wait);
    const facts = await page.locator('#order-facts').textContent();
    expect(facts).toContain('Claimed a missing item twice');
    expect(facts).toContain('Leave at the door');
    expect(facts).toContain('2,280 g');
    expect(await page.locator('.capture .weight').textContent()).toBe('2,310 g measured, 2,280 g expected (+1.3%)');
    expect(await page.locator('.capture').textContent()).toContain('Station 2');
    expect(await page.locator('.capture').textContent()).toMatch(/GMT\+9|KST/);
    for (const { sha256 } of media) await page.getByText(sha256).waitFor(wait);
    await expect.poll(() => page.locator('.thumb img').first().evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth), wait).toBeGreaterThan(0);
    await shoot('5-order');

    // A photo opens full size; the arrow keys step through; Escape closes and gives focus back.
    const first = page.getByRole('button', { name: 'Open Photo 1 full size' });
    await first.click();
    const viewer = page.getByRole('dialog', { name: 'Photo 1 of 2' });
    await viewer.waitFor(wait);
    await expect.poll(() => viewer.locator('img').evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth), wait).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(shotsDir, `${name}-6-photo-viewer-en.png`) });
    await page.keyboard.press('ArrowRight');
    await page.getByRole('dialog', { name: 'Photo 2 of 2' }).waitFor(wait);
    await page.getByRole('button', { name: 'Previous photo' }).click();
    await page.getByRole('dialog', { name: 'Photo 1 of 2' }).waitFor(wait);
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'hidden', ...wait });
    await expect.poll(() => first.evaluate((button) => button === document.activeElement)).toBe(true);

    // A reload of the order's own address opens the same page.
    await page.reload();
    await page.getByRole('heading', { name: `Order ${ORDER_ID}` }).waitFor(wait);

    // A session that ended elsewhere: the next call shows sign-in with a notice.
    const cookies = await page.context().cookies();
    await page.context().clearCookies();
    await page.getByRole('link', { name: 'Phones' }).click();
    await page.getByText('Your session has ended.', { exact: false }).waitFor(wait);
    await page.context().addCookies(cookies);
    await page.goto(`${server.url}/`);

    // Sign out, and in again.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor(wait);
    await shoot('7-sign-in');
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
