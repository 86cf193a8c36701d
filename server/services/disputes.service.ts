// Disputes: what is claimed, by whom, by when; the evidence picked for it; links for outside recipients.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../storage/database';
import type { DisputeDetailRow, DisputeEditableFields, DisputesRepository, EvidenceRow, ShareRow } from '../../storage/disputes.repository';
import type { MediaRepository, MediaRow } from '../../storage/media.repository';
import { fail } from '../errors';
import type { Principal } from './auth.service';
import type { CapturesService, CaptureView } from './captures.service';
import { toMediaView, type MediaView } from './media-view';
import type { OrdersService, OrderSummary } from './orders.service';
import type { ClaimKind, Counterparty, DisputeReason, DisputeStatus, PacketRecipient } from '../domain/vocabulary';
import { defaultClaimKind } from './claims/claim-checklist';
import { claimDeadlineForOrder, endOfFilingDay } from './claims/claim-deadlines';
import type { DisputeFacts } from './reports/report-input';
import { hashToken, newToken } from './secrets';
import { toUtc } from './time';

export interface DisputeInput {
  orderId: string;
  reason: DisputeReason;
  counterparty: Counterparty;
  reference?: string;
  amount?: { value: number; currency: string };
  respondBy?: string;
  note?: string;
  damageDescription?: string;
}

/** Fields sent replace what is stored; null clears an optional field. */
export interface DisputePatch {
  reason?: DisputeReason;
  counterparty?: Counterparty;
  status?: DisputeStatus;
  reference?: string | null;
  amount?: { value: number; currency: string } | null;
  respondBy?: string | null;
  note?: string | null;
  damageDescription?: string | null;
}

export interface DisputeSummary extends DisputeFacts {
  orderId: string;
  updatedAt: string;
  /** When it was won, lost or closed: its hold on the order's files ends RETENTION_DAYS later. */
  closedAt?: string;
}

export interface EvidenceView {
  id: string;
  caption?: string;
  position: number;
  createdAt: string;
  mediaId?: string;
  captureId?: string;
  media?: MediaView;
  capture?: Omit<CaptureView, 'media'>;
}

/** One original to export, in the seller's order, with the caption it goes out with. */
export interface EvidenceOriginal {
  row: MediaRow;
  caption?: string;
  capture: CaptureView;
}

/** Deadlines closer than this are raised as reminders. */
const DUE_SOON_MS = 48 * 3_600_000;

/**
 * A deadline coming up or passed: the respond-by date the seller set, or the last day to file a courier
 * claim under the carrier's terms. `respondBy` is the moment either falls due (for a claim, the end of
 * its last day in the shop's calendar, which `fileBy` names).
 */
export interface Reminder {
  disputeId: string;
  kind: 'due_soon' | 'overdue';
  /** `recipient`: a recipient packet's own deadline rule (services/packets), named by `recipient`. */
  deadline: 'respond_by' | 'claim_filing' | 'recipient';
  recipient?: PacketRecipient;
  respondBy: string;
  fileBy?: string;
  claimKind?: ClaimKind;
  raisedAt: string;
  dispute: DisputeSummary;
}
const MAX_SHARE_HOURS = 24 * 90;
/** A link that expires before anyone can open it is a mistake. */
const MIN_SHARE_HOURS = 0.25;

interface DisputesDeps {
  db: Db;
  disputes: DisputesRepository;
  orders: Pick<OrdersService, 'requireRow' | 'summarize'>;
  captures: Pick<CapturesService, 'get' | 'requireRow' | 'toView' | 'listRowsForOrder'>;
  media: Pick<MediaRepository, 'getById' | 'listByCapture'>;
  clock: () => Date;
  publicUrl: string;
  /** The shop's time zone, read on each call: claim filing deadlines are days of its calendar. */
  timezone: () => string;
  /** Deadlines other services work out (recipient packets' own rules), listed with these. */
  moreReminders?: () => Reminder[];
}

