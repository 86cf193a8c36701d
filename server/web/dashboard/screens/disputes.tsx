// Disputes by status, soonest deadline first, each with how long is left; or, with ?new=<orderId>,
// the form that opens one on that order.
import { useEffect, useState } from 'preact/hooks';
import { disputeStatuses } from '../../../domain/vocabulary';
import { api, type Me } from '../api';
import { useNow } from '../parts/countdown';
import { Deadline } from '../parts/dispute-deadline';
import { DisputeOpenForm } from '../parts/dispute-open-form';
import { counterpartyLabel, reasonLabel, StatusBadge, statusLabel, type Dispute } from '../parts/dispute-types';
import { ErrorNotice } from '../parts/error-notice';
import { formatMoney, t } from '../i18n';
import { disputePath, disputesPath, followLink, orderPath } from '../router';

const ALL = 'all';
const tabs = [...disputeStatuses, ALL] as const;

export function DisputesScreen({ me, status, newFor }: { me: Me; status: string; newFor?: string }) {
  if (newFor !== undefined) return <DisputeOpenForm key={newFor} orderId={newFor} timeZone={me.shop.timezone} />;
  const shown = (tabs as readonly string[]).includes(status) ? status : 'open';
  return <DisputeList status={shown} timeZone={me.shop.timezone} />;
}

function DisputeList({ status, timeZone }: { status: string; timeZone: string }) {
  const [disputes, setDisputes] = useState<Dispute[]>();
  const [error, setError] = useState<unknown>();
  const now = useNow();

  useEffect(() => {
    let current = true;
    setDisputes(undefined);
    setError(undefined);
    api<{ items: Dispute[] }>('GET', status === ALL ? '/disputes' : `/disputes?status=${status}`).then(
      (answer) => current && setDisputes(answer.items),
      (caught) => current && setError(caught),
    );
    return () => {
      current = false;
    };
  }, [status]);

  const tabLabel = (code: string) => (code === ALL ? t('disputes.all') : statusLabel(code));
  return (
    <section aria-labelledby="disputes-title">
      <div class="disputes-head">
        <h1 id="disputes-title">{t('disputes.title')}</h1>
        <a class="action-link button-primary" href={disputesPath({ newFor: '' })} onClick={followLink}>
          {t('disputes.openNew')}
        </a>
      </div>
      <nav aria-label={t('disputes.byStatus')} class="status-tabs">
        {tabs.map((code) => (
          <a key={code} href={disputesPath({ status: code })} onClick={followLink} aria-current={code === status ? 'page' : undefined}>
            {tabLabel(code)}
          </a>
        ))}
      </nav>
      <ErrorNotice error={error} />
      {!disputes && !error && <p aria-live="polite">{t('app.loading')}</p>}
      {disputes && (
        <p class="result-status" role="status">
          {t('disputes.count', { count: disputes.length, status: tabLabel(status) })}
        </p>
      )}
      {disputes && disputes.length === 0 && <p>{status === 'open' ? t('disputes.noneOpen') : t('disputes.none')}</p>}
      {disputes && disputes.length > 0 && (
        <ul class="dispute-list">
          {disputes.map((dispute) => (
            <li key={dispute.id} class="card dispute-item">
              <h2>
                <a href={disputePath(dispute.id)} onClick={followLink}>
                  {t('disputes.itemTitle', { orderId: dispute.orderId, reason: reasonLabel(dispute.reason) })}
                </a>
              </h2>
              <StatusBadge status={dispute.status} />
              <dl class="dispute-item-facts">
                <div>
                  <dt>{t('disputes.respondBy')}</dt>
                  <dd>
                    <Deadline respondBy={dispute.respondBy} status={dispute.status} timeZone={timeZone} now={now} />
                  </dd>
                </div>
                <div>
                  <dt>{t('disputes.counterparty')}</dt>
                  <dd>{counterpartyLabel(dispute.counterparty)}</dd>
                </div>
                {dispute.amount && (
                  <div>
                    <dt>{t('disputes.amount')}</dt>
                    <dd>{formatMoney(dispute.amount.value, dispute.amount.currency)}</dd>
                  </div>
                )}
                {dispute.reference && (
                  <div>
                    <dt>{t('disputes.reference')}</dt>
                    <dd>{dispute.reference}</dd>
                  </div>
                )}
              </dl>
              <a href={orderPath(dispute.orderId)} onClick={followLink} class="dispute-item-order">
                {t('disputes.viewOrder', { orderId: dispute.orderId })}
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
