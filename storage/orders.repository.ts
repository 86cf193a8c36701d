// SQL for orders, their items, tracking numbers and flagged buyers.
import type { Statement } from 'better-sqlite3';
import type { CaptureKind } from '../server/domain/vocabulary';
import type { Db } from './database';
import { shippedGramsSql, weightOffSql } from './weight-rule';

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
  /** NULL: the shop's default packaging weight applies (015). */
  packaging_weight_grams: number | null;
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

/** An item with what the SKU catalogue (019) knows of its SKU, as the weight rule reads it. */
export interface CataloguedItemRow extends OrderItemRow {
  catalogue_weight_grams: number | null;
  box_size: string | null;
  box_packaging_grams: number | null;
}

export interface BuyerFlagRow {
  buyer_ref: string;
  reason: string | null;
  flagged_at: string;
}

export type OrderFields = Omit<OrderRow, 'id' | 'external_id' | 'created_at' | 'updated_at'>;

/** What a search looks for: the text typed, and the buyer ref it stands for (services/buyer-ref.ts). */
export interface SearchTerm {
  term: string;
  buyerRef: string;
}

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

/**
 * What narrows a search besides the term. The capture conditions hold for one and the same capture
 * (packing at station 2 last week, with a weight off); times are UTC ISO strings, `to` exclusive.
 */
export interface OrderFilters {
  kind?: CaptureKind;
  station?: string;
  from?: string;
  to?: string;
  /** Only captures the weight verdict calls light or heavy (storage/weight-rule.ts). */
  weightWarnings?: boolean;
  hasDispute?: boolean;
}

/**
 * The shop's side of the weight verdict (server/services/weights.ts), given with each search, since a
 * search worker reads no settings: the tolerance as a fraction and the default packaging in grams.
 */
export interface FilterParams {
  filters: OrderFilters;
  tolerance: number;
  packaging: number;
}

/** The conditions on one capture (alias `capture`) that the filters ask for, joined with AND; '' for none. */
export function captureConditions(filters: OrderFilters, capture = 'c'): string {
  return [
    filters.kind !== undefined ? `${capture}.kind = @kind` : '',
    filters.station !== undefined ? `${capture}.station = @station` : '',
    filters.from !== undefined ? `${capture}.started_at >= @from` : '',
    filters.to !== undefined ? `${capture}.started_at < @to` : '',
    filters.weightWarnings ? `${capture}.weight_grams IS NOT NULL AND ${weightOffSql(capture)}` : '',
  ]
    .filter(Boolean)
    .join(' AND ');
}

/** The filters as conditions on an order (alias `o`), each a probe through an index on order_id; '' for none. */
export function orderConditions(filters: OrderFilters): string {
  const onCapture = captureConditions(filters);
  return [
    onCapture ? `EXISTS (SELECT 1 FROM captures c WHERE c.order_id = o.id AND ${onCapture})` : '',
    filters.hasDispute ? 'EXISTS (SELECT 1 FROM disputes d WHERE d.order_id = o.id)' : '',
  ]
    .filter(Boolean)
    .map((condition) => `AND ${condition}`)
    .join(' ');
}

const filterValues = ({ filters, tolerance, packaging }: FilterParams) => ({
  ...(filters.kind !== undefined ? { kind: filters.kind } : {}),
  ...(filters.station !== undefined ? { station: filters.station } : {}),
  ...(filters.from !== undefined ? { from: filters.from } : {}),
  ...(filters.to !== undefined ? { to: filters.to } : {}),
  ...(filters.weightWarnings ? { tolerance, packaging } : {}),
});

