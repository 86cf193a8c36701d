// Reads a table file (CSV or TSV in any delimiter, UTF-8 or CP949/EUC-KR, or XLSX) as a stream of
// rows of text, each with its 1-based line (the header is line 1), never holding the file whole. The
// only importer here of csv-parse, iconv-lite and exceljs for the SKU catalogue's imports.
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

/** A row as read: its cells as text, or why it cannot be read at all. */
export type TableRow =
  | { line: number; cells: string[] }
  | { line: number; refused: { code: 'FORMULA_CELL' | 'UNREADABLE_ROW' | 'NOT_UTF8'; reason: string } };

/** A file that is not a table this reader knows (a broken XLSX, a CSV it cannot split). */
export class UnreadableTable extends Error {}

/** Enough of the file's start to tell its type, encoding and delimiter. */
const SNIFF_BYTES = 64 * 1024;
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const DELIMITERS = [',', '\t', ';', '|'] as const;

/**
 * The rows of `source`. Decoding is chosen from the first 64 KiB: a UTF-8 BOM or valid UTF-8 means
 * UTF-8, anything else CP949 (a superset of EUC-KR, what Korean seller centres export). A later row
 * that is not UTF-8 after all is refused as NOT_UTF8 rather than imported with broken characters.
 */
export async function* readTableRows(source: AsyncIterable<Buffer>): AsyncGenerator<TableRow> {
  const iterator = source[Symbol.asyncIterator]();
  const headChunks: Buffer[] = [];
  let headBytes = 0;
  let done = false;
  while (headBytes < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    headChunks.push(next.value);
    headBytes += next.value.length;
  }
  const head = Buffer.concat(headChunks);
  async function* whole(): AsyncGenerator<Buffer> {
    yield head;
    if (done) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  if (ZIP_MAGIC.every((byte, i) => head[i] === byte)) yield* xlsxRows(Readable.from(whole()));
  else yield* csvRows(whole(), head, done);
}

async function* csvRows(bytes: AsyncIterable<Buffer>, head: Buffer, whole: boolean): AsyncGenerator<TableRow> {
  // The first SNIFF_BYTES exactly, however the chunks fell: the same file is always read the same way.
  const sniffed = head.subarray(0, SNIFF_BYTES);
  const utf8 = isUtf8Head(sniffed, whole && head.length <= SNIFF_BYTES);
  const text = utf8
    ? Readable.from(bytes).setEncoding('utf8')
    : Readable.from(bytes).pipe(iconv.decodeStream('cp949'));
  const firstLine = (utf8 ? sniffed.toString('utf8') : iconv.decode(sniffed, 'cp949')).split(/\r?\n/, 1)[0];
  const skipped: TableRow[] = [];
  const parser = parse({
    delimiter: delimiterOf(firstLine),
    bom: true,
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      const line = (error as { lines?: number } | undefined)?.lines ?? 0;
      if (skipped.at(-1)?.line !== line) {
        skipped.push({ line, refused: { code: 'UNREADABLE_ROW', reason: `This row cannot be read as CSV: ${error?.message ?? 'unknown error'}` } });
      }
      return undefined;
    },
  });
  text.on('error', (error) => parser.destroy(error));
  text.pipe(parser);
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    yield* skipped.splice(0);
    const cells = record.map((cell) => cell.trim());
    // U+FFFD: bytes that were not UTF-8 in a file whose start was.
    if (utf8 && cells.some((cell) => cell.includes('\uFFFD'))) {
      yield { line: info.lines, refused: { code: 'NOT_UTF8', reason: 'This row holds bytes that are not UTF-8 text, in a file that starts as UTF-8.' } };
    } else yield { line: info.lines, cells };
  }
  yield* skipped.splice(0);
}

/** Valid UTF-8 (a sequence cut at the sniff's end is allowed unless the file ended there). */
function isUtf8Head(head: Buffer, whole: boolean): boolean {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return true;
  for (let cut = 0; cut <= (whole ? 0 : 3); cut++) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, head.length - cut));
      return true;
    } catch {
      // A multi-byte character cut at the end of the sniffed bytes; try without its start.
    }
  }
  return false;
}

/** The delimiter the header line is split by most often, outside quotes. */
function delimiterOf(line: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  return [...counts].reduce((best, entry) => (entry[1] > best[1] ? entry : best))[0];
}

/** The first worksheet's rows; formulas are refused, never evaluated (the cached result is ignored too). */
async function* xlsxRows(stream: Readable): AsyncGenerator<TableRow> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(stream, {
    entries: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
  });
  try {
    for await (const sheet of workbook) {
      for await (const row of sheet) {
        const values = (row.values as unknown[]).slice(1);
        if (values.some(isFormula)) {
          yield { line: row.number, refused: { code: 'FORMULA_CELL', reason: 'A cell in this row is a formula; formulas are not evaluated. Paste the values instead.' } };
          continue;
        }
        const cells = Array.from(values, (value) => cellText(value).trim());
        if (cells.some((cell) => cell !== '')) yield { line: row.number, cells };
      }
      // The first worksheet is the table; later ones (notes, lookups) are not read.
      return;
    }
  } catch (error) {
    if (error instanceof UnreadableTable) throw error;
    throw new UnreadableTable(`The file is not a readable XLSX workbook: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    stream.destroy();
  }
}

function isFormula(value: unknown): boolean {
  return typeof value === 'object' && value !== null && ('formula' in value || 'sharedFormula' in value);
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== 'object') return String(value);
  if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((part: { text?: string }) => part.text ?? '').join('');
  if ('text' in value) return String(value.text);
  if ('error' in value) return String(value.error);
  return '';
}
