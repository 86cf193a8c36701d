// Weights: as packers type them (g, kg, lb, oz), kept in grams, and what a measured weight says against
// the order's items. The verdict rule lives here once; capture views, search filters (as SQL with the
// same tolerance) and the PDF reports all read its result.

import type { WeightUnit } from '../domain/vocabulary';

// Exact by definition: the international avoirdupois pound is 453.59237 g.
const gramsPer: Record<WeightUnit, number> = { g: 1, kg: 1000, lb: 453.59237, oz: 453.59237 / 16 };

/** Heavier than any parcel a courier takes: such a number is a typing slip. */
export const MAX_WEIGHT_GRAMS = 1_000_000;

/** Allowed deviation as a fraction of the expected weight (scales, packaging, tape). */
export const WEIGHT_TOLERANCE = 0.05;

/** Grams to a hundredth: finer than any parcel scale reads, coarse enough to compare. */
export function toGrams(value: number, unit: WeightUnit): number {
  return round2(value * gramsPer[unit]);
}

export interface WeighedItem {
  name: string;
  quantity: number;
  unitWeightGrams?: number;
}

/** What the items should weigh together; only a complete list of unit weights gives one worth warning about. */
export function expectedWeightGrams(items: readonly WeighedItem[]): number | undefined {
  const counted = items.filter((item) => item.quantity > 0);
  if (counted.length === 0 || counted.some((item) => typeof item.unitWeightGrams !== 'number')) return undefined;
  return round2(counted.reduce((sum, item) => sum + item.quantity * item.unitWeightGrams!, 0));
}

export const weightVerdicts = ['ok', 'light', 'heavy', 'unknown'] as const;
export type WeightVerdict = (typeof weightVerdicts)[number];

/** A measured weight against an expected one: codes and numbers, for any screen or document to present. */
export interface WeightCheck {
  verdict: WeightVerdict;
  measuredGrams?: number;
  expectedGrams?: number;
  /** measured − expected, when both are known. */
  differenceGrams?: number;
  /** The allowed deviation, in percent of the expected weight. */
  tolerancePercent: number;
}

/** The rule: within the tolerance of the expected weight is ok, below is light, above is heavy. */
export function checkWeight(measuredGrams: number | undefined, expectedGrams: number | undefined, tolerance = WEIGHT_TOLERANCE): WeightCheck {
  const tolerancePercent = round2(tolerance * 100);
  const measured = measuredGrams !== undefined && measuredGrams > 0 ? measuredGrams : undefined;
  const expected = expectedGrams !== undefined && expectedGrams > 0 ? expectedGrams : undefined;
  const known = { ...(measured !== undefined ? { measuredGrams: measured } : {}), ...(expectedGrams !== undefined ? { expectedGrams } : {}) };
  if (measured === undefined || expected === undefined) return { verdict: 'unknown', ...known, tolerancePercent };
  const differenceGrams = round2(measured - expected);
  const verdict: WeightVerdict = Math.abs(differenceGrams) <= tolerance * expected ? 'ok' : differenceGrams < 0 ? 'light' : 'heavy';
  return { verdict, ...known, differenceGrams, tolerancePercent };
}

/** k units of one item whose weight accounts for the difference. */
export interface ItemMatch {
  name: string;
  count: number;
  unitWeightGrams: number;
  grams: number;
}

export interface WeightAssessmentInput {
  measuredGrams?: number;
  items: WeighedItem[];
  /** Defaults to the sum of the items' weights, when every item has one. */
  expectedGrams?: number;
  /** Allowed deviation as a fraction of the expected weight. */
  tolerance?: number;
}

