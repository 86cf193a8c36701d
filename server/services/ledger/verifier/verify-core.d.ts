// Types for verify-core.js, which stays plain JavaScript because it is pasted into the offline verifiers.

export declare const ENTRY_FORMAT: 'packtrail-ledger-entry/v1';
export declare const PROOFS_FORMAT: 'packtrail-verification/v2';
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

export type BundlePart = 'file' | 'entry' | 'proof' | 'checkpoint' | 'statement' | 'document' | 'facts' | 'added';
export declare const PART_LABELS: Record<BundlePart, string>;

/** `code` and `params` name the problem for a translated message; `message` is the English one. */
export interface BundleProblem {
  part: BundlePart;
  message: string;
  code?: string;
  params?: Record<string, string | number>;
}

export interface BundleFileResult {
  path: string;
  mediaId: string | null;
  /** The parsed ledger entry, when it could be read (it is only trustworthy when ok is true). */
  entry: EntryFields | null;
  ok: boolean;
  problems: BundleProblem[];
}
export interface CaptureFactsResult {
  captureId: string;
  leafIndex: number;
  /** The parsed facts, when they could be read (only trustworthy when ok is true). */
  facts: CaptureFacts | null;
  /** When this bundle's copy differs from the one the export statement signed: the facts as the log recorded them. */
  logged?: CaptureFacts | null;
  /** false when no valid export statement ties this copy of the facts to the export (they are proven by the log only). */
  exportMatched?: boolean;
  ok: boolean;
  /** Facts that differ from the copy the export statement signed. */
  changes: { field: string; logged: string | null; now: string | null }[];
  problems: BundleProblem[];
}
export interface DocumentResult {
  path: string;
  kind: string;
  ok: boolean;
  problems: BundleProblem[];
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
  statement: {
    present: boolean; ok: boolean; exportedAt: string | null; disputeId: string | null; orderId: string | null;
    /** The verifier key the statement names, and where the shop publishes it (null when the statement does not say). */
    key: string | null; keyUrl: string | null;
    problems: BundleProblem[];
  };
  documents: DocumentResult[];
  /** Files that are not originals and that no valid export statement covers: not checked. */
  unchecked: { path: string; reason: string }[];
  captures: CaptureFactsResult[];
  notInLog: { captureId: string; kind: string | null; reason: string }[];
  factsProblems: BundleProblem[];
  added: { path: string; ok: false; problems: BundleProblem[] }[];
  /** Items whose originals the shop's retention removed before export: their log entries are checked, no file is expected. */
  removed: RemovedItemResult[];
}
export interface RemovedItemResult {
  mediaId: string;
  sha256: string | null;
  removedAt: string;
  reason: string;
  leafIndex: number;
  entry: LedgerEntry | null;
  ok: boolean;
  problems: BundleProblem[];
}
export declare function isSafeBundlePath(path: string): boolean;
export declare function verifyBundle(input: {
  checkpointText: string;
  keyText: string;
  proofsText: string;
  statementText?: string | null;
  captureFactsText?: string | null;
  hashFile: (path: string, expectedBytes: number) => Promise<{ sha256: string; bytes: number } | null>;
  listFiles?: () => Promise<string[]>;
  requireStatement?: boolean;
  ed25519Verify?: Ed25519Verify;
  checkTime?: (checkpointText: string) => Promise<BundleTime>;
}): Promise<BundleReport>;
export declare function formatBundleReport(report: BundleReport): string[];

// ---- Capture facts, export statements and whole-bundle checks ----

export declare const PROOFS_FORMAT_V1: 'packtrail-verification/v1';
export declare const CAPTURE_FACTS_FORMAT: 'packtrail-capture-facts/v1';
export declare const CAPTURE_FACT_LINES: readonly string[];
export declare const UTC_TIME: RegExp;
export declare const EXPORT_STATEMENT_FORMAT: 'packtrail-export/v1';
export declare const EXPORT_STATEMENT_PATH: 'verification/export-statement.txt';
export declare const CAPTURE_FACTS_PATH: 'verification/capture-facts.json';
export declare const CAPTURE_FACTS_PROOFS_FORMAT: 'packtrail-capture-facts-proofs/v1';
export declare const MANIFEST_PATH: 'manifest.json';
export declare const FACT_NAMES: Record<string, string>;

export interface CaptureFacts {
  capture: string;
  order: string;
  kind: string;
  recordedBy: { kind: 'device' | 'user'; id: string; name: string | null } | null;
  station: string | null;
  started: string;
  finished: string;
  weight: { grams: number; value: number; unit: string } | null;
  expectedGrams: number | null;
  /** The weight tolerance in percent when the capture finished; null in entries written before it was logged, or without a weight. */
  tolerancePercent: number | null;
  tracking: string | null;
  checklist: { item: string; result: string; note: string | null; mediaIds: string[] }[];
  outcome: string | null;
  note: string | null;
  /** `tags`: a photo's courier tags at finish (empty when none, or in entries written before tags were logged). */
  media: { id: string; sha256: string; tags: string[] }[];
}
export declare function parseQuoted(value: string, name: string): string;
export declare function parseCaptureFacts(entry: string): CaptureFacts;
export declare function factLinesOf(entry: string): { name: string; value: string }[];
export declare function diffCaptureFacts(loggedEntry: string, entry: string): { field: string; logged: string | null; now: string | null }[];
export declare function describeCaptureFacts(facts: CaptureFacts): string[];

export interface ExportStatement {
  origin: string;
  checkpointSize: number;
  rootHash: string;
  exportedAt: string;
  disputeId: string;
  orderId: string;
  /** The verifier key that signs the statement; null (when parsed) in statements made before it was named. */
  key?: string | null;
  /** The absolute address where the shop publishes its key; null when the export knew of none. */
  keyUrl?: string | null;
  files: { kind: string; sha256: string; bytes: number; path: string }[];
  facts: { captureId: string; leafIndex: number; entry: string }[];
}
export declare function keyFingerprint(keyLine: string): string;
export declare function isKeyAddress(value: unknown): value is string;
export declare function findUncheckedFiles(presentPaths: string[], originals: { path: string }[]): { path: string; reason: string }[];
export declare function formatResultLines(report: BundleReport): string[];
export declare function formatExportStatement(statement: ExportStatement): string;
export declare function parseExportStatement(text: string): ExportStatement;
export declare function isSystemLitter(path: string): boolean;
