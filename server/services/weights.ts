// Weights: as packers type them (g, kg, lb, oz), kept in grams, and what a measured weight says against
// what the parcel should weigh: the order's items and its packaging, or for a return, what the parcel
// weighed when it was packed. The verdict rule lives here once; capture views, search filters and the
// home page (as SQL with the same tolerance and packaging: storage/weight-rule.ts) and the PDF reports
// all read its result.

import type { CaptureWeightBasisColumns } from '../../storage/captures.repository';
import type { CaptureKind, WeightUnit } from '../domain/vocabulary';

// Exact by definition: the international avoirdupois pound is 453.59237 g.
const gramsPer: Record<WeightUnit, number> = { g: 1, kg: 1000, lb: 453.59237, oz: 453.59237 / 16 };

/** Heavier than any parcel a courier takes: such a number is a typing slip. */
export const MAX_WEIGHT_GRAMS = 1_000_000;

/** The shop's side of the rule (its settings; GET /shop). */
export interface WeightRules {
  /** Box, filler and tape, counted in every order's expected weight unless the order gives its own. */
  packagingWeightGrams: number;
  /** How far off a weight may be and still be consistent, in percent of the weight it is held against. */
  tolerancePercent: number;
}

/** Before the owner sets them (migration 015): no packaging counted, and the 5 % the verdict always allowed. */
export const DEFAULT_WEIGHT_RULES: Readonly<WeightRules> = { packagingWeightGrams: 0, tolerancePercent: 5 };

/** The tolerance as a fraction (0.05), as the rule and its SQL copy multiply with it. */
export const toleranceOf = (rules: Pick<WeightRules, 'tolerancePercent'>): number => rules.tolerancePercent / 100;

/** The default allowed deviation as a fraction of the expected weight (scales, tape, a label). */
export const WEIGHT_TOLERANCE = toleranceOf(DEFAULT_WEIGHT_RULES);

/** Grams to a hundredth: finer than any parcel scale reads, coarse enough to compare. */
export function toGrams(value: number, unit: WeightUnit): number {
  return round2(value * gramsPer[unit]);
}

export interface WeighedItem {
  name: string;
  quantity: number;
  unitWeightGrams?: number;
}

/**
 * An order's item as stored, with what the SKU catalogue (migration 019) knows of its SKU. The
 * catalogue is read when the order is read, not copied into the order: fixing a SKU's weight fixes
 * every order that names it, and the order's own weight (given by its export or `PUT /orders`) always
 * wins over the catalogue's.
 */
export interface CataloguedItem extends WeighedItem {
  sku?: string;
  /** The SKU's unit weight in the catalogue. */
  catalogueWeightGrams?: number;
  /** The SKU's box size in the catalogue, with its packaging weight. */
  box?: BoxPackaging;
}

export interface BoxPackaging {
  code: string;
  packagingWeightGrams: number;
}

/** Where an item's unit weight came from: the order itself or its SKU in the catalogue. */
export type WeightSource = 'order' | 'catalogue';

/** An item with the unit weight it is counted with, and whether it has one at all. */
export function weighItem<T extends CataloguedItem>(item: T): Omit<T, 'catalogueWeightGrams' | 'box'> & { weightKnown: boolean; weightFrom?: WeightSource } {
  const { catalogueWeightGrams, box: _box, ...rest } = item;
  if (typeof item.unitWeightGrams === 'number') return { ...rest, weightKnown: true, weightFrom: 'order' };
  if (typeof catalogueWeightGrams === 'number') return { ...rest, unitWeightGrams: catalogueWeightGrams, weightKnown: true, weightFrom: 'catalogue' };
  return { ...rest, weightKnown: false };
}

/**
 * The box an order ships in by its items' SKUs: box sizes carry no dimensions, so the one with the
 * heaviest packaging stands for the largest (the items go in one parcel, in the biggest box any needs).
 */
