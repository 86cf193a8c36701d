// Weights as packers type them (g, kg, lb, oz), and the check against the order's expected weight.

// Exact by definition, as on the server: the international avoirdupois pound is 453.59237 g.
const GRAMS_PER = { g: 1, kg: 1000, lb: 453.59237, oz: 453.59237 / 16 };

export const toGrams = (value, unit) => Math.round(value * GRAMS_PER[unit] * 100) / 100;

/** "2,5" and "2.5" both mean two and a half; anything else that is not a positive number is null. */
export function parseWeight(text) {
  const cleaned = String(text).trim().replace(/\s/g, '').replace(',', '.');
  if (!/^\d*\.?\d+$|^\d+\.$/.test(cleaned)) return null;
  const value = Number(cleaned);
  return value > 0 && value <= 1e6 ? value : null;
}

/**
 * Measured against expected: { status: 'ok' | 'off' | 'unknown', deviation } where deviation is the
 * signed fraction (−0.24 means 24 % light). Without an expected weight there is nothing to check.
 */
export function checkWeight(measuredGrams, expectedGrams, tolerancePercent) {
  if (!expectedGrams) return { status: 'unknown', deviation: null };
  const deviation = (measuredGrams - expectedGrams) / expectedGrams;
  return { status: Math.abs(deviation) * 100 > tolerancePercent + 1e-9 ? 'off' : 'ok', deviation };
}

export function formatWeight(value, unit, locale) {
  const digits = unit === 'g' ? 0 : unit === 'kg' ? 3 : 2;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value)} ${unit}`;
}
