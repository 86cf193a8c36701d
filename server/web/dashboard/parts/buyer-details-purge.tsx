// Buyer names and delivery notes are personal data the evidence does not need for long: the owner
// removes them from orders older than a chosen age. The question before says what stays (order IDs,
// items, tracking numbers, the buyer's pseudonymous ref, every capture, file and the evidence log);
// the answer says how many orders were cleared.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { formatNumber, t } from '../i18n';
import { ConfirmDialog } from './confirm-dialog';
import { ErrorNotice } from './error-notice';
import { Field } from './field';

const DEFAULT_DAYS = 180;

export function BuyerDetailsPurge() {
  const [days, setDays] = useState(String(DEFAULT_DAYS));
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [purged, setPurged] = useState<number>();

  async function purge() {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api<{ purged: number }>('POST', '/orders/buyer-details/purge', { olderThanDays: Number(days) });
      setPurged(answer.purged);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
      setAsking(false);
    }
  }

  return (
    <section class="card settings-card" aria-labelledby="settings-purge-title">
      <h2 id="settings-purge-title">{t('settings.purgeTitle')}</h2>
      <p>{t('settings.purgeHelp')}</p>
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          setPurged(undefined);
          setAsking(true);
        }}
      >
        <Field id="settings-purge-days" label={t('settings.purgeDays')}>
          <input id="settings-purge-days" type="number" inputMode="numeric" required min={1} max={36500} step={1} value={days} onInput={(event) => setDays(event.currentTarget.value)} />
        </Field>
        <button type="submit" class="button-danger" disabled={busy}>
          {t('settings.purgeButton')}
        </button>
      </form>
      <ErrorNotice error={error} />
      <p role="status" class="status-line" id="settings-purged">
        {purged !== undefined && t('settings.purgeDone', { count: purged, number: formatNumber(purged) })}
      </p>
      {asking && (
        <ConfirmDialog
          id="confirm-purge"
          title={t('settings.purgeConfirmTitle', { days: formatNumber(Number(days)) })}
          confirmLabel={t('settings.purgeConfirm')}
          busy={busy}
          onConfirm={purge}
          onCancel={() => setAsking(false)}
        >
          <p>{t('settings.purgeConfirmRemoved')}</p>
          <p>{t('settings.purgeConfirmKept')}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
