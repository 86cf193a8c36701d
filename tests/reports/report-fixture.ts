// A made-up dispute around real fixture files: what the bundle service would hand the renderers.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CaptureView } from '../../server/services/captures.service';
import type { MediaView } from '../../server/services/media-view';
import type { Language } from '../../server/domain/vocabulary';
import { claimChecklist } from '../../server/services/claims/claim-checklist';
import { assessCaptureWeights } from '../../server/services/weights';
import type { ClaimInput, EvidenceItem, ReportInput } from '../../server/services/reports/report-input';

export const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

export const ORDER_ID = 'SS-2026-0501-7781';
export const BUYER_NAME = '김민준';

function mediaOf(
  id: string,
  captureId: string,
  file: string,
  fields: Partial<MediaView> & Pick<MediaView, 'type' | 'mime' | 'receivedAt'>,
): MediaView {
  const bytes = fs.readFileSync(fixture(file));
  return {
    id,
    captureId,
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    processingStatus: 'ready',
    tags: [],
    ...fields,
  } as MediaView;
}

export function makeReportInput(language: Language = 'en', overrides: Partial<ReportInput> = {}): ReportInput {
  const input = makeBareReportInput(language, overrides);
  // Gathered as the bundle service gathers them, unless the test gives its own.
  return { ...input, weights: overrides.weights ?? assessCaptureWeights(input.order, input.captures) };
}

