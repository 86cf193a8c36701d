// One dispute: its facts and deadline, the evidence picked from the order's timeline, a preview of what
// the recipient gets, the bundle and claim packet, share links, and where it stands.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type Me } from '../api';
import { useNow } from '../parts/countdown';
import { DisputeEvidence } from '../parts/dispute-evidence';
import { DisputeExport } from '../parts/dispute-export';
import { DisputeFacts } from '../parts/dispute-facts';
import { useOutgoingLanguage } from '../parts/dispute-language';
import { DisputeOutcome } from '../parts/dispute-outcome';
import { DisputePackets } from '../parts/dispute-packets';
import { DisputePreview } from '../parts/dispute-preview';
import { StatusBadge, type DisputeDetail } from '../parts/dispute-types';
import { ErrorNotice } from '../parts/error-notice';
import { ShareLinks } from '../parts/share-links';
import { t } from '../i18n';
import { disputesPath, followLink } from '../router';
import { ReplyDrafts } from '../parts/reply-drafts';

export function DisputePage({ me, disputeId }: { me: Me; disputeId: string }) {
  const [dispute, setDispute] = useState<DisputeDetail>();
  const [error, setError] = useState<unknown>();
  // Kept as words to say, not said: they follow a change of language like the rest of the screen.
  const [status, setStatus] = useState<() => string>();
  const now = useNow();
  const timeZone = me.shop.timezone;
  // One language for everything that goes out: the bundle, the claim and the recipients' packets.
  const [outgoing, setOutgoing] = useOutgoingLanguage(me.shop.reportLanguage);

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
          <DisputeFacts dispute={dispute} timeZone={timeZone} now={now} onChanged={changed} />
          <div class="dispute-columns">
            <div>
              <DisputeEvidence dispute={dispute} timeZone={timeZone} onChanged={changed} />
            </div>
            <div>
              <DisputePreview dispute={dispute} />
              <DisputeExport dispute={dispute} language={outgoing} onLanguage={setOutgoing} timeZone={timeZone} />
              <DisputePackets dispute={dispute} language={outgoing} onLanguage={setOutgoing} timeZone={timeZone} now={now} />
              <ShareLinks disputeId={dispute.id} timeZone={timeZone} evidenceCount={dispute.evidence.length} />
              <div class="card">
                <ReplyDrafts disputeId={dispute.id} shopLanguage={me.shop.reportLanguage} />
              </div>
              <DisputeOutcome dispute={dispute} onChanged={changed} />
            </div>
          </div>
        </>
      )}
    </article>
  );
}

