import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { code128, ean13, qrGrid, writeBarcodeVideo } from '../helpers/barcodes';
import { chromiumPath, launchBrowser, newPhoneContext } from '../helpers/browser';
import { pageHistory, screenshot, tapDone, waitForAllSafe } from '../helpers/pack-app';
import { setUpShop, startServer, tempDir, type Shop, type TestServer } from '../helpers/server';

describe('order codes into the packer app', () => {
  let server: TestServer;
  let shop: Shop;
  beforeAll(async () => {
    server = await startServer();
    shop = await setUpShop(server);
  });
  afterAll(() => server?.close());

  it('reads Code 128, EAN-13 and QR codes, upright or sideways, where the browser has no BarcodeDetector', async () => {
    const browser = await launchBrowser();
    try {
      const page = await (await newPhoneContext(browser)).newPage();
      await page.addInitScript(() => delete (globalThis as { BarcodeDetector?: unknown }).BarcodeDetector);
      await page.goto(`${server.url}/pack/`);
      await page.waitForFunction(() => (globalThis as { __packtrail?: unknown }).__packtrail !== undefined);
      const ean = ean13('880123456789');
      const symbols = [
        { kind: 'code128', modules: code128('ORD-2026-000123'), text: 'ORD-2026-000123' },
        { kind: 'code128 sideways', modules: code128('WAYBILL 6012345'), text: 'WAYBILL 6012345', sideways: true },
        { kind: 'ean13', modules: ean.modules, text: ean.digits },
        { kind: 'qr', grid: qrGrid(`${server.url}/pack#pair=ptp_example`), text: `${server.url}/pack#pair=ptp_example` },
      ];
      const results = await page.evaluate(async (list) => {
        type Detector = { kind: string; detect(source: CanvasImageSource): Promise<string[]> };
        const app = (globalThis as unknown as { __packtrail: { getDetector(): Promise<Detector> } }).__packtrail;
        const detector = await app.getDetector();
        const found: { kind: string; reader: string; texts: string[] }[] = [];
        for (const symbol of list) {
          const canvas = document.createElement('canvas');
          const scale = 3;
          const rows: boolean[][] = symbol.grid ?? Array.from({ length: 60 }, () => symbol.modules!);
          const width = rows[0].length * scale;
          const height = rows.length * scale;
          canvas.width = symbol.sideways ? height + 40 : width + 40;
          canvas.height = symbol.sideways ? width + 40 : height + 40;
          const context = canvas.getContext('2d')!;
          context.fillStyle = '#fff';
          context.fillRect(0, 0, canvas.width, canvas.height);
          context.fillStyle = '#000';
          rows.forEach((row, y) =>
            row.forEach((dark, x) => {
              if (!dark) return;
              if (symbol.sideways) context.fillRect(20 + y * scale, 20 + x * scale, scale, scale);
              else context.fillRect(20 + x * scale, 20 + y * scale, scale, scale);
            }));
          // The fallback reads every other frame turned a quarter: two frames cover both ways.
          const texts = [...(await detector.detect(canvas)), ...(await detector.detect(canvas))];
          found.push({ kind: symbol.kind, reader: detector.kind, texts });
        }
        return found;
      }, symbols);
      for (const [i, result] of results.entries()) {
        expect(result.reader).toBe('zxing');
        expect(result.texts, result.kind).toContain(symbols[i].text);
      }
      // Only phones without BarcodeDetector fetch the fallback library.
      expect(await page.evaluate(() => performance.getEntriesByType('resource').some((entry) => entry.name.includes('/pack/vendor/zxing')))).toBe(true);
    } finally {
      await browser.close();
    }
  });

  it("opens the order whose waybill the phone's camera sees, and records it", async () => {
    const video = path.join(tempDir('packtrail-camera-'), 'waybill.y4m');
    writeBarcodeVideo(video, code128('ORD-CAM-42'));
    // An order the shop already has: the scan opens it without a question.
    expect((await server.request('PUT', '/api/v1/orders/ORD-CAM-42', { token: shop.ownerToken, json: { items: [] } })).status).toBe(201);
    // A camera that films a waybill: Chromium plays the file as its fake camera, in a loop.
    const browser: Browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
    });
    try {
      const page = await (await newPhoneContext(browser)).newPage();
      // The home screen may be gone at once (the camera reads the waybill in its first frames).
      const link = new URL((await shop.deviceToken('Camera phone')).pairingUrl);
      await page.goto(`${server.url}${link.pathname}${link.hash}`);
      await page.locator('#capture-order').filter({ hasText: 'ORD-CAM-42' }).waitFor({ timeout: 20_000 });
      await page.locator('#record-button[data-recording="true"]').waitFor();
      await page.waitForTimeout(1500);
      await screenshot(page, 'en-8-camera-scan');
      await tapDone(page);
      await waitForAllSafe(page);
      const [entry] = await pageHistory(page);
      expect(entry).toMatchObject({ orderId: 'ORD-CAM-42', kind: 'packing' });
      expect(entry.files.map((file) => file.kind)).toEqual(['video']);
      // The label stayed in view after Done: it was not opened a second time.
      const order = await (await server.request('GET', '/api/v1/orders/ORD-CAM-42', { token: shop.ownerToken })).json();
      expect(order.captures).toHaveLength(1);
    } finally {
      await browser.close();
    }
  });
});
