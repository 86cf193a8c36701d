// Originals in an S3-compatible bucket (AWS, Ceph RGW, MinIO): uploads stream through the hash into a
// multipart upload under `staging/<uuid>` (no full local copy), commit copies them to the write-once key
// `originals/<sha256>` and, where the bucket has Object Lock, gives that version COMPLIANCE retention,
// which not even the bucket's owner can shorten or delete through.
//
// Reads pin the *oldest* version of an original's key: it is the one this store wrote and locked, so a
// later PUT or delete marker by anyone holding the bucket's keys does not change what the service reads.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createRequire } from 'node:module';
import type { CompletedPart, S3Client } from '@aws-sdk/client-s3';
import { BlobTooLargeError, OriginalLockedError, StorageFullError, StorageUnavailableError, type ByteRange, type OriginalLockCheck, type Digest, type LimitFor, type OriginalsStore, type StagedOriginal, type StoredOriginal } from './blob-store';
import { CHUNK, DigestHasher } from './digest';

// The AWS SDK (about 20 MB resident) is required when an S3 store or client is made, not when this
// module is imported: with BLOB_STORE=local (the default) the service never loads it. It is required
// synchronously (CommonJS) so that making a store stays synchronous.
type S3Sdk = typeof import('@aws-sdk/client-s3');
let sdkModule: S3Sdk | undefined;
const s3Sdk = (): S3Sdk => (sdkModule ??= createRequire(import.meta.url)('@aws-sdk/client-s3') as S3Sdk);
type Presigner = typeof import('@aws-sdk/s3-request-presigner');
let presignerModule: Presigner | undefined;
const presign: Presigner['getSignedUrl'] = (...args) =>
  (presignerModule ??= createRequire(import.meta.url)('@aws-sdk/s3-request-presigner') as Presigner).getSignedUrl(...args);
/** How long a probe's URL of a staged object stays valid: longer than ffprobe's own time limit. */
const STAGED_URL_SECONDS = 300;

export interface S3OriginalsStoreOptions {
  /** Undefined: AWS's own endpoint for the region. */
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
  /** COMPLIANCE retention for each original where the bucket has Object Lock; 0 sets none. */
  objectLockDays: number;
  /** Refuse to work with a bucket that has no Object Lock (S3_OBJECT_LOCK_DAYS set on purpose). */
  objectLockRequired?: boolean;
  /** A local folder for the short-lived copies codecs borrow (withLocalCopy, withStagedFile). */
  tempDir: string;
  /** Room on the local disk where tus parts and the borrowed copies go. */
  localRoom: { freeBytes(): Promise<number>; roomLeft(): Promise<number> };
  /** Multipart part size (default S3_PART_BYTES). */
  partSize?: number;
  /** Parts sent at once per upload: memory per upload is about partSize × (queueSize + 1). */
  queueSize?: number;
  /** Staging left this long is taken for a crash's leftovers by sweepStaging. */
  staleAfterMs?: number;
  /** The service's clock, for what counts as stale (tests move it); retention dates always use real time. */
  now?: () => number;
}

/** A bucket that does not exist, or refuses these keys, or has no Object Lock where it was required. */
export class S3StoreSetupError extends Error {}

/**
 * Multipart part size: S3 allows 10,000 parts, so 6 MiB parts carry up to 58 GiB. Each upload holds
 * about partSize × (queueSize + 1) in memory: small parts keep the service's RSS low (a 1 GiB upload
 * peaked at 187-194 MB with 6 MiB, 190-200 MB with 8 MiB, against Ceph; BENCHMARKS.md, S3).
 */
export const S3_PART_BYTES = 6 * 1024 ** 2;
/**
 * Parts sent at once per upload: enough to keep a gateway busy over a LAN or loopback (a multipart
 * upload runs at the speed of a bare put that sends as many). Two, not three: three held 8 MiB more.
 */
export const S3_PARTS_AT_ONCE = 2;

/**
 * Part buffers, reused across uploads: allocated outside V8's heap once, not per part. One upload's worth is kept
 * free between uploads; the rest go to the garbage collector.
 */
const freePartBuffers: Buffer[] = [];
const KEEP_FREE_PART_BUFFERS = 4;
function takePartBuffer(size: number): Buffer {
  for (let i = freePartBuffers.length - 1; i >= 0; i--) {
    if (freePartBuffers[i].length === size) return freePartBuffers.splice(i, 1)[0];
  }
  return Buffer.allocUnsafeSlow(size);
}
function givePartBuffer(buffer: Buffer): void {
  if (buffer.length > 0 && freePartBuffers.length < KEEP_FREE_PART_BUFFERS && !freePartBuffers.includes(buffer)) freePartBuffers.push(buffer);
}

