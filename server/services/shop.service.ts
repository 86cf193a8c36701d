// The shop's settings: its name, the time zone every time is shown in, the language its reports are
// written in when an export names none, and its side of the weight verdict (default packaging weight,
// tolerance).
import type { IdentityRepository } from '../../storage/identity.repository';
import { defaultLanguage, languages, type Language } from '../domain/vocabulary';
import { fail } from '../errors';
import { requireTimeZone } from './time';
import { DEFAULT_WEIGHT_RULES, type WeightRules } from './weights';

export interface ShopView {
  name: string;
  timezone: string;
  reportLanguage: Language;
  /** Counted in every order's expected weight unless the order gives its own (grams). */
  packagingWeightGrams: number;
  /** How far off a weight may be and still be consistent, in percent. */
  weightTolerancePercent: number;
}

export interface ShopChanges {
  name?: string;
  timezone?: string;
  reportLanguage?: Language;
  packagingWeightGrams?: number;
  weightTolerancePercent?: number;
}

const isLanguage = (code: string): code is Language => (languages as readonly string[]).includes(code);

/** The weight verdict's settings of a shop (or the defaults before setup). */
export const weightRulesOf = (shop: Pick<ShopView, 'packagingWeightGrams' | 'weightTolerancePercent'> | undefined): WeightRules =>
  shop ? { packagingWeightGrams: shop.packagingWeightGrams, tolerancePercent: shop.weightTolerancePercent } : DEFAULT_WEIGHT_RULES;

export function createShopService({ identity }: { identity: Pick<IdentityRepository, 'getShop' | 'updateShop'> }) {
  /** Undefined before the first-run setup. */
  function find(): ShopView | undefined {
    const row = identity.getShop();
    if (!row) return undefined;
    return {
      name: row.name,
      timezone: row.timezone,
      reportLanguage: isLanguage(row.report_language) ? row.report_language : defaultLanguage,
      packagingWeightGrams: row.packaging_weight_grams,
      weightTolerancePercent: row.weight_tolerance_percent,
    };
  }

  const get = (): ShopView => find() ?? fail('NOT_FOUND', 'The shop is not set up yet.');

  return {
    find,
    get,

    /** What the weight verdict counts and allows, read on each call: the owner may change it. */
    weightRules: (): WeightRules => weightRulesOf(find()),

    update(changes: ShopChanges): ShopView {
      get();
      const name = changes.name?.trim();
      if (name === '') fail('VALIDATION_FAILED', 'The shop name cannot be empty.');
      identity.updateShop({
        name,
        timezone: changes.timezone === undefined ? undefined : requireTimeZone(changes.timezone),
        report_language: changes.reportLanguage,
        packaging_weight_grams: changes.packagingWeightGrams,
        weight_tolerance_percent: changes.weightTolerancePercent,
      });
      return get();
    },
  };
}

export type ShopService = ReturnType<typeof createShopService>;
