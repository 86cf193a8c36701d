// Chain of custody: who did what to which evidence, and when. Every event's hash covers the hash of
// the event before it, so an edited, removed or reordered row shows up when the chain is checked.
import { createHash } from 'node:crypto';
import type { Db } from '../../storage/database';
import { createAuditRepository, type ActorType, type AuditEventRow } from '../../storage/audit.repository';

/** The actions the spec names; others (e.g. "scrub_mismatch", "share_create") are allowed too. */
export type AuditAction = 'upload' | 'view' | 'download' | 'export' | 'share_access' | (string & {});

export interface AuditEventInput {
  actorType: ActorType;
  /** Who: a user, device or share id. May be omitted only for the system. */
  actorId?: string | null;
  action: AuditAction;
  /** What it was done to, e.g. "media", "capture", "dispute", "bundle". */
  subjectType: string;
  subjectId: string;
  /** Any JSON object; stored and hashed as canonical JSON (keys sorted). */
  detail?: Record<string, unknown> | null;
}

export interface AuditEvent {
  seq: number;
  at: string;
  actorType: ActorType;
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  detail: Record<string, unknown> | null;
  /** Hex SHA-256 of the previous event (64 zeros for the first). */
  prevHash: string;
  /** Hex SHA-256(prev hash bytes ‖ UTF-8 canonical JSON of the event without its hashes). */
  hash: string;
}

/** What of a media item left the service: its metadata, the exact original, or a copy made from it. */
export type EvidenceRead = 'metadata' | 'original' | 'thumbnail' | 'playback';

// How each read is written in the chain: the spec's "view" and "download", a copy named in the detail
// so that a look at a thumbnail is not mistaken for the original leaving.
const evidenceReads: Record<EvidenceRead, Pick<AuditEventInput, 'action' | 'detail'>> = {
  metadata: { action: 'view' },
  original: { action: 'download' },
  thumbnail: { action: 'view', detail: { copy: 'thumbnail' } },
  playback: { action: 'view', detail: { copy: 'playback' } },
};

/**
 * Reads of the same thing by the same actor within this time are one viewing: a video player's dozens of
 * Range requests or a page reloaded are one event, while a look on another day is its own.
 */
export const VIEWING_WINDOW_MS = 30 * 60_000;

export type ChainCheck = { ok: true; checked: number } | { ok: false; brokenAt: number; reason: string };

export const genesisHash = '0'.repeat(64);
const actorTypes: readonly ActorType[] = ['user', 'device', 'share', 'system'];

