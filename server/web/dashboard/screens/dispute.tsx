// One dispute: its facts and deadline, the evidence picked from the order's timeline, a preview of what
// the recipient gets, the bundle and claim packet, share links, and where it stands.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type Me } from '../api';
import { useNow } from '../parts/countdown';
import { Deadline } from '../parts/dispute-deadline';
import { DisputeEvidence } from '../parts/dispute-evidence';
import { DisputeExport } from '../parts/dispute-export';
import { DisputeOutcome } from '../parts/dispute-outcome';
import { DisputePreview } from '../parts/dispute-preview';
import { counterpartyLabel, reasonLabel, StatusBadge, type DisputeDetail } from '../parts/dispute-types';
import { ErrorNotice } from '../parts/error-notice';
import { ShareLinks } from '../parts/share-links';
import { formatMoney, formatTime, t } from '../i18n';
import { disputesPath, followLink, orderPath } from '../router';
import { ReplyDrafts } from '../parts/reply-drafts';

export function DisputeScreen({ me, disputeId }: { me: Me; disputeId: string }) {
  const [dispute, setDispute] = useState<DisputeDetail>();
  const [error, setError] = useState<unknown>();
  // Kept as words to say, not said: they follow a change of language like the rest of the screen.
  const [status, setStatus] = useState<() => string>();
  const now = useNow();
  const timeZone = me.shop.timezone;

  const load = () => api<DisputeDetail>('GET', `/disputes/${encodeURIComponent(disputeId)}`).then(setDispute, setError);
  useEffect(() => {
    load();
  }, [disputeId]);

  useEffect(() => {
    if (dispute) document.title = `${t('dispute.title', { orderId: dispute.orderId })} · Packtrail`;
    return () => {
      document.title = 'Packtrail';
    };
  }, [dispute?.orderId]);

  /** After a change: the dispute as the server now has it, and a word for screen readers. */
  const changed = async (message: () => string) => {
    setStatus(() => message);
    await load();
  };

  const notFound = error instanceof ApiError && (error.code === 'NOT_FOUND' || error.status === 400);
  return (
    <article aria-labelledby="dispute-title">
      <p>
        <a href={disputesPath()} onClick={followLink} class="back">
          ← {t('disputes.back')}
        </a>
      </p>
      <h1 id="dispute-title">
        {dispute ? t('dispute.title', { orderId: dispute.orderId }) : t('nav.disputes')} {dispute && <StatusBadge status={dispute.status} />}
      </h1>
      {notFound ? <p class="notice notice-info">{t('dispute.notFound')}</p> : <ErrorNotice error={error} />}
      {!dispute && !error && <p aria-live="polite">{t('app.loading')}</p>}
      <p role="status" class="status-line">
        {status?.()}
      </p>
      {dispute && (
        <>
          <section aria-labelledby="dispute-facts-title" class="card">
            <h2 id="dispute-facts-title">{t('dispute.facts')}</h2>
            <dl class="facts">
              <Fact label={t('dispute.order')}>
                <a href={orderPath(dispute.orderId)} onClick={followLink}>
                  {dispute.orderId}
                </a>
                {dispute.order.buyer?.name && <span class="muted"> · {dispute.order.buyer.name}</span>}
              </Fact>
              <Fact label={t('disputes.respondBy')}>
                <Deadline respondBy={dispute.respondBy} status={dispute.status} timeZone={timeZone} now={now} />
              </Fact>
              <Fact label={t('disputes.form.reason')}>{reasonLabel(dispute.reason)}</Fact>
              <Fact label={t('disputes.counterparty')}>{counterpartyLabel(dispute.counterparty)}</Fact>
              <Fact label={t('disputes.reference')}>{dispute.reference ?? t('order.none')}</Fact>
              <Fact label={t('disputes.amount')}>{dispute.amount ? formatMoney(dispute.amount.value, dispute.amount.currency) : t('order.none')}</Fact>
              <Fact label={t('dispute.openedAt')}>{formatTime(dispute.createdAt, timeZone)}</Fact>
              {dispute.note && <Fact label={t('disputes.form.note')}>{dispute.note}</Fact>}
            </dl>
          </section>
          <div class="dispute-columns">
            <div>
              <DisputeEvidence dispute={dispute} timeZone={timeZone} onChanged={changed} />
            </div>
            <div>
              <DisputePreview dispute={dispute} />
              <DisputeExport dispute={dispute} />
              <ShareLinks disputeId={dispute.id} timeZone={timeZone} />
              <div class="card">
                <ReplyDrafts disputeId={dispute.id} />
              </div>
              <DisputeOutcome dispute={dispute} onChanged={changed} />
            </div>
          </div>
        </>
      )}
    </article>
  );
}

function Fact({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
