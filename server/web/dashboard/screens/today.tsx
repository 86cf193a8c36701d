// Today, the home page: what needs the seller now — open disputes by deadline with a countdown
// (overdue ones loud), reminders, today's captures per station, weight warnings, flagged buyers'
// orders on the packing table — and two small charts of the last 30 days. Every figure comes from
// GET /api/v1/overview; countdowns count from the server's clock, so they agree with its "overdue".
import type { Static } from '@sinclair/typebox';
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { OverviewSchema } from '../../../routes/overview.routes';
import { api, type Me } from '../api';
import { ColumnChart, RowChart } from '../parts/bar-chart';
import { ScreenError } from '../parts/error-notice';
import { formatGrams, formatMoney, formatNumber, locale, t, termKey, type MessageKey } from '../i18n';
import { disputePath, followLink, orderPath } from '../router';
import { dashboardScreens } from '../screens';

type Overview = Static<typeof OverviewSchema>;
type OpenDispute = Overview['openDisputes']['items'][number];

const DAYS = 30;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A calendar day (YYYY-MM-DD) in the reader's language; the date is the shop's, so no zone applies. */
function formatDay(date: string, options: Intl.DateTimeFormatOptions): string {
  return new Intl.DateTimeFormat(locale(), { ...options, timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

/** A deadline or capture time in the shop's zone, to the minute. */
function formatShort(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso));
}

/** "3 days left", "Due in 5 hours"; or, past the deadline, "2 days late". */
export function countdown(respondBy: string, now: number): { late: boolean; text: string } {
  const left = Date.parse(respondBy) - now;
  const late = left <= 0;
  const span = Math.abs(left);
  const [unit, count] = span >= (late ? DAY : 2 * DAY) ? ['days', Math.floor(span / DAY)] : span >= HOUR ? ['hours', Math.floor(span / HOUR)] : ['minutes', Math.max(1, Math.floor(span / MINUTE))];
  return { late, text: t(`today.${late ? 'late' : 'left'}.${unit}` as MessageKey, { count }) };
}

/** The server's time now, moved on by the browser's clock since the answer came. */
function useServerNow(serverNow: string | undefined): number {
  const [, tick] = useState(0);
  const [loadedAt] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => tick((value) => value + 1), MINUTE);
    return () => clearInterval(timer);
  }, []);
  return serverNow ? Date.parse(serverNow) + (Date.now() - loadedAt) : Date.now();
}

export function TodayScreen({ me }: { me: Me }) {
  const [overview, setOverview] = useState<Overview>();
  const [error, setError] = useState<unknown>();
  const timeZone = me.shop.timezone;

  const load = () => {
    setError(undefined);
    api<Overview>('GET', `/overview?days=${DAYS}`).then(setOverview, setError);
  };
  useEffect(load, []);

  return (
    <section aria-labelledby="today-title" class="today">
      <h1 id="today-title">{t('today.title')}</h1>
      {overview && <p class="muted today-date">{t('today.date', { date: formatDay(overview.today, { dateStyle: 'full' }), timezone: timeZone })}</p>}
      {error !== undefined && <ScreenError error={error} onRetry={load} />}
      {!overview && error === undefined && <p aria-live="polite">{t('app.loading')}</p>}
      {overview && <TodayBody overview={overview} timeZone={timeZone} />}
    </section>
  );
}

function TodayBody({ overview, timeZone }: { overview: Overview; timeZone: string }) {
  const now = useServerNow(overview.now);
  return (
    <>
      <OpenDisputes disputes={overview.openDisputes} now={now} timeZone={timeZone} />
      <div class="today-grid">
        <TodaysCaptures stations={overview.todayByStation} atDesk={overview.todayAtDesk} anyCaptures={overview.anyCaptures} />
        <Reminders reminders={overview.reminders} timeZone={timeZone} />
        <WeightWarnings warnings={overview.weightWarnings} timeZone={timeZone} />
        <FlaggedOrders orders={overview.flaggedOrdersInProgress} timeZone={timeZone} />
      </div>
      <section aria-labelledby="today-charts-title">
        <h2 id="today-charts-title">{t('today.charts.title', { count: overview.days })}</h2>
        <div class="today-grid">
          <div class="card">
            <CapturesChart days={overview.capturesPerDay} />
          </div>
          <div class="card">
            <OutcomesChart outcomes={overview.disputeOutcomes} />
          </div>
        </div>
      </section>
    </>
  );
}

const Link = ({ href, children }: { href: string; children: ComponentChildren }) => (
  <a href={href} onClick={followLink}>
    {children}
  </a>
);

function OpenDisputes({ disputes, now, timeZone }: { disputes: Overview['openDisputes']; now: number; timeZone: string }) {
  return (
    <section class="card" aria-labelledby="today-disputes-title">
      <h2 id="today-disputes-title">{t('today.disputes.title')}</h2>
      {disputes.items.length === 0 ? (
        <p class="today-empty">
          {t('today.disputes.none')} <Link href={dashboardScreens.search}>{t('today.disputes.findOrder')}</Link>
        </p>
      ) : (
        <ul class="today-list" id="today-disputes">
          {disputes.items.map((dispute) => (
            <DisputeRow key={dispute.id} dispute={dispute} now={now} timeZone={timeZone} />
          ))}
        </ul>
      )}
      {disputes.total > disputes.items.length && (
        <p>
          <Link href={dashboardScreens.disputes}>{t('today.disputes.all', { count: disputes.total })}</Link>
        </p>
      )}
    </section>
  );
}

