// The shared client core as one module, for apps without a bundler of their own: the server bundles
// this file into the packer app's /pack/shared.js (server/web/app-modules.ts). The dashboard's
// bundle imports the modules themselves.
export { ApiError, callApi, type ApiCall } from './api';
export { fullTime, formatGrams, formatMoney, formatNumber, formatTime } from './format';
export { matchLanguage, pickLanguage, rememberLanguage, startingLanguage, translate, type Message, type Messages } from './i18n';
