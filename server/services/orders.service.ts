// Orders: upsert from the shop's systems, the capture timeline, and search for the dashboard.
import type { Db } from '../../storage/database';
import { trackingKey, type FilterParams, type SearchTerm, type OrderFilters, type OrderRow, type OrdersRepository, type ResultDetailsRow } from '../../storage/orders.repository';
import type { CaptureKind } from '../domain/vocabulary';
import { fail } from '../errors';
import { buyerRefPseudonymizer } from './buyer-ref';
import { toUtc, wallTimeToUtc } from './time';
import {
  boxOf, checkCaptureWeight, DEFAULT_WEIGHT_RULES, expectedWeight, recordedWeightBasis, toleranceOf, weighItem, type CataloguedItem, type ExpectedWeight,
  type RecordedWeightBasis, type WeightCheck, type WeightRules, type WeightSource,
} from './weights';

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
  /** The order's own packaging weight; null goes back to the shop's default. */
  packagingWeightGrams?: number | null;
}

export interface OrderSummary {
  orderId: string;
  channel?: string;
  buyer?: { ref?: string; name?: string; flagged: boolean; flagReason?: string };
  /**
   * Each item with the unit weight it is counted with: its own, else its SKU's in the catalogue
   * (`weightFrom` says which); `weightKnown` false when neither has one.
   */
  items: { sku?: string; name: string; quantity: number; unitWeightGrams?: number; unitValue?: number; weightKnown: boolean; weightFrom?: WeightSource }[];
  /** Items with no known unit weight: while any, there is no expected weight. */
  itemsWithoutWeight: number;
  carrier?: string;
  trackingNumbers: string[];
  deliveryNote?: string;
  declaredValue?: { amount: number; currency: string };
  shippedAt?: string;
  deliveredAt?: string;
  /** The order's own packaging weight, as it was given; absent when the shop's default applies. */
  packagingWeightGrams?: number;
  /** Items and packaging together (SPEC §7), when every item has a unit weight. */
  expectedWeightGrams?: number;
  /** What the expected weight is made of, with it. */
  expectedWeightParts?: Omit<ExpectedWeight, 'grams'>;
  createdAt: string;
  updatedAt: string;
}

/** A search result: the order, and what its row shows of the latest capture the filters ask for. */
export interface OrderSearchItem extends OrderSummary {
  latestCapture?: {
    id: string;
    kind: CaptureKind;
    station?: string;
    startedAt: string;
    /** A photo of the capture, or a video whose poster stands for it (GET /media/:id/thumbnail). */
    thumbnailMediaId?: string;
    weightCheck?: WeightCheck;
  };
  hasDispute: boolean;
}

/** Search filters as the API takes them: dates (YYYY-MM-DD) are days in the shop's time zone, both ends included. */
export interface SearchFilters {
  from?: string;
  to?: string;
  station?: string;
  kind?: CaptureKind;
  weightWarnings?: boolean;
  hasDispute?: boolean;
}

const PAGE_SIZE = 50;
/** Orders a 409 for a shared tracking number names: more than a packer can choose between is a data problem. */
const MAX_AMBIGUOUS_ORDERS = 20;

/** "2026-05-01" → the day after, by the calendar. */
function nextDay(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
}

/** The instant a day starts in `timeZone`, as stored times are written (UTC ISO). */
function startOfDay(date: string, timeZone: string, field: string): string {
  const [year, month, day] = date.split('-').map(Number);
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCFullYear() !== year || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) {
    fail('VALIDATION_FAILED', `${field} is not a day the calendar has: ${date}`);
  }
  return new Date(wallTimeToUtc(`${date}T00:00:00`, timeZone)!).toISOString();
}

