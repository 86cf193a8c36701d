// Time that does not rest on the shop: each signed checkpoint is sent (as the SHA-256 of its exact
// signed-note bytes) to the RFC 3161 time-stamping authority at TSA_URL, and the token that comes
// back is checked and kept beside the checkpoint. Signing never waits for this and never fails
// because of it: an authority that is down is logged and asked again for the newest checkpoint on
// the next checkpoint or scheduler run (a later checkpoint contains every earlier one, so stamping
// the newest covers them all).
import type { Db } from '../../../storage/database';
import { createLedgerRepository } from '../../../storage/ledger.repository';
import { createTimestampsRepository, type LedgerTimestampRow } from '../../../storage/timestamps.repository';
import { requestTimestamp, type AttestedTimestamp } from './tsa-client';
import { certificatesPem } from './verifier/timestamp.js';

export interface CheckpointTimestamp {
  checkpointSize: number;
  /** The DER TimeStampToken as the authority sent it. */
  token: Buffer;
  /** The authority's certificate, then its chain when the token carried one. */
  certificatesPem: string;
  /** What the authority attests: the checkpoint existed no later than this (ISO 8601 UTC). */
  genTime: string;
  /** The authority's certificate subject. */
  tsa: string;
  tsaUrl: string;
}

interface Logger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

export interface TimestampServiceOptions {
  db: Db;
  /** TSA_URL; without it nothing is time-stamped and every method says so by returning nothing. */
  tsaUrl: string | undefined;
  log: Logger;
  clock?: () => Date;
  /** How long one request to the authority may take; also the longest an export waits for it. */
  timeoutMs?: number;
}

const toTimestamp = (row: LedgerTimestampRow): CheckpointTimestamp => ({
  checkpointSize: row.checkpoint_size,
  token: row.token,
  certificatesPem: row.certificates_pem,
  genTime: row.gen_time,
  tsa: row.tsa,
  tsaUrl: row.tsa_url,
});

export function createTimestampService({ db, tsaUrl, log, clock = () => new Date(), timeoutMs = 10_000 }: TimestampServiceOptions) {
  const timestamps = createTimestampsRepository(db);
  const ledger = createLedgerRepository(db);
  // One request per checkpoint at a time, however many callers (signing, an export, the scheduler) ask.
  const inFlight = new Map<number, Promise<CheckpointTimestamp | null>>();
  // Aborted on close: a request to a slow authority must not hold the shutdown, nor write to a closed database.
  const closing = new AbortController();

  function forCheckpoint(size: number): CheckpointTimestamp | undefined {
    const row = timestamps.getBySize(size);
    return row && toTimestamp(row);
  }

  async function fetchAndStore(checkpoint: { size: number; note: string }, url: string): Promise<CheckpointTimestamp | null> {
    let attested: AttestedTimestamp;
    try {
      attested = await requestTimestamp(Buffer.from(checkpoint.note, 'utf8'), { url, timeoutMs, signal: closing.signal });
    } catch (error) {
      if (closing.signal.aborted) return null;
      log.warn(
        { checkpointSize: checkpoint.size, tsaUrl: url, reason: (error as Error).message },
        'checkpoint not time-stamped; the authority is asked again on the next checkpoint',
      );
      return null;
    }
    if (closing.signal.aborted) return null;
    try {
      timestamps.insert({
        checkpoint_size: checkpoint.size,
        token: attested.token,
        certificates_pem: certificatesPem(attested.certificates),
        gen_time: attested.genTime,
        tsa: attested.tsa,
        tsa_url: url,
        created_at: clock().toISOString(),
      });
    } catch (error) {
      log.warn({ checkpointSize: checkpoint.size, reason: (error as Error).message }, 'checkpoint time-stamp could not be stored');
      return null;
    }
    log.info({ checkpointSize: checkpoint.size, tsa: attested.tsa, genTime: attested.genTime }, 'checkpoint time-stamped');
    return forCheckpoint(checkpoint.size) ?? null;
  }

  /**
   * The checkpoint's token, asking the authority for one if it has none. Resolves to null when there
   * is no TSA_URL or the authority did not give a valid token (logged); never rejects.
   */
  function stamp(checkpoint: { size: number; note: string }): Promise<CheckpointTimestamp | null> {
    const stored = forCheckpoint(checkpoint.size);
    if (stored) return Promise.resolve(stored);
    if (!tsaUrl || closing.signal.aborted) return Promise.resolve(null);
    let pending = inFlight.get(checkpoint.size);
    if (!pending) {
      pending = fetchAndStore(checkpoint, tsaUrl)
        .catch((error: Error) => {
          // Nobody awaits a stamp started by signing: whatever went wrong is logged, never thrown at no one.
          log.warn({ checkpointSize: checkpoint.size, reason: error.message }, 'checkpoint time-stamp failed');
          return null;
        })
        .finally(() => inFlight.delete(checkpoint.size));
      inFlight.set(checkpoint.size, pending);
    }
    return pending;
  }

  return {
    /** Whether checkpoints are time-stamped at all (TSA_URL is set). */
    enabled: tsaUrl !== undefined,

    stamp,
    forCheckpoint,

    /** Stamps the newest checkpoint if it has no token yet (the scheduler's retry). */
    async stampLatest(): Promise<CheckpointTimestamp | null> {
      const latest = ledger.latestCheckpoint();
      return latest ? stamp({ size: latest.size, note: latest.note }) : null;
    },

    /** The token of the largest checkpoint that has one. */
    latest(): CheckpointTimestamp | undefined {
      const row = timestamps.latest();
      return row && toTimestamp(row);
    },

    /** Cuts short every request to the authority under way and asks for no more (the app is closing). */
    async close(): Promise<void> {
      closing.abort();
      await Promise.all(inFlight.values());
    },
  };
}

export type TimestampService = ReturnType<typeof createTimestampService>;