/** The search's statements, named so the benchmark can print their query plans. */
export const orderSearchSql = {
  recent: (filters: OrderFilters = {}) => `SELECT o.* FROM orders o WHERE o.id < @before ${orderConditions(filters)} ORDER BY o.id DESC LIMIT @limit`,
  // The same page, starting from the captures in the date range (captures_started_station) instead of
  // walking orders newest first: for a narrow range long ago the walk passes nearly every order before
  // the first match (30 ms at 100,000 orders); this reads the range only, then sorts what it found.
  // The repository picks it when it is the cheaper of the two (see startsFromRange).
  recentInRange: (filters: OrderFilters) => `SELECT o.* FROM (SELECT DISTINCT c.order_id AS id FROM captures c WHERE ${captureConditions(filters)}) m
     CROSS JOIN orders o ON o.id = m.id
     WHERE o.id < @before ${orderConditions({ hasDispute: filters.hasDispute })}
     ORDER BY o.id DESC LIMIT @limit`,
  /** Captures started in [@from, @to) (either end may be open), counted up to @cap through captures_started_station. */
  capturesBetween: (filters: OrderFilters) =>
    `SELECT count(*) FROM (SELECT 1 FROM captures c WHERE ${captureConditions({ from: filters.from, to: filters.to })} LIMIT @cap)`,
  // Each branch is one index lookup (external_id UNIQUE, order_tracking_numbers_number, orders_buyer_ref).
  exactMatches: (filters: OrderFilters = {}) => `SELECT o.* FROM orders o
     WHERE o.id IN (SELECT id FROM orders WHERE external_id = @term
                  UNION SELECT order_id FROM order_tracking_numbers WHERE tracking_number = @term
                  UNION SELECT id FROM orders WHERE buyer_ref IN (@term, @buyerRef))
       AND o.id < @before ${orderConditions(filters)}
     ORDER BY o.id DESC
     LIMIT @limit`,
  // The FTS index hands out ids newest first and stops at the limit; exact matches, listed before
  // these, are left out here so no order shows twice.
  fragmentMatches: (filters: OrderFilters = {}) => `SELECT o.* FROM order_search s JOIN orders o ON o.id = s.rowid
     WHERE order_search MATCH @match AND s.rowid < @before
       AND o.external_id <> @term AND o.buyer_ref IS NOT @term AND o.buyer_ref IS NOT @buyerRef
       AND NOT EXISTS (SELECT 1 FROM order_tracking_numbers t WHERE t.order_id = o.id AND t.tracking_number = @term)
       ${orderConditions(filters)}
     ORDER BY s.rowid DESC
     LIMIT @limit`,
  // For a page of results at once: each order's latest capture among those the filters ask for, a
  // picture of it (a ready photo first, else a video's poster) and whether the order has a dispute.
  resultDetails: (filters: OrderFilters = {}) => {
    const onCapture = captureConditions(filters, 'l');
    return `SELECT page.value AS order_id, c.id AS capture_id, c.kind, c.station, c.started_at, c.weight_grams,
       c.weight_basis_expected_grams, c.weight_basis_packaging_grams, c.weight_basis_tolerance_percent,
       CASE WHEN c.kind = 'unboxing' THEN ${shippedGramsSql('c')} END AS shipped_grams,
       (SELECT m.id FROM media m
         WHERE m.capture_id = c.id AND m.type IN ('photo', 'video') AND m.processing_status <> 'failed' AND m.removed_at IS NULL
         ORDER BY m.processing_status = 'ready' DESC, m.type = 'photo' DESC, m.received_at, m.rowid LIMIT 1) AS thumbnail_media_id,
       EXISTS (SELECT 1 FROM disputes d WHERE d.order_id = page.value) AS has_dispute
     FROM json_each(@ids) page
     LEFT JOIN captures c ON c.id = (SELECT l.id FROM captures l WHERE l.order_id = page.value ${onCapture ? `AND ${onCapture}` : ''}
                                      ORDER BY l.started_at DESC, l.rowid DESC LIMIT 1)`;
  },
};

export interface ResultDetailsRow {
  order_id: number;
  capture_id: string | null;
  kind: CaptureKind | null;
  station: string | null;
  started_at: string | null;
  weight_grams: number | null;
  /** For a weighed return: what its order weighed when packed (weights.ts shippedWeightGrams). */
  shipped_grams: number | null;
  /** What the capture was held against when it finished (migration 020); NULL tolerance: none recorded. */
  weight_basis_expected_grams: number | null;
  weight_basis_packaging_grams: number | null;
  weight_basis_tolerance_percent: number | null;
  thumbnail_media_id: string | null;
  has_dispute: 0 | 1;
}

const NO_FILTERS: FilterParams = { filters: {}, tolerance: 0, packaging: 0 };

/**
 * The key a tracking number is looked up by (migration 015's order_tracking_numbers_key, the same
 * expression): spaces and hyphens dropped, ASCII letters in upper case. SQLite's upper() changes only
 * ASCII letters, so this does too.
 */
export function trackingKey(trackingNumber: string): string {
  return trackingNumber.replace(/[ -]/g, '').replace(/[a-z]/g, (letter) => letter.toUpperCase());
}
const TRACKING_KEY_SQL = "upper(replace(replace(t.tracking_number, ' ', ''), '-', ''))";

/** A date range holding this many captures or more is never read from the captures' side. */
const NARROW_RANGE = 5000;
/**
 * Reading a capture of the range (recentInRange) costs about ten times what the newest-first walk
 * spends per capture it passes (1.1 µs against 0.1 µs, measured at 100,000 orders; BENCHMARKS.md).
 */
