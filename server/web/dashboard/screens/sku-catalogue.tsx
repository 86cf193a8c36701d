// The SKU catalogue: what one unit of each product weighs and the box it ships in, so an imported
// order whose export has no weights still gets an expected weight. SKUs are searched, added, changed
// and removed here, or brought in from a CSV/XLSX list (each refused row shown with its line); the
// box sizes and their packaging weights below. Loaded only when opened (main.tsx).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import { BoxSizes } from '../parts/box-sizes';
import { skuPath, type BoxSize, type Sku, type SkuImportResult } from '../parts/catalogue-types';
import { ConfirmDialog } from '../parts/confirm-dialog';
import { ErrorNotice, ScreenError } from '../parts/error-notice';
import { Field } from '../parts/field';
import { useFormAction } from '../parts/form-action';
import { RefusedRows } from '../parts/refused-rows';
import { sendWithProgress } from '../parts/send-with-progress';
import { UploadProgress } from '../parts/upload-progress';
import { formatGrams, formatNumber, t, type MessageKey } from '../i18n';
import { followLink } from '../router';
import { dashboardScreens } from '../screens';

const TYPING_PAUSE_MS = 200;
const OFFERED_FILES = '.csv,.tsv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const emptySku = { sku: '', name: '', weight: '', boxSize: '' };

interface SkuPage {
  items: Sku[];
  nextCursor?: string | null;
}

