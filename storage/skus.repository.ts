// SQL for the SKU catalogue and the shop's box sizes (migration 019).
import type { Db } from './database';

export interface SkuRow {
  sku: string;
  name: string | null;
  unit_weight_grams: number | null;
  box_size: string | null;
  created_at: string;
  updated_at: string;
}

export interface BoxSizeRow {
  code: string;
  name: string | null;
  packaging_weight_grams: number;
  updated_at: string;
}

export function createSkusRepository(db: Db) {
  const statements = {
    get: db.prepare('SELECT * FROM skus WHERE sku = ?'),
    // Keyset pages in SKU order; a term matches the SKU or name anywhere, as typed (LIKE escapes below).
    page: db.prepare(
      `SELECT * FROM skus WHERE sku > @after
         AND (@like IS NULL OR sku LIKE @like ESCAPE '\\' OR name LIKE @like ESCAPE '\\')
       ORDER BY sku LIMIT @limit`,
    ),
    upsert: db.prepare(
      `INSERT INTO skus (sku, name, unit_weight_grams, box_size, created_at, updated_at)
       VALUES (@sku, @name, @unit_weight_grams, @box_size, @created_at, @updated_at)
       ON CONFLICT (sku) DO UPDATE SET name = excluded.name, unit_weight_grams = excluded.unit_weight_grams,
         box_size = excluded.box_size, updated_at = excluded.updated_at`,
    ),
    remove: db.prepare('DELETE FROM skus WHERE sku = ?'),
    boxSizes: db.prepare('SELECT * FROM box_sizes ORDER BY code'),
    boxSize: db.prepare('SELECT * FROM box_sizes WHERE code = ?'),
    upsertBoxSize: db.prepare(
      `INSERT INTO box_sizes (code, name, packaging_weight_grams, updated_at) VALUES (@code, @name, @packaging_weight_grams, @updated_at)
       ON CONFLICT (code) DO UPDATE SET name = excluded.name, packaging_weight_grams = excluded.packaging_weight_grams, updated_at = excluded.updated_at`,
    ),
    removeBoxSize: db.prepare('DELETE FROM box_sizes WHERE code = ?'),
    skusInBox: db.prepare('SELECT count(*) FROM skus WHERE box_size = ?').pluck(),
  };
  const likeOf = (term: string | undefined) => (term ? `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null);

  return {
    get: (sku: string) => statements.get.get(sku) as SkuRow | undefined,
    /** SKUs after `after` in SKU order, optionally holding `term` in the SKU or name. */
    page: (after: string, limit: number, term?: string) => statements.page.all({ after, limit, like: likeOf(term) }) as SkuRow[],
    upsert: (row: SkuRow) => statements.upsert.run(row),
    /** True when the SKU was there. */
    remove: (sku: string) => statements.remove.run(sku).changes > 0,
    boxSizes: () => statements.boxSizes.all() as BoxSizeRow[],
    boxSize: (code: string) => statements.boxSize.get(code) as BoxSizeRow | undefined,
    upsertBoxSize: (row: BoxSizeRow) => statements.upsertBoxSize.run(row),
    removeBoxSize: (code: string) => statements.removeBoxSize.run(code).changes > 0,
    skusInBox: (code: string) => statements.skusInBox.get(code) as number,
  };
}

export type SkusRepository = ReturnType<typeof createSkusRepository>;
