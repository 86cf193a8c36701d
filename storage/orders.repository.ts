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

/** LIKE treats % and _ as wildcards; a search for "A_1" must match only that text. */
function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

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
    search: db.prepare(
      `SELECT o.* FROM orders o
       WHERE o.id < @before
         AND (@q IS NULL
              OR o.external_id LIKE @pattern ESCAPE '\\'
              OR o.buyer_ref LIKE @pattern ESCAPE '\\'
              OR o.buyer_name LIKE @pattern ESCAPE '\\'
              OR EXISTS (SELECT 1 FROM order_tracking_numbers t
                         WHERE t.order_id = o.id AND t.tracking_number LIKE @pattern ESCAPE '\\'))
       ORDER BY o.id DESC
       LIMIT @limit`,
    ),
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
    /** Newest first; `before` is the last id of the previous page. */
    search: (q: string | undefined, before: number, limit: number) =>
      statements.search.all({
        q: q ?? null,
        pattern: q === undefined ? null : likeContains(q),
        before,
        limit,
      }) as OrderRow[],
  };
}

export type OrdersRepository = ReturnType<typeof createOrdersRepository>;
