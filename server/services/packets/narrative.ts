// The packet's text, written from the facts and verdicts for a reader who has never heard of the service:
// one generator for every recipient, in the chosen language. Recipients take what fits their fields: the
// whole text, or its first sentences up to a character limit (the order's facts come first).
import type { Language } from '../../domain/vocabulary';
import { translations } from '../../i18n';
import type { PacketStrings } from '../../i18n/packets/en';
import { describeZone, formatDate, formatDateTime, formatDuration, formatGrams, formatMoney, formatPercent, strings as reportStrings } from '../reports/i18n';
import { packingOf, unboxingOf, weightOf, type PacketFacts } from './facts';

export const packetStrings = (language: Language): PacketStrings => translations.packets[language] ?? translations.packets.en;

export interface Narrative {
  language: Language;
  title: string;
  /** The facts paragraph first (order, tracking, weight), then the rest. */
  paragraphs: string[];
  /** The facts as label/value rows, for a document's table. */
  rows: [string, string][];
  /** The whole text, paragraphs separated by a blank line. */
  text: string;
  /** As many whole sentences as fit in `maxCharacters`, facts first. */
  summary(maxCharacters: number): string;
}

const join = (parts: (string | undefined | false)[]) => parts.filter(Boolean).join(' ');

/** The carrier as the order names it, and its tracking numbers, comma-separated. */
export const trackingOf = (facts: PacketFacts) => facts.order.trackingNumbers.join(', ');