export function boxOf(items: readonly Pick<CataloguedItem, 'box'>[]): BoxPackaging | undefined {
  let largest: BoxPackaging | undefined;
  for (const { box } of items) if (box && (!largest || box.packagingWeightGrams > largest.packagingWeightGrams)) largest = box;
  return largest;
}

/** What the items weigh together; only a complete list of unit weights gives one worth warning about. */
export function itemsWeightGrams(items: readonly WeighedItem[]): number | undefined {
  const counted = items.filter((item) => item.quantity > 0);
  if (counted.length === 0 || counted.some((item) => typeof item.unitWeightGrams !== 'number')) return undefined;
  return round2(counted.reduce((sum, item) => sum + item.quantity * item.unitWeightGrams!, 0));
}

/** What a parcel should weigh, and of what (SPEC §7: the expected weight includes the packaging). */
export interface ExpectedWeight {
  /** Items and packaging together: the order's `expectedWeightGrams`. */
  grams: number;
  itemsGrams: number;
  packagingGrams: number;
  /** The order's own packaging weight, its items' box size's (the catalogue's), or the shop's default. */
  packagingFrom: 'order' | 'box' | 'shop';
  /** The box size counted, when packagingFrom is 'box'. */
  boxSize?: string;
}

/**
 * The items' weight plus the packaging: the order's own, else its box size's (boxOf: by its items'
 * SKUs), else the shop's default; undefined while an item has no weight. Items come already weighed
 * (weighItem): this is the one rule the orders service, the reports and, in SQL, storage/weight-rule.ts
 * follow.
 */
export function expectedWeight(
  items: readonly WeighedItem[],
  orderPackagingGrams: number | undefined,
  rules: Pick<WeightRules, 'packagingWeightGrams'> = DEFAULT_WEIGHT_RULES,
  box?: BoxPackaging,
): ExpectedWeight | undefined {
  const itemsGrams = itemsWeightGrams(items);
  if (itemsGrams === undefined) return undefined;
  const [packagingFrom, packagingGrams] =
    orderPackagingGrams !== undefined
      ? (['order', orderPackagingGrams] as const)
      : box
        ? (['box', box.packagingWeightGrams] as const)
        : (['shop', rules.packagingWeightGrams] as const);
  return {
    grams: round2(itemsGrams + packagingGrams),
    itemsGrams,
    packagingGrams,
    packagingFrom,
    ...(packagingFrom === 'box' ? { boxSize: box!.code } : {}),
  };
}

/** What a weighed capture is held against: the order's expected weight, or what the parcel weighed when it was shipped. */
export const weightBases = ['expected', 'shipped'] as const;
export type WeightBasis = (typeof weightBases)[number];

/** A capture as the rule needs it: when, what kind, and what it weighed. */
export interface WeighedCapture {
  kind: CaptureKind;
  startedAt: string;
  weightGrams?: number;
}

/**
 * What was shipped, for a return opened at `openedAt`: the weight of the latest weighed packing
 * started no later than that (a replacement packed afterwards is not what came back). The search's
 * SQL (storage/weight-rule.ts, shippedGramsSql) picks the same capture.
 */
export function shippedWeightGrams(captures: readonly WeighedCapture[], openedAt: string): number | undefined {
  let latest: WeighedCapture | undefined;
  for (const capture of captures) {
    if (capture.kind !== 'packing' || capture.weightGrams === undefined || capture.startedAt > openedAt) continue;
    // Captures come oldest first; at the same start time the later one wins, as the SQL's rowid does.
    if (!latest || capture.startedAt >= latest.startedAt) latest = capture;
  }
  return latest?.weightGrams;
}

/**
 * The weight a capture is held against. A return (an unboxing) is compared with what left the shop,
 * measured at packing when it was weighed, so the buyer's parcel is held to what was sent, not to
 * what the order should have weighed; without a packing weight, with the expected weight. Every other
 * capture (packing, handover, other) is compared with the expected weight.
 */
