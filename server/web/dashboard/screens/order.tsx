// One order: its facts (the buyer's flag set and cleared here), its disputes, then every capture oldest
// first with what was measured and recorded, and each file with its SHA-256 and custody log. Photos
// open full size in the viewer; videos play from their playback copy. Evidence from the desk is added
// at the end of the timeline.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { DisputeReason, DisputeStatus } from '../../../domain/vocabulary';
import { api, ApiError, type Capture, type Device, type Me, type Order, type OrderSummary, type User } from '../api';
import { AddEvidence } from '../parts/add-evidence';
import { BuyerFlag } from '../parts/buyer-flag';
import { channelName } from '../parts/channel-name';
import type { ActorNameMap, ActorNames } from '../parts/custody-log';
import { ErrorNotice } from '../parts/error-notice';
import { MediaItem } from '../parts/media-item';
import { OrderRetention } from '../parts/media-retention';
import { PhotoViewer } from '../parts/photo-viewer';
import { formatGrams, formatMoney, formatNumber, formatTime, t, termKey } from '../i18n';
import { Field } from '../parts/field';
import { useFormAction } from '../parts/form-action';
import { fromWallTimeInput, toWallTimeInput } from '../parts/wall-time';
import { disputePath, disputesPath, followLink } from '../router';
import { WeightVerdict } from '../parts/weight-verdict';
import { mediaNumbers } from '../parts/media-numbers';

/** What the order page shows of each of its disputes (the API's dispute summary). */
interface OrderDispute {
  id: string;
  reason: DisputeReason;
  status: DisputeStatus;
  respondBy?: string;
  createdAt: string;
}

/**
 * Who custody events name, loaded once when the first custody log opens: you, the people and phones
 * that recorded this order's captures, the shop's phones, and (for the owner) its users.
 */
function actorNamesFor(me: Me, order: Order): ActorNames {
  let loaded: Promise<ActorNameMap> | undefined;
  return () =>
    (loaded ??= (async () => {
      const names: ActorNameMap = new Map();
      for (const capture of order.captures) if (capture.recordedBy?.name) names.set(capture.recordedBy.id, { name: capture.recordedBy.name });
      const [devices, users] = await Promise.all([
        api<{ items: Device[] }>('GET', '/devices').catch(() => ({ items: [] })),
        me.role === 'owner' ? api<{ items: User[] }>('GET', '/users').catch(() => ({ items: [] })) : { items: [] },
      ]);
      for (const device of devices.items) names.set(device.id, { name: device.name });
      for (const user of users.items) names.set(user.id, { name: user.email });
      // Marked, not worded: "you" is said in the language shown when the log is drawn.
      names.set(me.id, { name: me.name, you: true });
      return names;
    })());
}

