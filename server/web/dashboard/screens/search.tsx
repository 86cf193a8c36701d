// Orders, searched as the seller types: by order ID, a tracking number or part of one, or the buyer,
// narrowed by filters. Each keystroke waits a moment for the next; an answer that arrives after a newer
// one is dropped. The term and the filters live in the address, so back and reload show the same list.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Static } from '@sinclair/typebox';
import type { OrderSearchItemSchema } from '../../../routes/schemas';
import { api, mediaUrl } from '../api';
import { ErrorNotice } from '../parts/error-notice';
import { activeFilterCount, badRange, FilterBar, filtersFrom, searchParams, type SearchFilters } from '../parts/search-filters';
import { WeightVerdict } from '../parts/weight-verdict';
import { formatTime, t, termKey } from '../i18n';
import { followLink, navigate, orderPath } from '../router';
import { dashboardScreens } from '../screens';

type OrderSearchItem = Static<typeof OrderSearchItemSchema>;

const TYPING_PAUSE_MS = 180;

/** `canImport`: the person may import orders (not a packer), so the screen offers it. */
export function SearchScreen({ q: initial, filters: initialFilters, timeZone, canImport = false }: { q: string; filters?: URLSearchParams; timeZone: string; canImport?: boolean }) {
  const [q, setQ] = useState(initial);
  const [filters, setFilters] = useState<SearchFilters>(() => filtersFrom(initialFilters ?? new URLSearchParams(location.search)));
  const [result, setResult] = useState<{ key: string; q: string; filtered: boolean; items: OrderSearchItem[] }>();
  const [error, setError] = useState<unknown>();
  const latest = useRef(0);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  const term = q.trim();
  const params = searchParams(term, filters);
  const key = params.toString();
  const invalidRange = badRange(filters);

  useEffect(() => {
    const call = ++latest.current;
    if (invalidRange) return;
    const timer = setTimeout(async () => {
      // The address keeps the term and filters, so coming back from an order shows the same results.
      navigate(`${dashboardScreens.search}${key ? `?${key}` : ''}`, { replace: true });
      try {
        const answer = await api<{ items: OrderSearchItem[] }>('GET', `/orders?limit=50${key ? `&${key}` : ''}`);
        if (call === latest.current) {
          setResult({ key, q: term, filtered: activeFilterCount(filters) > 0, items: answer.items });
          setError(undefined);
        }
      } catch (caught) {
        if (call === latest.current) setError(caught);
      }
    }, result === undefined ? 0 : TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [key, invalidRange]);

  const searching = result?.key !== key;
  return (
    <section aria-labelledby="search-title">
      <div class="search-head">
        <h1 id="search-title">{t('search.title')}</h1>
        {canImport && (
          <a class="action-link" href={dashboardScreens.importOrders} onClick={followLink}>
            {t('imports.open')}
          </a>
        )}
      </div>
      <form class="search" role="search" onSubmit={(event) => event.preventDefault()}>
        <label for="search-input" class="visually-hidden">
          {t('search.label')}
        </label>
        <input
          id="search-input"
          ref={input}
          type="search"
          value={q}
          placeholder={t('search.placeholder')}
          aria-label={t('search.label')}
          aria-describedby="search-hint"
          autoComplete="off"
          spellcheck={false}
          onInput={(event) => setQ(event.currentTarget.value)}
        />
        <p class="hint" id="search-hint">
          {t('search.hint')}
        </p>
        <FilterBar filters={filters} onChange={setFilters} />
      </form>
      {invalidRange && <p class="notice notice-warning">{t('search.badRange')}</p>}
      <ErrorNotice error={error} />
      <div aria-live="polite" class="result-status" id="search-status">
        {statusText(result)}
      </div>
      {result && result.items.length > 0 && (
        <ul class={`results${searching ? ' stale' : ''}`} aria-label={t('search.results')} id="search-results">
          {result.items.map((order) => (
            <li key={order.orderId}>
              <ResultRow order={order} timeZone={timeZone} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function statusText(result: { q: string; filtered: boolean; items: unknown[] } | undefined): string {
  if (result === undefined) return t('search.searching');
  if (result.items.length === 0) return result.q ? t('search.none', { q: result.q }) : result.filtered ? t('search.noneFiltered') : t('search.empty');
  return result.q || result.filtered ? t('search.count', { count: result.items.length }) : t('search.recent');
}

/** Words that already say "station" in a station's own name, in every language the dashboard speaks. */
const STATION_WORDS = /station|작업대|工作站/i;

/** "Station 2" as it is; "A" as "Station A": the label only where the name does not already say it. */
function stationText(station: string): string {
  return STATION_WORDS.test(station) || station.toLowerCase().includes(t('capture.station').toLowerCase()) ? station : `${t('capture.station')} ${station}`;
}

function ResultRow({ order, timeZone }: { order: OrderSearchItem; timeZone: string }) {
  const capture = order.latestCapture;
  const kind = capture ? t(termKey('capture.kind', capture.kind)) : '';
  return (
    <a href={orderPath(order.orderId)} onClick={followLink} class="result">
      <span class="result-thumb">
        {capture?.thumbnailMediaId ? (
          <img src={mediaUrl(capture.thumbnailMediaId, 'thumbnail')} alt={t('search.thumbnail', { kind })} loading="lazy" width={72} height={72} />
        ) : (
          <span class="result-nothumb" aria-hidden="true" />
        )}
      </span>
      <span class="result-order">
        <span class="result-id">{order.orderId}</span>
        <span class="result-buyer">
          <span class="visually-hidden">{t('search.buyer')}: </span>
          {order.buyer?.name ?? order.buyer?.ref ?? ''}
          {order.buyer?.flagged && (
            <span class="flag" title={t('order.flagged')}>
              {' '}⚑<span class="visually-hidden">{t('order.flagged')}</span>
            </span>
          )}
        </span>
        {order.trackingNumbers.length > 0 && (
          <span class="result-tracking">
            <span class="visually-hidden">{t('search.tracking')}: </span>
            {order.trackingNumbers.join(', ')}
          </span>
        )}
      </span>
      <span class="result-capture">
        {capture ? (
          <>
            <span class="result-kind">
              {kind}
              {capture.station && (
                <span class="muted">
                  {' · '}
                  {stationText(capture.station)}
                </span>
              )}
            </span>
            <span class="result-time">{formatTime(capture.startedAt, timeZone)}</span>
            {capture.weightCheck && <WeightVerdict check={capture.weightCheck} />}
          </>
        ) : (
          <span class="muted">{t('search.noCapture')}</span>
        )}
        {order.hasDispute && (
          <span class="result-dispute">
            <span aria-hidden="true">⚖ </span>
            {t('search.dispute')}
          </span>
        )}
      </span>
    </a>
  );
}
