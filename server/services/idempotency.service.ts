// Idempotency-Key handling: a retried request gets the first answer instead of doing the work twice.
import { createHash } from 'node:crypto';
import type { IdempotencyRepository } from '../../storage/idempotency.repository';
import { fail } from '../errors';
import type { Principal } from './auth.service';

export interface StoredResponse {
  status: number;
  body: unknown;
}

/** Taken key: `complete` belongs inside the same transaction as the work, so a crash never splits them. */
export interface IdempotencyClaim {
  complete(response: StoredResponse): void;
  release(): void;
}

export type IdempotencyOutcome = { replay: StoredResponse } | { claim: IdempotencyClaim };

/** The claim for a request sent without a key: nothing to remember. */
export const noIdempotencyKey: IdempotencyClaim = { complete() {}, release() {} };

export function fingerprint(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value ?? null)).digest('hex');
}

export function createIdempotencyService({ idempotency, clock }: { idempotency: IdempotencyRepository; clock: () => Date }) {
  return {
    /** Without a key every request is new; with one, a finished twin is replayed and a running twin refused. */
    begin(principal: Principal, scope: string, key: string | undefined, requestHash: string): IdempotencyOutcome {
      if (key === undefined) return { claim: noIdempotencyKey };
      const id = { principal: `${principal.kind}:${principal.id}`, scope, key };
      if (idempotency.claim({ ...id, request_hash: requestHash, created_at: clock().toISOString() })) {
        return {
          claim: {
            complete: ({ status, body }) =>
              idempotency.complete({ ...id, response_status: status, response_body: JSON.stringify(body) }),
            release: () => idempotency.release(id),
          },
        };
      }
      const existing = idempotency.get(id)!;
      if (existing.request_hash !== requestHash) fail('IDEMPOTENCY_KEY_REUSED');
      if (existing.state === 'in_progress') fail('IDEMPOTENCY_IN_PROGRESS');
      return { replay: { status: existing.response_status!, body: JSON.parse(existing.response_body!) } };
    },

    /** After a crash nothing is in progress any more; the retry must be allowed to run. */
    releaseAbandoned: () => idempotency.releaseAllInProgress(),

    forgetOlderThan: (at: Date) => idempotency.deleteOlderThan(at.toISOString()),
  };
}

export type IdempotencyService = ReturnType<typeof createIdempotencyService>;
