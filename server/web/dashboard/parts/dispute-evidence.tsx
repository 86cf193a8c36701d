// A dispute's evidence: what is attached, in the order the recipient will see it, each movable up or
// down and removable; and the order's timeline to pick from, a single file or a whole capture, each
// with the caption it goes out with. Only the disputed order's captures are offered (the server refuses
// any other). After each change focus stays where the hand is: on the note that replaced the Attach
// button, or on the moved item's own button, so a phone does not jump to the top of the page.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, mediaUrl, type Capture, type Media } from '../api';
import { formatTime, t, termKey } from '../i18n';
import type { DisputeDetail, Evidence } from './dispute-types';
import { ErrorNotice } from './error-notice';
import { mediaNumbers } from './media-numbers';

/** "Packing · Photo 2": a file named by its capture and its place in it, the same on every control. */
export function mediaName(capture: Pick<Capture, 'kind'>, media: Media, number: number) {
  return t('dispute.evidence.mediaName', { kind: t(termKey('capture.kind', capture.kind)), type: t(termKey('media', media.type)), number });
}

/** A file with no picture to show (a recording, a PDF): a plain sign and the word for its type. */
export function MediaTypeSign({ type, class: className }: { type: string; class: string }) {
  return (
    <span class={`${className} media-type-sign`} aria-hidden="true">
      <span class="media-type-icon">{type === 'audio' ? '♪' : type === 'document' ? '▤' : '▢'}</span>
      <span class="media-type-word">{t(termKey('media', type))}</span>
    </span>
  );
}

