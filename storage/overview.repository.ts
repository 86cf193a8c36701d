// SQL for the dashboard's home page: counts and short lists over captures, disputes and flagged buyers,
// each answered through an index (see the comment on each statement).
import type { Db } from './database';
import { offSql, referenceColumnsSql, referenceFromColumnsSql, toleranceFromColumnsSql } from './weight-rule';

/** A capture added at the desk (the dashboard's "Add evidence"): by a user, from no phone, at no station. */
const DESK_CAPTURE = "kind = 'other' AND device_id IS NULL AND user_id IS NOT NULL AND station IS NULL";

export interface OpenDisputeRow {
  id: string;
  order_external_id: string;
  reason: string;
  counterparty: string;
  status: string;
  amount_value: number | null;
  amount_currency: string | null;
  respond_by: string | null;
}

export interface StationCountRow {
  station: string | null;
  count: number;
}

export interface WeightWarningRow {
  id: string;
  order_external_id: string;
  kind: string;
  station: string | null;
  started_at: string;
  weight_grams: number;
  /** A weighed return's: what its order weighed when packed (storage/weight-rule.ts). */
  shipped_grams: number | null;
  /** The order's expected weight, items and packaging (NULL while an item has no weight). */
  order_expected_grams: number | null;
  /** The tolerance recorded when the capture finished (migration 020); NULL: the shop's applies. */
  tolerance_percent: number | null;
  /** How many captures in the range are outside the tolerance, beyond the ones returned too. */
  total: number;
}

export interface FlaggedOrderRow {
  order_external_id: string;
  buyer_ref: string;
  buyer_name: string | null;
  flag_reason: string | null;
  capture_count: number;
  last_capture_at: string;
}

export interface RecoveredRow {
  currency: string;
  value: number;
}

export function createOverviewRepository(db: Db) {
  const statements = {
    // disputes_by_deadline (status, respond_by): one range per status, merged in deadline order; no deadline last.
    openDisputes: db.prepare(
      `SELECT d.id, o.external_id AS order_external_id, d.reason, d.counterparty, d.status, d.amount_value, d.amount_currency, d.respond_by
       FROM disputes d JOIN orders o ON o.id = d.order_id
       WHERE d.status IN ('open', 'submitted')
       ORDER BY d.respond_by IS NULL, d.respond_by, d.created_at
       LIMIT ?`,
    ),
    openDisputeCount: db.prepare(`SELECT count(*) FROM disputes WHERE status IN ('open', 'submitted')`).pluck(),
    // captures_started_station (010) covers both: a range of start times, read from the index alone.
    capturesBetween: db.prepare('SELECT count(*) FROM captures WHERE started_at >= ? AND started_at < ?').pluck(),
    // Work at the packing stations: a seller's "Add evidence" from the dashboard (kind other, made by a
    // user with no phone and no station) is desk work, counted on its own (capturesAtDesk).
    capturesPerStation: db.prepare(
      `SELECT station, count(*) AS count FROM captures WHERE started_at >= ? AND started_at < ? AND NOT (${DESK_CAPTURE})
       GROUP BY station ORDER BY count DESC, station`,
    ),
    capturesAtDesk: db.prepare(`SELECT count(*) FROM captures WHERE started_at >= ? AND started_at < ? AND ${DESK_CAPTURE}`).pluck(),
    anyCapture: db.prepare('SELECT EXISTS (SELECT 1 FROM captures)').pluck(),
    // The start-time range through captures_started_station, each capture's items by their primary key;
    // only captures outside the tolerance come back (the service labels each with the weight rule).
    // The rule in SQL (storage/weight-rule.ts), to the hundredth as the service rounds: the reference is
    // the items' weights and the packaging, or for a return what was shipped; a warning = the difference
    // beyond the tolerance times the reference.
    weightWarnings: db.prepare(
      `SELECT w.id, o.external_id AS order_external_id, w.kind, w.station, w.started_at, w.weight_grams,
              w.shipped_grams, w.order_expected_grams, w.tolerance_percent, count(*) OVER () AS total
       FROM (SELECT c.id, c.order_id, c.kind, c.station, c.started_at, c.weight_grams, ${referenceColumnsSql('c')}
             FROM captures c
             WHERE c.started_at >= @from AND c.started_at < @to AND c.weight_grams IS NOT NULL) w
       JOIN orders o ON o.id = w.order_id
       WHERE ${offSql('w.weight_grams', referenceFromColumnsSql('w'), toleranceFromColumnsSql('w'))}
       ORDER BY w.started_at DESC
       LIMIT @limit`,
    ),
    // buyer_flags is short (one row per flagged buyer), so it leads (CROSS JOIN keeps that order whatever the
    // planner guesses); orders_buyer_ref and captures_order do the rest.
    flaggedOrdersInProgress: db.prepare(
      `SELECT o.external_id AS order_external_id, f.buyer_ref, o.buyer_name, f.reason AS flag_reason,
              (SELECT count(*) FROM captures c WHERE c.order_id = o.id) AS capture_count,
              (SELECT max(c.started_at) FROM captures c WHERE c.order_id = o.id) AS last_capture_at
       FROM buyer_flags f CROSS JOIN orders o ON o.buyer_ref = f.buyer_ref
       WHERE o.shipped_at IS NULL
         AND EXISTS (SELECT 1 FROM captures c WHERE c.order_id = o.id AND c.started_at >= ?)
         AND NOT EXISTS (SELECT 1 FROM captures c WHERE c.order_id = o.id AND c.kind = 'handover')
       ORDER BY last_capture_at DESC
       LIMIT ?`,
    ),
    // disputes_by_deadline starts with status: each count is one range of the index.
    disputesWithStatus: db.prepare('SELECT count(*) FROM disputes WHERE status = ?').pluck(),
    recovered: db.prepare(
      `SELECT amount_currency AS currency, sum(amount_value) AS value FROM disputes
       WHERE status = 'won' AND amount_value IS NOT NULL AND amount_currency IS NOT NULL
       GROUP BY amount_currency ORDER BY amount_currency`,
    ),
  };

  return {
    openDisputes: (limit: number) => statements.openDisputes.all(limit) as OpenDisputeRow[],
    openDisputeCount: () => statements.openDisputeCount.get() as number,
    capturesBetween: (from: string, to: string) => statements.capturesBetween.get(from, to) as number,
    capturesPerStation: (from: string, to: string) => statements.capturesPerStation.all(from, to) as StationCountRow[],
    capturesAtDesk: (from: string, to: string) => statements.capturesAtDesk.get(from, to) as number,
    anyCapture: () => statements.anyCapture.get() === 1,
    /** `tolerance` as a fraction, `packaging` the shop's default in grams (weights.ts WeightRules). */
    weightWarnings: (from: string, to: string, weight: { tolerance: number; packaging: number }, limit: number) =>
      statements.weightWarnings.all({ from, to, ...weight, limit }) as WeightWarningRow[],
    flaggedOrdersInProgress: (since: string, limit: number) => statements.flaggedOrdersInProgress.all(since, limit) as FlaggedOrderRow[],
    disputesWithStatus: (status: 'won' | 'lost') => statements.disputesWithStatus.get(status) as number,
    recovered: () => statements.recovered.all() as RecoveredRow[],
  };
}

export type OverviewRepository = ReturnType<typeof createOverviewRepository>;