function DisputeRow({ dispute, now, timeZone }: { dispute: OpenDispute; now: number; timeZone: string }) {
  const due = dispute.respondBy && dispute.status === 'open' ? countdown(dispute.respondBy, now) : undefined;
  return (
    <li class={`dispute-row${due?.late ? ' dispute-overdue' : ''}`}>
      <div class="dispute-main">
        <Link href={disputePath(dispute.id)}>{t('today.disputes.link', { orderId: dispute.orderId, reason: t(termKey('disputes.reasons', dispute.reason)) })}</Link>
        <span class="muted">
          {t(termKey('disputes.counterparties', dispute.counterparty))}
          {dispute.amount && ` · ${formatMoney(dispute.amount.value, dispute.amount.currency)}`}
        </span>
      </div>
      <div class="dispute-due">
        {dispute.status === 'submitted' ? (
          <span class="countdown">{t('today.disputes.submitted')}</span>
        ) : due ? (
          <span class="countdown">
            {due.late && (
              <strong class="overdue-badge">
                <span aria-hidden="true">⚠ </span>
                {t('today.disputes.overdue')}
              </strong>
            )}{' '}
            <strong>{due.text}</strong>
          </span>
        ) : (
          <span class="countdown muted">{t('today.disputes.noDeadline')}</span>
        )}
        {dispute.respondBy && <span class="muted">{t('today.disputes.respondBy', { time: formatShort(dispute.respondBy, timeZone) })}</span>}
      </div>
    </li>
  );
}

