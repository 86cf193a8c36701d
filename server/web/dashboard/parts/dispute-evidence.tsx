// A dispute's evidence: what is attached, in the order the recipient will see it, each removable; and
// the order's timeline to pick from, a single file or a whole capture, each with the caption it goes
// out with. Only the disputed order's captures are offered (the server refuses any other).
import { useState } from 'preact/hooks';
import { api, mediaUrl, type Capture, type Media } from '../api';
import { formatTime, t, termKey } from '../i18n';
import type { DisputeDetail, Evidence } from './dispute-types';
import { ErrorNotice } from './error-notice';
import { mediaNumbers } from './media-numbers';

/** "Packing · Photo 2": a file named by its capture and its place in it, the same on every control. */
export function mediaName(capture: Pick<Capture, 'kind'>, media: Media, number: number) {
  return t('dispute.evidence.mediaName', { kind: t(termKey('capture.kind', capture.kind)), type: t(termKey('media', media.type)), number });
}

function captureName(capture: Pick<Capture, 'kind' | 'startedAt'>, timeZone: string) {
  return t('dispute.evidence.captureName', { kind: t(termKey('capture.kind', capture.kind)), time: formatTime(capture.startedAt, timeZone) });
}

interface Props {
  dispute: DisputeDetail;
  timeZone: string;
  onChanged: (message: () => string) => Promise<void>;
}

export function DisputeEvidence({ dispute, timeZone, onChanged }: Props) {
  const [error, setError] = useState<unknown>();
  const captures = dispute.order.captures;
  const numberAmongType = mediaNumbers(captures);
  const numberOf = (media: Media) => ({ capture: captures.find((candidate) => candidate.id === media.captureId), number: numberAmongType(media) });
  const evidenceName = (item: Evidence) => {
    if (item.media) {
      const { capture, number } = numberOf(item.media);
      return capture ? mediaName(capture, item.media, number) : t(termKey('media', item.media.type));
    }
    return item.capture ? t('dispute.evidence.wholeCapture', { capture: captureName(item.capture, timeZone) }) : '';
  };

  async function act(change: () => Promise<unknown>, message: () => string) {
    setError(undefined);
    try {
      await change();
      await onChanged(message);
    } catch (caught) {
      setError(caught);
    }
  }

  const attach = (target: { mediaId?: string; captureId?: string }, caption: string, name: string) =>
    act(() => api('POST', `/disputes/${dispute.id}/evidence`, { ...target, caption: caption.trim() || undefined }), () => t('dispute.evidence.attached', { name }));
  const remove = (item: Evidence) =>
    act(() => api('DELETE', `/disputes/${dispute.id}/evidence/${item.id}`), () => t('dispute.evidence.removed', { name: evidenceName(item) }));

  return (
    <section aria-labelledby="evidence-title" class="card">
      <h2 id="evidence-title">{t('dispute.evidence.title')}</h2>
      <ErrorNotice error={error} />
      <h3 id="evidence-chosen">{t('dispute.evidence.chosen')}</h3>
      {dispute.evidence.length === 0 ? (
        <p class="muted">{t('dispute.evidence.noneChosen')}</p>
      ) : (
        <ol class="evidence-chosen" aria-labelledby="evidence-chosen">
          {dispute.evidence.map((item, index) => (
            <li key={item.id} class="evidence-row">
              {/* The list's own numbers vanish with its grid layout; these say the same, once. */}
              <span class="evidence-number" aria-hidden="true">
                {index + 1}.
              </span>
              {item.media && (item.media.type === 'photo' || item.media.type === 'video') ? (
                <img src={mediaUrl(item.media.id, 'thumbnail')} alt="" width={72} height={54} loading="lazy" class="evidence-thumb" />
              ) : (
                <span class="evidence-thumb evidence-thumb-none" aria-hidden="true" />
              )}
              <span class="evidence-text">
                <strong>{evidenceName(item)}</strong>
                <span>{item.caption ?? <span class="muted">{t('dispute.evidence.noCaption')}</span>}</span>
              </span>
              <button type="button" class="button-danger" onClick={() => remove(item)} aria-label={t('dispute.evidence.removeNamed', { name: evidenceName(item) })}>
                {t('dispute.evidence.remove')}
              </button>
            </li>
          ))}
        </ol>
      )}

      <h3>{t('dispute.evidence.pick')}</h3>
      <p class="hint">{t('dispute.evidence.pickHint')}</p>
      {captures.length === 0 && <p>{t('order.noCaptures')}</p>}
      <ul class="evidence-pick">
        {captures.map((capture) => {
          const wholeLinked = dispute.evidence.some((item) => item.captureId === capture.id);
          const name = captureName(capture, timeZone);
          return (
            <li key={capture.id} class="pick-capture">
              <h4>{name}</h4>
              <ul class="pick-media">
                {capture.media.map((media) => {
                  const label = mediaName(capture, media, numberAmongType(media));
                  const linked = dispute.evidence.some((item) => item.mediaId === media.id);
                  return (
                    <li key={media.id} class="pick-item">
                      {media.type === 'photo' || media.type === 'video' ? (
                        <img src={mediaUrl(media.id, 'thumbnail')} alt="" width={96} height={72} loading="lazy" class="pick-thumb" />
                      ) : (
                        <span class="pick-thumb evidence-thumb-none" aria-hidden="true" />
                      )}
                      <PickForm id={`pick-${media.id}`} name={label} linked={linked} defaultCaption={media.caption} onAttach={(caption) => attach({ mediaId: media.id }, caption, label)} />
                    </li>
                  );
                })}
              </ul>
              <div class="pick-item pick-whole">
                <PickForm
                  id={`pick-${capture.id}`}
                  name={t('dispute.evidence.wholeCapture', { capture: name })}
                  linked={wholeLinked}
                  onAttach={(caption) => attach({ captureId: capture.id }, caption, t('dispute.evidence.wholeCapture', { capture: name }))}
                />
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** One thing to attach: its caption field and button, both named after it; once attached, a note instead. */
function PickForm({ id, name, linked, defaultCaption, onAttach }: { id: string; name: string; linked: boolean; defaultCaption?: string; onAttach: (caption: string) => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  if (linked) {
    return (
      <p class="pick-linked">
        <strong>{name}</strong> <span class="attached-mark">✓ {t('dispute.evidence.isAttached')}</span>
      </p>
    );
  }
  return (
    <form
      class="pick-form"
      onSubmit={async (event) => {
        event.preventDefault();
        setBusy(true);
        await onAttach(String(new FormData(event.currentTarget).get('caption') ?? ''));
        setBusy(false);
      }}
    >
      <label for={id}>{t('dispute.evidence.captionFor', { name })}</label>
      <div class="pick-controls">
        <input id={id} name="caption" maxLength={500} defaultValue={defaultCaption ?? ''} autoComplete="off" />
        <button type="submit" disabled={busy}>
          {t('dispute.evidence.attach')}
          <span class="visually-hidden"> {name}</span>
        </button>
      </div>
    </form>
  );
}