export function OrderScreen({ orderId, me }: { orderId: string; me: Me }) {
  const timeZone = me.shop.timezone;
  const [order, setOrder] = useState<Order>();
  const [error, setError] = useState<unknown>();
  const [viewing, setViewing] = useState<number>();
  const names = useRef<ActorNames>();

  const load = () =>
    api<Order>('GET', `/orders/${encodeURIComponent(orderId)}`).then((answer) => {
      names.current = actorNamesFor(me, answer);
      setOrder(answer);
    }, setError);

  useEffect(() => {
    setOrder(undefined);
    setError(undefined);
    load();
  }, [orderId]);

  useEffect(() => {
    document.title = `${orderId} · Packtrail`;
    return () => {
      document.title = 'Packtrail';
    };
  }, [orderId]);

  const allMedia = order?.captures.flatMap((capture) => capture.media) ?? [];
  // A photo retention removed has nothing to show in the viewer.
  const photos = allMedia.filter((media) => media.type === 'photo' && !media.removed);
  const numberOf = mediaNumbers(order?.captures ?? []);
  const staff = me.role === 'owner' || me.role === 'seller';
  const updateSummary = (summary: OrderSummary) => setOrder((current) => current && { ...current, ...summary });

  return (
    <article aria-labelledby="order-title" class="order-page">
      <p>
        <a href="/" onClick={followLink} class="back">
          ← {t('order.back')}
        </a>
      </p>
      <h1 id="order-title">{t('order.title', { orderId })}</h1>
      {error instanceof ApiError && error.code === 'NOT_FOUND' ? <p class="notice notice-info">{t('order.notFound', { orderId })}</p> : <ErrorNotice error={error} />}
      {!order && !error && <p aria-live="polite">{t('app.loading')}</p>}
      {order && (
        <>
          <BuyerFlag order={order} canChange={staff} onChanged={updateSummary} />
          <OrderFacts order={order} timeZone={timeZone} canChange={staff} onChanged={updateSummary} />
          {staff && <OrderDisputes orderId={order.orderId} disputes={(order.disputes ?? []) as OrderDispute[]} timeZone={timeZone} />}
          <section aria-labelledby="timeline-title">
            <h2 id="timeline-title">{t('order.timeline')}</h2>
            {order.captures.length === 0 && <p>{t('order.noCaptures')}</p>}
            <OrderRetention orderId={order.orderId} staff={staff} owner={me.role === 'owner'} timeZone={timeZone}>
            <ol class="timeline">
              {order.captures.map((capture) => (
                <CaptureCard key={capture.id} capture={capture} expectedGrams={order.expectedWeightGrams} timeZone={timeZone}>
                  {capture.media.map((media) => (
                    <MediaItem
                      key={media.id}
                      media={media}
                      number={numberOf(media)}
                      timeZone={timeZone}
                      names={() => names.current!()}
                      onOpenPhoto={() => setViewing(photos.indexOf(media))}
                    />
                  ))}
                </CaptureCard>
              ))}
            </ol>
            </OrderRetention>
          </section>
          {staff && <AddEvidence orderId={order.orderId} onAdded={load} />}
          {viewing !== undefined && <PhotoViewer photos={photos} index={viewing} onIndex={setViewing} onClose={() => setViewing(undefined)} />}
        </>
      )}
    </article>
  );
}

function OrderDisputes({ orderId, disputes, timeZone }: { orderId: string; disputes: OrderDispute[]; timeZone: string }) {
  return (
    <section aria-labelledby="order-disputes-title" class="card">
      <h2 id="order-disputes-title">{t('order.disputes.title')}</h2>
      {disputes.length === 0 ? (
        <p>{t('order.disputes.none')}</p>
      ) : (
        <ul class="order-disputes">
          {disputes.map((dispute) => (
            <li key={dispute.id}>
              <a href={disputePath(dispute.id)} onClick={followLink}>
                {t(termKey('disputes.reasons', dispute.reason))}
              </a>{' '}
              <span class={`dispute-status status-${dispute.status}`}>{t(termKey('disputes.statuses', dispute.status))}</span>
              <span class="muted">
                {' · '}
                {dispute.respondBy ? t('order.disputes.respondBy', { time: formatTime(dispute.respondBy, timeZone) }) : t('order.disputes.opened', { time: formatTime(dispute.createdAt, timeZone) })}
              </span>
            </li>
          ))}
        </ul>
      )}
      <p>
        <a class="button-link" href={disputesPath({ newFor: orderId })} onClick={followLink}>
          {t('order.disputes.open')}
        </a>
      </p>
    </section>
  );
}

