// The courier-claim letter: facts, deadline, the photo checklist, and the captioning convention behind it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureView } from '../../server/services/captures.service';
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

const capture = (id: string, kind: CaptureView['kind'], extra: Partial<CaptureView> = {}): CaptureView => ({
  id,
  orderId: 'O-1',
  kind,
  status: 'finished',
  startedAt: '2026-05-01T00:00:00Z',
  media: [],
  ...extra,
});

let counter = 0;
const evidence = (captureId: string, type: 'photo' | 'video', caption?: string, id = `m-${++counter}`): EvidenceItem => ({
  media: {
    id,
    captureId,
    type,
    mime: type === 'photo' ? 'image/jpeg' : 'video/mp4',
    bytes: 1,
    sha256: '0'.repeat(64),
    receivedAt: '2026-05-01T00:00:00Z',
    processingStatus: 'ready',
  },
  caption,
  bundlePath: `media/${id}`,
  originalPath: '/dev/null',
});

const byKind = (checks: ReturnType<typeof assessClaimPhotos>) => Object.fromEntries(checks.map((check) => [check.kind, check]));

describe('assessClaimPhotos', () => {
  it('recognises caption tags in English, Korean and Chinese', () => {
    const captures = [capture('p', 'packing')];
    const checks = byKind(
      assessClaimPhotos({
        captures,
        claimKind: 'damage',
        evidence: [
          evidence('p', 'photo', 'Items going in #inside'),
          evidence('p', 'photo', '테이프로 봉인 #봉인'),
          evidence('p', 'photo', '#託運單 特寫'),
          evidence('p', 'photo', 'On the scale #SCALE'),
          evidence('p', 'photo', 'corner #Damage'),
        ],
      }),
    );
    expect(checks.packing_inside).toMatchObject({ present: true, evidence: [1] });
    expect(checks.packing_outside).toMatchObject({ present: true, evidence: [2] });
    expect(checks.label_closeup).toMatchObject({ present: true, evidence: [3] });
    expect(checks.weight).toMatchObject({ present: true, evidence: [4] });
    expect(checks.damage).toMatchObject({ present: true, evidence: [5] });
    expect(checks.all_sides).toMatchObject({ present: false, sides: 0 });
  });

  it('needs four different sides, or one #sides item, for "all sides"', () => {
    const captures = [capture('u', 'other')];
    const three = ['#top', '#front', '#왼쪽'].map((tag) => evidence('u', 'photo', tag));
    expect(byKind(assessClaimPhotos({ captures, claimKind: 'damage', evidence: three })).all_sides).toMatchObject({ present: false, sides: 3 });
    const four = [...three, evidence('u', 'photo', '#背面')];
    expect(byKind(assessClaimPhotos({ captures, claimKind: 'damage', evidence: four })).all_sides).toMatchObject({ present: true, evidence: [1, 2, 3, 4] });
    const one = [evidence('u', 'video', 'Turning the box #sides')];
    expect(byKind(assessClaimPhotos({ captures, claimKind: 'damage', evidence: one })).all_sides.present).toBe(true);
  });

  it('counts an untagged packing video for inside and sealed, and checklist photos of a damaged box as damage', () => {
    const damaged = evidence('u', 'photo', undefined, 'dent-photo');
    const checks = byKind(
      assessClaimPhotos({
        captures: [
          capture('p', 'packing'),
          capture('u', 'unboxing', { checklist: [{ item: 'outer_box', result: 'issue', mediaIds: ['dent-photo'] }] }),
        ],
        claimKind: 'damage',
        evidence: [evidence('p', 'video'), damaged],
      }),
    );
    expect(checks.packing_inside).toMatchObject({ present: true, evidence: [1], via: 'video' });
    expect(checks.packing_outside).toMatchObject({ present: true, evidence: [1], via: 'video' });
    expect(checks.damage).toMatchObject({ present: true, evidence: [2], via: 'checklist' });
    expect(checks.label_closeup.present).toBe(false);
  });

  it('does not ask a lost-parcel claim for damage photos', () => {
    const checks = byKind(assessClaimPhotos({ captures: [], claimKind: 'loss', evidence: [] }));
    expect(checks.damage.required).toBe(false);
    expect(checks.all_sides.required).toBe(false);
    expect(checks.label_closeup.required).toBe(true);
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
    expect(text).toContain('The parcel from all sides Missing 0 of 4 sides');
  });

  it('writes a Korean loss claim without damage rows', async () => {
    const file = path.join(dir, 'claim-ko-loss.pdf');
    await renderToFile((destination) => renderClaimLetter(makeClaimInput('ko', 'loss'), destination, { workDir: dir }), file);
    const text = pdfText(file);
    expect(text).toContain('택배 분실 손해배상 청구서');
    expect(text).toContain('2027-05-01');
    expect(text).not.toContain('파손 부위');
  });
});
