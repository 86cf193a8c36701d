// Dates in a claim that cannot all be true: a parcel packed after it was delivered, delivered before
// it was shipped, recorded after the claim was opened, shipped after the date of the letter. A claims
// agent who finds one stops believing the rest, so the letter and the claim summary say so first.
//
// Two kinds of date meet here. The order's ship and delivery dates are what the shop's systems sent,
// often a day without a time (it arrives as midnight UTC); they are compared by calendar day in the
// shop's time zone, so a parcel packed in the morning of its ship date is not flagged. Capture times
// and the claim's opening are the server's own clock and are compared to the moment.
import type { CaptureKind, ClaimDateConflict } from '../../domain/vocabulary';
import { wallClock } from '../time';

export type DateConflictCode = ClaimDateConflict;

export type DateFact = 'shipped' | 'delivered' | 'claim_opened' | 'letter' | CaptureKind;

export interface DatedFact {
  fact: DateFact;
  /** The moment as stored (UTC). */
  at: string;
  /** For calendar dates (ship, delivery, the letter's): the day compared (YYYY-MM-DD, shop's calendar). */
  day?: string;
  captureId?: string;
}

/** `subject` is dated where it cannot be, measured against `reference` (the sentence is the code's). */
export interface DateConflict {
  code: DateConflictCode;
  subject: DatedFact;
  reference: DatedFact;
}

/** The calendar day a clock in the shop's time zone shows at `instant`. */
function dayIn(instant: string, timezone: string): string {
  const clock = wallClock(new Date(instant), timezone);
  return `${clock.year}-${clock.month}-${clock.day}`;
}

/** Whether a date the shop's systems sent is a day without a time (it arrives as midnight UTC). */
export const isDayOnly = (instant: string) => /T00:00:00(\.0+)?Z$/.test(instant);

/** The calendar day of a date the shop's systems sent: a day sent without a time is that day. */
const sellerDay = (instant: string, timezone: string) => (isDayOnly(instant) ? instant.slice(0, 10) : dayIn(instant, timezone));

const isTime = (value: string | undefined): value is string => value !== undefined && !Number.isNaN(Date.parse(value));

export function assessClaimDates(input: {
  order: { shippedAt?: string; deliveredAt?: string };
  /** The captures the claim rests on: those of its evidence and the one whose weight it states. */
  captures: readonly { id: string; kind: CaptureKind; startedAt: string }[];
  /** When the claim (the courier dispute) was opened. */
  claimOpenedAt: string;
  /** The date of the letter, or now for the dashboard's summary. */
  letterDate: string;
  timezone: string;
}): DateConflict[] {
  const { timezone } = input;
  const sellerDate = (fact: 'shipped' | 'delivered', at: string | undefined): DatedFact | undefined =>
    isTime(at) ? { fact, at, day: sellerDay(at, timezone) } : undefined;
  const shipped = sellerDate('shipped', input.order.shippedAt);
  const delivered = sellerDate('delivered', input.order.deliveredAt);
  const letter: DatedFact = { fact: 'letter', at: input.letterDate, day: dayIn(input.letterDate, timezone) };
  const opened: DatedFact = { fact: 'claim_opened', at: input.claimOpenedAt };
  const captures = input.captures
    .filter((capture) => isTime(capture.startedAt))
    .map((capture): DatedFact & { day: string } => ({ fact: capture.kind, at: capture.startedAt, captureId: capture.id, day: dayIn(capture.startedAt, timezone) }));
  const ofKind = (kind: CaptureKind) => captures.filter((capture) => capture.fact === kind);

  const conflicts: DateConflict[] = [];
  // A capture's day is only how it was compared; it is a moment, and is shown as one.
  const shown = ({ day, ...fact }: DatedFact): DatedFact => (fact.captureId ? fact : { ...fact, day });
  const flag = (code: DateConflictCode, subject: DatedFact, reference: DatedFact) => conflicts.push({ code, subject: shown(subject), reference: shown(reference) });

  if (shipped && delivered && delivered.day! < shipped.day!) flag('delivered_before_shipped', delivered, shipped);
  for (const packing of ofKind('packing')) {
    if (shipped && packing.day > shipped.day!) flag('packed_after_shipped', packing, shipped);
    if (delivered && packing.day > delivered.day!) flag('packed_after_delivered', packing, delivered);
  }
  const firstPacking = ofKind('packing').sort((a, b) => a.at.localeCompare(b.at))[0];
  for (const handover of ofKind('handover')) {
    if (firstPacking && handover.at < firstPacking.at) flag('handed_over_before_packed', handover, firstPacking);
    if (delivered && handover.day > delivered.day!) flag('handed_over_after_delivered', handover, delivered);
  }
  for (const unboxing of ofKind('unboxing')) {
    if (delivered && unboxing.day < delivered.day!) flag('return_opened_before_delivered', unboxing, delivered);
  }
  // What happened before the parcel left cannot have been recorded after the claim about it.
  for (const capture of [...ofKind('packing'), ...ofKind('handover')]) {
    if (Date.parse(capture.at) > Date.parse(opened.at)) flag(capture.fact === 'packing' ? 'packed_after_claim' : 'handed_over_after_claim', capture, opened);
  }
  if (shipped && shipped.day! > letter.day!) flag('shipped_after_letter', shipped, letter);
  if (delivered && delivered.day! > letter.day!) flag('delivered_after_letter', delivered, letter);
  return conflicts;
}
