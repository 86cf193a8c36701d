// A claim's filing deadline (services/claims/claim-deadlines.ts) in words: which terms it comes from,
// the rule as the carrier states it, and why no date could be given. Words only; the dates and codes
// come with the deadline.
import type { Language } from '../../domain/vocabulary';
import { claimDeadline, type ClaimDeadline, type FilingDeadlineInput } from '../claims/claim-deadlines';
import { strings } from './i18n';

export interface DeadlineWords {
  /** Which terms the rule comes from, in the chosen language. */
  terms: string;
  /** The rule in plain words, including any assumption made. */
  rule: string;
  /** Why no deadline could be computed. */
  reason?: string;
}

export function describeDeadline(deadline: ClaimDeadline, lang: Language): DeadlineWords {
  const t = strings(lang).carrierRules;
  const reasons: Record<NonNullable<ClaimDeadline['problem']>, string> = {
    unknown_carrier: t.unknownCarrier,
    no_delivery_date: t.noDeliveryDate,
    no_ship_date: t.noShipDate,
  };
  return {
    terms: t.terms[deadline.carrierKey],
    rule: t[deadline.claimKind][deadline.ruleCode],
    ...(deadline.problem ? { reason: reasons[deadline.problem] } : {}),
  };
}

/** A deadline with its words, as the claim summary answers it. */
export type FilingDeadline = ClaimDeadline & DeadlineWords;

export function withWords(deadline: ClaimDeadline, lang: Language): FilingDeadline {
  return { ...deadline, ...describeDeadline(deadline, lang) };
}

/** The deadline computed and worded at once (for callers with no deadline in hand). */
export function filingDeadline(input: FilingDeadlineInput & { language?: Language }): FilingDeadline {
  return withWords(claimDeadline(input), input.language ?? 'en');
}