/** The filters in the shop's calendar, turned into what storage compares: UTC instants, `to` exclusive. */
function toOrderFilters(filters: SearchFilters, timeZone: string): OrderFilters {
  const from = filters.from !== undefined ? startOfDay(filters.from, timeZone, 'from') : undefined;
  const to = filters.to !== undefined ? startOfDay(nextDay(filters.to), timeZone, 'to') : undefined;
  if (filters.from !== undefined && filters.to !== undefined && filters.from > filters.to) {
    fail('VALIDATION_FAILED', `from (${filters.from}) is after to (${filters.to}).`);
  }
  return {
    ...(filters.kind !== undefined ? { kind: filters.kind } : {}),
    ...(filters.station !== undefined ? { station: filters.station } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    ...(filters.weightWarnings ? { weightWarnings: true } : {}),
    ...(filters.hasDispute ? { hasDispute: true } : {}),
  };
}

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

/** A search checked and put in storage's terms: plain data, so it can be posted to a search worker. */
export interface SearchRequest {
  term: SearchTerm | undefined;
  at: Cursor;
  limit: number;
  params: FilterParams;
  /** The shop's weight settings when the search was asked (a search worker reads no settings of its own). */
  rules: WeightRules;
}

export interface SearchPage {
  items: OrderSearchItem[];
  nextCursor: string | null;
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

export function createOrdersService({
  db,
  orders,
  clock,
  shopTimezone = () => 'UTC',
  weightRules = () => DEFAULT_WEIGHT_RULES,
  runSearch,
}: {
  db: Db;
  orders: OrdersRepository;
  clock: () => Date;
  /** Search dates are days in this zone. */
  shopTimezone?: () => string;
  /** The shop's default packaging and weight tolerance, read on each call: the owner may change them. */
  weightRules?: () => WeightRules;
  /** Reads a page of search results off the main thread (the search pool); without it, `searchPage` here. */
  runSearch?: (request: SearchRequest) => Promise<SearchPage>;
}) {
  let pseudonymizer: ((ref: string, buyerName?: string) => string) | undefined;
  /** A buyer ref as it is kept: an e-mail address, or a masked name with the buyer's, as its pseudonym (buyer-ref.ts). */
  const pseudonymOfBuyerRef = (ref: string, buyerName?: string) => (pseudonymizer ??= buyerRefPseudonymizer(orders.buyerRefKey()))(ref, buyerName);

  /** The order's items as the weight rule sees them: with their SKUs' catalogue weights and box sizes, read now. */
  const catalogued = (orderRowId: number): (CataloguedItem & { unitValue?: number })[] =>
    orders.items(orderRowId).map((item) =>
      compact({
        sku: item.sku,
        name: item.name,
        quantity: item.quantity,
        unitWeightGrams: item.unit_weight_grams,
        unitValue: item.unit_value,
        catalogueWeightGrams: item.catalogue_weight_grams,
        box: item.box_size !== null && item.box_packaging_grams !== null ? { code: item.box_size, packagingWeightGrams: item.box_packaging_grams } : undefined,
      }),
    );

  /**
   * The one place an order's expected weight is worked out (storage/weight-rule.ts is its SQL copy):
   * each item weighed (its own weight, else its SKU's), and the packaging (the order's own, else its
   * items' box size's, else the shop's default).
   *
   * Read at the time of asking, so a catalogue fix changes the expected weight of open orders and the
   * verdict shown for their captures, as a change to the order or to the shop's default packaging
   * always has. A finished capture keeps what it was judged against where it counts: its facts in the
   * evidence log (captures.service factsOf → ledger) hold the expected weight at the moment it
   * finished, so the log and every bundle exported from it stay true whatever the catalogue says later.
   */
  function weighOrder(row: OrderRow, rules: WeightRules) {
    const stored = catalogued(row.id);
    const items = stored.map(weighItem);
    const expected = expectedWeight(items, row.packaging_weight_grams ?? undefined, rules, boxOf(stored));
    return { items, expected, itemsWithoutWeight: items.filter((item) => !item.weightKnown).length };
  }

  function summarize(row: OrderRow, rules: WeightRules = weightRules()): OrderSummary {
    const { items, expected, itemsWithoutWeight } = weighOrder(row, rules);
    const flag = row.buyer_ref ? orders.buyerFlag(row.buyer_ref) : undefined;
    const buyer =
      row.buyer_ref || row.buyer_name
        ? compact({ ref: row.buyer_ref, name: row.buyer_name, flagged: Boolean(flag), flagReason: flag?.reason })
        : undefined;
    return compact({
      orderId: row.external_id,
      channel: row.channel,
      buyer,
      items,
      itemsWithoutWeight,
      carrier: row.carrier,
      trackingNumbers: orders.trackingNumbers(row.id),
      deliveryNote: row.delivery_note,
      declaredValue:
        row.declared_amount !== null && row.declared_currency
          ? { amount: row.declared_amount, currency: row.declared_currency }
          : undefined,
      shippedAt: row.shipped_at,
      deliveredAt: row.delivered_at,
      packagingWeightGrams: row.packaging_weight_grams,
      expectedWeightGrams: expected?.grams,
      expectedWeightParts: expected && (({ grams: _grams, ...parts }) => parts)(expected),
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
      packaging_weight_grams: null,
      created_at: now,
      updated_at: now,
    });
  }

  const service = {
    pseudonymOfBuyerRef,

    /**
     * Buyer refs stored as e-mail addresses before refs were pseudonymised (orders and flags), filed
     * under their pseudonyms, so a flag still follows the buyer; run at start, a no-op once done.
     */
    pseudonymizeStoredAddresses(): number {
      const renames = orders.refsWithAt().flatMap((ref) => {
        const pseudonym = pseudonymOfBuyerRef(ref);
        return pseudonym === ref ? [] : [{ from: ref, to: pseudonym }];
      });
      if (renames.length > 0) orders.renameBuyerRefs(renames);
      return renames.length;
    },

    summarize,

    /** What the order should weigh now (items and packaging), when every item has a unit weight. */
    expectedWeightGrams(orderRowId: number): number | undefined {
      const row = orders.getById(orderRowId);
      return row ? weighOrder(row, weightRules()).expected?.grams : undefined;
    },

    /**
     * What a capture finishing now is held against (weights.ts RecordedWeightBasis): the order's
     * expected weight and its packaging, and the shop's tolerance, as they stand at this moment.
     */
    weightBasisNow(orderRowId: number): RecordedWeightBasis {
      const rules = weightRules();
      const row = orders.getById(orderRowId);
      const expected = row ? weighOrder(row, rules).expected : undefined;
      return { ...(expected ? { expectedGrams: expected.grams, packagingGrams: expected.packagingGrams } : {}), tolerancePercent: rules.tolerancePercent };
    },

    /**
     * A weighed capture's verdict, as every screen shows it: against the order's expected weight, or
     * for a return against what was shipped (weights.ts weightReference). A finished capture is held
     * to the basis recorded when it finished (`basis`), an open one (or one finished before bases
     * were recorded) to the order and the shop's tolerance as they are now.
     */
    checkCaptureWeight(capture: { orderRowId: number; kind: CaptureKind; startedAt: string; weightGrams: number; basis?: RecordedWeightBasis }): WeightCheck {
      const shippedGrams = capture.kind === 'unboxing' ? orders.shippedWeightGrams(capture.orderRowId, capture.startedAt) : undefined;
      const basis = capture.basis ?? service.weightBasisNow(capture.orderRowId);
      return checkCaptureWeight(capture, { expectedGrams: basis.expectedGrams, packagingGrams: basis.packagingGrams, shippedGrams }, basis);
    },

    /**
     * The order a scanned or typed waybill belongs to: tracking numbers compared without spaces or
     * hyphens and in either case (storage/orders.repository.ts trackingKey). When several orders hold
     * the number, guessing would file evidence under the wrong order without a word: 409
     * AMBIGUOUS_TRACKING_NUMBER names them (newest first) so the person holding the parcel chooses.
     */
    findByTrackingNumber(trackingNumber: string): OrderSummary {
      const key = trackingKey(trackingNumber.trim());
      if (key === '') fail('VALIDATION_FAILED', 'A tracking number needs at least one letter or digit.');
      const rows = orders.getByTrackingKey(key, MAX_AMBIGUOUS_ORDERS);
      if (rows.length === 0) fail('NOT_FOUND', `No order has the tracking number "${trackingNumber}".`);
      if (rows.length > 1) {
        const orderIds = rows.map((row) => row.external_id);
        fail('AMBIGUOUS_TRACKING_NUMBER', `${orderIds.length} orders have the tracking number "${trackingNumber}": ${orderIds.join(', ')}. Choose one.`, undefined, { orderIds });
      }
      return summarize(rows[0]!);
    },

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
        // A masked ref is made the buyer's with their name (buyer-ref.ts): the one sent, else the stored one.
        const buyerNameGiven = input.buyer?.name ?? current.buyer_name ?? undefined;
        orders.update(
          id,
          {
            channel: has('channel') ? input.channel! : current.channel,
            buyer_ref: input.buyer && 'ref' in input.buyer ? (input.buyer.ref === undefined ? null : pseudonymOfBuyerRef(input.buyer.ref, buyerNameGiven)) : current.buyer_ref,
            buyer_name: input.buyer && 'name' in input.buyer ? (input.buyer.name ?? null) : current.buyer_name,
            carrier: has('carrier') ? input.carrier! : current.carrier,
            delivery_note: has('deliveryNote') ? input.deliveryNote! : current.delivery_note,
            declared_amount: has('declaredValue') ? input.declaredValue!.amount : current.declared_amount,
            declared_currency: has('declaredValue') ? input.declaredValue!.currency : current.declared_currency,
            shipped_at: has('shippedAt') ? toUtc(input.shippedAt!, 'shippedAt') : current.shipped_at,
            delivered_at: has('deliveredAt') ? toUtc(input.deliveredAt!, 'deliveredAt') : current.delivered_at,
            // null is a value here: it hands the order back to the shop's default.
            packaging_weight_grams: 'packagingWeightGrams' in input ? (input.packagingWeightGrams ?? null) : current.packaging_weight_grams,
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
        const buyerRef = input.buyer?.ref !== undefined ? pseudonymOfBuyerRef(input.buyer.ref, buyerNameGiven) : current.buyer_ref;
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
     * the trigram index (see fragmentQuery in the repository), newest first within each. The request is
     * checked here, on the main thread (bad input is a 400 before any thread is asked); the page is then
     * read by `runSearch`: a search worker (storage/search-pool.ts) or, without one, `searchPage` here.
     */
    search(q: string | undefined, cursor: string | undefined, limit = PAGE_SIZE, searchFilters: SearchFilters = {}): Promise<SearchPage> {
      const rules = weightRules();
      const text = q?.trim();
      const request: SearchRequest = {
        term: text ? { term: text, buyerRef: pseudonymOfBuyerRef(text) } : undefined,
        at: decodeCursor(cursor),
        limit,
        // The filters are SQL beside the term's, so a page is full whenever enough orders match.
        params: { filters: toOrderFilters(searchFilters, shopTimezone()), tolerance: toleranceOf(rules), packaging: rules.packagingWeightGrams },
        rules,
      };
      return runSearch ? runSearch(request) : Promise.resolve(service.searchPage(request));
    },

    /**
     * One page of a checked search, read in one transaction so the page is one snapshot of the
     * database (a search worker's reads are not interleaved with the main thread's writes otherwise).
     * Plain data in and out: it runs in a search worker as well as here.
     */
    searchPage: ({ term, at, limit, params, rules }: SearchRequest): SearchPage =>
      db.transaction(() => {
        const page = (rows: OrderRow[], next: string | null) => ({ items: withDetails(rows, params, rules), nextCursor: next });
        if (term === undefined) {
          const rows = orders.recent(at.before, limit + 1, params);
          return page(rows.slice(0, limit), rows.length > limit ? encodeCursor(rows[limit - 1].id) : null);
        }
        let exact: OrderRow[] = [];
        if (at.exact) {
          exact = orders.exactMatches(term, at.before, limit + 1, params);
          if (exact.length > limit) return page(exact.slice(0, limit), encodeCursor(exact[limit - 1].id, true));
        }
        const fragmentsBefore = at.exact ? Number.MAX_SAFE_INTEGER : at.before;
        // One more than fits tells whether another page follows.
        const fragments = orders.fragmentMatches(term, fragmentsBefore, limit - exact.length + 1, params);
        const rows = [...exact, ...fragments].slice(0, limit);
        if (exact.length + fragments.length <= limit) return page(rows, null);
        // A page that ends on its last exact match continues with the first fragment match.
        const last = rows[rows.length - 1];
        return page(rows, encodeCursor(fragments.includes(last) ? last.id : Number.MAX_SAFE_INTEGER));
      })(),
  };
  return service;

  /** Each order of a page with its row's details, fetched for the whole page in one statement. */
  function withDetails(rows: OrderRow[], params: FilterParams, rules: WeightRules): OrderSearchItem[] {
    const details = new Map<number, ResultDetailsRow>(orders.resultDetails(rows.map((row) => row.id), params).map((row) => [row.order_id, row]));
    return rows.map((row) => {
      const summary = summarize(row, rules);
      const detail = details.get(row.id);
      const item: OrderSearchItem = { ...summary, hasDispute: detail?.has_dispute === 1 };
      if (detail?.capture_id && detail.kind && detail.started_at) {
        item.latestCapture = compact({
          id: detail.capture_id,
          kind: detail.kind,
          station: detail.station,
          startedAt: detail.started_at,
          thumbnailMediaId: detail.thumbnail_media_id,
          weightCheck: detail.weight_grams !== null ? latestCaptureCheck({ ...detail, kind: detail.kind, weight_grams: detail.weight_grams }, summary, rules) : undefined,
        });
      }
      return item;
    });
  }

  /** A result row's capture verdict: against what it was held to when it finished, or the order and the shop's settings now. */
  function latestCaptureCheck(detail: ResultDetailsRow & { kind: CaptureKind; weight_grams: number }, summary: OrderSummary, rules: WeightRules): WeightCheck {
    const basis = recordedWeightBasis(detail);
    const now = { expectedGrams: summary.expectedWeightGrams, packagingGrams: summary.expectedWeightParts?.packagingGrams };
    return checkCaptureWeight(
      { kind: detail.kind, weightGrams: detail.weight_grams },
      { ...(basis ?? now), shippedGrams: detail.shipped_grams ?? undefined },
      basis ?? rules,
    );
  }
}

export type OrdersService = ReturnType<typeof createOrdersService>;
