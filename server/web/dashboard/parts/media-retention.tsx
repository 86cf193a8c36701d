// Retention on the order page: for each file, what keeps it (the owner's hold, a dispute) and when the
// retention job may remove it; the owner holds or releases it with a reason. A removed file shows when
// and why in place of its picture. The order's state is loaded once (GET /retention/orders/:orderId)
// and shared with every file through a context.
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import { api, type Media } from '../api';
import { formatTime, t, termKey } from '../i18n';
import { CustodyLog, type ActorNames } from './custody-log';
import { ErrorNotice } from './error-notice';
import { Field } from './field';

interface Hold {
  mediaId: string;
  reason?: string;
  heldBy: string;
  heldAt: string;
}

interface MediaRetentionState {
  mediaId: string;
  hold?: Hold;
  disputes: { disputeId: string; status: string; closedAt?: string; until?: string }[];
  removableAt?: string;
  removed?: { at: string; reason: string };
}

interface OrderRetentionContext {
  items: Map<string, MediaRetentionState>;
  retentionDays: number;
  canHold: boolean;
  timeZone: string;
  reload: () => Promise<void>;
}

const RetentionContext = createContext<OrderRetentionContext | undefined>(undefined);

/** Loads an order's retention state for the files inside it; staff only (packers see no retention). */
export function OrderRetention({ orderId, staff, owner, timeZone, children }: { orderId: string; staff: boolean; owner: boolean; timeZone: string; children: ComponentChildren }) {
  const [state, setState] = useState<{ retentionDays: number; items: MediaRetentionState[] }>();
  const reload = async () => {
    const answer = await api<{ retentionDays: number; items: MediaRetentionState[] }>('GET', `/retention/orders/${encodeURIComponent(orderId)}`);
    setState(answer);
  };
  useEffect(() => {
    setState(undefined);
    // Without it the files still show; only their retention line is missing.
    if (staff) reload().catch(() => {});
  }, [orderId, staff]);
  const value = state && {
    items: new Map(state.items.map((item) => [item.mediaId, item])),
    retentionDays: state.retentionDays,
    canHold: owner,
    timeZone,
    reload,
  };
  return <RetentionContext.Provider value={value}>{children}</RetentionContext.Provider>;
}

/** One file's retention line: removable when, or held by what; the owner's hold control. */
export function MediaRetention({ mediaId, label }: { mediaId: string; label: string }) {
  const context = useContext(RetentionContext);
  const [editing, setEditing] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const item = context?.items.get(mediaId);
  if (!context || !item || item.removed) return null;
  const time = (iso: string) => formatTime(iso, context.timeZone);

  async function change(action: () => Promise<unknown>) {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      await context!.reload();
      setEditing(false);
      setReason('');
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }
  const path = `/media/${encodeURIComponent(mediaId)}/hold`;

  return (
    <div class="media-retention" data-retention={item.hold ? 'held' : item.disputes.length > 0 ? 'dispute' : item.removableAt ? 'scheduled' : 'kept'}>
      {item.hold && (
        <p class="hold-line">
          <strong>{t('retention.held')}</strong>
          {item.hold.reason ? `: ${item.hold.reason}` : ''} <span class="muted">({t('retention.heldSince', { date: time(item.hold.heldAt) })})</span>
        </p>
      )}
      {item.disputes.map((dispute) => (
        <p key={dispute.disputeId} class="muted">
          {dispute.until ? t('retention.disputeClosed', { date: time(dispute.until) }) : t('retention.disputeOpen', { status: t(termKey('disputes.statuses', dispute.status)) })}
        </p>
      ))}
      {item.removableAt && <p class="muted">{t('retention.removableAt', { date: time(item.removableAt), days: context.retentionDays })}</p>}
      {!item.hold && item.disputes.length === 0 && !item.removableAt && context.retentionDays === 0 && <p class="muted">{t('retention.keptForEver')}</p>}
      {context.canHold && item.hold && (
        <button type="button" class="button-small" disabled={busy} onClick={() => change(() => api('DELETE', path))}>
          {t('retention.release')}
          <span class="visually-hidden"> · {label}</span>
        </button>
      )}
      {context.canHold && !item.hold && !editing && (
        <button type="button" class="button-small" onClick={() => setEditing(true)}>
          {t('retention.hold')}
          <span class="visually-hidden"> · {label}</span>
        </button>
      )}
      {context.canHold && !item.hold && editing && (
        <form
          class="inline-form hold-form"
          onSubmit={(event) => {
            event.preventDefault();
            change(() => api('PUT', path, reason.trim() ? { reason: reason.trim() } : {}));
          }}
        >
          <Field id={`hold-reason-${mediaId}`} label={t('retention.reason')}>
            <input id={`hold-reason-${mediaId}`} maxLength={500} value={reason} onInput={(event) => setReason(event.currentTarget.value)} />
          </Field>
          <button type="submit" class="button-small" disabled={busy}>
            {t('retention.holdConfirm')}
          </button>
          <button type="button" class="button-small button-quiet" onClick={() => setEditing(false)}>
            {t('retention.cancel')}
          </button>
        </form>
      )}
      <ErrorNotice error={error} />
    </div>
  );
}

/** A file whose original retention removed: no picture or download, only when and why, its hash and its custody. */
export function RemovedMediaItem({ media, label, timeZone, names }: { media: Media & { removed: NonNullable<Media['removed']> }; label: string; timeZone: string; names: ActorNames }) {
  return (
    <li class="media-item media-removed" data-media-id={media.id}>
      <div class="media-facts">
        <strong>
          {label}
          {media.caption ? `: ${media.caption}` : ''}
        </strong>
        <p class="removed-line" role="note">
          {t('retention.removed', { date: formatTime(media.removed.at, timeZone) })} {t('retention.removedByRetention')}
        </p>
        <span class="muted">
          {t('order.media.received')}: {formatTime(media.receivedAt, timeZone)}
        </span>
        <span class="muted">
          <abbr title="SHA-256">{t('media.sha256')}</abbr> <code>{media.sha256}</code>
        </span>
        <CustodyLog mediaId={media.id} label={label} timeZone={timeZone} names={names} />
      </div>
    </li>
  );
}
