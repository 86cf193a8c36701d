// The packer app finds the order a scanned waybill belongs to, asks before a code becomes a new order,
// sends courier photo tags with the photos, keeps the weight verdict in view and asks before Done on
// a weight far off. Real server, real headless Chromium at 390×844, a fake camera filming a waybill.
import path from 'node:path';
import { chromium, type Browser, type Page, type Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { code128, writeBarcodeVideo } from '../helpers/barcodes';
import { chromiumPath, launchBrowser, newPhoneContext } from '../helpers/browser';
import {
  answerQuestion, pageHistory, pageSummary, pairPhone, screenshot, serverOrder, shotsDir, tapDone, waitForAllSafe,
} from '../helpers/pack-app';
import { setUpShop, startServer, tempDir, type Shop, type TestServer } from '../helpers/server';

const wait = { timeout: 10_000 };

/** 2 × 380 g mugs and a 60 g card: 820 g expected (before packaging). */
const mugOrder = {
  buyer: { ref: 'buyer-lee-3', name: 'Lee Jiwon', flagged: true, flagReason: 'Said the box arrived empty' },
  items: [
    { name: 'Mug', quantity: 2, unitWeightGrams: 380 },
    { name: 'Card', quantity: 1, unitWeightGrams: 60 },
  ],
  carrier: 'CJ Logistics',
  trackingNumbers: ['601234567891'],
};

/** A browser whose camera films the given Code 128 label, over and over. */
async function cameraFilming(text: string): Promise<Browser> {
  const video = path.join(tempDir('packtrail-camera-'), 'waybill.y4m');
  writeBarcodeVideo(video, code128(text));
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
  });
}

/** The decoded tus Upload-Metadata of a request. */
function uploadMetadata(request: Request): Record<string, string> {
  const header = request.headers()['upload-metadata'] ?? '';
  return Object.fromEntries(
    header
      .split(',')
      .filter(Boolean)
      .map((pair) => {
        const [key, value = ''] = pair.trim().split(' ');
        return [key, Buffer.from(value, 'base64').toString('utf8')];
      }),
  );
}

type Box = { top: number; bottom: number; left: number; right: number };
const overlaps = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

