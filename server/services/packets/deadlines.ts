// A packet's deadline: when it must reach the recipient, the rule in words, and what the date was counted
// from. The respond-by date the seller entered wins wherever it is set (it is what the recipient told
// them); without it Amazon and Coupang have rules of their own, and the courier its claim terms.
import type { Language } from '../../domain/vocabulary';
import { endOfFilingDay } from '../claims/claim-deadlines';
import { describeDeadline } from '../reports/carrier-rules';
import { formatDateTime } from '../reports/i18n';
import { wallClock } from '../time';
import { isReturnDispute, unboxingOf, type PacketFacts } from './facts';
import { packetStrings } from './narrative';
import type { DeadlineRule } from './profile';

export interface PacketDeadline {
  /** ISO; null when no date can be worked out. */
  at: string | null;
  rule: string;
  basis: string;
}

const HOUR_MS = 3_600_000;
// Coupang counts business hours: weekdays only, all of their hours, in the shop's calendar.
const COUPANG_BUSINESS_HOURS = 168;
const AMAZON_ATOZ_HOURS = 72;

/** `hours` business hours after `start`: hours that fall on a Saturday or Sunday in `timezone` do not count. */
export function addBusinessHours(start: Date, hours: number, timezone: string): Date {
  let at = start.getTime();
  let left = hours;
  const isWeekend = (ms: number) => {
    const clock = wallClock(new Date(ms), timezone);
    const day = new Date(Date.UTC(Number(clock.year), Number(clock.month) - 1, Number(clock.day))).getUTCDay();
    return day === 0 || day === 6;
  };
  // Arriving on a weekend, the count starts at the next weekday's midnight.
  while (isWeekend(at)) {
    const clock = wallClock(new Date(at), timezone);
    at += ((24 - Number(clock.hour)) * 3600 - Number(clock.minute) * 60 - Number(clock.second)) * 1000;
  }
  while (left > 0) {
    at += HOUR_MS;
    if (!isWeekend(at - 1)) left -= 1;
  }
  return new Date(at);
}

/** The deadline as data only (for reminders): the moment, or null. */
export function deadlineMoment(rule: DeadlineRule, facts: PacketFacts): string | null {
  const { dispute } = facts;
  if (rule === 'courier') {
    const { deadline } = facts.claim.deadline;
    // The last second of the last day, so the time printed falls on the day the terms name.
    return deadline ? new Date(Date.parse(endOfFilingDay(deadline, facts.timezone)) - 1000).toISOString() : null;
  }
  if (dispute.respondBy) return dispute.respondBy;
  if (rule === 'amazon') return new Date(Date.parse(dispute.createdAt) + AMAZON_ATOZ_HOURS * HOUR_MS).toISOString();
  if (rule === 'coupang') {
    const arrival = coupangArrival(facts);
    return arrival ? addBusinessHours(new Date(arrival.at), COUPANG_BUSINESS_HOURS, facts.timezone).toISOString() : null;
  }
  return null;
}

/** What Coupang's "goods arrival" is here: the return opened here, or the order's delivery. */
function coupangArrival(facts: PacketFacts): { at: string; what: 'return' | 'delivery' } | undefined {
  const unboxing = isReturnDispute(facts) ? unboxingOf(facts) : undefined;
  if (unboxing) return { at: unboxing.startedAt, what: 'return' };
  return facts.order.deliveredAt ? { at: facts.order.deliveredAt, what: 'delivery' } : undefined;
}

export function packetDeadline(rule: DeadlineRule, facts: PacketFacts, language: Language): PacketDeadline {
  const t = packetStrings(language).deadline;
  const when = (iso: string) => formatDateTime(iso, facts.timezone);
  const at = deadlineMoment(rule, facts);
  const { respondBy } = facts.dispute;
  switch (rule) {
    case 'courier': {
      const deadline = facts.claim.deadline;
      const words = describeDeadline(deadline, language);
      const from = deadline.baseDate ?? '—';
      return { at, rule: `${words.terms}: ${words.rule}`, basis: words.reason ? t.courierNoDate(words.reason) : t.courierBasis(words.terms, from) };
    }
    case 'amazon':
      return { at, rule: t.amazon, basis: respondBy ? t.enteredInstead(when(respondBy)) : t.amazonBasis(when(facts.dispute.createdAt)) };
    case 'coupang': {
      if (respondBy) return { at, rule: t.coupang, basis: t.enteredInstead(when(respondBy)) };
      const arrival = coupangArrival(facts);
      if (!arrival) return { at, rule: t.coupang, basis: t.coupangNoArrival };
      return { at, rule: t.coupang, basis: t.coupangBasis(arrival.what === 'return' ? t.coupangReturnArrival : t.coupangDelivery, when(arrival.at)) };
    }
    default:
      return { at, rule: t.respondBy, basis: respondBy ? t.respondByBasis(when(respondBy)) : t.noRespondBy };
  }
}
