// The share page in real headless Chromium, on a 390 px phone and at a desk: no sideways scrolling,
// axe's WCAG checks, thumbnails that load under the page's strict policy with nothing refused, and the
// language switch keeping the link. Screens go to test-artifacts/share/ for a person to look through.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectPath } from '../../server/paths';
import { launchBrowser, newPhoneContext } from '../helpers/browser';
import { expectAccessible, expectNoSidewaysScroll, withCjkFonts } from '../helpers/dashboard';
import { makeSharedCase, SHARED_ORDER, type SharedCase } from '../helpers/share-case';
import { startServer, type TestServer } from '../helpers/server';

const shotsDir = process.env.SHARE_SHOTS_DIR ?? projectPath('test-artifacts', 'share');

const sizes = [
  { name: 'phone', context: (browser: Browser) => newPhoneContext(browser, { locale: 'en-US', timezoneId: 'Europe/Berlin' }) },
  { name: 'desktop', context: (browser: Browser) => browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-US', timezoneId: 'Europe/Berlin' }) },
] as const;

describe('the share page in a browser', () => {
  let server: TestServer;
  let shared: SharedCase;
  let browser: Browser;

  beforeAll(async () => {
    withCjkFonts();
    server = await startServer();
    shared = await makeSharedCase(server);
    browser = await launchBrowser();
    fs.mkdirSync(shotsDir, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function openPage(context: BrowserContext, query: string): Promise<{ page: Page; refused: string[] }> {
    const page = await context.newPage();
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text());
    });
    page.on('pageerror', (error) => refused.push(error.message));
    await page.goto(`${server.url}${shared.path}${query}`, { waitUntil: 'load' });
    return { page, refused };
  }

  for (const size of sizes) {
    it.each(['en', 'ko', 'zh-TW'] as const)(`reads on a ${size.name} (%s): no sideways scroll, accessible, pictures shown`, async (language) => {
      const context = await size.context(browser);
      try {
        const { page, refused } = await openPage(context, `?lang=${language}`);
        expect(await page.evaluate(() => document.documentElement.lang)).toBe(language);
        expect(await page.locator('img').count()).toBe(2);
        // Thumbnails load lazily: each is brought into view as a reader scrolling down would.
        for (const image of await page.locator('img').all()) await image.scrollIntoViewIfNeeded();
        await expect.poll(() => page.evaluate(() => [...document.images].every((image) => image.complete && image.naturalWidth > 0))).toBe(true);
        await page.evaluate(() => window.scrollTo(0, 0));
        await expectNoSidewaysScroll(page);
        await expectAccessible(page, `share page ${size.name} ${language}`);
        // One h1, then sections each with a heading.
        expect(await page.locator('h1').count()).toBe(1);
        expect(await page.locator('main h2').count()).toBeGreaterThanOrEqual(6);
        // The download is a large target on a phone.
        const download = await page.locator('a.download').boundingBox();
        expect(download!.height).toBeGreaterThanOrEqual(44);
        await page.screenshot({ path: path.join(shotsDir, `${size.name}-${language}.png`), fullPage: true });
        expect(refused).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }

  it('tells a recipient whose link was revoked, or never existed, that it is no longer available: accessible, in every language, at both sizes', async () => {
    const made = await (await server.request('POST', `/api/v1/disputes/${shared.disputeId}/shares`, { token: shared.seller, json: { expiresInHours: 1 } })).json();
    const revoked = await server.request('DELETE', `/api/v1/disputes/${shared.disputeId}/shares/${made.id}`, { token: shared.seller });
    expect(revoked.status).toBeLessThan(300);
    const links = [
      { name: 'revoked', path: new URL(made.url).pathname, status: 410 },
      { name: 'unknown', path: '/s/no-such-link-0000000000', status: 404 },
    ];
    for (const size of sizes) {
      const context = await size.context(browser);
      try {
        for (const link of links) {
          for (const language of ['en', 'ko', 'zh-TW'] as const) {
            const page = await context.newPage();
            const answer = await page.goto(`${server.url}${link.path}?lang=${language}`, { waitUntil: 'load' });
            expect(answer?.status()).toBe(link.status);
            expect(await page.evaluate(() => document.documentElement.lang)).toBe(language);
            expect(await page.locator('h1').count()).toBe(1);
            await expectNoSidewaysScroll(page);
            await expectAccessible(page, `share page ${link.name} ${size.name} ${language}`);
            await page.screenshot({ path: path.join(shotsDir, `${size.name}-${link.name}-${language}.png`), fullPage: true });
            await page.close();
          }
        }
      } finally {
        await context.close();
      }
    }
  });

  it('switches language from its own links, keeping the link’s token, and the video plays from the MP4 copy', async () => {
    const context = await sizes[0].context(browser);
    try {
      const { page, refused } = await openPage(context, '');
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
      await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: '한국어' }).click();
      await page.waitForURL(`**${shared.path}?lang=ko`);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('ko');
      expect(await page.getByRole('link', { name: '한국어' }).getAttribute('aria-current')).toBe('page');
      await expect.poll(() => page.title()).toContain(SHARED_ORDER);
      const source = await page.evaluate(async () => {
        const video = document.querySelector('video')!;
        video.load();
        await new Promise((resolve) => video.addEventListener('loadedmetadata', resolve, { once: true }));
        return video.currentSrc;
      });
      expect(source).toMatch(/\/playback$/);
      expect(refused).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
