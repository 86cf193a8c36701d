// The rows of an imported file the server refused, each with its line in the file and the reason, in
// a table that scrolls inside its own box (a long list does not push the rest of the page away). A
// reason is said in the dashboard's language from its code and what it names (the params); one whose
// code the dashboard does not know is the server's English words.
import en from '../../../i18n/dashboard/en.json';
import { formatNumber, t, type MessageKey } from '../i18n';

export interface RefusedRow {
  line: number;
  reason: string;
  code: string;
  params?: { field?: string; column?: number; limit?: number; order?: string; refusedLine?: number; value?: string; count?: number };
}

/** Whose words a refusal is in: an order import's and a SKU catalogue's codes are their own. */
export type RefusalWords = 'imports' | 'skus';

function Reason({ row, words }: { row: RefusedRow; words: RefusalWords }) {
  const key = `${words}.refusal.${row.code}` as MessageKey;
  if (!Object.hasOwn(en, key)) return <span lang="en">{row.reason}</span>;
  const { field, column, limit, order, refusedLine, value, count } = row.params ?? {};
  const fieldKey = (words === 'imports' ? `imports.field.${field}` : `skus.${field}`) as MessageKey;
  return (
    <>
      {t(key, {
        field: field !== undefined && Object.hasOwn(en, fieldKey) ? t(fieldKey) : (field ?? ''),
        column: column !== undefined ? formatNumber(column) : '',
        limit: limit !== undefined ? formatNumber(limit) : '',
        order: order ?? '',
        refusedLine: refusedLine !== undefined ? formatNumber(refusedLine) : '',
        value: value ?? '',
        count: count ?? 0,
      })}
    </>
  );
}

/** `total`: how many rows were refused in all (the server lists the first few hundred). */
export function RefusedRows({ id, rows, total = rows.length, words }: { id: string; rows: RefusedRow[]; total?: number; words: RefusalWords }) {
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
                  <Reason row={row} words={words} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
