// Read-only links for an outside recipient: made with a lifetime, copied once (only the link's hash is
// kept, so it is shown only when made), revoked after a confirmation, and how often each was opened.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import { formatTime, t } from '../i18n';
import type { Share } from './dispute-types';
import { ErrorNotice } from './error-notice';
import { useFormAction } from './form-action';

/** Addresses nobody outside this computer or the shop's network can open. */
export const NOT_PUBLIC = /^(localhost|127(\.\d+){3}|\[::1\]|10(\.\d+){3}|192\.168(\.\d+){2}|172\.(1[6-9]|2\d|3[01])(\.\d+){2}|[^.]+\.local)$/i;

const DEFAULT_HOURS = 72;

export function ShareLinks({ disputeId, timeZone, evidenceCount }: { disputeId: string; timeZone: string; evidenceCount: number }) {
  const [shares, setShares] = useState<Share[]>();
  const [made, setMade] = useState<Share>();
  const [revoking, setRevoking] = useState<Share>();
  const [status, setStatus] = useState<'made'>();
  // The link just revoked: its row says so and takes the focus (its Revoke button is gone).
  const [revoked, setRevoked] = useState<string>();
  const revokedNote = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (revoked) revokedNote.current?.focus();
  }, [revoked, shares]);
  const path = `/disputes/${encodeURIComponent(disputeId)}/shares`;
  const load = () => api<{ items: Share[] }>('GET', path).then((answer) => setShares(answer.items), setError);

  const { busy, error, setError, submit } = useFormAction(async (form) => {
    const share = await api<Share>('POST', path, { expiresInHours: Number(form.get('hours')) });
    setRevoked(undefined);
    setMade(share);
    setStatus('made');
    await load();
  });

  useEffect(() => {
    load();
  }, [disputeId]);

  async function revoke(share: Share) {
    setRevoking(undefined);
    setError(undefined);
    setRevoked(undefined);
    try {
      await api('DELETE', `${path}/${share.id}`);
      if (made?.id === share.id) setMade(undefined);
      setStatus(undefined);
      await load();
      setRevoked(share.id);
    } catch (caught) {
      setError(caught);
    }
  }

  const now = Date.now();
  const state = (share: Share) => (share.revokedAt ? 'revoked' : new Date(share.expiresAt).getTime() <= now ? 'expired' : 'active');
  return (
    <section aria-labelledby="shares-title" class="card">
      <h2 id="shares-title">{t('dispute.share.title')}</h2>
      <p class="hint">{t('dispute.share.intro')}</p>
      <form class="inline-form" onSubmit={submit}>
        <div class="field">
          <label for="share-hours">{t('dispute.share.hours')}</label>
          <input id="share-hours" name="hours" type="number" min="0.25" max={24 * 90} step="any" required defaultValue={String(DEFAULT_HOURS)} aria-describedby="share-hours-hint" />
          <p class="hint" id="share-hours-hint">
            {t('dispute.share.hoursHint')}
          </p>
        </div>
        <button type="submit" class="button-primary" disabled={busy || evidenceCount === 0} aria-describedby={evidenceCount === 0 ? 'share-needs-evidence' : undefined}>
          {t('dispute.share.create')}
        </button>
      </form>
      {/* A link to nothing shows the recipient an empty Evidence heading. */}
      {evidenceCount === 0 && (
        <p class="notice notice-info" id="share-needs-evidence">
          {t('dispute.share.needsEvidence')}
        </p>
      )}
      <ErrorNotice error={error} />
      <p role="status" class="status-line">
        {status === 'made' ? t('dispute.share.made') : ''}
      </p>
      {made?.url && <NewLink share={made} timeZone={timeZone} />}
      <h3 id="shares-list">{t('dispute.share.list')}</h3>
      {shares && shares.length === 0 && <p class="muted">{t('dispute.share.none')}</p>}
      {shares && shares.length > 0 && (
        <ul class="share-list" aria-labelledby="shares-list">
          {shares
            .slice()
            .reverse()
            .map((share) => {
              const shareState = state(share);
              const name = t('dispute.share.name', { time: formatTime(share.createdAt, timeZone) });
              return (
                <li key={share.id} class={`share-item share-${shareState}`}>
                  <span class="share-name">{name}</span>
                  <span class={`share-state share-state-${shareState}`}>
                    {shareState === 'revoked'
                      ? t('dispute.share.stateRevoked', { time: formatTime(share.revokedAt!, timeZone) })
                      : shareState === 'expired'
                        ? t('dispute.share.stateExpired', { time: formatTime(share.expiresAt, timeZone) })
                        : t('dispute.share.stateActive', { time: formatTime(share.expiresAt, timeZone) })}
                  </span>
                  <span class="share-opens" data-share-id={share.id}>
                    <strong>{t('dispute.share.opened', { count: share.openCount })}</strong>
                    {share.lastOpenedAt && <span class="muted"> · {t('dispute.share.lastOpened', { time: formatTime(share.lastOpenedAt, timeZone) })}</span>}
                  </span>
                  {revoked === share.id && (
                    <p class="share-note" ref={revokedNote} tabIndex={-1}>
                      ✓ {t('dispute.share.revoked')}
                    </p>
                  )}
                  {shareState === 'active' && (
                    <button type="button" class="button-danger" onClick={() => setRevoking(share)} aria-label={t('dispute.share.revokeNamed', { name })}>
                      {t('dispute.share.revoke')}
                    </button>
                  )}
                </li>
              );
            })}
        </ul>
      )}
      {revoking && <ConfirmRevoke onConfirm={() => revoke(revoking)} onCancel={() => setRevoking(undefined)} />}
    </section>
  );
}

