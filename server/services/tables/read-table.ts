// Reads an uploaded table (an order export, a SKU catalogue) row by row, never whole: CSV in any common
// delimiter and in UTF-8 or CP949/EUC-KR (csv-parse, iconv-lite), or the first sheet of an XLSX workbook
// (exceljs's streaming reader, xlsx-workbook-reader.ts). The only importer of csv-parse and iconv-lite,
// and of that reader, for reading tables.
import fs from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { parse } from 'csv-parse';
import type ExcelJS from 'exceljs';
import { fileTypeFromFile } from 'file-type';
import iconv from 'iconv-lite';

/** A formula cell of a workbook: refused, never evaluated (its cached result is not read either). */
export const FORMULA = Symbol('formula');
export type Cell = string | typeof FORMULA;

/**
 * A row as read: its cells (as the file holds them, untrimmed), or why it cannot be read as CSV (a quote
 * never closed). `line` is 1-based, where the row starts (CSV) or its row number (XLSX); the header is 1.
 */
export type TableRow = { line: number; cells: Cell[] } | { line: number; unreadable: string };

/** A file that is not a table this reader knows (a broken XLSX, a workbook without a sheet). */
export class UnreadableTable extends Error {}

/** A workbook that unpacks to more than a table export ever does: a decompression bomb. */
export class TableTooLarge extends UnreadableTable {}

export type TableKind = 'csv' | 'xlsx';
export type TableEncoding = 'utf8' | 'cp949';

/** Enough of the file's start to tell its type, encoding and delimiter. */
const SNIFF_BYTES = 64 * 1024;
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** What a file on disk is, from its bytes: an XLSX workbook, text (CSV/TSV), empty, or something else. */
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
 * UTF-8 unless the bytes say otherwise: bytes with a UTF-8 BOM, or whose multi-byte sequences are valid
 * UTF-8 far more often than not, are UTF-8 (a lone bad byte then spoils its row only); bytes whose high
 * bytes are mostly not UTF-8 are the legacy Korean encoding (CP949, a superset of EUC-KR). A sequence cut
 * by the end of the bytes counts neither way.
 */
