// SQL for order imports: previews, the rows they wait with, and the column mapping remembered per channel.
import type { Db } from './database';

export interface ImportRow {
  id: string;
  channel: string;
  file_name: string | null;
  status: 'preview' | 'committed';
  columns: string;
  preview: string;
  result: string | null;
  created_by: string | null;
  created_at: string;
  expires_at: string;
  committed_at: string | null;
}

export interface StagedRow {
  line: number;
  order_id: string;
  fields: string;
}

export interface StagedOrder {
  order_id: string;
  first_line: number;
  refused_line: number | null;
}

export function createImportsRepository(db: Db) {
  const statements = {
    insert: db.prepare(
      `INSERT INTO order_imports (id, channel, file_name, status, columns, preview, created_by, created_at, expires_at)
       VALUES (@id, @channel, @file_name, 'preview', @columns, @preview, @created_by, @created_at, @expires_at)`,
    ),
    setPreview: db.prepare('UPDATE order_imports SET preview = ? WHERE id = ?'),
    getById: db.prepare('SELECT * FROM order_imports WHERE id = ?'),
    markCommitted: db.prepare(
      "UPDATE order_imports SET status = 'committed', result = @result, committed_at = @committed_at WHERE id = @id AND status = 'preview'",
    ),
    addOrder: db.prepare(
      `INSERT INTO order_import_orders (import_id, order_id, first_line, refused_line) VALUES (@import_id, @order_id, @line, @refused_line)
       ON CONFLICT (import_id, order_id) DO UPDATE SET refused_line = coalesce(refused_line, excluded.refused_line)`,
    ),
    addRow: db.prepare('INSERT INTO order_import_rows (import_id, line, order_id, fields) VALUES (@import_id, @line, @order_id, @fields)'),
    ordersAfter: db.prepare(
      'SELECT order_id, first_line, refused_line FROM order_import_orders WHERE import_id = ? AND first_line > ? ORDER BY first_line LIMIT ?',
    ),
    rowsOf: db.prepare(
      `SELECT line, order_id, fields FROM order_import_rows
       WHERE import_id = ? AND order_id IN (SELECT value FROM json_each(?)) ORDER BY order_id, line`,
    ),
    deleteRows: db.prepare('DELETE FROM order_import_rows WHERE import_id = ?'),
    deleteOrders: db.prepare('DELETE FROM order_import_orders WHERE import_id = ?'),
    withBuyerNames: db.prepare(
      `SELECT id, preview FROM order_imports
       WHERE (status = 'committed' OR expires_at <= @now OR created_at < @created_before)
         -- The text search first: most previews hold no names any more, and need not be parsed as JSON.
         AND instr(preview, '"buyerName"') > 0
         AND EXISTS (SELECT 1 FROM json_each(preview, '$.sample') WHERE json_extract(value, '$.buyerName') IS NOT NULL)`,
    ),
    expired: db.prepare("SELECT id FROM order_imports WHERE status = 'preview' AND expires_at <= ? AND EXISTS (SELECT 1 FROM order_import_orders WHERE import_id = order_imports.id)").pluck(),
    captureTrackingNumbers: db.prepare(
      'SELECT DISTINCT tracking_number FROM captures WHERE order_id = ? AND tracking_number IS NOT NULL',
    ).pluck(),
    getMapping: db.prepare('SELECT columns FROM order_import_mappings WHERE channel = ?').pluck(),
    putMapping: db.prepare(
      `INSERT INTO order_import_mappings (channel, columns, updated_at) VALUES (@channel, @columns, @updated_at)
       ON CONFLICT (channel) DO UPDATE SET columns = excluded.columns, updated_at = excluded.updated_at`,
    ),
  };

  const stageBatch = db.transaction((importId: string, rows: { line: number; orderId?: string; fields?: string }[]) => {
    for (const row of rows) {
      if (row.orderId === undefined) continue;
      statements.addOrder.run({ import_id: importId, order_id: row.orderId, line: row.line, refused_line: row.fields === undefined ? row.line : null });
      if (row.fields !== undefined) statements.addRow.run({ import_id: importId, line: row.line, order_id: row.orderId, fields: row.fields });
    }
  });

  return {
    insert: (row: Pick<ImportRow, 'id' | 'channel' | 'file_name' | 'columns' | 'preview' | 'created_by' | 'created_at' | 'expires_at'>) =>
      statements.insert.run(row),
    setPreview: (id: string, preview: string) => statements.setPreview.run(preview, id),
    getById: (id: string) => statements.getById.get(id) as ImportRow | undefined,
    /** False when the import was committed already (by a request racing this one). */
    markCommitted: (id: string, result: string, committedAt: string) =>
      statements.markCommitted.run({ id, result, committed_at: committedAt }).changes === 1,
    /**
     * A batch of parsed rows, in one transaction: the recognised ones with their fields, the refused ones
     * marking their order. Scratch rows (a preview is made again by uploading the file again), so this
     * transaction alone does not wait for the disk: at synchronous = FULL each batch's fsync held the
     * event loop for up to half a second on a busy disk (BENCHMARKS.md, "Order imports"). In WAL mode
     * the next FULL commit syncs these pages too; nothing else runs between the two pragmas.
     */
    stage(importId: string, rows: { line: number; orderId?: string; fields?: string }[]) {
      const previous = db.pragma('synchronous', { simple: true });
      db.pragma('synchronous = NORMAL');
      try {
        stageBatch(importId, rows);
      } finally {
        db.pragma(`synchronous = ${Number(previous)}`);
      }
    },
    /** The next orders of an import after `afterLine` (in the file's order), at most `limit`. */
    ordersAfter: (importId: string, afterLine: number, limit: number) => statements.ordersAfter.all(importId, afterLine, limit) as StagedOrder[],
    /** The rows of these orders, each order's rows together in the file's order. */
    rowsOf: (importId: string, orderIds: string[]) => statements.rowsOf.all(importId, JSON.stringify(orderIds)) as StagedRow[],
    /** Drops what an import waited with; its summary stays. */
    dropStaged(importId: string) {
      statements.deleteRows.run(importId);
      statements.deleteOrders.run(importId);
    },
    expiredWithRows: (now: string) => statements.expired.all(now) as string[],
    /** Imports whose preview still shows buyer names though it is committed, expired or created before `createdBefore`. */
    withBuyerNames: (now: string, createdBefore: string) =>
      statements.withBuyerNames.all({ now, created_before: createdBefore }) as Pick<ImportRow, 'id' | 'preview'>[],
    /** Tracking numbers a capture of this order recorded (a scanned waybill), which an import must keep. */
    captureTrackingNumbers: (orderRowId: number) => statements.captureTrackingNumbers.all(orderRowId) as string[],
    getMapping: (channel: string) => statements.getMapping.get(channel) as string | undefined,
    putMapping: (channel: string, columns: string, updatedAt: string) => statements.putMapping.run({ channel, columns, updated_at: updatedAt }),
  };
}

export type ImportsRepository = ReturnType<typeof createImportsRepository>;
