// Asks an RFC 3161 time-stamping authority over HTTP (RFC 3161 3.4) to attest some bytes: a
// TimeStampReq over their SHA-256 built with PKI.js, POSTed as application/timestamp-query; the
// TimeStampResp is read, its status checked, and its token checked by the same code the offline
// verifiers run (verifier/timestamp.js), plus the nonce only the asker knows.
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { checkTimestampToken, SHA256_OID, type TimestampTokenCheck } from './verifier/timestamp.js';

export interface AttestedTimestamp {
  /** The DER TimeStampToken exactly as the authority sent it. */
  token: Buffer;
  genTime: string;
  /** The authority's certificate subject. */
  tsa: string;
  /** DER of the authority's certificate, then its chain when the token carries one. */
  certificates: Buffer[];
}

export class TimestampError extends Error {}

/** A positive INTEGER in minimal DER: the first byte neither 0x00 nor above 0x7f. */
function freshNonce(): Buffer {
  const nonce = randomBytes(16);
  nonce[0] = (nonce[0] & 0x7f) | 0x01;
  return nonce;
}

function buildRequest(data: Uint8Array, nonce: Buffer): ArrayBuffer {
  const request = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA256_OID, algorithmParams: new asn1js.Null() }),
      hashedMessage: new asn1js.OctetString({ valueHex: createHash('sha256').update(data).digest() }),
    }),
    nonce: new asn1js.Integer({ valueHex: nonce }),
    // The authority's certificate then travels in the token, so a bundle can be checked without asking it.
    certReq: true,
  });
  return request.toSchema().toBER(false);
}

const statusNames: Record<number, string> = {
  2: 'rejection',
  3: 'waiting',
  4: 'revocation warning',
  5: 'revocation notification',
};

/** The token's own bytes out of the response, not a re-encoding: its signature is over what the authority wrote. */
function readResponse(body: Buffer): Buffer {
  const buffer = body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength);
  const parsed = asn1js.fromBER(buffer);
  if (parsed.offset === -1 || parsed.offset !== buffer.byteLength) throw new TimestampError('the authority answered something that is not a TimeStampResp');
  let response: pkijs.TimeStampResp;
  try {
    response = new pkijs.TimeStampResp({ schema: parsed.result });
  } catch (error) {
    throw new TimestampError(`the authority's TimeStampResp cannot be read: ${(error as Error).message}`);
  }
  const status = response.status.status;
  if (status !== pkijs.PKIStatus.granted && status !== pkijs.PKIStatus.grantedWithMods) {
    const words = (response.status.statusStrings ?? []).map((text) => text.valueBlock.value).join('; ');
    throw new TimestampError(`the authority refused: status ${statusNames[status] ?? status}${words ? ` (${words})` : ''}`);
  }
  const sequence = parsed.result as asn1js.Sequence;
  const tokenBlock = sequence.valueBlock.value[1];
  if (!response.timeStampToken || !tokenBlock) throw new TimestampError('the authority granted the request but sent no token');
  return Buffer.from(tokenBlock.valueBeforeDecodeView);
}

export interface TsaClientOptions {
  url: string;
  timeoutMs: number;
  /** Cuts the request short (the server is closing). */
  signal?: AbortSignal;
}

/** Time-stamps `data`; throws TimestampError (or a network error) saying why when no valid token came back. */
export async function requestTimestamp(data: Uint8Array, { url, timeoutMs, signal }: TsaClientOptions): Promise<AttestedTimestamp> {
  const nonce = freshNonce();
  const timeout = AbortSignal.timeout(timeoutMs);
  let response: Response;
  let body: Buffer;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
      body: new Uint8Array(buildRequest(data, nonce)),
      signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
      redirect: 'follow',
    });
    body = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    if (timeout.aborted) throw new TimestampError(`the authority did not answer within ${timeoutMs / 1000} s`);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new TimestampError(`the authority could not be reached: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
  }
  if (!response.ok) throw new TimestampError(`the authority answered HTTP ${response.status}`);
  const token = readResponse(body);
  const check: TimestampTokenCheck = await checkTimestampToken({ token, data, crypto: webcrypto as unknown as Crypto });
  if (!check.ok) throw new TimestampError(check.problem ?? 'the token does not verify');
  if (check.nonce !== nonce.toString('hex')) throw new TimestampError("the token's nonce is not the one we sent: it answers another request");
  return {
    token,
    genTime: check.genTime!,
    tsa: check.tsa!,
    certificates: check.certificatesDer.map((der) => Buffer.from(der)),
  };
}
