import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser';
import fs from 'node:fs';
import { copyBundle, editFactsEntry, flipByte, makeBundle, swapPhotoForVideo, tamperings, type BundleOnDisk } from './bundle-fixture';

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
    expect(await page.textContent('#summary')).toBe('Everything verified. Originals: 2; capture facts: 1; documents made at export: 10.');
    expect(await statuses(page)).toEqual({ [bundle.photoPath]: 'verified', [bundle.videoPath]: 'verified' });
    await page.context().close();
  });

  it('shows the capture facts as verified facts, the documents made at export apart from the originals, and the capture not in the log', async () => {
    const page = await openVerifier(bundle.bundleDir);
    await page.setInputFiles('#pick-folder', bundle.bundleDir);
    await page.waitForSelector('#summary[data-summary="verified"]');
    const capture = `.capture[data-capture="${bundle.captureId}"]`;
    expect(await page.getAttribute(capture, 'data-status')).toBe('verified');
    expect(await page.textContent(`${capture} h3 span`)).toBe(`packing capture · order ORDER-7 · log entry ${bundle.factsIndex}`);
    const facts = await page.$$eval(`${capture} dd`, (cells) => Object.fromEntries(cells.map((cell) => [(cell as HTMLElement).dataset.fact, cell.textContent])));
    expect(facts).toEqual({
      factWeight: '985 g (entered as 0.985 kg)',
      factExpected: '970 g',
      factChecklist: 'outer_box: ok · seal: issue (“Tape lifted\non one side”)',
      factStation: 'Station 2',
      factRecordedBy: 'Station 2 phone (device d0000000-0000-4000-8000-00000000000d)',
      factStarted: '2026-05-01T05:03:00.000Z',
      factFinished: '2026-05-01T05:09:30.000Z',
      factTracking: '601234567890',
      factMedia: '2 file(s), each by its SHA-256',
    });
    expect(await page.getAttribute(`.capture[data-capture="${bundle.oldCaptureId}"]`, 'data-status')).toBe('not-in-log');
    const documents = await page.$$eval('#documents tr', (rows) =>
      Object.fromEntries(rows.map((row) => [(row as HTMLElement).dataset.path, (row as HTMLElement).dataset.status])),
    );
    expect(documents).toMatchObject({ 'manifest.json': 'verified', 'report.pdf': 'verified', 'README.txt': 'verified', 'verification/verify.html': 'verified' });
    expect(Object.keys(documents)).not.toContain(bundle.photoPath);
    expect(await page.getAttribute('#export-statement', 'data-status')).toBe('verified');
    expect(await page.textContent('#export-statement')).toBe('✓ Valid: signed by the same key when the bundle was exported, 2026-05-02T01:00:00.000Z');
    expect(await page.isHidden('#added-files')).toBe(true);
    await page.context().close();
  });

  for (const tampering of tamperings) {
    it(`shows ${tampering.name} as failed, naming it`, async () => {
      const copy = copyBundle(bundle, `html-${tampering.name.replace(/\W+/g, '-')}`);
      tampering.edit(copy, bundle);
      const page = await openVerifier(copy);
      await page.setInputFiles('#pick-folder', copy);
      await page.waitForSelector('#summary[data-summary="failed"]');
      let target: string;
      if (tampering.failed === 'statement') target = '#export-statement';
      else if (tampering.failed.startsWith('capture:')) target = `.capture[data-capture="${tampering.failed.slice('capture:'.length)}"]`;
      else if (tampering.failed.startsWith('media/')) target = `#added li[data-path="${tampering.failed}"]`;
      else target = `#documents tr[data-path="${tampering.failed}"]`;
      expect(await page.getAttribute(target, 'data-status')).toBe('failed');
      const shown = await page.textContent(target);
      if (tampering.failed.startsWith('capture:')) expect(shown).toMatch(/was changed|were removed|removed from the bundle/);
      else if (tampering.failed === 'statement') expect(shown).toContain('verification/export-statement.txt');
      else expect(shown).toContain(tampering.failed);
      // The untouched originals stay verified beside the failure.
      if (tampering.failed !== 'statement') expect((await statuses(page))[bundle.videoPath]).toBe('verified');
      await page.context().close();
    });
  }

  it('names the edited fact in the reader’s language', async () => {
    const copy = copyBundle(bundle, 'html-weight-ko');
    tamperings.find((t) => t.name.includes('weight'))!.edit(copy, bundle);
    const page = await openVerifier(copy, { locale: 'ko-KR' });
    await page.setInputFiles('#pick-folder', copy);
    await page.waitForSelector('#summary[data-summary="failed"]');
    const problems = await page.$$eval(`.capture[data-capture="${bundle.captureId}"] li`, (items) => items.map((item) => item.textContent));
    expect(problems).toContain('촬영 사실: 무게 값이 변경되었습니다: 로그에는 “985 g”, 이 번들에는 “1040 g”.');
    const english = await openVerifier(copy);
    await english.setInputFiles('#pick-folder', copy);
    await english.waitForSelector('#summary[data-summary="failed"]');
    const englishProblems = await english.$$eval(`.capture[data-capture="${bundle.captureId}"] li`, (items) => items.map((item) => item.textContent));
    expect(englishProblems).toContain('capture facts: The weight was changed: the log recorded “985 g”, this bundle says “1040 g”.');
    await english.context().close();
    await page.context().close();
  });

  it('reports the video as failed, naming its bytes, after one byte of it was flipped', async () => {
    const copy = copyBundle(bundle, 'html-flipped-video');
    flipByte(path.join(copy, bundle.videoPath), 2048);
    const page = await openVerifier(copy);
    await page.setInputFiles('#pick-folder', copy);
    await page.waitForSelector('#summary[data-summary="failed"]');
    expect(await statuses(page)).toEqual({ [bundle.photoPath]: 'verified', [bundle.videoPath]: 'failed' });
    expect(await page.textContent('#summary')).toBe('1 of 13 checked items FAILED verification.');
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
    expect(await page.textContent('#summary')).toBe('2 of 3 items verified; choose the others to check them too.');
    await page.context().close();
  });

  it('ends a pass naming the key, and says plainly when the bundle does not say where the shop publishes it', async () => {
    const page = await openVerifier(bundle.bundleDir);
    expect(await page.textContent('#key-note')).toBe("This bundle does not say where the shop publishes its key; ask the shop for it. Only a matching key shows the log is the shop's own.");
    await page.setInputFiles('#pick-folder', bundle.bundleDir);
    await page.waitForSelector('#summary[data-summary="verified"]');
    const key = fs.readFileSync(path.join(bundle.bundleDir, 'verification/key.txt'), 'utf8').trim();
    const fingerprint = key.split('+').slice(2).join('+');
    expect(await page.textContent('#result-key-line')).toBe(
      `Every file verified against log key ${fingerprint} (“packtrail.test/shop”). This proves the files are unchanged since that log recorded them.`,
    );
    expect(await page.textContent('#result-key-confirm')).toBe(
      "Confirm the key is the shop's own: this bundle does not say where the shop publishes its key; ask the shop for it.",
    );
    await page.context().close();
  });

  it('names the address where the shop publishes its key, in the reader’s language', async () => {
    const published = await makeBundle({ publicUrl: 'https://evidence.acme.example' });
    try {
      const page = await openVerifier(published.bundleDir);
      await page.setInputFiles('#pick-folder', published.bundleDir);
      await page.waitForSelector('#summary[data-summary="verified"]');
      expect(await page.textContent('#result-key-confirm')).toBe("Confirm the key is the shop's own: compare it with https://evidence.acme.example/api/v1/ledger/key");
      expect(await page.textContent('#key-note')).toContain('https://evidence.acme.example/api/v1/ledger/key');
      await page.screenshot({ path: path.join(process.env.SHOT_DIR ?? published.open.dir, 'verified-en.png'), fullPage: true });
      await page.context().close();
      const korean = await openVerifier(published.bundleDir, { locale: 'ko-KR' });
      await korean.setInputFiles('#pick-folder', published.bundleDir);
      await korean.waitForSelector('#summary[data-summary="verified"]');
      expect(await korean.textContent('#result-key-confirm')).toBe('이 키가 판매자의 키인지 확인하십시오: https://evidence.acme.example/api/v1/ledger/key 의 키와 비교하십시오.');
      await korean.context().close();
    } finally {
      published.open.close();
    }
  });

  it('lists every document as NOT CHECKED when the export statement is gone, never asking for the folder already chosen', async () => {
    const copy = copyBundle(bundle, 'html-no-statement');
    fs.rmSync(path.join(copy, 'verification/export-statement.txt'));
    const page = await openVerifier(copy);
    await page.setInputFiles('#pick-folder', copy);
    await page.waitForSelector('#summary[data-summary="failed"]');
    const documents = await page.$$eval('#documents tr', (rows) =>
      Object.fromEntries(rows.map((row) => [(row as HTMLElement).dataset.path, (row as HTMLElement).dataset.status])),
    );
    for (const name of ['README.txt', 'report.pdf', 'manifest.json', 'verification/verify.html']) expect(documents[name]).toBe('not-checked');
    expect(Object.keys(documents)).not.toContain(bundle.photoPath);
    expect(await page.textContent('#documents tr[data-path="report.pdf"]')).toContain('NOT CHECKED – no signed export statement');
    expect(await page.innerText('main')).not.toContain('Choose the bundle folder to check');
    const capture = `.capture[data-capture="${bundle.captureId}"]`;
    expect(await page.getAttribute(capture, 'data-status')).toBe('log-only');
    expect(await page.textContent(capture)).toContain("Checked against the log; this bundle's copy of them could not be matched to the export.");
    expect(await page.isHidden('#result-key')).toBe(true);
    await page.screenshot({ path: path.join(process.env.SHOT_DIR ?? bundle.open.dir, 'no-statement.png'), fullPage: true });
    await page.context().close();
  });

  it('shows a changed capture by the values the log recorded, naming the changed field', async () => {
    const copy = copyBundle(bundle, 'html-weight-905');
    editFactsEntry(copy, (entry) => entry.replace('weight-grams 985\n', 'weight-grams 905\n'));
    const page = await openVerifier(copy);
    await page.setInputFiles('#pick-folder', copy);
    await page.waitForSelector('#summary[data-summary="failed"]');
    const capture = `.capture[data-capture="${bundle.captureId}"]`;
    expect(await page.textContent(`${capture} dd[data-fact="factWeight"]`)).toBe('985 g (entered as 0.985 kg)');
    expect(await page.textContent(capture)).toContain('As the log recorded them. Changed in this bundle: weight.');
    expect(await page.textContent(capture)).not.toContain('905 g (');
    await page.locator(capture).screenshot({ path: path.join(process.env.SHOT_DIR ?? bundle.open.dir, 'changed-weight.png') });
    await page.context().close();
  });

  it('explains a swapped photo in plain words', async () => {
    const copy = copyBundle(bundle, 'html-swapped-photo');
    swapPhotoForVideo(copy, bundle);
    const page = await openVerifier(copy);
    await page.setInputFiles('#pick-folder', copy);
    await page.waitForSelector('#summary[data-summary="failed"]');
    const row = `#files tr[data-path="${bundle.photoPath}"]`;
    expect(await page.getAttribute(row, 'data-status')).toBe('failed');
    expect(await page.textContent(row)).toMatch(
      new RegExp(`The export statement records SHA-256 [0-9a-f]{64} for ${bundle.photoPath}; the proof is for another file \\(SHA-256 [0-9a-f]{64}\\)\\. The file was swapped after export\\.`),
    );
    await page.context().close();
  });

  it('speaks Korean to a Korean browser', async () => {
    const page = await openVerifier(bundle.bundleDir, { locale: 'ko-KR' });
    await page.setInputFiles('#pick-folder', bundle.bundleDir);
    await page.waitForSelector('#summary[data-summary="verified"]');
    expect(await page.textContent('h1')).toBe('증거 번들 검증');
    expect(await page.textContent('#summary')).toBe('모두 검증됨. 원본 2개, 촬영 사실 1건, 내보낼 때 만든 문서 10개.');
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