/** JSON with object keys sorted at every depth, so the same event always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('audit detail numbers must be finite');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  if (typeof value === 'object') {
    const withJson = value as { toJSON?: () => unknown };
    if (typeof withJson.toJSON === 'function') return canonicalJson(withJson.toJSON());
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
  }
  throw new TypeError(`audit detail cannot hold a ${typeof value}`);
}

function hashEvent(event: Omit<AuditEvent, 'hash' | 'prevHash'>, prevHash: string): string {
  const body = canonicalJson({
    seq: event.seq,
    at: event.at,
    actorType: event.actorType,
    actorId: event.actorId,
    action: event.action,
    subjectType: event.subjectType,
    subjectId: event.subjectId,
    detail: event.detail,
  });
  return createHash('sha256').update(Buffer.from(prevHash, 'hex')).update(body, 'utf8').digest('hex');
}

function toEvent(row: AuditEventRow): AuditEvent {
  return {
    seq: row.seq,
    at: row.at,
    actorType: row.actor_type,
    actorId: row.actor_id,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, unknown>),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function validate(input: AuditEventInput): void {
  if (!actorTypes.includes(input.actorType)) throw new TypeError(`unknown audit actor type "${input.actorType}"`);
  if (input.actorType !== 'system' && !input.actorId) throw new TypeError(`a ${input.actorType} audit event names its actor`);
  if (!/^[a-z][a-z0-9_]*$/.test(input.action)) throw new TypeError(`audit action "${input.action}" is not snake_case`);
  if (!input.subjectType || !input.subjectId) throw new TypeError('an audit event names its subject');
  if (input.detail != null && (typeof input.detail !== 'object' || Array.isArray(input.detail))) {
    throw new TypeError('audit detail is a JSON object');
  }
}

export function createAuditService({
  db,
  clock = () => new Date(),
  viewingWindowMs = VIEWING_WINDOW_MS,
}: { db: Db; clock?: () => Date; viewingWindowMs?: number }) {
  const audit = createAuditRepository(db);

  // Reading the chain's head and appending must not interleave with another writer; nested in a
  // caller's transaction this becomes a savepoint, so the event commits with the work it records.
  const recordTransaction = db.transaction((input: AuditEventInput): AuditEvent => {
    validate(input);
    const last = audit.last();
    const event = {
      seq: (last?.seq ?? 0) + 1,
      at: clock().toISOString(),
      actorType: input.actorType,
      actorId: input.actorId ?? null,
      action: input.action,
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      detail: input.detail ? (JSON.parse(canonicalJson(input.detail)) as Record<string, unknown>) : null,
    };
    const prevHash = last?.hash ?? genesisHash;
    const hash = hashEvent(event, prevHash);
    audit.insert({
      seq: event.seq,
      at: event.at,
      actor_type: event.actorType,
      actor_id: event.actorId,
      action: event.action,
      subject_type: event.subjectType,
      subject_id: event.subjectId,
      detail: event.detail === null ? null : canonicalJson(event.detail),
      prev_hash: prevHash,
      hash,
    });
    return { ...event, prevHash, hash };
  });

  // The viewing is found in the chain itself, so the coalescing holds across restarts and processes.
  function sameViewingRecorded(input: AuditEventInput): boolean {
    const since = new Date(clock().getTime() - viewingWindowMs).toISOString();
    const event = {
      actor_type: input.actorType,
      actor_id: input.actorId ?? null,
      action: input.action,
      subject_type: input.subjectType,
      subject_id: input.subjectId,
      detail: input.detail ? canonicalJson(input.detail) : null,
    };
    return audit.latestSame(event, since) !== undefined;
  }

  // Checked again under the write lock: two first requests racing must still record one event.
  const viewingTransaction = db.transaction((input: AuditEventInput): AuditEvent | undefined =>
    sameViewingRecorded(input) ? undefined : recordTransaction(input),
  );

  return {
    /** Appends one event to the chain. Synchronous, so it can share a transaction with the action. */
    record(input: AuditEventInput): AuditEvent {
      return recordTransaction.immediate(input);
    },

    /**
     * Records that evidence left the service, once per viewing (see VIEWING_WINDOW_MS): every byte that
     * leaves is custody, but a player seeking through a video must not flood the chain. Returns the new
     * event, or undefined when this read belongs to a viewing already recorded.
     */
    recordEvidenceRead({ actorType, actorId, mediaId, read }: { actorType: ActorType; actorId: string; mediaId: string; read: EvidenceRead }): AuditEvent | undefined {
      const input: AuditEventInput = { actorType, actorId, subjectType: 'media', subjectId: mediaId, ...evidenceReads[read] };
      validate(input);
      // A plain read first: the many requests of a viewing already recorded never wait for the write lock.
      if (sameViewingRecorded(input)) return undefined;
      return viewingTransaction.immediate(input);
    },

    /** The events about one subject, oldest first. */
    list({ subjectType, subjectId, limit = 1000 }: { subjectType: string; subjectId: string; limit?: number }): AuditEvent[] {
      return audit.listBySubject(subjectType, subjectId, limit).map(toEvent);
    },

    /**
     * A media item's custody: the events about it, and the exports of the given disputes (bundles,
     * claim packets, share-link downloads) that carried it, which are recorded once per export against
     * the dispute with the files named in the detail. Oldest first.
     */
    custodyOfMedia(mediaId: string, disputeIds: readonly string[]): AuditEvent[] {
      const carried = (event: AuditEvent) =>
        event.action === 'export' && Array.isArray(event.detail?.mediaIds) && (event.detail.mediaIds as unknown[]).includes(mediaId);
      const exports = disputeIds.flatMap((disputeId) => this.list({ subjectType: 'dispute', subjectId: disputeId }).filter(carried));
      return [...this.list({ subjectType: 'media', subjectId: mediaId }), ...exports].sort((a, b) => a.seq - b.seq);
    },

    /**
     * Walks the whole chain and re-computes every hash. Catches edited, removed and reordered
     * events; removing only the newest events leaves a shorter valid chain, which no chain can catch.
     */
    verifyChain(): ChainCheck {
      let expectedSeq = 1;
      let prevHash = genesisHash;
      for (const row of audit.iterateAll()) {
        if (row.seq !== expectedSeq) {
          return { ok: false, brokenAt: row.seq, reason: `event ${expectedSeq} is missing: the sequence jumps to ${row.seq}` };
        }
        if (row.prev_hash !== prevHash) {
          return { ok: false, brokenAt: row.seq, reason: `its prev_hash does not match the hash of event ${row.seq - 1}` };
        }
        let recomputed: string;
        try {
          recomputed = hashEvent(toEvent(row), prevHash);
        } catch {
          return { ok: false, brokenAt: row.seq, reason: 'its detail is not valid JSON' };
        }
        if (recomputed !== row.hash) {
          return { ok: false, brokenAt: row.seq, reason: 'its contents do not match its hash: the event was edited' };
        }
        prevHash = row.hash;
        expectedSeq += 1;
      }
      return { ok: true, checked: expectedSeq - 1 };
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
