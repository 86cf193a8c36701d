// Weights as packers type them (g, kg, lb, oz), kept in grams.

import type { WeightUnit } from '../domain/vocabulary';

// Exact by definition: the international avoirdupois pound is 453.59237 g.
const gramsPer: Record<WeightUnit, number> = { g: 1, kg: 1000, lb: 453.59237, oz: 453.59237 / 16 };

/** Heavier than any parcel a courier takes: such a number is a typing slip. */
export const MAX_WEIGHT_GRAMS = 1_000_000;

/** Grams to a hundredth: finer than any parcel scale reads, coarse enough to compare. */
export function toGrams(value: number, unit: WeightUnit): number {
  return Math.round(value * gramsPer[unit] * 100) / 100;
}
