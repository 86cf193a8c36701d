// The courier-claim letter: facts, deadline, the photo checklist (tagged photos only), dates that do not agree.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimPhotoKinds, type ClaimPhotoKind } from '../../server/domain/vocabulary';
import { assessClaimPhotos } from '../../server/services/claims/claim-photos';
import { renderClaimLetter } from '../../server/services/reports/claim-letter';
import type { EvidenceItem } from '../../server/services/reports/report-input';
import { pdfInfo, pdfText, renderToFile, requirePoppler } from './pdf-tools';
import { BUYER_NAME, ORDER_ID, makeClaimInput } from './report-fixture';

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
      expect(check(kind, tagged)).toEqual({ kind, required: true, present: true, evidence: [2, 3] });

      const untagged = [evidence('p', 'photo', { caption: lookalikes[kind] }), evidence('p', 'photo', { tags: claimPhotoKinds.filter((other) => other !== kind) })];
      expect(check(kind, untagged)).toEqual({ kind, required: true, present: false, evidence: [] });

      // A recording of the packing shows the inside and the sealed box, but a courier asks for photos;
      // a tag on a video (none can be set through the API) does not count either.
      const onlyVideos = [evidence('p', 'video', { caption: lookalikes[kind] }), evidence('p', 'video', { tags: [kind] })];
      expect(check(kind, onlyVideos)).toEqual({ kind, required: true, present: false, evidence: [] });
    });
  }

  it('does not ask a lost-parcel claim for damage or all-sides photos', () => {
    const checks = assessClaimPhotos({ claimKind: 'loss', evidence: [] });
    expect(checks.filter((found) => !found.required).map((found) => found.kind)).toEqual(['damage', 'all_sides']);
    expect(check('label_closeup', [], 'loss').required).toBe(true);
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
