// A sales channel's code worded for people: the codes shop systems send and the order imports' own
// channels (services/imports/presets.ts); any other code is shown as sent.
import { t, type MessageKey } from '../i18n';

const knownChannels = new Set([
  'smartstore', 'coupang', '11st', 'gmarket', 'auction', 'shopee', 'momo', 'pchome', 'website',
  // "custom": an order from an imported file of the seller's own columns.
  'naver_smartstore', 'coupang_wing', 'shopify', 'ebay', 'amazon', 'custom',
]);

export function channelName(code: string): string {
  const normal = code.trim().toLowerCase();
  return knownChannels.has(normal) ? t(`order.channelName.${normal}` as MessageKey) : code;
}
