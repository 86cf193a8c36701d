// Captures: one recorded event on one order, editable until finished and immutable after.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../storage/database';
import type { CaptureDetailRow, CapturesRepository, CaptureEditableFields } from '../../storage/captures.repository';
import type { CaptureKind, ChecklistResult, InspectionOutcome, WeightUnit } from '../domain/vocabulary';
import type { MediaRepository } from '../../storage/media.repository';
import { fail } from '../errors';
import type { Principal } from './auth.service';
import type { CaptureFactsInput, CaptureInclusionProof, LedgerService } from './ledger/ledger.service';
import { toMediaView, type MediaView } from './media-view';
import type { OrdersService } from './orders.service';
import { readStoredTags } from './media-tags';
import { MAX_WEIGHT_GRAMS, recordedWeightBasis, toGrams, weightBasisColumns, type WeightCheck } from './weights';

export interface ChecklistEntry {
  item: string;
  result: ChecklistResult;
  note?: string;
  mediaIds?: string[];
}

export interface CaptureFields {
  weight?: { value: number; unit: WeightUnit } | null;
  trackingNumber?: string | null;
  station?: string | null;
  note?: string | null;
  checklist?: ChecklistEntry[] | null;
  outcome?: InspectionOutcome | null;
}

export interface CaptureView {
  id: string;
  orderId: string;
  kind: CaptureKind;
  status: 'open' | 'finished';
  startedAt: string;
  finishedAt?: string;
  weightGrams?: number;
  weight?: { value: number; unit: string };
  /** The measured weight against the order's expected weight, or for a return what was shipped (weights.ts), for every screen and document alike. */
  weightCheck?: WeightCheck;
  trackingNumber?: string;
  station?: string;
  note?: string;
  checklist?: ChecklistEntry[];
  outcome?: string;
  recordedBy?: { kind: 'user' | 'device'; id: string; name: string };
  media: MediaView[];
}

function weightColumns(weight: CaptureFields['weight']): Pick<CaptureEditableFields, 'weight_grams' | 'weight_value' | 'weight_unit'> {
  if (!weight) return { weight_grams: null, weight_value: null, weight_unit: null };
  const grams = toGrams(weight.value, weight.unit);
  if (!(grams > 0) || grams > MAX_WEIGHT_GRAMS) {
    fail('VALIDATION_FAILED', `A weight must be above 0 and at most ${MAX_WEIGHT_GRAMS / 1000} kg; got ${weight.value} ${weight.unit}.`);
  }
  return { weight_grams: grams, weight_value: weight.value, weight_unit: weight.unit };
}

interface CapturesDeps {
  db: Db;
  captures: CapturesRepository;
  media: Pick<MediaRepository, 'listByCapture'>;
  orders: Pick<OrdersService, 'ensure' | 'addTrackingNumber' | 'weightBasisNow' | 'checkCaptureWeight'>;
  ledger: Pick<LedgerService, 'appendCaptureFacts' | 'captureInclusionProof'>;
  clock: () => Date;
}

/**
 * A capture is the record of one phone's (or one packer's) work at the table: only they add to it,
 * change it or finish it, so another device cannot slip files into it or close it mid-recording.
 * The shop's staff may act on any capture (a seller adding a call recording, closing one left open).
 */
function requireChangeableBy(row: Pick<CaptureDetailRow, 'device_id' | 'user_id'>, principal: Principal): void {
  if (principal.role === 'owner' || principal.role === 'seller') return;
  const startedBy = principal.kind === 'device' ? row.device_id : row.user_id;
  if (startedBy !== principal.id) fail('FORBIDDEN', 'This capture was started on another phone or by another packer; only they can add to it or change it.');
}

