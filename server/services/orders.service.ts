// Orders: upsert from the shop's systems, the capture timeline, and search for the dashboard.
import type { Db } from '../../storage/database';
import type { OrderRow, OrdersRepository } from '../../storage/orders.repository';
import { fail } from '../errors';
import { toUtc } from './time';
import { expectedWeightGrams as expectedWeightOf } from './weights';

export interface OrderInput {
  channel?: string;
  buyer?: { ref?: string; name?: string; flagged?: boolean; flagReason?: string };
  items?: { sku?: string; name: string; quantity: number; unitWeightGrams?: number; unitValue?: number }[];
  carrier?: string;
  trackingNumbers?: string[];
  deliveryNote?: string;
  declaredValue?: { amount: number; currency: string };
  shippedAt?: string;
  deliveredAt?: string;
}

export interface OrderSummary {
  orderId: string;
  channel?: string;
  buyer?: { ref?: string; name?: string; flagged: boolean; flagReason?: string };
  items: { sku?: string; name: string; quantity: number; unitWeightGrams?: number; unitValue?: number }[];
  carrier?: string;
  trackingNumbers: string[];
  deliveryNote?: string;
  declaredValue?: { amount: number; currency: string };
  shippedAt?: string;
  deliveredAt?: string;
  expectedWeightGrams?: number;
  createdAt: string;
  updatedAt: string;
}

const PAGE_SIZE = 50;

/** Drops absent optional fields so JSON shows only what is known. */
function compact<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as never;
}

/**
 * Where a page of search results starts. A search lists exact matches (an order ID, tracking number or
 * buyer ref equal to the term) first, then fragment matches, each newest first; a cursor names the
 * tier and the last order id shown. A fragment-tier cursor is the plain id, as cursors always were.
 */
interface Cursor {
  exact: boolean;
  before: number;
}

const EXACT_PREFIX = 'x';

export function encodeCursor(id: number, exact = false): string {
  return Buffer.from(`${exact ? EXACT_PREFIX : ''}${id}`).toString('base64url');
}

function decodeCursor(cursor: string | undefined): Cursor {
  if (cursor === undefined) return { exact: true, before: Number.MAX_SAFE_INTEGER };
  const text = Buffer.from(cursor, 'base64url').toString();
  const exact = text.startsWith(EXACT_PREFIX);
  const id = Number(exact ? text.slice(EXACT_PREFIX.length) : text);
  if (!/^x?[1-9][0-9]*$/.test(text) || !Number.isSafeInteger(id)) {
    fail('VALIDATION_FAILED', 'The cursor is not one this server gave out.');
  }
  return { exact, before: id };
}

