// Where original bytes and the files derived from them live, behind interfaces that hand out no
// local paths: originals on local disk or S3-compatible storage (BLOB_STORE), derived files on local
// disk. A codec that needs a file by path borrows one for the length of a call (withLocalCopy,
// withStagedFile, DerivedStore.produce), so nothing outside a store assumes where bytes lie.
import type { Readable } from 'node:stream';

/** Asked once the first bytes are in: the byte limit for what they turned out to be. */
export type LimitFor = (head: Buffer) => Promise<number>;
/**
 * What one pass over the bytes learns: the SHA-256, the size, the head for sniffing. No CRC-32: a ZIP
 * needs one only when an original is exported, which most never are, so the export sums it as the bytes
 * stream rather than every upload paying for it (a tenth of the upload's CPU; BENCHMARKS.md, Ingest).
 */
export interface Digest { sha256: string; bytes: number; head: Buffer }
/** Bytes in the store's staging area: hashed, durable, not yet an original. `ref` is the store's own. */
export interface StagedOriginal extends Digest { readonly ref: string }
export interface StoredOriginal {
  sha256: string;
  bytes: number;
  /** When its bytes were last written (just before it was placed), to leave a registration in flight alone. */
  writtenAt: Date;
}
export interface ByteRange {
  start: number;
  /** Inclusive, as in HTTP Range. */
  end: number;
}

export interface OriginalsStore {
  readonly kind: 'local' | 's3';
  /**
   * Streams `source` into staging, hashing in the same pass (local: fsynced temp file; S3: multipart
   * upload to `staging/<uuid>`, no full local copy). `limitFor(head)` is asked once the first bytes are
   * in; exceeding its answer aborts with BlobTooLargeError, a full disk with StorageFullError, and
   * nothing is left behind either way. Nothing is visible as an original until commit.
   */
  stage(source: Readable, limitFor: LimitFor): Promise<StagedOriginal>;
  /**
   * Takes over a complete local file (a finished resumable upload); the file is gone afterwards.
   * With `digest` (computed while the bytes arrived), local disk does not read the bytes again.
   */
  stageFile(localFile: string, limitFor: LimitFor, digest?: Digest): Promise<StagedOriginal>;
  /**
   * Lends a local file holding the staged bytes to a check that needs a path (sharp). Local: the
   * staging file itself; S3: a temporary download, removed after `use`.
   */
  withStagedFile<T>(staged: StagedOriginal, use: (file: string) => Promise<T>): Promise<T>;
  /**
   * Lends a reader that takes a location (ffprobe) where to find the staged bytes: local, the staging
   * file's path; S3, an http(s) URL valid for a few minutes, from which the reader fetches only the
   * ranges it needs instead of the whole video being downloaded first.
   */
  withStagedLocation<T>(staged: StagedOriginal, use: (location: string) => Promise<T>): Promise<T>;
  /** A few bytes of a staged blob (a PDF's last kilobytes). */
  readStaged(staged: StagedOriginal, range: ByteRange): Promise<Buffer>;
  /**
   * Makes staged bytes the write-once original `originals/<sha256>` (S3: with COMPLIANCE retention of
   * S3_OBJECT_LOCK_DAYS where the bucket has Object Lock). True when this call placed it, false when
   * identical bytes were already there (staging dropped).
   */
  commit(staged: StagedOriginal): Promise<boolean>;
  /** Forgets staged bytes that will not be committed. Never throws. */
  discard(staged: StagedOriginal): Promise<void>;
  has(sha256: string): Promise<boolean>;
  /** The original's bytes, or a range of them. */
  open(sha256: string, range?: ByteRange): Promise<Readable>;
  /**
   * Lends a codec (ffmpeg, sharp) a local file with the original's bytes. Local: the file itself,
   * read-only; S3: a temporary download removed after `use`.
   */
  withLocalCopy<T>(sha256: string, use: (file: string) => Promise<T>): Promise<T>;
  /**
   * Removes an original: one this process just placed that no row came to reference, or one retention
   * let go. Throws `OriginalLockedError` when the store refuses (Object Lock still in force).
   */
  remove(sha256: string): Promise<void>;
  /** Every original in the store, for the scrub (files without a row) and the backup. */
  list(): AsyncIterable<StoredOriginal>;
  /** Bytes still free where uploads are staged locally (tus parts, temp copies), less any the store keeps back. */
  freeBytes(): Promise<number>;
  /** Bytes uploads may still write before the disk is as full as it may get (MIN_FREE_DISK_BYTES); may be negative. */
  roomLeft(): Promise<number>;
  /**
   * Removes staging left by a crash (local temp files; S3: `staging/` objects and unfinished multipart
   * uploads older than an hour); called at start, and hourly with S3 (which skips what this process still
   * uses). Returns how many.
   */
  sweepStaging(): Promise<number>;
  /**
   * Where the store keeps write-once locks (S3 with Object Lock): whether the version an original's reads
   * use still has its COMPLIANCE retention, locking it again if a crash between copy and lock left it
   * without one, and how many other versions (someone's writes, delete markers) sit on its key. For the scrub.
   */
  checkLock?(sha256: string): Promise<OriginalLockCheck>;
}