export function weightReference(
  kind: CaptureKind,
  expectedGrams: number | undefined,
  shippedGrams: number | undefined,
): { grams?: number; against: WeightBasis } {
  if (kind === 'unboxing' && shippedGrams !== undefined) return { grams: shippedGrams, against: 'shipped' };
  return { ...(expectedGrams !== undefined ? { grams: expectedGrams } : {}), against: 'expected' };
}

export const weightVerdicts = ['ok', 'light', 'heavy', 'unknown'] as const;
export type WeightVerdict = (typeof weightVerdicts)[number];

/** A measured weight against the one it should be: codes and numbers, for any screen or document to present. */
export interface WeightCheck {
  verdict: WeightVerdict;
  measuredGrams?: number;
  /** The weight held against: the order's expected weight (items and packaging), or for a return what was shipped (see `against`). */
  expectedGrams?: number;
  /** measured − expected, when both are known. */
  differenceGrams?: number;
  /** The packaging counted in `expectedGrams` (held against the expected weight only), when some is. */
  packagingGrams?: number;
  /** The allowed deviation, in percent of the expected weight. */
  tolerancePercent: number;
  against: WeightBasis;
}

/** The rule: within the tolerance of the expected weight is ok, below is light, above is heavy. */
export function checkWeight(
  measuredGrams: number | undefined,
  expectedGrams: number | undefined,
  tolerance = WEIGHT_TOLERANCE,
  against: WeightBasis = 'expected',
): WeightCheck {
  const tolerancePercent = round2(tolerance * 100);
  const measured = measuredGrams !== undefined && measuredGrams > 0 ? measuredGrams : undefined;
  const expected = expectedGrams !== undefined && expectedGrams > 0 ? expectedGrams : undefined;
  const known = { ...(measured !== undefined ? { measuredGrams: measured } : {}), ...(expectedGrams !== undefined ? { expectedGrams } : {}) };
  if (measured === undefined || expected === undefined) return { verdict: 'unknown', ...known, tolerancePercent, against };
  const differenceGrams = round2(measured - expected);
  const verdict: WeightVerdict = Math.abs(differenceGrams) <= tolerance * expected ? 'ok' : differenceGrams < 0 ? 'light' : 'heavy';
  return { verdict, ...known, differenceGrams, tolerancePercent, against };
}

/**
 * What a capture's weight is held against, fixed when it finishes (captures.service finish, migration
 * 020): the order's expected weight then (undefined when an item had no unit weight), the packaging
 * counted in it, and the shop's tolerance then. The capture's facts entry in the log holds the same
 * expected weight and tolerance, so a verdict printed later is the one the logged facts support,
 * whatever the owner changed since.
 */
export interface RecordedWeightBasis {
  expectedGrams?: number;
  packagingGrams?: number;
  tolerancePercent: number;
}

/** The basis a capture's row holds (storage/captures.repository.ts), or undefined when none was recorded. */
export function recordedWeightBasis(columns: CaptureWeightBasisColumns): RecordedWeightBasis | undefined {
  if (columns.weight_basis_tolerance_percent === null) return undefined;
  return {
    ...(columns.weight_basis_expected_grams !== null ? { expectedGrams: columns.weight_basis_expected_grams } : {}),
    ...(columns.weight_basis_packaging_grams !== null ? { packagingGrams: columns.weight_basis_packaging_grams } : {}),
    tolerancePercent: columns.weight_basis_tolerance_percent,
  };
}

/** A basis as the row stores it (captures.service finish). */
export const weightBasisColumns = (basis: RecordedWeightBasis): CaptureWeightBasisColumns => ({
  weight_basis_expected_grams: basis.expectedGrams ?? null,
  weight_basis_packaging_grams: basis.packagingGrams ?? null,
  weight_basis_tolerance_percent: basis.tolerancePercent,
});

/**
 * A weighed capture's verdict: its weight against its reference (weightReference), with the shop's
 * tolerance. `reference.packagingGrams` is what `expectedGrams` counts for the box, named with it.
 */
