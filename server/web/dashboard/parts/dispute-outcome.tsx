// Where the dispute stands: submitted, won, lost or closed (or open again), with the seller's note.
import { disputeStatuses } from '../../../domain/vocabulary';
import { api } from '../api';
import { t } from '../i18n';
import { statusLabel, type DisputeDetail } from './dispute-types';
import { ErrorNotice } from './error-notice';
import { Field } from './field';
import { useFormAction } from './form-action';

export function DisputeOutcome({ dispute, onChanged }: { dispute: DisputeDetail; onChanged: (message: () => string) => Promise<void> }) {
  const { busy, error, submit } = useFormAction(async (form) => {
    const status = String(form.get('status'));
    const note = String(form.get('note') ?? '').trim();
    await api('PATCH', `/disputes/${dispute.id}`, { status, note: note || null });
    await onChanged(() => t('dispute.outcome.saved', { status: statusLabel(status) }));
  });
  return (
    <section aria-labelledby="outcome-title" class="card">
      <h2 id="outcome-title">{t('dispute.outcome.title')}</h2>
      <form onSubmit={submit} key={dispute.updatedAt}>
        <fieldset class="status-choice">
          <legend>{t('dispute.outcome.status')}</legend>
          {disputeStatuses.map((code) => (
            <label key={code} class="choice">
              <input type="radio" name="status" value={code} defaultChecked={dispute.status === code} />
              {statusLabel(code)}
            </label>
          ))}
        </fieldset>
        <Field id="outcome-note" label={t('dispute.outcome.note')}>
          <textarea id="outcome-note" name="note" rows={3} maxLength={4000} defaultValue={dispute.note ?? ''} />
        </Field>
        <ErrorNotice error={error} />
        <button type="submit" class="button-primary" disabled={busy}>
          {t('dispute.outcome.save')}
        </button>
      </form>
    </section>
  );
}
