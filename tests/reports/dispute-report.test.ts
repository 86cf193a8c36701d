// report.pdf from made-up dispute data around real fixture photos and videos, read back with poppler.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDisputeReport } from '../../server/services/reports/dispute-report';
import type { ReportInput } from '../../server/services/reports/report-input';
import { extractStills } from '../../storage/video';
import { pdfFonts, pdfInfo, pdfText, renderToFile, requirePoppler } from './pdf-tools';
import { BUYER_NAME, ORDER_ID, makeReportInput } from './report-fixture';

let dir: string;
let english: { file: string; text: string; bytes: number };
let input: ReportInput;

beforeAll(async () => {
  requirePoppler();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'packtrail-report-'));
  input = makeReportInput('en');
  // Stills as the bundle service hands them over, made by the same function.
  for (const [index, item] of input.evidence.entries()) {
    if (item.media.type === 'video') item.stills = await extractStills(item.originalPath!, path.join(dir, `stills-${index}`));
  }
  const file = path.join(dir, 'report-en.pdf');
  const pdf = await renderToFile((destination) => renderDisputeReport(input, destination, { workDir: dir }), file);
  english = { file, text: pdfText(file), bytes: pdf.length };
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('renderDisputeReport', () => {
  it('writes an A4 PDF that opens, titled with the order', () => {
    const info = pdfInfo(english.file);
    expect(info['Page size']).toContain('595.28 x 841.89');
    expect(Number(info.Pages)).toBeGreaterThan(3);
    expect(info.Title).toContain(ORDER_ID);
    // Re-encoded photos, not the raw originals: small enough for a payment processor's upload form.
    expect(english.bytes).toBeLessThan(1_000_000);
  });

  it('embeds every font it uses', () => {
    const fonts = pdfFonts(english.file);
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.every((font) => font.embedded)).toBe(true);
  });

  it('holds the order, the Korean buyer name and the weight sentence', () => {
    expect(english.text).toContain(ORDER_ID);
    expect(english.text).toContain(BUYER_NAME);
    expect(english.text).toContain(
      '2,310 g measured; 4 items expected 2,280 g ± 5 %; consistent with all items; one item missing would weigh about 1,710 g',
    );
    // The return weighed at unboxing, held to the parcel as it was packed, tells the missing dozen.
    expect(english.text).toContain('1,705 g measured; 2,310 g at packing ± 5 %; 605 g lighter than at packing, about one 570 g item short (Linen napkins, dozen)');
  });

  it('shows times in the shop’s zone and the device’s claim as a claim', () => {
    expect(english.text).toContain('Asia/Seoul (KST, GMT+9)');
    expect(english.text).toContain('2026-05-01 14:03:40 KST');
    expect(english.text).toContain('Capture time claimed by the device (not verified)');
  });

  it('lays out a stills sheet with time labels for each video', () => {
    expect(english.text).toContain('Stills from the video, one every 1 s');
    expect(english.text).toMatch(/00:00 00:01/);
  });

  it('lists every original with its bundle path and full SHA-256', () => {
    for (const item of input.evidence) {
      expect(english.text).toContain(item.bundlePath);
      expect(english.text).toContain(item.media.sha256);
    }
  });

  it('reports the return inspection and explains verification in plain words', () => {
    expect(english.text).toContain('Outer box Problem found Corner crushed E6');
    expect(english.text).toContain('Parts missing');
    expect(english.text).toContain('verification/verify.html');
    expect(english.text).toContain('node verification/verify.mjs');
    expect(english.text).toContain(input.ledger.rootHash);
    expect(english.text).toContain('What a checkpoint is');
  });

  it('keeps the seller’s private buyer flag out of a document meant for others', () => {
    expect(english.text).not.toContain('private note');
  });

  it.each([
    ['ko', '분쟁 증거 보고서', '모든 상품이 들어 있는 무게와 일치'],
    ['zh-TW', '爭議證據報告', '與全部商品相符'],
  ] as const)('writes the report in %s, the Korean name included', async (language, title, weightWords) => {
    const file = path.join(dir, `report-${language}.pdf`);
    await renderToFile((destination) => renderDisputeReport(makeReportInput(language), destination, { workDir: dir }), file);
    const text = pdfText(file);
    expect(text).toContain(title);
    expect(text).toContain(weightWords);
    expect(text).toContain(BUYER_NAME);
    expect(text).toContain(ORDER_ID);
    // Videos without stills from the caller get them made while rendering.
    expect(text).toMatch(/00:00 00:01/);
    expect(pdfFonts(file).every((font) => font.embedded)).toBe(true);
  });

  it('leaves no working files behind', () => {
    expect(fs.readdirSync(dir).filter((name) => name.startsWith('packtrail-report-'))).toEqual([]);
  });
});
