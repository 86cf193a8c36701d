// Korean, English and Traditional Chinese: chosen from the phone's languages, changed with a switch.

// The words themselves are in server/i18n/pack/<language>.json, served as translations.js.
import { messages } from './translations.js';
import { languageLocales as LOCALES, languages as LANGUAGES } from './vocabulary.js';

const LANGUAGE_KEY = 'packtrail.language';
// Traditional Chinese was stored as "zh-Hant" before every app used the API's code.
const RENAMED = { 'zh-Hant': 'zh-TW' };

/** The phone's own languages decide, unless the packer picked one with the switch. */
function detect() {
  const stored = localStorage.getItem(LANGUAGE_KEY);
  if (LANGUAGES.includes(RENAMED[stored] ?? stored)) return RENAMED[stored] ?? stored;
  for (const tag of navigator.languages?.length ? navigator.languages : [navigator.language]) {
    const lower = String(tag).toLowerCase();
    if (lower.startsWith('ko')) return 'ko';
    if (lower.startsWith('zh')) return 'zh-TW';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

let language = detect();
let plurals = new Intl.PluralRules(LOCALES[language]);

export const currentLanguage = () => language;
export const locale = () => LOCALES[language];

export function setLanguage(next) {
  if (!LANGUAGES.includes(next)) return;
  language = next;
  plurals = new Intl.PluralRules(LOCALES[language]);
  localStorage.setItem(LANGUAGE_KEY, next);
}

export function t(key, params = {}) {
  let message = messages[language][key] ?? messages.en[key] ?? key;
  if (typeof message === 'object') message = message[plurals.select(params.count ?? 0)] ?? message.other;
  return message.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** Fills every [data-i18n] element's text and every [data-i18n-label] element's accessible name. */
export function applyTranslations(root = document) {
  document.documentElement.lang = language;
  for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll('[data-i18n-label]')) {
    node.setAttribute('aria-label', t(node.dataset.i18nLabel));
    node.title = t(node.dataset.i18nLabel);
  }
}
