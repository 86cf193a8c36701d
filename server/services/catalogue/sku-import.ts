// A SKU catalogue file (CSV/TSV/XLSX, headers in English or Korean) read row by row into the
// catalogue: every good row written in one transaction, every other row refused with its line and why.
import { FORMULA, readTable, UnreadableTable, type TableRow } from '../tables/read-table';
import { weightUnits, type WeightUnit } from '../../domain/vocabulary';
import { fail } from '../../errors';
import { MAX_WEIGHT_GRAMS, toGrams } from '../weights';
import type { ImportedSku, SkusService } from './skus.service';

export interface RefusedRow {
  line: number;
  /** In English; the dashboard says it in the seller's language from the code and the params. */
  reason: string;
  code: string;
  params?: RefusalParams;
}

/** What a reason names: a column, a limit, the cell's text (a SKU file holds no personal data), a count. */
interface RefusalParams {
  field?: 'name' | 'boxSize';
  limit?: number;
  value?: string;
  count?: number;
}

export interface SkuImportResult {
  created: number;
  updated: number;
  refused: RefusedRow[];
}

type Column = 'sku' | 'name' | 'weight' | 'unit' | 'box';

/** Header names as sellers write them, compared lower-case without spaces, underscores or hyphens. */
const headerNames: Record<Column, readonly string[]> = {
  sku: ['sku', 'skucode', 'sellersku', '상품코드', '판매자상품코드', '품번'],
  name: ['name', 'productname', 'itemname', '상품명', '품명'],
  weight: ['weight', 'unitweight', 'weightg', '무게', '중량', '단위무게'],
  unit: ['unit', 'weightunit', '단위', '무게단위'],
  box: ['box', 'boxsize', 'boxcode', '박스', '박스크기', '박스사이즈'],
};

/** A catalogue bigger than this is not a shop's SKU list but a mistake (or an attack on memory). */
const MAX_ROWS = 100_000;
/** Refusals listed in the answer; the rest are counted in the reason of the last one. */
const MAX_REFUSALS_LISTED = 500;
const MAX_SKU = 128;
const MAX_NAME = 500;
const MAX_BOX = 64;

const normalize = (header: string) => header.toLowerCase().replace(/[\s_\-.]/g, '');

/**
 * The columns a header row names. A weight header may carry its unit, "weight (kg)" or "무게(g)",
 * which then applies where a row has no unit of its own.
 */
export function columnsOf(header: string[]): { index: Partial<Record<Column, number>>; headerUnit?: WeightUnit } {
  const index: Partial<Record<Column, number>> = {};
  let headerUnit: WeightUnit | undefined;
  header.forEach((cell, i) => {
    const unitInHeader = /^(.*?)[([]\s*(g|kg|lb|oz)\s*[)\]]$/i.exec(cell.trim());
    const name = normalize(unitInHeader ? unitInHeader[1] : cell);
    for (const column of Object.keys(headerNames) as Column[]) {
      if (index[column] === undefined && headerNames[column].includes(name)) {
        index[column] = i;
        if (column === 'weight' && unitInHeader) headerUnit = unitInHeader[2].toLowerCase() as WeightUnit;
      }
    }
  });
  return { index, ...(headerUnit ? { headerUnit } : {}) };
}

/** "1,250" (thousands grouped) or "1250.5"; anything else is not a number. */
function numberOf(text: string): number | undefined {
  const plain = /^\d{1,3}(,\d{3})+(\.\d+)?$/.test(text) ? text.replace(/,/g, '') : text;
  if (!/^\d+(\.\d+)?$/.test(plain)) return undefined;
  return Number(plain);
}

/** A row as the catalogue takes it: its cells trimmed, or refused before any column is looked at. */
type CatalogueRow = { line: number; cells: string[] } | { line: number; refused: { code: 'FORMULA_CELL' | 'UNREADABLE_ROW' | 'NOT_UTF8'; reason: string } };

function catalogueRow(row: TableRow): CatalogueRow {
  const { line } = row;
  if ('unreadable' in row) return { line, refused: { code: 'UNREADABLE_ROW', reason: row.unreadable } };
  if (row.cells.includes(FORMULA)) {
    return { line, refused: { code: 'FORMULA_CELL', reason: 'A cell in this row is a formula; formulas are not evaluated. Paste the values instead.' } };
  }
  const cells = (row.cells as string[]).map((cell) => cell.trim());
  // U+FFFD: bytes that were not text in the encoding the file's start was read in.
  if (cells.some((cell) => cell.includes('\uFFFD'))) {
    return { line, refused: { code: 'NOT_UTF8', reason: "This row holds bytes that are not text in the file's encoding (UTF-8, or CP949 when the file starts as CP949)." } };
  }
  return { line, cells };
}

class Refusal extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly params?: RefusalParams,
  ) {
    super(message);
  }
}

