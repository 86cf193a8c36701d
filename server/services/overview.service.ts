// The seller's home page as data: what needs them now (deadlines, reminders, weight warnings, flagged
// buyers' parcels on the table) and how the shop is doing (captures per day, disputes won and lost).
// Codes and numbers only; the dashboard words and draws them. Days are the shop's calendar days.
import type { OverviewRepository } from '../../storage/overview.repository';
import type { CaptureKind, Counterparty, DisputeReason, DisputeStatus } from '../domain/vocabulary';
import type { DisputesService } from './disputes.service';
import { checkCaptureWeight, DEFAULT_WEIGHT_RULES, toleranceOf, type WeightBasis, type WeightRules } from './weights';
import { wallClock, wallTimeToUtc } from './time';

/** More open disputes than this is a list for the disputes screen; the home page shows the soonest. */
const OPEN_DISPUTES_SHOWN = 50;
const WEIGHT_WARNINGS_SHOWN = 20;
/**
 * Weight warnings are for parcels still worth a look (reopen the box, or ready the evidence): the last
 * week's. Older ones are history, found with the search; this also keeps the page's query short.
 */
const WEIGHT_WARNING_DAYS = 7;
const FLAGGED_ORDERS_SHOWN = 20;

export interface OpenDispute {
  id: string;
  orderId: string;
  reason: DisputeReason;
  counterparty: Counterparty;
  status: Extract<DisputeStatus, 'open' | 'submitted'>;
  amount?: { value: number; currency: string };
  respondBy?: string;
  /** Still open with its respond-by passed (a submitted dispute has been answered: it waits on the other side). */
  overdue: boolean;
}

export interface WeightWarning {
  captureId: string;
  orderId: string;
  kind: CaptureKind;
  station?: string;
  startedAt: string;
  measuredGrams: number;
  /** What the weight is held against: the order's expected weight, or for a return what was shipped (`against`). */
  expectedGrams: number;
  differenceGrams: number;
  verdict: 'light' | 'heavy';
  against: WeightBasis;
}

export interface FlaggedOrder {
  orderId: string;
  buyerRef: string;
  buyerName?: string;
  flagReason?: string;
  captureCount: number;
  lastCaptureAt: string;
}

interface OverviewDeps {
  overview: OverviewRepository;
  disputes: Pick<DisputesService, 'reminders'>;
  /** The shop's time zone, read on each call: the owner may change it. */
  timezone: () => string;
  /** The shop's default packaging and tolerance, read on each call: the owner may change them. */
  weightRules?: () => WeightRules;
  clock: () => Date;
}

/** The calendar day (YYYY-MM-DD) a clock in `timeZone` shows at `instant`. */
function localDate(instant: Date, timeZone: string): string {
  const { year, month, day } = wallClock(instant, timeZone);
  return `${year}-${month}-${day}`;
}

/** The calendar day `days` after `date` (negative: before); calendar arithmetic, no time zone involved. */
function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** When `date` begins in `timeZone`, as the UTC string captures are stored with. */
const startOf = (date: string, timeZone: string) => wallTimeToUtc(`${date}T00:00:00`, timeZone)!;

