// Korean, English and Traditional Chinese: chosen from the phone's languages, changed with a switch.
// The words themselves are in server/i18n/pack/<language>.json, served as translations.js; choosing
// the language, looking words up and formatting numbers and times are the shared client core
// (shared.js, made from server/web/shared), the same code the dashboard runs.
import * as shared from './shared.js';
import { messages } from './translations.js';
import { languageLocales as LOCALES, languages as LANGUAGES } from './vocabulary.js';

const LANGUAGE_KEY = 'packtrail.language';

/** The phone's own languages decide, unless the packer picked one with the switch. */
let language = shared.startingLanguage(LANGUAGE_KEY);

export const currentLanguage = () => language;
export const locale = () => LOCALES[language];

export function setLanguage(next) {
  if (!LANGUAGES.includes(next)) return;
  language = next;
  shared.rememberLanguage(LANGUAGE_KEY, next);
}

export const t = (key, params = {}) => shared.translate(messages, language, key, params);

export const formatNumber = (value, digits = 0) => shared.formatNumber(locale(), value, { maximumFractionDigits: digits });
export const formatGrams = (grams) => shared.formatGrams(locale(), grams);
/** A server time in `timeZone` (undefined: the phone's own), with only the parts in `options`. */
export const formatTime = (iso, timeZone, options) => shared.formatTime(locale(), iso, timeZone, options);

/** Fills every [data-i18n] element's text and every [data-i18n-label] element's accessible name. */
export function applyTranslations(root = document) {
  document.documentElement.lang = language;
  for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll('[data-i18n-label]')) {
    node.setAttribute('aria-label', t(node.dataset.i18nLabel));
    node.title = t(node.dataset.i18nLabel);
  }
}
