// One row of an order export checked and turned into the fields it gives, or refused with a stable code.
// A refusal's reason names the column, never its content: the reasons are kept with the import, and a
// wrong column mapping would otherwise keep pieces of names and addresses there.
import type { ColumnField, ColumnMapping } from './presets';
import { FORMULA, type Cell } from '../tables/read-table';

export const refusalCodes = [
  'MISSING_ORDER_ID', 'BAD_QUANTITY', 'BAD_NUMBER', 'BAD_CURRENCY', 'FORMULA_CELL', 'CELL_TOO_LONG', 'FIELD_TOO_LONG',
  'INVALID_ENCODING', 'CONTROL_CHARACTER', 'ORDER_INCOMPLETE',
] as const;
export type RefusalCode = (typeof refusalCodes)[number];

export interface Refusal {
  line: number;
  code: RefusalCode;
  /** In English; the dashboard says it in the seller's language from the code and the params. */
  reason: string;
  params?: RefusalParams;
}

/** What a reason names, for saying it in another language: the column's field, its number, a limit, another order. */
export interface RefusalParams {
  field?: ColumnField;
  column?: number;
  limit?: number;
  order?: string;
  refusedLine?: number;
}

/** What one row says about its order. */
export interface RowFields {
  trackingNumber?: string;
  carrier?: string;
  buyerName?: string;
  buyerRef?: string;
  deliveryNote?: string;
  item?: { sku?: string; name: string; quantity: number; unitValue?: number };
  declaredValue?: number;
  currency?: string;
}

export type CheckedRow = { orderId: string; fields: RowFields } | { orderId?: string; refusal: Refusal };

/** Longer than any real cell of an export; what is longer is refused before anything else is looked at. */
export const MAX_CELL_LENGTH = 10_000;

const maxLength: Partial<Record<ColumnField, number>> = {
  orderId: 128, trackingNumber: 64, carrier: 64, buyerName: 200, buyerRef: 128, deliveryNote: 2000, itemSku: 128, itemName: 500,
};

// C0 and C1 controls, DEL, and invisible format characters; a delivery note may still break lines.
const CONTROL = /[\p{Cc}\p{Cf}]/u;
const CONTROL_IN_NOTE = /(?![\t\n\r])[\p{Cc}\p{Cf}]/u;

/**
 * A spreadsheet formula as CSV injection writes it (OWASP): a cell starting with = or @, or with + or -
 * unless it is plainly a number or a phone number ("-3", "+82 10-1234-5678") or a lone "-" for nothing.
 */
function looksLikeFormula(text: string): boolean {
  const start = text.trimStart();
  if (start.startsWith('=') || start.startsWith('@')) return true;
  if (start.startsWith('+') || start.startsWith('-')) return !/^[-+][\d\s().,-]*$/.test(start);
  return false;
}

/** "₩12,000", "$12.99", "12.99 USD" → the number; undefined when it is not one. */
export function parseAmount(text: string): number | undefined {
  // "4,50" is a decimal comma (as European spreadsheets write it); "12,000" and "1,234.50" group thousands.
  const decimalComma = /^[^\d]*\d+,\d{1,2}[^\d]*$/.test(text.trim());
  const plain = (decimalComma ? text.replace(',', '.') : text).replace(/[\s,]/g, '').replace(/^[^\d.]*?(?=[\d.])/, '').replace(/[A-Za-z]{1,3}$/, '');
  if (!/^\d+(\.\d+)?$/.test(plain)) return undefined;
  const amount = Number(plain);
  return amount <= 1e12 ? amount : undefined;
}

const refuse = (line: number, code: RefusalCode, reason: string, orderId?: string, params?: RefusalParams): CheckedRow => ({
  orderId,
  refusal: { line, code, reason, ...(params ? { params } : {}) },
});

/** Column positions of the mapped fields in a header (exact names first, then ignoring case). */
export function locateColumns(header: Cell[], mapping: ColumnMapping): { found: Partial<Record<ColumnField, number>>; missing: string[] } {
  const names = header.map((cell) => (typeof cell === 'string' ? cell.replace(/^\uFEFF/, '').trim() : ''));
  const found: Partial<Record<ColumnField, number>> = {};
  const missing: string[] = [];
  for (const [field, name] of Object.entries(mapping) as [ColumnField, string | undefined][]) {
    if (!name) continue;
    let index = names.indexOf(name.trim());
    if (index < 0) index = names.findIndex((candidate) => candidate.toLowerCase() === name.trim().toLowerCase());
    if (index >= 0) found[field] = index;
    else missing.push(name);
  }
  return { found, missing };
}

