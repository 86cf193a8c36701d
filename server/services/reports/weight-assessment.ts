// What a parcel's weight at packing says about its contents, in one plain sentence a claims agent can
// read: consistent with every item, or light (and by how many of which item), or heavy.
import type { Language } from '../../domain/vocabulary';
import { formatGrams, formatPercent, strings } from './i18n';

export const DEFAULT_WEIGHT_TOLERANCE = 0.05;

export interface WeightItem {
  name: string;
  quantity: number;
  unitWeightGrams?: number;
}

export interface WeightInput {
  measuredGrams?: number;
  items: WeightItem[];
  /** Defaults to the sum of the items' weights, when every item has one. */
  expectedGrams?: number;
  /** Allowed deviation as a fraction of the expected weight (scales, packaging). */
  tolerance?: number;
}

/** k units of one item whose weight accounts for the difference. */
export interface ItemMatch {
  name: string;
  count: number;
  unitWeightGrams: number;
  grams: number;
}

export type WeightVerdict = 'consistent' | 'light' | 'heavy' | 'unknown';

export interface WeightAssessment {
  verdict: WeightVerdict;
  measuredGrams?: number;
  expectedGrams?: number;
  tolerance: number;
  /** Units ordered, all items together. */
  itemCount: number;
  /** measured − expected. */
  differenceGrams?: number;
  /** What the parcel would weigh with its lightest unit left out. */
  missingOneItemGrams?: number;
  /** Set when one of the lightest unit missing would still be within tolerance: the scale cannot tell. */
  undetectableItem?: { name: string; unitWeightGrams: number };
  /** Light: the units whose absence fits the shortfall; heavy: the extra units that fit the surplus. Closest first. */
  explainedBy: ItemMatch[];
  sentence(lang: Language): string;
}

const MAX_CANDIDATES = 2;
// An extra unit or three packed by mistake is plausible; ten is not an explanation worth printing.
const MAX_EXTRA_UNITS = 3;

