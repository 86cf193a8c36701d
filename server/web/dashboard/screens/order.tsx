// One order: its facts, then every capture oldest first with what was measured and recorded, and
// each file with its SHA-256. Photos open full size in the viewer; videos play from their playback copy.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, mediaUrl, type Capture, type Media, type Order } from '../api';
import { ErrorNotice } from '../parts/error-notice';
import { PhotoViewer } from '../parts/photo-viewer';
import { formatGrams, formatMoney, formatNumber, formatTime, t, termKey } from '../i18n';
import { followLink } from '../router';

export function OrderScreen({ orderId, timeZone }: { orderId: string; timeZone: string }) {
  const [order, setOrder] = useState<Order>();
  const [error, setError] = useState<unknown>();
  const [viewing, setViewing] = useState<number>();

  useEffect(() => {
    setOrder(undefined);
    setError(undefined);
    api<Order>('GET', `/orders/${encodeURIComponent(orderId)}`).then(setOrder, setError);
  }, [orderId]);

  useEffect(() => {
    document.title = `${orderId} · Packtrail`;
    return () => {
      document.title = 'Packtrail';
    };
  }, [orderId]);

  const photos = order?.captures.flatMap((capture) => capture.media.filter((media) => media.type === 'photo')) ?? [];

  return (
    <article aria-labelledby="order-title">
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
          <OrderFacts order={order} />
          <section aria-labelledby="timeline-title">
            <h2 id="timeline-title">{t('order.timeline')}</h2>
            {order.captures.length === 0 && <p>{t('order.noCaptures')}</p>}
            <ol class="timeline">
              {order.captures.map((capture) => (
                <CaptureCard
                  key={capture.id}
                  capture={capture}
                  expectedGrams={order.expectedWeightGrams}
                  timeZone={timeZone}
                  photoNumber={(media) => photos.indexOf(media)}
                  onOpenPhoto={setViewing}
                />
              ))}
            </ol>
          </section>
          {viewing !== undefined && <PhotoViewer photos={photos} index={viewing} onIndex={setViewing} onClose={() => setViewing(undefined)} />}
        </>
      )}
    </article>
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

function OrderFacts({ order }: { order: Order }) {
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
        <Fact label={t('order.channel')}>{order.channel ?? none}</Fact>
        <Fact label={t('order.carrier')}>{order.carrier ?? none}</Fact>
        <Fact label={t('order.tracking')}>{order.trackingNumbers.length ? order.trackingNumbers.join(', ') : none}</Fact>
        <Fact label={t('order.deliveryNote')}>{order.deliveryNote ?? none}</Fact>
        <Fact label={t('order.declaredValue')}>{order.declaredValue ? formatMoney(order.declaredValue.amount, order.declaredValue.currency) : none}</Fact>
        <Fact label={t('order.expectedWeight')}>{order.expectedWeightGrams !== undefined ? formatGrams(order.expectedWeightGrams) : none}</Fact>
        <Fact label={t('order.items')}>
          {order.items.length === 0 ? (
            none
          ) : (
            <ul class="items">
              {order.items.map((item, index) => (
                <li key={index}>
                  {item.name} {t('order.quantity', { quantity: formatNumber(item.quantity) })}
                  {item.unitWeightGrams !== undefined && <span class="muted"> · {formatGrams(item.unitWeightGrams)}</span>}
                </li>
              ))}
            </ul>
          )}
        </Fact>
      </dl>
    </section>
  );
}

function weightLine(capture: Capture, expectedGrams: number | undefined): string | undefined {
  if (capture.weightGrams === undefined) return undefined;
  const measured = formatGrams(capture.weightGrams);
  if (!expectedGrams) return t('capture.weightOnly', { measured });
  const difference = (capture.weightGrams - expectedGrams) / expectedGrams;
  return t('capture.weightVs', {
    measured,
    expected: formatGrams(expectedGrams),
    difference: formatNumber(difference, { style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' }),
  });
}

interface CaptureCardProps {
  capture: Capture;
  expectedGrams?: number;
  timeZone: string;
  photoNumber: (media: Media) => number;
  onOpenPhoto: (index: number) => void;
}

function CaptureCard({ capture, expectedGrams, timeZone, photoNumber, onOpenPhoto }: CaptureCardProps) {
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
        {capture.recordedBy && <Fact label={t('capture.recordedBy')}>{capture.recordedBy.name}</Fact>}
        {weight && (
          <Fact label={t('capture.weight')}>
            <span class="weight">{weight}</span>
          </Fact>
        )}
        {capture.trackingNumber && <Fact label={t('capture.tracking')}>{capture.trackingNumber}</Fact>}
        {capture.checklist && capture.checklist.length > 0 && (
          <Fact label={t('capture.checklist')}>
            <ul class="items">
              {capture.checklist.map((entry) => (
                <li key={entry.item} class={entry.result === 'issue' ? 'issue' : undefined}>
                  {t(termKey('checklist', entry.item))}: {t(termKey('result', entry.result))}
                  {entry.note ? ` — ${entry.note}` : ''}
                </li>
              ))}
            </ul>
          </Fact>
        )}
        {capture.outcome && <Fact label={t('capture.outcome')}>{t(termKey('outcome', capture.outcome))}</Fact>}
        {capture.note && <Fact label={t('capture.note')}>{capture.note}</Fact>}
      </dl>
      {capture.media.length > 0 && (
        <>
          <h4>{t('capture.media')}</h4>
          <ul class="media-list">
            {capture.media.map((media) => (
              <MediaItem key={media.id} media={media} number={photoNumber(media)} onOpenPhoto={onOpenPhoto} />
            ))}
          </ul>
        </>
      )}
    </li>
  );
}

function MediaItem({ media, number, onOpenPhoto }: { media: Media; number: number; onOpenPhoto: (index: number) => void }) {
  const typeLabel = t(termKey('media', media.type));
  return (
    <li class="media-item" data-media-id={media.id}>
      {media.type === 'photo' && (
        <button type="button" class="thumb" onClick={() => onOpenPhoto(number)} aria-label={t('media.open', { type: typeLabel, number: number + 1 })}>
          <img src={mediaUrl(media.id, 'thumbnail')} alt="" loading="lazy" width={160} height={120} />
        </button>
      )}
      {media.type === 'video' && (
        <video controls preload="metadata" playsInline poster={mediaUrl(media.id, 'thumbnail')} src={mediaUrl(media.id, 'playback')} aria-label={typeLabel} />
      )}
      {media.type === 'audio' && <audio controls preload="metadata" src={mediaUrl(media.id, 'original')} aria-label={typeLabel} />}
      {media.type === 'document' && (
        <a href={mediaUrl(media.id, 'original')} target="_blank" rel="noopener">
          {t('media.openDocument')}
        </a>
      )}
      <div class="media-facts">
        <span>
          {typeLabel}
          {media.caption ? ` · ${media.caption}` : ''}
        </span>
        {media.processingStatus === 'failed' && <span class="muted">{t('media.failed')}</span>}
        <span class="sha">
          <abbr title="SHA-256">{t('media.sha256')}</abbr> <code>{media.sha256}</code>
        </span>
        <a href={mediaUrl(media.id, 'original')} download>
          {t('media.download')}
        </a>
      </div>
    </li>
  );
}
