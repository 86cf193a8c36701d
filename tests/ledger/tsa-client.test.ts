// The time-stamp request and the checks of its reply, against real `openssl ts` authorities: a token
// that verifies, an authority that refuses, a reply replayed from another request, and bad tokens
// handed to the verifiers' check.
import { webcrypto } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestTimestamp } from '../../server/services/ledger/tsa-client';
import { checkCheckpointTimestamps, checkTimestampToken } from '../../server/services/ledger/verifier/timestamp.js';
import { createTsaAuthority, startTsaServer, type TsaServer } from '../helpers/tsa';

const crypto = webcrypto as unknown as Crypto;
const checkpoint = 'shop.example/packtrail\n7\nq83vEjRWeJA0X/0ANGFROhWFpO6bJFqmB7Rmjyel5cY=\n\n— shop.example/packtrail AAAAAQ==\n';
const bytes = (text: string) => new TextEncoder().encode(text);

describe('asking an RFC 3161 authority for a time-stamp', () => {
  let good: TsaServer;
  let refusing: TsaServer;

  beforeAll(async () => {
    [good, refusing] = await Promise.all([
      startTsaServer(createTsaAuthority()),
      // Accepts only SHA-512 imprints, so our SHA-256 query is refused (badAlg).
      startTsaServer(createTsaAuthority('Picky TSA', { digests: 'sha512' })),
    ]);
  });
  afterAll(async () => {
    await Promise.all([good?.close(), refusing?.close()]);
  });

  it('gets a token over the SHA-256 of the exact bytes, with the authority’s certificate and its chain', async () => {
    const stamp = await requestTimestamp(bytes(checkpoint), { url: good.url, timeoutMs: 10_000 });
    expect(stamp.tsa).toBe('CN=Packtrail Test TSA, O=Packtrail Tests');
    expect(Math.abs(Date.parse(stamp.genTime) - Date.now())).toBeLessThan(60_000);
    expect(stamp.certificates).toHaveLength(2);
    // The token is byte for byte what the authority sent inside its reply.
    expect(good.replies.at(-1)!.includes(stamp.token)).toBe(true);
    const check = await checkTimestampToken({ token: stamp.token, data: bytes(checkpoint), crypto });
    expect(check).toMatchObject({ ok: true, genTime: stamp.genTime, tsa: stamp.tsa, policy: '1.3.6.1.4.1.55555.1.1' });
  });

  it('says why when the authority refuses, is down, or cannot be reached', async () => {
    await expect(requestTimestamp(bytes(checkpoint), { url: refusing.url, timeoutMs: 10_000 })).rejects.toThrow(/the authority refused: status rejection/);
    good.setDown(true);
    try {
      await expect(requestTimestamp(bytes(checkpoint), { url: good.url, timeoutMs: 10_000 })).rejects.toThrow('the authority answered HTTP 503');
    } finally {
      good.setDown(false);
    }
    const closedPort = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    await expect(requestTimestamp(bytes(checkpoint), { url: `http://127.0.0.1:${closedPort}/tsr`, timeoutMs: 10_000 })).rejects.toThrow(
      /could not be reached: ECONNREFUSED/,
    );
  });

  it('refuses a reply replayed from another request, even for the same bytes (its nonce is not ours)', async () => {
    await requestTimestamp(bytes(checkpoint), { url: good.url, timeoutMs: 10_000 });
    good.setReplay(good.replies.at(-1));
    try {
      await expect(requestTimestamp(bytes(checkpoint), { url: good.url, timeoutMs: 10_000 })).rejects.toThrow(/nonce is not the one we sent/);
      await expect(requestTimestamp(bytes(`${checkpoint}x`), { url: good.url, timeoutMs: 10_000 })).rejects.toThrow(/token is for other data/);
    } finally {
      good.setReplay(undefined);
    }
  });

  it('fails, in the verifiers’ check, a token for other data, a damaged token and a truncated one', async () => {
    const stamp = await requestTimestamp(bytes(checkpoint), { url: good.url, timeoutMs: 10_000 });
    const other = await checkCheckpointTimestamps({ checkpointText: checkpoint.replace('\n7\n', '\n8\n'), tokens: [stamp.token], crypto });
    expect(other.status).toBe('failed');
    expect(other.tokens[0].problem).toMatch(/^the time-stamp token is for other data: it attests SHA-256 [0-9a-f]{64}, but this checkpoint's SHA-256 is [0-9a-f]{64}$/);

    const damaged = new Uint8Array(stamp.token);
    damaged[damaged.length - 20] ^= 0x01; // inside the signature value
    const broken = await checkCheckpointTimestamps({ checkpointText: checkpoint, tokens: [damaged], crypto });
    expect(broken.status).toBe('failed');
    expect(broken.tokens[0].problem).toMatch(/signature/);

    expect(await checkCheckpointTimestamps({ checkpointText: checkpoint, tokens: [], crypto })).toMatchObject({ status: 'none', genTime: null });
    const truncated = await checkCheckpointTimestamps({ checkpointText: checkpoint, tokens: [stamp.token.subarray(0, 100)], crypto });
    expect(truncated.tokens[0].problem).toMatch(/^the time-stamp token cannot be read/);
  });
});
