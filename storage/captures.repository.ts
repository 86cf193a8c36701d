// SQL for captures: one recorded event (packing, unboxing, handover) on one order.
import type { CaptureKind } from '../server/domain/vocabulary';
import type { Db } from './database';

export interface CaptureRow {
  id: string;
  order_id: number;
  kind: CaptureKind;
  started_at: string;
  finished_at: string | null;
  user_id: string | null;
  device_id: string | null;
  station: string | null;
  weight_grams: number | null;
  weight_value: number | null;
  weight_unit: string | null;
  tracking_number: string | null;
  note: string | null;
  /** JSON text. */
  checklist: string | null;
  outcome: string | null;
  updated_at: string;
}

/** What a capture's weight was held against when it finished (migration 020); all NULL before. */
export interface CaptureWeightBasisColumns {
  weight_basis_expected_grams: number | null;
  weight_basis_packaging_grams: number | null;
  /** Set on every capture finished since migration 020: it marks the basis as recorded. */
  weight_basis_tolerance_percent: number | null;
}

/** A capture with the names a reader needs, so views need no second query. */
export interface CaptureDetailRow extends CaptureRow, CaptureWeightBasisColumns {
  order_external_id: string;
  device_name: string | null;
  user_email: string | null;
}

export type CaptureEditableFields = Pick<
  CaptureRow,
  'station' | 'weight_grams' | 'weight_value' | 'weight_unit' | 'tracking_number' | 'note' | 'checklist' | 'outcome'
>;

const detailSelect = `
  SELECT c.*, o.external_id AS order_external_id, d.name AS device_name, u.email AS user_email
  FROM captures c
  JOIN orders o ON o.id = c.order_id
  LEFT JOIN devices d ON d.id = c.device_id
  LEFT JOIN users u ON u.id = c.user_id`;

export function createCapturesRepository(db: Db) {
  const statements = {
    insert: db.prepare(
      `INSERT INTO captures (id, order_id, kind, started_at, user_id, device_id, station, weight_grams, weight_value,
                             weight_unit, tracking_number, note, checklist, outcome, updated_at)
       VALUES (@id, @order_id, @kind, @started_at, @user_id, @device_id, @station, @weight_grams, @weight_value,
               @weight_unit, @tracking_number, @note, @checklist, @outcome, @updated_at)`,
    ),
    getById: db.prepare(`${detailSelect} WHERE c.id = ?`),
    listByOrder: db.prepare(`${detailSelect} WHERE c.order_id = ? ORDER BY c.started_at, c.rowid`),
    update: db.prepare(
      `UPDATE captures SET station = @station, weight_grams = @weight_grams, weight_value = @weight_value,
              weight_unit = @weight_unit, tracking_number = @tracking_number, note = @note, checklist = @checklist,
              outcome = @outcome, updated_at = @updated_at
       WHERE id = @id AND finished_at IS NULL`,
    ),
    finish: db.prepare(
      `UPDATE captures SET finished_at = @at, updated_at = @at, weight_basis_expected_grams = @weight_basis_expected_grams,
              weight_basis_packaging_grams = @weight_basis_packaging_grams, weight_basis_tolerance_percent = @weight_basis_tolerance_percent
       WHERE id = @id AND finished_at IS NULL`,
    ),
  };

  return {
    insert: (row: Omit<CaptureRow, 'finished_at'>) => statements.insert.run(row),
    getById: (id: string) => statements.getById.get(id) as CaptureDetailRow | undefined,
    listByOrder: (orderId: number) => statements.listByOrder.all(orderId) as CaptureDetailRow[],
    /** False when the capture was finished meanwhile. */
    update: (id: string, fields: CaptureEditableFields, updatedAt: string) =>
      statements.update.run({ ...fields, id, updated_at: updatedAt }).changes > 0,
    finish: (id: string, at: string, basis: CaptureWeightBasisColumns) => statements.finish.run({ id, at, ...basis }).changes > 0,
  };
}

export type CapturesRepository = ReturnType<typeof createCapturesRepository>;