export async function sniffEncoding(bytes: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<TableEncoding> {
  let valid = 0;
  let invalid = 0;
  let expect = 0;
  let first = true;
  for await (const chunk of bytes) {
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

const USUAL_DELIMITERS = [',', ';', '\t', '|'];
/** Characters that make up values (and the quote), never taken as a delimiter. */
const NOT_A_DELIMITER = /[\p{L}\p{N}\p{M}"' _\-.()\/\[\]@&+%#*]/u;

/** How often each character occurs in a line outside quotes. */
function countOutsideQuotes(line: string): Map<string, number> {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (!quoted) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  return counts;
}

/**
 * The delimiter of a CSV file from its first lines (the header first): of the usual ones (, ; tab |)
 * the one the header uses most, counted outside quotes. A header with none of them may use any other
 * sign (^ ~ : ¦ …): the one it holds most that nearly every following line holds too, and no more
 * often, so a sign inside the values is not mistaken for it. A comma when nothing splits the header.
 */
export function sniffDelimiter(lines: string[]): string {
  const [header, ...rows] = lines;
  const inHeader = countOutsideQuotes(header ?? '');
  const usual = USUAL_DELIMITERS.map((delimiter) => [delimiter, inHeader.get(delimiter) ?? 0] as const).reduce((most, entry) => (entry[1] > most[1] ? entry : most));
  if (usual[1] > 0) return usual[0];
  const inRows = rows.filter((line) => line.trim() !== '').map(countOutsideQuotes);
  // A row may leave its last cells out, and a quoted cell may span lines: most rows, not all, must agree.
  const agrees = (char: string, count: number) => inRows.filter((counts) => (counts.get(char) ?? 0) >= 1 && counts.get(char)! <= count).length >= inRows.length * 0.8;
  const other = [...inHeader]
    .filter(([char, count]) => !NOT_A_DELIMITER.test(char) && !/\s/.test(char) && agrees(char, count))
    .sort((a, b) => b[1] - a[1])[0];
  return other?.[0] ?? ',';
}

/**
 * The rows of a table. `kind` and `encoding` are sniffed from the first bytes when not given: a ZIP is
 * read as a workbook, anything else as CSV. A caller holding the file may sniff them from all of it.
 */
export async function* readTable(source: AsyncIterable<Buffer>, known: { kind?: TableKind; encoding?: TableEncoding } = {}): AsyncGenerator<TableRow> {
  const iterator = source[Symbol.asyncIterator]();
  const headChunks: Buffer[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    headChunks.push(next.value);
    headBytes += next.value.length;
  }
  // The first SNIFF_BYTES exactly, however the chunks fell: the same file is always read the same way.
  const head = Buffer.concat(headChunks).subarray(0, SNIFF_BYTES);
  async function* whole(): AsyncGenerator<Buffer> {
    yield* headChunks;
    if (ended) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  const kind = known.kind ?? (ZIP_MAGIC.every((byte, i) => head[i] === byte) ? 'xlsx' : 'csv');
  // The source stays the caller's: a caller that stops early closes it.
  if (kind === 'xlsx') yield* readXlsx(Readable.from(whole()));
  else yield* readCsv(whole(), head, known.encoding ?? (await sniffEncoding([head])));
}

function decoder(encoding: TableEncoding): Transform {
  if (encoding === 'cp949') return iconv.decodeStream('cp949') as unknown as Transform;
  // Invalid bytes become U+FFFD, which the callers' row checks refuse (a name that did not survive is no name).
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

async function* readCsv(bytes: AsyncIterable<Buffer>, head: Buffer, encoding: TableEncoding): AsyncGenerator<TableRow> {
  const headText = encoding === 'cp949' ? iconv.decode(head, 'cp949') : new TextDecoder('utf-8').decode(head);
  // The head's last line may be cut off: only whole lines are compared.
  const lines = headText.replace(/^\uFEFF/, '').split(/\r?\n|\r/).slice(0, 20);
  const delimiter = sniffDelimiter(head.length < SNIFF_BYTES ? lines : lines.slice(0, -1));
  const unreadable: TableRow[] = [];
  // No max_record_size: csv-parse stops the whole file at the first record over it; an over-long cell
  // is refused by the callers' row checks instead, and dropped with its row as soon as it is read.
  const parser = parse({
    delimiter,
    bom: true,
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      const line = (error as { lines?: number } | undefined)?.lines ?? 0;
      if (unreadable.at(-1)?.line !== line) {
        unreadable.push({ line, unreadable: `This row cannot be read as CSV: ${error?.message ?? 'unknown error'}` });
      }
      return undefined;
    },
  });
  const raw = Readable.from(bytes);
  const text = raw.pipe(decoder(encoding));
  // pipe() does not pass errors on: a source or decoding error ends the rows with it.
  raw.on('error', (error) => parser.destroy(error));
  text.on('error', (error) => parser.destroy(error));
  text.pipe(parser);
  try {
    for await (const { info, record } of parser as AsyncIterable<{ info: { lines: number }; record: string[] }>) {
      // info.lines is where the record ends; a quoted cell may have spanned lines.
      const spanned = record.reduce((n, cell) => n + (cell.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
      const line = info.lines - spanned;
      // The parser may reach a broken row before the rows above it are taken: rows go out in file order.
      while (unreadable.length > 0 && unreadable[0].line < line) yield unreadable.shift()!;
      yield { line, cells: record };
    }
    yield* unreadable.splice(0);
  } finally {
    raw.destroy();
    text.destroy();
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

async function* readXlsx(stream: Readable): AsyncGenerator<TableRow> {
  // exceljs (with its zip, XML and promise libraries about 27 MB resident) is imported with the first
  // spreadsheet, not at start: most services never read one, and the memory goal counts what start holds.
  const { workbookReader } = await import('./xlsx-workbook-reader');
  const workbook = workbookReader(stream, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore' });
  try {
    for await (const sheet of workbook) {
      for await (const row of sheet) {
        const values = row.values as ExcelJS.CellValue[];
        const cells: Cell[] = [];
        // row.values is 1-based (index 0 is empty) and sparse.
        for (let column = 1; column < values.length; column++) cells.push(cellText(values[column]));
        // A row of empty or blank cells (formatting left behind) is no row, as an empty CSV line is none.
        if (cells.some((cell) => cell === FORMULA || cell.trim() !== '')) yield { line: row.number, cells };
      }
      // The first sheet only: an export's other sheets are summaries, notes or lookups.
      return;
    }
  } catch (error) {
    // The source's own failure (a cut-off upload, one over its limit) is that, not an unreadable workbook.
    if (stream.errored) throw stream.errored;
    if (error instanceof TableTooLarge) throw error;
    throw new UnreadableTable(`The file is not a readable XLSX workbook: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    stream.destroy();
  }
  throw new UnreadableTable('The file has no worksheet: it is not an XLSX workbook.');
}
