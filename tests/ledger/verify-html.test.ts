import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser';
import { copyBundle, flipByte, makeBundle, type BundleOnDisk } from './bundle-fixture';

describe('the offline HTML verifier opened from disk', () => {
  let bundle: BundleOnDisk;
  let browser: Browser;

  beforeAll(async () => {
    [bundle, browser] = await Promise.all([makeBundle(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    bundle?.open.close();
  });

  async function openVerifier(bundleDir: string, options: { locale?: string; wholeFileLimit?: number } = {}): Promise<Page> {
    const context = await browser.newContext({ locale: options.locale ?? 'en-US' });
    const page = await context.newPage();
    if (options.wholeFileLimit !== undefined) {
      await page.addInitScript((limit) => {
        (window as unknown as { packtrailWholeFileLimit: number }).packtrailWholeFileLimit = limit;
      }, options.wholeFileLimit);
    }
    await page.goto(pathToFileURL(path.join(bundleDir, 'verification', 'verify.html')).href);
    return page;
  }

  async function statuses(page: Page): Promise<Record<string, string>> {
    return page.$$eval('#files tr', (rows) =>
      Object.fromEntries(rows.map((row) => [(row as HTMLElement).dataset.path, (row as HTMLElement).dataset.status])),
    );
  }

  it('checks the checkpoint signature as soon as it opens, and lists the files waiting to be chosen', async () => {
    const page = await openVerifier(bundle.bundleDir);
    await page.waitForSelector('#log-signature[data-status="verified"]');
    expect(await page.textContent('#log-origin')).toBe('packtrail.test/shop');
    expect(await statuses(page)).toEqual({ [bundle.photoPath]: 'waiting', [bundle.videoPath]: 'waiting' });
    await page.context().close();
  });

  it('reports every file verified after the unzipped bundle folder is chosen', async () => {
    const page = await openVerifier(bundle.bundleDir);
    await page.setInputFiles('#pick-folder', bundle.bundleDir);
    await page.waitForSelector('#summary[data-summary="verified"]');
    expect(await page.textContent('#summary')).toBe('All 2 files verified.');
    expect(await statuses(page)).toEqual({ [bundle.photoPath]: 'verified', [bundle.videoPath]: 'verified' });
    await page.context().close();
  });

  it('reports the video as failed, naming its bytes, after one byte of it was flipped', async () => {
    const copy = copyBundle(bundle, 'html-flipped-video');
    flipByte(path.join(copy, bundle.videoPath), 2048);
    const page = await openVerifier(copy);
    await page.setInputFiles('#pick-folder', copy);
    await page.waitForSelector('#summary[data-summary="failed"]');
    expect(await statuses(page)).toEqual({ [bundle.photoPath]: 'verified', [bundle.videoPath]: 'failed' });
    expect(await page.textContent('#summary')).toBe('1 of 2 files FAILED verification.');
    const problems = await page.$$eval(`#files tr[data-status="failed"] li`, (items) =>
      items.map((item) => `${(item as HTMLElement).dataset.part}: ${item.textContent}`),
    );
    expect(problems).toEqual([expect.stringMatching(/^file: file bytes: the file's bytes differ from the original/)]);
    await page.context().close();
  });

  it('hashes large files in slices and still verifies them, and checks files chosen one by one', async () => {
    const page = await openVerifier(bundle.bundleDir, { wholeFileLimit: 0 });
    await page.setInputFiles('#pick-files', [path.join(bundle.bundleDir, bundle.videoPath)]);
    await page.waitForSelector('#summary[data-summary="partial"]');
    expect(await statuses(page)).toEqual({ [bundle.photoPath]: 'waiting', [bundle.videoPath]: 'verified' });
    expect(await page.textContent('#summary')).toBe('1 of 2 files verified; choose the others to check them too.');
    await page.context().close();
  });

  it('speaks Korean to a Korean browser', async () => {
    const page = await openVerifier(bundle.bundleDir, { locale: 'ko-KR' });
    await page.setInputFiles('#pick-folder', bundle.bundleDir);
    await page.waitForSelector('#summary[data-summary="verified"]');
    expect(await page.textContent('h1')).toBe('증거 번들 검증');
    expect(await page.textContent('#summary')).toBe('파일 2개 모두 검증되었습니다.');
    await page.context().close();
  });

  it('speaks Traditional Chinese, coded zh-TW as everywhere else, to browsers set to zh-Hant-TW, zh-TW or zh-HK', async () => {
    for (const locale of ['zh-Hant-TW', 'zh-TW', 'zh-HK']) {
      const page = await openVerifier(bundle.bundleDir, { locale });
      expect(await page.textContent('h1'), locale).toBe('驗證此證據包');
      expect(await page.getAttribute('html', 'lang'), locale).toBe('zh-TW');
      expect(await page.inputValue('#language'), locale).toBe('zh-TW');
      await page.context().close();
    }
  });
});
