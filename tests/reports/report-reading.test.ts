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
      if (item.media.type === 'video') item.stills = await extractStills(item.originalPath!, path.join(dir, `one-still-${language}-${index}`), { max: 1 });
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

/** Each page's lines as pdftotext lays them out, without the running header and the footer. */
function pageLines(file: string, pages: number): string[][] {
  return Array.from({ length: pages }, (_, index) => {
    const page = index + 1;
    const lines = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', '-f', String(page), '-l', String(page), file, '-'])
      .toString()
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    // The footer is the last line; every page after the first starts with the running header.
    return lines.slice(page > 1 ? 1 : 0, -1);
  });
}

/** Headings a document prints: every section's, and an evidence item's "E3 · …". */
function isHeading(line: string, language: Language): boolean {
  const words = translations.reports[language] as unknown as Record<string, unknown>;
  const headings = Object.entries(words)
    .filter(([key, value]) => /^h[A-Z]/.test(key) && typeof value === 'string')
    .map(([, value]) => value as string);
  return headings.includes(line) || /^E\d+ · /.test(line);
}

function orphanHeadings(file: string, pages: number, language: Language): string[] {
  return pageLines(file, pages)
    .slice(0, -1)
    .flatMap((lines, index) => {
      const last = lines.at(-1) ?? '';
      return isHeading(last, language) ? [`page ${index + 1} ends with "${last}"`] : [];
    });
}

describe('headings', () => {
  // A longer dispute note moves every later heading down the page, through a whole page's worth. Packing
  // only (no return): the evidence starts part-way down a page, where its heading once stood alone.
  const noteLines = [0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40];
  it.each(noteLines.flatMap((lines) => [['en', lines], ['ko', lines]] as const))(
    'never end a page in the report (%s, a note of %i lines)',
    async (language, lines) => {
      const input = makeReportInput(language);
      input.captures = input.captures.filter((capture) => capture.kind === 'packing');
      input.evidence = input.evidence.filter((item) => input.captures.some((capture) => capture.id === item.media.captureId));
      input.weights = input.weights.filter((entry) => input.captures.some((capture) => capture.id === entry.captureId));
      if (lines > 0) input.dispute.note = Array.from({ length: lines }, (_, line) => `Note line ${line + 1} from the seller.`).join('\n');
      const { file, pages } = await render(input);
      expect(orphanHeadings(file, pages, language)).toEqual([]);
    },
  );

  it.each([0, 8, 16, 24, 32].flatMap((lines) => [['en', lines], ['ko', lines]] as const))(
    'never end a page in the claim letter (%s, a damage description of %i lines)',
    async (language, lines) => {
      const claim = makeClaimInput(language);
      if (lines > 0) claim.dispute.damageDescription = Array.from({ length: lines }, (_, line) => `Damage line ${line + 1}.`).join('\n');
      const file = path.join(dir, `claim-headings-${language}-${lines}.pdf`);
      await renderToFile((destination) => renderClaimLetter(claim, destination, { workDir: dir }), file);
      expect(orphanHeadings(file, Number(pdfInfo(file).Pages), language)).toEqual([]);
    },
  );
});

describe('photos on the page', () => {
  it('lays two photos on a page, each beside its facts, with the SHA-256 on one line', async () => {
    const input = makeReportInput('en');
    const { file, pages } = await render(input);
    const withPhotos = pageLines(file, pages).map((lines) => lines.filter((line) => /^E\d+ · Photo/.test(line)).length);
    // E1 (portrait) and E2 share a page; so do E3 and E4's heading.
    expect(withPhotos.filter((count) => count >= 2).length).toBeGreaterThanOrEqual(1);
    const text = pdfText(file);
    for (const item of input.evidence) expect(text).toContain(item.media.sha256);
  });

  it('says in words that a HEIC photo has no preview, instead of a broken picture', async () => {
    const { text } = await render(makeReportInput('en'));
    expect(text).toContain('E6 · Photo from the return unboxing 찌그러진 모서리 #damage HEIC photo: open the original; no preview can be made.');
    const korean = await render(makeReportInput('ko'));
    expect(korean.text).toContain('HEIC 사진: 원본을 열어 보십시오. 미리 보기를 만들 수 없습니다.');
  });
});