export function assessWeight(input: WeightInput): WeightAssessment {
  const tolerance = input.tolerance ?? DEFAULT_WEIGHT_TOLERANCE;
  const items = input.items.filter((item) => item.quantity > 0);
  const itemCount = items.reduce((sum, item) => sum + item.quantity, 0);
  const weighed = items.filter((item): item is Required<WeightItem> => typeof item.unitWeightGrams === 'number' && item.unitWeightGrams > 0);
  const unweighed = items.filter((item) => !(typeof item.unitWeightGrams === 'number' && item.unitWeightGrams > 0));
  const expectedGrams =
    input.expectedGrams ??
    (items.length > 0 && unweighed.length === 0 ? round2(weighed.reduce((sum, item) => sum + item.quantity * item.unitWeightGrams, 0)) : undefined);
  const measuredGrams = input.measuredGrams !== undefined && input.measuredGrams > 0 ? input.measuredGrams : undefined;

  const base = { measuredGrams, expectedGrams, tolerance, itemCount };

  if (measuredGrams === undefined || expectedGrams === undefined || !(expectedGrams > 0)) {
    return {
      ...base,
      verdict: 'unknown',
      explainedBy: [],
      sentence(lang) {
        const w = strings(lang).weight;
        const parts: string[] = [];
        if (measuredGrams === undefined) {
          parts.push(w.noMeasured);
          if (expectedGrams !== undefined && expectedGrams > 0) parts.push(expectedPart(lang, itemCount, expectedGrams, tolerance));
        } else {
          parts.push(w.measuredPart(formatGrams(measuredGrams, lang)));
          parts.push(w.noExpected(unweighed.map((item) => item.name).join(', ')));
        }
        return parts.join(w.separator);
      },
    };
  }

  const differenceGrams = round2(measuredGrams - expectedGrams);
  const verdict: WeightVerdict =
    Math.abs(differenceGrams) <= tolerance * expectedGrams ? 'consistent' : differenceGrams < 0 ? 'light' : 'heavy';

  // The lightest unit is the hardest to notice missing, so it is the honest one to quote.
  const lightest = weighed.reduce<Required<WeightItem> | undefined>(
    (min, item) => (min === undefined || item.unitWeightGrams < min.unitWeightGrams ? item : min),
    undefined,
  );
  const sameUnitWeight = weighed.every((item) => item.unitWeightGrams === weighed[0]?.unitWeightGrams);
  const missingOneItemGrams = lightest && itemCount >= 2 ? round2(expectedGrams - lightest.unitWeightGrams) : undefined;
  const undetectableItem =
    lightest && missingOneItemGrams !== undefined && withinTolerance(measuredGrams, missingOneItemGrams, tolerance)
      ? { name: lightest.name, unitWeightGrams: lightest.unitWeightGrams }
      : undefined;

  const explainedBy =
    verdict === 'light'
      ? matches(weighed, (item) => item.quantity, (count, unit) => expectedGrams - count * unit, measuredGrams, tolerance)
      : verdict === 'heavy'
        ? matches(weighed, () => MAX_EXTRA_UNITS, (count, unit) => expectedGrams + count * unit, measuredGrams, tolerance)
        : [];

  return {
    ...base,
    verdict,
    differenceGrams,
    ...(missingOneItemGrams !== undefined ? { missingOneItemGrams } : {}),
    ...(undetectableItem ? { undetectableItem } : {}),
    explainedBy,
    sentence(lang) {
      const w = strings(lang).weight;
      const g = (grams: number) => formatGrams(grams, lang);
      const parts = [w.measuredPart(g(measuredGrams)), expectedPart(lang, itemCount, expectedGrams, tolerance)];
      const candidates = explainedBy.map((match) => w.unit(match.count, match.name, g(match.grams))).join(w.or);
      if (verdict === 'consistent') {
        parts.push(w.consistent);
        if (undetectableItem) parts.push(w.tooLightToTell(undetectableItem.name));
        else if (missingOneItemGrams !== undefined && lightest) {
          parts.push(sameUnitWeight ? w.oneMissing(g(missingOneItemGrams)) : w.lightestMissing(g(missingOneItemGrams), lightest.name));
        }
      } else if (verdict === 'light') {
        const lighter = w.lighter(g(-differenceGrams));
        parts.push(explainedBy.length > 0 ? `${lighter}${w.comma}${w.aboutWeightOf(candidates)}` : `${lighter}${w.separator}${w.noMatch}`);
      } else {
        const heavier = w.heavier(g(differenceGrams));
        parts.push(explainedBy.length > 0 ? `${heavier}${w.comma}${w.extra(candidates)}` : `${heavier}${w.separator}${w.packagingOrExtra}`);
      }
      return parts.join(w.separator);
    },
  };
}

function expectedPart(lang: Language, itemCount: number, expectedGrams: number, tolerance: number): string {
  const w = strings(lang).weight;
  return w.expectedPart(w.items(itemCount), formatGrams(expectedGrams, lang), formatPercent(tolerance, lang));
}

/** Whether `measured` is what a parcel expected to weigh `predicted` could read on the scale. */
function withinTolerance(measured: number, predicted: number, tolerance: number): boolean {
  return Math.abs(measured - predicted) <= tolerance * predicted;
}

/**
 * For each item, the number of its units (1…maxCount) that brings the prediction within tolerance of
 * what was measured, closest first, one answer per item.
 */
function matches(
  items: Required<WeightItem>[],
  maxCount: (item: Required<WeightItem>) => number,
  predict: (count: number, unit: number) => number,
  measured: number,
  tolerance: number,
): ItemMatch[] {
  const found: (ItemMatch & { error: number })[] = [];
  for (const item of items) {
    let best: (ItemMatch & { error: number }) | undefined;
    for (let count = 1; count <= maxCount(item); count++) {
      const predicted = predict(count, item.unitWeightGrams);
      if (predicted <= 0 || !withinTolerance(measured, predicted, tolerance)) continue;
      const error = Math.abs(measured - predicted);
      if (!best || error < best.error) {
        best = { name: item.name, count, unitWeightGrams: item.unitWeightGrams, grams: round2(count * item.unitWeightGrams), error };
      }
    }
    if (best) found.push(best);
  }
  return found
    .sort((a, b) => a.error - b.error)
    .slice(0, MAX_CANDIDATES)
    .map(({ error: _error, ...match }) => match);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
