// Orders, searched as the seller types: by order ID, a tracking number or part of one, or the buyer.
// Each keystroke waits a moment for the next; an answer that arrives after a newer one is dropped.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type OrderSummary } from '../api';
import { ErrorNotice } from '../parts/error-notice';
import { formatTime, t } from '../i18n';
import { followLink, navigate, orderPath, searchPath } from '../router';

const TYPING_PAUSE_MS = 180;

export function SearchScreen({ q: initial, timeZone }: { q: string; timeZone: string }) {
  const [q, setQ] = useState(initial);
  const [result, setResult] = useState<{ q: string; items: OrderSummary[] }>();
  const [error, setError] = useState<unknown>();
  const latest = useRef(0);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  useEffect(() => {
    const term = q.trim();
    const call = ++latest.current;
    const timer = setTimeout(async () => {
      // The address keeps the term, so coming back from an order shows the same results.
      navigate(searchPath(term), { replace: true });
      try {
        const answer = await api<{ items: OrderSummary[] }>('GET', `/orders?limit=50${term ? `&q=${encodeURIComponent(term)}` : ''}`);
        if (call === latest.current) {
          setResult({ q: term, items: answer.items });
          setError(undefined);
        }
      } catch (caught) {
        if (call === latest.current) setError(caught);
      }
    }, term === initial.trim() && !result ? 0 : TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [q]);

  const searching = result?.q !== q.trim();
  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">{t('search.title')}</h1>
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
      </form>
      <ErrorNotice error={error} />
      <div aria-live="polite" class="result-status" id="search-status">
        {result === undefined
          ? t('search.searching')
          : result.items.length === 0
            ? result.q
              ? t('search.none', { q: result.q })
              : t('search.empty')
            : result.q
              ? t('search.count', { count: result.items.length })
              : t('search.recent')}
      </div>
      {result && result.items.length > 0 && (
        <ul class={`results${searching ? ' stale' : ''}`} aria-label={t('search.results')} id="search-results">
          {result.items.map((order) => (
            <li key={order.orderId}>
              <a href={orderPath(order.orderId)} onClick={followLink} class="result">
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
                <span class="result-tracking">
                  <span class="visually-hidden">{t('search.tracking')}: </span>
                  {order.trackingNumbers.join(', ')}
                </span>
                <span class="result-time">
                  {t('search.updated')}: {formatTime(order.updatedAt, timeZone)}
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
