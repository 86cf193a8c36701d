// SQL for the audit trail: the hash-chained chain-of-custody events.
import type { Db } from './database';

export type ActorType = 'user' | 'device' | 'share' | 'system';

export interface AuditEventRow {
  seq: number;
  at: string;
  actor_type: ActorType;
  actor_id: string | null;
  action: string;
  subject_type: string;
  subject_id: string;
  /** Canonical JSON, or null when the event has no detail. */
  detail: string | null;
  prev_hash: string;
  hash: string;
}

export function createAuditRepository(db: Db) {
  const statements = {
    insert: db.prepare(
      `INSERT INTO audit_events (seq, at, actor_type, actor_id, action, subject_type, subject_id, detail, prev_hash, hash)
       VALUES (@seq, @at, @actor_type, @actor_id, @action, @subject_type, @subject_id, @detail, @prev_hash, @hash)`,
    ),
    last: db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1'),
    listBySubject: db.prepare(
      `SELECT * FROM audit_events WHERE subject_type = @subject_type AND subject_id = @subject_id
       ORDER BY seq LIMIT @limit`,
    ),
    all: db.prepare('SELECT * FROM audit_events ORDER BY seq'),
    // Walks back through one subject's events (the subject index), which coalescing keeps few.
    latestSame: db.prepare(
      `SELECT seq, at FROM audit_events
       WHERE subject_type = @subject_type AND subject_id = @subject_id AND actor_type = @actor_type
         AND actor_id IS @actor_id AND action = @action AND detail IS @detail AND at >= @since
       ORDER BY seq DESC LIMIT 1`,
    ),
  };

  return {
    insert: (row: AuditEventRow) => statements.insert.run(row),
    last: () => statements.last.get() as Pick<AuditEventRow, 'seq' | 'hash'> | undefined,
    listBySubject: (subjectType: string, subjectId: string, limit: number) =>
      statements.listBySubject.all({ subject_type: subjectType, subject_id: subjectId, limit }) as AuditEventRow[],
    /** Every event in order, streamed: the chain can be longer than memory should hold. */
    iterateAll: () => statements.all.iterate() as IterableIterator<AuditEventRow>,
    /** The newest event identical in actor, action, subject and detail, recorded at or after `since`. */
    latestSame: (event: Pick<AuditEventRow, 'actor_type' | 'actor_id' | 'action' | 'subject_type' | 'subject_id' | 'detail'>, since: string) =>
      statements.latestSame.get({ ...event, since }) as Pick<AuditEventRow, 'seq' | 'at'> | undefined,
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
