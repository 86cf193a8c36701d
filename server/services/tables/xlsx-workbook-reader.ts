// exceljs's streaming workbook reader, with its walk over the ZIP's entries done right.
//
// Why: exceljs 4.4.0 walks the entries unzipper hands it with its iterateStream, which stops at the
// parser's 'end' event. unzipper emits 'end' as soon as its input has been written, while entries it
// has already pushed can still wait in its buffer (exceljs issue #3064). The entry lost is usually the
// last one, xl/workbook.xml in the files exceljs writes, and a good workbook was refused as "not an
// XLSX workbook" about once in a thousand reads, more often under load. Here the entries are read until
// the parser's readable side really ends (its push(null), after the end of central directory record).
// Everything else is exceljs's own: this class only replaces parse(), and calls the reader's per-entry
// methods as exceljs's parse() does (they are not in its typings, hence ReaderInternals).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Duplex, Readable } from 'node:stream';
import ExcelJS from 'exceljs';

// unzipper is exceljs's own ZIP reader (the version exceljs depends on), used as exceljs uses it.
const unzip = createRequire(import.meta.url)('unzipper') as { Parse(options: { forceStream: boolean }): Duplex };

type Entry = Readable & { path: string; autodrain(): void };
type WorkbookEvent = { eventType: string; value: unknown };

interface ReaderInternals {
  sharedStrings?: unknown[];
  workbookRels?: unknown;
  _parseRels(entry: Entry): Promise<void>;
  _parseWorkbook(entry: Entry): Promise<void>;
  _parseSharedStrings(entry: Entry): AsyncGenerator<WorkbookEvent>;
  _parseWorksheet(iterator: AsyncIterable<unknown>, sheetNo: string): Generator<WorkbookEvent>;
}

/** Each entry the parser pushes, until its readable side has ended and its buffer is empty. */
async function* entriesOf(zip: Duplex): AsyncGenerator<Entry> {
  let failure: Error | undefined;
  zip.on('error', (error) => (failure = error));
  for (;;) {
    if (failure) throw failure;
    const entry = zip.read() as Entry | null;
    if (entry !== null) {
      yield entry;
      continue;
    }
    // ended: push(null) was called; with nothing left to read, every entry has been taken.
    if ((zip as unknown as { _readableState: { ended: boolean } })._readableState.ended) return;
    await new Promise<void>((resolve) => {
      const wake = () => {
        zip.off('readable', wake);
        zip.off('error', wake);
        resolve();
      };
      zip.on('readable', wake);
      zip.on('error', wake);
    });
  }
}

const WORKSHEET = /^xl\/worksheets\/sheet(\d+)\.xml$/;

/** A streaming WorkbookReader over `source` that reads every entry of the workbook (see above). */
export function workbookReader(source: Readable, options: Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>): ExcelJS.stream.xlsx.WorkbookReader {
  class WholeWorkbookReader extends ExcelJS.stream.xlsx.WorkbookReader {
    async *parse(): AsyncGenerator<WorkbookEvent> {
      const reader = this as unknown as ReaderInternals;
      const zip = unzip.Parse({ forceStream: true });
      const piped = pipeline(source, zip).catch((error: Error) => zip.destroy(error));
      // Worksheets that come before the shared strings and relationships (exceljs writes them first)
      // wait in files, as exceljs's own parse() has them wait.
      let waitingDir: string | undefined;
      const waiting: { sheetNo: string; file: string }[] = [];
      try {
        for await (const entry of entriesOf(zip)) {
          const sheet = WORKSHEET.exec(entry.path);
          if (entry.path === 'xl/_rels/workbook.xml.rels') await reader._parseRels(entry);
          else if (entry.path === 'xl/workbook.xml') await reader._parseWorkbook(entry);
          else if (entry.path === 'xl/sharedStrings.xml') yield* reader._parseSharedStrings(entry);
          else if (sheet && reader.sharedStrings && reader.workbookRels) yield* reader._parseWorksheet(entry, sheet[1]);
          else if (sheet) {
            waitingDir ??= await fsp.mkdtemp(path.join(os.tmpdir(), 'packtrail-xlsx-'));
            const file = path.join(waitingDir, `sheet${sheet[1]}.xml`);
            await pipeline(entry, fs.createWriteStream(file));
            waiting.push({ sheetNo: sheet[1], file });
          }
          entry.autodrain();
        }
        await piped;
        for (const { sheetNo, file } of waiting) yield* reader._parseWorksheet(fs.createReadStream(file), sheetNo);
      } finally {
        source.destroy();
        zip.destroy();
        if (waitingDir) await fsp.rm(waitingDir, { recursive: true, force: true });
      }
    }
  }
  return new WholeWorkbookReader(source, options);
}
