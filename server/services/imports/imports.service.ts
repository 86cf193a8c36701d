// Order imports: an export file read into a preview (nothing written to orders), then committed in one
// transaction through the orders service's own upsert, so an import does what PUT /orders/:id does.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { Db } from '../../../storage/database';
import type { ImportRow, ImportsRepository, StagedRow } from '../../../storage/imports.repository';
import { fail, type ErrorCode } from '../../errors';
import type { OrderInput, OrderSummary, OrdersService } from '../orders.service';
import { columnFields, importPresets, presetOf, type ColumnMapping, type ImportChannel } from './presets';
import { readTable, sniffEncoding, sniffTable, TableTooLarge, UnreadableTable, type Cell, type TableKind } from '../tables/read-table';
import { checkRow, isBlank, locateColumns, type Refusal, type RowFields } from './rows';

/**
 * The rows of an export on disk, its encoding judged from all of it. A row that cannot be read as CSV
 * stops the file (UNREADABLE_FILE): an order export is machine-written, so one broken row means a broken file.
 */
async function* exportRows(file: string, kind: TableKind): AsyncGenerator<{ line: number; cells: Cell[] }> {
  const encoding = kind === 'csv' ? await sniffEncoding(fs.createReadStream(file)) : undefined;
  for await (const row of readTable(fs.createReadStream(file), { kind, encoding })) {
    if ('unreadable' in row) throw new UnreadableTable(row.unreadable);
    yield row;
  }
}

export type ImportAction = 'new' | 'update' | 'unchanged';

export interface ImportPreview {
  id: string;
  channel: ImportChannel;
  fileName?: string;
  status: 'preview' | 'committed';
  createdAt: string;
  expiresAt: string;
  totals: {
    rows: number; recognised: number; newOrders: number; updatedOrders: number; unchangedOrders: number; refused: number;
    /** New orders the file gives no tracking number: the packer finds them by order ID, not by scanning the waybill. */
    newWithoutTracking: number;
  };
  refused: Refusal[];
  sample: { line: number; orderId: string; action: ImportAction; trackingNumbers: string[]; buyerName?: string; items: { sku?: string; name: string; quantity: number }[] }[];
}

export interface CommitResult {
  id: string;
  status: 'committed';
  created: number;
  updated: number;
  unchanged: number;
}
/** A commit as a worker thread is asked for it (commit-pool.ts): plain data, the main thread's time with it. */
export interface CommitRequest {
  id: string;
  now: string;
}
export type CommitAnswer = { result: CommitResult } | { refused: { code: ErrorCode; message: string } };

const MAX_REFUSED_LISTED = 500;
const MAX_SAMPLE = 50;
/** Rows written to the staging tables per transaction while the file is read; the event loop runs between batches. */
const STAGE_BATCH = 500;
/** Orders read per page; a preview yields to the event loop between pages (each order compared is ~0.1–0.5 ms). */
const ORDER_PAGE = 50;
const PREVIEW_LIFETIME_MS = 24 * 3_600_000;
/** How long a main-thread write waits for the lock while an import commits in its worker. */
const COMMITTING_BUSY_MS = 50;
/** Korean seller centres total per item row; the others repeat the order's total or give it once. */
const SUMMED_DECLARED: ImportChannel[] = ['naver_smartstore', 'coupang_wing'];

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A mapping from a request, checked: known fields only, one-line header names, orderId present. */
export function checkMapping(value: unknown): ColumnMapping {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('VALIDATION_FAILED', 'columns must be an object of field → header name.');
  const mapping: Record<string, string> = {};
  for (const [field, name] of Object.entries(value)) {
    if (!(columnFields as readonly string[]).includes(field)) fail('VALIDATION_FAILED', `"${field.slice(0, 40)}" is not a column field; use ${columnFields.join(', ')}.`);
    if (name === undefined || name === null || name === '') continue;
    if (typeof name !== 'string' || name.length > 200 || /[\p{Cc}]/u.test(name)) fail('VALIDATION_FAILED', `The header name for ${field} must be one line of at most 200 characters.`);
    mapping[field] = name;
  }
  if (!mapping.orderId) fail('VALIDATION_FAILED', 'columns.orderId (the header of the order ID column) is required.');
  return mapping as ColumnMapping;
}

