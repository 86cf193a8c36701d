// The SKU catalogue: each product's unit weight and box size, and the shop's box sizes with their
// packaging weights. Orders read it when they are read (orders.service weighOrder), so an export
// without weights still gives an expected weight.
import type { Db } from '../../../storage/database';
import type { BoxSizeRow, SkuRow, SkusRepository } from '../../../storage/skus.repository';
import { fail } from '../../errors';

export interface SkuView {
  sku: string;
  name?: string;
  unitWeightGrams?: number;
  boxSize?: string;
}

export interface SkuInput {
  name?: string | null;
  unitWeightGrams?: number | null;
  boxSize?: string | null;
}

export interface BoxSizeView {
  code: string;
  name?: string;
  packagingWeightGrams: number;
}

const PAGE_SIZE = 50;

export const skuView = (row: SkuRow): SkuView => ({
  sku: row.sku,
  ...(row.name !== null ? { name: row.name } : {}),
  ...(row.unit_weight_grams !== null ? { unitWeightGrams: row.unit_weight_grams } : {}),
  ...(row.box_size !== null ? { boxSize: row.box_size } : {}),
});

const boxSizeView = (row: BoxSizeRow): BoxSizeView => ({
  code: row.code,
  ...(row.name !== null ? { name: row.name } : {}),
  packagingWeightGrams: row.packaging_weight_grams,
});

const encodeCursor = (sku: string) => Buffer.from(sku).toString('base64url');
function decodeCursor(cursor: string | undefined): string {
  if (cursor === undefined) return '';
  const sku = Buffer.from(cursor, 'base64url').toString();
  if (sku === '' || encodeCursor(sku) !== cursor) fail('VALIDATION_FAILED', 'The cursor is not one this server gave out.');
  return sku;
}

export function createSkusService({ db, skus, clock }: { db: Db; skus: SkusRepository; clock: () => Date }) {
  const requireBoxSize = (code: string) =>
    skus.boxSize(code) ?? fail('VALIDATION_FAILED', `No box size "${code}": add it under box sizes first.`);

  const service = {
    list(q: string | undefined, cursor: string | undefined, limit = PAGE_SIZE): { items: SkuView[]; nextCursor: string | null } {
      const rows = skus.page(decodeCursor(cursor), limit + 1, q?.trim() || undefined);
      const page = rows.slice(0, limit);
      return { items: page.map(skuView), nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].sku) : null };
    },

    get: (sku: string): SkuView => skuView(skus.get(sku) ?? fail('NOT_FOUND', `No SKU "${sku}" in the catalogue.`)),

    /** The SKU as sent: a field left out or null is cleared (the form sends the whole row). */
    put(sku: string, input: SkuInput): { created: boolean; sku: SkuView } {
      if (input.boxSize) requireBoxSize(input.boxSize);
      return db.transaction(() => {
        const now = clock().toISOString();
        const existing = skus.get(sku);
        const name = input.name?.trim() || null;
        skus.upsert({
          sku,
          name,
          unit_weight_grams: input.unitWeightGrams ?? null,
          box_size: input.boxSize ?? null,
          created_at: existing?.created_at ?? now,
          updated_at: now,
        });
        return { created: !existing, sku: skuView(skus.get(sku)!) };
      })();
    },

    remove(sku: string): void {
      if (!skus.remove(sku)) fail('NOT_FOUND', `No SKU "${sku}" in the catalogue.`);
    },

    /** Rows already checked (sku-import.ts), written in one transaction: all of them or none. */
    writeImported(rows: readonly ImportedSku[]): { created: number; updated: number } {
      return db.transaction(() => {
        const now = clock().toISOString();
        let created = 0;
        let updated = 0;
        for (const row of rows) {
          const existing = skus.get(row.sku);
          // A column the file does not have, or a cell left empty, keeps what the catalogue holds.
          skus.upsert({
            sku: row.sku,
            name: row.name ?? existing?.name ?? null,
            unit_weight_grams: row.unitWeightGrams ?? existing?.unit_weight_grams ?? null,
            box_size: row.boxSize ?? existing?.box_size ?? null,
            created_at: existing?.created_at ?? now,
            updated_at: now,
          });
          if (existing) updated++;
          else created++;
        }
        return { created, updated };
      })();
    },

    boxSizeExists: (code: string) => skus.boxSize(code) !== undefined,

    listBoxSizes: (): { items: BoxSizeView[] } => ({ items: skus.boxSizes().map(boxSizeView) }),

    putBoxSize(code: string, input: { name?: string | null; packagingWeightGrams: number }): { created: boolean; boxSize: BoxSizeView } {
      return db.transaction(() => {
        const existing = skus.boxSize(code);
        skus.upsertBoxSize({ code, name: input.name?.trim() || null, packaging_weight_grams: input.packagingWeightGrams, updated_at: clock().toISOString() });
        return { created: !existing, boxSize: boxSizeView(skus.boxSize(code)!) };
      })();
    },

    /** A box size SKUs still name stays: removing it would change their orders' expected weights unseen. */
    removeBoxSize(code: string): void {
      db.transaction(() => {
        if (!skus.boxSize(code)) fail('NOT_FOUND', `No box size "${code}".`);
        const inUse = skus.skusInBox(code);
        if (inUse > 0) fail('CONFLICT', `${inUse} SKU(s) use box size "${code}"; give them another box size first.`, { skus: inUse });
        skus.removeBoxSize(code);
      })();
    },
  };
  return service;
}

/** A file row made ready to write: only what the file gave (absent: keep what is stored). */
export interface ImportedSku {
  sku: string;
  name?: string;
  unitWeightGrams?: number;
  boxSize?: string;
}

export type SkusService = ReturnType<typeof createSkusService>;
