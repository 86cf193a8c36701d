// report.pdf as a claims agent reads it: the service's own words (checklist, outcome, the captions the
// packer app writes) in the report's language while the seller's words stay as written; a short clip's
// single still named by its time, never "one every —"; and no last page left holding a few stray rows.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '../../server/domain/vocabulary';
import { translations } from '../../server/i18n';
import { renderClaimLetter } from '../../server/services/reports/claim-letter';
import { renderDisputeReport } from '../../server/services/reports/dispute-report';
import type { ReportInput } from '../../server/services/reports/report-input';
import { extractStills } from '../../storage/video';
import { pdfInfo, pdfText, renderToFile, requirePoppler } from './pdf-tools';
import { makeClaimInput, makeReportInput } from './report-fixture';

let dir: string;
let count = 0;

beforeAll(() => {
  requirePoppler();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'packtrail-reading-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function render(input: ReportInput): Promise<{ file: string; text: string; pages: number }> {
  const file = path.join(dir, `report-${++count}-${input.language}.pdf`);
  await renderToFile((destination) => renderDisputeReport(input, destination, { workDir: dir }), file);
  return { file, text: pdfText(file), pages: Number(pdfInfo(file).Pages) };
}

/**
 * The report as a packer running the app in `packerLanguage` leaves it: the return's damage photo was
 * taken from the "Outer box" row of the checklist, so the app captioned it with that row's name.
 */
function inspectedInput(language: Language, packerLanguage: Language = 'en'): ReportInput {
  const input = makeReportInput(language);
  const caption = translations.pack[packerLanguage]['inspect.outer_box'] as string;
  const damagePhoto = input.captures[1].media.find((media) => media.id === 'med-0006-ffff')!;
  damagePhoto.caption = caption;
  input.evidence[5] = { ...input.evidence[5], media: { ...input.evidence[5].media, caption } };
  return input;
}

describe('the report speaks its own language', () => {
  it('gives checklist findings, results and the outcome in Korean, and the app-written caption too', async () => {
    const { text } = await render(inspectedInput('ko', 'en'));
    expect(text).toContain('반품 검수');
    expect(text).toContain('외부 박스 문제 있음 Corner crushed E6');
    expect(text).toContain('봉인(테이프) 이상 없음');
    expect(text).toContain('사용 흔적 해당 없음');
    expect(text).toContain('구성품 누락');
    // The caption the English packer app wrote ("Outer box") is the checklist's word, so it follows the report.
    expect(text).not.toContain('Outer box');
    expect(text).toMatch(/E6 · 외부 박스 · SHA-256/);
    expect(text).toMatch(/E6 · 반품 개봉 사진 외부 박스/);
    // The seller's own captions stay exactly as written, in whatever language they wrote them.
    expect(text).toContain('Four dozen napkins in the box #inside');
    expect(text).toContain('봉인한 박스 #sealed');
  });

  it.each([
    ['en', 'ko', 'Outer box'],
    ['zh-TW', 'ko', '外箱'],
  ] as const)('writes a %s report from a packer app in %s with %s', async (language, packerLanguage, expected) => {
    const { text } = await render(inspectedInput(language, packerLanguage));
    expect(text).not.toContain(translations.pack[packerLanguage]['inspect.outer_box']);
    expect(text).toMatch(new RegExp(`E6 · ${expected} · SHA-256`));
  });

  it('gives the app-written caption in the claim letter’s language too, in the photos and the list of enclosures', async () => {
    const claim = makeClaimInput('ko');
    const inspected = inspectedInput('ko', 'en');
    const file = path.join(dir, 'claim-ko.pdf');
    await renderToFile((destination) => renderClaimLetter({ ...claim, captures: inspected.captures, evidence: inspected.evidence }, destination, { workDir: dir }), file);
    const text = pdfText(file);
    expect(text).not.toContain('Outer box');
    expect(text).toContain('외부 박스');
  });

  it('prints what a photo is tagged as showing, in the report language, when tags exist', async () => {
    const input = makeReportInput('ko');
    Object.assign(input.evidence[2].media, { tags: ['label_closeup', 'not_a_tag'] });
    const { text } = await render(input);
    expect(text).toContain(`촬영 내용(태그) ${translations.reports.ko.claimPhotos.label_closeup}`);
    expect(text).not.toContain('not_a_tag');
  });
});

describe('stills of a short video', () => {
  it.each([
    ['en', 'A still from the video at 00:00', 'one every'],
    ['ko', '동영상 정지 화면, 00:00 시점', '마다 한 장'],
  ] as const)('name the one still of a clip too short for two by its time (%s)', async (language, title, spacingWords) => {
    const input = makeReportInput(language);
    for (const [index, item] of input.evidence.entries()) {
      // A clip shorter than the spacing gives one still: what extractStills makes of it.
      if (item.media.type === 'video') item.stills = await extractStills(item.originalPath, path.join(dir, `one-still-${language}-${index}`), { max: 1 });
    }
    expect(input.evidence.filter((item) => item.stills?.length === 1)).toHaveLength(2);
    const { text } = await render(input);
    expect(text).toContain(title);
    expect(text).not.toContain('—');
    expect(text).not.toContain(spacingWords);
  });
});

/** How far down the last page the ink reaches, as a share of the room between running header and footer. */
async function lastPageFilled(file: string, pages: number): Promise<number> {
  const prefix = path.join(dir, `last-${++count}`);
  execFileSync('pdftoppm', ['-r', '40', '-f', String(pages), '-l', String(pages), '-png', '-singlefile', file, prefix]);
  const { data, info } = await sharp(`${prefix}.png`).greyscale().raw().toBuffer({ resolveWithObject: true });
  const perPoint = info.height / 841.89;
  // Below the running header's rule (y 42) and above the footer's rule (y 802), in points.
  const top = Math.ceil(50 * perPoint);
  const bottom = Math.floor(795 * perPoint);
  let lowest = top;
  for (let y = top; y < bottom; y++) {
    for (let x = 0; x < info.width; x++) {
      if (data[y * info.width + x] < 160) {
        lowest = y;
        break;
      }
    }
  }
  return (lowest - top) / (bottom - top);
}

describe('the last page', () => {
  // A last caption of 0 to 56 lines moves where the closing section starts through a whole page.
  const lengths = [0, 8, 16, 24, 32, 40, 48, 56];
  it.each(lengths.flatMap((lines) => [['en', lines], ['ko', lines]] as const))(
    'is never a near-empty page (%s, a last caption of %i lines)',
    async (language, lines) => {
      const input = makeReportInput(language);
      const last = input.evidence[input.evidence.length - 1];
      last.caption = Array.from({ length: lines }, (_, line) => `Line ${line + 1} of what the seller wrote about this photo.`).join('\n') || undefined;
      const { file, pages } = await render(input);
      const lastPage = execFileSync('pdftotext', ['-enc', 'UTF-8', '-f', String(pages), '-l', String(pages), file, '-']).toString();
      // The closing section starts the page whole: heading, steps, and the checkpoint's values below them.
      const heading = translations.reports[language].hVerify;
      expect(lastPage.replace(/\s+/g, ' ')).toContain(heading);
      expect(lastPage).toContain(input.ledger.verifierKey.slice(0, 20));
      expect(await lastPageFilled(file, pages)).toBeGreaterThan(0.3);
    },
  );
});
