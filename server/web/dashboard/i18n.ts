// The dashboard's words and formats: the language (chosen, remembered, or the browser's), messages
// from server/i18n/dashboard with {name} placeholders and plural forms, and numbers and times in
// that language — times always in the shop's time zone, whatever the computer's clock says.
import { defaultLanguage, languageLocales, languages, type Language } from '../../domain/vocabulary';
import en from '../../i18n/dashboard/en.json';
import ko from '../../i18n/dashboard/ko.json';
import zhTW from '../../i18n/dashboard/zh-TW.json';

export type MessageKey = keyof typeof en;
type Message = string | ({ other: string } & Partial<Record<Intl.LDMLPluralRule, string>>);

const messages: Record<Language, Record<MessageKey, Message>> = { en, ko, 'zh-TW': zhTW };
const STORAGE_KEY = 'packtrail.dashboard.language';

/** The names each language is offered by, in itself. */
export const languageNames: Record<Language, string> = { en: 'English', ko: '한국어', 'zh-TW': '繁體中文' };

/** zh-Hant, zh-HK and zh-TW browsers read Traditional Chinese; other Chinese is not offered. */
export function matchLanguage(tag: string): Language | undefined {
  const lower = tag.toLowerCase();
  if (/^zh-(hant|tw|hk|mo)\b/.test(lower)) return 'zh-TW';
  return languages.find((language) => language.toLowerCase() === lower.split('-')[0]);
}

function initialLanguage(): Language {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved && (languages as readonly string[]).includes(saved)) return saved as Language;
  } catch {
    // Storage may be blocked; the browser's languages decide.
  }
  for (const tag of navigator.languages ?? [navigator.language]) {
    const match = matchLanguage(tag);
    if (match) return match;
  }
  return defaultLanguage;
}

let current: Language = initialLanguage();
document.documentElement.lang = current;

export const language = () => current;
export const locale = () => languageLocales[current];

export function setLanguage(next: Language) {
  current = next;
  document.documentElement.lang = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not remembered; still switched.
  }
}

/** The message in the current language, {name} placeholders filled; `count` picks a plural form. */
export function t(key: MessageKey, values: Record<string, string | number> = {}): string {
  const message = messages[current][key] ?? messages.en[key] ?? key;
  const text =
    typeof message === 'string'
      ? message
      : (message[new Intl.PluralRules(locale()).select(Number(values.count ?? 0))] ?? message.other);
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** A message key made from a vocabulary code (capture kinds, checklist items…), checked by the translations test. */
export const termKey = (prefix: string, code: string) => `${prefix}.${code}` as MessageKey;

export const formatGrams = (grams: number) =>
  `${new Intl.NumberFormat(locale(), { maximumFractionDigits: 0 }).format(grams)} g`;

export const formatNumber = (value: number, options: Intl.NumberFormatOptions = {}) => new Intl.NumberFormat(locale(), options).format(value);

export const formatMoney = (amount: number, currency: string) => {
  try {
    return new Intl.NumberFormat(locale(), { style: 'currency', currency }).format(amount);
  } catch {
    return `${formatNumber(amount)} ${currency}`;
  }
};

/** A server time (ISO, UTC) as the shop reads it: its own zone, named, to the second. */
export function formatTime(iso: string, timeZone: string): string {
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'long', timeZone };
  try {
    return new Intl.DateTimeFormat(locale(), options).format(new Date(iso));
  } catch {
    return new Intl.DateTimeFormat(locale(), { ...options, timeZone: 'UTC' }).format(new Date(iso));
  }
}
