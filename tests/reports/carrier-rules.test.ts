// Courier claim deadlines: the carrier recognised from what the seller typed, and the last day to file.
import { describe, expect, it } from 'vitest';
import { addPeriod, claimDeadline, daysUntil, identifyCarrier } from '../../server/services/claims/claim-deadlines';
import { filingDeadline } from '../../server/services/reports/carrier-rules';

describe('identifyCarrier', () => {
  it.each([
    ['CJ대한통운', 'kr_standard'],
    ['CJ Logistics', 'kr_standard'],
    ['한진택배', 'kr_standard'],
    ['롯데택배', 'kr_standard'],
    ['Logen', 'kr_standard'],
    ['쿠팡 로켓배송 CLS', 'kr_standard'],
    ['우체국택배', 'korea_post'],
    ['Korea Post', 'korea_post'],
    ['UPS', 'ups'],
    ['UPS Ground', 'ups'],
    ['FedEx Home Delivery', 'fedex'],
    ['USPS Priority Mail', 'usps'],
    ['DHL Express', 'dhl_express'],
    ['ＤＨＬ', 'dhl_express'],
    ['Yamato Transport', 'unknown'],
    ['Groupon shipping', 'unknown'],
    [undefined, 'unknown'],
  ] as const)('reads %s as %s', (text, key) => {
    expect(identifyCarrier(text)).toBe(key);
  });
});

describe('filingDeadline', () => {
  it('gives Korean parcels 14 days from the day received, counted in the shop’s calendar', () => {
    // 20:00 UTC on 1 May is already 2 May in Seoul.
    const result = filingDeadline({ carrier: 'CJ대한통운', claim: 'damage', deliveredAt: '2026-05-01T20:00:00Z', timezone: 'Asia/Seoul' });
    expect(result).toMatchObject({ carrierKey: 'kr_standard', countedFrom: 'delivery', baseDate: '2026-05-02', deadline: '2026-05-16' });
    expect(result.terms).toContain('택배 표준약관');
    expect(result.rule).toContain('14 days');
  });

  it('counts a lost Korean parcel one year from the ship date and says why', () => {
    const result = filingDeadline({ carrier: 'Hanjin', claim: 'loss', shippedAt: '2026-05-01T03:00:00Z', timezone: 'Asia/Seoul' });
    expect(result).toMatchObject({ countedFrom: 'shipment', deadline: '2027-05-01' });
    expect(result.rule).toMatch(/scheduled delivery date.*ship date.*to be safe/s);
  });

  it('writes the rule in the seller’s language', () => {
    const korean = filingDeadline({ carrier: 'CJ대한통운', claim: 'damage', deliveredAt: '2026-05-02T01:00:00Z', timezone: 'Asia/Seoul', language: 'ko' });
    expect(korean.rule).toContain('14일');
    const chinese = filingDeadline({ carrier: 'DHL', claim: 'damage', shippedAt: '2026-05-02T01:00:00Z', language: 'zh-TW' });
    expect(chinese.rule).toContain('30 日');
  });

  it.each([
    ['UPS', 'damage', { deliveredAt: '2026-03-02T15:00:00Z' }, '2026-05-01', 'delivery'],
    ['UPS', 'loss', { shippedAt: '2026-03-02T15:00:00Z' }, '2026-05-01', 'shipment'],
    ['FedEx', 'damage', { deliveredAt: '2026-03-02T15:00:00Z' }, '2026-05-01', 'delivery'],
    ['FedEx', 'loss', { shippedAt: '2026-03-02T15:00:00Z' }, '2026-12-02', 'shipment'],
    ['USPS', 'damage', { shippedAt: '2026-03-02T15:00:00Z' }, '2026-05-01', 'shipment'],
    ['DHL Express', 'damage', { shippedAt: '2026-03-02T15:00:00Z', deliveredAt: '2026-03-20T15:00:00Z' }, '2026-04-01', 'shipment'],
    ['우체국택배', 'damage', { shippedAt: '2026-03-02T15:00:00Z' }, '2027-03-02', 'shipment'],
  ] as const)('%s %s: files by %s, counted from %s', (carrier, claim, dates, deadline, countedFrom) => {
    expect(filingDeadline({ carrier, claim, ...dates, timezone: 'America/New_York' })).toMatchObject({ deadline, countedFrom });
  });

  it('gives FedEx international damage 21 days', () => {
    expect(filingDeadline({ carrier: 'FedEx', claim: 'damage', deliveredAt: '2026-05-01T12:00:00Z', international: true })).toMatchObject({
      deadline: '2026-05-22',
    });
  });

  it('tells USPS loss claims the first day they may be filed', () => {
    expect(filingDeadline({ carrier: 'USPS', claim: 'loss', shippedAt: '2026-05-01T12:00:00Z', timezone: 'America/Chicago' })).toMatchObject({
      deadline: '2026-06-30',
      earliestFilingDate: '2026-05-16',
    });
  });

  it('explains a missing date instead of guessing one', () => {
    const result = filingDeadline({ carrier: 'UPS', claim: 'damage', shippedAt: '2026-05-01T12:00:00Z' });
    expect(result.deadline).toBeUndefined();
    expect(result.reason).toMatch(/No delivery date is recorded/);
    expect(filingDeadline({ carrier: 'DHL', claim: 'loss' }).reason).toMatch(/No ship date is recorded/);
  });

  it('computes nothing for a carrier it does not know, and says so', () => {
    const result = filingDeadline({ carrier: 'Yamato', claim: 'damage', deliveredAt: '2026-05-01T12:00:00Z' });
    expect(result).toMatchObject({ carrierKey: 'unknown' });
    expect(result.deadline).toBeUndefined();
    expect(result.reason).toMatch(/not recognised/);
  });
});

describe('date arithmetic', () => {
  it('lands a month past the end of a short month on its last day', () => {
    expect(addPeriod('2026-05-31', { months: 9 })).toBe('2027-02-28');
    expect(addPeriod('2028-02-29', { years: 1 })).toBe('2029-02-28');
    expect(addPeriod('2026-12-20', { days: 14 })).toBe('2027-01-03');
  });

  it('counts days left, negative once past', () => {
    expect(daysUntil('2026-05-16', '2026-05-10')).toBe(6);
    expect(daysUntil('2026-05-16', '2026-05-20')).toBe(-4);
  });
});

describe('claimDeadline (the deadline as data)', () => {
  it('answers codes and dates only, which the letter and the dashboard put in words', () => {
    expect(claimDeadline({ carrier: 'CJ대한통운', claim: 'damage', deliveredAt: '2026-05-01T20:00:00Z', timezone: 'Asia/Seoul' })).toEqual({
      carrierKey: 'kr_standard',
      claimKind: 'damage',
      ruleCode: 'kr_standard',
      countedFrom: 'delivery',
      baseDate: '2026-05-02',
      deadline: '2026-05-16',
    });
    expect(claimDeadline({ carrier: 'FedEx', claim: 'damage', international: true })).toMatchObject({ ruleCode: 'fedexInternational', problem: 'no_delivery_date' });
    expect(claimDeadline({ carrier: 'Yamato', claim: 'loss' })).toEqual({ carrierKey: 'unknown', claimKind: 'loss', ruleCode: 'unknown', problem: 'unknown_carrier' });
  });
});
