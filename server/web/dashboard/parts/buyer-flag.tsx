// A flagged buyer, said loudly in words (not colour alone) with the reason, and for the owner and
// sellers the way to flag or clear them. The flag belongs to the buyer's ref, so it follows them to
// every order of theirs; only `buyer` is sent, which leaves the rest of the order as it is.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type Order, type OrderSummary } from '../api';
import { ErrorNotice } from './error-notice';
import { Field } from './field';
import { useFormAction } from './form-action';
import { t, type MessageKey } from '../i18n';

interface BuyerFlagProps {
  order: Order;
  canChange: boolean;
  onChanged: (summary: OrderSummary) => void;
}

export function BuyerFlag({ order, canChange, onChanged }: BuyerFlagProps) {
  const buyer = order.buyer;
  const [editing, setEditing] = useState(false);
  // Kept as a key, so a language switch re-words it.
  const [status, setStatus] = useState<MessageKey>();
  const reason = useRef<HTMLTextAreaElement>(null);
  const controls = useRef<HTMLDivElement>(null);
  // The button pressed (or the form sent) goes away: focus moves to the control that replaces it.
  const refocus = useRef(false);
  useEffect(() => {
    if (editing) reason.current?.focus();
    else if (refocus.current) controls.current?.querySelector('button')?.focus();
    refocus.current = false;
  }, [editing, buyer?.flagged]);

  const put = (flag: { flagged: boolean; flagReason?: string }) =>
    api<OrderSummary>('PUT', `/orders/${encodeURIComponent(order.orderId)}`, { buyer: { ref: buyer!.ref, ...flag } });

  const flag = useFormAction(async (form) => {
    const flagReason = String(form.get('flagReason') ?? '').trim();
    if (!flagReason) return;
    onChanged(await put({ flagged: true, flagReason }));
    refocus.current = true;
    setEditing(false);
    setStatus('order.flag.done');
  });
  const clear = useFormAction(async () => {
    onChanged(await put({ flagged: false }));
    refocus.current = true;
    setStatus('order.flag.cleared');
  });
  const start = () => {
    setStatus(undefined);
    setEditing(true);
  };

  return (
    <div class="buyer-flag" id="buyer-flag">
      {buyer?.flagged && (
        <div class="flag-banner">
          <strong>
            <span aria-hidden="true">⚑ </span>
            {t('order.flag.banner')}
          </strong>
          <p>{buyer.flagReason ? t('order.flag.reasonIs', { reason: buyer.flagReason }) : t('order.flag.noReason')}</p>
        </div>
      )}
      {canChange && buyer?.ref && !editing && (
        <div class="row" ref={controls}>
          {buyer.flagged ? (
            <form onSubmit={clear.submit}>
              <button type="submit" disabled={clear.busy}>
                {t('order.flag.clear')}
              </button>
            </form>
          ) : (
            <button type="button" class="button-danger" onClick={start}>
              {t('order.flag.start')}
            </button>
          )}
        </div>
      )}
      {canChange && buyer?.ref && editing && (
        <form class="card flag-form" onSubmit={flag.submit} aria-labelledby="flag-form-title">
          <h3 id="flag-form-title">{t('order.flag.formTitle', { buyer: buyer.name ?? buyer.ref })}</h3>
          <Field id="flag-reason" label={t('order.flag.reason')} hint={t('order.flag.reasonHint')}>
            <textarea id="flag-reason" name="flagReason" ref={reason} required maxLength={500} rows={3} aria-describedby="flag-reason-hint" />
          </Field>
          <div class="row">
            <button type="submit" class="button-danger" disabled={flag.busy}>
              {t('order.flag.submit')}
            </button>
            <button
              type="button"
              class="button-quiet"
              onClick={() => {
                refocus.current = true;
                setEditing(false);
              }}
            >
              {t('order.flag.cancel')}
            </button>
          </div>
        </form>
      )}
      {canChange && !buyer?.ref && <p class="hint">{t('order.flag.needsRef')}</p>}
      <ErrorNotice error={flag.error ?? clear.error} />
      <p role="status" class="status-line">
        {status && t(status)}
      </p>
    </div>
  );
}
