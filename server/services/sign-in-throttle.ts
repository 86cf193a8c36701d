// Failed sign-ins per client address, across accounts: one guess at each of forty accounts from one
// address is stopped as surely as forty guesses at one account (that limit lives on the route).
import { fail } from '../errors';

interface ThrottleOptions {
  clock: () => Date;
  /** Failed sign-ins an address may have within the window; the next attempt gets 429. */
  maxFailures: number;
  windowMs: number;
  /** Addresses remembered at once: a flood of spoofed or rotating addresses must not grow memory without end. */
  maxAddresses?: number;
}

export function createSignInThrottle({ clock, maxFailures, windowMs, maxAddresses = 10_000 }: ThrottleOptions) {
  // Per address: when its recent failures happened (oldest first), and attempts still being checked.
  const addresses = new Map<string, { failures: number[]; inFlight: number }>();

  function entryFor(address: string, now: number) {
    let entry = addresses.get(address);
    if (!entry) {
      if (addresses.size >= maxAddresses) forgetQuiet(now);
      entry = { failures: [], inFlight: 0 };
      addresses.set(address, entry);
    }
    entry.failures = entry.failures.filter((at) => at > now - windowMs);
    return entry;
  }

  function forgetQuiet(now: number): void {
    for (const [address, entry] of addresses) {
      if (entry.inFlight === 0 && entry.failures.every((at) => at <= now - windowMs)) addresses.delete(address);
    }
    // Still full of active addresses: the oldest-seen go first (a Map iterates in insertion order).
    for (const address of addresses.keys()) {
      if (addresses.size < maxAddresses) break;
      addresses.delete(address);
    }
  }

  return {
    /**
     * Call before checking a password; 429 when the address has failed too often lately. Attempts in
     * flight count as failures until they end, so forty guesses sent at once get no more answers.
     */
    begin(address: string): { failed(): void; succeeded(): void } {
      const now = clock().getTime();
      const entry = entryFor(address, now);
      if (entry.failures.length + entry.inFlight >= maxFailures) {
        const waitMs = entry.failures.length > 0 ? entry.failures[0] + windowMs - now : 1000;
        const minutes = Math.max(1, Math.ceil(waitMs / 60_000));
        fail('TOO_MANY_REQUESTS', `Too many failed sign-ins from this address; try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`);
      }
      entry.inFlight += 1;
      let ended = false;
      const end = (failed: boolean) => {
        if (ended) return;
        ended = true;
        entry.inFlight -= 1;
        if (failed) entry.failures.push(clock().getTime());
        if (!addresses.has(address)) addresses.set(address, entry);
      };
      return { failed: () => end(true), succeeded: () => end(false) };
    },
  };
}

export type SignInThrottle = ReturnType<typeof createSignInThrottle>;
