// Which column of the file holds each order fact. A marketplace's preset fills it in (folded away,
// open to change when the seller's export differs); a custom file opens it for the seller to pick
// each column, offered from the file's own header line when the browser can read it.
import { t, termKey } from '../i18n';
import { Field } from './field';
import { importFields, type ColumnMapping } from './import-types';

interface ImportMappingProps {
  mapping: ColumnMapping;
  onChange: (mapping: ColumnMapping) => void;
  /** The file's column names, offered as suggestions (empty: not readable here, e.g. XLSX). */
  headers: string[];
  /** A custom channel: every column is the seller's choice, so the form is open from the start. */
  custom: boolean;
  channelName: string;
  /** The preset's own columns, to go back to after a change (none for a custom channel). */
  presetColumns?: ColumnMapping;
  /** Opened from outside: the file lacked a column, so the seller must choose. */
  open?: boolean;
}

export function ImportMapping({ mapping, onChange, headers, custom, channelName, presetColumns, open }: ImportMappingProps) {
  const fields = (
    <fieldset class="import-mapping">
      <legend>{t('imports.mappingTitle')}</legend>
      <p class="hint" id="import-mapping-hint">
        {t('imports.mappingHint')}
      </p>
      <datalist id="import-headers">
        {headers.map((header) => (
          <option key={header} value={header} />
        ))}
      </datalist>
      <div class="import-mapping-grid">
        {importFields.map((field) => {
          const id = `import-column-${field}`;
          const column = mapping[field]?.trim();
          // Read from the file's header line (CSV only): a name the file does not have is pointed out.
          const missing = headers.length > 0 && !!column && !headers.includes(column);
          return (
            <Field key={field} id={id} label={t(termKey('imports.field', field))}>
              <input
                id={id}
                name={`column-${field}`}
                list="import-headers"
                autoComplete="off"
                maxLength={200}
                required={field === 'orderId'}
                aria-describedby={missing ? `import-mapping-hint ${id}-missing` : 'import-mapping-hint'}
                value={mapping[field] ?? ''}
                onInput={(event) => onChange({ ...mapping, [field]: event.currentTarget.value })}
              />
              {missing && (
                <p class="hint import-missing" id={`${id}-missing`}>
                  {t('imports.notInFile')}
                </p>
              )}
            </Field>
          );
        })}
      </div>
      {presetColumns && !sameMapping(mapping, presetColumns) && (
        <button type="button" onClick={() => onChange({ ...presetColumns })}>
          {t('imports.presetColumns', { channel: channelName })}
        </button>
      )}
    </fieldset>
  );
  if (custom) return fields;
  return (
    <details class="import-mapping-fold" open={open || !mapping.orderId}>
      <summary>{t('imports.mappingShow', { channel: channelName })}</summary>
      {fields}
    </details>
  );
}

/** The mapping as sent: the columns named, without empty fields. */
export const cleanMapping = (mapping: ColumnMapping): ColumnMapping =>
  Object.fromEntries(Object.entries(mapping).map(([field, column]) => [field, column?.trim()]).filter(([, column]) => column)) as ColumnMapping;

export const sameMapping = (a: ColumnMapping, b: ColumnMapping) => importFields.every((field) => (a[field]?.trim() ?? '') === (b[field]?.trim() ?? ''));
