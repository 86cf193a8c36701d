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

/** A taken key for a request whose identity is known only once its body is in (an upload's files). */
export interface StreamedClaim {
  /** The claim to complete, once the body is read and its fingerprint known: it is kept with the answer. */
  forRequest(requestHash: string): IdempotencyClaim;
  release(): void;
}

/**
 * For such a request: either the key is ours to run it, or a finished twin exists, whose answer is
 * replayed only if the body turns out to be the same request (IDEMPOTENCY_KEY_REUSED if it is not).
 */
export type StreamedOutcome = { claim: StreamedClaim } | { replayIf(requestHash: string): StoredResponse };

/** The claim for a request sent without a key: nothing to remember. */
export const noIdempotencyKey: IdempotencyClaim = { complete() {}, release() {} };

/** Stands in for a streamed request's fingerprint until its body has been read. */
const NOT_YET_KNOWN = 'pending';

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

    /**
     * Like begin, for a request that is only known once its body is read: a running twin is refused
     * at once, but a finished one can be replayed only after the caller has read the body and
     * fingerprinted it (an upload's files hash to what they are only once received).
     */
    beginStreamed(principal: Principal, scope: string, key: string | undefined): StreamedOutcome {
      if (key === undefined) return { claim: { forRequest: () => noIdempotencyKey, release() {} } };
      const id = { principal: `${principal.kind}:${principal.id}`, scope, key };
      if (idempotency.claim({ ...id, request_hash: NOT_YET_KNOWN, created_at: clock().toISOString() })) {
        const release = () => idempotency.release(id);
        return {
          claim: {
            forRequest: (requestHash) => ({
              complete: ({ status, body }) =>
                idempotency.complete({ ...id, request_hash: requestHash, response_status: status, response_body: JSON.stringify(body) }),
              release,
            }),
            release,
          },
        };
      }
      const existing = idempotency.get(id)!;
      if (existing.state === 'in_progress') fail('IDEMPOTENCY_IN_PROGRESS');
      return {
        replayIf(requestHash) {
          if (existing.request_hash !== requestHash) fail('IDEMPOTENCY_KEY_REUSED');
          return { status: existing.response_status!, body: JSON.parse(existing.response_body!) };
        },
      };
    },

    /** After a crash nothing is in progress any more; the retry must be allowed to run. */
    releaseAbandoned: () => idempotency.releaseAllInProgress(),

    forgetOlderThan: (at: Date) => idempotency.deleteOlderThan(at.toISOString()),
  };
}

export type IdempotencyService = ReturnType<typeof createIdempotencyService>;