const length = (text: string) => [...text].length;
/** The longest the narrative's item list runs; the full list is the order's, in product_description where a field takes it. */
const ITEMS_SENTENCE_CHARACTERS = 600;
const SENTENCE = /[^.!?。．]+[.!?。．]+["”」)]*\s*|[^.!?。．]+$/gu;
const sentencesOf = (text: string) => text.match(SENTENCE) ?? [text];

/**
 * The order's items ("2 × Ceramic mug, 1 × Walnut tray") within `maxCharacters`: when all do not fit, the
 * first ones and "and 390 more", so a field's limit is kept by shortening, never by sending it over.
 */
export function itemsWithin(facts: PacketFacts, language: Language, maxCharacters: number): string {
  const t = packetStrings(language).narrative;
  const parts = facts.order.items.map((item) => t.item(item.name, item.quantity));
  const all = parts.join(', ');
  if (length(all) <= maxCharacters) return all;
  let out = '';
  let kept = 0;
  for (const [index, part] of parts.entries()) {
    const candidate = out ? `${out}, ${part}` : part;
    if (length(candidate + t.itemsMore(parts.length - index - 1)) > maxCharacters) break;
    out = candidate;
    kept = index + 1;
  }
  if (kept > 0) return out + t.itemsMore(parts.length - kept);
  // Not even the first item fits whole: its start, marked as cut.
  const tail = t.itemsMore(parts.length - 1);
  return `${[...parts[0]].slice(0, Math.max(0, maxCharacters - length(tail) - 1)).join('')}…${tail}`;
}

export function writeNarrative(facts: PacketFacts, language: Language, extras: { shareLink?: { url: string; expiresAt: string }; derived?: boolean; evidenceCount?: number; attestedTime?: boolean } = {}): Narrative {
  const t = packetStrings(language).narrative;
  const r = reportStrings(language);
  const zone = facts.timezone;
  const at = (iso: string) => formatDateTime(iso, zone);
  const grams = (value: number) => formatGrams(value, language);
  const { order, dispute } = facts;

  // ——— the facts a recipient's form asks for, first ———
  // A long order is summarised (the first items and "and 390 more"): the item list never crowds out the facts after it.
  const itemsText = itemsWithin(facts, language, ITEMS_SENTENCE_CHARACTERS);
  const packing = packingOf(facts) ?? facts.captures.find((capture) => capture.kind === 'packing');
  const packingWeight = weightOf(facts, packing?.id);
  const weightSentence = (() => {
    if (!packing?.weightGrams) return undefined;
    const measured = grams(packing.weightGrams);
    const a = packingWeight;
    if (!a || a.expectedGrams === undefined || a.verdict === 'unknown') return t.weightOnly(measured);
    const expected = grams(a.expectedGrams);
    const tolerance = formatPercent(a.tolerance, language);
    const difference = grams(Math.abs(a.differenceGrams ?? 0));
    if (a.verdict === 'ok') return t.weightOk(measured, expected, tolerance);
    return a.verdict === 'light' ? t.weightLight(measured, expected, tolerance, difference) : t.weightHeavy(measured, expected, tolerance, difference);
  })();
  const undetectable = packingWeight?.undetectableItem
    ? t.weightUndetectable(packingWeight.undetectableItem.name, grams(packingWeight.undetectableItem.unitWeightGrams))
    : undefined;
  const shipping = join([
    order.trackingNumbers.length > 0 && order.carrier ? t.shipped(order.carrier, trackingOf(facts)) : undefined,
    order.trackingNumbers.length > 0 && !order.carrier ? t.shipped('—', trackingOf(facts)) : undefined,
    order.trackingNumbers.length === 0 ? t.noTracking : undefined,
    order.shippedAt ? t.shippedOn(formatDate(order.shippedAt, zone)) : undefined,
    order.deliveredAt ? t.delivered(formatDate(order.deliveredAt, zone)) : undefined,
  ]);
  const opening = t.opening(facts.shopName, dispute.orderId, r.reasons[dispute.reason]);
  const factsParagraph = join([
    opening,
    dispute.reference ? t.reference(dispute.reference) : undefined,
    dispute.amount ? t.amount(formatMoney(dispute.amount.value, dispute.amount.currency, language)) : undefined,
    itemsText ? t.items(itemsText) : undefined,
    shipping,
    weightSentence,
  ]);

  // ——— how it was packed and recorded ———
  const packedSentence = packing ? t.packed(at(packing.startedAt), packing.station ? t.packedAt(packing.station) : '') : undefined;
  const packingParagraph = packing
    ? join([
        packedSentence,
        (() => {
          const media = packing.media;
          const photos = media.filter((item) => item.type === 'photo').length;
          const videos = media.filter((item) => item.type === 'video');
          const totalMs = videos.reduce((sum, video) => sum + (video.durationMs ?? 0), 0);
          return photos + videos.length > 0 ? t.recorded(photos, videos.length, totalMs > 0 ? t.videoLength(formatDuration(totalMs, language)) : '') : undefined;
        })(),
        undetectable,
        ...facts.captures.filter((capture) => capture.kind === 'handover').map((capture) => t.handover(at(capture.startedAt))),
      ])
    : undefined;

  // ——— the return, when one was opened ———
  const unboxing = unboxingOf(facts);
  const returnParagraph = unboxing
    ? join([
        t.returnOpened(at(unboxing.startedAt)),
        (() => {
          const a = weightOf(facts, unboxing.id);
          if (!unboxing.weightGrams || !a || a.expectedGrams === undefined) return unboxing.weightGrams ? t.weightOnly(grams(unboxing.weightGrams)) : undefined;
          return a.verdict === 'ok'
            ? t.returnWeightOk(grams(unboxing.weightGrams), grams(a.expectedGrams))
            : t.returnWeightOff(grams(unboxing.weightGrams), grams(a.expectedGrams), grams(Math.abs(a.differenceGrams ?? 0)));
        })(),
        unboxing.checklist?.length
          ? t.findings(
              unboxing.checklist
                .map((entry) => {
                  const item = (r.checklistItems as Record<string, string>)[entry.item] ?? entry.item;
                  const result = r.checklistResults[entry.result];
                  return entry.note ? t.findingNote(item, result, entry.note) : t.finding(item, result);
                })
                .join('; '),
            )
          : undefined,
        unboxing.outcome ? t.outcome((r.outcomes as Record<string, string>)[unboxing.outcome] ?? unboxing.outcome) : undefined,
      ])
    : undefined;

  // The dispute's note is the seller's own (it may say anything about the buyer): it never leaves in a packet.
  const sellerParagraph = join([dispute.damageDescription ? t.damage(dispute.damageDescription) : undefined]);

  const trustParagraph = join([
    t.service,
    (extras.evidenceCount ?? facts.evidence.length) > 0 ? t.evidence(extras.evidenceCount ?? facts.evidence.length) : t.noEvidence,
    extras.derived ? t.derived : undefined,
    extras.shareLink ? t.shareLink(extras.shareLink.url, formatDate(extras.shareLink.expiresAt, zone)) : undefined,
    t.times(describeZone(zone, facts.generatedAt)),
    // Without a time-stamping authority (TSA_URL) the times are only the seller's server's word: said plainly.
    extras.attestedTime ? undefined : t.timesOwnServer,
  ]);

  const paragraphs = [factsParagraph, packingParagraph, returnParagraph, sellerParagraph, trustParagraph].filter((text): text is string => Boolean(text));
  const text = paragraphs.join('\n\n');

  const rowsWords = packetStrings(language).files.factRows;
  const rows: [string, string][] = [
    [rowsWords.order, dispute.orderId],
    [rowsWords.reason, r.reasons[dispute.reason]],
    ...(order.carrier ? [[rowsWords.carrier, order.carrier] as [string, string]] : []),
    ...(order.trackingNumbers.length ? [[rowsWords.tracking, trackingOf(facts)] as [string, string]] : []),
    ...(order.shippedAt ? [[rowsWords.shipped, at(order.shippedAt)] as [string, string]] : []),
    ...(order.deliveredAt ? [[rowsWords.delivered, at(order.deliveredAt)] as [string, string]] : []),
    ...(packing?.weightGrams ? [[rowsWords.weight, grams(packing.weightGrams)] as [string, string]] : []),
    ...(packingWeight?.expectedGrams !== undefined ? [[rowsWords.expected, grams(packingWeight.expectedGrams)] as [string, string]] : []),
  ];

  return {
    language,
    title: t.title(dispute.orderId),
    paragraphs,
    rows,
    text,
    summary(maxCharacters) {
      if (length(text) <= maxCharacters) return text;
      // Whole sentences kept in their order: the key facts (who and which order, carrier and tracking number,
      // the weight, when it was packed) are chosen first, then the others while they fit. A sentence that
      // does not fit is skipped, not the end of the text: a long one never crowds out the facts after it.
      const sentences = sentencesOf(text);
      const key = new Set([opening, shipping, weightSentence, packedSentence].flatMap((part) => (part ? sentencesOf(part).map((sentence) => sentence.trim()) : [])));
      const chosen = new Set<number>();
      let used = 0;
      const choose = (wanted: (sentence: string) => boolean) => {
        sentences.forEach((sentence, index) => {
          if (chosen.has(index) || !wanted(sentence.trim())) return;
          const cost = length(sentence.trim()) + 1;
          if (used + cost - 1 > maxCharacters) return;
          chosen.add(index);
          used += cost;
        });
      };
      choose((sentence) => key.has(sentence));
      choose(() => true);
      const out = sentences.filter((_, index) => chosen.has(index)).map((sentence) => sentence.trim()).join(' ');
      return out || [...text].slice(0, maxCharacters).join('');
    },
  };
}