export function checkCaptureWeight(
  capture: { kind: CaptureKind; weightGrams: number },
  reference: { expectedGrams?: number; packagingGrams?: number; shippedGrams?: number },
  rules: Pick<WeightRules, 'tolerancePercent'> = DEFAULT_WEIGHT_RULES,
): WeightCheck {
  const { grams, against } = weightReference(capture.kind, reference.expectedGrams, reference.shippedGrams);
  const check = checkWeight(capture.weightGrams, grams, toleranceOf(rules), against);
  const packaging = reference.packagingGrams;
  return against === 'expected' && grams !== undefined && packaging !== undefined && packaging > 0 ? { ...check, packagingGrams: packaging } : check;
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
  /** Counted in the expected weight (and named in the sentence); 0 when not given. */
  packagingGrams?: number;
  /**
   * The weight held against; defaults to the items' weights plus the packaging, when every item has a
   * weight. null: none was known (a capture that finished before its items had weights), not computed now.
   */
  expectedGrams?: number | null;
  /** What `expectedGrams` is: the order's expected weight (default) or what was shipped, for a return. */
  against?: WeightBasis;
  /** Allowed deviation as a fraction of the expected weight. */
  tolerance?: number;
}

/** The verdict with what a claims agent wants next: which item (and how many) would explain a difference. */
export interface WeightAssessment extends WeightCheck {
  tolerance: number;
  /** The packaging counted in an expected weight (absent when none is, or when held against what was shipped). */
  packagingGrams?: number;
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
  const against = input.against ?? 'expected';
  const packagingGrams = against === 'expected' && input.packagingGrams !== undefined && input.packagingGrams > 0 ? input.packagingGrams : undefined;
  const expected = input.expectedGrams === null ? undefined : (input.expectedGrams ?? expectedWeight(items, packagingGrams ?? 0)?.grams);
  const check = checkWeight(input.measuredGrams, expected, tolerance, against);
  const base = { ...check, tolerance, ...(packagingGrams !== undefined ? { packagingGrams } : {}), itemCount, unweighedItems, explainedBy: [] as ItemMatch[] };
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

/**
 * Each weighed capture of an order assessed as its verdict says: against the weight and with the
 * tolerance its `weightCheck` was given (the server's verdict, read, not redone). A capture without one
 * (a document made from plain data) is held to the order's expected weight, or for a return to what
 * was shipped, with the default tolerance.
 */
export function assessCaptureWeights(
  order: { items: WeighedItem[]; expectedWeightGrams?: number; expectedWeightParts?: { packagingGrams: number } },
  captures: readonly (WeighedCapture & { id: string; weightCheck?: WeightCheck })[],
): { captureId: string; assessment: WeightAssessment }[] {
  return captures
    .filter((capture) => capture.weightGrams !== undefined)
    .map((capture) => {
      const check = capture.weightCheck;
      const reference = check
        ? { grams: check.expectedGrams, against: check.against }
        : weightReference(capture.kind, order.expectedWeightGrams, shippedWeightGrams(captures, capture.startedAt));
      // The packaging the verdict counted (a finished capture's, recorded when it finished), not today's.
      const packagingGrams = reference.against !== 'expected' ? undefined : check ? check.packagingGrams : order.expectedWeightParts?.packagingGrams;
      return {
        captureId: capture.id,
        assessment: assessWeight({
          measuredGrams: capture.weightGrams,
          items: order.items,
          // The verdict's own reference, even none: a capture that finished with no expected weight is not judged against one entered since.
          ...(reference.grams !== undefined ? { expectedGrams: reference.grams } : check ? { expectedGrams: null } : {}),
          ...(packagingGrams !== undefined ? { packagingGrams } : {}),
          against: reference.against,
          ...(check ? { tolerance: check.tolerancePercent / 100 } : {}),
        }),
      };
    });
}
