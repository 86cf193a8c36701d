import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPhoneContext } from '../helpers/browser';
import {
  answerQuestion, pageCurrentFiles, pageHistory, pageSummary, pairPhone, scanWithUsbScanner, screenshot, serverOrder, sha256OfOriginal,
  shotsDir, startNewOrder, tapDone, waitForAllSafe, type HistoryEntry, type ServerCapture,
} from '../helpers/pack-app';
import { fixture, setUpShop, startServer, type Shop, type TestServer } from '../helpers/server';

/** Polls wait this long: the machine is small and every IndexedDB write is flushed to disk. */
const wait = { timeout: 10_000 };

/** 4 dozen napkins at 544 g a dozen plus a 104 g box: 2,280 g expected. */
const flaggedOrder = {
  buyer: { ref: 'buyer-kim-77', name: 'Kim Minsu', flagged: true, flagReason: 'Claimed a missing item twice' },
  items: [
    { name: 'Napkins (dozen)', quantity: 4, unitWeightGrams: 544 },
    { name: 'Gift box', quantity: 1, unitWeightGrams: 104 },
  ],
  carrier: 'CJ Logistics',
  trackingNumbers: ['6012345678901'],
  deliveryNote: 'Leave at the door',
};

async function expectDeliveredExactly(server: TestServer, token: string, entry: HistoryEntry, capture: ServerCapture) {
  expect(capture.status).toBe('finished');
  expect(capture.media).toHaveLength(entry.files.length);
  for (const file of entry.files) {
    const media = capture.media.find((item) => item.id === file.mediaId);
    expect(media, `${file.kind} ${file.fileId} is on the server`).toBeDefined();
    expect(media!.sha256).toBe(file.sha256);
    expect(media!.bytes).toBe(file.bytes);
    expect(await sha256OfOriginal(server, token, media!.id)).toBe(file.sha256);
  }
}