/** The verdict with what a claims agent wants next: which item (and how many) would explain a difference. */
export interface WeightAssessment extends WeightCheck {
  tolerance: number;
  /** Units ordered, all items together. */
  itemCount: number;
  /** Items without a unit weight (why there is no expected weight). */
  unweighedItems: string[];
  /** The lightest unit: the hardest to notice missing, so the honest one to quote. */
  lightestItem?: { name: string; unitWeightGrams: number; allWeighAlike: boolean };
  /** What the parcel would weigh with its lightest unit left out. */
  missingOneItemGrams?: number;
  /** Set when one of the lightest unit missing would still be within tolerance: the scale cannot tell. */
  undetectableItem?: { name: string; unitWeightGrams: number };
  /** Light: the units whose absence fits the shortfall; heavy: the extra units that fit the surplus. Closest first. */
  explainedBy: ItemMatch[];
}

const MAX_CANDIDATES = 2;
// An extra unit or three packed by mistake is plausible; ten is not an explanation worth printing.
const MAX_EXTRA_UNITS = 3;

export function assessWeight(input: WeightAssessmentInput): WeightAssessment {
  const tolerance = input.tolerance ?? WEIGHT_TOLERANCE;
  const items = input.items.filter((item) => item.quantity > 0);
  const itemCount = items.reduce((sum, item) => sum + item.quantity, 0);
  const weighed = items.filter((item): item is Required<WeighedItem> => typeof item.unitWeightGrams === 'number' && item.unitWeightGrams > 0);
  const unweighedItems = items.filter((item) => !weighed.includes(item as Required<WeighedItem>)).map((item) => item.name);
  const check = checkWeight(input.measuredGrams, input.expectedGrams ?? expectedWeightGrams(items), tolerance);
  const base = { ...check, tolerance, itemCount, unweighedItems, explainedBy: [] as ItemMatch[] };
  const { measuredGrams, expectedGrams } = check;
  if (check.verdict === 'unknown' || measuredGrams === undefined || expectedGrams === undefined) return base;

  const lightest = weighed.reduce<Required<WeighedItem> | undefined>(
    (min, item) => (min === undefined || item.unitWeightGrams < min.unitWeightGrams ? item : min),
    undefined,
  );
  const allWeighAlike = weighed.every((item) => item.unitWeightGrams === weighed[0]?.unitWeightGrams);
  const missingOneItemGrams = lightest && itemCount >= 2 ? round2(expectedGrams - lightest.unitWeightGrams) : undefined;
  const undetectableItem =
    lightest && missingOneItemGrams !== undefined && withinTolerance(measuredGrams, missingOneItemGrams, tolerance)
      ? { name: lightest.name, unitWeightGrams: lightest.unitWeightGrams }
      : undefined;
  const explainedBy =
    check.verdict === 'light'
      ? matches(weighed, (item) => item.quantity, (count, unit) => expectedGrams - count * unit, measuredGrams, tolerance)
      : check.verdict === 'heavy'
        ? matches(weighed, () => MAX_EXTRA_UNITS, (count, unit) => expectedGrams + count * unit, measuredGrams, tolerance)
        : [];

  return {
    ...base,
    ...(lightest ? { lightestItem: { name: lightest.name, unitWeightGrams: lightest.unitWeightGrams, allWeighAlike } } : {}),
    ...(missingOneItemGrams !== undefined ? { missingOneItemGrams } : {}),
    ...(undetectableItem ? { undetectableItem } : {}),
    explainedBy,
  };
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
  items: Required<WeighedItem>[],
  maxCount: (item: Required<WeighedItem>) => number,
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

/** Each weighed capture of an order assessed against the order's items, as reports and packets present them. */
export function assessCaptureWeights(
  order: { items: WeighedItem[]; expectedWeightGrams?: number },
  captures: readonly { id: string; weightGrams?: number }[],
): { captureId: string; assessment: WeightAssessment }[] {
  return captures
    .filter((capture) => capture.weightGrams !== undefined)
    .map((capture) => ({
      captureId: capture.id,
      assessment: assessWeight({ measuredGrams: capture.weightGrams, items: order.items, expectedGrams: order.expectedWeightGrams }),
    }));
}