/** How a channel's export writes what a row holds: see ImportPreset. */
export interface RowConventions {
  defaultCurrency?: string;
  itemValueIsLineTotal?: boolean;
}

export function checkRow(line: number, cells: Cell[], columns: Partial<Record<ColumnField, number>>, { defaultCurrency, itemValueIsLineTotal }: RowConventions = {}): CheckedRow {
  const longCell = cells.findIndex((cell) => typeof cell === 'string' && cell.length > MAX_CELL_LENGTH);
  const rawId = columns.orderId !== undefined ? cells[columns.orderId] : undefined;
  const knownId = typeof rawId === 'string' && rawId.trim() && rawId.trim().length <= 128 && !CONTROL.test(rawId) && !rawId.includes('\uFFFD') ? rawId.trim() : undefined;
  if (longCell >= 0) return refuse(line, 'CELL_TOO_LONG', `Column ${longCell + 1} holds more than ${MAX_CELL_LENGTH} characters.`, knownId, { column: longCell + 1, limit: MAX_CELL_LENGTH });

  const values: Partial<Record<ColumnField, string>> = {};
  for (const [field, index] of Object.entries(columns) as [ColumnField, number][]) {
    const cell = cells[index];
    if (cell === FORMULA) return refuse(line, 'FORMULA_CELL', `The ${field} cell is a formula; formulas are not evaluated. Export values instead.`, knownId, { field });
    const text = (cell ?? '').trim();
    if (text === '') continue;
    if (looksLikeFormula(text)) return refuse(line, 'FORMULA_CELL', `The ${field} cell starts like a formula (${text.slice(0, 1)}); formulas are not imported.`, knownId, { field });
    if (text.includes('\uFFFD')) return refuse(line, 'INVALID_ENCODING', `The ${field} cell holds bytes that are not valid text in the file's encoding.`, knownId, { field });
    if ((field === 'deliveryNote' ? CONTROL_IN_NOTE : CONTROL).test(text)) return refuse(line, 'CONTROL_CHARACTER', `The ${field} cell holds a control character.`, knownId, { field });
    const limit = maxLength[field];
    if (limit !== undefined && text.length > limit) return refuse(line, 'FIELD_TOO_LONG', `The ${field} cell is longer than ${limit} characters.`, knownId, { field, limit });
    values[field] = text;
  }
  const orderId = values.orderId;
  if (orderId === undefined) return refuse(line, 'MISSING_ORDER_ID', 'The row has no order ID.');

  const fields: RowFields = {};
  for (const field of ['trackingNumber', 'carrier', 'buyerName', 'buyerRef', 'deliveryNote'] as const) {
    if (values[field] !== undefined) fields[field] = values[field];
  }
  const name = values.itemName ?? values.itemSku;
  if (name !== undefined) {
    let quantity = 1;
    if (columns.itemQuantity !== undefined) {
      const text = values.itemQuantity ?? '';
      quantity = /^\d+(\.0+)?$/.test(text) ? Number(text) : NaN;
      if (!(quantity >= 1 && quantity <= 1_000_000)) return refuse(line, 'BAD_QUANTITY', 'The quantity is not a whole number of 1 or more.', orderId);
    }
    fields.item = { name, quantity };
    if (values.itemSku !== undefined) fields.item.sku = values.itemSku;
    if (values.itemValue !== undefined) {
      const unitValue = parseAmount(values.itemValue);
      if (unitValue === undefined) return refuse(line, 'BAD_NUMBER', 'The item value is not an amount.', orderId, { field: 'itemValue' });
      // An amount for the line (Amazon's item-price), cent-rounded, is the unit value times the quantity.
      fields.item.unitValue = itemValueIsLineTotal ? Math.round((unitValue / quantity) * 100) / 100 : unitValue;
    }
  }
  if (values.declaredValue !== undefined) {
    const amount = parseAmount(values.declaredValue);
    if (amount === undefined) return refuse(line, 'BAD_NUMBER', 'The declared value is not an amount.', orderId, { field: 'declaredValue' });
    fields.declaredValue = amount;
  }
  const currency = values.currency?.toUpperCase() ?? defaultCurrency;
  if (currency !== undefined) {
    if (!/^[A-Z]{3}$/.test(currency)) return refuse(line, 'BAD_CURRENCY', 'The currency is not a code such as KRW or USD.', orderId);
    fields.currency = currency;
  }
  return { orderId, fields };
}

export const isBlank = (cells: Cell[]) => cells.every((cell) => cell === '' || (typeof cell === 'string' && cell.trim() === ''));
