// A buyer ref that is an e-mail address, kept as a keyed pseudonym instead, wherever it comes from (an
// import, PUT /orders, a flag). Shopify's and Amazon's order
// exports name the buyer only by address, and a flag needs something that stays the same from one order
// to the next; the address itself is personal data the evidence never needs. The same address (in any
// case) always gives the same pseudonym, so a flag follows the buyer and a search for the address still
// finds their orders; without the key (kept in the database) no one can tell which address it was.
import { createHmac } from 'node:crypto';

// An address anywhere in the ref: "jane@example.com", "Jane <jane@example.com>", "mailto:jane@example.com".
const ADDRESS = /[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+\.[^\s@<>"'(),;:]+/;

/** `email-` and 16 hex digits for a ref holding an address (the address alone counts); any other ref as it is. */
export function buyerRefPseudonymizer(key: Buffer): (ref: string) => string {
  return (ref) => {
    const address = ADDRESS.exec(ref)?.[0];
    return address === undefined ? ref : `email-${createHmac('sha256', key).update(address.toLowerCase()).digest('hex').slice(0, 16)}`;
  };
}