export function createSkuImport({ skus }: { skus: Pick<SkusService, 'writeImported' | 'boxSizeExists'> }) {
  /** One data row checked: what it sets, or a Refusal saying why not. */
  function checkRow(cells: string[], index: Partial<Record<Column, number>>, headerUnit: WeightUnit | undefined): ImportedSku {
    const cell = (column: Column) => (index[column] !== undefined ? (cells[index[column]!] ?? '') : '');
    const sku = cell('sku');
    if (sku === '') throw new Refusal('MISSING_SKU', 'The SKU cell is empty.');
    if ([...sku].length > MAX_SKU || /\p{Cc}/u.test(sku)) throw new Refusal('BAD_SKU', `A SKU is one line of at most ${MAX_SKU} characters.`, { limit: MAX_SKU });
    const name = cell('name');
    if ([...name].length > MAX_NAME) throw new Refusal('CELL_TOO_LONG', `The name is longer than ${MAX_NAME} characters.`, { field: 'name', limit: MAX_NAME });
    const row: ImportedSku = { sku, ...(name !== '' ? { name: name.replace(/\p{Cc}+/gu, ' ') } : {}) };

    const weightText = cell('weight');
    const unitText = cell('unit').toLowerCase();
    if (unitText !== '' && !(weightUnits as readonly string[]).includes(unitText)) {
      throw new Refusal('BAD_UNIT', `"${unitText.slice(0, 20)}" is not a weight unit (g, kg, lb or oz).`, { value: unitText.slice(0, 20) });
    }
    if (weightText !== '') {
      const value = numberOf(weightText);
      if (value === undefined) throw new Refusal('BAD_WEIGHT', `"${weightText.slice(0, 40)}" is not a weight (a number such as 380 or 0.38).`, { value: weightText.slice(0, 40) });
      const grams = toGrams(value, (unitText || headerUnit || 'g') as WeightUnit);
      if (grams > MAX_WEIGHT_GRAMS) {
        const weight = `${weightText.slice(0, 40)} ${unitText || headerUnit || 'g'}`;
        throw new Refusal('BAD_WEIGHT', `${weight} is heavier than any parcel a courier takes.`, { value: weight });
      }
      row.unitWeightGrams = grams;
    }

    const box = cell('box');
    if (box !== '') {
      if ([...box].length > MAX_BOX) throw new Refusal('CELL_TOO_LONG', `A box size code is at most ${MAX_BOX} characters.`, { field: 'boxSize', limit: MAX_BOX });
      if (!skus.boxSizeExists(box)) throw new Refusal('UNKNOWN_BOX_SIZE', `No box size "${box}": add it under box sizes first.`, { value: box });
      row.boxSize = box;
    }
    return row;
  }

  return {
    /** Reads the file whole (streamed), then writes its good rows in one transaction; nothing when the file cannot be read. */
    async importFile(file: AsyncIterable<Buffer>): Promise<SkuImportResult> {
      const good: ImportedSku[] = [];
      const refused: RefusedRow[] = [];
      let refusedCount = 0;
      const refuse = (line: number, code: string, reason: string, params?: RefusalParams) => {
        refusedCount++;
        if (refused.length < MAX_REFUSALS_LISTED) refused.push({ line, code, reason, ...(params ? { params } : {}) });
      };
      let columns: ReturnType<typeof columnsOf> | undefined;
      try {
        for await (const read of readTable(file)) {
          const row = catalogueRow(read);
          if (!columns) {
            if ('refused' in row) fail('VALIDATION_FAILED', `The header row cannot be read: ${row.refused.reason}`);
            columns = columnsOf(row.cells);
            if (columns.index.sku === undefined) {
              fail('VALIDATION_FAILED', 'No SKU column: the header row needs one of SKU / 상품코드, and may have 상품명/name, 무게/weight, 단위/unit, 박스/box.');
            }
            continue;
          }
          if (good.length + refusedCount >= MAX_ROWS) fail('VALIDATION_FAILED', `The file has more than ${MAX_ROWS} rows; split it.`);
          if ('refused' in row) {
            refuse(row.line, row.refused.code, row.refused.reason);
            continue;
          }
          try {
            good.push(checkRow(row.cells, columns.index, columns.headerUnit));
          } catch (error) {
            if (!(error instanceof Refusal)) throw error;
            refuse(row.line, error.code, error.message, error.params);
          }
        }
      } catch (error) {
        if (error instanceof UnreadableTable) fail('VALIDATION_FAILED', error.message);
        throw error;
      }
      if (!columns) fail('VALIDATION_FAILED', 'The file is empty: it needs a header row and a row per SKU.');
      if (refusedCount > refused.length) {
        const more = refusedCount - refused.length;
        refused.push({ line: refused[refused.length - 1].line, code: 'MORE_REFUSED', reason: `${more} more rows were refused and are not listed.`, params: { count: more } });
      }
      return { ...skus.writeImported(good), refused };
    },
  };
}

export type SkuImport = ReturnType<typeof createSkuImport>;
