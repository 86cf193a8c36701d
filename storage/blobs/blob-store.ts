// Where original bytes live, behind one interface: local disk now, S3-compatible storage later.
import type { Readable } from 'node:stream';

export interface StagedBlob {
  /** Lower-case hex SHA-256 of exactly the bytes received. */
  sha256: string;
  /** CRC-32 of the same bytes, summed in the same pass, so ZIP exports need not read them twice. */
  crc32: number;
  bytes: number;
  /** The first bytes of the file, enough to sniff its type from magic bytes. */
  head: Buffer;
  /** A local path to the staged bytes, for header checks before the blob is committed. */
  path: string;
}

/** What one pass over the bytes learns: SHA-256 and CRC-32 together, the size, the head for sniffing. */
export interface Digest {
  sha256: string;
  crc32: number;
  bytes: number;
  head: Buffer;
}

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

export interface BlobStore {
  /**
   * Streams `source` into a private temporary file, hashing in the same pass, and fsyncs it.
   * `limitFor(head)` is asked once the first bytes are in and returns the byte limit for what they
   * turned out to be; exceeding it aborts with BlobTooLargeError, a full disk with StorageFullError. Nothing is visible until commit.
   */
  stage(source: Readable, limitFor: (head: Buffer) => Promise<number>): Promise<StagedBlob>;
  /**
   * Takes over a complete file already on this disk (a finished resumable upload): moves it into
   * staging, hashes it and fsyncs it, with the same limit rule as `stage`. The file is gone from its old place.
   * With `digest` (computed while the bytes arrived) the bytes are not read again, only fsynced.
   */
  adopt(localFile: string, limitFor: (head: Buffer) => Promise<number>, digest?: Digest): Promise<StagedBlob>;
  /**
   * Moves a staged file to its content-addressed, write-once place. True when this call placed it;
   * false when identical bytes were already there (the staged copy is then dropped).
   */
  commit(staged: StagedBlob): Promise<boolean>;
  /**
   * Removes an original. Only for one this process just placed and that no media row came to
   * reference (a registration refused after its commit); never for evidence.
   */
  removeOriginal(sha256: string): Promise<void>;
  /** Every original on disk, for the scrub to find files that no media row accounts for. */
  listOriginals(): AsyncIterable<StoredOriginal>;
  /** Forgets a staged file that will not be committed. Never throws. */
  discard(staged: StagedBlob): Promise<void>;
  has(sha256: string): Promise<boolean>;
  openOriginal(sha256: string, range?: ByteRange): Readable;
  /** A local file path to read the original from (codecs such as ffmpeg need one). */
  localPath(sha256: string): string;
  /** Derived files (thumbnails, posters, playback copies) live apart from originals; the folder is created. */
  derivedPath(mediaId: string, name: string): string;
  /** Bytes still free where uploads land, less any the store keeps back (a database reserve not yet made). */
  freeBytes(): Promise<number>;
  /** Bytes uploads may still write before the disk is as full as it may get (MIN_FREE_DISK_BYTES); may be negative. */
  roomLeft(): Promise<number>;
  /** Removes temporary files left by a crash; called at start. */
  sweepStaging(): Promise<number>;
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

/** Any of the ways a full disk shows: our own refusal, a file write's ENOSPC or EDQUOT, SQLite's SQLITE_FULL. */
export function isStorageFull(error: unknown): boolean {
  if (error instanceof StorageFullError) return true;
  return ['ENOSPC', 'EDQUOT', 'SQLITE_FULL'].includes((error as { code?: unknown } | undefined)?.code as string);
}