export function createImportsService({
  db,
  imports,
  orders,
  clock,
  runCommit,
}: {
  db: Db;
  imports: ImportsRepository;
  orders: Pick<OrdersService, 'getRow' | 'upsert' | 'summarize' | 'pseudonymOfBuyerRef'>;
  clock: () => Date;
  /** Runs `commit` off the main thread (commit-pool.ts); without it, here. */
  runCommit?: (request: CommitRequest) => Promise<CommitAnswer>;
}) {
  /**
   * While a worker's commit holds the write lock, a write on this (the main) connection would hold the
   * event loop, and so every request, for its whole busy_timeout (a second) before its 503. Waiting at
   * most COMMITTING_BUSY_MS instead keeps /healthz and reads answering in time (BENCHMARKS.md, "Order
   * imports"); the write gets the same retryable 503 DATABASE_BUSY, sooner.
   */
  let commitsRunning = 0;
  let usualBusyTimeout = 0;
  async function whileCommitting<T>(commit: () => Promise<T>): Promise<T> {
    if (commitsRunning++ === 0) {
      usualBusyTimeout = Number(db.pragma('busy_timeout', { simple: true }));
      db.pragma(`busy_timeout = ${COMMITTING_BUSY_MS}`);
    }
    try {
      return await commit();
    } finally {
      if (--commitsRunning === 0) db.pragma(`busy_timeout = ${usualBusyTimeout}`);
    }
  }

  const mappingOf = (channel: ImportChannel): ColumnMapping => {
    const remembered = imports.getMapping(channel);
    return remembered ? (JSON.parse(remembered) as ColumnMapping) : presetOf(channel).columns;
  };

  /** An order as the file gives it, in PUT /orders terms: only what the file says is set. */
  function inputOf(channel: ImportChannel, rows: StagedRow[]): OrderInput {
    const all = rows.map((row) => JSON.parse(row.fields) as RowFields);
    const first = <K extends keyof RowFields>(key: K) => all.find((fields) => fields[key] !== undefined)?.[key];
    const input: OrderInput = { channel };
    const buyerName = first('buyerName');
    const buyerRef = first('buyerRef');
    if (buyerName !== undefined || buyerRef !== undefined) {
      input.buyer = {};
      if (buyerRef !== undefined) input.buyer.ref = buyerRef;
      if (buyerName !== undefined) input.buyer.name = buyerName;
    }
    const carrier = first('carrier');
    if (carrier !== undefined) input.carrier = carrier;
    const deliveryNote = first('deliveryNote');
    if (deliveryNote !== undefined) input.deliveryNote = deliveryNote;
    const items = all.flatMap((fields) => (fields.item ? [fields.item] : []));
    if (items.length > 0) input.items = items.slice(0, 500);
    const numbers = [...new Set(all.flatMap((fields) => (fields.trackingNumber ? [fields.trackingNumber] : [])))];
    if (numbers.length > 0) input.trackingNumbers = numbers.slice(0, 20);
    const declared = all.filter((fields) => fields.declaredValue !== undefined);
    const currency = first('currency');
    if (declared.length > 0 && currency !== undefined) {
      const amount = SUMMED_DECLARED.includes(channel) ? declared.reduce((sum, fields) => sum + fields.declaredValue!, 0) : declared[0].declaredValue!;
      input.declaredValue = { amount: Math.round(amount * 100) / 100, currency };
    }
    return input;
  }

  /**
   * What committing `input` would do to the order as it is now, and the input that does it: items keep
   * the unit weights the order had for the same SKU (or name), and tracking numbers a capture recorded stay.
   */
  function plan(orderId: string, input: OrderInput): { action: ImportAction; input: OrderInput } {
    const row = orders.getRow(orderId);
    if (!row) return { action: 'new', input };
    const current: OrderSummary = orders.summarize(row);
    const planned: OrderInput = { ...input };
    if (input.items) {
      planned.items = input.items.map((item) => {
        const same = current.items.find((known) => (item.sku !== undefined ? known.sku === item.sku : known.sku === undefined && known.name === item.name));
        return same?.unitWeightGrams !== undefined ? { ...item, unitWeightGrams: same.unitWeightGrams } : item;
      });
    }
    if (input.trackingNumbers) {
      const scanned = imports.captureTrackingNumbers(row.id).filter((number) => !input.trackingNumbers!.includes(number));
      planned.trackingNumbers = [...input.trackingNumbers, ...scanned];
    }
    const sameItems = (a: OrderSummary['items'], b: NonNullable<OrderInput['items']>) =>
      a.length === b.length &&
      a.every((item, i) => item.sku === b[i].sku && item.name === b[i].name && item.quantity === b[i].quantity && item.unitValue === b[i].unitValue && item.unitWeightGrams === b[i].unitWeightGrams);
    const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
    const unchanged =
      planned.channel === current.channel &&
      (planned.buyer?.name === undefined || planned.buyer.name === current.buyer?.name) &&
      (planned.buyer?.ref === undefined || planned.buyer.ref === current.buyer?.ref) &&
      (planned.carrier === undefined || planned.carrier === current.carrier) &&
      (planned.deliveryNote === undefined || planned.deliveryNote === current.deliveryNote) &&
      (planned.declaredValue === undefined ||
        (planned.declaredValue.amount === current.declaredValue?.amount && planned.declaredValue.currency === current.declaredValue?.currency)) &&
      (planned.items === undefined || sameItems(current.items, planned.items)) &&
      (planned.trackingNumbers === undefined || sameSet(planned.trackingNumbers, current.trackingNumbers));
    return { action: unchanged ? 'unchanged' : 'update', input: planned };
  }

  /** Each staged order of an import in the file's order, a page at a time: its rows, or the line that spoiled it. */
  function* stagedOrders(importId: string): Generator<{ orderId: string; firstLine: number; refusedLine: number | null; rows: StagedRow[] }[]> {
    let after = 0;
    for (;;) {
      const page = imports.ordersAfter(importId, after, ORDER_PAGE);
      if (page.length === 0) return;
      const rows = imports.rowsOf(importId, page.map((order) => order.order_id));
      const byOrder = new Map<string, StagedRow[]>();
      for (const row of rows) byOrder.set(row.order_id, [...(byOrder.get(row.order_id) ?? []), row]);
      yield page.map((order) => ({ orderId: order.order_id, firstLine: order.first_line, refusedLine: order.refused_line, rows: byOrder.get(order.order_id) ?? [] }));
      after = page[page.length - 1].first_line;
    }
  }

  function view(row: ImportRow): ImportPreview {
    const preview = JSON.parse(row.preview) as Pick<ImportPreview, 'totals' | 'refused' | 'sample'>;
    return {
      id: row.id,
      channel: row.channel as ImportChannel,
      ...(row.file_name ? { fileName: row.file_name } : {}),
      status: row.status,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      ...preview,
    };
  }

  /** Drops the staged rows of previews that expired uncommitted; how many previews. */
  function dropExpiredStaged(): number {
    const expired = imports.expiredWithRows(clock().toISOString());
    for (const id of expired) db.transaction(() => imports.dropStaged(id))();
    return expired.length;
  }

  /** A preview's JSON without the buyer names its sample showed. */
  function withoutBuyerNames(preview: string): string {
    const parsed = JSON.parse(preview) as Pick<ImportPreview, 'sample'>;
    parsed.sample = parsed.sample?.map(({ buyerName: _forgotten, ...rest }) => rest);
    return JSON.stringify(parsed);
  }

  function requireImport(id: string): ImportRow {
    return imports.getById(id) ?? fail('NOT_FOUND', `No import "${id}".`);
  }

  const service = {
    presets: () => importPresets.map(({ channel, name, columns }) => ({ channel, name, columns })),

    mapping: (channel: ImportChannel) => ({ channel, columns: mappingOf(channel) }),

    rememberMapping(channel: ImportChannel, columns: unknown) {
      const mapping = checkMapping(columns);
      imports.putMapping(channel, JSON.stringify(mapping), clock().toISOString());
      return { channel, columns: mapping };
    },

    /** Reads the file (already on disk) into a preview. The file is the caller's to remove. */
    async preview({ channel, columns, file, fileName, userId }: { channel: ImportChannel; columns?: ColumnMapping; file: string; fileName?: string; userId?: string }): Promise<ImportPreview> {
      const kind = await sniffTable(file);
      if (kind === 'empty') fail('EMPTY_FILE');
      if (kind === 'unsupported') fail('UNSUPPORTED_MEDIA_TYPE', 'Import a CSV, TSV or XLSX file.');
      // Rows of previews left uncommitted go once they expire (the hourly job clears their names too).
      dropExpiredStaged();

      const mapping = columns ?? mappingOf(channel);
      const preset = presetOf(channel);
      const rows = exportRows(file, kind);
      let header: { line: number; cells: Cell[] } | undefined;
      try {
        for (;;) {
          const next = await rows.next();
          if (next.done) break;
          if (!isBlank(next.value.cells)) {
            header = next.value;
            break;
          }
        }
      } catch (error) {
        await rows.return(undefined).catch(() => {});
        if (error instanceof TableTooLarge) fail('PAYLOAD_TOO_LARGE', error.message);
        if (kind === 'xlsx') fail('UNSUPPORTED_MEDIA_TYPE', 'The ZIP file is not an XLSX workbook.');
        fail('UNREADABLE_FILE');
      }
      if (!header) fail('EMPTY_FILE', 'The file has no header row.');
      const { found, missing } = locateColumns(header.cells, mapping);
      if (found.orderId === undefined) {
        await rows.return(undefined).catch(() => {});
        fail('IMPORT_COLUMNS_NOT_FOUND', `The file has no "${mapping.orderId}" column for the order ID.`, { missing, header: header.cells.slice(0, 100).map(String) });
      }

      const now = clock();
      const id = randomUUID();
      imports.insert({
        id, channel, file_name: fileName?.slice(0, 255) ?? null, columns: JSON.stringify(mapping), preview: '{}', created_by: userId ?? null,
        created_at: now.toISOString(), expires_at: new Date(now.getTime() + PREVIEW_LIFETIME_MS).toISOString(),
      });

      const totals = { rows: 0, recognised: 0, newOrders: 0, updatedOrders: 0, unchangedOrders: 0, refused: 0, newWithoutTracking: 0 };
      const refused: Refusal[] = [];
      const noteRefusal = (refusal: Refusal) => {
        totals.refused++;
        if (refused.length < MAX_REFUSED_LISTED) refused.push(refusal);
      };
      let batch: { line: number; orderId?: string; fields?: string }[] = [];
      const flush = async () => {
        imports.stage(id, batch);
        batch = [];
        await yieldToLoop();
      };
      try {
        for await (const { line, cells } of { [Symbol.asyncIterator]: () => rows }) {
          if (isBlank(cells)) continue;
          totals.rows++;
          const checked = checkRow(line, cells, found, { defaultCurrency: preset.currency, itemValueIsLineTotal: preset.itemValueIsLineTotal });
          if ('refusal' in checked) {
            noteRefusal(checked.refusal);
            batch.push({ line, orderId: checked.orderId });
          } else {
            // An e-mail address or masked name as buyer ref (Shopify's, Amazon's, Coupang's) is never
            // stored as it is, not even while staged (buyer-ref.ts).
            const { buyerRef, buyerName } = checked.fields;
            if (buyerRef !== undefined) checked.fields.buyerRef = orders.pseudonymOfBuyerRef(buyerRef, buyerName);
            batch.push({ line, orderId: checked.orderId, fields: JSON.stringify(checked.fields) });
          }
          if (batch.length >= STAGE_BATCH) await flush();
        }
        await flush();
      } catch (error) {
        db.transaction(() => imports.dropStaged(id))();
        if ((error as { statusCode?: number }).statusCode) throw error;
        if (error instanceof TableTooLarge) fail('PAYLOAD_TOO_LARGE', error.message);
        fail('UNREADABLE_FILE', undefined, { line: totals.rows + 2 });
      }

      const sample: ImportPreview['sample'] = [];
      const spoiled: Refusal[] = [];
      for (const page of stagedOrders(id)) {
        for (const order of page) {
          if (order.refusedLine !== null) {
            for (const row of order.rows) {
              totals.refused++;
              if (spoiled.length < MAX_REFUSED_LISTED) {
                spoiled.push({
                  line: row.line, code: 'ORDER_INCOMPLETE',
                  reason: `Another row of order ${order.orderId} (line ${order.refusedLine}) was refused, so none of the order is imported.`,
                  params: { order: order.orderId, refusedLine: order.refusedLine },
                });
              }
            }
            continue;
          }
          totals.recognised += order.rows.length;
          const input = inputOf(channel, order.rows);
          const { action } = plan(order.orderId, input);
          if (action === 'new') totals.newOrders++;
          else if (action === 'update') totals.updatedOrders++;
          else totals.unchangedOrders++;
          if (action === 'new' && !input.trackingNumbers?.length) totals.newWithoutTracking++;
          if (sample.length < MAX_SAMPLE) {
            sample.push({
              line: order.firstLine, orderId: order.orderId, action, trackingNumbers: input.trackingNumbers ?? [],
              ...(input.buyer?.name !== undefined ? { buyerName: input.buyer.name } : {}),
              items: (input.items ?? []).map(({ sku, name, quantity }) => (sku !== undefined ? { sku, name, quantity } : { name, quantity })),
            });
          }
        }
        await yieldToLoop();
      }
      const listed = [...refused, ...spoiled].sort((a, b) => a.line - b.line).slice(0, MAX_REFUSED_LISTED);
      imports.setPreview(id, JSON.stringify({ totals, refused: listed, sample }));
      return view(requireImport(id));
    },

    get: (id: string) => view(requireImport(id)),

    /**
     * Buyer details held only for a preview's sake go once the preview has done its job: an expired
     * preview's staged rows, and the buyer names shown in the sample of a committed or expired preview,
     * or of any made before `createdBefore` (the buyer-details purge). Runs hourly and with the purge;
     * a committed import forgets its own names as it commits.
     */
    forgetBuyerDetails(createdBefore = ''): { stagedDropped: number; previewsCleared: number } {
      const stagedDropped = dropExpiredStaged();
      const named = imports.withBuyerNames(clock().toISOString(), createdBefore);
      db.transaction(() => {
        for (const row of named) imports.setPreview(row.id, withoutBuyerNames(row.preview));
      })();
      return { stagedDropped, previewsCleared: named.length };
    },

    /** Checks the import here, then commits it in the commit worker when there is one. */
    async commitInBackground(id: string): Promise<CommitResult> {
      const row = requireImport(id);
      if (row.status === 'committed') fail('ALREADY_COMMITTED');
      if (row.expires_at <= clock().toISOString()) fail('IMPORT_EXPIRED');
      if (!runCommit) return service.commit(id);
      const answer = await whileCommitting(() => runCommit({ id, now: clock().toISOString() }));
      if ('refused' in answer) fail(answer.refused.code, answer.refused.message);
      return answer.result;
    },

    /**
     * Writes the preview's orders, all or nothing; the staged rows go with the same transaction. IMMEDIATE:
     * it reads before it writes, and another writer between the two would otherwise fail it.
     */
    commit(id: string): CommitResult {
      return db.transaction(() => {
        const row = requireImport(id);
        if (row.status === 'committed') fail('ALREADY_COMMITTED');
        if (row.expires_at <= clock().toISOString()) fail('IMPORT_EXPIRED');
        // A commit that waited behind another for longer than the preview lived finds its rows gone
        // (forgetBuyerDetails): it must not mark the import committed with nothing written.
        const { totals } = JSON.parse(row.preview) as Partial<Pick<ImportPreview, 'totals'>>;
        if ((totals?.recognised ?? 0) > 0 && imports.ordersAfter(id, 0, 1).length === 0) fail('IMPORT_EXPIRED');
        const channel = row.channel as ImportChannel;
        const counts = { created: 0, updated: 0, unchanged: 0 };
        for (const page of stagedOrders(id)) {
          for (const order of page) {
            if (order.refusedLine !== null) continue;
            const { action, input } = plan(order.orderId, inputOf(channel, order.rows));
            if (action === 'unchanged') {
              counts.unchanged++;
              continue;
            }
            orders.upsert(order.orderId, input);
            if (action === 'new') counts.created++;
            else counts.updated++;
          }
        }
        if (!imports.markCommitted(id, JSON.stringify(counts), clock().toISOString())) fail('ALREADY_COMMITTED');
        // The names now live on the orders, where the buyer-details purge reaches them.
        imports.setPreview(id, withoutBuyerNames(row.preview));
        imports.dropStaged(id);
        return { id, status: 'committed' as const, ...counts };
      }).immediate();
    },
  };
  return service;
}

export type ImportsService = ReturnType<typeof createImportsService>;
