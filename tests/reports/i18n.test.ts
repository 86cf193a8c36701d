// Times in the shop's zone with the zone shown, grams with separators, and three complete languages.
import { describe, expect, it } from 'vitest';
import {
  describeZone,
  formatDate,
  formatDateTime,
  formatDuration,
  formatGrams,
  formatMoney,
  formatOffset,
  strings,
} from '../../server/services/reports/i18n';

describe('formatting', () => {
  it('shows server times in the shop’s zone, with the zone', () => {
    expect(formatDateTime('2026-05-01T05:03:12.345Z', 'Asia/Seoul')).toBe('2026-05-01 14:03:12 KST');
    expect(formatDateTime('2026-05-01T05:03:12Z', 'Asia/Taipei')).toBe('2026-05-01 13:03:12 GMT+8');
    expect(formatDateTime('2026-05-01T05:03:12Z', 'America/New_York')).toBe('2026-05-01 01:03:12 EDT');
    expect(formatDateTime('2026-05-01T05:03:12Z', 'UTC')).toBe('2026-05-01 05:03:12 UTC');
    expect(formatDate('2026-05-01T20:00:00Z', 'Asia/Seoul')).toBe('2026-05-02');
    expect(describeZone('Asia/Seoul')).toBe('Asia/Seoul (KST, GMT+9)');
  });

  it('writes grams with thousands separators, keeping tenths only for small weights', () => {
    expect(formatGrams(2310)).toBe('2,310 g');
    expect(formatGrams(2310.4, 'ko')).toBe('2,310 g');
    expect(formatGrams(12.5, 'zh-TW')).toBe('12.5 g');
  });

  it('writes money with its currency code and positions in a recording as clock times', () => {
    expect(formatMoney(59000, 'KRW', 'ko')).toBe('KRW 59,000');
    expect(formatOffset(5000)).toBe('00:05');
    expect(formatOffset(3_725_000)).toBe('1:02:05');
    expect(formatDuration(2000)).toBe('2.0 s');
    expect(formatDuration(2000, 'ko')).toBe('2.0초');
    expect(formatDuration(2000, 'zh-TW')).toBe('2.0 秒');
    expect(formatDuration(62_000)).toBe('1:02');
  });
});

describe('strings', () => {
  it('names every reason, counterparty, capture kind, checklist item and outcome in each language', () => {
    for (const lang of ['en', 'ko', 'zh-TW'] as const) {
      const t = strings(lang);
      for (const group of [t.reasons, t.counterparties, t.captureKinds, t.checklistItems, t.outcomes, t.claimPhotos]) {
        for (const value of Object.values(group)) expect(value.trim()).not.toBe('');
      }
    }
    expect(strings('ko').checklistItems.protective_film).toBe('보호 필름');
    expect(strings('zh-TW').outcomes.parts_missing).toBe('缺少配件');
    expect(strings('en').reasons.return_used).toBe('Return was used');
  });
});
