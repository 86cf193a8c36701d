// Dates a courier claim rests on that cannot all be true: each kind of conflict, and what is not one.
import { describe, expect, it } from 'vitest';
import { assessClaimDates } from '../../server/services/claims/claim-dates';
import { claimChecklist } from '../../server/services/claims/claim-checklist';

const SEOUL = 'Asia/Seoul';
const base = { claimOpenedAt: '2026-05-09T03:00:00.000Z', letterDate: '2026-05-10T01:00:00.000Z', timezone: SEOUL };
const packing = { id: 'p', kind: 'packing' as const, startedAt: '2026-05-01T05:00:00.000Z' }; // 14:00 in Seoul, 1 May
const codes = (input: Partial<Parameters<typeof assessClaimDates>[0]>) =>
  assessClaimDates({ ...base, order: {}, captures: [packing], ...input }).map((conflict) => conflict.code);

describe('assessClaimDates', () => {
  it('finds nothing wrong with a parcel packed, shipped, delivered and claimed in that order', () => {
    expect(codes({ order: { shippedAt: '2026-05-01T07:00:00.000Z', deliveredAt: '2026-05-02T09:30:00.000Z' } })).toEqual([]);
  });

  it('compares the order’s dates by calendar day: packed in the afternoon of a ship date sent without a time is fine', () => {
    // "2026-05-01" arrives as midnight UTC; packing at 14:00 the same day in Seoul is not after it.
    expect(codes({ order: { shippedAt: '2026-05-01T00:00:00.000Z' } })).toEqual([]);
    // In New York the same midnight UTC is the evening before, but a day sent without a time is still that day.
    expect(codes({ order: { shippedAt: '2026-05-01T00:00:00.000Z' }, timezone: 'America/New_York', captures: [{ ...packing, startedAt: '2026-05-01T14:00:00.000Z' }] })).toEqual([]);
    expect(codes({ order: { shippedAt: '2026-04-30T00:00:00.000Z' } })).toEqual(['packed_after_shipped']);
  });

  it('flags each impossible order of events', () => {
    expect(codes({ order: { shippedAt: '2026-05-03T00:00:00.000Z', deliveredAt: '2026-05-02T09:30:00.000Z' } })).toEqual(['delivered_before_shipped']);
    expect(codes({ order: { deliveredAt: '2026-04-30T09:30:00.000Z' } })).toEqual(['packed_after_delivered']);
    expect(codes({ captures: [packing, { id: 'h', kind: 'handover', startedAt: '2026-05-01T04:00:00.000Z' }] })).toEqual(['handed_over_before_packed']);
    expect(codes({ order: { deliveredAt: '2026-05-02T09:30:00.000Z' }, captures: [packing, { id: 'h', kind: 'handover', startedAt: '2026-05-03T01:00:00.000Z' }] })).toEqual([
      'handed_over_after_delivered',
    ]);
    expect(codes({ order: { deliveredAt: '2026-05-02T09:30:00.000Z' }, captures: [{ id: 'u', kind: 'unboxing', startedAt: '2026-05-01T09:00:00.000Z' }] })).toEqual([
      'return_opened_before_delivered',
    ]);
    expect(codes({ captures: [{ ...packing, startedAt: '2026-05-09T03:00:01.000Z' }] })).toEqual(['packed_after_claim']);
    expect(codes({ captures: [packing, { id: 'h', kind: 'handover', startedAt: '2026-05-09T04:00:00.000Z' }] })).toEqual(['handed_over_after_claim']);
    expect(codes({ order: { shippedAt: '2026-05-11T00:00:00.000Z' }, captures: [] })).toEqual(['shipped_after_letter']);
    expect(codes({ order: { deliveredAt: '2026-05-12T02:00:00.000Z' }, captures: [] })).toEqual(['delivered_after_letter']);
  });

  it('says which capture and which dates, showing the order’s dates as the days compared', () => {
    // Delivered 19:00 on 30 April in Seoul, packed 14:00 on 1 May.
    const [conflict] = assessClaimDates({ ...base, order: { deliveredAt: '2026-04-30T10:00:00.000Z' }, captures: [packing] });
    expect(conflict).toEqual({
      code: 'packed_after_delivered',
      subject: { fact: 'packing', at: packing.startedAt, captureId: 'p' },
      reference: { fact: 'delivered', at: '2026-04-30T10:00:00.000Z', day: '2026-04-30' },
    });
    // Delivered 05:00 on 1 May in Seoul: the same day as the packing, which is not flagged.
    expect(codes({ order: { deliveredAt: '2026-04-30T20:00:00.000Z' } })).toEqual([]);
  });
});

describe('claimChecklist dates', () => {
  it('checks the captures the claim rests on (its evidence and the weighed packing), not a later replacement parcel', () => {
    const replacement = { id: 'r', kind: 'packing' as const, startedAt: '2026-05-20T01:00:00.000Z' };
    const weighed = { ...packing, weightGrams: 900 };
    const checklist = (evidenceCaptures: string[]) =>
      claimChecklist({
        ...base,
        order: { carrier: 'CJ대한통운', deliveredAt: '2026-05-02T09:30:00.000Z' },
        captures: [weighed, replacement],
        evidence: evidenceCaptures.map((captureId) => ({ media: { captureId, type: 'photo' as const, tags: [] } })),
        claimKind: 'damage',
      }).dateConflicts.map((conflict) => `${conflict.code}:${conflict.subject.captureId}`);
    expect(checklist(['p'])).toEqual([]);
    expect(checklist(['p', 'r'])).toEqual(['packed_after_delivered:r', 'packed_after_claim:r']);
  });
});
