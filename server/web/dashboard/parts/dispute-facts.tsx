// "The dispute" box: what was claimed, by whom, the case reference, the amount and the time to answer
// by, with an Edit control that turns it into a form (PATCH /disputes/:id). Respond-by is typed and
// shown on the shop's clock; an emptied field clears it. Focus goes into the form and back to Edit.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { counterparties, disputeReasons } from '../../../domain/vocabulary';
import { api, ApiError } from '../api';
import { formatMoney, formatTime, t } from '../i18n';
import { followLink, orderPath } from '../router';
import { Deadline } from './dispute-deadline';
import { counterpartyLabel, reasonLabel, type DisputeDetail } from './dispute-types';
import { ErrorNotice } from './error-notice';
import { Field } from './field';
import { useFormAction } from './form-action';
import { fromWallTimeInput, toWallTimeInput } from './wall-time';

/** A form field's text, trimmed. */
export const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

/**
 * The amount fields of a dispute form as the API takes them: none without an amount, and an amount
 * without a three-letter currency is refused here (the form shows it) before anything is sent.
 */
export function amountOf(form: FormData): { value: number; currency: string } | undefined {
  const value = text(form, 'amount');
  if (!value) return undefined;
  const currency = text(form, 'currency').toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) throw new ApiError(400, 'VALIDATION_FAILED', t('disputes.form.currencyNeeded'));
  return { value: Number(value), currency };
}

interface Props {
  dispute: DisputeDetail;
  timeZone: string;
  now: number;
  onChanged: (message: () => string) => Promise<void>;
}

export function DisputeFacts({ dispute, timeZone, now, onChanged }: Props) {
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const firstField = useRef<HTMLSelectElement>(null);
  // Where focus goes once the box changes shape: into the form when it opens, back to Edit when it closes.
  const [focusTo, setFocusTo] = useState<'form' | 'edit'>();
  useEffect(() => {
    if (focusTo === 'form') firstField.current?.focus();
    if (focusTo === 'edit') editButton.current?.focus();
    setFocusTo(undefined);
  }, [focusTo]);

  const close = () => {
    setEditing(false);
    setFocusTo('edit');
  };

  const { busy, error, setError, submit } = useFormAction(async (form) => {
    const amount = amountOf(form) ?? null;
    const respondBy = text(form, 'respondBy');
    await api('PATCH', `/disputes/${encodeURIComponent(dispute.id)}`, {
      reason: text(form, 'reason'),
      counterparty: text(form, 'counterparty'),
      // null clears a field the seller emptied.
      reference: text(form, 'reference') || null,
      amount,
      respondBy: respondBy ? fromWallTimeInput(respondBy, timeZone) : null,
      note: text(form, 'note') || null,
    });
    await onChanged(() => '');
    setSaved(true);
    close();
  });

  return (
    <section aria-labelledby="dispute-facts-title" class="card dispute-facts">
      <div class="card-head">
        <h2 id="dispute-facts-title">{t('dispute.facts')}</h2>
        {!editing && (
          <button
            type="button"
            ref={editButton}
            aria-label={t('dispute.facts.editNamed')}
            onClick={() => {
              setSaved(false);
              setError(undefined);
              setEditing(true);
              setFocusTo('form');
            }}
          >
            {t('dispute.facts.edit')}
          </button>
        )}
      </div>
      {/* The confirmation sits beside the Edit button it returns to, not at the top of the page. */}
      <p role="status" class="status-line">
        {saved && !editing ? t('dispute.facts.saved') : ''}
      </p>
      {editing ? (
        <form class="dispute-form dispute-facts-form" onSubmit={submit} aria-label={t('dispute.facts.editTitle')}>
          <div class="form-pair">
            <Field id="facts-reason" label={t('disputes.form.reason')}>
              <select id="facts-reason" name="reason" ref={firstField}>
                {disputeReasons.map((code) => (
                  <option key={code} value={code} selected={code === dispute.reason}>
                    {reasonLabel(code)}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="facts-counterparty" label={t('disputes.form.counterparty')}>
              <select id="facts-counterparty" name="counterparty">
                {counterparties.map((code) => (
                  <option key={code} value={code} selected={code === dispute.counterparty}>
                    {counterpartyLabel(code)}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <Field id="facts-reference" label={t('disputes.form.reference')}>
            <input id="facts-reference" name="reference" maxLength={200} autoComplete="off" defaultValue={dispute.reference ?? ''} />
          </Field>
          <div class="form-pair">
            <Field id="facts-amount" label={t('disputes.form.amount')} hint={t('dispute.facts.amountHint')}>
              <input id="facts-amount" name="amount" type="number" min="0" step="any" inputMode="decimal" defaultValue={dispute.amount ? String(dispute.amount.value) : ''} aria-describedby="facts-amount-hint" />
            </Field>
            <Field id="facts-currency" label={t('disputes.form.currency')} hint={t('disputes.form.currencyHint')}>
              <input
                id="facts-currency"
                name="currency"
                maxLength={3}
                pattern="[A-Za-z]{3}"
                autoComplete="off"
                class="currency"
                defaultValue={dispute.amount?.currency ?? dispute.order.declaredValue?.currency ?? ''}
                aria-describedby="facts-currency-hint"
              />
            </Field>
          </div>
          <RespondByField id="facts-respond-by" timeZone={timeZone} defaultValue={toWallTimeInput(dispute.respondBy, timeZone)} />
          <Field id="facts-note" label={t('disputes.form.note')}>
            <textarea id="facts-note" name="note" rows={3} maxLength={4000} defaultValue={dispute.note ?? ''} />
          </Field>
          <ErrorNotice error={error} />
          <div class="row">
            <button type="submit" class="button-primary" disabled={busy}>
              {t('dispute.facts.save')}
            </button>
            <button type="button" onClick={close}>
              {t('dispute.facts.cancel')}
            </button>
          </div>
        </form>
      ) : (
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
      )}
    </section>
  );
}

/**
 * Respond-by on the shop's clock, with a warning (not a refusal) while it is empty: without a deadline
 * the dispute never raises a reminder. Used by the open form and the edit form alike.
 */
export function RespondByField({ id, timeZone, defaultValue = '' }: { id: string; timeZone: string; defaultValue?: string }) {
  const [empty, setEmpty] = useState(defaultValue === '');
  return (
    <div class="field">
      <label for={id}>{t('disputes.form.respondBy')}</label>
      <input
        id={id}
        name="respondBy"
        type="datetime-local"
        defaultValue={defaultValue}
        aria-describedby={`${id}-hint${empty ? ` ${id}-warning` : ''}`}
        onInput={(event) => setEmpty(event.currentTarget.value === '')}
      />
      <p class="hint" id={`${id}-hint`}>
        {t('disputes.form.respondByHint', { timeZone })}
      </p>
      {empty && (
        <p class="field-warning" id={`${id}-warning`}>
          <span aria-hidden="true">⚠ </span>
          {t('disputes.form.noDeadline')}
        </p>
      )}
    </div>
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