const hasPicture = (media: Media | undefined) => media?.type === 'photo' || media?.type === 'video';

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

  // Seen as the focused note where the button was (see PickForm); said by the page's status line too.
  const attach = (target: { mediaId?: string; captureId?: string }, name: string) => (caption: string) =>
    act(() => api('POST', `/disputes/${dispute.id}/evidence`, { ...target, caption: caption.trim() || undefined }), () => t('dispute.evidence.attached', { name }));
  const chosenHeading = useRef<HTMLHeadingElement>(null);
  const remove = async (item: Evidence) => {
    await act(() => api('DELETE', `/disputes/${dispute.id}/evidence/${item.id}`), () => t('dispute.evidence.removed', { name: evidenceName(item) }));
    // The pressed button went with its row: the list's heading keeps the place.
    chosenHeading.current?.focus();
  };
  // The moved item's button to give focus back to once the list is redrawn in its new order.
  const [refocus, setRefocus] = useState<{ id: string; direction: 'up' | 'down' }>();
  const move = (item: Evidence, index: number, direction: 'up' | 'down') => {
    const place = direction === 'up' ? index - 1 : index + 1;
    setRefocus({ id: item.id, direction });
    return act(
      () => api('PATCH', `/disputes/${dispute.id}/evidence/${item.id}`, { position: place }),
      () => t('dispute.evidence.moved', { name: evidenceName(item), place: place + 1 }),
    );
  };
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    if (!refocus) return;
    const row = list.current?.querySelector<HTMLElement>(`[data-evidence-id="${refocus.id}"]`);
    // At the top (or bottom) the button pressed is disabled: the other direction's takes the focus.
    const pressed = row?.querySelector<HTMLButtonElement>(`.move-${refocus.direction}`);
    const other = row?.querySelector<HTMLButtonElement>(`.move-${refocus.direction === 'up' ? 'down' : 'up'}`);
    (pressed && !pressed.disabled ? pressed : other)?.focus();
  }, [dispute.evidence.map((item) => item.id).join()]);

  return (
    <section aria-labelledby="evidence-title" class="card">
      <h2 id="evidence-title">{t('dispute.evidence.title')}</h2>
      <ErrorNotice error={error} />
      <h3 id="evidence-chosen" ref={chosenHeading} tabIndex={-1}>{t('dispute.evidence.chosen')}</h3>
      {dispute.evidence.length === 0 ? (
        <p class="muted">{t('dispute.evidence.noneChosen')}</p>
      ) : (
        <ol class="evidence-chosen" aria-labelledby="evidence-chosen" ref={list}>
          {dispute.evidence.map((item, index) => (
            <li key={item.id} class="evidence-row" data-evidence-id={item.id}>
              {/* The list's own numbers vanish with its grid layout; these say the same, once. */}
              <span class="evidence-number" aria-hidden="true">
                {index + 1}.
              </span>
              {item.media && hasPicture(item.media) ? (
                <img src={mediaUrl(item.media.id, 'thumbnail')} alt="" width={72} height={54} loading="lazy" class="evidence-thumb" />
              ) : item.media ? (
                <MediaTypeSign type={item.media.type} class="evidence-thumb" />
              ) : (
                <span class="evidence-thumb evidence-thumb-none" aria-hidden="true" />
              )}
              <span class="evidence-text">
                <strong>{evidenceName(item)}</strong>
                <span>{item.caption ?? <span class="muted">{t('dispute.evidence.noCaption')}</span>}</span>
              </span>
              <span class="evidence-actions">
                <button
                  type="button"
                  class="move-up icon-button"
                  title={t('dispute.evidence.moveUp')}
                  disabled={index === 0}
                  onClick={() => move(item, index, 'up')}
                  aria-label={t('dispute.evidence.moveUpNamed', { name: evidenceName(item) })}
                >
                  <span aria-hidden="true">↑</span>
                </button>
                <button
                  type="button"
                  class="move-down icon-button"
                  title={t('dispute.evidence.moveDown')}
                  disabled={index === dispute.evidence.length - 1}
                  onClick={() => move(item, index, 'down')}
                  aria-label={t('dispute.evidence.moveDownNamed', { name: evidenceName(item) })}
                >
                  <span aria-hidden="true">↓</span>
                </button>
                <button type="button" class="button-danger" onClick={() => remove(item)} aria-label={t('dispute.evidence.removeNamed', { name: evidenceName(item) })}>
                  {t('dispute.evidence.remove')}
                </button>
              </span>
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
                      {hasPicture(media) ? (
                        <img src={mediaUrl(media.id, 'thumbnail')} alt="" width={96} height={72} loading="lazy" class="pick-thumb" />
                      ) : (
                        <MediaTypeSign type={media.type} class="pick-thumb" />
                      )}
                      <PickForm id={`pick-${media.id}`} name={label} linked={linked} defaultCaption={media.caption} onAttach={attach({ mediaId: media.id }, label)} />
                    </li>
                  );
                })}
              </ul>
              <div class="pick-item pick-whole">
                <PickForm
                  id={`pick-${capture.id}`}
                  name={t('dispute.evidence.wholeCapture', { capture: name })}
                  linked={wholeLinked}
                  onAttach={attach({ captureId: capture.id }, t('dispute.evidence.wholeCapture', { capture: name }))}
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
  // Set when this form's own Attach was pressed: the note that replaces the button then takes the focus
  // (the pressed button is gone, and focus would fall to the page's top) and is read out, where it was pressed.
  const [justAttached, setJustAttached] = useState(false);
  const note = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (!linked || !justAttached) return;
    note.current?.focus({ preventScroll: true });
    // Centred rather than just in view: the attached list above grows by one as this happens, and on a
    // phone an element scrolled only to the screen's edge is pushed out of it again.
    requestAnimationFrame(() => note.current?.scrollIntoView({ block: 'center' }));
  }, [linked, justAttached]);
  if (linked) {
    return (
      <p class="pick-linked" ref={note} tabIndex={justAttached ? -1 : undefined}>
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
        setJustAttached(true);
        await onAttach(String(new FormData(event.currentTarget).get('caption') ?? ''));
        setBusy(false);
      }}
    >
      <label for={id}>{t('dispute.evidence.captionFor', { name })}</label>
      <div class="pick-controls">
        <input id={id} name="caption" maxLength={500} defaultValue={defaultCaption ?? ''} autoComplete="off" />
        <button type="submit" disabled={busy} aria-label={t('dispute.evidence.attachNamed', { name })}>
          {t('dispute.evidence.attach')}
        </button>
      </div>
    </form>
  );
}