function summarize(row: DisputeDetailRow): DisputeSummary {
  const view: DisputeSummary = {
    id: row.id,
    orderId: row.order_external_id,
    reason: row.reason,
    counterparty: row.counterparty,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.reference) view.reference = row.reference;
  if (row.amount_value !== null && row.amount_currency) view.amount = { value: row.amount_value, currency: row.amount_currency };
  if (row.respond_by) view.respondBy = row.respond_by;
  if (row.note) view.note = row.note;
  if (row.closed_at) view.closedAt = row.closed_at;
  if (row.damage_description) view.damageDescription = row.damage_description;
  return view;
}

export function createDisputesService({ db, disputes, orders, captures, media, clock, publicUrl, timezone, moreReminders = () => [] }: DisputesDeps) {
  function requireRow(id: string): DisputeDetailRow {
    return disputes.getById(id) ?? fail('NOT_FOUND', 'No such dispute.');
  }

  function toEvidenceView(row: EvidenceRow): EvidenceView {
    const view: EvidenceView = { id: row.id, position: row.position, createdAt: row.created_at };
    if (row.caption) view.caption = row.caption;
    if (row.media_id) {
      view.mediaId = row.media_id;
      view.media = toMediaView(media.getById(row.media_id)!);
    }
    if (row.capture_id) {
      view.captureId = row.capture_id;
      const { media: _media, ...capture } = captures.get(row.capture_id);
      view.capture = capture;
    }
    return view;
  }

  function shareView(row: ShareRow, token?: string) {
    return {
      id: row.id,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      ...(row.revoked_at ? { revokedAt: row.revoked_at } : {}),
      openCount: row.open_count,
      ...(row.last_opened_at ? { lastOpenedAt: row.last_opened_at } : {}),
      ...(row.label ? { label: row.label } : {}),
      ...(token ? { url: `${publicUrl}/s/${token}` } : {}),
    };
  }

  /**
   * An open courier dispute's filing deadline, once it is 48 hours off or passed. Worked out on each
   * read rather than raised once and stored like respond-by reminders: it follows whatever the seller
   * changes on the order (carrier, ship or delivery date) and ends when the dispute leaves "open"
   * (filed: "submitted").
   */
  function claimFilingReminders(): Reminder[] {
    const now = clock();
    const zone = timezone();
    return disputes.openWith('courier').flatMap((row): Reminder[] => {
      const order = orders.requireRow(row.order_external_id);
      const claimKind = defaultClaimKind(row.reason);
      const { deadline } = claimDeadlineForOrder({
        order: orders.summarize(order),
        captures: captures.listRowsForOrder(order.id).map((capture) => ({ kind: capture.kind, startedAt: capture.started_at })),
        timezone: zone,
        claimKind,
      });
      if (!deadline) return [];
      const dueAt = endOfFilingDay(deadline, zone);
      const due = Date.parse(dueAt);
      const kind = due <= now.getTime() ? 'overdue' : due - now.getTime() <= DUE_SOON_MS ? 'due_soon' : undefined;
      if (!kind) return [];
      // When it began to apply: when the deadline came within reach or passed, or when the dispute was opened if later.
      const since = new Date(kind === 'overdue' ? due : due - DUE_SOON_MS).toISOString();
      const raisedAt = since > row.created_at ? since : row.created_at;
      return [{ disputeId: row.id, kind, deadline: 'claim_filing', respondBy: dueAt, fileBy: deadline, claimKind, raisedAt, dispute: summarize(row) }];
    });
  }

  return {
    requireRow,

    create(principal: Principal, input: DisputeInput): DisputeSummary {
      const order = orders.requireRow(input.orderId);
      const now = clock().toISOString();
      const id = randomUUID();
      disputes.insert({
        id,
        order_id: order.id,
        reason: input.reason,
        counterparty: input.counterparty,
        reference: input.reference ?? null,
        amount_value: input.amount?.value ?? null,
        amount_currency: input.amount?.currency ?? null,
        respond_by: input.respondBy ? toUtc(input.respondBy, 'respondBy') : null,
        status: 'open',
        note: input.note ?? null,
        damage_description: input.damageDescription ?? null,
        created_by: principal.kind === 'user' ? principal.id : null,
        created_at: now,
        updated_at: now,
      });
      return summarize(requireRow(id));
    },

    list: (status: DisputeStatus | undefined, limit = 200) => disputes.list(status, limit).map(summarize),

    listForOrder: (orderRowId: number) => disputes.listByOrder(orderRowId).map(summarize),

    /** The dispute with its evidence and the order's whole timeline beside it. */
    get(id: string): DisputeSummary & { evidence: EvidenceView[]; order: OrderSummary & { captures: CaptureView[] } } {
      const row = requireRow(id);
      const order = orders.requireRow(row.order_external_id);
      return {
        ...summarize(row),
        evidence: disputes.evidence(id).map(toEvidenceView),
        order: { ...orders.summarize(order), captures: captures.listRowsForOrder(order.id).map(captures.toView) },
      };
    },

    update(id: string, patch: DisputePatch): DisputeSummary {
      const row = requireRow(id);
      const has = (key: keyof DisputePatch) => key in patch && patch[key] !== undefined;
      const fields: DisputeEditableFields = {
        reason: patch.reason ?? row.reason,
        counterparty: patch.counterparty ?? row.counterparty,
        reference: has('reference') ? (patch.reference ?? null) : row.reference,
        amount_value: has('amount') ? (patch.amount?.value ?? null) : row.amount_value,
        amount_currency: has('amount') ? (patch.amount?.currency ?? null) : row.amount_currency,
        respond_by: has('respondBy') ? (patch.respondBy ? toUtc(patch.respondBy, 'respondBy') : null) : row.respond_by,
        status: patch.status ?? row.status,
        note: has('note') ? (patch.note ?? null) : row.note,
        damage_description: has('damageDescription') ? (patch.damageDescription ?? null) : row.damage_description,
      };
      db.transaction(() => {
        disputes.update(id, fields, clock().toISOString());
        // A deadline moved or a dispute no longer open: old reminders no longer apply.
        if (fields.respond_by !== row.respond_by || fields.status !== 'open') disputes.dismissReminders(id, clock().toISOString());
      })();
      return summarize(requireRow(id));
    },

    addEvidence(id: string, target: { mediaId?: string; captureId?: string; caption?: string }): EvidenceView {
      const dispute = requireRow(id);
      if (Boolean(target.mediaId) === Boolean(target.captureId)) fail('VALIDATION_FAILED', 'Link either a mediaId or a captureId.');
      const captureId = target.mediaId ? (media.getById(target.mediaId) ?? fail('NOT_FOUND', 'No such media.')).capture_id : target.captureId!;
      // Evidence goes to outside parties: another order's label photo must never ride along by a mistyped id.
      if (captures.requireRow(captureId).order_id !== dispute.order_id) {
        fail('CONFLICT', 'This evidence belongs to another order; only the disputed order\'s captures can be linked.');
      }
      if (disputes.findEvidence(id, target)) fail('CONFLICT', 'This evidence is already linked to the dispute.');
      const evidenceId = randomUUID();
      disputes.insertEvidence({
        id: evidenceId,
        dispute_id: id,
        media_id: target.mediaId ?? null,
        capture_id: target.captureId ?? null,
        caption: target.caption ?? null,
        created_at: clock().toISOString(),
      });
      return toEvidenceView(disputes.evidence(id).find((row) => row.id === evidenceId)!);
    },

    removeEvidence(id: string, evidenceId: string): void {
      requireRow(id);
      if (!disputes.deleteEvidence(id, evidenceId)) fail('NOT_FOUND', 'No such evidence link.');
    },

    /**
     * Puts one piece of evidence at a place in the list (0 is first) and numbers the rest densely after it:
     * the order the seller sets is the order of the bundle, its manifest, the report and the share page.
     */
    moveEvidence(id: string, evidenceId: string, position: number): EvidenceView {
      requireRow(id);
      const links = disputes.evidence(id);
      const moving = links.find((row) => row.id === evidenceId) ?? fail('NOT_FOUND', 'No such evidence link.');
      if (!Number.isInteger(position) || position < 0 || position >= links.length) {
        fail('VALIDATION_FAILED', `position must be a whole number from 0 to ${links.length - 1}.`);
      }
      const others = links.filter((row) => row.id !== evidenceId);
      const ordered = [...others.slice(0, position), moving, ...others.slice(position)];
      db.transaction(() => ordered.forEach((row, index) => disputes.setEvidencePosition(id, row.id, index)))();
      return toEvidenceView(disputes.evidence(id).find((row) => row.id === evidenceId)!);
    },

    /** The originals to export: linked media, and every file of linked captures, each once. */
    evidenceOriginals(id: string): EvidenceOriginal[] {
      const seen = new Set<string>();
      const originals: EvidenceOriginal[] = [];
      for (const link of disputes.evidence(id)) {
        const rows = link.media_id ? [media.getById(link.media_id)!] : media.listByCapture(link.capture_id!);
        for (const row of rows) {
          if (seen.has(row.id)) continue;
          seen.add(row.id);
          originals.push({ row, caption: link.caption ?? row.caption ?? undefined, capture: captures.get(row.capture_id) });
        }
      }
      return originals;
    },

    /**
     * `label`: what the link is for, when a service made it ("packet for stripe"); `token`: the token for
     * the new share's id, when the service derives it (packets/packet-links.ts), instead of a random one.
     */
    createShare(principal: Principal, id: string, expiresInHours: number, { label, token: tokenOf }: { label?: string; token?: (shareId: string) => string } = {}) {
      requireRow(id);
      if (!(expiresInHours >= MIN_SHARE_HOURS && expiresInHours <= MAX_SHARE_HOURS)) {
        fail('VALIDATION_FAILED', `expiresInHours must be between ${MIN_SHARE_HOURS} and ${MAX_SHARE_HOURS}.`);
      }
      const shareId = randomUUID();
      const token = tokenOf ? tokenOf(shareId) : newToken('share');
      const now = clock();
      const row: Omit<ShareRow, 'revoked_at' | 'open_count' | 'last_opened_at'> = {
        label: label ?? null,
        id: shareId,
        dispute_id: id,
        token_hash: hashToken(token),
        created_by: principal.kind === 'user' ? principal.id : null,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + expiresInHours * 3_600_000).toISOString(),
      };
      disputes.insertShare(row);
      return shareView({ ...row, revoked_at: null, open_count: 0, last_opened_at: null }, token);
    },

    /** The address a share's token opens. */
    shareUrl: (token: string) => `${publicUrl}/s/${token}`,

    listShares: (id: string) => (requireRow(id), disputes.sharesOf(id).map((row) => shareView(row))),

    revokeShare(id: string, shareId: string): void {
      requireRow(id);
      if (!disputes.revokeShare(id, shareId, clock().toISOString())) fail('NOT_FOUND', 'No such active share.');
    },

    /** The share behind a link: unknown → 404; expired or revoked → 410, so the recipient knows to ask again. */
    resolveShare(token: string): ShareRow {
      const share = disputes.shareByTokenHash(hashToken(token)) ?? fail('NOT_FOUND', 'No such link.');
      if (share.revoked_at || new Date(share.expires_at) <= clock()) fail('GONE', 'This link has expired or was revoked; ask the seller for a new one.');
      return share;
    },

    /** One more opening of a link's page, for the seller's count (the audit trail has its own record). */
    countShareOpen(shareId: string): void {
      disputes.countShareOpen(shareId, clock().toISOString());
    },

    /** Raises a reminder once per deadline: due within 48 hours, then overdue. Returns how many are new. */
    raiseReminders(): number {
      const now = clock();
      let raised = 0;
      for (const row of disputes.dueBefore(new Date(now.getTime() + DUE_SOON_MS).toISOString())) {
        const kind = new Date(row.respond_by!) <= now ? 'overdue' : 'due_soon';
        if (disputes.raiseReminder({ dispute_id: row.id, kind, respond_by: row.respond_by!, raised_at: now.toISOString() })) raised += 1;
      }
      return raised;
    },

    /** Every deadline due within 48 hours or overdue, soonest first: respond-by dates and courier claims' filing days. */
    reminders(): Reminder[] {
      const respondBy = disputes.openReminders().map((reminder): Reminder => ({
        disputeId: reminder.dispute_id,
        kind: reminder.kind,
        deadline: 'respond_by',
        respondBy: reminder.respond_by,
        raisedAt: reminder.raised_at,
        dispute: summarize(requireRow(reminder.dispute_id)),
      }));
      return [...respondBy, ...claimFilingReminders(), ...moreReminders()].sort((a, b) => a.respondBy.localeCompare(b.respondBy));
    },
  };
}

export type DisputesService = ReturnType<typeof createDisputesService>;
