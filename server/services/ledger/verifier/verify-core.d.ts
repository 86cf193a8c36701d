// Types for verify-core.js, which stays plain JavaScript because it is pasted into the offline verifiers.

export declare const ENTRY_FORMAT: 'packtrail-ledger-entry/v1';
export declare const PROOFS_FORMAT: 'packtrail-verification/v1';
export declare const ENTRY_FIELDS: readonly string[];

export declare class Sha256 {
  update(data: Uint8Array): this;
  digest(): Uint8Array;
}
export declare function sha256(...parts: Uint8Array[]): Uint8Array;

export declare function utf8(text: string): Uint8Array;
export declare function toHex(bytes: Uint8Array): string;
export declare function fromHex(text: string): Uint8Array;
export declare function toBase64(bytes: Uint8Array): string;
export declare function fromBase64(text: string): Uint8Array;
export declare function bytesEqual(a: Uint8Array, b: Uint8Array): boolean;

export declare function leafHashOf(entry: Uint8Array): Uint8Array;
export declare function nodeHashOf(left: Uint8Array, right: Uint8Array): Uint8Array;
export declare function rootFromInclusionProof(
  leafHash: Uint8Array,
  leafIndex: number,
  treeSize: number,
  proof: readonly Uint8Array[],
): Uint8Array | null;
export declare function verifyInclusion(
  leafHash: Uint8Array,
  leafIndex: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  rootHash: Uint8Array,
): boolean;
export declare function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean;

export interface VerifierKey {
  name: string;
  keyHash: number;
  publicKey: Uint8Array;
  text: string;
}
export interface NoteSignature {
  name: string;
  keyHash: number;
  signature: Uint8Array;
}
export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Uint8Array;
  extensions: string[];
}
export type Ed25519Verify = (publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array) => Promise<boolean>;

export declare function isValidKeyName(name: string): boolean;
export declare function noteKeyHash(name: string, typeAndPublicKey: Uint8Array): number;
export declare function keyHashHex(keyHash: number): string;
export declare function parseVerifierKey(text: string): VerifierKey;
export declare function parseNote(note: string): { text: string; signatures: NoteSignature[] };
export declare function parseCheckpoint(text: string): Checkpoint;
export declare function webCryptoEd25519Verify(publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array): Promise<boolean>;
export declare function verifySignedNote(
  note: string,
  verifierKey: string,
  ed25519Verify?: Ed25519Verify,
): Promise<{ ok: true; text: string; key: VerifierKey } | { ok: false; reason: string }>;

export interface EntryFields {
  media: string;
  sha256: string;
  bytes: number;
  mime: string;
  received: string;
  capture: string;
  order: string;
  kind: string;
  [field: string]: string | number;
}
export declare function parseEntry(entry: string): EntryFields;

export type BundlePart = 'file' | 'entry' | 'proof' | 'checkpoint';
export declare const PART_LABELS: Record<BundlePart, string>;

export interface BundleFileResult {
  path: string;
  mediaId: string | null;
  /** The parsed ledger entry, when it could be read (it is only trustworthy when ok is true). */
  entry: EntryFields | null;
  ok: boolean;
  problems: { part: BundlePart; message: string }[];
}
/** The checkpoint's independent time (timestamp.d.ts CheckpointTimestamps): "none" when the bundle has no token. */
export interface BundleTime {
  status: 'attested' | 'failed' | 'none';
  genTime: string | null;
  tsa: string | null;
  tokens: { ok: boolean; problem: string | null; certificate?: { sha256: string } | null; chain?: { subject: string; sha256: string }[] }[];
}
export declare const NO_TIMESTAMP: BundleTime;
export declare function formatUtc(iso: string): string;
export declare function formatTimeReport(time: BundleTime): string[];

export interface BundleReport {
  ok: boolean;
  key: string;
  /** Set when proofs.json itself cannot be read; nothing else was checked. */
  problem: string | null;
  checkpoint: { ok: boolean; origin: string | null; size: number | null; rootHash: string | null; problem: string | null };
  time: BundleTime;
  files: BundleFileResult[];
}
export declare function isSafeBundlePath(path: string): boolean;
export declare function verifyBundle(input: {
  checkpointText: string;
  keyText: string;
  proofsText: string;
  hashFile: (path: string, expectedBytes: number) => Promise<{ sha256: string; bytes: number } | null>;
  ed25519Verify?: Ed25519Verify;
  checkTime?: (checkpointText: string) => Promise<BundleTime>;
}): Promise<BundleReport>;
export declare function formatBundleReport(report: BundleReport): string[];