/** The link just made, the only time it can be shown: selectable, copied with one click when the browser allows. */
function NewLink({ share, timeZone }: { share: Share; timeZone: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed'>();
  const field = useRef<HTMLInputElement>(null);
  const url = share.url!;
  const host = new URL(url).hostname;
  // The link made is what the seller came for: focus (and selection) goes to it, right below the button.
  useEffect(() => {
    field.current?.focus();
  }, [share.id]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('yes');
    } catch {
      // No clipboard (plain http on another address, or refused): the link is selected for the keyboard's copy.
      field.current?.focus();
      field.current?.select();
      setCopied('failed');
    }
  }

  return (
    <div class="new-link notice notice-info">
      <label for="share-url">{t('dispute.share.url')}</label>
      <input id="share-url" ref={field} readOnly value={url} onFocus={(event) => event.currentTarget.select()} aria-describedby="share-url-hint" />
      <p class="hint" id="share-url-hint">
        {t('dispute.share.urlHint', { time: formatTime(share.expiresAt, timeZone) })}
      </p>
      {NOT_PUBLIC.test(host) && <p class="notice notice-warning">{t('dispute.share.notPublic', { host })}</p>}
      <div class="row">
        <button type="button" onClick={copy}>
          {t('dispute.share.copy')}
        </button>
        <a href={url} target="_blank" rel="noopener noreferrer">
          {t('dispute.share.openPage')}
        </a>
        <span role="status">{copied === 'yes' ? t('dispute.share.copied') : copied === 'failed' ? t('dispute.share.copyFailed') : ''}</span>
      </div>
    </div>
  );
}

function ConfirmRevoke({ onConfirm, onCancel }: { onConfirm: () => void; onCancel: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    dialog.current?.showModal();
    return () => opener?.isConnected && opener.focus();
  }, []);
  return (
    <dialog ref={dialog} class="confirm" aria-labelledby="revoke-title" aria-describedby="revoke-text" onClose={onCancel}>
      <h2 id="revoke-title">{t('dispute.share.confirmTitle')}</h2>
      <p id="revoke-text">{t('dispute.share.confirmText')}</p>
      <div class="row">
        <button type="button" class="button-danger" onClick={onConfirm}>
          {t('dispute.share.confirm')}
        </button>
        <button type="button" onClick={() => dialog.current?.close()} autoFocus>
          {t('dispute.share.cancel')}
        </button>
      </div>
    </dialog>
  );
}