function Reminders({ reminders, timeZone }: { reminders: Overview['reminders']; timeZone: string }) {
  return (
    <section class="card" aria-labelledby="today-reminders-title">
      <h2 id="today-reminders-title">{t('today.reminders.title')}</h2>
      {reminders.length === 0 ? (
        <p class="today-empty">{t('today.reminders.none')}</p>
      ) : (
        <ul class="today-list">
          {reminders.map((reminder) => (
            <li key={`${reminder.disputeId}-${reminder.deadline}-${reminder.kind}`} class={reminder.kind === 'overdue' ? 'reminder-overdue' : undefined}>
              <strong>{t(reminder.kind === 'overdue' ? 'today.reminders.overdue' : 'today.reminders.dueSoon')}</strong>{' '}
              <Link href={disputePath(reminder.disputeId)}>
                {t('today.disputes.link', { orderId: reminder.orderId, reason: t(termKey('disputes.reasons', reminder.reason)) })}
              </Link>
              <span class="muted">
                {' · '}
                {reminder.deadline === 'claim_filing' && reminder.fileBy
                  ? t('today.reminders.fileClaimBy', { date: formatDay(reminder.fileBy, { dateStyle: 'medium' }) })
                  : t('today.disputes.respondBy', { time: formatShort(reminder.respondBy, timeZone) })}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Today's captures where they were made: each packing station, then the desk (evidence added from the dashboard). */
function TodaysCaptures({ stations, atDesk, anyCaptures }: { stations: Overview['todayByStation']; atDesk: number; anyCaptures: boolean }) {
  const total = stations.reduce((sum, station) => sum + station.count, atDesk);
  return (
    <section class="card" aria-labelledby="today-captures-title">
      <h2 id="today-captures-title">{t('today.captures.title')}</h2>
      {!anyCaptures ? (
        <p class="today-empty">
          {t('today.captures.firstRun')} <Link href={dashboardScreens.phones}>{t('today.captures.pairPhone')}</Link>
        </p>
      ) : total === 0 ? (
        <p class="today-empty">{t('today.captures.none')}</p>
      ) : (
        <>
          <p class="today-total">{t('today.captures.total', { count: total })}</p>
          <table class="today-table">
            <thead>
              <tr>
                <th scope="col">{t('today.captures.station')}</th>
                <th scope="col">{t('today.captures.count')}</th>
              </tr>
            </thead>
            <tbody>
              {stations.map((row) => (
                <tr key={row.station ?? ''}>
                  <th scope="row">{row.station ?? <span class="muted">{t('today.captures.noStation')}</span>}</th>
                  <td>{formatNumber(row.count)}</td>
                </tr>
              ))}
              {atDesk > 0 && (
                <tr class="today-desk">
                  <th scope="row">
                    {t('today.captures.atDesk')}
                    <span class="today-detail muted">{t('today.captures.atDeskHint')}</span>
                  </th>
                  <td>{formatNumber(atDesk)}</td>
                </tr>
              )}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function WeightWarnings({ warnings, timeZone }: { warnings: Overview['weightWarnings']; timeZone: string }) {
  return (
    <section class="card" aria-labelledby="today-weights-title">
      <h2 id="today-weights-title">{t('today.weights.title')}</h2>
      {warnings.items.length === 0 ? (
        <p class="today-empty">{t('today.weights.none', { count: warnings.days })}</p>
      ) : (
        <>
          <p class="muted">{t('today.weights.period', { count: warnings.days })}</p>
          <ul class="today-list">
            {warnings.items.map((warning) => {
              const percent = formatNumber(warning.differenceGrams / warning.expectedGrams, { style: 'percent', signDisplay: 'always', maximumFractionDigits: 1 });
              return (
                <li key={warning.captureId}>
                  <Link href={orderPath(warning.orderId)}>{t('today.weights.order', { orderId: warning.orderId })}</Link>{' '}
                  <strong class="weight-verdict">{t(warning.verdict === 'light' ? 'today.weights.light' : 'today.weights.heavy')}</strong>
                  <span class="today-detail">
                    {t(warning.against === 'shipped' ? 'today.weights.lineShipped' : 'today.weights.line', {
                      measured: formatGrams(warning.measuredGrams),
                      expected: formatGrams(warning.expectedGrams),
                      difference: percent,
                    })}
                  </span>
                  <span class="muted today-detail">
                    {[t(termKey('capture.kind', warning.kind)), warning.station, formatShort(warning.startedAt, timeZone)].filter(Boolean).join(' · ')}
                  </span>
                </li>
              );
            })}
          </ul>
          {warnings.total > warnings.items.length && <p class="muted">{t('today.weights.more', { count: warnings.total - warnings.items.length })}</p>}
        </>
      )}
    </section>
  );
}

function FlaggedOrders({ orders, timeZone }: { orders: Overview['flaggedOrdersInProgress']; timeZone: string }) {
  return (
    <section class="card" aria-labelledby="today-flagged-title">
      <h2 id="today-flagged-title">{t('today.flagged.title')}</h2>
      {orders.length === 0 ? (
        <p class="today-empty">{t('today.flagged.none')}</p>
      ) : (
        <ul class="today-list">
          {orders.map((order) => (
            <li key={order.orderId}>
              <Link href={orderPath(order.orderId)}>{t('today.weights.order', { orderId: order.orderId })}</Link>{' '}
              <span>{order.buyerName ? `${order.buyerName} (${order.buyerRef})` : order.buyerRef}</span>
              {order.flagReason && (
                <span class="today-detail flag">
                  <span aria-hidden="true">⚑ </span>
                  {t('today.flagged.reason', { reason: order.flagReason })}
                </span>
              )}
              <span class="muted today-detail">{t('today.flagged.captures', { count: order.captureCount, time: formatShort(order.lastCaptureAt, timeZone) })}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function CapturesChart({ days }: { days: Overview['capturesPerDay'] }) {
  const total = days.reduce((sum, day) => sum + day.count, 0);
  const busiest = days.reduce((best, day) => (day.count > best.count ? day : best), days[0]);
  const dayName = (date: string) => formatDay(date, { month: 'short', day: 'numeric' });
  const summary =
    total === 0
      ? t('today.chart.captures.empty', { count: days.length })
      : t('today.chart.captures.summary', { count: total, days: days.length, date: dayName(busiest.date), most: formatNumber(busiest.count) });
  return (
    <ColumnChart
      id="chart-captures"
      title={t('today.chart.captures.title')}
      summary={summary}
      columns={[t('today.chart.day'), t('today.chart.count')]}
      axis={[dayName(days[0].date), dayName(days[days.length - 1].date)]}
      bars={days.map((day) => ({ label: dayName(day.date), value: day.count, shown: formatNumber(day.count) }))}
    />
  );
}

function OutcomesChart({ outcomes }: { outcomes: Overview['disputeOutcomes'] }) {
  const recovered = outcomes.recovered.map((money) => formatMoney(money.value, money.currency)).join(' · ');
  const decided = outcomes.won + outcomes.lost > 0;
  const summary = decided
    ? [t('today.chart.outcomes.summary', { won: formatNumber(outcomes.won), lost: formatNumber(outcomes.lost) }), recovered ? t('today.chart.outcomes.recovered', { amounts: recovered }) : t('today.chart.outcomes.nothingRecovered')].join(' ')
    : t('today.chart.outcomes.empty');
  return (
    <RowChart
      id="chart-outcomes"
      title={t('today.chart.outcomes.title')}
      summary={summary}
      columns={[t('today.chart.outcome'), t('today.chart.disputes')]}
      bars={[
        { label: t('today.chart.won'), value: outcomes.won, shown: formatNumber(outcomes.won), tone: 'chart-bar-won' },
        { label: t('today.chart.lost'), value: outcomes.lost, shown: formatNumber(outcomes.lost), tone: 'chart-bar-lost' },
      ]}
      footer={
        <p class="chart-summary">
          {decided ? t('today.chart.outcomes.summary', { won: formatNumber(outcomes.won), lost: formatNumber(outcomes.lost) }) : t('today.chart.outcomes.empty')}
          {decided && (
            <span class="chart-recovered">
              {t('today.chart.outcomes.recoveredLabel')} <strong>{recovered || formatNumber(0)}</strong>
            </span>
          )}
        </p>
      }
    />
  );
}
