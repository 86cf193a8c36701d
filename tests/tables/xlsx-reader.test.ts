// The workbook reader reads every entry of a good workbook, every time. exceljs's own walk over the ZIP
// lost an entry the parser had already pushed now and then (xl/workbook.xml, which exceljs writes last)
// and refused a good workbook: 80 of 20,000 reads failed on a busy machine before xlsx-workbook-reader.ts.
// A damaged or hostile workbook is refused, never waited on for ever: bytes after the end, a file cut
// off, an upload failing partway, a decompression bomb.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTable, TableTooLarge, UnreadableTable, type TableRow } from '../../server/services/tables/read-table';
import { fixture, tempDir } from '../helpers/server';
import { zipOf } from '../helpers/zip-of';

async function rowsOf(file: string): Promise<TableRow[]> {
  const rows: TableRow[] = [];
  for await (const row of readTable(fs.createReadStream(file), { kind: 'xlsx' })) rows.push(row);
  return rows;
}

describe('reading an XLSX workbook', () => {
  it('reads the same rows from every preset sample on each of 1,000 reads, four at a time', async () => {
    const files = fs.readdirSync(fixture('imports')).filter((name) => name.endsWith('.xlsx') && name !== 'formula-cell.xlsx');
    expect(files.length).toBeGreaterThanOrEqual(2);
    const expected = new Map(await Promise.all(files.map(async (name) => [name, await rowsOf(fixture(path.join('imports', name)))] as const)));
    for (const rows of expected.values()) expect(rows.length).toBeGreaterThan(1);
    const failures: string[] = [];
    const reads = Array.from({ length: 1000 }, (_, i) => files[i % files.length]);
    await Promise.all(
      [0, 1, 2, 3].map(async (lane) => {
        for (let i = lane; i < reads.length; i += 4) {
          const name = reads[i];
          try {
            expect(await rowsOf(fixture(path.join('imports', name)))).toEqual(expected.get(name));
          } catch (error) {
            failures.push(`${name}: ${(error as Error).message.split('\n')[0]}`);
          }
        }
      }),
    );
    expect(failures).toEqual([]);
  }, 120_000);

  it('leaves no waiting-sheet files behind', async () => {
    const before = fs.readdirSync(process.env.TMPDIR ?? '/tmp').filter((name) => name.startsWith('packtrail-xlsx-'));
    await rowsOf(fixture('imports/coupang-wing.xlsx'));
    const after = fs.readdirSync(process.env.TMPDIR ?? '/tmp').filter((name) => name.startsWith('packtrail-xlsx-'));
    expect(after).toEqual(before);
  });
});

describe('reading a damaged or hostile XLSX workbook', () => {
  let large: Buffer;
  beforeAll(async () => {
    // 20,000 rows: its sheet spans many reads, so a cut falls inside an entry's data.
    const file = path.join(tempDir('packtrail-xlsx-large-'), 'large.xlsx');
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true });
    const sheet = workbook.addWorksheet('Orders');
    sheet.addRow(['order_id', 'sku', 'item_name', 'quantity']).commit();
    for (let i = 0; i < 20_000; i++) sheet.addRow([`L-${i}`, `SKU-${i % 50}`, `Item number ${i}`, 1 + (i % 3)]).commit();
    sheet.commit();
    await workbook.commit();
    large = fs.readFileSync(file);
  });

  const read = async (source: Readable) => {
    let rows = 0;
    for await (const _row of readTable(source, { kind: 'xlsx' })) rows++;
    return rows;
  };
  /** The bytes in chunks of 64 KiB, as a file or an upload arrives. */
  function* chunks(bytes: Buffer) {
    for (let at = 0; at < bytes.length; at += 65_536) yield bytes.subarray(at, at + 65_536);
  }

  it('reads a workbook with bytes after its end record, as some tools pad files', async () => {
    const padded = Buffer.concat([fs.readFileSync(fixture('imports/naver-smartstore.xlsx')), Buffer.alloc(12)]);
    expect(await read(Readable.from(chunks(padded)))).toBe(5);
    expect(await read(Readable.from(chunks(Buffer.concat([large, Buffer.from('trailing bytes')]))))).toBe(20_001);
  });

  it('reads its source to the end, past the end record, so an upload’s form is read whole', async () => {
    let sent = 0;
    const padded = Buffer.concat([large, Buffer.alloc(200_000)]);
    const source = Readable.from(
      (function* () {
        for (const chunk of chunks(padded)) {
          sent += chunk.length;
          yield chunk;
        }
      })(),
    );
    expect(await read(source)).toBe(20_001);
    expect(sent).toBe(padded.length);
  });

  it('refuses a workbook cut off inside an entry, rather than waiting for the rest for ever', async () => {
    for (const fraction of [0.05, 0.5, 0.95]) {
      await expect(read(Readable.from(chunks(large.subarray(0, Math.floor(large.length * fraction))))), String(fraction)).rejects.toThrow(UnreadableTable);
    }
  });

  it('fails with its source when the upload fails partway', async () => {
    const failing = Readable.from(
      (function* () {
        let sent = 0;
        for (const chunk of chunks(large)) {
          if (sent > large.length * 0.3) throw new Error('the client went away');
          sent += chunk.length;
          yield chunk;
        }
      })(),
    );
    await expect(read(failing)).rejects.toThrow('the client went away');
  });

  it('refuses a decompression bomb: shared strings unpacking past 128 MiB', async () => {
    const bomb = zipOf([
      { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>') },
      { name: 'xl/sharedStrings.xml', data: Buffer.concat([Buffer.from('<sst><si><t>'), Buffer.alloc(130 * 1024 * 1024, 0x61), Buffer.from('</t></si></sst>')]) },
    ]);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    await expect(read(Readable.from(chunks(bomb)))).rejects.toThrow(TableTooLarge);
    await expect(read(Readable.from(chunks(bomb)))).rejects.toThrow(/unpacks to more than 128 MiB/);
  }, 60_000);

  it('leaves no waiting-sheet files behind, whatever became of the read', () => {
    expect(fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('packtrail-xlsx-') && !name.startsWith('packtrail-xlsx-large-'))).toEqual([]);
  });
});
