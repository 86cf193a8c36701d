// The courier-claim letter: facts, deadline, the photo checklist (tagged photos only), dates that do not agree.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimPhotoKinds, type ClaimPhotoKind } from '../../server/domain/vocabulary';
import { assessClaimPhotos, sameFiles } from '../../server/services/claims/claim-photos';
import { tagsSetAfter } from '../../server/services/claims/tag-history';
import { renderClaimLetter } from '../../server/services/reports/claim-letter';
import type { EvidenceItem } from '../../server/services/reports/report-input';
import { pdfInfo, pdfText, renderToFile, requirePoppler } from './pdf-tools';
import { BUYER_NAME, ORDER_ID, makeClaimInput } from './report-fixture';
import { claimChecklist } from '../../server/services/claims/claim-checklist';

let dir: string;
beforeAll(() => {
  requirePoppler();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'packtrail-claim-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let counter = 0;
const evidence = (captureId: string, type: 'photo' | 'video', fields: { caption?: string; tags?: ClaimPhotoKind[] } = {}, id = `m-${++counter}`): EvidenceItem => ({
  media: {
    id,
    captureId,
    type,
    mime: type === 'photo' ? 'image/jpeg' : 'video/mp4',
    bytes: 1,
    sha256: '0'.repeat(64),
    receivedAt: '2026-05-01T00:00:00Z',
    tags: fields.tags ?? [],
    processingStatus: 'ready',
  },
  caption: fields.caption,
  bundlePath: `media/${id}`,
  originalPath: '/dev/null',
});

const check = (kind: ClaimPhotoKind, items: EvidenceItem[], claimKind: 'damage' | 'loss' = 'damage') =>
  assessClaimPhotos({ claimKind, evidence: items }).find((found) => found.kind === kind)!;

// What each requirement is most easily mistaken for: the words of its old caption hashtag, and a
// recording that shows the same thing.
const lookalikes: Record<ClaimPhotoKind, string> = {
  packing_inside: 'Items going in #inside 내부',
  packing_outside: 'Closed and taped #sealed 봉인',
  label_closeup: 'Waybill close-up #label 운송장',
  damage: 'Corner crushed #damage 파손',
  all_sides: 'All sides #sides 모든 면',
  weight: 'On the scale #scale 무게',
};

describe('assessClaimPhotos: a requirement is present only with a photo tagged for it', () => {
  for (const kind of claimPhotoKinds) {
    it(`${kind}: present with a tagged photo; missing with an untagged photo or only a video`, () => {
      const tagged = [evidence('p', 'video'), evidence('p', 'photo', { tags: [kind] }), evidence('p', 'photo', { tags: ['weight', kind] })];
      expect(check(kind, tagged)).toEqual({ kind, required: true, present: true, evidence: [2, 3], labelledLater: [] });

      const untagged = [evidence('p', 'photo', { caption: lookalikes[kind] }), evidence('p', 'photo', { tags: claimPhotoKinds.filter((other) => other !== kind) })];
      expect(check(kind, untagged)).toEqual({ kind, required: true, present: false, evidence: [], labelledLater: [] });

      // A recording of the packing shows the inside and the sealed box, but a courier asks for photos;
      // a tag on a video (none can be set through the API) does not count either.
      const onlyVideos = [evidence('p', 'video', { caption: lookalikes[kind] }), evidence('p', 'video', { tags: [kind] })];
      expect(check(kind, onlyVideos)).toEqual({ kind, required: true, present: false, evidence: [], labelledLater: [] });
    });
  }

  it('says which ticks rest on a label set after the recording, and when', () => {
    const labelled = { ...evidence('p', 'photo', { tags: ['label_closeup', 'damage'] }), labelledAfterRecording: [{ tag: 'damage' as const, at: '2026-05-09T03:00:00Z' }] };
    const items = [evidence('p', 'photo', { tags: ['damage'] }), labelled];
    expect(check('damage', items)).toEqual({ kind: 'damage', required: true, present: true, evidence: [1, 2], labelledLater: [{ evidence: 2, at: '2026-05-09T03:00:00Z' }] });
    // The same photo's label close-up tag was there when the recording finished.
    expect(check('label_closeup', items).labelledLater).toEqual([]);
  });

  it('does not ask a lost-parcel claim for damage or all-sides photos', () => {
    const checks = assessClaimPhotos({ claimKind: 'loss', evidence: [] });
    expect(checks.filter((found) => !found.required).map((found) => found.kind)).toEqual(['damage', 'all_sides']);
    expect(check('label_closeup', [], 'loss').required).toBe(true);
  });
});

describe('tagsSetAfter: when a photo\'s tags were set, from the custody log', () => {
  const finishedAt = '2026-05-01T10:00:00.000Z';
  const tag = (at: string, before: string[], tags: string[]) => ({ at, detail: { captureId: 'p', before, tags } });

  it('names a tag last added after the capture finished, with when', () => {
    const events = [tag('2026-05-01T09:00:00.000Z', [], ['label_closeup']), tag('2026-05-03T01:00:00.000Z', ['label_closeup'], ['label_closeup', 'damage'])];
    expect(tagsSetAfter(['label_closeup', 'damage'], events, finishedAt)).toEqual([{ tag: 'damage', at: '2026-05-03T01:00:00.000Z' }]);
  });

  it('keeps a tag set at upload or while the capture was open, and names one taken off and set again later', () => {
    // Set at upload: no tag event at all.
    expect(tagsSetAfter(['weight'], [], finishedAt)).toEqual([]);
    const events = [
      tag('2026-05-01T09:00:00.000Z', [], ['weight']),
      tag('2026-05-02T09:00:00.000Z', ['weight'], []),
      tag('2026-05-04T09:00:00.000Z', [], ['weight']),
    ];
    expect(tagsSetAfter(['weight'], events.slice(0, 1), finishedAt)).toEqual([]);
    expect(tagsSetAfter(['weight'], events, finishedAt)).toEqual([{ tag: 'weight', at: '2026-05-04T09:00:00.000Z' }]);
  });

  it('names none on a capture still open', () => {
    expect(tagsSetAfter(['weight'], [tag('2026-05-04T09:00:00.000Z', [], ['weight'])], undefined)).toEqual([]);
  });
});

describe('sameFiles: one file picked twice is one piece of evidence', () => {
  it('groups evidence numbers by SHA-256, only where a file comes more than once', () => {
    const withHash = (sha: string) => ({ media: { type: 'photo' as const, tags: [], sha256: sha.repeat(64) } });
    expect(sameFiles([withHash('a'), withHash('b'), withHash('c'), withHash('b'), withHash('a'), withHash('b')])).toEqual([[1, 5], [2, 4, 6]]);
    expect(sameFiles([withHash('a'), withHash('b')])).toEqual([]);
  });
});

describe('renderClaimLetter', () => {
  it('writes the facts, the deadline and the photo checklist a claims desk asks for', async () => {
    const file = path.join(dir, 'claim-en.pdf');
    let result: Awaited<ReturnType<typeof renderClaimLetter>> | undefined;
    await renderToFile(async (destination) => {
      result = await renderClaimLetter(makeClaimInput('en'), destination, { workDir: dir });
    }, file);
    expect(Number(pdfInfo(file).Pages)).toBeGreaterThan(1);
    const text = pdfText(file);

    expect(text).toContain('Claim for damage to a parcel');
    expect(text).toContain('To: CJ대한통운, claims department');
    for (const fact of [ORDER_ID, BUYER_NAME, '6012-3456-7890', 'Hanbit Linen 한빛리넨', '2026-05-01 16:00:00 KST', 'KRW 59,000', '2,310 g', '4 × Linen napkins, dozen', 'Box corner crushed']) {
      expect(text).toContain(fact);
    }
    // Delivered 2 May (KST): 14 days under the Korean standard parcel terms.
    expect(result?.deadline).toMatchObject({ carrierKey: 'kr_standard', deadline: '2026-05-16' });
    expect(text).toContain('File by 2026-05-16 (6 days from the date of this letter)');
    expect(text).toContain('택배 표준약관');
    expect(text).toContain('Packing, inside: the items in the box with their cushioning Present see E1');
    expect(text).toContain('The parcel on the scale, display readable Missing');
    expect(text).toContain('The parcel from all sides Missing The parcel on the scale');
    // Photos tagged for what they show; the packing video ticks nothing.
    expect(result?.photos.find((found) => found.kind === 'packing_outside')).toMatchObject({ present: true, evidence: [2] });
    // It names only what its packet holds: the enclosures, the verifier and the manifest; the dates agree.
    expect(text).not.toContain('report.pdf');
    expect(text).toContain('open verification/verify.html');
    expect(text).not.toContain('Dates that do not agree');
  });

  it('marks a tick resting on a label set after the recording, and names the same file enclosed twice', async () => {
    for (const language of ['en', 'ko', 'zh-TW'] as const) {
      const input = makeClaimInput(language);
      const [first, second] = input.evidence;
      // E2 labelled "sealed box" two days after the recording; E3 is E1's file enclosed again.
      input.evidence = [first, { ...second, labelledAfterRecording: [{ tag: 'packing_outside', at: '2026-05-03T01:00:00Z' }] }, { ...first, media: { ...first.media, id: 'again' } }];
      const checklist = claimChecklist({
        order: input.order, captures: input.captures, evidence: input.evidence, timezone: input.shop.timezone,
        claimKind: 'damage', claimOpenedAt: input.dispute.createdAt, letterDate: input.generatedAt,
      });
      expect(checklist.photos.find((found) => found.kind === 'packing_outside')?.labelledLater).toEqual([{ evidence: 2, at: '2026-05-03T01:00:00Z' }]);
      expect(checklist.sameFiles).toEqual([[1, 3]]);
      const file = path.join(dir, `claim-later-${language}.pdf`);
      await renderToFile((destination) => renderClaimLetter({ ...input, checklist }, destination, { workDir: dir }), file);
      // Compared without whitespace: the note wraps in its narrow column, and CJK text wraps between any two characters.
      const text = pdfText(file).replace(/\s+/g, '');
      const expected = {
        en: ['E2: labelled by the seller on 2026-05-03, after recording', 'E1 and E3 are the same file (identical SHA-256)'],
        ko: ['E2: 녹화가 끝난 뒤 2026-05-03에 판매자가 표시함', '같은 파일: E1, E3 (SHA-256 동일)'],
        'zh-TW': ['E2：錄製結束後，由賣家於 2026-05-03 標記', 'E1、E3 是同一個檔案（SHA-256 相同）'],
      }[language];
      for (const sentence of expected) expect(text, language).toContain(sentence.replace(/\s+/g, ''));
    }
  });

  it('writes a Korean loss claim without damage rows', async () => {
    const file = path.join(dir, 'claim-ko-loss.pdf');
    await renderToFile((destination) => renderClaimLetter(makeClaimInput('ko', 'loss'), destination, { workDir: dir }), file);
    const text = pdfText(file);
    expect(text).toContain('택배 분실 손해배상 청구서');
    expect(text).toContain('2027-05-01');
    // No damage description and no damage photo asked for: the letter before its evidence pages (a photo
    // there may still say what it shows).
    const letter = text.slice(0, text.indexOf('증거 자료'));
    expect(letter).not.toContain('파손 부위');
    expect(letter).not.toContain('파손 내용');
  });
});