export function createOrdersService({ db, orders, clock }: { db: Db; orders: OrdersRepository; clock: () => Date }) {
  const itemsOf = (orderRowId: number) =>
    orders.items(orderRowId).map((item) =>
      compact({
        sku: item.sku,
        name: item.name,
        quantity: item.quantity,
        unitWeightGrams: item.unit_weight_grams,
        unitValue: item.unit_value,
      }),
    );

  function summarize(row: OrderRow): OrderSummary {
    const items = itemsOf(row.id);
    const flag = row.buyer_ref ? orders.buyerFlag(row.buyer_ref) : undefined;
    const buyer =
      row.buyer_ref || row.buyer_name
        ? compact({ ref: row.buyer_ref, name: row.buyer_name, flagged: Boolean(flag), flagReason: flag?.reason })
        : undefined;
    const expectedWeightGrams = expectedWeightOf(items);
    return compact({
      orderId: row.external_id,
      channel: row.channel,
      buyer,
      items,
      carrier: row.carrier,
      trackingNumbers: orders.trackingNumbers(row.id),
      deliveryNote: row.delivery_note,
      declaredValue:
        row.declared_amount !== null && row.declared_currency
          ? { amount: row.declared_amount, currency: row.declared_currency }
          : undefined,
      shippedAt: row.shipped_at,
      deliveredAt: row.delivered_at,
      expectedWeightGrams,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    });
  }

  function insertBare(externalId: string, now: string): number {
    return orders.insert({
      external_id: externalId,
      channel: null,
      buyer_ref: null,
      buyer_name: null,
      carrier: null,
      delivery_note: null,
      declared_amount: null,
      declared_currency: null,
      shipped_at: null,
      delivered_at: null,
      created_at: now,
      updated_at: now,
    });
  }

  return {
    summarize,

    /** What the order's items should weigh together, when every item has a unit weight. */
    expectedWeightGrams: (orderRowId: number) => expectedWeightOf(itemsOf(orderRowId)),

    getRow: (externalId: string) => orders.getByExternalId(externalId),

    requireRow(externalId: string): OrderRow {
      return orders.getByExternalId(externalId) ?? fail('NOT_FOUND', `No order "${externalId}".`);
    },

    /** The capture flow creates unknown orders on first scan: the packer must never be blocked. */
    ensure(externalId: string): OrderRow {
      const existing = orders.getByExternalId(externalId);
      if (existing) return existing;
      return orders.getById(insertBare(externalId, clock().toISOString()))!;
    },

    /** Fields present in `input` replace what is stored; absent fields are left alone. */
    upsert(externalId: string, input: OrderInput): { created: boolean; order: OrderSummary } {
      return db.transaction(() => {
        const now = clock().toISOString();
        const existing = orders.getByExternalId(externalId);
        const id = existing?.id ?? insertBare(externalId, now);
        const current = existing ?? orders.getById(id)!;
        const has = (key: keyof OrderInput) => input[key] !== undefined;
        orders.update(
          id,
          {
            channel: has('channel') ? input.channel! : current.channel,
            buyer_ref: input.buyer && 'ref' in input.buyer ? (input.buyer.ref ?? null) : current.buyer_ref,
            buyer_name: input.buyer && 'name' in input.buyer ? (input.buyer.name ?? null) : current.buyer_name,
            carrier: has('carrier') ? input.carrier! : current.carrier,
            delivery_note: has('deliveryNote') ? input.deliveryNote! : current.delivery_note,
            declared_amount: has('declaredValue') ? input.declaredValue!.amount : current.declared_amount,
            declared_currency: has('declaredValue') ? input.declaredValue!.currency : current.declared_currency,
            shipped_at: has('shippedAt') ? toUtc(input.shippedAt!, 'shippedAt') : current.shipped_at,
            delivered_at: has('deliveredAt') ? toUtc(input.deliveredAt!, 'deliveredAt') : current.delivered_at,
          },
          now,
        );
        if (input.items) {
          orders.replaceItems(
            id,
            input.items.map((item) => ({
              sku: item.sku ?? null,
              name: item.name,
              quantity: item.quantity,
              unit_weight_grams: item.unitWeightGrams ?? null,
              unit_value: item.unitValue ?? null,
            })),
          );
        }
        if (input.trackingNumbers) orders.replaceTrackingNumbers(id, [...new Set(input.trackingNumbers)]);
        const buyerRef = input.buyer?.ref ?? current.buyer_ref;
        if (input.buyer?.flagged !== undefined) {
          if (!buyerRef) fail('VALIDATION_FAILED', 'A buyer can be flagged only with a buyer ref, so the flag follows them to their next order.');
          if (input.buyer.flagged) orders.setBuyerFlag({ buyer_ref: buyerRef, reason: input.buyer.flagReason ?? null, flagged_at: now });
          else orders.clearBuyerFlag(buyerRef);
        }
        return { created: !existing, order: summarize(orders.getById(id)!) };
      })();
    },

    addTrackingNumber: (orderRowId: number, number: string) => orders.addTrackingNumber(orderRowId, number),

    /**
     * Search as the seller types: exact matches through their indexes first, then fragments through
     * the trigram index (see fragmentQuery in the repository), newest first within each.
     */
    search(q: string | undefined, cursor: string | undefined, limit = PAGE_SIZE) {
      const term = q?.trim() || undefined;
      const at = decodeCursor(cursor);
      const page = (rows: OrderRow[], next: string | null) => ({ items: rows.map(summarize), nextCursor: next });
      if (term === undefined) {
        const rows = orders.recent(at.before, limit + 1);
        return page(rows.slice(0, limit), rows.length > limit ? encodeCursor(rows[limit - 1].id) : null);
      }
      let exact: OrderRow[] = [];
      if (at.exact) {
        exact = orders.exactMatches(term, at.before, limit + 1);
        if (exact.length > limit) return page(exact.slice(0, limit), encodeCursor(exact[limit - 1].id, true));
      }
      const fragmentsBefore = at.exact ? Number.MAX_SAFE_INTEGER : at.before;
      // One more than fits tells whether another page follows.
      const fragments = orders.fragmentMatches(term, fragmentsBefore, limit - exact.length + 1);
      const rows = [...exact, ...fragments].slice(0, limit);
      if (exact.length + fragments.length <= limit) return page(rows, null);
      // A page that ends on its last exact match continues with the first fragment match.
      const last = rows[rows.length - 1];
      return page(rows, encodeCursor(fragments.includes(last) ? last.id : Number.MAX_SAFE_INTEGER));
    },
  };
}

export type OrdersService = ReturnType<typeof createOrdersService>;