const ORIGINALS = 'originals/';
const STAGING = 'staging/';
/** CopyObject copies at most 5 GiB in one request; beyond that the copy goes part by part. */
const SINGLE_COPY_LIMIT = 5 * 1024 ** 3;
const COPY_PART_BYTES = 1024 ** 3;
const DAY_MS = 86_400_000;

const originalKey = (sha256: string) => {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
  return ORIGINALS + sha256;
};

function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}
function errorName(error: unknown): string | undefined {
  return (error as { name?: string; Code?: string } | undefined)?.Code ?? (error as { name?: string } | undefined)?.name;
}
const isNotFound = (error: unknown) => httpStatus(error) === 404 || ['NoSuchKey', 'NotFound', 'NoSuchVersion'].includes(errorName(error) ?? '');
const isAccessDenied = (error: unknown) => httpStatus(error) === 403 || errorName(error) === 'AccessDenied';

const NETWORK_CODES = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE'];
const KEY_ERRORS = ['CredentialsProviderError', 'InvalidAccessKeyId', 'SignatureDoesNotMatch'];

/** Why the store cannot be used at all right now (no answer, a 5xx, keys it refuses), or undefined for an ordinary answer. */
function unavailableReason(error: unknown): string | undefined {
  if (error instanceof StorageUnavailableError) return error.message;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && NETWORK_CODES.includes(code)) return `no answer from the S3 store (${code})`;
  const name = errorName(error) ?? '';
  if (name === 'TimeoutError') return 'the S3 store did not answer in time';
  if (name === 'CredentialsProviderError') return 'no S3 keys (set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY)';
  if (KEY_ERRORS.includes(name)) return `the S3 store refuses these keys (${name})`;
  const status = httpStatus(error);
  if (status !== undefined && status >= 500) return `the S3 store answered ${status} (${name || 'error'})`;
  return undefined;
}

/** An S3 failure as the service must see it: a store gone away becomes StorageUnavailableError (a retryable 503). */
function asUnavailable(error: unknown): unknown {
  if (error instanceof StorageUnavailableError) return error;
  const reason = unavailableReason(error);
  return reason ? new StorageUnavailableError(reason, { cause: error }) : error;
}

/** Runs a store operation so that a store gone away throws StorageUnavailableError, not the SDK's own error. */
function guarded<A extends unknown[], R>(operation: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await operation(...args);
    } catch (error) {
      throw asUnavailable(error);
    }
  };
}

/** A bucket quota reached reads as a full disk does, so uploads answer 507 the same way. */
function asStorageError(error: unknown): unknown {
  if (errorName(error) === 'QuotaExceeded' || errorName(error) === 'EntityTooLarge') return new StorageFullError();
  return error;
}

/** What open() throws for an original that is not there, shaped like the local store's missing file. */
function missing(sha256: string): Error {
  return Object.assign(new Error(`original ${sha256} is not in the bucket`), { code: 'ENOENT' });
}

export function createS3Client(options: Pick<S3OriginalsStoreOptions, 'endpoint' | 'region' | 'accessKeyId' | 'secretAccessKey' | 'forcePathStyle'>): S3Client {
  // The SDK's multi-line notice that its releases after January 2027 want Node 22 would open every start,
  // backup and script on Node 20, which this project supports; the SDK version is pinned in package-lock.json.
  // An operator who wants it back sets the variable to anything but "true".
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { S3Client } = s3Sdk();
  return new S3Client({
    endpoint: options.endpoint,
    region: options.region,
    forcePathStyle: options.forcePathStyle,
    credentials: options.accessKeyId && options.secretAccessKey ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } : undefined,
    // The SDK's default adds CRC checksums with chunked, length-less bodies; Ceph 16 answers those with
    // 411, and other gateways vary. Our own SHA-256 is the check that counts.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 4,
  });
}

export interface S3OriginalsStore extends OriginalsStore {
  /**
   * Asks the bucket once, at start: it exists, the keys work, and Object Lock is there where
   * S3_OBJECT_LOCK_DAYS asked for it (S3StoreSetupError with a plain message otherwise).
   */
  checkBucket(): Promise<{ objectLock: boolean }>;
}

