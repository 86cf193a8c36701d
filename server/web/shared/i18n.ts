// Choosing a language and looking its words up, for every browser app (the dashboard, the packer
// app): the person's saved choice, else their browser's languages, else English; messages with
// {name} placeholders and plural forms picked by the language's own plural rules. No app state here:
// each app keeps its own current language and its own messages.
import { defaultLanguage, languageLocales, languages, type Language } from '../../domain/vocabulary';
import type { PluralMessage } from '../../i18n';

export type Message = string | PluralMessage;
/** An audience's messages in every language, keyed alike (server/i18n/<audience>/<language>.json). */
export type Messages<Key extends string = string> = Record<Language, Record<Key, Message>>;

/**
 * The language a browser tag asks for, if we offer it. zh-Hant, zh-TW, zh-HK and zh-MO read
 * Traditional Chinese (zh-Hant is also what the packer app saved before every app used zh-TW).
 */
export function matchLanguage(tag: string): Language | undefined {
  const lower = tag.toLowerCase();
  if (/^zh-(hant|tw|hk|mo)\b/.test(lower)) return 'zh-TW';
  return languages.find((language) => language.toLowerCase() === lower.split('-')[0]);
}

/**
 * The saved choice if it is one we offer, else the first browser language we offer. A browser that
 * only reads Chinese of another script gets Traditional Chinese rather than English: closer to it.
 */
export function pickLanguage(saved: string | null | undefined, browserTags: readonly string[]): Language {
  const chosen = saved ? matchLanguage(saved) : undefined;
  if (chosen) return chosen;
  for (const tag of browserTags) {
    const match = matchLanguage(tag);
    if (match) return match;
  }
  if (browserTags.some((tag) => /^zh\b/i.test(tag))) return 'zh-TW';
  return defaultLanguage;
}

/** The language to start in: the one saved under `storageKey`, else the browser's. */
export function startingLanguage(storageKey: string): Language {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(storageKey);
  } catch {
    // Storage may be blocked; the browser's languages decide.
  }
  return pickLanguage(saved, navigator.languages?.length ? navigator.languages : [navigator.language]);
}

export function rememberLanguage(storageKey: string, language: Language): void {
  try {
    localStorage.setItem(storageKey, language);
  } catch {
    // Not remembered; still switched.
  }
}

// Not Object.hasOwn: packing phones on Safari before 15.4 lack it.
const hasOwn = Object.prototype.hasOwnProperty;

const pluralRules = new Map<string, Intl.PluralRules>();
function pluralForm(locale: string, count: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(locale);
  if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(locale)));
  return rules.select(count);
}

/**
 * The message for `key` in `language` (English when that language lacks it, the key itself when
 * both do), {name} placeholders filled from `values`; `values.count` picks the plural form.
 */
export function translate<Key extends string>(
  messages: Messages<Key>,
  language: Language,
  key: Key,
  values: Record<string, string | number> = {},
): string {
  const message: Message | undefined = messages[language]?.[key] ?? messages[defaultLanguage]?.[key];
  if (message === undefined) return key;
  const text = typeof message === 'string' ? message : (message[pluralForm(languageLocales[language], Number(values.count ?? 0))] ?? message.other);
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (hasOwn.call(values, name) ? String(values[name]) : whole));
}
