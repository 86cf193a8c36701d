// Settings' retention card: how long originals are kept (RETENTION_DAYS, set by whoever runs the
// server) and the files the retention job removes next, soonest first, each linked to its order so
// the owner can hold it there.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { formatNumber, formatTime, t, termKey } from '../i18n';
import { followLink, orderPath } from '../router';
import { ErrorNotice } from './error-notice';

interface Upcoming {
  retentionDays: number;
  items: { mediaId: string; orderId: string; type: string; receivedAt: string; removableAt: string }[];
}

const SHOWN = 20;

export function RetentionCard({ timeZone }: { timeZone: string }) {
  const [upcoming, setUpcoming] = useState<Upcoming>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    api<Upcoming>('GET', `/retention/upcoming?limit=${SHOWN}`).then(setUpcoming, setError);
  }, []);

  return (
    <section class="card settings-card retention-card" aria-labelledby="settings-retention-title">
      <h2 id="settings-retention-title">{t('retention.title')}</h2>
      <ErrorNotice error={error} />
      {!upcoming && !error && <p class="muted">{t('app.loading')}</p>}
      {upcoming && (
        <>
          <p id="retention-policy">
            {upcoming.retentionDays === 0 ? t('retention.policyOff') : t('retention.policy', { days: formatNumber(upcoming.retentionDays) })}
          </p>
          <p class="muted">{t('retention.policyHelp')}</p>
          {upcoming.retentionDays > 0 && (
            <>
              <h3>{t('retention.upcomingTitle')}</h3>
              {upcoming.items.length === 0 ? (
                <p class="muted">{t('retention.upcomingNone')}</p>
              ) : (
                <table class="retention-upcoming">
                  <thead>
                    <tr>
                      <th scope="col">{t('retention.columnOrder')}</th>
                      <th scope="col">{t('retention.columnFile')}</th>
                      <th scope="col">{t('retention.columnReceived')}</th>
                      <th scope="col">{t('retention.columnRemovable')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {upcoming.items.map((item) => (
                      <tr key={item.mediaId} data-media-id={item.mediaId}>
                        <td>
                          <a href={orderPath(item.orderId)} onClick={followLink}>
                            {item.orderId}
                          </a>
                        </td>
                        <td>{t(termKey('media', item.type))}</td>
                        <td>{formatTime(item.receivedAt, timeZone)}</td>
                        <td>{formatTime(item.removableAt, timeZone)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </>
          )}
        </>
      )}
    </section>
  );
}
