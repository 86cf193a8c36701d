// A report's words in the chosen language (kept in server/i18n/reports), and the formatting of times
// (in the shop's zone, zone shown), grams, money and sizes.
import { languageLocales, type Language } from '../../domain/vocabulary';
import { translations } from '../../i18n';
import type { ReportStrings } from '../../i18n/reports/en';
import { wallClock } from '../time';

export type Strings = ReportStrings;

const dictionaries = translations.reports;

export function strings(lang: Language): Strings {
  return dictionaries[lang] ?? dictionaries.en;
}

// ——— formatting ———

export function locale(lang: Language): string {
  return languageLocales[lang] ?? 'en-US';
}

// Intl names these zones only as "GMT+9"; the letters are what people in them write.
const ZONE_ABBREVIATIONS: Record<string, string> = {
  'Asia/Seoul': 'KST',
  'Asia/Tokyo': 'JST',
  'Asia/Hong_Kong': 'HKT',
};

function zoneParts(date: Date, timeZone: string) {
  const clock = wallClock(date, timeZone);
  return {
    date: `${clock.year}-${clock.month}-${clock.day}`,
    time: `${clock.hour}:${clock.minute}:${clock.second}`,
    // "EDT" for US zones, "GMT+8" elsewhere, "UTC".
    zone: clock.zone,
  };
}

/** The zone as people in it write it at that instant: "KST", "EDT", "GMT+8", "UTC". */
export function zoneLabel(timeZone: string, at: Date | string = new Date()): string {
  return ZONE_ABBREVIATIONS[timeZone] ?? zoneParts(toDate(at), timeZone).zone;
}

/** "Asia/Seoul (KST, GMT+9)": for the sentence that says which zone a document's times are in. */
export function describeZone(timeZone: string, at: Date | string = new Date()): string {
  const offset = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'shortOffset' })
    .formatToParts(toDate(at))
    .find((part) => part.type === 'timeZoneName')?.value;
  const label = zoneLabel(timeZone, at);
  const extras = [label, offset].filter((value, index, all) => value && all.indexOf(value) === index);
  return `${timeZone} (${extras.join(', ')})`;
}

/** "2026-05-01 14:03:12 KST": ISO-ordered so every language reads it the same way. */
export function formatDateTime(iso: string | Date, timeZone: string): string {
  const date = toDate(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  const parts = zoneParts(date, timeZone);
  return `${parts.date} ${parts.time} ${ZONE_ABBREVIATIONS[timeZone] ?? parts.zone}`;
}

/** "2026-05-01": the calendar day in the zone. */
export function formatDate(iso: string | Date, timeZone: string): string {
  const date = toDate(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return zoneParts(date, timeZone).date;
}

/** "2,310 g"; a tenth of a gram is kept only under 100 g, where it can matter. */
export function formatGrams(grams: number, lang: Language = 'en'): string {
  const digits = Math.abs(grams) < 100 && !Number.isInteger(grams) ? 1 : 0;
  return `${new Intl.NumberFormat(locale(lang), { maximumFractionDigits: digits }).format(grams)} g`;
}

export function formatNumber(value: number, lang: Language = 'en'): string {
  return new Intl.NumberFormat(locale(lang)).format(value);
}

/**
 * "5 %", "2.5 %", "0.25 %": a tolerance as the sentence prints it, to the hundredth the verdict uses
 * (weights.ts), so a tolerance above 0 is never printed as "0 %".
 */
export function formatPercent(fraction: number, lang: Language = 'en'): string {
  return `${new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 2 }).format(fraction * 100)} %`;
}

/** "KRW 59,000": the code, not a symbol, so "$" never leaves a reader guessing which dollar. */
export function formatMoney(amount: number, currency: string, lang: Language = 'en'): string {
  try {
    // Intl puts a no-break space after the code; a plain one keeps the text searchable and copyable.
    return new Intl.NumberFormat(locale(lang), { style: 'currency', currency, currencyDisplay: 'code' })
      .format(amount)
      .replace(/[\u00a0\u202f]/g, ' ');
  } catch {
    return `${currency} ${formatNumber(amount, lang)}`;
  }
}

/** "00:05", "12:30", "1:02:05": a position in a recording. */
export function formatOffset(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mmss = `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
  return hours > 0 ? `${hours}:${mmss}` : mmss;
}

/** "2.0 s" (Korean "2.0초", Chinese "2.0 秒"), "1:02" (m:ss), "1:02:05". */
export function formatDuration(ms: number, lang: Language = 'en'): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}${(INTERVAL_UNITS[lang] ?? INTERVAL_UNITS.en).s}`;
  const text = formatOffset(ms);
  return text.startsWith('0') && text.length === 5 ? text.slice(1) : text;
}

const INTERVAL_UNITS: Record<Language, { min: string; s: string }> = {
  en: { min: ' min', s: ' s' },
  ko: { min: '분', s: '초' },
  'zh-TW': { min: ' 分', s: ' 秒' },
};

/** A spacing between stills in words: "5 s" / "5초" / "5 秒", "1 min 30 s". */
export function formatInterval(ms: number, lang: Language = 'en'): string {
  const unit = INTERVAL_UNITS[lang] ?? INTERVAL_UNITS.en;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}${unit.s}`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest ? `${minutes}${unit.min} ${rest}${unit.s}` : `${minutes}${unit.min}`;
}

function toDate(value: string | Date): Date {
  return value instanceof Date ? value : new Date(value);
}
