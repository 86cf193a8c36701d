// An order export's delimiter is whatever the seller's tool wrote: the usual comma, semicolon, tab and
// pipe, and any other sign a tool lets them choose, told from values that merely contain it.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readTable, sniffDelimiter, type TableRow } from '../../server/services/tables/read-table';

async function rowsOf(text: string): Promise<TableRow[]> {
  const rows: TableRow[] = [];
  for await (const row of readTable(Readable.from([Buffer.from(text)]))) rows.push(row);
  return rows;
}

describe('CSV delimiters', () => {
  it.each([
    [',', 'order_id,sku,quantity\nA-1,MUG,2\n'],
    [';', 'order_id;sku;quantity\nA-1;MUG;2,5\n'],
    ['\t', 'order-id\torder-item-id\tship-service-level\n1\t2\tStandard\n'],
    ['|', 'order_id|sku|quantity\nA-1|MUG|2\n'],
    ['^', 'order_id^sku^item_name^quantity\nA-1^MUG-01^Mug (white), 350 ml^2\nA-2^CUP^Cup; glass^1\n'],
    ['~', 'order_id~sku~quantity\nA-1~MUG~2\n'],
    ['¦', 'order_id¦sku¦quantity\nA-1¦MUG¦2\n'],
    [':', 'order_id:sku:quantity\nA-1:MUG:2\nA-2:CUP:1\n'],
  ])('tells %j', (delimiter, text) => {
    expect(sniffDelimiter(text.split('\n'))).toBe(delimiter);
  });

  it('does not take a sign that only some rows hold, nor one inside quotes', () => {
    // ~ splits the header into two but the row into three: the file has one column.
    expect(sniffDelimiter(['order~id', 'A~1~2'])).toBe(',');
    expect(sniffDelimiter(['"order^id"^sku', '"A^1"^MUG'])).toBe('^');
    expect(sniffDelimiter(['order_id'])).toBe(',');
  });

  it('tells a rare sign when some rows leave their last cells out or a quoted cell spans lines', () => {
    const lines = ['order_id^sku^delivery_note^quantity', 'A-1^MUG^^2', 'A-2^CUP', 'A-3^CUP^"Ring twice', 'then leave it"^1', 'A-4^MUG^^1', 'A-5^MUG^^1', 'A-6^MUG^^1'];
    expect(sniffDelimiter(lines)).toBe('^');
  });

  it('reads a caret-separated export with commas and semicolons in its values', async () => {
    expect(await rowsOf('order_id^item_name^quantity\r\nA-1^Mug (white), 350 ml^2\r\nA-2^Cup; glass^1\r\n')).toEqual([
      { line: 1, cells: ['order_id', 'item_name', 'quantity'] },
      { line: 2, cells: ['A-1', 'Mug (white), 350 ml', '2'] },
      { line: 3, cells: ['A-2', 'Cup; glass', '1'] },
    ]);
  });
});
