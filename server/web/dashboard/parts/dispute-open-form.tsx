// Opening a dispute on an order: what is claimed, by whom, the case reference, the amount and the time
// to answer by (typed as the shop's clock reads it, sent as UTC), then on to the new dispute's page.
import { useEffect, useRef, useState } from 'preact/hooks';
import { counterparties, disputeReasons } from '../../../domain/vocabulary';
import { api, ApiError, type Order } from '../api';
import { formatMoney, t } from '../i18n';
import { disputePath, disputesPath, followLink, navigate, orderPath } from '../router';
import { amountOf, RespondByField, text } from './dispute-facts';
import { counterpartyLabel, reasonLabel, type Dispute } from './dispute-types';
import { ErrorNotice } from './error-notice';
import { Field } from './field';
import { useFormAction } from './form-action';
import { fromWallTimeInput } from './wall-time';


export function DisputeOpenForm({ orderId, timeZone }: { orderId: string; timeZone: string }) {
  const [order, setOrder] = useState<Order>();
  const [orderError, setOrderError] = useState<unknown>();
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus();
    if (!orderId) return;
    api<Order>('GET', `/orders/${encodeURIComponent(orderId)}`).then(setOrder, setOrderError);
  }, [orderId]);

  const { busy, error, submit } = useFormAction(async (form) => {
    const amount = amountOf(form);
    const respondBy = text(form, 'respondBy');
    const body = {
      orderId: text(form, 'orderId'),
      reason: text(form, 'reason'),
      counterparty: text(form, 'counterparty'),
      reference: text(form, 'reference') || undefined,
      amount,
      // The input gives the shop's wall-clock time without seconds; the API takes an instant.
      respondBy: fromWallTimeInput(respondBy, timeZone),
      note: text(form, 'note') || undefined,
    };
    const dispute = await api<Dispute>('POST', '/disputes', body);
    navigate(disputePath(dispute.id), { replace: true });
  });

  const notFound = orderError instanceof ApiError && orderError.code === 'NOT_FOUND';
  return (
    <section aria-labelledby="open-title" class="dispute-open">
      <p>
        <a href={disputesPath()} onClick={followLink} class="back">
          ← {t('disputes.back')}
        </a>
      </p>
      <h1 id="open-title" ref={heading} tabIndex={-1}>
        {orderId ? t('disputes.form.titleFor', { orderId }) : t('disputes.form.title')}
      </h1>
      {order && (
        <p class="card open-order">
          <a href={orderPath(order.orderId)} onClick={followLink}>
            {t('disputes.viewOrder', { orderId: order.orderId })}
          </a>
          {[order.buyer?.name, order.buyer?.ref, order.trackingNumbers.join(', '), order.declaredValue && formatMoney(order.declaredValue.amount, order.declaredValue.currency)]
            .filter(Boolean)
            .map((part) => (
              <span key={part} class="muted">
                {' · '}
                {part}
              </span>
            ))}
        </p>
      )}
      {notFound ? <p class="notice notice-warning">{t('disputes.form.orderNotFound', { orderId })}</p> : <ErrorNotice error={orderError} />}
      <form class="card dispute-form" onSubmit={submit}>
        <Field id="dispute-order" label={t('disputes.form.orderId')}>
          <input id="dispute-order" name="orderId" required maxLength={128} defaultValue={orderId} autoComplete="off" />
        </Field>
        <div class="form-pair">
          <Field id="dispute-reason" label={t('disputes.form.reason')}>
            <select id="dispute-reason" name="reason" required>
              {disputeReasons.map((code) => (
                <option key={code} value={code}>
                  {reasonLabel(code)}
                </option>
              ))}
            </select>
          </Field>
          <Field id="dispute-counterparty" label={t('disputes.form.counterparty')}>
            <select id="dispute-counterparty" name="counterparty" required>
              {counterparties.map((code) => (
                <option key={code} value={code}>
                  {counterpartyLabel(code)}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <Field id="dispute-reference" label={t('disputes.form.reference')} hint={t('disputes.form.referenceHint')}>
          <input id="dispute-reference" name="reference" maxLength={200} autoComplete="off" aria-describedby="dispute-reference-hint" />
        </Field>
        <div class="form-pair">
          <Field id="dispute-amount" label={t('disputes.form.amount')}>
            <input id="dispute-amount" name="amount" type="number" min="0" step="any" inputMode="decimal" />
          </Field>
          <Field id="dispute-currency" label={t('disputes.form.currency')} hint={t('disputes.form.currencyHint')}>
            <input
              id="dispute-currency"
              name="currency"
              maxLength={3}
              pattern="[A-Za-z]{3}"
              autoComplete="off"
              class="currency"
              defaultValue={order?.declaredValue?.currency ?? ''}
              key={order?.declaredValue?.currency}
              aria-describedby="dispute-currency-hint"
            />
          </Field>
        </div>
        <RespondByField id="dispute-respond-by" timeZone={timeZone} />
        <Field id="dispute-note" label={t('disputes.form.note')}>
          <textarea id="dispute-note" name="note" rows={3} maxLength={4000} />
        </Field>
        <ErrorNotice error={error} />
        <div class="row">
          <button type="submit" class="button-primary" disabled={busy}>
            {t('disputes.form.submit')}
          </button>
          <a href={disputesPath()} onClick={followLink} class="action-link">
            {t('disputes.form.cancel')}
          </a>
        </div>
      </form>
    </section>
  );
}
