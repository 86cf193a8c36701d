// Reads an uploaded order export row by row, never whole: CSV in any common delimiter and in UTF-8 or
// CP949/EUC-KR (csv-parse, iconv-lite), or the first sheet of an XLSX workbook (exceljs's streaming reader).
import fs from 'node:fs';
import { Transform } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { fileTypeFromFile } from 'file-type';
import iconv from 'iconv-lite';

/** A formula cell of a workbook: refused, never evaluated (its cached result is not read either). */
export const FORMULA = Symbol('formula');
export type Cell = string | typeof FORMULA;
export interface TableRow {
  /** 1-based line (CSV) or row number (XLSX) where the row starts; the header is 1. */
  line: number;
  cells: Cell[];
}

export type TableKind = 'csv' | 'xlsx';

/** What the file is, from its bytes: an XLSX workbook, text (CSV/TSV), empty, or something else. */
export async function sniffTable(file: string): Promise<TableKind | 'empty' | 'unsupported'> {
  const { size } = await fs.promises.stat(file);
  if (size === 0) return 'empty';
  const type = await fileTypeFromFile(file);
  // Workbooks written by streaming writers (exceljs's own, some seller centres') put [Content_Types].xml
  // after the sheets, where file-type does not look: a ZIP is tried as a workbook, and refused if it is not one.
  if (type?.ext === 'xlsx' || type?.ext === 'zip') return 'xlsx';
  if (type !== undefined) return 'unsupported';
  // Text has no NUL bytes; a binary file file-type does not know usually has some early on.
  const head = Buffer.alloc(Math.min(size, 8192));
  const handle = await fs.promises.open(file, 'r');
  try {
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  return head.includes(0) ? 'unsupported' : 'csv';
}

/**
 * UTF-8 unless the bytes say otherwise: a file with a UTF-8 BOM, or whose multi-byte sequences are
 * valid UTF-8 far more often than not, is UTF-8 (a lone bad byte then spoils its row only); a file whose
 * high bytes are mostly not UTF-8 is the legacy Korean encoding (CP949, a superset of EUC-KR).
 */
export async function sniffEncoding(file: string): Promise<'utf8' | 'cp949'> {
  let valid = 0;
  let invalid = 0;
  let expect = 0;
  let first = true;
  for await (const chunk of fs.createReadStream(file) as AsyncIterable<Buffer>) {
    if (first && chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) return 'utf8';
    first = false;
    for (const byte of chunk) {
      if (expect > 0) {
        if ((byte & 0xc0) === 0x80) {
          if (--expect === 0) valid++;
          continue;
        }
        invalid++;
        expect = 0;
      }
      if (byte < 0x80) continue;
      if (byte >= 0xc2 && byte <= 0xdf) expect = 1;
      else if (byte >= 0xe0 && byte <= 0xef) expect = 2;
      else if (byte >= 0xf0 && byte <= 0xf4) expect = 3;
      else invalid++;
    }
  }
  return invalid > 0 && invalid * 4 > valid ? 'cp949' : 'utf8';
}

const DELIMITERS = [',', ';', '\t', '|'];

/** The delimiter the header line uses most, counted outside quotes; a comma when it has none. */
export function sniffDelimiter(headerLine: string): string {
  const counts = new Map(DELIMITERS.map((delimiter) => [delimiter, 0]));
  let quoted = false;
  for (const char of headerLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  const [best, count] = [...counts].reduce((most, entry) => (entry[1] > most[1] ? entry : most));
  return count > 0 ? best : ',';
}

function decoder(encoding: 'utf8' | 'cp949'): Transform {
  if (encoding === 'cp949') return iconv.decodeStream('cp949') as unknown as Transform;
  // Invalid bytes become U+FFFD, which the row check refuses (a name that did not survive is no name).
  const text = new TextDecoder('utf-8');
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, text.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, text.decode());
    },
  });
}

async function firstLine(file: string, encoding: 'utf8' | 'cp949'): Promise<string> {
  const stream = fs.createReadStream(file, { end: 65_535 }).pipe(decoder(encoding));
  let text = '';
  for await (const chunk of stream as AsyncIterable<string>) {
    text += chunk;
    if (/[\r\n]/.test(text)) break;
  }
  stream.destroy();
  return text.split(/\r?\n|\r/)[0].replace(/^\uFEFF/, '');
}

async function* readCsv(file: string): AsyncGenerator<TableRow> {
  const encoding = await sniffEncoding(file);
  const delimiter = sniffDelimiter(await firstLine(file, encoding));
  // No max_record_size: csv-parse stops the whole file at the first record over it; an over-long cell
  // is refused by the row check instead, and dropped with its row as soon as it is read.
  const parser = fs.createReadStream(file).pipe(decoder(encoding)).pipe(
    parse({ delimiter, bom: true, info: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true }),
  );
  for await (const { info, record } of parser as AsyncIterable<{ info: { lines: number }; record: string[] }>) {
    // info.lines is where the record ends; a quoted cell may have spanned lines.
    const spanned = record.reduce((n, cell) => n + (cell.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
    yield { line: info.lines - spanned, cells: record };
  }
}

function cellText(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if ('formula' in value || 'sharedFormula' in value) return FORMULA;
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('text' in value) return typeof value.text === 'string' ? value.text : cellText(value.text as ExcelJS.CellValue);
  if ('error' in value) return String(value.error);
  return '';
}

async function* readXlsx(file: string): AsyncGenerator<TableRow> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore' });
  for await (const sheet of workbook) {
    for await (const row of sheet) {
      const values = row.values as ExcelJS.CellValue[];
      const cells: Cell[] = [];
      // row.values is 1-based (index 0 is empty) and sparse.
      for (let column = 1; column < values.length; column++) cells.push(cellText(values[column]));
      yield { line: row.number, cells };
    }
    // The first sheet only: an export's other sheets are summaries or instructions.
    return;
  }
  throw new Error('The file has no worksheet: it is not an XLSX workbook.');
}

export function readTable(file: string, kind: TableKind): AsyncGenerator<TableRow> {
  return kind === 'xlsx' ? readXlsx(file) : readCsv(file);
}