export interface OriginalLockCheck {
  /**
   * locked: COMPLIANCE retention to a date to come; relocked: found without retention, locked now;
   * expired: its retention ended (retention may remove it); unlocked: no retention, and none could be set;
   * not_required: the store keeps no locks (no Object Lock, or S3_OBJECT_LOCK_DAYS=0); missing: not there.
   */
  state: 'locked' | 'relocked' | 'expired' | 'unlocked' | 'not_required' | 'missing';
  until?: Date;
  /** Versions and delete markers on the key besides the one the service reads: written by someone else. */
  otherVersions: number;
  message?: string;
}

/**
 * Thumbnails, posters, stills, playback copies: regenerable copies, kept apart from originals, on
 * local disk under DATA_DIR/derived whatever BLOB_STORE is. No paths leave it.
 */
export interface DerivedStore {
  /** Runs `make(file)` to write a derived file into a private temporary path, then puts it in place atomically. */
  produce(mediaId: string, name: string, make: (file: string) => Promise<void>): Promise<void>;
  /** Same for a folder of files (stills): `make(dir)` fills a temp folder that replaces the old one. */
  produceFolder(mediaId: string, name: string, make: (dir: string) => Promise<void>): Promise<void>;
  stat(mediaId: string, name: string): Promise<{ bytes: number; modifiedAt: Date } | undefined>;
  open(mediaId: string, name: string, range?: ByteRange): Promise<Readable | undefined>;
  /** Lends the derived file (or folder entry `name/entry`) by path to a reader that needs one. */
  withLocalFile<T>(mediaId: string, name: string, use: (file: string) => Promise<T>): Promise<T | undefined>;
  list(mediaId: string, folder: string): Promise<string[]>;
  /** Every derived file of a media item (retention). */
  removeAll(mediaId: string): Promise<void>;
}

/** The bytes went past the limit the caller set for what they turned out to be. */
export class BlobTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`larger than the ${limit}-byte limit`);
  }
}

/** The disk (or bucket quota) is full, or as full as uploads may make it; the staged bytes were removed. */
export class StorageFullError extends Error {
  constructor() {
    super('storage is full');
  }
}

/**
 * The store cannot be reached or refuses to work as configured (an object store that went away, keys it no
 * longer accepts, a bucket rule that forbids the write-once retention): nothing was saved; try again later.
 */
export class StorageUnavailableError extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`the storage is unavailable: ${reason}`, options);
  }
}

/** The store refused to remove an original: its Object Lock retention is still in force (until `until`, when known). */
export class OriginalLockedError extends Error {
  constructor(
    readonly sha256: string,
    readonly until?: Date,
  ) {
    super(`original ${sha256} is locked${until ? ` until ${until.toISOString()}` : ''} and cannot be removed`);
  }
}

/** Any of the ways a full disk shows: our own refusal, a file write's ENOSPC or EDQUOT, SQLite's SQLITE_FULL. */
export function isStorageFull(error: unknown): boolean {
  if (error instanceof StorageFullError) return true;
  return ['ENOSPC', 'EDQUOT', 'SQLITE_FULL'].includes((error as { code?: unknown } | undefined)?.code as string);
}
