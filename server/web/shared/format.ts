// Numbers, weights, money and times as a person reads them in a locale, for the browser apps and the
// pages the server renders alike. Times are always shown in a named time zone (the shop's), never
// the zone of whichever computer shows them.

export const formatNumber = (locale: string, value: number, options: Intl.NumberFormatOptions = {}) =>
  new Intl.NumberFormat(locale, options).format(value);

/** Whole grams: scales read to the gram, and a fraction of one would only be noise. */
export const formatGrams = (locale: string, grams: number) => `${formatNumber(locale, grams, { maximumFractionDigits: 0 })} g`;

/** An amount in its currency; an unknown currency code is still shown, after the number. */
export function formatMoney(locale: string, amount: number, currency: string): string {
  try {
    return formatNumber(locale, amount, { style: 'currency', currency });
  } catch {
    return `${formatNumber(locale, amount)} ${currency}`;
  }
}

/** A date with the time to the second and the zone named: a moment as evidence states it. */
export const fullTime: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'long' };

/**
 * A server time (ISO, UTC) in `timeZone` (undefined: this device's own). A zone the browser does not
 * know falls back to UTC rather than to this computer's clock, which the reader could not tell apart.
 */
export function formatTime(locale: string, iso: string, timeZone: string | undefined, options: Intl.DateTimeFormatOptions = fullTime): string {
  const date = new Date(iso);
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }).format(date);
  }
}