export function createS3OriginalsStore(options: S3OriginalsStoreOptions, client: S3Client = createS3Client(options)): S3OriginalsStore {
  const {
    AbortMultipartUploadCommand,
    CompleteMultipartUploadCommand,
    CopyObjectCommand,
    CreateMultipartUploadCommand,
    DeleteObjectCommand,
    GetObjectCommand,
    GetObjectLockConfigurationCommand,
    HeadObjectCommand,
    GetObjectRetentionCommand,
    ListMultipartUploadsCommand,
    ListObjectVersionsCommand,
    PutObjectCommand,
    PutObjectRetentionCommand,
    UploadPartCommand,
    UploadPartCopyCommand,
  } = s3Sdk();
  const Bucket = options.bucket;
  const partSize = options.partSize ?? S3_PART_BYTES;
  const queueSize = options.queueSize ?? S3_PARTS_AT_ONCE;
  const staleAfterMs = options.staleAfterMs ?? 60 * 60 * 1000;
  const now = options.now ?? Date.now;
  // Staging keys and borrowed local copies this process is still using: a sweep while running leaves them
  // alone however long they take (a slow upload's multipart upload, ffmpeg on a long video).
  const inUse = new Set<string>();
  fs.mkdirSync(options.tempDir, { recursive: true });

  // --- the bucket's Object Lock, asked once ------------------------------------------------------------
  let lockCheck: Promise<boolean> | undefined;
  function bucketHasObjectLock(): Promise<boolean> {
    lockCheck ??= (async () => {
      let enabled: boolean;
      let defaultRule: { Mode?: string } | undefined;
      try {
        const answer = await client.send(new GetObjectLockConfigurationCommand({ Bucket }));
        enabled = answer.ObjectLockConfiguration?.ObjectLockEnabled === 'Enabled';
        defaultRule = answer.ObjectLockConfiguration?.Rule?.DefaultRetention;
      } catch (error) {
        const name = errorName(error) ?? '';
        const unavailable = unavailableReason(error);
        if (unavailable) throw new S3StoreSetupError(`${unavailable}, at ${options.endpoint ?? `AWS S3 (${options.region})`} for the bucket ${Bucket}`);
        if (name === 'NoSuchBucket') throw new S3StoreSetupError(`the bucket ${Bucket} does not exist (create it, with Object Lock enabled for write-once originals)`);
        if (['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch'].includes(name)) {
          throw new S3StoreSetupError(`the S3 store refused these keys for the bucket ${Bucket} (${name})`);
        }
        // No lock configuration at all is how a bucket without Object Lock answers.
        if (!isNotFound(error) && !['ObjectLockConfigurationNotFoundError', 'InvalidRequest'].includes(name)) throw error;
        enabled = false;
      }
      if (!enabled && options.objectLockRequired) {
        throw new S3StoreSetupError(`S3_OBJECT_LOCK_DAYS is set but the bucket ${Bucket} has no Object Lock: create the bucket with Object Lock enabled, or leave S3_OBJECT_LOCK_DAYS unset`);
      }
      // A default rule in GOVERNANCE mode gives every new version GOVERNANCE retention, which cannot be turned into
      // COMPLIANCE without a governance bypass: every upload would fail at its lock.
      if (enabled && options.objectLockDays > 0 && defaultRule?.Mode === 'GOVERNANCE') {
        throw new S3StoreSetupError(
          `the bucket ${Bucket} has a default retention rule in GOVERNANCE mode, under which originals cannot be given COMPLIANCE retention: ` +
            'remove the default rule (or make it COMPLIANCE), or set S3_OBJECT_LOCK_DAYS=0 to rely on the rule alone',
        );
      }
      return enabled;
    })();
    lockCheck.catch(() => (lockCheck = undefined));
    return lockCheck;
  }

  // --- versions ------------------------------------------------------------------------------------------
  interface KeyVersion { versionId: string | undefined; isDeleteMarker: boolean; bytes: number; lastModified: Date }

  async function versionsOf(key: string): Promise<KeyVersion[]> {
    const found: KeyVersion[] = [];
    let KeyMarker: string | undefined;
    let VersionIdMarker: string | undefined;
    do {
      const page = await client.send(new ListObjectVersionsCommand({ Bucket, Prefix: key, KeyMarker, VersionIdMarker }));
      for (const v of page.Versions ?? []) {
        if (v.Key === key) found.push({ versionId: v.VersionId, isDeleteMarker: false, bytes: v.Size ?? 0, lastModified: v.LastModified ?? new Date(0) });
      }
      for (const m of page.DeleteMarkers ?? []) {
        if (m.Key === key) found.push({ versionId: m.VersionId, isDeleteMarker: true, bytes: 0, lastModified: m.LastModified ?? new Date(0) });
      }
      KeyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      VersionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (KeyMarker);
    return found;
  }

  /** "null" is how S3 names the one version of an object written while versioning was off. */
  const versionParam = (versionId: string | undefined) => (versionId && versionId !== 'null' ? versionId : undefined);

  // The version an original's reads go to, per sha256. Versions never change, so a hit stays true until remove().
  const pinned = new Map<string, { versionId: string | undefined; bytes: number }>();
  /** The oldest version of an original's key that holds bytes (not a delete marker), straight from the bucket. */
  async function oldestVersion(sha256: string): Promise<{ versionId: string | undefined; bytes: number } | undefined> {
    // A key's versions are listed newest first; equal times keep that order, so the last one is the oldest.
    const versions = (await versionsOf(originalKey(sha256))).filter((v) => !v.isDeleteMarker);
    let oldest = versions.at(-1);
    for (const v of versions) if (oldest && v.lastModified < oldest.lastModified) oldest = v;
    return oldest ? { versionId: versionParam(oldest.versionId), bytes: oldest.bytes } : undefined;
  }
  async function pinnedVersion(sha256: string): Promise<{ versionId: string | undefined; bytes: number } | undefined> {
    const known = pinned.get(sha256);
    if (known) return known;
    const found = await oldestVersion(sha256);
    if (!found) return undefined;
    if (pinned.size > 50_000) pinned.clear();
    pinned.set(sha256, found);
    return found;
  }

  /**
   * Deletes every version (and delete marker) of a key, so a versioned bucket keeps no hidden bytes. Only for
   * staging and for a copy that never became an original: GOVERNANCE retention a bucket rule put on those is bypassed.
   */
  async function deleteAllVersions(key: string): Promise<number> {
    let removed = 0;
    for (const v of await versionsOf(key)) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: key, VersionId: v.versionId, BypassGovernanceRetention: true }));
      removed++;
    }
    return removed;
  }

  // Commits of the same bytes in this process take turns, so exactly one of them reports "placed".
  const commitQueue = new Map<string, Promise<unknown>>();
  function inTurn<T>(sha256: string, work: () => Promise<T>): Promise<T> {
    const before = commitQueue.get(sha256) ?? Promise.resolve();
    const mine = before.then(work, work);
    const settled = mine.catch(() => undefined);
    commitQueue.set(sha256, settled);
    void settled.then(() => {
      if (commitQueue.get(sha256) === settled) commitQueue.delete(sha256);
    });
    return mine;
  }

  // --- staging ---------------------------------------------------------------------------------------------
  /**
   * Streams `source` to `key`: one PutObject when it fits in a part, else a multipart upload with up to
   * `queueSize` parts in flight. Each chunk goes through `inspect` first (hashing, the limit), so a
   * refusal stops the bytes before they are sent. On any failure the multipart upload is aborted
   * before this rejects: nothing of a refused or cut-off upload stays in the bucket.
   *
   * Parts are filled into pooled buffers rather than by lib-storage, which joins each part with
   * Buffer.concat: a fresh 8 MiB buffer per part made V8 collect garbage for about 9 s per GiB.
   */
  async function putStream(key: string, source: AsyncIterable<Buffer>, inspect: (chunk: Buffer) => Promise<void> | undefined): Promise<number> {
    let uploadId: Promise<string> | undefined;
    const startMultipart = () =>
      (uploadId ??= client.send(new CreateMultipartUploadCommand({ Bucket, Key: key })).then((answer) => {
        if (!answer.UploadId) throw new Error('the store answered CreateMultipartUpload without an UploadId');
        return answer.UploadId;
      }));
    const parts: CompletedPart[] = [];
    const inFlight = new Set<Promise<void>>();
    let failure: unknown;
    let partNumber = 0;
    let bytes = 0;
    let current = takePartBuffer(partSize);
    let filled = 0;

    const send = (buffer: Buffer, length: number) => {
      const PartNumber = ++partNumber;
      const task: Promise<void> = (async () => {
        const UploadId = await startMultipart();
        const answer = await client.send(new UploadPartCommand({ Bucket, Key: key, UploadId, PartNumber, Body: buffer.subarray(0, length), ContentLength: length }));
        parts.push({ PartNumber, ETag: answer.ETag });
      })()
        .catch((error: unknown) => {
          failure ??= error;
        })
        .finally(() => {
          inFlight.delete(task);
          givePartBuffer(buffer);
        });
      inFlight.add(task);
    };

    try {
      for await (const chunk of source) {
        if (failure) throw failure;
        const inspecting = inspect(chunk);
        if (inspecting) await inspecting;
        bytes += chunk.length;
        for (let offset = 0; offset < chunk.length; ) {
          const copied = chunk.copy(current, filled, offset);
          filled += copied;
          offset += copied;
          if (filled === partSize) {
            while (inFlight.size >= queueSize) await Promise.race(inFlight);
            if (failure) throw failure;
            send(current, filled);
            current = takePartBuffer(partSize);
            filled = 0;
          }
        }
      }
      if (partNumber === 0) {
        await client.send(new PutObjectCommand({ Bucket, Key: key, Body: current.subarray(0, filled), ContentLength: filled }));
      } else {
        if (filled > 0) {
          send(current, filled);
          current = Buffer.alloc(0);
        }
        while (inFlight.size > 0) await Promise.race(inFlight);
        if (failure) throw failure;
        parts.sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
        await client.send(new CompleteMultipartUploadCommand({ Bucket, Key: key, UploadId: await startMultipart(), MultipartUpload: { Parts: parts } }));
      }
      return bytes;
    } catch (error) {
      while (inFlight.size > 0) await Promise.race(inFlight);
      if (uploadId) {
        const id = await uploadId.catch(() => undefined);
        if (id) await client.send(new AbortMultipartUploadCommand({ Bucket, Key: key, UploadId: id })).catch(() => undefined);
      }
      throw asStorageError(error);
    } finally {
      givePartBuffer(current);
    }
  }

  async function stage(source: Readable, limitFor: LimitFor): Promise<StagedOriginal> {
    const key = STAGING + randomUUID();
    const digest = new DigestHasher(limitFor);
    // In use from the first byte until commit() or discard() takes it.
    inUse.add(key);
    try {
      await putStream(key, source as AsyncIterable<Buffer>, (chunk) => digest.add(chunk));
      return { ...(await digest.finish()), ref: key };
    } catch (error) {
      // A file under SNIFF_BYTES learns its limit only here, once it is already in staging.
      await deleteAllVersions(key).catch(() => undefined);
      inUse.delete(key);
      throw error;
    }
  }

  async function stageFile(localFile: string, limitFor: LimitFor, known?: Digest): Promise<StagedOriginal> {
    try {
      const file = fs.createReadStream(localFile, { highWaterMark: CHUNK }) as AsyncIterable<Buffer>;
      if (!known) return await stage(file as unknown as Readable, limitFor);
      // The bytes were hashed as they arrived: check the limit on what is known, then only copy them up.
      const limit = await limitFor(known.head);
      if (known.bytes > limit) throw new BlobTooLargeError(limit);
      const key = STAGING + randomUUID();
      inUse.add(key);
      const sent = await putStream(key, file, async () => undefined).catch((error: unknown) => {
        inUse.delete(key);
        throw error;
      });
      if (sent !== known.bytes) {
        await deleteAllVersions(key).catch(() => undefined);
        inUse.delete(key);
        throw new Error(`${localFile} held ${sent} bytes, its digest says ${known.bytes}`);
      }
      return { sha256: known.sha256, bytes: known.bytes, head: known.head, ref: key };
    } finally {
      // Taken over either way: a refused file is not kept, an accepted one now lives in the bucket.
      await fsp.rm(localFile, { force: true });
    }
  }

  function stagedKey(staged: StagedOriginal): string {
    if (!staged.ref.startsWith(STAGING) || staged.ref.includes('..')) throw new Error(`not a staging key: ${staged.ref}`);
    return staged.ref;
  }

  /**
   * Lends a presigned GET URL of the staged object, valid for as long as a probe may take. When the
   * reader fails, the store is asked once for the object: a store that went away answers 503 (through
   * guarded), so an outage is not taken for a file nothing can read.
   */
  async function withStagedLocation<T>(staged: StagedOriginal, use: (location: string) => Promise<T>): Promise<T> {
    const key = stagedKey(staged);
    const url = await presign(client, new GetObjectCommand({ Bucket, Key: key }), { expiresIn: STAGED_URL_SECONDS });
    try {
      return await use(url);
    } catch (error) {
      await client.send(new HeadObjectCommand({ Bucket, Key: key }));
      throw error;
    }
  }

  async function readStaged(staged: StagedOriginal, range: ByteRange): Promise<Buffer> {
    const answer = await client.send(new GetObjectCommand({ Bucket, Key: stagedKey(staged), Range: `bytes=${range.start}-${range.end}` }));
    return Buffer.concat((await (answer.Body as Readable).toArray()) as Buffer[]);
  }

  /** Downloads an object (a version of it) to a private temporary file, lends it, and removes it. */
  async function withDownload<T>(key: string, versionId: string | undefined, use: (file: string) => Promise<T>): Promise<T> {
    const name = `${randomUUID()}.part`;
    const file = path.join(options.tempDir, name);
    inUse.add(name);
    try {
      const answer = await client.send(new GetObjectCommand({ Bucket, Key: key, VersionId: versionId }));
      await pipeline(answer.Body as Readable, fs.createWriteStream(file, { flags: 'wx', mode: 0o600, highWaterMark: CHUNK }));
      await fsp.chmod(file, 0o400);
      return await use(file);
    } finally {
      await fsp.rm(file, { force: true });
      inUse.delete(name);
    }
  }

  async function discard(staged: StagedOriginal): Promise<void> {
    try {
      await deleteAllVersions(stagedKey(staged));
    } catch {
      // Left for sweepStaging: discard never throws.
    } finally {
      inUse.delete(staged.ref);
    }
  }

  // --- commit ------------------------------------------------------------------------------------------------
  async function copyObject(from: string, to: string, bytes: number): Promise<string | undefined> {
    const CopySource = `${encodeURIComponent(Bucket)}/${from.split('/').map(encodeURIComponent).join('/')}`;
    if (bytes <= SINGLE_COPY_LIMIT) {
      const answer = await client.send(new CopyObjectCommand({ Bucket, Key: to, CopySource }));
      return answer.VersionId;
    }
    // Past 5 GiB a copy is a multipart upload of ranged part copies.
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket, Key: to }));
    try {
      const Parts: CompletedPart[] = [];
      for (let start = 0, PartNumber = 1; start < bytes; start += COPY_PART_BYTES, PartNumber++) {
        const end = Math.min(bytes, start + COPY_PART_BYTES) - 1;
        const part = await client.send(new UploadPartCopyCommand({ Bucket, Key: to, UploadId, PartNumber, CopySource, CopySourceRange: `bytes=${start}-${end}` }));
        Parts.push({ PartNumber, ETag: part.CopyPartResult?.ETag });
      }
      const done = await client.send(new CompleteMultipartUploadCommand({ Bucket, Key: to, UploadId, MultipartUpload: { Parts } }));
      return done.VersionId;
    } catch (error) {
      await client.send(new AbortMultipartUploadCommand({ Bucket, Key: to, UploadId })).catch(() => undefined);
      throw error;
    }
  }

  /**
   * COMPLIANCE retention on one version. Set after the bytes are in place because Ceph 16 ignores the
   * lock headers of CreateMultipartUpload; a retention already longer is left as it is (it cannot be shortened).
   */
  async function lockVersion(key: string, versionId: string | undefined): Promise<void> {
    if (options.objectLockDays <= 0 || !(await bucketHasObjectLock())) return;
    const until = new Date(Date.now() + options.objectLockDays * DAY_MS);
    try {
      const current = await client.send(new GetObjectRetentionCommand({ Bucket, Key: key, VersionId: versionId }));
      const currentUntil = current.Retention?.RetainUntilDate;
      if (current.Retention?.Mode === 'COMPLIANCE' && currentUntil && currentUntil >= until) return;
    } catch (error) {
      if (!isNotFound(error) && errorName(error) !== 'NoSuchObjectLockConfiguration' && errorName(error) !== 'InvalidRequest') throw error;
    }
    try {
      await client.send(new PutObjectRetentionCommand({ Bucket, Key: key, VersionId: versionId, Retention: { Mode: 'COMPLIANCE', RetainUntilDate: until } }));
    } catch (error) {
      if (!isAccessDenied(error) && errorName(error) !== 'InvalidRequest') throw error;
      // Typically a default retention rule in GOVERNANCE mode set on the bucket since the start.
      throw new StorageUnavailableError(`the bucket ${Bucket} refused COMPLIANCE retention for ${key} (${errorName(error)}: ${(error as Error).message}); check its default retention rule`, { cause: error });
    }
  }

  async function commit(staged: StagedOriginal): Promise<boolean> {
    const from = stagedKey(staged);
    const to = originalKey(staged.sha256);
    // Whatever happens, the staged key is this commit's business no longer: discarded here, or a leftover to sweep.
    return inTurn(staged.sha256, async () => {
      const existing = await pinnedVersion(staged.sha256);
      if (existing) {
        // Identical bytes are already the original. Make sure it is locked (a crash may have come between
        // its copy and its retention), then drop the staged copy.
        await lockVersion(to, existing.versionId);
        await discard(staged);
        return false;
      }
      let versionId = versionParam(await copyObject(from, to, staged.bytes));
      try {
        if (!versionId) {
          // Ceph 16's CopyObject answers without x-amz-version-id. Reading or locking "the latest" would follow
          // whatever anyone with the bucket's keys puts on the key afterwards, so find the version this copy
          // wrote: the oldest one (the key had none before, checked above under inTurn).
          const written = await oldestVersion(staged.sha256);
          if (!written || written.bytes !== staged.bytes) throw new Error(`the copy of ${staged.sha256} is not the oldest version of ${to}`);
          versionId = written.versionId;
        }
        await lockVersion(to, versionId);
      } catch (error) {
        // Not an original until it is locked: take the copy back (and the staged one), so no unlocked,
        // unregistered original stays behind; whatever cannot go is left for sweepStaging and the scrub.
        await deleteAllVersions(to).catch(() => undefined);
        pinned.delete(staged.sha256);
        await discard(staged);
        throw error;
      }
      pinned.set(staged.sha256, { versionId, bytes: staged.bytes });
      await discard(staged);
      return true;
    }).finally(() => inUse.delete(staged.ref));
  }

  // --- reads ---------------------------------------------------------------------------------------------------
  async function open(sha256: string, range?: ByteRange): Promise<Readable> {
    const version = await pinnedVersion(sha256);
    if (!version) throw missing(sha256);
    try {
      const answer = await client.send(new GetObjectCommand({
        Bucket,
        Key: originalKey(sha256),
        VersionId: version.versionId,
        Range: range ? `bytes=${range.start}-${range.end}` : undefined,
      }));
      return answer.Body as Readable;
    } catch (error) {
      if (isNotFound(error)) {
        pinned.delete(sha256);
        throw missing(sha256);
      }
      throw error;
    }
  }

  async function withLocalCopy<T>(sha256: string, use: (file: string) => Promise<T>): Promise<T> {
    const version = await pinnedVersion(sha256);
    if (!version) throw missing(sha256);
    return withDownload(originalKey(sha256), version.versionId, use);
  }

  // --- the scrub's lock check ------------------------------------------------------------------------------------
  async function checkLock(sha256: string): Promise<OriginalLockCheck> {
    const key = originalKey(sha256);
    const version = await pinnedVersion(sha256);
    if (!version) return { state: 'missing', otherVersions: 0 };
    const versions = await versionsOf(key);
    const read = versions.find((v) => !v.isDeleteMarker && versionParam(v.versionId) === version.versionId);
    const otherVersions = versions.length - (read ? 1 : 0);
    if (options.objectLockDays <= 0 || !(await bucketHasObjectLock())) return { state: 'not_required', otherVersions };
    let retention: { Mode?: string; RetainUntilDate?: Date } | undefined;
    try {
      retention = (await client.send(new GetObjectRetentionCommand({ Bucket, Key: key, VersionId: version.versionId }))).Retention;
    } catch (error) {
      if (!isNotFound(error) && errorName(error) !== 'NoSuchObjectLockConfiguration' && errorName(error) !== 'InvalidRequest') throw error;
    }
    const until = retention?.RetainUntilDate;
    if (retention?.Mode === 'COMPLIANCE' && until) {
      return until.getTime() > Date.now() ? { state: 'locked', until, otherVersions } : { state: 'expired', until, otherVersions };
    }
    // No COMPLIANCE retention: a crash between the copy and the lock. It gets what its commit would have given it,
    // counted from when it was written, so a late lock does not keep it past its time.
    const due = new Date((read?.lastModified ?? new Date()).getTime() + options.objectLockDays * DAY_MS);
    if (due.getTime() <= Date.now()) return { state: 'expired', otherVersions, message: 'never locked; its lock period is over' };
    try {
      await client.send(new PutObjectRetentionCommand({ Bucket, Key: key, VersionId: version.versionId, Retention: { Mode: 'COMPLIANCE', RetainUntilDate: due } }));
      return { state: 'relocked', until: due, otherVersions, message: `had no COMPLIANCE retention${retention?.Mode ? ` (${retention.Mode})` : ''}; locked until ${due.toISOString()}` };
    } catch (error) {
      if (unavailableReason(error)) throw error;
      return { state: 'unlocked', otherVersions, message: `has no COMPLIANCE retention and the bucket refused it: ${errorName(error)}` };
    }
  }

  // --- removal -------------------------------------------------------------------------------------------------
  async function remove(sha256: string): Promise<void> {
    const key = originalKey(sha256);
    pinned.delete(sha256);
    for (const v of await versionsOf(key)) {
      try {
        await client.send(new DeleteObjectCommand({ Bucket, Key: key, VersionId: v.versionId }));
      } catch (error) {
        if (!isAccessDenied(error)) throw error;
        // Object Lock refuses: say until when, when the store tells.
        let until: Date | undefined;
        try {
          const retention = await client.send(new GetObjectRetentionCommand({ Bucket, Key: key, VersionId: v.versionId }));
          until = retention.Retention?.RetainUntilDate;
        } catch {
          until = undefined;
        }
        throw new OriginalLockedError(sha256, until);
      }
    }
  }

  /**
   * Every original by its oldest version, the one reads use: a key whose latest entry is a delete marker is still
   * listed, and a key someone wrote over shows the size the service reads, not the newcomer's.
   */
  async function* list(): AsyncIterable<StoredOriginal> {
    // Versions come sorted by key, newest first within a key, and a key's versions may span pages.
    let current: StoredOriginal | undefined;
    let KeyMarker: string | undefined;
    let VersionIdMarker: string | undefined;
    do {
      const page = await client.send(new ListObjectVersionsCommand({ Bucket, Prefix: ORIGINALS, KeyMarker, VersionIdMarker }));
      for (const version of page.Versions ?? []) {
        const sha256 = version.Key?.slice(ORIGINALS.length) ?? '';
        if (!/^[0-9a-f]{64}$/.test(sha256)) continue;
        if (current && current.sha256 !== sha256) yield current;
        // Each later entry of the same key is older: the last one seen is the oldest.
        current = { sha256, bytes: version.Size ?? 0, writtenAt: version.LastModified ?? new Date(0) };
      }
      KeyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      VersionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (KeyMarker);
    if (current) yield current;
  }

  // --- crash leftovers -------------------------------------------------------------------------------------------
  async function sweepStaging(): Promise<number> {
    // Called at start (and hourly by the scheduler): a missing bucket, refused keys or a missing Object Lock stop the service here, plainly.
    await bucketHasObjectLock();
    const cutoff = now() - staleAfterMs;
    let swept = 0;
    // Unfinished multipart uploads: their parts take space but no listing of objects shows them.
    let KeyMarker: string | undefined;
    let UploadIdMarker: string | undefined;
    do {
      const page = await client.send(new ListMultipartUploadsCommand({ Bucket, Prefix: STAGING, KeyMarker, UploadIdMarker }));
      for (const upload of page.Uploads ?? []) {
        if (!upload.Key || !upload.UploadId || inUse.has(upload.Key) || (upload.Initiated?.getTime() ?? 0) > cutoff) continue;
        await client.send(new AbortMultipartUploadCommand({ Bucket, Key: upload.Key, UploadId: upload.UploadId })).catch(() => undefined);
        swept++;
      }
      KeyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      UploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
    } while (KeyMarker);
    // Staged objects never committed or discarded, every version of them.
    const stale = new Set<string>();
    let VersionKeyMarker: string | undefined;
    let VersionIdMarker: string | undefined;
    do {
      const page = await client.send(new ListObjectVersionsCommand({ Bucket, Prefix: STAGING, KeyMarker: VersionKeyMarker, VersionIdMarker }));
      for (const v of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) {
        if (v.Key && !inUse.has(v.Key) && (v.LastModified?.getTime() ?? 0) <= cutoff) stale.add(v.Key);
      }
      VersionKeyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      VersionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (VersionKeyMarker);
    for (const key of stale) {
      // A bucket default retention rule may have locked a staged object too; it goes once that ends.
      if (await deleteAllVersions(key).catch(() => 0)) swept++;
    }
    // Borrowed local copies a crash left behind.
    for (const name of await fsp.readdir(options.tempDir).catch(() => [] as string[])) {
      if (inUse.has(name)) continue;
      const file = path.join(options.tempDir, name);
      const stat = await fsp.stat(file).catch(() => undefined);
      if (stat && stat.mtimeMs <= cutoff) {
        await fsp.rm(file, { force: true, recursive: true });
        swept++;
      }
    }
    return swept;
  }

  async function* guardedList(): AsyncIterable<StoredOriginal> {
    try {
      yield* list();
    } catch (error) {
      throw asUnavailable(error);
    }
  }

  return {
    kind: 's3',
    stage: guarded(stage),
    stageFile: guarded(stageFile),
    withStagedFile: guarded((staged: StagedOriginal, use: (file: string) => Promise<unknown>) => withDownload(stagedKey(staged), undefined, use)) as OriginalsStore['withStagedFile'],
    withStagedLocation: guarded(withStagedLocation) as OriginalsStore['withStagedLocation'],
    readStaged: guarded(readStaged),
    commit: guarded(commit),
    discard,
    has: guarded(async (sha256: string) => (await pinnedVersion(sha256)) !== undefined),
    open: guarded(open),
    withLocalCopy: guarded(withLocalCopy) as OriginalsStore['withLocalCopy'],
    remove: guarded(remove),
    checkLock: guarded(checkLock),
    list: guardedList,
    freeBytes: () => options.localRoom.freeBytes(),
    roomLeft: () => options.localRoom.roomLeft(),
    sweepStaging,
    checkBucket: async () => ({ objectLock: await bucketHasObjectLock() }),
  };
}
