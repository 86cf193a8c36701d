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
  const clock = options.hour12 === undefined && options.hourCycle === undefined ? clockFor(locale) : {};
  try {
    return new Intl.DateTimeFormat(locale, { ...options, ...clock, timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(locale, { ...options, ...clock, timeZone: 'UTC' }).format(date);
  }
}

const clocks = new Map<string, Intl.DateTimeFormatOptions>();

/**
 * The 12-hour clock in the locale's own words ("오후 3시", "下午3:07") where the runtime has them; where
 * it does not, a 24-hour clock. Some ICU builds (Node's here) lack Korean day periods and print "PM 3시"
 * in the middle of Korean text; "15시" reads as naturally as "오후 3시" and is never half English.
 */
export function clockFor(locale: string): Intl.DateTimeFormatOptions {
  let clock = clocks.get(locale);
  if (!clock) {
    clock = borrowsEnglishDayPeriod(locale) ? { hourCycle: 'h23' } : {};
    clocks.set(locale, clock);
  }
  return clock;
}

/** Whether the locale's afternoon is written "PM" although the locale is not English. */
function borrowsEnglishDayPeriod(locale: string): boolean {
  try {
    const format = new Intl.DateTimeFormat(locale, { hour: 'numeric', hour12: true, timeZone: 'UTC' });
    if (format.resolvedOptions().locale.toLowerCase().startsWith('en')) return false;
    const period = format.formatToParts(new Date(Date.UTC(2020, 0, 1, 15))).find((part) => part.type === 'dayPeriod')?.value ?? '';
    return /^[ap]\.?\s?m\.?$/i.test(period.trim());
  } catch {
    return false;
  }
}