export function createCapturesService({ db, captures, media, orders, ledger, clock }: CapturesDeps) {
  function toView(row: CaptureDetailRow): CaptureView {
    const view: CaptureView = {
      id: row.id,
      orderId: row.order_external_id,
      kind: row.kind,
      status: row.finished_at ? 'finished' : 'open',
      startedAt: row.started_at,
      media: media.listByCapture(row.id).map(toMediaView),
    };
    if (row.finished_at) view.finishedAt = row.finished_at;
    if (row.weight_grams !== null) {
      view.weightGrams = row.weight_grams;
      view.weight = { value: row.weight_value!, unit: row.weight_unit! };
      // A finished capture is held to what it was held against when it finished (recorded then), not to today's settings.
      const basis = recordedWeightBasis(row);
      view.weightCheck = orders.checkCaptureWeight({ orderRowId: row.order_id, kind: row.kind, startedAt: row.started_at, weightGrams: row.weight_grams, ...(basis ? { basis } : {}) });
    }
    if (row.tracking_number) view.trackingNumber = row.tracking_number;
    if (row.station) view.station = row.station;
    if (row.note) view.note = row.note;
    if (row.checklist) view.checklist = JSON.parse(row.checklist);
    if (row.outcome) view.outcome = row.outcome;
    if (row.device_id) view.recordedBy = { kind: 'device', id: row.device_id, name: row.device_name ?? '' };
    else if (row.user_id) view.recordedBy = { kind: 'user', id: row.user_id, name: row.user_email ?? '' };
    return view;
  }

  function requireRow(id: string): CaptureDetailRow {
    return captures.getById(id) ?? fail('NOT_FOUND', 'No such capture.');
  }

  /** What the ledger keeps of a capture as it finishes: the facts a dispute turns on. */
  function factsOf(row: CaptureDetailRow): CaptureFactsInput {
    const recordedBy = row.device_id
      ? { kind: 'device' as const, id: row.device_id, name: row.device_name ?? '' }
      : row.user_id
        ? { kind: 'user' as const, id: row.user_id, name: row.user_email ?? '' }
        : null;
    return {
      captureId: row.id,
      orderId: row.order_external_id,
      kind: row.kind,
      recordedBy,
      station: row.station,
      startedAt: row.started_at,
      finishedAt: row.finished_at!,
      weight: row.weight_grams !== null ? { grams: row.weight_grams, value: row.weight_value!, unit: row.weight_unit! } : null,
      // Recorded on the row as it finished (the order and the shop's tolerance at that moment): a later
      // change to the items, the packaging or the tolerance must not rewrite what was expected.
      expectedGrams: row.weight_basis_expected_grams,
      tolerancePercent: row.weight_basis_tolerance_percent,
      trackingNumber: row.tracking_number,
      checklist: row.checklist ? (JSON.parse(row.checklist) as ChecklistEntry[]) : [],
      outcome: row.outcome,
      note: row.note,
      // With each photo's courier tags as they stand now: a tag set later is told apart by a claim letter.
      media: media.listByCapture(row.id).map((item) => ({ id: item.id, sha256: item.sha256, tags: readStoredTags(item.tags) })),
    };
  }

  return {
    toView,
    requireRow,

    requireOpen(id: string): CaptureDetailRow {
      const row = requireRow(id);
      if (row.finished_at) fail('CAPTURE_FINISHED');
      return row;
    },

    /**
     * A capture, open or finished, whose labels `principal` may change (see requireChangeableBy): a
     * photo's courier tags are set after the recording as well, and change no evidence.
     */
    requireLabellableFor(id: string, principal: Principal): CaptureDetailRow {
      const row = requireRow(id);
      requireChangeableBy(row, principal);
      return row;
    },

    /** An open capture that `principal` may add to or change (see requireChangeableBy). */
    requireOpenFor(id: string, principal: Principal): CaptureDetailRow {
      const row = requireRow(id);
      requireChangeableBy(row, principal);
      if (row.finished_at) fail('CAPTURE_FINISHED');
      return row;
    },

    /** Synchronous so callers can run it inside their own transaction (with the idempotency record). */
    create(principal: Principal, input: CaptureFields & { orderId: string; kind: CaptureKind }): CaptureView {
      const id = randomUUID();
      db.transaction(() => {
        const order = orders.ensure(input.orderId);
        const now = clock().toISOString();
        captures.insert({
          id,
          order_id: order.id,
          kind: input.kind,
          started_at: now,
          user_id: principal.kind === 'user' ? principal.id : null,
          device_id: principal.kind === 'device' ? principal.id : null,
          station: input.station ?? null,
          ...weightColumns(input.weight),
          tracking_number: input.trackingNumber ?? null,
          note: input.note ?? null,
          checklist: input.checklist ? JSON.stringify(input.checklist) : null,
          outcome: input.outcome ?? null,
          updated_at: now,
        });
        if (input.trackingNumber) orders.addTrackingNumber(order.id, input.trackingNumber);
      })();
      return toView(requireRow(id));
    },

    get: (id: string) => toView(requireRow(id)),

    listRowsForOrder: (orderRowId: number) => captures.listByOrder(orderRowId),

    update(id: string, patch: CaptureFields, principal: Principal): CaptureView {
      db.transaction(() => {
        const row = requireRow(id);
        requireChangeableBy(row, principal);
        if (row.finished_at) fail('CAPTURE_FINISHED');
        const has = (key: keyof CaptureFields) => key in patch && patch[key] !== undefined;
        const fields: CaptureEditableFields = {
          station: has('station') ? (patch.station ?? null) : row.station,
          ...(has('weight')
            ? weightColumns(patch.weight)
            : { weight_grams: row.weight_grams, weight_value: row.weight_value, weight_unit: row.weight_unit }),
          tracking_number: has('trackingNumber') ? (patch.trackingNumber ?? null) : row.tracking_number,
          note: has('note') ? (patch.note ?? null) : row.note,
          checklist: has('checklist') ? (patch.checklist ? JSON.stringify(patch.checklist) : null) : row.checklist,
          outcome: has('outcome') ? (patch.outcome ?? null) : row.outcome,
        };
        captures.update(id, fields, clock().toISOString());
        if (fields.tracking_number) orders.addTrackingNumber(row.order_id, fields.tracking_number);
      })();
      return toView(requireRow(id));
    },

    /**
     * Finishing twice is not an error: a retry after a lost reply must succeed. The first finish
     * logs the capture's facts in the same transaction, so no capture is finished without them; media
     * cannot join a finished capture afterwards (media.service checks it in its own transaction).
     */
    finish(id: string, principal: Principal): CaptureView {
      db.transaction(() => {
        requireChangeableBy(requireRow(id), principal);
        const basis = weightBasisColumns(orders.weightBasisNow(requireRow(id).order_id));
        if (!captures.finish(id, clock().toISOString(), basis)) return;
        ledger.appendCaptureFacts(factsOf(requireRow(id)));
      }).immediate();
      return toView(requireRow(id));
    },

    /** The inclusion proof of a finished capture's facts; 404 for an open one or one finished before facts were logged. */
    proof(id: string, treeSize?: number): CaptureInclusionProof {
      const row = requireRow(id);
      if (!row.finished_at) fail('NOT_FOUND', 'This capture is not finished: its facts enter the log when it finishes.');
      return ledger.captureInclusionProof(id, treeSize);
    },
  };
}

export type CapturesService = ReturnType<typeof createCapturesService>;