describe('the packer app at /pack', () => {
  let server: TestServer;
  let shop: Shop;
  let browser: Browser;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    server = await startServer();
    shop = await setUpShop(server);
    browser = await launchBrowser();
    const put = await server.request('PUT', '/api/v1/orders/8801234567890', { token: shop.ownerToken, json: flaggedOrder });
    expect(put.status).toBe(201);
    console.log(`packer app screenshots: ${shotsDir}`);
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A paired phone whose browser has no live camera, with an order typed in. */
  async function phoneWithoutLiveCamera(name: string, orderId: string): Promise<Page> {
    const page = await phone();
    await page.addInitScript(() => Object.defineProperty(navigator, 'mediaDevices', { value: undefined }));
    await pairPhone(page, server, shop, name);
    await startNewOrder(page, orderId);
    return page;
  }

  async function phone(options: Parameters<typeof newPhoneContext>[1] = {}): Promise<Page> {
    context = await newPhoneContext(browser, options);
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error.message));
    if (process.env.PACK_DEBUG) {
      page.on('console', (message) => console.log('page:', message.type(), message.text()));
      page.on('requestfailed', (request) => console.log('page: failed', request.url(), request.failure()?.errorText));
    }
    return page;
  }

  it('pairs from the link, takes a typed and a USB-scanned order, warns about an off weight, and delivers video and photo byte for byte', async () => {
    const page = await phone();
    await pairPhone(page, server, shop);
    expect(new URL(page.url()).hash).toBe('');
    await expect.poll(() => page.locator('#device-name').textContent(), wait).toBe('Station 2 phone');
    await screenshot(page, 'en-1-home');

    // Typed by hand: a new order the server does not know yet (the packer says so); recording starts by itself.
    await startNewOrder(page, 'HAND-TYPED-1');
    await page.locator('#record-button[data-recording="true"]').waitFor();

    // A USB scanner types the next order into no field at all: the first capture finishes, the next opens.
    await page.waitForTimeout(1500);
    await scanWithUsbScanner(page, '8801234567890');
    await expect.poll(() => page.locator('#capture-order').textContent(), wait).toBe('8801234567890');
    const alert = page.locator('#flag-alert');
    await alert.waitFor({ state: 'visible' });
    expect(await alert.textContent()).toContain('photograph every item');
    expect(await alert.textContent()).toContain('Claimed a missing item twice');
    expect(await page.locator('#order-facts').textContent()).toContain('Leave at the door');

    await page.fill('#weight-input', '1740');
    const check = page.locator('#weight-check');
    await expect.poll(() => check.getAttribute('data-status'), wait).toBe('off');
    expect(await check.textContent()).toContain('expected 2,280 g ±5 %, measured 1,740 g');
    await screenshot(page, 'en-2-flagged-off-weight');

    await page.locator('#record-button[data-recording="true"]').waitFor();
    await page.waitForTimeout(3000);
    await page.click('#record-button');
    await page.locator('#record-button[data-recording="false"]').waitFor();
    await page.click('#photo-button');
    await expect.poll(() => page.locator('#capture-files').textContent(), wait).toContain('📷 1');

    await page.fill('#weight-input', '2.31');
    await page.click('[data-unit="kg"]');
    await expect.poll(() => check.getAttribute('data-status'), wait).toBe('ok');
    await screenshot(page, 'en-3-capture-full', true);

    await tapDone(page);
    await waitForAllSafe(page);
    await screenshot(page, 'en-4-all-safe');

    const history = await pageHistory(page);
    const flagged = history.find((entry) => entry.orderId === '8801234567890')!;
    expect(flagged.files.map((file) => file.kind).sort()).toEqual(['photo', 'video']);
    const [capture] = (await serverOrder(server, shop.ownerToken, '8801234567890')).captures;
    expect(capture).toMatchObject({ kind: 'packing', weightGrams: 2310, weight: { value: 2.31, unit: 'kg' } });
    await expectDeliveredExactly(server, shop.ownerToken, flagged, capture);
    expect(capture.media.find((media) => media.type === 'video')!.mime).toMatch(/^video\/(webm|mp4)/);

    const typed = history.find((entry) => entry.orderId === 'HAND-TYPED-1')!;
    const typedCaptures = (await serverOrder(server, shop.ownerToken, 'HAND-TYPED-1')).captures;
    expect(typedCaptures).toHaveLength(1);
    await expectDeliveredExactly(server, shop.ownerToken, typed, typedCaptures[0]);
  });

  it('loses nothing and duplicates nothing through a network cut mid-upload, an offline reload and a reload mid-recording', async () => {
    const page = await phone();
    page.on('dialog', (dialog) => void dialog.accept());
    await pairPhone(page, server, shop, 'Bad Wi-Fi phone');
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 20_000 });

    await startNewOrder(page, 'CUT-1');
    // Some of the recording reaches the server while it is still being recorded …
    await expect.poll(async () => (await pageCurrentFiles(page))[0]?.offset ?? 0, { timeout: 15_000 }).toBeGreaterThan(0);
    // … then the network goes away in the middle of it.
    await context!.setOffline(true);
    await page.waitForTimeout(2500);
    await page.click('#photo-button');
    await expect.poll(() => page.locator('#capture-files').textContent(), wait).toContain('📷 1');
    await tapDone(page);

    // A second order scanned while offline: the app cannot look it up, says so, and lets the packer go
    // on with the code as the order ID; its capture is queued, not lost.
    await scanWithUsbScanner(page, 'CUT-2');
    expect(await answerQuestion(page, true)).toContain('No answer from the server');
    await expect.poll(() => page.locator('#capture-order').textContent(), wait).toBe('CUT-2');
    await page.waitForTimeout(1000);
    await page.click('#photo-button');
    await expect.poll(() => page.locator('#capture-files').textContent(), wait).toContain('📷 1');
    await tapDone(page);
    await expect.poll(() => page.locator('#outbox-chip').getAttribute('data-state'), wait).toBe('offline');
    expect(Number(await page.locator('#outbox-chip').getAttribute('data-pending'))).toBeGreaterThanOrEqual(4);

    // Reloaded with no network: the shell comes from the service worker, the outbox from IndexedDB.
    await page.reload();
    await page.locator('#screen-scan').waitFor({ state: 'visible' });
    await expect.poll(() => page.locator('#outbox-chip').getAttribute('data-state'), wait).toBe('offline');
    await page.click('#outbox-chip');
    expect(await page.locator('#outbox-status').textContent()).toContain('uploads by itself when the connection is back');
    expect(await page.locator('#outbox-list').textContent()).toContain('CUT-1');
    await screenshot(page, 'en-5-offline-outbox');
    await page.click('#sheet-outbox .close-sheet');

    await context!.setOffline(false);
    await waitForAllSafe(page);

    const history = await pageHistory(page);
    for (const [orderId, kinds] of [['CUT-1', ['photo', 'video']], ['CUT-2', ['photo', 'video']]] as const) {
      const entry = history.find((item) => item.orderId === orderId)!;
      expect(entry.files.map((file) => file.kind).sort()).toEqual(kinds);
      const { captures } = await serverOrder(server, shop.ownerToken, orderId);
      expect(captures, `${orderId} has exactly one capture`).toHaveLength(1);
      await expectDeliveredExactly(server, shop.ownerToken, entry, captures[0]);
    }

    // A reload in the middle of a recording: what was stored is kept, resumed and delivered once.
    await startNewOrder(page, 'CUT-3');
    await expect.poll(async () => (await pageCurrentFiles(page))[0]?.offset ?? 0, { timeout: 15_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(2500);
    await page.reload();
    await expect.poll(() => page.locator('#capture-order').textContent(), wait).toBe('CUT-3');
    await page.locator('#capture-notice').waitFor({ state: 'visible' });
    expect(await page.locator('#record-button').getAttribute('data-recording')).toBe('false');
    // The notice is news once: recording again clears it.
    await page.click('#record-button');
    await page.locator('#record-button[data-recording="true"]').waitFor();
    await page.locator('#capture-notice').waitFor({ state: 'hidden' });
    await page.waitForTimeout(1000);
    await tapDone(page);
    await waitForAllSafe(page);
    const cut3 = (await pageHistory(page)).find((item) => item.orderId === 'CUT-3')!;
    const { captures } = await serverOrder(server, shop.ownerToken, 'CUT-3');
    expect(captures).toHaveLength(1);
    await expectDeliveredExactly(server, shop.ownerToken, cut3, captures[0]);
  });

  it('speaks Korean on a Korean phone, and switches to Traditional Chinese', async () => {
    const page = await phone({ locale: 'ko-KR' });
    await page.goto(`${server.url}/pack/`);
    await expect.poll(() => page.locator('#screen-pair h1').textContent(), wait).toBe('이 휴대폰 연결');
    expect(await page.locator('html').getAttribute('lang')).toBe('ko');
    await screenshot(page, 'ko-1-pair');

    await pairPhone(page, server, shop, '2번 작업대');
    expect(await page.locator('#order-form label').textContent()).toContain('주문번호 또는 송장번호');
    await scanWithUsbScanner(page, '8801234567890');
    await page.locator('#flag-alert').waitFor({ state: 'visible' });
    expect(await page.locator('#flag-alert').textContent()).toContain('모든 상품을 사진으로 찍으세요');
    await page.fill('#weight-input', '1740');
    const check = page.locator('#weight-check');
    await expect.poll(() => check.textContent(), wait).toContain('무게가 다릅니다: 예상 2,280 g ±5%, 측정 1,740 g');
    expect(await page.locator('#done-button').textContent()).toBe('✓ 완료');
    await screenshot(page, 'ko-2-capture');

    await page.selectOption('#language', 'zh-TW');
    await expect.poll(() => check.textContent(), wait).toContain('重量不符');
    expect(await page.locator('.weight-card label').textContent()).toBe('重量');
    await screenshot(page, 'zh-1-capture');
    // Done on a weight this far off asks first, in the language on screen.
    await page.click('#done-button');
    expect(await answerQuestion(page, true)).toContain('仍要完成嗎');
    await page.locator('#screen-scan').waitFor({ state: 'visible' });
    await waitForAllSafe(page);
  });

  it('speaks Traditional Chinese as zh-TW to phones set to zh-Hant-TW or zh-HK, and to one that saved the old zh-Hant code', async () => {
    const cases: [string, string | undefined][] = [['zh-Hant-TW', undefined], ['zh-HK', undefined], ['en-US', 'zh-Hant']];
    for (const [locale, saved] of cases) {
      const page = await phone({ locale });
      if (saved) await page.addInitScript((code) => localStorage.setItem('packtrail.language', code), saved);
      await page.goto(`${server.url}/pack/`);
      await expect.poll(() => page.locator('#screen-pair h1').textContent(), wait).toBe('配對此手機');
      await expect.poll(() => page.getAttribute('html', 'lang'), { ...wait, message: locale }).toBe('zh-TW');
      await expect.poll(() => page.inputValue('#language'), { ...wait, message: locale }).toBe('zh-TW');
      await context?.close();
      context = undefined;
    }
  });

  it('records a return inspection with a photo per finding and an outcome', async () => {
    const page = await phone();
    await pairPhone(page, server, shop, 'Returns desk');
    // Tapped again if the first tap did not take (the page may still be settling after pairing), as a
    // packer would on seeing the mode not selected.
    await expect
      .poll(async () => {
        await page.click('[data-mode="unboxing"]');
        return page.getAttribute('[data-mode="unboxing"]', 'aria-checked');
      }, wait)
      .toBe('true');
    await page.fill('#order-input', 'RET-77');
    await page.press('#order-input', 'Enter');
    await answerQuestion(page, true);
    // Step by step, so a failure says whether the capture opened and with which kind.
    await expect.poll(() => page.evaluate(() => document.body.dataset.screen), wait).toBe('capture');
    await expect.poll(() => page.locator('#capture-kind').getAttribute('data-kind'), wait).toBe('unboxing');
    await page.locator('#inspection').waitFor({ state: 'visible' });
    await page.click('[data-item="outer_box"] .result-ok');
    await page.click('[data-item="seal"] .result-issue');
    await page.click('[data-item="seal"] .photo');
    await expect.poll(() => page.locator('[data-item="seal"] .photo').textContent(), wait).toBe('📷 1');
    await page.click('[data-item="protective_film"] .result-issue');

    // Done without an outcome asks for one first.
    await page.click('#done-button');
    await expect.poll(() => page.locator('#outcomes').getAttribute('class'), wait).toContain('wanted');
    await page.click('.outcome-used');
    await screenshot(page, 'en-6-inspection', true);
    await tapDone(page);
    await waitForAllSafe(page);

    const [capture] = (await serverOrder(server, shop.ownerToken, 'RET-77')).captures;
    expect(capture).toMatchObject({ kind: 'unboxing', status: 'finished', outcome: 'used' });
    const photo = capture.media.find((media) => media.type === 'photo')!;
    expect(capture.checklist).toEqual([
      { item: 'outer_box', result: 'ok' },
      { item: 'seal', result: 'issue', mediaIds: [photo.id] },
      { item: 'protective_film', result: 'issue' },
    ]);
  });

  it("falls back to the phone's camera app where the live camera is unavailable", async () => {
    const page = await phoneWithoutLiveCamera('Old phone', 'OLD-PHONE-1');
    await expect.poll(() => page.locator('#photo-button').textContent(), wait).toContain('Camera app');
    expect(await page.locator('#record-button').isHidden()).toBe(true);
    expect(await page.locator('#native-input').getAttribute('capture')).toBe('environment');
    await screenshot(page, 'en-7-native-camera');
    await page.setInputFiles('#native-input', fixture('photo.png'));
    await expect.poll(() => page.locator('#capture-files').textContent(), wait).toContain('📷 1');
    await tapDone(page);
    await waitForAllSafe(page);

    const [capture] = (await serverOrder(server, shop.ownerToken, 'OLD-PHONE-1')).captures;
    const expected = createHash('sha256').update(fs.readFileSync(fixture('photo.png'))).digest('hex');
    expect(capture.media.map((media) => media.sha256)).toEqual([expected]);
    expect((await pageSummary(page)).pending).toBe(0);
  });

  it('says what to do with a file the server refuses, and drops it only when told to', async () => {
    const page = await phoneWithoutLiveCamera('Refused phone', 'REFUSED-1');
    await page.setInputFiles('#native-input', fixture('not-an-image.jpg'));
    await tapDone(page);
    await expect.poll(() => page.locator('#outbox-chip').getAttribute('data-state'), wait).toBe('failed');
    await page.click('#outbox-chip');
    const item = page.locator('#outbox-list .file.error');
    await expect.poll(() => item.textContent(), wait).toContain('Save it to the phone and give it to your manager');
    await screenshot(page, 'en-9-refused-file');
    // Still there after a reload: a refusal never drops a file by itself.
    await page.reload();
    await expect.poll(() => page.locator('#outbox-chip').getAttribute('data-state'), wait).toBe('failed');
    await page.click('#outbox-chip');
    page.on('dialog', (dialog) => void dialog.accept());
    await page.click('#outbox-list .file.error .danger');
    await page.click('#sheet-outbox .close-sheet');
    await waitForAllSafe(page);
    const [capture] = (await serverOrder(server, shop.ownerToken, 'REFUSED-1')).captures;
    expect(capture).toMatchObject({ status: 'finished', media: [] });
  });

  it('finishes a capture left idle for the set time', async () => {
    const page = await phone();
    await page.addInitScript(() => Object.defineProperty(navigator, 'mediaDevices', { value: undefined }));
    await pairPhone(page, server, shop, 'Forgetful phone');
    await page.click('#settings-button');
    await page.fill('#settings-form [name="idleMinutes"]', '0.05');
    await page.click('#settings-form button[type="submit"]');
    await startNewOrder(page, 'IDLE-1');
    await page.locator('#screen-scan').waitFor({ state: 'visible', timeout: 20_000 });
    expect(await page.locator('#toast').textContent()).toContain('without activity');
    await waitForAllSafe(page);
    const [capture] = (await serverOrder(server, shop.ownerToken, 'IDLE-1')).captures;
    expect(capture.status).toBe('finished');
  });
});
