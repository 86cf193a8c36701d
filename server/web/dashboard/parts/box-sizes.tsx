// The shop's box sizes and what each one's packaging (box, filler, tape) weighs: an order whose SKUs
// name a box gets that packaging weight instead of the shop's default. Added and changed in one form
// (a code already listed is changed), removed after a question.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { formatGrams, t, type MessageKey } from '../i18n';
import { boxSizePath, type BoxSize } from './catalogue-types';
import { ConfirmDialog } from './confirm-dialog';
import { ErrorNotice } from './error-notice';
import { Field } from './field';
import { useFormAction } from './form-action';

const emptyBox = { code: '', name: '', packaging: '' };

export function BoxSizes({ boxSizes, onChanged }: { boxSizes: BoxSize[]; onChanged: () => Promise<void> }) {
  const [editing, setEditing] = useState(emptyBox);
  const [removing, setRemoving] = useState<BoxSize>();
  // The last change said in words, kept as a message so it follows a language switch.
  const [status, setStatus] = useState<{ key: MessageKey; values: Record<string, string> }>();
  const { busy, error, setError, submit } = useFormAction(async () => {
    const code = editing.code.trim();
    const name = editing.name.trim();
    await api('PUT', boxSizePath(code), { ...(name ? { name } : {}), packagingWeightGrams: Number(editing.packaging) });
    setStatus({ key: 'skus.boxSaved', values: { code } });
    setEditing(emptyBox);
    await onChanged();
  });

  async function remove(box: BoxSize) {
    setError(undefined);
    try {
      await api('DELETE', boxSizePath(box.code));
      setStatus({ key: 'skus.boxDeleted', values: { code: box.code } });
      await onChanged();
    } catch (caught) {
      setError(caught);
    } finally {
      setRemoving(undefined);
    }
  }

  return (
    <section class="card" aria-labelledby="box-sizes-title">
      <h2 id="box-sizes-title">{t('skus.boxesTitle')}</h2>
      <p>{t('skus.boxesHelp')}</p>
      {boxSizes.length === 0 ? (
        <p>{t('skus.boxesNone')}</p>
      ) : (
        <div class="table-scroll" role="region" aria-labelledby="box-sizes-title" tabIndex={0}>
          <table class="import-table" id="box-sizes">
            <thead>
              <tr>
                <th scope="col">{t('skus.boxCode')}</th>
                <th scope="col">{t('skus.boxName')}</th>
                <th scope="col" class="number">{t('skus.packagingWeight')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('skus.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {boxSizes.map((box) => (
                <tr key={box.code}>
                  <th scope="row">{box.code}</th>
                  <td>{box.name ?? ''}</td>
                  <td class="number">{formatGrams(box.packagingWeightGrams)}</td>
                  <td class="table-actions">
                    <button
                      type="button"
                      class="button-small"
                      aria-label={t('skus.editBox', { code: box.code })}
                      onClick={() => setEditing({ code: box.code, name: box.name ?? '', packaging: String(box.packagingWeightGrams) })}
                    >
                      {t('skus.edit')}
                    </button>
                    <button type="button" class="button-small button-danger" aria-label={t('skus.deleteBox', { code: box.code })} onClick={() => setRemoving(box)}>
                      {t('skus.delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form class="inline-form box-form" onSubmit={submit}>
        <Field id="box-code" label={t('skus.boxCode')}>
          <input id="box-code" required maxLength={100} autoComplete="off" value={editing.code} onInput={(event) => setEditing({ ...editing, code: event.currentTarget.value })} />
        </Field>
        <Field id="box-name" label={t('skus.boxName')}>
          <input id="box-name" maxLength={200} autoComplete="off" value={editing.name} onInput={(event) => setEditing({ ...editing, name: event.currentTarget.value })} />
        </Field>
        <Field id="box-packaging" label={t('skus.packagingWeightGrams')}>
          <input
            id="box-packaging"
            type="number"
            inputMode="decimal"
            required
            min={0}
            max={1_000_000}
            step="any"
            value={editing.packaging}
            onInput={(event) => setEditing({ ...editing, packaging: event.currentTarget.value })}
          />
        </Field>
        <button type="submit" class="button-primary" disabled={busy}>
          {t('skus.saveBox')}
        </button>
      </form>
      <ErrorNotice error={error} />
      <p role="status" class="status-line">
        {status && t(status.key, status.values)}
      </p>
      {removing && (
        <ConfirmDialog
          id="confirm-box"
          title={t('skus.confirmDeleteBox', { code: removing.code })}
          confirmLabel={t('skus.delete')}
          onConfirm={() => remove(removing)}
          onCancel={() => setRemoving(undefined)}
        />
      )}
    </section>
  );
}