function makeBareReportInput(language: Language, overrides: Partial<ReportInput>): Omit<ReportInput, 'weights'> {
  const packing = 'cap-packing-0001';
  const unboxing = 'cap-unboxing-0002';
  const packingPhoto = mediaOf('med-0001-aaaa', packing, 'photo-orientation6-gps.jpg', {
    type: 'photo',
    mime: 'image/jpeg',
    receivedAt: '2026-05-01T05:03:40.120Z',
    capturedAt: '2026-05-01T05:03:12.000Z',
    capturedAtSource: 'exif',
    caption: 'Four dozen napkins in the box #inside',
    tags: ['packing_inside'],
    width: 480,
    height: 640,
    camera: { make: 'Packtrail', model: 'Fixture Cam' },
    location: { latitude: 37.5665, longitude: 126.978 },
  });
  const sealedPhoto = mediaOf('med-0002-bbbb', packing, 'photo.png', {
    type: 'photo',
    mime: 'image/png',
    receivedAt: '2026-05-01T05:05:02.900Z',
    caption: '봉인한 박스 #sealed',
    tags: ['packing_outside'],
    width: 320,
    height: 240,
  });
  const labelPhoto = mediaOf('med-0003-cccc', packing, 'photo.webp', {
    type: 'photo',
    mime: 'image/webp',
    receivedAt: '2026-05-01T05:05:30.000Z',
    caption: 'Waybill #label',
    tags: ['label_closeup'],
    width: 320,
    height: 240,
  });
  const packingVideo = mediaOf('med-0004-dddd', packing, 'clip.mp4', {
    type: 'video',
    mime: 'video/mp4',
    receivedAt: '2026-05-01T05:06:10.000Z',
    width: 160,
    height: 120,
    durationMs: 2000,
    codec: 'h264',
  });
  const unboxingVideo = mediaOf('med-0005-eeee', unboxing, 'clip-recorder-style.webm', {
    type: 'video',
    mime: 'video/webm',
    receivedAt: '2026-05-09T02:10:00.000Z',
    durationMs: 2000,
    codec: 'vp8',
  });
  const damagePhoto = mediaOf('med-0006-ffff', unboxing, 'photo-hevc.heic', {
    type: 'photo',
    mime: 'image/heic',
    receivedAt: '2026-05-09T02:11:30.000Z',
    caption: '찌그러진 모서리 #damage',
    tags: ['damage'],
    width: 128,
    height: 96,
  });

  const captures: CaptureView[] = [
    {
      id: packing,
      orderId: ORDER_ID,
      kind: 'packing',
      status: 'finished',
      startedAt: '2026-05-01T05:03:12.000Z',
      finishedAt: '2026-05-01T05:06:30.000Z',
      weightGrams: 2310,
      weight: { value: 2.31, unit: 'kg' },
      trackingNumber: '6012-3456-7890',
      station: '2',
      recordedBy: { kind: 'device', id: 'dev-1', name: 'Packing phone 1' },
      media: [packingPhoto, sealedPhoto, labelPhoto, packingVideo],
    },
    {
      id: unboxing,
      orderId: ORDER_ID,
      kind: 'unboxing',
      status: 'finished',
      startedAt: '2026-05-09T02:09:40.000Z',
      finishedAt: '2026-05-09T02:12:00.000Z',
      weightGrams: 1705,
      weight: { value: 1705, unit: 'g' },
      station: '1',
      recordedBy: { kind: 'device', id: 'dev-2', name: 'Returns desk' },
      checklist: [
        { item: 'outer_box', result: 'issue', note: 'Corner crushed', mediaIds: [damagePhoto.id] },
        { item: 'seal', result: 'ok' },
        { item: 'cushioning', result: 'issue', note: 'No padding left in the box' },
        { item: 'accessories_complete', result: 'issue', note: 'One dozen missing' },
        { item: 'signs_of_use', result: 'not_applicable' },
      ],
      outcome: 'parts_missing',
      media: [unboxingVideo, damagePhoto],
    },
  ];

  const item = (media: MediaView, index: number, file: string, extra: Partial<EvidenceItem> = {}): EvidenceItem => ({
    media,
    bundlePath: `media/${String(index + 1).padStart(2, '0')}-${media.type}-${media.id.slice(4, 12)}.${file.split('.').pop()}`,
    originalPath: fixture(file),
    ...extra,
  });

  return {
    language,
    shop: { name: 'Hanbit Linen 한빛리넨', timezone: 'Asia/Seoul' },
    generatedAt: '2026-05-10T01:00:00.000Z',
    dispute: {
      id: 'dsp-7f3a9c',
      reason: 'item_missing',
      counterparty: 'marketplace',
      reference: 'CPG-CASE-448812',
      amount: { value: 59000, currency: 'KRW' },
      respondBy: '2026-05-15T14:59:59.000Z',
      status: 'open',
      note: 'Buyer says 3 of 4 dozen arrived.',
      createdAt: '2026-05-09T03:00:00.000Z',
    },
    order: {
      orderId: ORDER_ID,
      channel: 'Coupang',
      buyer: { ref: 'B-1001', name: BUYER_NAME, flagged: true, flagReason: 'private note' },
      items: [{ sku: 'NAP-DZ', name: 'Linen napkins, dozen', quantity: 4, unitWeightGrams: 570, unitValue: 14750, weightKnown: true, weightFrom: 'order' }],
      itemsWithoutWeight: 0,
      carrier: 'CJ대한통운',
      trackingNumbers: ['6012-3456-7890'],
      deliveryNote: '문 앞에 놓아 주세요',
      declaredValue: { amount: 59000, currency: 'KRW' },
      shippedAt: '2026-05-01T07:00:00.000Z',
      deliveredAt: '2026-05-02T09:30:00.000Z',
      expectedWeightGrams: 2280,
      createdAt: '2026-05-01T05:00:00.000Z',
      updatedAt: '2026-05-09T03:00:00.000Z',
    },
    captures,
    evidence: [
      item(packingPhoto, 0, 'photo-orientation6-gps.jpg'),
      item(sealedPhoto, 1, 'photo.png'),
      item(labelPhoto, 2, 'photo.webp'),
      item(packingVideo, 3, 'clip.mp4'),
      item(unboxingVideo, 4, 'clip-recorder-style.webm'),
      item(damagePhoto, 5, 'photo-hevc.heic'),
    ],
    ledger: {
      origin: 'packtrail.example/hanbit-linen',
      checkpointSize: 1287,
      rootHash: 'uK4vO9m3J1kq1mBz2xq2cJ8bKk4Rk0y3Kx8m1bW9xQw=',
      verifierKey: 'packtrail.example/hanbit-linen+4f2a91c3+AcrXc2y2cRq0mYVv6aO6e3nq0cQz0uJ0Cz1oOwqY9X8A',
    },
    ...overrides,
  };
}

export function makeClaimInput(language: Language = 'en', claimKind: 'damage' | 'loss' = 'damage'): ClaimInput {
  const base = makeReportInput(language);
  return {
    ...base,
    // Assessed as the bundle service assesses it for a claim packet.
    checklist: claimChecklist({
      order: base.order,
      captures: base.captures,
      evidence: base.evidence,
      timezone: base.shop.timezone,
      claimKind,
      claimOpenedAt: base.dispute.createdAt,
      letterDate: base.generatedAt,
    }),
    dispute: { ...base.dispute, reason: 'damaged', counterparty: 'courier', damageDescription: 'Box corner crushed; two napkins torn and stained.' },
    shipper: { name: 'Hanbit Linen 한빛리넨', address: '서울특별시 중구 세종대로 110', phone: '+82 2-1234-5678' },
    consignee: { name: BUYER_NAME, address: '부산광역시 해운대구 센텀중앙로 79' },
    claimKind,
  };
}