describe('the packer app finds orders by their waybill', () => {
  let server: TestServer;
  let shop: Shop;

  beforeAll(async () => {
    server = await startServer();
    shop = await setUpShop(server);
    const put = await server.request('PUT', '/api/v1/orders/ORD-TRK-1', { token: shop.ownerToken, json: mugOrder });
    expect(put.status).toBe(201);
    console.log(`packer app screenshots: ${shotsDir}`);
  });
  afterAll(() => server?.close());

  it('opens the order whose tracking number the camera reads on the waybill, and files the evidence there', async () => {
    const browser = await cameraFilming('601234567891');
    try {
      const page = await (await newPhoneContext(browser)).newPage();
      const link = new URL((await shop.deviceToken('Waybill camera phone')).pairingUrl);
      await page.goto(`${server.url}${link.pathname}${link.hash}`);
      await page.locator('#capture-order').filter({ hasText: 'ORD-TRK-1' }).waitFor({ timeout: 20_000 });
      expect(await page.locator('#capture-order').textContent()).toBe('ORD-TRK-1');
      expect(await page.locator('#capture-about').textContent()).toBe('Lee Jiwon · found by waybill 601234567891');
      await page.locator('#flag-alert').waitFor({ state: 'visible' });
      expect(await page.locator('#ask').isHidden()).toBe(true);
      await page.locator('#record-button[data-recording="true"]').waitFor();
      await page.waitForTimeout(1500);
      await screenshot(page, 'lookup-1-waybill-found');
      await tapDone(page);
      await waitForAllSafe(page);

      // The evidence is on the real order, and the waybill did not become an order of its own (the
      // label still in view after Done did not open it again either).
      const { captures } = await serverOrder(server, shop.ownerToken, 'ORD-TRK-1');
      expect(captures).toHaveLength(1);
      expect(captures[0].media.map((media) => media.type)).toEqual(['video']);
      expect((await server.request('GET', '/api/v1/orders/601234567891', { token: shop.ownerToken })).status).toBe(404);
      const [entry] = await pageHistory(page);
      expect(entry).toMatchObject({ orderId: 'ORD-TRK-1' });
    } finally {
      await browser.close();
    }
  });

  it('asks before an unknown code becomes a new order; cancelled, nothing is made, and the notice follows a language switch', async () => {
    const browser = await cameraFilming('999000111222');
    try {
      const page = await (await newPhoneContext(browser)).newPage();
      const link = new URL((await shop.deviceToken('Unknown label phone')).pairingUrl);
      await page.goto(`${server.url}${link.pathname}${link.hash}`);
      await page.locator('#ask').waitFor({ state: 'visible', timeout: 20_000 });
      expect(await page.locator('#ask-text').textContent()).toBe('No order with this code. Start a new order "999000111222"?');
      expect(await page.locator('#ask-yes').textContent()).toBe('Start new order');
      expect(await page.locator('#ask-no').textContent()).toBe('Cancel');
      // Big answers in thumb reach, fully on screen.
      for (const id of ['#ask-yes', '#ask-no']) {
        const box = (await page.locator(id).boundingBox())!;
        expect(box.height).toBeGreaterThanOrEqual(64);
        expect(box.y + box.height).toBeLessThanOrEqual(844);
      }
      await screenshot(page, 'lookup-2-unknown-asks');
      await answerQuestion(page, false);
      await expect.poll(() => page.locator('#toast').textContent(), wait).toBe('Nothing was started for 999000111222.');
      await page.selectOption('#language', 'ko');
      await expect.poll(() => page.locator('#toast').textContent(), wait).toBe('999000111222: 아무것도 시작하지 않았습니다.');
      await screenshot(page, 'lookup-3-cancelled-ko');

      // The label stays in view: it is not asked about again and again, and nothing was made.
      await page.waitForTimeout(4000);
      expect(await page.locator('#ask').isHidden()).toBe(true);
      expect(await page.evaluate(() => document.body.dataset.screen)).toBe('scan');
      expect((await pageSummary(page)).pending).toBe(0);
      expect((await server.request('GET', '/api/v1/orders/999000111222', { token: shop.ownerToken })).status).toBe(404);
    } finally {
      await browser.close();
    }
  });

  it('asks which order when several hold the scanned waybill, with a big button per order naming its buyer', async () => {
    // A courier reused a number: an older and a newer order hold it, written two ways.
    for (const [orderId, name, number] of [['ORD-DUP-OLD', 'Park Seoyeon', 'CJ-7788 9900'], ['ORD-DUP-NEW', 'Choi Minho', 'cj77889900']]) {
      const response = await server.request('PUT', `/api/v1/orders/${orderId}`, { token: shop.ownerToken, json: { buyer: { name }, trackingNumbers: [number] } });
      expect(response.status).toBe(201);
    }
    const browser = await launchBrowser();
    try {
      const page = await (await newPhoneContext(browser)).newPage();
      page.on('pageerror', (error) => console.error('page error:', error.message));
      await pairPhone(page, server, shop, 'Shared waybill phone');
      await page.fill('#order-input', 'CJ7788-9900');
      await page.press('#order-input', 'Enter');
      await page.locator('#ask').waitFor({ state: 'visible', timeout: 20_000 });
      expect(await page.locator('#ask-text').textContent()).toBe('2 orders have the waybill "CJ7788-9900". Which order is this parcel for?');
      const choices = page.locator('#ask-choices .choice');
      expect(await choices.allTextContents()).toEqual(['ORD-DUP-NEWChoi Minho', 'ORD-DUP-OLDPark Seoyeon']);
      expect(await page.locator('#ask-yes').isHidden()).toBe(true);
      expect(await page.locator('#ask-no').textContent()).toBe('Cancel');
      // Big buttons in thumb reach, all on screen, none under another.
      for (const button of [...(await choices.all()), page.locator('#ask-no')]) {
        const box = (await button.boundingBox())!;
        expect(box.height).toBeGreaterThanOrEqual(64);
        expect(box.width).toBeGreaterThanOrEqual(300);
        expect(box.y).toBeGreaterThanOrEqual(0);
        expect(box.y + box.height).toBeLessThanOrEqual(844);
      }
      await screenshot(page, 'lookup-8-which-order');

      // Cancel: nothing starts.
      await page.click('#ask-no');
      await expect.poll(() => page.locator('#toast').textContent(), wait).toBe('Nothing was started for CJ7788-9900.');
      expect(await page.evaluate(() => document.body.dataset.screen)).toBe('scan');

      // Asked again, the older order is chosen, and the evidence goes there.
      await page.fill('#order-input', 'CJ7788-9900');
      await page.press('#order-input', 'Enter');
      await page.locator('#ask-choices .choice').first().waitFor({ state: 'visible', timeout: 20_000 });
      await page.locator('#ask-choices .choice', { hasText: 'ORD-DUP-OLD' }).click();
      await page.locator('#capture-order').filter({ hasText: 'ORD-DUP-OLD' }).waitFor(wait);
      expect(await page.locator('#ask').isHidden()).toBe(true);
      await page.waitForTimeout(1000);
      await tapDone(page);
      await waitForAllSafe(page);
      expect((await serverOrder(server, shop.ownerToken, 'ORD-DUP-OLD')).captures).toHaveLength(1);
      expect((await serverOrder(server, shop.ownerToken, 'ORD-DUP-NEW')).captures).toHaveLength(0);
      expect((await server.request('GET', '/api/v1/orders/CJ7788-9900', { token: shop.ownerToken })).status).toBe(404);
    } finally {
      await browser.close();
    }
  });

  describe('on the capture screen', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchBrowser();
    });
    afterAll(() => browser?.close());

    async function phoneWithOrder(name: string, orderId: string): Promise<Page> {
      const page = await (await newPhoneContext(browser)).newPage();
      page.on('pageerror', (error) => console.error('page error:', error.message));
      await pairPhone(page, server, shop, name);
      await page.fill('#order-input', orderId);
      await page.press('#order-input', 'Enter');
      await page.locator('#capture-order').filter({ hasText: orderId }).waitFor(wait);
      return page;
    }

    it('sends the courier photo tags chosen before the shot with the upload, and those chosen after it as a change', async () => {
      expect((await server.request('PUT', '/api/v1/orders/ORD-TAGS-1', { token: shop.ownerToken, json: { items: [] } })).status).toBe(201);
      const page = await phoneWithOrder('Tagging phone', 'ORD-TAGS-1');
      const uploads: Record<string, string>[] = [];
      const tagChanges: { url: string; body: unknown }[] = [];
      page.on('request', (request) => {
        if (request.method() === 'POST' && request.url().endsWith('/api/v1/uploads')) uploads.push(uploadMetadata(request));
        if (request.method() === 'PUT' && /\/api\/v1\/media\/[^/]+\/tags$/.test(request.url())) {
          tagChanges.push({ url: request.url(), body: request.postDataJSON() });
        }
      });
      await page.locator('#record-button[data-recording="true"]').waitFor();

      // Before the shot: the label close-up.
      const labelTag = page.locator('#next-tags [data-tag="label_closeup"]');
      expect(await labelTag.textContent()).toBe('Label close-up');
      const tagBox = (await labelTag.boundingBox())!;
      expect(tagBox.height).toBeGreaterThanOrEqual(56);
      await labelTag.click();
      expect(await labelTag.getAttribute('aria-pressed')).toBe('true');
      await page.click('#photo-button');
      await expect.poll(() => page.locator('#capture-files').textContent(), wait).toContain('📷 1');
      const photoItem = page.locator('#photo-list .photo-item').first();
      await expect.poll(() => photoItem.getAttribute('data-tags'), wait).toBe('label_closeup');
      expect(await photoItem.locator('.photo-tags').textContent()).toBe('Label close-up');
      // The choice was for that photo only.
      expect(await labelTag.getAttribute('aria-pressed')).toBe('false');

      // The photo's upload carries the tag (tus Upload-Metadata `tags`).
      await expect.poll(() => uploads.find((metadata) => metadata.filetype === 'image/jpeg')?.tags, wait).toBe('label_closeup');
      expect(uploads.find((metadata) => metadata.filetype?.startsWith('video/'))?.tags).toBeUndefined();

      // Right after the shot, once the server has the photo: one tap adds "damage" to it.
      await expect
        .poll(() => page.evaluate(() => {
          const app = (globalThis as unknown as { __packtrail: { current(): { localId: string }; pending(): { capture: { localId: string }; files: { kind: string; confirmed: boolean }[] }[] } }).__packtrail;
          const entry = app.pending().find((item) => item.capture.localId === app.current().localId);
          return entry?.files.some((file) => file.kind === 'photo' && file.confirmed) ?? false;
        }), { timeout: 20_000 })
        .toBe(true);
      await photoItem.locator('[data-tag="damage"]').click();
      await expect.poll(() => photoItem.getAttribute('data-tags'), wait).toBe('label_closeup,damage');
      await expect.poll(() => tagChanges.length, wait).toBe(1);
      expect(tagChanges[0].body).toEqual({ tags: ['label_closeup', 'damage'] });
      await screenshot(page, 'lookup-4-photo-tags', true);

      const mediaId = tagChanges[0].url.split('/').at(-2)!;
      await page.waitForTimeout(1000);
      await tapDone(page);
      await waitForAllSafe(page);
      const [entry] = await pageHistory(page);
      const photo = entry.files.find((file) => file.kind === 'photo');
      expect(photo).toMatchObject({ mediaId, tags: ['label_closeup', 'damage'] });
      // And the server holds them on the photo, where the claim packet reads them.
      const stored = await server.request('GET', `/api/v1/media/${mediaId}`, { token: shop.ownerToken });
      expect(((await stored.json()) as { tags: string[] }).tags).toEqual(['label_closeup', 'damage']);
    });

    it('keeps the weight verdict in view above the action bar wherever the page is scrolled, and asks before Done on a weight far off', async () => {
      const page = await phoneWithOrder('Weighing phone', 'ORD-TRK-1');
      await page.locator('#flag-alert').waitFor({ state: 'visible' });
      await page.fill('#weight-input', '605');
      await page.press('#weight-input', 'Enter');
      const check = page.locator('#weight-check');
      await expect.poll(() => check.getAttribute('data-status'), wait).toBe('off');
      expect(await check.textContent()).toContain('expected 820 g ±5 %, measured 605 g');

      const layout = () =>
        page.evaluate(() => {
          const box = (element: Element) => {
            const { top, bottom, left, right } = element.getBoundingClientRect();
            return { top, bottom, left, right };
          };
          const warning = document.getElementById('weight-check')!;
          const area = box(warning);
          const hit = document.elementFromPoint((area.left + area.right) / 2, (area.top + area.bottom) / 2);
          return {
            viewport: innerHeight,
            warning: area,
            onTop: warning.contains(hit),
            buttons: [...document.querySelectorAll('#actions .action')].map(box),
            bar: box(document.getElementById('actions')!),
            lastCard: box(document.querySelector('#screen-capture .order-card')!),
            scrollY,
            maxScroll: document.documentElement.scrollHeight - innerHeight,
          };
        });
      for (const [name, y] of [['top', 0], ['middle', 400], ['bottom', 100_000]] as const) {
        await page.evaluate((to) => scrollTo(0, to), y);
        await page.waitForTimeout(200);
        const seen = await layout();
        expect(seen.warning.top, name).toBeGreaterThanOrEqual(0);
        expect(seen.warning.bottom, name).toBeLessThanOrEqual(seen.viewport);
        expect(seen.onTop, `${name}: nothing covers the warning`).toBe(true);
        for (const button of seen.buttons) expect(overlaps(button, seen.warning), name).toBe(false);
        if (name === 'bottom') {
          // The page ends above the bar: its last card is not under it either.
          expect(seen.scrollY).toBeGreaterThan(0);
          expect(seen.lastCard.bottom).toBeLessThanOrEqual(seen.bar.top);
        }
        await screenshot(page, `lookup-5-weight-${name}`);
      }

      // Done asks; "Check the weight" keeps the capture open.
      await page.click('#done-button');
      expect(await answerQuestion(page, false)).toBe('The weight is off: expected 820 g ±5 %, measured 605 g (−26.2 %). Finish anyway?');
      expect(await page.evaluate(() => document.body.dataset.screen)).toBe('capture');
      await page.click('#done-button');
      await page.locator('#ask').waitFor({ state: 'visible' });
      await screenshot(page, 'lookup-6-done-asks');
      await answerQuestion(page, true);
      await page.locator('#screen-scan').waitFor({ state: 'visible' });
      await waitForAllSafe(page);
      const { captures } = await serverOrder(server, shop.ownerToken, 'ORD-TRK-1');
      expect(captures.at(-1)).toMatchObject({ status: 'finished', weightGrams: 605 });

      // The recent list tells the day: today's capture reads "Today 14:03"; an older one its date.
      await expect.poll(() => page.locator('#recent li[data-order="ORD-TRK-1"]').first().textContent(), wait).toMatch(/Packing · Today \d\d:\d\d/);
      await page.evaluate(() => {
        const history = JSON.parse(localStorage.getItem('packtrail.history') ?? '[]');
        history.push({ localId: 'old', captureId: null, orderId: 'OLD-1', kind: 'packing', outcome: 'finished', finishedAt: '2025-11-03T05:04:00Z', files: [] });
        localStorage.setItem('packtrail.history', JSON.stringify(history));
      });
      await page.reload();
      await expect.poll(() => page.locator('#recent li[data-order="OLD-1"]').textContent(), wait).toContain('Packing · Nov 3, 2025, 02:04 PM');
      await screenshot(page, 'lookup-7-recent-dates');
    });
  });
});