export function createOverviewService({ overview, disputes, timezone, weightRules = () => DEFAULT_WEIGHT_RULES, clock }: OverviewDeps) {
  function openDisputes(now: Date) {
    const items: OpenDispute[] = overview.openDisputes(OPEN_DISPUTES_SHOWN).map((row) => ({
      id: row.id,
      orderId: row.order_external_id,
      reason: row.reason as DisputeReason,
      counterparty: row.counterparty as Counterparty,
      status: row.status as OpenDispute['status'],
      ...(row.amount_value !== null && row.amount_currency ? { amount: { value: row.amount_value, currency: row.amount_currency } } : {}),
      ...(row.respond_by ? { respondBy: row.respond_by } : {}),
      overdue: row.status === 'open' && row.respond_by !== null && new Date(row.respond_by) <= now,
    }));
    return { total: overview.openDisputeCount(), items };
  }

  /**
   * Weighed captures whose weight is outside the tolerance of their order's expected weight, newest
   * first. The query narrows to them with the rule's tolerance (the whole window never travels into
   * JavaScript); each is then assessed by the rule itself, so the verdict is the one the reports print.
   */
  function weightWarnings(from: string, to: string) {
    const rules = weightRules();
    const rows = overview.weightWarnings(from, to, { tolerance: toleranceOf(rules), packaging: rules.packagingWeightGrams }, WEIGHT_WARNINGS_SHOWN);
    const items: WeightWarning[] = [];
    for (const row of rows) {
      // The weights as the SQL found them, the verdict by the rule itself.
      const check = checkCaptureWeight(
        { kind: row.kind as CaptureKind, weightGrams: row.weight_grams },
        { expectedGrams: row.order_expected_grams ?? undefined, shippedGrams: row.shipped_grams ?? undefined },
        row.tolerance_percent !== null ? { tolerancePercent: row.tolerance_percent } : rules,
      );
      if (check.verdict !== 'light' && check.verdict !== 'heavy') continue;
      items.push({
        captureId: row.id,
        orderId: row.order_external_id,
        kind: row.kind as CaptureKind,
        ...(row.station ? { station: row.station } : {}),
        startedAt: row.started_at,
        measuredGrams: row.weight_grams,
        expectedGrams: check.expectedGrams!,
        differenceGrams: check.differenceGrams!,
        verdict: check.verdict,
        against: check.against,
      });
    }
    return { days: WEIGHT_WARNING_DAYS, total: rows[0]?.total ?? 0, items };
  }

  /**
   * A flagged buyer's order is "in progress" while it is on the packing table: it has a capture within
   * the window, and nothing says it left — no shipped time from the shop's system and no handover
   * capture. The window keeps an order whose shipping was never recorded from staying here for ever.
   */
  function flaggedOrdersInProgress(since: string): FlaggedOrder[] {
    return overview.flaggedOrdersInProgress(since, FLAGGED_ORDERS_SHOWN).map((row) => ({
      orderId: row.order_external_id,
      buyerRef: row.buyer_ref,
      ...(row.buyer_name ? { buyerName: row.buyer_name } : {}),
      ...(row.flag_reason ? { flagReason: row.flag_reason } : {}),
      captureCount: row.capture_count,
      lastCaptureAt: row.last_capture_at,
    }));
  }

  return {
    /** The home page over the last `days` days of the shop's calendar, today included. */
    get(days: number) {
      const now = clock();
      const timeZone = timezone();
      const today = localDate(now, timeZone);
      const dates = Array.from({ length: days }, (_, index) => addDays(today, index - days + 1));
      const starts = [...dates, addDays(today, 1)].map((date) => startOf(date, timeZone));
      const todayStart = starts[days - 1];
      const tomorrowStart = starts[days];
      const windowStart = starts[0];

      return {
        now: now.toISOString(),
        timezone: timeZone,
        today,
        days,
        openDisputes: openDisputes(now),
        reminders: disputes.reminders().map((reminder) => ({
          disputeId: reminder.disputeId,
          kind: reminder.kind,
          deadline: reminder.deadline,
          respondBy: reminder.respondBy,
          ...(reminder.fileBy ? { fileBy: reminder.fileBy } : {}),
          ...(reminder.recipient ? { recipient: reminder.recipient } : {}),
          raisedAt: reminder.raisedAt,
          orderId: reminder.dispute.orderId,
          reason: reminder.dispute.reason,
          counterparty: reminder.dispute.counterparty,
        })),
        anyCaptures: overview.anyCapture(),
        todayByStation: overview.capturesPerStation(todayStart, tomorrowStart).map((row) => ({ station: row.station, count: row.count })),
        todayAtDesk: overview.capturesAtDesk(todayStart, tomorrowStart),
        capturesPerDay: dates.map((date, index) => ({ date, count: overview.capturesBetween(starts[index], starts[index + 1]) })),
        weightWarnings: weightWarnings(startOf(addDays(today, 1 - WEIGHT_WARNING_DAYS), timeZone), tomorrowStart),
        flaggedOrdersInProgress: flaggedOrdersInProgress(windowStart),
        disputeOutcomes: {
          won: overview.disputesWithStatus('won'),
          lost: overview.disputesWithStatus('lost'),
          recovered: overview.recovered(),
        },
      };
    },
  };
}

export type OverviewService = ReturnType<typeof createOverviewService>;
