// One file's chain of custody, loaded when the seller opens it: who uploaded, looked at, played,
// downloaded or exported it, and when, in the shop's time zone. Opening it is itself a look at the
// log, not at the evidence, so it records nothing new.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorNotice } from './error-notice';
import { formatTime, t, type MessageKey } from '../i18n';

export interface CustodyEvent {
  seq: number;
  at: string;
  actorType: string;
  actorId: string | null;
  action: string;
  detail: Record<string, unknown> | null;
}

/** A person or phone a custody event may mention; `you` is worded at render, in the language shown. */
export type ActorNameMap = Map<string, { name: string; you?: boolean }>;
/** Names of the people and phones an order's custody events may mention, by id. */
export type ActorNames = () => Promise<ActorNameMap>;

const actionKeys: Record<string, MessageKey> = {
  upload: 'order.custody.upload',
  download: 'order.custody.download',
  export: 'order.custody.export',
  share_access: 'order.custody.shareAccess',
  scrub_problem: 'order.custody.scrubProblem',
  tag: 'order.custody.tag',
  hold: 'order.custody.hold',
  hold_release: 'order.custody.holdRelease',
  retention_remove: 'order.custody.retentionRemove',
};

function describeAction(event: CustodyEvent): string {
  if (event.action === 'view') {
    const copy = event.detail?.copy;
    return t(copy === 'thumbnail' ? 'order.custody.viewThumbnail' : copy === 'playback' ? 'order.custody.viewPlayback' : 'order.custody.viewDetails');
  }
  const key = actionKeys[event.action];
  return key ? t(key) : event.action;
}

function describeActor(event: CustodyEvent, names: ActorNameMap): string {
  if (event.actorType === 'system' || !event.actorId) return t('order.custody.system');
  const known = names.get(event.actorId);
  const name = known?.you ? t('order.custody.you', { name: known.name }) : known?.name;
  const kind = event.actorType === 'device' ? t('order.custody.phone') : event.actorType === 'share' ? t('order.custody.shareLink') : t('order.custody.user');
  return name ? `${name} (${kind})` : `${kind} ${event.actorId.slice(0, 8)}`;
}

export function CustodyLog({ mediaId, label, timeZone, names }: { mediaId: string; label: string; timeZone: string; names: ActorNames }) {
  // Codes and names only: every label is worded at render, so the log follows a change of language.
  const [events, setEvents] = useState<{ items: CustodyEvent[]; names: ActorNameMap }>();
  const [error, setError] = useState<unknown>();

  async function load() {
    setError(undefined);
    try {
      const [answer, known] = await Promise.all([api<{ items: CustodyEvent[] }>('GET', `/media/${encodeURIComponent(mediaId)}/custody`), names()]);
      setEvents({ items: answer.items, names: known });
    } catch (caught) {
      setError(caught);
    }
  }

  return (
    <details
      class="custody"
      onToggle={(event) => {
        if ((event.currentTarget as HTMLDetailsElement).open) load();
      }}
    >
      <summary>
        {t('order.custody.title')}
        <span class="visually-hidden"> · {label}</span>
      </summary>
      <ErrorNotice error={error} />
      <div aria-live="polite">
        {!events && !error && <p class="muted">{t('app.loading')}</p>}
        {events && events.items.length === 0 && <p class="muted">{t('order.custody.none')}</p>}
        {events && events.items.length > 0 && (
          <ol class="custody-events">
            {events.items.map((event) => (
              <li key={event.seq}>
                <time dateTime={event.at}>{formatTime(event.at, timeZone)}</time>
                <span>
                  {describeAction(event)} · {describeActor(event, events.names)}
                </span>
              </li>
            ))}
          </ol>
        )}
      </div>
    </details>
  );
}
