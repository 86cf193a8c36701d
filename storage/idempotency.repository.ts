// SQL for Idempotency-Key records: the first answer to a request, replayed to its retries.
import type { Db } from './database';

export interface IdempotencyRow {
  principal: string;
  scope: string;
  key: string;
  request_hash: string;
  state: 'in_progress' | 'done';
  response_status: number | null;
  response_body: string | null;
  created_at: string;
}

export function createIdempotencyRepository(db: Db) {
  const statements = {
    get: db.prepare('SELECT * FROM idempotency_keys WHERE principal = ? AND scope = ? AND key = ?'),
    claim: db.prepare(
      `INSERT OR IGNORE INTO idempotency_keys (principal, scope, key, request_hash, state, created_at)
       VALUES (@principal, @scope, @key, @request_hash, 'in_progress', @created_at)`,
    ),
    // A request known only once its body is read (an upload) records what it was with its answer.
    complete: db.prepare(
      `UPDATE idempotency_keys SET state = 'done', response_status = @response_status, response_body = @response_body,
              request_hash = COALESCE(@request_hash, request_hash)
       WHERE principal = @principal AND scope = @scope AND key = @key`,
    ),
    release: db.prepare(
      "DELETE FROM idempotency_keys WHERE principal = ? AND scope = ? AND key = ? AND state = 'in_progress'",
    ),
    releaseAllInProgress: db.prepare("DELETE FROM idempotency_keys WHERE state = 'in_progress'"),
    deleteOlderThan: db.prepare('DELETE FROM idempotency_keys WHERE created_at < ?'),
  };

  type Key = Pick<IdempotencyRow, 'principal' | 'scope' | 'key'>;
  return {
    get: ({ principal, scope, key }: Key) => statements.get.get(principal, scope, key) as IdempotencyRow | undefined,
    /** True when this call took the key; false when a record already exists. */
    claim: (row: Key & { request_hash: string; created_at: string }) => statements.claim.run(row).changes > 0,
    complete: (row: Key & { response_status: number; response_body: string; request_hash?: string }) =>
      statements.complete.run({ request_hash: null, ...row }),
    release: ({ principal, scope, key }: Key) => statements.release.run(principal, scope, key),
    releaseAllInProgress: () => statements.releaseAllInProgress.run().changes,
    deleteOlderThan: (at: string) => statements.deleteOlderThan.run(at).changes,
  };
}

export type IdempotencyRepository = ReturnType<typeof createIdempotencyRepository>;
