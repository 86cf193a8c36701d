// Import orders from a marketplace's export: the channel (its preset column names, or the seller's own
// for a custom file), the file, and the columns as remembered for that channel; the upload (with its
// progress) answers with a preview, nothing written yet; "Import N orders" then writes them all in one
// transaction, and the result links to the orders. Loaded only when opened (main.tsx).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, type Me } from '../api';
import { channelName } from '../parts/channel-name';
import { ErrorNotice } from '../parts/error-notice';
import { Field } from '../parts/field';
import { fileHeaders } from '../parts/file-headers';
import { cleanMapping, ImportMapping, sameMapping } from '../parts/import-mapping';
import { ImportPreviewCard } from '../parts/import-preview';
import type { ColumnMapping, ImportCommitted, ImportPreset, ImportPreview } from '../parts/import-types';
import { sendWithProgress } from '../parts/send-with-progress';
import { UploadProgress } from '../parts/upload-progress';
import { formatNumber, t } from '../i18n';
import { followLink, searchPath } from '../router';

const CHANNEL_KEY = 'packtrail.dashboard.importChannel';
const OFFERED_FILES = '.csv,.tsv,.txt,.xlsx,text/csv,text/tab-separated-values,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** What the server's refusal of a commit means to the seller (the preview is gone or already used). */
function commitRefusal(error: unknown) {
  if (error instanceof ApiError && error.status === 410) return t('imports.expired');
  if (error instanceof ApiError && error.code === 'ALREADY_COMMITTED') return t('imports.alreadyCommitted');
  return undefined;
}

/** The channel's name as offered: a preset's own (a marketplace's name), "custom" in the seller's language. */
const channelLabel = (preset: ImportPreset) => (preset.channel === 'custom' ? t('imports.customChannel') : channelName(preset.channel));

