// What the order-import API answers (COMMON12's contract: /api/v1/orders/import-presets,
// /orders/import-mappings/:channel, /orders/imports), as the import screen reads it.
import type { RefusedRow } from './refused-rows';

/** The order facts a column can hold, in the order the mapping form asks for them. */
export const importFields = [
  'orderId',
  'trackingNumber',
  'carrier',
  'buyerName',
  'buyerRef',
  'deliveryNote',
  'itemSku',
  'itemName',
  'itemQuantity',
  'itemValue',
  'declaredValue',
  'currency',
] as const;
export type ImportField = (typeof importFields)[number];

/** Each fact's column, by the header's name in the file. */
export type ColumnMapping = Partial<Record<ImportField, string>>;

export interface ImportPreset {
  channel: string;
  name: string;
  columns: ColumnMapping;
}

export interface ImportPreview {
  id: string;
  channel: string;
  fileName: string;
  status: 'preview' | 'committed';
  createdAt: string;
  expiresAt: string;
  totals: { rows: number; recognised: number; newOrders: number; updatedOrders: number; unchangedOrders: number; refused: number; newWithoutTracking?: number };
  refused: RefusedRow[];
  sample: {
    line: number;
    orderId: string;
    action: 'new' | 'update' | 'unchanged';
    trackingNumbers: string[];
    buyerName?: string;
    items: { sku?: string; name: string; quantity: number }[];
  }[];
}

export interface ImportCommitted {
  id: string;
  status: 'committed';
  created: number;
  updated: number;
  unchanged: number;
}
