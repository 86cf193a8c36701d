// Buyer refs kept as keyed pseudonyms where the marketplace's own would not do, wherever they come from
// (an import, PUT /orders, a flag):
// - An e-mail address (Shopify's and Amazon's exports name the buyer only by address): a flag needs
//   something that stays the same from one order to the next, and the address itself is personal data
//   the evidence never needs. The same address (in any case) always gives the same pseudonym, so a flag
//   follows the buyer and a search for the whole address still finds their orders.
// - A masked name (Coupang's 구매자 is "최*연"): many buyers share one, so a flag on it alerted on
//   strangers. With the buyer's name beside it, the pair is the buyer; kept as its keyed hash, so the
//   name is not kept in the ref when the purge removes it from the order.
// Without the key (kept in the database) no one can tell which address or name a pseudonym stands for.
import { createHmac } from 'node:crypto';

// An address anywhere in the ref: "jane@example.com", "Jane <jane@example.com>", "mailto:jane@example.com".
const ADDRESS = /[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+\.[^\s@<>"'(),;:]+/;
// Marketplaces mask with asterisks ("최*연", "ab***"); no buyer ID of theirs has one.
const MASKED = /\*/;

/**
 * `email-` and 16 hex digits for a ref holding an address (the address alone counts); `masked-` and 16
 * hex digits for a masked ref with the buyer's name; any other ref as it is.
 */
export function buyerRefPseudonymizer(key: Buffer): (ref: string, buyerName?: string) => string {
  const keyed = (prefix: string, text: string) => `${prefix}-${createHmac('sha256', key).update(text).digest('hex').slice(0, 16)}`;
  return (ref, buyerName) => {
    const address = ADDRESS.exec(ref)?.[0];
    if (address !== undefined) return keyed('email', address.toLowerCase());
    if (MASKED.test(ref) && buyerName?.trim()) return keyed('masked', `${ref.trim()}\n${buyerName.trim()}`);
    return ref;
  };
}
