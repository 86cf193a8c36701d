// Evidence from the seller's desk: call recordings, chat screenshots, PDFs. They go into a capture of
// kind `other` on this order: the capture is started, the files sent with their caption (with the
// progress shown), then it is finished so nothing can be added to it later. A refused upload leaves
// the capture open, and the next try sends into the same one.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, type Capture, type Media } from '../api';
import { ErrorNotice } from './error-notice';
import { sendWithProgress } from './send-with-progress';
import { Field } from './field';
import { formatNumber, t, type MessageKey } from '../i18n';

/** What the file chooser offers first; the server decides by the bytes themselves. */
const OFFERED_TYPES = 'audio/*,image/*,application/pdf,.m4a,.mp3,.amr,.3gp,.wav,.ogg,.opus,.pdf,video/*';

/** The upload refusals a person can act on, said plainly, with the server's own words below. */
const refusals: Record<string, MessageKey> = {
  UPLOAD_CUT: 'order.evidence.cut',
  PAYLOAD_TOO_LARGE: 'order.evidence.tooLarge',
  UNSUPPORTED_MEDIA_TYPE: 'order.evidence.wrongType',
  UNPROCESSABLE_MEDIA: 'order.evidence.unreadable',
  IMAGE_TOO_LARGE: 'order.evidence.tooLarge',
};

function UploadError({ error }: { error: unknown }) {
  const refusal = error instanceof ApiError ? refusals[error.code] : undefined;
  if (!refusal) return <ErrorNotice error={error} />;
  const { message } = error as ApiError;
  return (
    <div class="notice notice-error" role="alert">
      <strong>{t(refusal)}</strong>
      {message && <p>{t('error.serverSays', { message })}</p>}
    </div>
  );
}

export function AddEvidence({ orderId, onAdded }: { orderId: string; onAdded: (count: number) => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<number>();
  const [error, setError] = useState<unknown>();
  // How many files the last upload added, worded in the language shown.
  const [added, setAdded] = useState<number>();
  const openCapture = useRef<string>();
  // The button is disabled while sending, which drops its focus to the page: it gets it back when done,
  // with the confirmation beside it, so on a phone both stay where the thumb is.
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (added === undefined || busy) return;
    button.current?.focus();
    // The new entry grew the timeline above: the button and its confirmation are brought back into view.
    button.current?.parentElement?.scrollIntoView({ block: 'nearest' });
  }, [added, busy]);

  async function submit(event: Event) {
    event.preventDefault();
    const element = event.currentTarget as HTMLFormElement;
    const data = new FormData(element);
    const files = data.getAll('file').filter((file): file is File => file instanceof File && file.size > 0);
    const caption = String(data.get('caption') ?? '').trim();
    if (files.length === 0) return;
    setBusy(true);
    setError(undefined);
    setAdded(undefined);
    setProgress(0);
    try {
      openCapture.current ??= (await api<Capture>('POST', '/captures', { orderId, kind: 'other' })).id;
      const form = new FormData();
      // The caption is read before the files it belongs to.
      if (caption) form.append('caption', caption);
      for (const file of files) form.append('file', file, file.name);
      const sent = await sendWithProgress<{ media: Media[] }>(`/captures/${encodeURIComponent(openCapture.current)}/media`, form, setProgress);
      await api('POST', `/captures/${encodeURIComponent(openCapture.current)}/finish`);
      openCapture.current = undefined;
      element.reset();
      await onAdded(sent.media.length);
      setAdded(sent.media.length);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
      setProgress(undefined);
    }
  }

  return (
    <section class="card add-evidence" aria-labelledby="add-evidence-title">
      <h2 id="add-evidence-title">{t('order.evidence.title')}</h2>
      <p class="hint">{t('order.evidence.intro')}</p>
      <form onSubmit={submit}>
        <Field id="evidence-files" label={t('order.evidence.files')} hint={t('order.evidence.filesHint')}>
          <input id="evidence-files" name="file" type="file" multiple required accept={OFFERED_TYPES} aria-describedby="evidence-files-hint" />
        </Field>
        <Field id="evidence-caption" label={t('order.evidence.caption')} hint={t('order.evidence.captionHint')}>
          <input id="evidence-caption" name="caption" required maxLength={500} autoComplete="off" aria-describedby="evidence-caption-hint" />
        </Field>
        <div class="row">
          <button type="submit" class="button-primary" disabled={busy} ref={button}>
            {t('order.evidence.submit')}
          </button>
          <span role="status" class="inline-status">
            {added !== undefined && t('order.evidence.added', { count: added })}
          </span>
          {progress !== undefined && (
            <span class="upload-progress">
              <progress id="evidence-progress" max={1} value={progress} aria-label={t('order.evidence.progress')} />
              <span>{formatNumber(progress, { style: 'percent' })}</span>
            </span>
          )}
        </div>
      </form>
      <UploadError error={error} />
    </section>
  );
}
