// When a courier claim must be filed: the carrier recognised from whatever the seller typed, its
// terms' time limit for damage or loss, and the last day in the shop's calendar — as codes and dates;
// reports/carrier-rules.ts puts them in words.
//
// The limits, as the carriers' published terms state them (worded in server/i18n/reports, carrierRules):
// - Korean standard parcel terms (택배 표준약관, FTC form 10026): damage or partial loss must be notified
//   within 14 days of receipt; for total loss liability ends one year after the scheduled delivery date.
// - Korea Post (Postal Services Act): compensation claims lapse one year after posting.
// - UPS (US): notice within 60 days after delivery, or after the scheduled delivery date when never delivered.
// - FedEx (US): damage and shortage within 60 days after delivery (21 for international); non-delivery
//   within 9 months after FedEx accepted the shipment.
// - USPS (DMM 609): within 60 days of mailing, damage and loss alike; loss not before day 15 (Express: 7).
// - DHL Express: in writing within 30 days of the date DHL accepted the shipment, whatever happened.
import type { Carrier, CarrierKey, ClaimKind } from '../../domain/vocabulary';
import { wallClock, wallTimeToUtc } from '../time';

export interface FilingDeadlineInput {
  /** As the seller typed it: "CJ대한통운", "CJ Logistics", "우체국택배", "UPS Ground", "FedEx", … */
  carrier?: string;
  claim: ClaimKind;
  shippedAt?: string;
  deliveredAt?: string;
  /** Days are counted in this zone's calendar (the shop's). */
  timezone?: string;
  /** FedEx allows fewer days for international damage; the others' limits here do not change. */
  international?: boolean;
}

/** Which of the carriers' rules applied: a carrier, or FedEx's shorter one for international damage. */
export type DeadlineRule = CarrierKey | 'fedexInternational';

export interface ClaimDeadline {
  carrierKey: CarrierKey;
  claimKind: ClaimKind;
  ruleCode: DeadlineRule;
  countedFrom?: 'delivery' | 'shipment';
  /** The day counting starts from (YYYY-MM-DD, shop's calendar). */
  baseDate?: string;
  /** The last day to file (YYYY-MM-DD, shop's calendar); absent when it cannot be computed, see `problem`. */
  deadline?: string;
  /** USPS will not take a loss claim before this day. */
  earliestFilingDate?: string;
  problem?: 'unknown_carrier' | 'no_delivery_date' | 'no_ship_date';
}

type Period = { days: number } | { months: number } | { years: number };

interface Limit {
  from: 'delivery' | 'shipment';
  period: Period;
  earliest?: { days: number; note?: string };
}

const LIMITS: Record<Carrier, Record<ClaimKind, Limit>> = {
  kr_standard: {
    damage: { from: 'delivery', period: { days: 14 } },
    // The terms count from the scheduled delivery date, which is not recorded; the ship date precedes it.
    loss: { from: 'shipment', period: { years: 1 } },
  },
  korea_post: {
    damage: { from: 'shipment', period: { years: 1 } },
    loss: { from: 'shipment', period: { years: 1 } },
  },
  ups: {
    damage: { from: 'delivery', period: { days: 60 } },
    // As above: the scheduled delivery date is unknown, the ship date is the safe (earlier) start.
    loss: { from: 'shipment', period: { days: 60 } },
  },
  fedex: {
    damage: { from: 'delivery', period: { days: 60 } },
    loss: { from: 'shipment', period: { months: 9 } },
  },
  usps: {
    damage: { from: 'shipment', period: { days: 60 } },
    loss: { from: 'shipment', period: { days: 60 }, earliest: { days: 15 } },
  },
  dhl_express: {
    damage: { from: 'shipment', period: { days: 30 } },
    loss: { from: 'shipment', period: { days: 30 } },
  },
};

const FEDEX_INTERNATIONAL_DAMAGE: Limit = { from: 'delivery', period: { days: 21 } };

