// The rows of an imported file the server refused, each with its line in the file and the reason, in
// a table that scrolls inside its own box (a long list does not push the rest of the page away). A
// reason is the server's English words unless the dashboard knows its code.
import en from '../../../i18n/dashboard/en.json';
import { formatNumber, t, type MessageKey } from '../i18n';

export interface RefusedRow {
  line: number;
  reason: string;
  code: string;
}

const reasonKey = (code: string) => `imports.refusal.${code}` as MessageKey;

function Reason({ row }: { row: RefusedRow }) {
  if (Object.hasOwn(en, reasonKey(row.code))) return <>{t(reasonKey(row.code))}</>;
  return <span lang="en">{row.reason}</span>;
}

/** `total`: how many rows were refused in all (the server lists the first few hundred). */
export function RefusedRows({ id, rows, total = rows.length }: { id: string; rows: RefusedRow[]; total?: number }) {
  if (rows.length === 0) return null;
  return (
    <>
      {total > rows.length && <p class="hint">{t('imports.refusedFirst', { shown: formatNumber(rows.length), total: formatNumber(total) })}</p>}
      <div class="table-scroll refused-rows" role="region" aria-labelledby={`${id}-caption`} tabIndex={0}>
        <table class="import-table" id={id}>
          <caption id={`${id}-caption`}>{t('imports.refusedTitle', { count: total })}</caption>
          <thead>
            <tr>
              <th scope="col" class="import-line">{t('imports.line')}</th>
              <th scope="col">{t('imports.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={index}>
                <td class="import-line">{formatNumber(row.line)}</td>
                <td>
                  <Reason row={row} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