function rememberedChannel(): string | undefined {
  try {
    return localStorage.getItem(CHANNEL_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function ImportOrdersScreen({ me }: { me: Me }) {
  const [presets, setPresets] = useState<ImportPreset[]>();
  const [channel, setChannel] = useState<string>();
  const [mapping, setMapping] = useState<ColumnMapping>({});
  const [remembered, setRemembered] = useState<ColumnMapping>({});
  /** The channel whose columns are shown: the form waits for them, so nothing typed is overwritten. */
  const [mappingFor, setMappingFor] = useState<string>();
  const [headers, setHeaders] = useState<string[]>([]);
  const [progress, setProgress] = useState<number>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [preview, setPreview] = useState<ImportPreview>();
  const [committed, setCommitted] = useState<ImportCommitted>();
  /** The columns the preview was made with: remembered for the channel once it is imported. */
  const [previewColumns, setPreviewColumns] = useState<ColumnMapping>();
  /** The file's header when it lacked the order ID column (the server's IMPORT_COLUMNS_NOT_FOUND). */
  const [unmatched, setUnmatched] = useState<{ orderIdColumn: string; header: string[] }>();
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    api<{ items: ImportPreset[] }>('GET', '/orders/import-presets').then((answer) => {
      setPresets(answer.items);
      const last = rememberedChannel();
      setChannel(answer.items.some((preset) => preset.channel === last) ? last : answer.items[0]?.channel);
    }, setError);
  }, []);

  // The columns remembered for the channel (or its preset's), each time another channel is chosen.
  useEffect(() => {
    if (!channel) return;
    let current = true;
    api<{ channel: string; columns: ColumnMapping }>('GET', `/orders/import-mappings/${encodeURIComponent(channel)}`).then((answer) => {
      if (!current) return;
      setMapping(answer.columns);
      setRemembered(answer.columns);
      setMappingFor(channel);
    }, setError);
    return () => {
      current = false;
    };
  }, [channel]);

  function chooseChannel(next: string) {
    setChannel(next);
    try {
      localStorage.setItem(CHANNEL_KEY, next);
    } catch {
      // Not remembered in a private window: the first channel is offered next time.
    }
  }

  async function upload(event: Event) {
    event.preventDefault();
    const file = (form.current?.elements.namedItem('file') as HTMLInputElement | null)?.files?.[0];
    if (!file || !channel) return;
    setBusy(true);
    setError(undefined);
    setUnmatched(undefined);
    setProgress(0);
    try {
      const columns = cleanMapping(mapping);
      const body = new FormData();
      body.append('channel', channel);
      body.append('columns', JSON.stringify(columns));
      body.append('file', file, file.name);
      setPreview(await sendWithProgress<ImportPreview>('/orders/imports', body, setProgress));
      setPreviewColumns(columns);
    } catch (caught) {
      const details = caught instanceof ApiError && caught.code === 'IMPORT_COLUMNS_NOT_FOUND' ? (caught.body?.details as { header?: string[] } | undefined) : undefined;
      if (details) setUnmatched({ orderIdColumn: cleanMapping(mapping).orderId ?? '', header: details.header ?? [] });
      else setError(caught);
    } finally {
      setBusy(false);
      setProgress(undefined);
    }
  }

  async function commit() {
    if (!preview) return;
    setBusy(true);
    setError(undefined);
    try {
      setCommitted(await api<ImportCommitted>('POST', `/orders/imports/${encodeURIComponent(preview.id)}/commit`));
      setPreview(undefined);
      // Columns that imported are remembered for this channel, so tomorrow's file needs nothing but
      // choosing; columns tried on a file and not imported change nothing.
      if (channel && previewColumns && !sameMapping(previewColumns, remembered)) {
        await api('PUT', `/orders/import-mappings/${encodeURIComponent(channel)}`, { columns: previewColumns });
        setRemembered(previewColumns);
      }
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  function startOver() {
    setPreview(undefined);
    setCommitted(undefined);
    setError(undefined);
    setUnmatched(undefined);
    form.current?.reset();
    setHeaders([]);
  }

  const preset = presets?.find((entry) => entry.channel === channel);
  const refusal = commitRefusal(error);
  return (
    <section aria-labelledby="import-title" class="import-screen">
      <h1 id="import-title">{t('imports.title')}</h1>
      <p>{t('imports.intro')}</p>
      {committed && <ImportDone committed={committed} onAnother={startOver} />}
      {preview && <ImportPreviewCard preview={preview} timeZone={me.shop.timezone} busy={busy} onCommit={commit} onStartOver={startOver} />}
      {refusal ? (
        <div class="notice notice-error" role="alert">
          <strong>{refusal}</strong>
        </div>
      ) : (
        <ErrorNotice error={error} />
      )}
      {unmatched && (
        <div class="notice notice-error" role="alert" id="import-unmatched">
          <strong>{t('imports.columnsNotFound', { column: unmatched.orderIdColumn })}</strong>
          {unmatched.header.length > 0 && <p>{t('imports.fileColumns', { columns: unmatched.header.filter(Boolean).join(', ') })}</p>}
          <p>{t('imports.columnsNotFoundHelp')}</p>
        </div>
      )}
      {!presets && !error && <p aria-live="polite">{t('app.loading')}</p>}
      {presets && !preview && !committed && (
        <form ref={form} class="card import-form" onSubmit={upload}>
          <h2 class="form-title">{t('imports.chooseTitle')}</h2>
          <Field id="import-channel" label={t('imports.channel')} hint={t('imports.channelHint')}>
            <select id="import-channel" name="channel" value={channel} aria-describedby="import-channel-hint" onChange={(event) => chooseChannel(event.currentTarget.value)}>
              {presets.map((entry) => (
                <option key={entry.channel} value={entry.channel}>
                  {channelLabel(entry)}
                </option>
              ))}
            </select>
          </Field>
          <Field id="import-file" label={t('imports.file')} hint={t('imports.fileHint')}>
            <input
              id="import-file"
              name="file"
              type="file"
              required
              accept={OFFERED_FILES}
              aria-describedby="import-file-hint"
              onChange={(event) => {
                const file = event.currentTarget.files?.[0];
                if (file) fileHeaders(file).then(setHeaders, () => setHeaders([]));
              }}
            />
          </Field>
          {channel && mappingFor === channel && (
            <ImportMapping
              key={channel}
              mapping={mapping}
              onChange={setMapping}
              headers={unmatched?.header.length ? unmatched.header : headers}
              custom={channel === 'custom'}
              channelName={preset ? channelLabel(preset) : channel}
              presetColumns={channel !== 'custom' ? preset?.columns : undefined}
              open={!!unmatched}
            />
          )}
          <div class="row">
            <button type="submit" class="button-primary" disabled={busy || mappingFor !== channel}>
              {t('imports.upload')}
            </button>
            <UploadProgress id="import-progress" progress={progress} label={t('imports.uploading')} doneLabel={t('imports.reading')} />
          </div>
        </form>
      )}
    </section>
  );
}

function ImportDone({ committed, onAnother }: { committed: ImportCommitted; onAnother: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [committed.id]);
  return (
    <section class="notice notice-success import-done" aria-labelledby="import-done-title" id="import-done">
      <h2 id="import-done-title" ref={heading} tabIndex={-1}>
        {t('imports.doneTitle')}
      </h2>
      <p>
        {t('imports.doneCounts', {
          created: formatNumber(committed.created),
          updated: formatNumber(committed.updated),
          unchanged: formatNumber(committed.unchanged),
        })}
      </p>
      <div class="row">
        <a class="action-link button-primary" href={searchPath()} onClick={followLink}>
          {t('imports.findOrders')}
        </a>
        <button type="button" onClick={onAnother}>
          {t('imports.another')}
        </button>
      </div>
    </section>
  );
}
