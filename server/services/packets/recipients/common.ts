// What several recipients' fields share: the order's facts in plain words, and the texts read back
// for the character limit. Each recipient's module names its own fields.
import { formatDate } from '../../reports/i18n';
import { packingOf, type PacketFacts } from '../facts';
import { trackingOf } from '../narrative';
import type { FieldFile, FieldsInput } from '../profile';

/** "2026-05-01" in the shop's calendar, as forms ask for a ship date. */
export const shipDate = (facts: PacketFacts) => (facts.order.shippedAt ? formatDate(facts.order.shippedAt, facts.timezone) : undefined);


/** The weight at packing in grams, and the expected weight, when known. */
export function weights(facts: PacketFacts) {
  const packing = packingOf(facts);
  return {
    ...(packing?.weightGrams !== undefined ? { packedWeightGrams: packing.weightGrams } : {}),
    ...(facts.order.expectedWeightGrams !== undefined ? { expectedWeightGrams: facts.order.expectedWeightGrams } : {}),
  };
}

/** The order's facts under plain names, for forms a person fills in by hand. */
export function plainFacts(input: FieldsInput) {
  const { facts } = input;
  return {
    orderId: facts.dispute.orderId,
    ...(facts.order.carrier ? { carrier: facts.order.carrier } : {}),
    ...(facts.order.trackingNumbers.length ? { trackingNumber: trackingOf(facts) } : {}),
    ...(shipDate(facts) ? { shipDate: shipDate(facts) } : {}),
    ...weights(facts),
    ...(input.shareLink ? { originalsLink: input.shareLink.url } : {}),
    files: input.files.map((file) => file.path),
  };
}

export const filesOf = (files: FieldFile[], ...kinds: FieldFile['kind'][]) => files.filter((file) => kinds.includes(file.kind));

/** Every string value of an object, nested or not: what a character limit counts. */
export function allText(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allText);
  if (value && typeof value === 'object') return Object.values(value).flatMap(allText);
  return [];
}

/** The suggestion rule of marketplaces: a marketplace dispute on an order from that channel. */
export const marketplaceChannel = (facts: PacketFacts, channel: string) => facts.dispute.counterparty === 'marketplace' && facts.order.channel === channel;
