// The workbook reader reads every entry of a good workbook, every time. exceljs's own walk over the ZIP
// lost an entry the parser had already pushed now and then (xl/workbook.xml, which exceljs writes last)
// and refused a good workbook: 80 of 20,000 reads failed on a busy machine before xlsx-workbook-reader.ts.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTable, type TableRow } from '../../server/services/tables/read-table';
import { fixture } from '../helpers/server';

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