describe('sentences that stay true', () => {
  const userCapture = {
    id: 'cap-desk-0003',
    orderId: 'SS-2026-0501-7781',
    kind: 'other',
    status: 'finished',
    startedAt: '2026-05-09T04:00:00.000Z',
    finishedAt: '2026-05-09T04:00:00.000Z',
    recordedBy: { kind: 'user', id: 'usr-1', name: 'owner@hanbit.example' },
    media: [],
  } as unknown as ReportInput['captures'][number];

  it('says every capture came from a paired phone only when it did; a desk upload by a person is named as such', async () => {
    const phones = await render(makeReportInput('en'));
    expect(phones.text).toContain('Every capture here was recorded in the packer app on a paired phone and uploaded from that phone.');
    expect(phones.text).not.toContain('while they are taken');

    const input = makeReportInput('en');
    input.captures.push(userCapture);
    const mixed = await render(input);
    expect(mixed.text).toContain('the others were added by the shop from a computer');
    expect(mixed.text).not.toContain('Every capture here');
    expect(mixed.text).toContain('by owner@hanbit.example');

    const korean = makeReportInput('ko');
    korean.captures.push(userCapture);
    expect((await render(korean)).text).toContain('나머지는 판매자가 컴퓨터에서 추가했습니다');
  });

  it('prints the expected weight as a capture fact only beside a weight', async () => {
    const input = makeReportInput('en');
    input.captures.push(userCapture);
    const facts = (capture: string, kind: string, weight: number | null) => ({
      capture,
      order: input.order.orderId,
      kind,
      recordedBy: null,
      station: null,
      started: '2026-05-01T05:03:12.000Z',
      finished: '2026-05-01T05:06:30.000Z',
      weight: weight === null ? null : { grams: weight, value: weight, unit: 'g' },
      expectedGrams: 970,
      tolerancePercent: 5,
      tracking: null,
      checklist: [],
      outcome: null,
      note: null,
      media: [],
    });
    input.ledger.captureFacts = [
      { captureId: 'cap-packing-0001', leafIndex: 11, facts: facts('cap-packing-0001', 'packing', 985) },
      { captureId: 'cap-desk-0003', leafIndex: 12, facts: facts('cap-desk-0003', 'other', null) },
    ];
    const { text } = await render(input);
    expect(text.match(/expected then/g)).toHaveLength(1);
    expect(text).toContain('985 g · expected then 970 g');
  });

  it('gives a video’s length in the report’s own unit', async () => {
    expect((await render(makeReportInput('ko'))).text).toContain('길이 2.0초');
    expect((await render(makeReportInput('zh-TW'))).text).toContain('長度 2.0 秒');
    expect((await render(makeReportInput('en'))).text).toContain('Duration 2.0 s');
  });
});

describe('the claim letter', () => {
  it.each([
    ['en', 'Weight at packing', 'Weight check', 'Contents', 'File in packet', 'File in bundle'],
    ['ko', '포장 시 무게', '무게 확인', '내용물', '청구 서류 묶음 내 파일', '묶음 내 파일 media'],
  ] as const)('puts the weight verdict in the shipment facts and says "packet" (%s)', async (language, atPacking, check, contents, inPacket, inBundle) => {
    const file = path.join(dir, `claim-weight-${language}.pdf`);
    await renderToFile((destination) => renderClaimLetter(makeClaimInput(language), destination, { workDir: dir }), file);
    const text = pdfText(file);
    const facts = text.slice(text.indexOf(atPacking), text.indexOf(contents));
    expect(facts).toContain(check);
    expect(facts).toMatch(/2,310 g/);
    // Nothing about the weight under the damage description.
    const damage = text.slice(text.indexOf(contents), text.indexOf(contents) + 200);
    expect(damage).not.toMatch(/2,280 g/);
    expect(text).toContain(inPacket);
    expect(text.replaceAll(`${inPacket} media`, '')).not.toContain(inBundle);
  });
});