const RANGE_READ_COST = 10;

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
              shipped_at = @shipped_at, delivered_at = @delivered_at, packaging_weight_grams = @packaging_weight_grams,
              updated_at = @updated_at
       WHERE id = @id`,
    ),
    // The catalogue is joined as the order is read (weights.ts CataloguedItem): a fixed SKU weight
    // fixes every order naming it; storage/weight-rule.ts joins the same way in SQL.
    items: db.prepare(
      `SELECT i.*, k.unit_weight_grams AS catalogue_weight_grams, k.box_size, b.packaging_weight_grams AS box_packaging_grams
       FROM order_items i LEFT JOIN skus k ON k.sku = i.sku LEFT JOIN box_sizes b ON b.code = k.box_size
       WHERE i.order_id = ? ORDER BY i.position`,
    ),
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
    buyerRefKey: db.prepare("SELECT value FROM secrets WHERE name = 'buyer-ref-pseudonyms'").pluck(),
    setBuyerFlag: db.prepare(
      `INSERT INTO buyer_flags (buyer_ref, reason, flagged_at) VALUES (@buyer_ref, @reason, @flagged_at)
       ON CONFLICT (buyer_ref) DO UPDATE SET reason = excluded.reason, flagged_at = excluded.flagged_at`,
    ),
    clearBuyerFlag: db.prepare('DELETE FROM buyer_flags WHERE buyer_ref = ?'),
    refsWithAt: db.prepare("SELECT buyer_ref FROM orders WHERE buyer_ref LIKE '%@%' UNION SELECT buyer_ref FROM buyer_flags WHERE buyer_ref LIKE '%@%'").pluck(),
    renameRefOnOrders: db.prepare('UPDATE orders SET buyer_ref = @to WHERE buyer_ref = @from'),
    // A flag filed under both the old and the new ref keeps the newer one.
    renameRefOnFlags: db.prepare(
      `INSERT INTO buyer_flags (buyer_ref, reason, flagged_at) SELECT @to, reason, flagged_at FROM buyer_flags WHERE buyer_ref = @from
       ON CONFLICT (buyer_ref) DO UPDATE SET reason = excluded.reason, flagged_at = excluded.flagged_at WHERE excluded.flagged_at > buyer_flags.flagged_at`,
    ),
    // Through order_tracking_numbers_key (015). A number can come back on another order (couriers reuse
    // them, a marketplace re-sends one, two spellings of one number): every order holding it, newest first,
    // so nobody but the packer decides which one the parcel on the table is for. DISTINCT: an order may
    // hold the number twice, spelled two ways.
    getByTrackingKey: db.prepare(
      `SELECT DISTINCT o.* FROM order_tracking_numbers t JOIN orders o ON o.id = t.order_id
       WHERE ${TRACKING_KEY_SQL} = ? ORDER BY o.id DESC LIMIT ?`,
    ),
    // The search index follows through migration 007's update trigger: the order's entry is rewritten without the name.
    purgeBuyerDetails: db.prepare(
      `UPDATE orders SET buyer_name = NULL, delivery_note = NULL, updated_at = @now
       WHERE created_at < @before AND (buyer_name IS NOT NULL OR delivery_note IS NOT NULL)`,
    ),
    optimizeSearch: db.prepare("INSERT INTO order_search (order_search) VALUES ('optimize')"),
    shippedWeight: db.prepare(`SELECT ${shippedGramsSql('u')} FROM (SELECT @order_id AS order_id, @started_at AS started_at) u`).pluck(),
  };
  // One prepared statement per search shape (which filters are set), made on first use.
  const searchStatements = new Map<string, Statement>();
  const searchStatement = (name: keyof typeof orderSearchSql, filters: OrderFilters): Statement => {
    const sql = orderSearchSql[name](filters);
    let statement = searchStatements.get(sql);
    if (!statement) searchStatements.set(sql, (statement = db.prepare(sql)));
    return statement;
  };

  const capturesBetween = (from: string | undefined, to: string | undefined, cap: number) =>
    searchStatement('capturesBetween', { from, to }).pluck().get({ cap, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) }) as number;
  /**
   * Whether a page with no term is cheaper read from the captures in its date range than by walking
   * orders newest first: yes when the range is narrow and the walk would first pass many more newer
   * captures. Two counts through captures_started_station, each stopped at its bound, decide it. A
   * range open towards now never does: its newest orders match at once.
   */
  function startsFromRange({ from, to }: OrderFilters): boolean {
    if (to === undefined) return false;
    const inRange = capturesBetween(from, to, NARROW_RANGE);
    if (inRange >= NARROW_RANGE) return false;
    const walkBound = RANGE_READ_COST * inRange;
    return capturesBetween(to, undefined, walkBound + 1) > walkBound;
  }

  /**
   * Runs `change` (answering how many rows it changed) with secure_delete on, then merges the search
   * index when anything changed (its deleted entries' old segments go too): what buyer details it
   * overwrote are left neither in free pages nor in the index's b-tree.
   */
  function forgettingForGood(change: () => number): number {
    const secure = db.pragma('secure_delete', { simple: true }) as number;
    db.pragma('secure_delete = ON');
    try {
      const changed = change();
      if (changed > 0) statements.optimizeSearch.run();
      return changed;
    } finally {
      db.pragma(`secure_delete = ${secure}`);
    }
  }

  return {
    getByExternalId: (externalId: string) => statements.getByExternalId.get(externalId) as OrderRow | undefined,
    getById: (id: number) => statements.getById.get(id) as OrderRow | undefined,
    insert: (row: Omit<OrderRow, 'id'>) => Number(statements.insert.run(row).lastInsertRowid),
    update: (id: number, fields: OrderFields, updatedAt: string) =>
      statements.update.run({ ...fields, id, updated_at: updatedAt }),
    items: (orderId: number) => statements.items.all(orderId) as CataloguedItemRow[],
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
    /** The key of the buyer-ref pseudonyms (services/buyer-ref.ts), made by migration 023. */
    buyerRefKey: () => statements.buyerRefKey.get() as Buffer,
    setBuyerFlag: (row: BuyerFlagRow) => statements.setBuyerFlag.run(row),
    clearBuyerFlag: (buyerRef: string) => statements.clearBuyerFlag.run(buyerRef),
    /** Buyer refs of orders and flags that hold an @ (candidates for the e-mail pseudonym). */
    refsWithAt: () => statements.refsWithAt.all() as string[],
    /**
     * Files orders' buyer refs and their flags under other refs, in one IMMEDIATE transaction (it reads
     * before it writes), forgetting the old refs for good as the purge does.
     */
    renameBuyerRefs(renames: { from: string; to: string }[]) {
      forgettingForGood(() => {
        db.transaction(() => {
          for (const rename of renames) {
            statements.renameRefOnOrders.run(rename);
            statements.renameRefOnFlags.run(rename);
            statements.clearBuyerFlag.run(rename.from);
          }
        }).immediate();
        return renames.length;
      });
    },
    /**
     * Removes the buyer's name and delivery note from orders created before `before`, for good
     * (forgettingForGood); the number of orders changed.
     */
    purgeBuyerDetails: (before: string, now: string): number =>
      forgettingForGood(() => db.transaction(() => statements.purgeBuyerDetails.run({ before, now }).changes)()),
    /** Orders holding a tracking number with this key (see trackingKey), newest first, at most `limit`. */
    getByTrackingKey: (key: string, limit: number) => statements.getByTrackingKey.all(key, limit) as OrderRow[],
    /** What was shipped for a return opened at `startedAt` on this order (weights.ts shippedWeightGrams, in SQL). */
    shippedWeightGrams: (orderId: number, startedAt: string) =>
      (statements.shippedWeight.get({ order_id: orderId, started_at: startedAt }) as number | null) ?? undefined,
    /** Newest first; `before` is an order id the page starts below. */
    recent: (before: number, limit: number, params: FilterParams = NO_FILTERS) =>
      searchStatement(startsFromRange(params.filters) ? 'recentInRange' : 'recent', params.filters)
        .all({ before, limit, ...filterValues(params) }) as OrderRow[],
    /**
     * Orders whose ID or a tracking number is exactly `term`, or whose buyer ref is `term` or `buyerRef`
     * (the term's pseudonym when it is an e-mail address, else the term), newest first.
     */
    exactMatches: ({ term, buyerRef }: SearchTerm, before: number, limit: number, params: FilterParams = NO_FILTERS) =>
      searchStatement('exactMatches', params.filters).all({ term, buyerRef, before, limit, ...filterValues(params) }) as OrderRow[],
    /** Orders holding `term` as a fragment (see fragmentQuery) but not an exact match, newest first. */
    fragmentMatches({ term, buyerRef }: SearchTerm, before: number, limit: number, params: FilterParams = NO_FILTERS): OrderRow[] {
      const match = fragmentQuery(term);
      if (match === undefined) return [];
      return searchStatement('fragmentMatches', params.filters).all({ match, term, buyerRef, before, limit, ...filterValues(params) }) as OrderRow[];
    },
    /** What a result row shows beyond the order, for a page of order ids (see orderSearchSql.resultDetails). */
    resultDetails: (orderIds: number[], params: FilterParams = NO_FILTERS) =>
      searchStatement('resultDetails', params.filters).all({ ids: JSON.stringify(orderIds), ...filterValues(params) }) as ResultDetailsRow[],
  };
}

export type OrdersRepository = ReturnType<typeof createOrdersRepository>;