// Checked in order: Korea Post's "우체국택배" contains "택배", and "DHL" or "UPS" may appear beside a Korean
// forwarder's name, so the specific names come before the generic Korean one.
const CARRIER_PATTERNS: [Carrier, RegExp][] = [
  ['korea_post', /우체국|우정사업본부|korea\s*post|k-?packet|epost|韓國郵政|韩国邮政/i],
  ['usps', /\busps\b|u\.s\.\s*postal|united states postal|us\s*mail|priority mail/i],
  ['ups', /\bups\b|united parcel|유피에스/i],
  ['fedex', /fed\s*ex|federal express|페덱스|聯邦快遞|联邦快递/i],
  ['dhl_express', /\bdhl\b|디에이치엘/i],
  [
    'kr_standard',
    /cj|대한통운|한진|hanjin|롯데|lotte|로젠|logen|경동|kyungdong|대신택배|daesin|일양|ilyang|합동택배|천일택배|건영택배|편의점택배|cvsnet|gs\s*postbox|쿠팡|coupang|\bcls\b|택배|韓國宅配/i,
  ],
];

/** Which carrier's rules apply to what the seller typed; "unknown" when none fits. */
export function identifyCarrier(text: string | undefined): CarrierKey {
  if (!text) return 'unknown';
  const normalized = text.normalize('NFKC');
  return CARRIER_PATTERNS.find(([, pattern]) => pattern.test(normalized))?.[0] ?? 'unknown';
}

export function claimDeadline(input: FilingDeadlineInput): ClaimDeadline {
  const timezone = input.timezone ?? 'UTC';
  const carrierKey = identifyCarrier(input.carrier);
  const claimKind = input.claim;
  if (carrierKey === 'unknown') return { carrierKey, claimKind, ruleCode: 'unknown', problem: 'unknown_carrier' };

  const fedexInternational = carrierKey === 'fedex' && input.international === true;
  const limit = fedexInternational && claimKind === 'damage' ? FEDEX_INTERNATIONAL_DAMAGE : LIMITS[carrierKey][claimKind];
  const result: ClaimDeadline = { carrierKey, claimKind, ruleCode: fedexInternational ? 'fedexInternational' : carrierKey, countedFrom: limit.from };
  const start = limit.from === 'delivery' ? input.deliveredAt : input.shippedAt;
  if (!start || Number.isNaN(new Date(start).getTime())) {
    return { ...result, problem: limit.from === 'delivery' ? 'no_delivery_date' : 'no_ship_date' };
  }
  const clock = wallClock(new Date(start), timezone);
  const baseDate = `${clock.year}-${clock.month}-${clock.day}`;
  return {
    ...result,
    baseDate,
    deadline: addPeriod(baseDate, limit.period),
    ...(limit.earliest ? { earliestFilingDate: addPeriod(baseDate, { days: limit.earliest.days }) } : {}),
  };
}

/** The deadline for an order's claim: the ship date, or the handover capture's time when none was entered. */
export function claimDeadlineForOrder(input: {
  order: { carrier?: string; shippedAt?: string; deliveredAt?: string };
  captures: readonly { kind: string; startedAt: string }[];
  timezone: string;
  claimKind: ClaimKind;
  international?: boolean;
}): ClaimDeadline {
  return claimDeadline({
    carrier: input.order.carrier,
    claim: input.claimKind,
    shippedAt: input.order.shippedAt ?? input.captures.find((capture) => capture.kind === 'handover')?.startedAt,
    deliveredAt: input.order.deliveredAt,
    timezone: input.timezone,
    international: input.international,
  });
}

/** The moment a last day to file ends in the shop's calendar (the next day's midnight there), as UTC. */
export function endOfFilingDay(deadline: string, timezone: string): string {
  return wallTimeToUtc(`${addPeriod(deadline, { days: 1 })}T00:00:00`, timezone)!;
}

/** Calendar arithmetic on "YYYY-MM-DD"; a month or year past the end of a shorter month lands on its last day. */
export function addPeriod(date: string, period: Period): string {
  const [year, month, day] = date.split('-').map(Number);
  if ('days' in period) return isoDay(new Date(Date.UTC(year, month - 1, day + period.days)));
  const months = 'months' in period ? period.months : period.years * 12;
  const targetMonth = month - 1 + months;
  const lastDay = new Date(Date.UTC(year, targetMonth + 1, 0)).getUTCDate();
  return isoDay(new Date(Date.UTC(year, targetMonth, Math.min(day, lastDay))));
}

/** Whole days from `today` to `deadline` (negative once past), both "YYYY-MM-DD". */
export function daysUntil(deadline: string, today: string): number {
  const toUtc = (value: string) => {
    const [year, month, day] = value.split('-').map(Number);
    return Date.UTC(year, month - 1, day);
  };
  return Math.round((toUtc(deadline) - toUtc(today)) / 86_400_000);
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