function Fact({ label, children }: { label: string; children: preact.ComponentChildren }) {
  return (
    <div class="fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function OrderFacts({ order, timeZone, canChange, onChanged }: { order: Order; timeZone: string; canChange: boolean; onChanged: (summary: OrderSummary) => void }) {
  const none = t('order.none');
  return (
    <section aria-labelledby="facts-title" class="card">
      <h2 id="facts-title">{t('order.facts')}</h2>
      <dl class="facts" id="order-facts">
        <Fact label={t('order.buyer')}>
          {[order.buyer?.name, order.buyer?.ref].filter(Boolean).join(' · ') || none}
          {order.buyer?.flagged && (
            <span class="flag-badge">
              ⚑ {t('order.flagged')}
              {order.buyer.flagReason ? `: ${order.buyer.flagReason}` : ''}
            </span>
          )}
        </Fact>
        <Fact label={t('order.channel')}>{order.channel ? channelName(order.channel) : none}</Fact>
        <Fact label={t('order.carrier')}>{order.carrier ?? none}</Fact>
        <Fact label={t('order.tracking')}>{order.trackingNumbers.length ? order.trackingNumbers.join(', ') : none}</Fact>
        <Fact label={t('order.deliveryNote')}>{order.deliveryNote ?? none}</Fact>
        <Fact label={t('order.deliveredAt')}>{order.deliveredAt ? formatTime(order.deliveredAt, timeZone) : t('order.deliveredAt.none')}</Fact>
        <Fact label={t('order.declaredValue')}>{order.declaredValue ? formatMoney(order.declaredValue.amount, order.declaredValue.currency) : none}</Fact>
        <Fact label={t('order.expectedWeight')}>
          {order.expectedWeightGrams !== undefined ? <ExpectedWeight order={order} /> : none}
          <ItemsWithoutWeight count={(order as { itemsWithoutWeight?: number }).itemsWithoutWeight} />
        </Fact>
        <Fact label={t('order.items')}>
          {order.items.length === 0 ? (
            none
          ) : (
            <ul class="items">
              {order.items.map((item, index) => (
                <li key={index}>
                  {item.name} {t('order.quantity', { quantity: formatNumber(item.quantity) })}
                  {item.unitWeightGrams !== undefined && <span class="muted"> · {formatGrams(item.unitWeightGrams)}</span>}
                  {/* Neither the order nor the SKU catalogue gives this item a weight: the expected weight leaves it out. */}
                  {(item as { weightKnown?: boolean }).weightKnown === false && <span class="no-weight"> · {t('order.noWeightKnown')}</span>}
                </li>
              ))}
            </ul>
          )}
        </Fact>
      </dl>
      {canChange && <DeliveredOn order={order} timeZone={timeZone} onChanged={onChanged} />}
    </section>
  );
}

/**
 * When the parcel reached the buyer, typed on the shop's clock: couriers count claim deadlines from it,
 * and no shop system may send it. The confirmation is said beside the Save button that was pressed.
 */
function DeliveredOn({ order, timeZone, onChanged }: { order: Order; timeZone: string; onChanged: (summary: OrderSummary) => void }) {
  const [saved, setSaved] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const { busy, error, submit } = useFormAction(async (form) => {
    setSaved(false);
    const deliveredAt = fromWallTimeInput(String(form.get('deliveredAt') ?? ''), timeZone);
    if (!deliveredAt) return;
    onChanged(await api<OrderSummary>('PUT', `/orders/${encodeURIComponent(order.orderId)}`, { deliveredAt }));
    setSaved(true);
  });
  // The button is disabled while saving, which drops its focus: it gets it back when done.
  useEffect(() => {
    if (saved && !busy) button.current?.focus();
  }, [saved, busy]);
  return (
    <form class="inline-form delivered-form" onSubmit={submit}>
      <Field id="order-delivered" label={t('order.deliveredAt')} hint={t('order.deliveredAt.hint', { timeZone })}>
        <input id="order-delivered" name="deliveredAt" type="datetime-local" required defaultValue={toWallTimeInput(order.deliveredAt, timeZone)} aria-describedby="order-delivered-hint" />
      </Field>
      <div class="row">
        <button type="submit" ref={button} disabled={busy}>
          {t('order.deliveredAt.save')}
        </button>
        <span role="status" class="inline-status">
          {saved ? t('order.deliveredAt.saved') : ''}
        </span>
      </div>
      <ErrorNotice error={error} />
    </form>
  );
}

/** How many of the order's items no weight is known for (neither the order nor the SKU catalogue gives one). */
function ItemsWithoutWeight({ count }: { count?: number }) {
  if (!count) return null;
  return <span class="no-weight items-without-weight">{t('order.itemsWithoutWeight', { count })}</span>;
}

/** "2,430 g" and what it is made of: "2,280 g items + 150 g packaging, the shop's default", or that no packaging is counted. */
function ExpectedWeight({ order }: { order: Order }) {
  const parts = order.expectedWeightParts;
  const total = formatGrams(order.expectedWeightGrams!);
  if (!parts) return <>{total}</>;
  const items = formatGrams(parts.itemsGrams);
  const makeUp =
    parts.packagingGrams > 0
      ? t(parts.packagingFrom === 'shop' ? 'order.expectedWeight.withShopPackaging' : 'order.expectedWeight.withPackaging', {
          items,
          packaging: formatGrams(parts.packagingGrams),
        })
      : t(parts.packagingFrom === 'shop' ? 'order.expectedWeight.noPackagingSet' : 'order.expectedWeight.noPackaging');
  return (
    <>
      <span class="expected-total">{total}</span> <span class="muted expected-parts">({makeUp})</span>
    </>
  );
}

/**
 * The measured weight beside the one the server held it against (its weightCheck): the order's
 * expected weight, or for a return what the parcel weighed at packing.
 */
function weightLine(capture: Capture, orderExpectedGrams: number | undefined): string | undefined {
  if (capture.weightGrams === undefined) return undefined;
  const measured = formatGrams(capture.weightGrams);
  const shipped = capture.weightCheck?.against === 'shipped';
  const expectedGrams = capture.weightCheck ? capture.weightCheck.expectedGrams : orderExpectedGrams;
  if (!expectedGrams) return t('capture.weightOnly', { measured });
  const difference = (capture.weightGrams - expectedGrams) / expectedGrams;
  return t(shipped ? 'capture.weightVsShipped' : 'capture.weightVs', {
    measured,
    expected: formatGrams(expectedGrams),
    difference: formatNumber(difference, { style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' }),
  });
}

interface CaptureCardProps {
  capture: Capture;
  expectedGrams?: number;
  timeZone: string;
  children: preact.ComponentChildren;
}

function CaptureCard({ capture, expectedGrams, timeZone, children }: CaptureCardProps) {
  const weight = weightLine(capture, expectedGrams);
  return (
    <li class="card capture" data-capture-id={capture.id}>
      <h3>
        {t(termKey('capture.kind', capture.kind))}
        <span class="muted"> · {formatTime(capture.startedAt, timeZone)}</span>
      </h3>
      <dl class="facts">
        <Fact label={t('capture.started')}>{formatTime(capture.startedAt, timeZone)}</Fact>
        <Fact label={t('capture.finished')}>{capture.finishedAt ? formatTime(capture.finishedAt, timeZone) : t('capture.open')}</Fact>
        {capture.station && <Fact label={t('capture.station')}>{capture.station}</Fact>}
        {capture.recordedBy && (
          <Fact label={t('capture.recordedBy')}>
            {capture.recordedBy.name} <span class="muted">({capture.recordedBy.kind === 'device' ? t('order.custody.phone') : t('order.custody.user')})</span>
          </Fact>
        )}
        {weight && (
          <Fact label={t('capture.weight')}>
            <span class="weight">{weight}</span>
            {capture.weightCheck && capture.weightCheck.verdict !== 'unknown' && (
              <>
                {' '}
                <WeightVerdict check={capture.weightCheck} />
              </>
            )}
          </Fact>
        )}
        {capture.trackingNumber && <Fact label={t('capture.tracking')}>{capture.trackingNumber}</Fact>}
        {capture.checklist && capture.checklist.length > 0 && (
          <Fact label={t('capture.checklist')}>
            <ul class="items checklist">
              {capture.checklist.map((entry) => (
                <li key={entry.item} class={entry.result === 'issue' ? 'issue' : undefined}>
                  {t(termKey('checklist', entry.item))}: <strong>{t(termKey('result', entry.result))}</strong>
                  {entry.note ? ` — ${entry.note}` : ''}
                </li>
              ))}
            </ul>
          </Fact>
        )}
        {capture.outcome && (
          <Fact label={t('capture.outcome')}>
            <strong>{t(termKey('outcome', capture.outcome))}</strong>
          </Fact>
        )}
        {capture.note && (
          <Fact label={t('capture.note')}>
            <span class="note">{capture.note}</span>
          </Fact>
        )}
      </dl>
      {capture.media.length > 0 && (
        <>
          <h4>{t('capture.media')}</h4>
          <ul class="media-list">{children}</ul>
        </>
      )}
    </li>
  );
}