export function SkuCatalogueScreen() {
  const [q, setQ] = useState('');
  const [page, setPage] = useState<SkuPage>();
  const [boxSizes, setBoxSizes] = useState<BoxSize[]>([]);
  const [loadError, setLoadError] = useState<unknown>();
  const [editing, setEditing] = useState(emptySku);
  const [editingExisting, setEditingExisting] = useState(false);
  const [removing, setRemoving] = useState<Sku>();
  // The last change said in words, kept as a message so it follows a language switch.
  const [status, setStatus] = useState<{ key: MessageKey; values: Record<string, string> }>();
  const latest = useRef(0);
  const form = useRef<HTMLFormElement>(null);

  const loadSkus = async (cursor?: string) => {
    const call = ++latest.current;
    const params = new URLSearchParams();
    if (q.trim()) params.set('q', q.trim());
    if (cursor) params.set('cursor', cursor);
    try {
      const answer = await api<SkuPage>('GET', `/skus${params.toString() ? `?${params}` : ''}`);
      if (call !== latest.current) return;
      setPage((shown) => (cursor && shown ? { items: [...shown.items, ...answer.items], nextCursor: answer.nextCursor } : answer));
      setLoadError(undefined);
    } catch (caught) {
      if (call === latest.current) setLoadError(caught);
    }
  };
  const loadBoxSizes = () => api<{ items: BoxSize[] }>('GET', '/box-sizes').then((answer) => setBoxSizes(answer.items), setLoadError);

  useEffect(() => {
    loadBoxSizes();
  }, []);
  useEffect(() => {
    const timer = setTimeout(() => loadSkus(), page === undefined ? 0 : TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [q]);

  const { busy, error, setError, submit } = useFormAction(async () => {
    const sku = editing.sku.trim();
    const name = editing.name.trim();
    await api('PUT', skuPath(sku), {
      ...(name ? { name } : {}),
      ...(editing.weight.trim() ? { unitWeightGrams: Number(editing.weight) } : {}),
      ...(editing.boxSize ? { boxSize: editing.boxSize } : {}),
    });
    setStatus({ key: 'skus.saved', values: { sku } });
    setEditing(emptySku);
    setEditingExisting(false);
    await loadSkus();
  });

  function edit(sku: Sku) {
    setEditing({ sku: sku.sku, name: sku.name ?? '', weight: sku.unitWeightGrams === undefined ? '' : String(sku.unitWeightGrams), boxSize: sku.boxSize ?? '' });
    setEditingExisting(true);
    setStatus(undefined);
    form.current?.scrollIntoView({ block: 'nearest' });
    form.current?.querySelector<HTMLInputElement>('#sku-name')?.focus();
  }

  async function remove(sku: Sku) {
    setError(undefined);
    try {
      await api('DELETE', skuPath(sku.sku));
      setStatus({ key: 'skus.deleted', values: { sku: sku.sku } });
      await loadSkus();
    } catch (caught) {
      setError(caught);
    } finally {
      setRemoving(undefined);
    }
  }

  const boxName = (code?: string) => {
    if (!code) return '';
    const box = boxSizes.find((entry) => entry.code === code);
    return box?.name ? `${box.name} (${code})` : code;
  };

  return (
    <section aria-labelledby="skus-title" class="sku-screen">
      <p>
        <a href={dashboardScreens.settings} onClick={followLink} class="back">
          ← {t('skus.back')}
        </a>
      </p>
      <h1 id="skus-title">{t('skus.title')}</h1>
      <p>{t('skus.intro')}</p>
      <section class="card" aria-labelledby="skus-list-title">
        <h2 id="skus-list-title">{t('skus.listTitle')}</h2>
        <form role="search" class="sku-search" onSubmit={(event) => event.preventDefault()}>
          <Field id="sku-search" label={t('skus.search')}>
            <input id="sku-search" type="search" autoComplete="off" spellcheck={false} value={q} onInput={(event) => setQ(event.currentTarget.value)} />
          </Field>
        </form>
        {loadError ? <ScreenError error={loadError} onRetry={() => (loadSkus(), loadBoxSizes())} /> : null}
        {!page && !loadError && <p aria-live="polite">{t('app.loading')}</p>}
        <p class="result-status" aria-live="polite" id="skus-status">
          {page && (page.items.length === 0 ? (q.trim() ? t('skus.noneFound', { q: q.trim() }) : t('skus.none')) : t('skus.count', { count: page.items.length }))}
        </p>
        {page && page.items.length > 0 && (
          <div class="table-scroll" role="region" aria-labelledby="skus-list-title" tabIndex={0}>
            <table class="import-table" id="skus">
              <thead>
                <tr>
                  <th scope="col">{t('skus.sku')}</th>
                  <th scope="col">{t('skus.name')}</th>
                  <th scope="col" class="number">{t('skus.unitWeight')}</th>
                  <th scope="col">{t('skus.boxSize')}</th>
                  <th scope="col">
                    <span class="visually-hidden">{t('skus.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((sku) => (
                  <tr key={sku.sku}>
                    <th scope="row">
                      <code>{sku.sku}</code>
                    </th>
                    <td>{sku.name ?? ''}</td>
                    <td class="number">{sku.unitWeightGrams === undefined ? <span class="muted">{t('skus.noWeight')}</span> : formatGrams(sku.unitWeightGrams)}</td>
                    <td>{boxName(sku.boxSize)}</td>
                    <td class="table-actions">
                      <button type="button" class="button-small" aria-label={t('skus.editSku', { sku: sku.sku })} onClick={() => edit(sku)}>
                        {t('skus.edit')}
                      </button>
                      <button type="button" class="button-small button-danger" aria-label={t('skus.deleteSku', { sku: sku.sku })} onClick={() => setRemoving(sku)}>
                        {t('skus.delete')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {page?.nextCursor && (
          <button type="button" onClick={() => loadSkus(page.nextCursor!)}>
            {t('skus.more')}
          </button>
        )}
      </section>

      <form ref={form} class="card sku-form" onSubmit={submit} aria-labelledby="sku-form-title">
        <h2 id="sku-form-title">{editingExisting ? t('skus.editTitle', { sku: editing.sku }) : t('skus.addTitle')}</h2>
        <div class="sku-form-grid">
          <Field id="sku-code" label={t('skus.sku')}>
            <input
              id="sku-code"
              required
              maxLength={200}
              autoComplete="off"
              readOnly={editingExisting}
              value={editing.sku}
              onInput={(event) => setEditing({ ...editing, sku: event.currentTarget.value })}
            />
          </Field>
          <Field id="sku-name" label={t('skus.name')}>
            <input id="sku-name" maxLength={500} autoComplete="off" value={editing.name} onInput={(event) => setEditing({ ...editing, name: event.currentTarget.value })} />
          </Field>
          <Field id="sku-weight" label={t('skus.unitWeightGrams')}>
            <input
              id="sku-weight"
              type="number"
              inputMode="decimal"
              min={0}
              max={1_000_000}
              step="any"
              value={editing.weight}
              onInput={(event) => setEditing({ ...editing, weight: event.currentTarget.value })}
            />
          </Field>
          <Field id="sku-box" label={t('skus.boxSize')}>
            <select id="sku-box" value={editing.boxSize} onChange={(event) => setEditing({ ...editing, boxSize: event.currentTarget.value })}>
              <option value="">{t('skus.noBox')}</option>
              {boxSizes.map((box) => (
                <option key={box.code} value={box.code}>
                  {boxName(box.code)}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <ErrorNotice error={error} />
        <div class="row">
          <button type="submit" class="button-primary" disabled={busy}>
            {t('skus.save')}
          </button>
          {editingExisting && (
            <button
              type="button"
              onClick={() => {
                setEditing(emptySku);
                setEditingExisting(false);
              }}
            >
              {t('skus.cancel')}
            </button>
          )}
        </div>
        <p role="status" class="status-line" id="sku-status">
          {status && t(status.key, status.values)}
        </p>
      </form>

      <SkuImport onImported={() => loadSkus()} />
      <BoxSizes boxSizes={boxSizes} onChanged={loadBoxSizes} />
      {removing && (
        <ConfirmDialog id="confirm-sku" title={t('skus.confirmDelete', { sku: removing.sku })} confirmLabel={t('skus.delete')} onConfirm={() => remove(removing)} onCancel={() => setRemoving(undefined)}>
          <p>{t('skus.confirmDeleteHelp')}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function SkuImport({ onImported }: { onImported: () => Promise<void> }) {
  const [progress, setProgress] = useState<number>();
  const [result, setResult] = useState<SkuImportResult>();
  const { busy, error, submit } = useFormAction(async (_form, element) => {
    const file = (element.elements.namedItem('file') as HTMLInputElement).files?.[0];
    if (!file) return;
    setResult(undefined);
    setProgress(0);
    try {
      const body = new FormData();
      body.append('file', file, file.name);
      setResult(await sendWithProgress<SkuImportResult>('/skus/imports', body, setProgress));
      element.reset();
      await onImported();
    } finally {
      setProgress(undefined);
    }
  });
  return (
    <section class="card" aria-labelledby="sku-import-title">
      <h2 id="sku-import-title">{t('skus.importTitle')}</h2>
      <p>{t('skus.importHelp')}</p>
      <form class="inline-form" onSubmit={submit}>
        <Field id="sku-file" label={t('skus.importFile')}>
          <input id="sku-file" name="file" type="file" required accept={OFFERED_FILES} />
        </Field>
        <button type="submit" class="button-primary" disabled={busy}>
          {t('skus.importButton')}
        </button>
        <UploadProgress id="sku-progress" progress={progress} label={t('imports.uploading')} doneLabel={t('imports.reading')} />
      </form>
      <ErrorNotice error={error} />
      <div role="status" id="sku-import-result">
        {result && (
          // Refused rows need the seller's attention: not the green of a clean import.
          <p class={`notice ${result.refused.length > 0 ? 'notice-warning' : 'notice-success'}`}>
            {t('skus.imported', { created: formatNumber(result.created), updated: formatNumber(result.updated), refused: formatNumber(result.refused.length) })}
          </p>
        )}
      </div>
      {result && <RefusedRows id="sku-refused" rows={result.refused} words="skus" />}
    </section>
  );
}
