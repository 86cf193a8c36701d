// SQL for orders, their items, tracking numbers and flagged buyers.
import type { Db } from './database';

export interface OrderRow {
  id: number;
  external_id: string;
  channel: string | null;
  buyer_ref: string | null;
  buyer_name: string | null;
  carrier: string | null;
  delivery_note: string | null;
  declared_amount: number | null;
  declared_currency: string | null;
  shipped_at: string | null;
  delivered_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface OrderItemRow {
  order_id: number;
  position: number;
  sku: string | null;
  name: string;
  quantity: number;
  unit_weight_grams: number | null;
  unit_value: number | null;
}

export interface BuyerFlagRow {
  buyer_ref: string;
  reason: string | null;
  flagged_at: string;
}

export type OrderFields = Omit<OrderRow, 'id' | 'external_id' | 'created_at' | 'updated_at'>;

/**
 * The FTS5 query for a fragment (migration 007 keeps `order_search` as trigrams of each value padded
 * with a space on either side). Quoted, the term is one phrase of literal text: `%`, `_`, `*` and FTS
 * operators mean nothing. Three characters or more match anywhere; two characters (a Hangul given
 * name such as "민준", too short for a trigram) match a word that starts or ends with them; one
 * character is no fragment worth searching for and gets none.
 */
export function fragmentQuery(term: string): string | undefined {
  const length = [...term].length;
  const phrase = (text: string) => `"${text.replace(/"/g, '""')}"`;
  if (length >= 3) return phrase(term);
  if (length === 2) return `${phrase(`${term} `)} OR ${phrase(` ${term}`)}`;
  return undefined;
}

/** The search's statements, named so the benchmark can print their query plans. */
export const orderSearchSql = {
  recent: 'SELECT * FROM orders WHERE id < ? ORDER BY id DESC LIMIT ?',
  // Each branch is one index lookup (external_id UNIQUE, order_tracking_numbers_number, orders_buyer_ref).
  exactMatches: `SELECT * FROM orders
     WHERE id IN (SELECT id FROM orders WHERE external_id = @term
                  UNION SELECT order_id FROM order_tracking_numbers WHERE tracking_number = @term
                  UNION SELECT id FROM orders WHERE buyer_ref = @term)
       AND id < @before
     ORDER BY id DESC
     LIMIT @limit`,
  // The FTS index hands out ids newest first and stops at the limit; exact matches, listed before
  // these, are left out here so no order shows twice.
  fragmentMatches: `SELECT o.* FROM order_search s JOIN orders o ON o.id = s.rowid
     WHERE order_search MATCH @match AND s.rowid < @before
       AND o.external_id <> @term AND o.buyer_ref IS NOT @term
       AND NOT EXISTS (SELECT 1 FROM order_tracking_numbers t WHERE t.order_id = o.id AND t.tracking_number = @term)
     ORDER BY s.rowid DESC
     LIMIT @limit`,
};

export function createOrdersRepository(db: Db) {
  const statements = {
    getByExternalId: db.prepare('SELECT * FROM orders WHERE external_id = ?'),
    getById: db.prepare('SELECT * FROM orders WHERE id = ?'),
    insert: db.prepare(
      `INSERT INTO orders (external_id, channel, buyer_ref, buyer_name, carrier, delivery_note, declared_amount,
                           declared_currency, shipped_at, delivered_at, created_at, updated_at)
       VALUES (@external_id, @channel, @buyer_ref, @buyer_name, @carrier, @delivery_note, @declared_amount,
               @declared_currency, @shipped_at, @delivered_at, @created_at, @updated_at)`,
    ),
    update: db.prepare(
      `UPDATE orders SET channel = @channel, buyer_ref = @buyer_ref, buyer_name = @buyer_name, carrier = @carrier,
              delivery_note = @delivery_note, declared_amount = @declared_amount, declared_currency = @declared_currency,
              shipped_at = @shipped_at, delivered_at = @delivered_at, updated_at = @updated_at
       WHERE id = @id`,
    ),
    items: db.prepare('SELECT * FROM order_items WHERE order_id = ? ORDER BY position'),
    deleteItems: db.prepare('DELETE FROM order_items WHERE order_id = ?'),
    insertItem: db.prepare(
      `INSERT INTO order_items (order_id, position, sku, name, quantity, unit_weight_grams, unit_value)
       VALUES (@order_id, @position, @sku, @name, @quantity, @unit_weight_grams, @unit_value)`,
    ),
    trackingNumbers: db.prepare(
      'SELECT tracking_number FROM order_tracking_numbers WHERE order_id = ? ORDER BY rowid',
    ).pluck(),
    deleteTrackingNumbers: db.prepare('DELETE FROM order_tracking_numbers WHERE order_id = ?'),
    addTrackingNumber: db.prepare(
      'INSERT OR IGNORE INTO order_tracking_numbers (order_id, tracking_number) VALUES (?, ?)',
    ),
    buyerFlag: db.prepare('SELECT * FROM buyer_flags WHERE buyer_ref = ?'),
    setBuyerFlag: db.prepare(
      `INSERT INTO buyer_flags (buyer_ref, reason, flagged_at) VALUES (@buyer_ref, @reason, @flagged_at)
       ON CONFLICT (buyer_ref) DO UPDATE SET reason = excluded.reason, flagged_at = excluded.flagged_at`,
    ),
    clearBuyerFlag: db.prepare('DELETE FROM buyer_flags WHERE buyer_ref = ?'),
    recent: db.prepare(orderSearchSql.recent),
    exactMatches: db.prepare(orderSearchSql.exactMatches),
    fragmentMatches: db.prepare(orderSearchSql.fragmentMatches),
  };

  return {
    getByExternalId: (externalId: string) => statements.getByExternalId.get(externalId) as OrderRow | undefined,
    getById: (id: number) => statements.getById.get(id) as OrderRow | undefined,
    insert: (row: Omit<OrderRow, 'id'>) => Number(statements.insert.run(row).lastInsertRowid),
    update: (id: number, fields: OrderFields, updatedAt: string) =>
      statements.update.run({ ...fields, id, updated_at: updatedAt }),
    items: (orderId: number) => statements.items.all(orderId) as OrderItemRow[],
    replaceItems(orderId: number, items: Omit<OrderItemRow, 'order_id' | 'position'>[]) {
      statements.deleteItems.run(orderId);
      items.forEach((item, position) => statements.insertItem.run({ ...item, order_id: orderId, position }));
    },
    trackingNumbers: (orderId: number) => statements.trackingNumbers.all(orderId) as string[],
    replaceTrackingNumbers(orderId: number, numbers: string[]) {
      statements.deleteTrackingNumbers.run(orderId);
      for (const number of numbers) statements.addTrackingNumber.run(orderId, number);
    },
    addTrackingNumber: (orderId: number, number: string) => statements.addTrackingNumber.run(orderId, number),
    buyerFlag: (buyerRef: string) => statements.buyerFlag.get(buyerRef) as BuyerFlagRow | undefined,
    setBuyerFlag: (row: BuyerFlagRow) => statements.setBuyerFlag.run(row),
    clearBuyerFlag: (buyerRef: string) => statements.clearBuyerFlag.run(buyerRef),
    /** Newest first; `before` is an order id the page starts below. */
    recent: (before: number, limit: number) => statements.recent.all(before, limit) as OrderRow[],
    /** Orders whose ID, a tracking number or buyer ref is exactly `term`, newest first. */
    exactMatches: (term: string, before: number, limit: number) =>
      statements.exactMatches.all({ term, before, limit }) as OrderRow[],
    /** Orders holding `term` as a fragment (see fragmentQuery) but not an exact match, newest first. */
    fragmentMatches(term: string, before: number, limit: number): OrderRow[] {
      const match = fragmentQuery(term);
      if (match === undefined) return [];
      return statements.fragmentMatches.all({ match, term, before, limit }) as OrderRow[];
    },
  };
}

export type OrdersRepository = ReturnType<typeof createOrdersRepository>;
