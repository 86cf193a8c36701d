// The shop's settings: its name, the time zone every time is shown in, and the language its reports
// are written in when an export names none.
import type { IdentityRepository } from '../../storage/identity.repository';
import { defaultLanguage, languages, type Language } from '../domain/vocabulary';
import { fail } from '../errors';
import { requireTimeZone } from './time';

export interface ShopView {
  name: string;
  timezone: string;
  reportLanguage: Language;
}

export interface ShopChanges {
  name?: string;
  timezone?: string;
  reportLanguage?: Language;
}

const isLanguage = (code: string): code is Language => (languages as readonly string[]).includes(code);

export function createShopService({ identity }: { identity: Pick<IdentityRepository, 'getShop' | 'updateShop'> }) {
  /** Undefined before the first-run setup. */
  function find(): ShopView | undefined {
    const row = identity.getShop();
    if (!row) return undefined;
    return { name: row.name, timezone: row.timezone, reportLanguage: isLanguage(row.report_language) ? row.report_language : defaultLanguage };
  }

  const get = (): ShopView => find() ?? fail('NOT_FOUND', 'The shop is not set up yet.');

  return {
    find,
    get,

    update(changes: ShopChanges): ShopView {
      get();
      const name = changes.name?.trim();
      if (name === '') fail('VALIDATION_FAILED', 'The shop name cannot be empty.');
      identity.updateShop({
        name,
        timezone: changes.timezone === undefined ? undefined : requireTimeZone(changes.timezone),
        report_language: changes.reportLanguage,
      });
      return get();
    },
  };
}

export type ShopService = ReturnType<typeof createShopService>;
