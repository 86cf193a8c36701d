// exceljs's streaming workbook reader, with its walk over the ZIP's entries done right.
//
// Why: exceljs 4.4.0 walks the entries unzipper hands it with its iterateStream, which stops at the
// parser's 'end' event. unzipper emits 'end' as soon as its input has been written, while entries it
// has already pushed can still wait in its buffer (exceljs issue #3064). The entry lost is usually the
// last one, xl/workbook.xml in the files exceljs writes, and a good workbook was refused as "not an
// XLSX workbook" now and then: 80 of 20,000 reads of the sample exports, four at a time on a busy
// machine. Here the entries are read until the parser's readable side really ends (its push(null),
// after the end of central directory record).
// Everything else is exceljs's own: this class only replaces parse(), and calls the reader's per-entry
// methods as exceljs's parse() does (they are not in its typings, hence ReaderInternals).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline as pipelineCallback, Transform, type Duplex, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { TableTooLarge } from './read-table';

// unzipper is exceljs's own ZIP reader (the version exceljs depends on), used as exceljs uses it.
const unzip = createRequire(import.meta.url)('unzipper') as { Parse(options: { forceStream: boolean }): Duplex };

type Entry = Readable & { path: string; autodrain(): void };
type WorkbookEvent = { eventType: string; value: unknown };

interface ReaderInternals {
  sharedStrings?: unknown[];
  workbookRels?: unknown;
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<WorkbookEvent>;
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
const MIB = 1024 * 1024;
/**
 * How far one entry may unpack. A worksheet streams (a 50 MB export's sheet is a few hundred MB of
 * XML at most); the shared strings are held in memory, and the other parts read here are small. Past
 * these a file is a decompression bomb, not an export.
 */
const MAX_UNPACKED = { worksheet: 1024 * MIB, sharedStrings: 128 * MIB, other: 16 * MIB };

/** The entry's bytes, failing once more than `max` have come out of it. */
function limited(entry: Entry, max: number): Readable {
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > max) done(new TableTooLarge(`The workbook's ${entry.path} unpacks to more than ${max / MIB} MiB; no order or SKU export does.`));
      else done(null, chunk);
    },
  });
  // Either side failing fails both: a cut-off entry fails its reader, and so does a bomb its entry.
  pipelineCallback(entry, counter, () => {});
  return counter;
}

/** Reads what is left of `source` (no longer into `zip`) until it ends or fails. */
function readToEnd(source: Readable, zip: Duplex): Promise<void> {
  source.unpipe(zip);
  if (source.readableEnded || source.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    source.on('end', resolve);
    source.on('error', () => resolve());
    source.on('close', resolve);
    source.resume();
  });
}

/** A streaming WorkbookReader over `source` that reads every entry of the workbook (see above). */
export function workbookReader(source: Readable, options: Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>): ExcelJS.stream.xlsx.WorkbookReader {
  class WholeWorkbookReader extends ExcelJS.stream.xlsx.WorkbookReader {
    async *parse(): AsyncGenerator<WorkbookEvent> {
      const reader = this as unknown as ReaderInternals;
      const zip = unzip.Parse({ forceStream: true });
      pipeline(source, zip).catch((error: Error) => zip.destroy(error));
      // A file cut off inside an entry (unzipper's FILE_ENDED) or a failing source ends the parser
      // only: the entry being read would wait for its next bytes for ever. It fails with them.
      let current: Entry | undefined;
      zip.on('error', (error) => current?.destroy(error));
      // A worksheet that comes before the shared strings and relationships (exceljs writes them first)
      // waits in a file, as exceljs's own parse() has it wait. Only the first sheet is ever read
      // (read-table.ts): the others are not kept.
      let waitingDir: string | undefined;
      let waiting: { sheetNo: string; file: string } | undefined;
      try {
        for await (const entry of entriesOf(zip)) {
          current = entry;
          const sheet = WORKSHEET.exec(entry.path);
          const part = sheet ? 'worksheet' : entry.path === 'xl/sharedStrings.xml' ? 'sharedStrings' : 'other';
          const body = () => limited(entry, MAX_UNPACKED[part]);
          if (entry.path === 'xl/_rels/workbook.xml.rels') await reader._parseRels(body());
          else if (entry.path === 'xl/workbook.xml') await reader._parseWorkbook(body());
          else if (entry.path === 'xl/sharedStrings.xml') yield* reader._parseSharedStrings(body());
          else if (sheet && reader.sharedStrings && reader.workbookRels) yield* reader._parseWorksheet(body(), sheet[1]);
          else if (sheet && !waiting) {
            waitingDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'packtrail-xlsx-'));
            const file = path.join(waitingDir, `sheet${sheet[1]}.xml`);
            await pipeline(body(), fs.createWriteStream(file));
            waiting = { sheetNo: sheet[1], file };
          }
          entry.autodrain();
        }
        // The parser has read the end of the central directory, and never finishes with whatever
        // follows it (some tools pad files): the rest of the source is read past it, so an upload's
        // form is read to its end as its route expects, and the parser is not waited for.
        current = undefined;
        await readToEnd(source, zip);
        if (waiting) yield* reader._parseWorksheet(fs.createReadStream(waiting.file), waiting.sheetNo);
      } finally {
        source.destroy();
        zip.destroy();
        if (waitingDir) await fsp.rm(waitingDir, { recursive: true, force: true });
      }
    }
  }
  return new WholeWorkbookReader(source, options);
}
