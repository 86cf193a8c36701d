// The search's filters: read from and written to the address (/search?q=…&kind=…&weightWarnings=true),
// sent to the API under the same names, and the filter bar that edits them (folded away on a phone
// until opened, or while none is on).
import { useState } from 'preact/hooks';
import { captureKinds, type CaptureKind } from '../../../domain/vocabulary';
import { t, termKey } from '../i18n';

export interface SearchFilters {
  from?: string;
  to?: string;
  station?: string;
  kind?: CaptureKind;
  weightWarnings?: boolean;
  hasDispute?: boolean;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The filters an address holds; values the API would refuse (a pasted or edited address) are left out. */
export function filtersFrom(params: URLSearchParams): SearchFilters {
  const day = (name: string) => {
    const value = params.get(name) ?? '';
    return DAY.test(value) ? value : undefined;
  };
  const kind = params.get('kind') ?? '';
  const station = params.get('station')?.trim();
  return clean({
    from: day('from'),
    to: day('to'),
    station: station || undefined,
    kind: (captureKinds as readonly string[]).includes(kind) ? (kind as CaptureKind) : undefined,
    weightWarnings: params.get('weightWarnings') === 'true' || undefined,
    hasDispute: params.get('hasDispute') === 'true' || undefined,
  });
}

function clean(filters: SearchFilters): SearchFilters {
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined && value !== '' && value !== false));
}

const FILTER_NAMES = ['from', 'to', 'station', 'kind', 'weightWarnings', 'hasDispute'] as const satisfies readonly (keyof SearchFilters)[];

/** `q` and the filters as query parameters, always in the same order, so one list has one address. */
export function searchParams(q: string, filters: SearchFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  const given = clean({ ...filters, station: filters.station?.trim() });
  for (const name of FILTER_NAMES) if (given[name] !== undefined) params.set(name, String(given[name]));
  return params;
}

export const activeFilterCount = (filters: SearchFilters) => Object.keys(clean({ ...filters, station: filters.station?.trim() })).length;

/** A day range the API would refuse: the seller is told instead of being shown an error. */
export const badRange = (filters: SearchFilters) => Boolean(filters.from && filters.to && filters.from > filters.to);

const folded = () => typeof matchMedia === 'function' && matchMedia('(max-width: 44rem)').matches;

export function FilterBar({ filters, onChange }: { filters: SearchFilters; onChange: (next: SearchFilters) => void }) {
  const count = activeFilterCount(filters);
  const [open, setOpen] = useState(() => !folded() || count > 0);
  const set = <K extends keyof SearchFilters>(name: K, value: SearchFilters[K]) => onChange(clean({ ...filters, [name]: value }));
  return (
    <details class="filters" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>
        {t('search.filters')}
        {count > 0 && <span class="filters-count"> · {t('search.filtersActive', { count })}</span>}
      </summary>
      <div class="filters-body">
        <div class="filter">
          <label for="filter-from">{t('search.from')}</label>
          <input id="filter-from" type="date" value={filters.from ?? ''} max={filters.to} onChange={(event) => set('from', event.currentTarget.value || undefined)} />
        </div>
        <div class="filter">
          <label for="filter-to">{t('search.to')}</label>
          <input id="filter-to" type="date" value={filters.to ?? ''} min={filters.from} onChange={(event) => set('to', event.currentTarget.value || undefined)} />
        </div>
        <div class="filter">
          <label for="filter-station">{t('search.station')}</label>
          <input
            id="filter-station"
            type="text"
            value={filters.station ?? ''}
            maxLength={64}
            autoComplete="off"
            onInput={(event) => set('station', event.currentTarget.value || undefined)}
          />
        </div>
        <div class="filter">
          <label for="filter-kind">{t('search.kind')}</label>
          <select id="filter-kind" value={filters.kind ?? ''} onChange={(event) => set('kind', (event.currentTarget.value || undefined) as CaptureKind | undefined)}>
            <option value="">{t('search.anyKind')}</option>
            {captureKinds.map((kind) => (
              <option key={kind} value={kind}>
                {t(termKey('capture.kind', kind))}
              </option>
            ))}
          </select>
        </div>
        <div class="filter filter-check">
          <input id="filter-weight" type="checkbox" checked={Boolean(filters.weightWarnings)} onChange={(event) => set('weightWarnings', event.currentTarget.checked || undefined)} />
          <label for="filter-weight">{t('search.weightWarnings')}</label>
        </div>
        <div class="filter filter-check">
          <input id="filter-dispute" type="checkbox" checked={Boolean(filters.hasDispute)} onChange={(event) => set('hasDispute', event.currentTarget.checked || undefined)} />
          <label for="filter-dispute">{t('search.hasDispute')}</label>
        </div>
        {count > 0 && (
          <button type="button" class="button-quiet filters-clear" onClick={() => onChange({})}>
            {t('search.clearFilters')}
          </button>
        )}
      </div>
    </details>
  );
}
