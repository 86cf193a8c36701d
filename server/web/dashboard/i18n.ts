// The dashboard's words and formats: its current language (chosen, remembered, or the browser's) and
// its messages from server/i18n/dashboard, over the shared client core (server/web/shared: language
// matching, lookup with {name} placeholders and plural forms, numbers and times in a locale) — times
// always in the shop's time zone, whatever the computer's clock says.
import { languageLocales, type Language } from '../../domain/vocabulary';
import en from '../../i18n/dashboard/en.json';
import * as format from '../shared/format';
import { rememberLanguage, startingLanguage, translate, type Messages } from '../shared/i18n';

export { matchLanguage } from '../shared/i18n';

export type MessageKey = keyof typeof en;

// Only English, the fallback for any missing word, travels with the first page; each other language
// is a file of its own, fetched when it is chosen (together they would be half the first page's script).
const loaders: Record<Exclude<Language, 'en'>, () => Promise<{ default: Messages<MessageKey>[Language] }>> = {
  ko: () => import('../../i18n/dashboard/ko.json'),
  'zh-TW': () => import('../../i18n/dashboard/zh-TW.json'),
};
const messages = { en } as Messages<MessageKey>;

/** Fetches a language's words once; if they cannot be fetched, its screens read in English. */
export async function loadLanguage(language: Language): Promise<void> {
  if (language === 'en' || messages[language]) return;
  try {
    messages[language] = (await loaders[language]()).default;
  } catch {
    // No connection: English words, and the next switch tries again.
  }
}
const STORAGE_KEY = 'packtrail.dashboard.language';

/** The names each language is offered by, in itself. */
export const languageNames: Record<Language, string> = { en: 'English', ko: '한국어', 'zh-TW': '繁體中文' };

let current: Language = startingLanguage(STORAGE_KEY);
document.documentElement.lang = current;

export const language = () => current;
export const locale = () => languageLocales[current];

export function setLanguage(next: Language) {
  current = next;
  document.documentElement.lang = next;
  rememberLanguage(STORAGE_KEY, next);
}

/** Switches once the language's words are here, so no screen shows half in one language. */
export async function switchLanguage(next: Language): Promise<void> {
  await loadLanguage(next);
  setLanguage(next);
}

/** The message in the current language, {name} placeholders filled; `count` picks a plural form. */
export const t = (key: MessageKey, values: Record<string, string | number> = {}): string => translate(messages, current, key, values);

/** A message key made from a vocabulary code (capture kinds, checklist items…), checked by the translations test. */
export const termKey = (prefix: string, code: string) => `${prefix}.${code}` as MessageKey;

export const formatGrams = (grams: number) => format.formatGrams(locale(), grams);

export const formatNumber = (value: number, options: Intl.NumberFormatOptions = {}) => format.formatNumber(locale(), value, options);

/**
 * A file's size as people read it: bytes, kB or MB, counted in thousands as the marketplaces and
 * processors write their upload limits ("5 MB" is 5,000,000 bytes), so a figure and its limit compare.
 */
export const formatBytes = (bytes: number) =>
  bytes < 1000
    ? `${formatNumber(bytes)} B`
    : bytes < 1_000_000
      ? `${formatNumber(bytes / 1000, { maximumFractionDigits: 0 })} kB`
      : `${formatNumber(bytes / 1_000_000, { maximumFractionDigits: 2 })} MB`;

export const formatMoney = (amount: number, currency: string) => format.formatMoney(locale(), amount, currency);

/** A server time (ISO, UTC) as the shop reads it: its own zone, named, to the second. */
export const formatTime = (iso: string, timeZone: string): string => format.formatTime(locale(), iso, timeZone);
