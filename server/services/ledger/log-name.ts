// The evidence log's name: the origin line of every checkpoint and the name of its signing key. It is
// chosen once, when the shop is set up, and kept for ever (ledger.service.ts), so it must say whose
// log this is without depending on where the server happened to run that day.
import { isLoopbackHost } from '../../config';

const LONGEST_SLUG = 48;

/** "Acme Store!" → "acme-store"; letters of any script stay (a Korean shop keeps its name). */
export function shopSlug(shopName: string): string {
  const words = shopName.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const slug = Array.from(words.join('-')).slice(0, LONGEST_SLUG).join('').replace(/-+$/, '');
  return slug || 'shop';
}

/**
 * The name a new log takes: PUBLIC_URL's host when it names a real one (a domain is the most
 * recognisable name a shop has), otherwise the shop's name; undefined while neither is known (before
 * setup). Either way "/packtrail" follows, the form of checkpoint origins (c2sp.org/tlog-checkpoint).
 */
export function proposeLogName({ shopName, publicUrl }: { shopName?: string; publicUrl?: string }): string | undefined {
  if (publicUrl) {
    const url = new URL(publicUrl);
    if (!isLoopbackHost(url.hostname)) return `${url.host}/packtrail`;
  }
  if (shopName && shopName.trim() !== '') return `${shopSlug(shopName)}/packtrail`;
  return undefined;
}
