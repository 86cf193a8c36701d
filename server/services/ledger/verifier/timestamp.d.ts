// Types for timestamp.js, which stays plain JavaScript because esbuild bundles it into the offline verifiers.

export declare const TIME_STAMPING_PURPOSE: string;
export declare const SHA256_OID: string;

export interface CertificateFacts {
  /** RFC 4514 order, most specific first: "CN=…, O=…". */
  subject: string;
  issuer: string;
  /** Lower-case hex SHA-256 of the certificate's DER, the fingerprint a reader compares. */
  sha256: string;
  notBefore: string;
  notAfter: string;
}

export interface TimestampTokenCheck {
  ok: boolean;
  problem: string | null;
  /** The time the authority attests, ISO 8601 UTC. */
  genTime: string | null;
  /** The authority's certificate subject. */
  tsa: string | null;
  certificate: CertificateFacts | null;
  /** Issuers above the authority's certificate found in or beside the token, nearest first. */
  chain: (CertificateFacts & { signed: boolean })[];
  /** DER of the authority's certificate then its chain: what a bundle ships beside the token. */
  certificatesDer: Uint8Array[];
  policy: string | null;
  serialNumber: string | null;
  /** Hex, or null when the token has none. */
  nonce: string | null;
  imprint: string | null;
}

export interface CheckpointTimestamps {
  status: 'attested' | 'failed' | 'none';
  genTime: string | null;
  tsa: string | null;
  tokens: TimestampTokenCheck[];
}

export declare function distinguishedName(name: unknown): string;
export declare function pemCertificates(text: string): Uint8Array[];
export declare function certificatesPem(ders: Uint8Array[]): string;
export declare function checkTimestampToken(input: {
  token: Uint8Array;
  data: Uint8Array;
  certificates?: Uint8Array[];
  crypto: Crypto;
}): Promise<TimestampTokenCheck>;
export declare function checkCheckpointTimestamps(input: {
  checkpointText: string;
  tokens: Uint8Array[];
  certificatesPem?: string;
  crypto: Crypto;
}): Promise<CheckpointTimestamps>;
