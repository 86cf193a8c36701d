// What the SKU catalogue API answers (COMMON12's contract: /api/v1/skus, /skus/imports, /box-sizes).
import type { RefusedRow } from './refused-rows';

export interface Sku {
  sku: string;
  name?: string;
  unitWeightGrams?: number;
  /** A box size's code. */
  boxSize?: string;
}

export interface BoxSize {
  code: string;
  name?: string;
  packagingWeightGrams: number;
}

export interface SkuImportResult {
  created: number;
  updated: number;
  refused: RefusedRow[];
}

export const skuPath = (sku: string) => `/skus/${encodeURIComponent(sku)}`;
export const boxSizePath = (code: string) => `/box-sizes/${encodeURIComponent(code)}`;
