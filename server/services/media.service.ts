// Media ingest and reads: stream → hash → fsync → content-addressed original → row, in that order,
// so a 201 always means the bytes are durably on disk and registered, and nothing else ever is.
import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { BlobTooLargeError, isStorageFull, type ByteRange, type DerivedStore, type Digest, type LimitFor, type OriginalsStore, type StagedOriginal } from '../../storage/blobs/blob-store';
import type { Db } from '../../storage/database';
import { PDF_TAIL_BYTES, UnreadableDocumentError, verifyPdfEnds } from '../../storage/documents';
import { asSoundOnly, sniffMediaType, type SniffedType } from '../../storage/file-types';
import { ImageTooLargeError, UnreadableImageError, verifyImageReadable } from '../../storage/images';
import { UnreadableMediaError, verifyMediaReadable } from '../../storage/video';
import type { MediaRepository, MediaRow } from '../../storage/media.repository';
import type { Config } from '../config';
import { fail } from '../errors';
import type { Principal } from './auth.service';
import type { CapturesService } from './captures.service';
import type { IdempotencyClaim } from './idempotency.service';
import type { AuditService, EvidenceRead } from './audit.service';
import type { LedgerService } from './ledger/ledger.service';
import { toMediaView, type MediaView } from './media-view';
import { normalizeTags, readStoredTags, tagsFor } from './media-tags';
import type { ClaimPhotoKind } from '../domain/vocabulary';

export interface UploadMeta {
  capturedAt?: string;
  caption?: string;
  /** Courier photo tags (media-tags.ts), already checked; kept on photos only. */
  tags?: ClaimPhotoKind[];
  filename?: string;
}

export interface StagedUpload {
  blob: StagedOriginal;
  sniffed: SniffedType;
  receivedAt: string;
  capturedAt?: string;
  caption?: string;
  tags: ClaimPhotoKind[];
  originalName?: string;
}

/** At most this many files in one multipart request. */
export const MAX_FILES_PER_FORM = 20;
/** Room a form needs beyond its files: part headers and the capturedAt/caption fields. */
const FORM_OVERHEAD_BYTES = 1024 * 1024;

/** What the phone shows when it keeps a file that cannot be read (tools' messages would name server paths). */
const unreadableReasons: Record<SniffedType['type'], string> = {
  photo: 'its header is damaged or its pixels end early',
  video: 'no picture or sound can be played from it',
  audio: 'no sound can be played from it',
  document: 'the PDF is incomplete',
};

function unreadable(type: SniffedType['type']): never {
  fail('UNPROCESSABLE_MEDIA', `This ${type} cannot be read: ${unreadableReasons[type]}. Nothing was saved; keep the file and send it again whole.`);
}

/**
 * Runs `work` holding every key; another caller holding any of the same keys waits its turn. Places in
 * every key's queue are taken at once (synchronously), so two callers never wait on each other.
 */
function createKeyedLock() {
  const tails = new Map<string, Promise<void>>();
  return async function withKeys<T>(keys: string[], work: () => Promise<T>): Promise<T> {
    const unique = [...new Set(keys)];
    const before = unique.map((key) => tails.get(key));
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    for (const key of unique) tails.set(key, done);
    try {
      await Promise.all(before);
      return await work();
    } finally {
      release();
      for (const key of unique) if (tails.get(key) === done) tails.delete(key);
    }
  };
}

/** A name kept only as a label: never a path, never on the filesystem. */
function labelFromFilename(filename: string | undefined): string | undefined {
  const base = filename?.split(/[\\/]/).pop()?.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return base ? base.slice(0, 255) : undefined;
}

interface MediaDeps {
  db: Db;
  originals: OriginalsStore;
  derived: Pick<DerivedStore, 'stat' | 'open'>;
  media: MediaRepository;
  captures: Pick<CapturesService, 'requireOpen' | 'requireOpenFor' | 'requireRow' | 'requireLabellableFor'>;
  ledger: Pick<LedgerService, 'append'>;
  audit: Pick<AuditService, 'record' | 'recordEvidenceRead'>;
  processor: { enqueue(mediaId: string): void; ensureProcessed(mediaId: string): Promise<void> };
  config: Pick<Config, 'maxBytes' | 'maxImagePixels'>;
  clock: () => Date;
  /** Bytes unfinished resumable uploads have declared but not sent yet: room kept for them. */
  reservedBytes?: () => Promise<number>;
}

export function createMediaService({ db, originals, derived, media, captures, ledger, audit, processor, config, clock, reservedBytes = async () => 0 }: MediaDeps) {
  async function limitFor(head: Buffer, found: { type?: SniffedType }): Promise<number> {
    const sniffed = await sniffMediaType(head);
    if (!sniffed) {
      fail('UNSUPPORTED_MEDIA_TYPE', 'Only photos (JPEG, PNG, WebP, HEIC), videos (MP4, MOV, WebM), audio (M4A, MP3, OGG, WAV) and PDF documents are accepted; the type is read from the file itself, not its name.');
    }
    found.type = sniffed;
    return config.maxBytes[sniffed.type];
  }

  /**
   * Refuses, before it is registered, a file that nothing could ever read (valid magic bytes, then
   * nothing: a 4-byte "%PDF", a 16-byte MP4, a 64-byte PNG), which would otherwise fail processing
   * for ever. A recording cut short but playable up to a point is evidence and passes. Answers what the
   * file is: a "video" with no picture is a sound recording (see asSoundOnly).
   */
  async function checkReadable(blob: StagedOriginal, sniffed: SniffedType): Promise<SniffedType> {
    try {
      // None of them reads the whole file where it can help it: a photo is read by path (the staging
      // file, or a download of a few megabytes from S3); a recording is probed where it lies (ffprobe
      // fetches the ranges it needs from S3); a PDF is its head, which the digest holds, and its tail.
      if (sniffed.type === 'photo') {
        await originals.withStagedFile(blob, (file) => verifyImageReadable(file, { maxPixels: config.maxImagePixels }));
      } else if (sniffed.type === 'video' || sniffed.type === 'audio') {
        const { hasPicture } = await originals.withStagedLocation(blob, verifyMediaReadable);
        if (sniffed.type === 'video' && !hasPicture) {
          if (blob.bytes > config.maxBytes.audio) fail('PAYLOAD_TOO_LARGE', `This audio is larger than the ${config.maxBytes.audio}-byte limit.`);
          return asSoundOnly(sniffed);
        }
      } else if (sniffed.mime === 'application/pdf') {
        const tail = blob.bytes === 0 ? Buffer.alloc(0) : await originals.readStaged(blob, { start: Math.max(0, blob.bytes - PDF_TAIL_BYTES), end: blob.bytes - 1 });
        verifyPdfEnds(blob.head, tail);
      }
      return sniffed;
    } catch (error) {
      if (error instanceof ImageTooLargeError) fail('IMAGE_TOO_LARGE', `The image has more than ${config.maxImagePixels} pixels.`);
      if (error instanceof UnreadableImageError || error instanceof UnreadableMediaError || error instanceof UnreadableDocumentError) {
        unreadable(sniffed.type);
      }
      throw error;
    }
  }

  async function receive(meta: UploadMeta, put: (limitFor: LimitFor) => Promise<StagedOriginal>): Promise<StagedUpload> {
    const found: { type?: SniffedType } = {};
    let blob: StagedOriginal;
    try {
      blob = await put((head) => limitFor(head, found));
    } catch (error) {
      if (error instanceof BlobTooLargeError) {
        fail('PAYLOAD_TOO_LARGE', `This ${found.type?.type ?? 'file'} is larger than the ${error.limit}-byte limit.`);
      }
      if (isStorageFull(error)) fail('INSUFFICIENT_STORAGE');
      throw error;
    }
    const receivedAt = clock().toISOString();
    let sniffed: SniffedType;
    try {
      sniffed = await checkReadable(blob, found.type!);
    } catch (error) {
      await originals.discard(blob);
      throw error;
    }
    return {
      blob,
      sniffed,
      receivedAt,
      capturedAt: meta.capturedAt,
      caption: meta.caption,
      tags: tagsFor(sniffed.type, meta.tags),
      originalName: labelFromFilename(meta.filename),
    };
  }

  function getRow(id: string): MediaRow {
    return media.getById(id) ?? fail('NOT_FOUND', 'No such media.');
  }

  function recordAccess(principal: Principal, row: MediaRow, read: EvidenceRead): void {
    audit.recordEvidenceRead({ actorType: principal.kind, actorId: principal.id, mediaId: row.id, read });
  }

  /** The rows, ledger entries and custody events of placed originals, with the idempotent answer: one transaction. */
  function insertRows(captureId: string, uploads: StagedUpload[], principal: Pick<Principal, 'kind' | 'id'>, claim: IdempotencyClaim): MediaView[] {
    const rows = db.transaction(() => {
      const capture = captures.requireOpen(captureId);
      const registered = uploads.map((upload): MediaRow => {
        // The same bytes sent twice to one capture are one media item.
        const existing = media.getByCaptureAndHash(captureId, upload.blob.sha256);
        if (existing) return existing;
        const row = {
          id: randomUUID(),
          capture_id: captureId,
          type: upload.sniffed.type,
          mime: upload.sniffed.mime,
          bytes: upload.blob.bytes,
          sha256: upload.blob.sha256,
          // Summed by the export that needs it (blob-store.ts, Digest); rows from before keep theirs.
          crc32: null,
          received_at: upload.receivedAt,
          captured_at: upload.capturedAt ?? null,
          captured_at_source: upload.capturedAt ? ('client' as const) : null,
          original_name: upload.originalName ?? null,
          caption: upload.caption ?? null,
          tags: JSON.stringify(upload.tags),
          uploaded_by_user: principal.kind === 'user' ? principal.id : null,
          uploaded_by_device: principal.kind === 'device' ? principal.id : null,
        };
        media.insert(row);
        ledger.append({
          mediaId: row.id,
          sha256: row.sha256,
          bytes: row.bytes,
          mime: row.mime,
          receivedAt: row.received_at,
          captureId,
          orderId: capture.order_external_id,
          kind: capture.kind,
        });
        audit.record({
          actorType: principal.kind,
          actorId: principal.id,
          action: 'upload',
          subjectType: 'media',
          subjectId: row.id,
          detail: { captureId, sha256: row.sha256, bytes: row.bytes },
        });
        return media.getById(row.id)!;
      });
      const views = registered.map(toMediaView);
      claim.complete({ status: 201, body: { media: views } });
      return registered;
    })();
    for (const row of rows) if (row.processing_status === 'pending') processor.enqueue(row.id);
    return rows.map(toMediaView);
  }

  const largestFile = Math.max(...Object.values(config.maxBytes));
  /** One upload into originals at a time per content hash: see register. */
  const withOriginals = createKeyedLock();

  /** Takes back originals a refused registration placed, unless a media row points at them after all. */
  async function removeUnreferenced(placed: string[]): Promise<void> {
    for (const sha256 of placed) if (!media.hasSha256(sha256)) await originals.remove(sha256);
  }

  /** Refuses with 507 unless `bytes` more fit on the disk above its floor. */
  async function ensureDiskRoomFor(bytes: number): Promise<void> {
    if ((await originals.roomLeft()) < bytes) fail('INSUFFICIENT_STORAGE');
  }

  return {
    /** The largest multipart body that could be valid: every file at the largest limit. */
    maxFormBytes: MAX_FILES_PER_FORM * largestFile + FORM_OVERHEAD_BYTES,
    /** The largest file of any kind; each kind's own limit is applied from its first bytes. */
    largestFile,

    /**
     * Refuses early, before a byte is written. A declared size beyond anything acceptable (`atMost`)
     * is the client's mistake or lie (413); a plausible one the disk could not hold beside what the
     * unfinished resumable uploads still have to send is 507.
     */
    async ensureRoomFor(declaredBytes: number, atMost = Infinity): Promise<void> {
      if (declaredBytes > atMost) fail('PAYLOAD_TOO_LARGE', `The request declares ${declaredBytes} bytes; at most ${atMost} are accepted.`);
      await ensureDiskRoomFor(declaredBytes + (await reservedBytes()));
    },

    /** As ensureRoomFor, for a caller that has counted the resumable uploads' reservations itself. */
    ensureDiskRoomFor,

    /** Refuses unless the capture is open and `principal` may add to it. */
    requireUploadableCapture: (captureId: string, principal: Principal) => captures.requireOpenFor(captureId, principal),

    /** Receives one streamed file into staging; the caller must register or discard what it returns. */
    stage: (source: Readable, meta: UploadMeta) => receive(meta, (limitFor) => originals.stage(source, limitFor)),

    /**
     * Takes over a finished resumable upload's file; the same checks as a streamed one. With `digest`
     * (hashed while the bytes arrived) the file is not read again to hash it.
     */
    stageFile: (file: string, meta: UploadMeta, digest?: Digest) => receive(meta, (limitFor) => originals.stageFile(file, limitFor, digest)),

    /**
     * Reads a file only to learn its SHA-256, writing nothing: enough to tell a retry from a different
     * request under the same Idempotency-Key.
     */
    async hashOnly(source: Readable): Promise<string> {
      const hash = createHash('sha256');
      for await (const chunk of source as AsyncIterable<Buffer>) hash.update(chunk);
      return hash.digest('hex');
    },

    async discard(uploads: StagedUpload[]): Promise<void> {
      await Promise.all(uploads.map((upload) => originals.discard(upload.blob)));
    },

    /**
     * Makes staged files media of the capture, all or none. The capture must still be open when the
     * originals are placed (it may have been finished while the body streamed in); originals go in
     * before their rows, so a 201 means the bytes are durable. Should the transaction still refuse
     * (finished in the moment between), the originals this call placed and no row references are
     * taken back, as they are when the disk proves too full for the rows. Same-content registrations
     * queue behind each other, so none can count on a file another is about to take back.
     */
    register(captureId: string, uploads: StagedUpload[], principal: Pick<Principal, 'kind' | 'id'>, claim: IdempotencyClaim): Promise<MediaView[]> {
      return withOriginals(uploads.map((upload) => upload.blob.sha256), async () => {
        captures.requireOpen(captureId);
        const placed: string[] = [];
        try {
          for (const upload of uploads) if (await originals.commit(upload.blob)) placed.push(upload.blob.sha256);
          return insertRows(captureId, uploads, principal, claim);
        } catch (error) {
          await removeUnreferenced(placed);
          // Not even the database's reserve was left: nothing was registered, and the client may try again later.
          if (isStorageFull(error)) fail('INSUFFICIENT_STORAGE');
          throw error;
        }
      });
    },

    getRow,

    /** Runs `work` while no registration of the same bytes runs: retention deletes originals under it. */
    exclusiveOriginals: withOriginals,

    /** The viewer's look is recorded: every access to evidence is part of its chain of custody. */
    get(id: string, viewer: Principal): MediaView {
      const row = getRow(id);
      recordAccess(viewer, row, 'metadata');
      return toMediaView(row);
    },

    recordAccess,

    /**
     * Replaces a photo's courier tags. Whoever may change its capture may (the packer who took it, or
     * the shop's staff), also once the capture is finished: tags label the evidence, they change none
     * of it. The change is a custody event, so a tag added on the eve of a claim shows as such.
     */
    setTags(id: string, codes: readonly string[], principal: Principal): MediaView {
      const tags = normalizeTags(codes);
      return db.transaction(() => {
        const row = getRow(id);
        captures.requireLabellableFor(row.capture_id, principal);
        if (row.type !== 'photo' && tags.length > 0) {
          fail('VALIDATION_FAILED', `Only photos carry courier photo tags; this is a ${row.type}.`);
        }
        const before = readStoredTags(row.tags);
        if (before.join() !== tags.join()) {
          media.saveTags(id, JSON.stringify(tags));
          audit.record({ actorType: principal.kind, actorId: principal.id, action: 'tag', subjectType: 'media', subjectId: id, detail: { captureId: row.capture_id, before, tags } });
        }
        return toMediaView(getRow(id));
      })();
    },

    openOriginal: (row: MediaRow, range?: ByteRange) => originals.open(row.sha256, range),

    /** The video's playback copy, for a player: absent until made (the original plays meanwhile). */
    async playback(row: MediaRow) {
      if (row.type !== 'video') fail('NOT_FOUND', `A ${row.type} file has no playback copy.`);
      const notReady = () =>
        fail('NOT_FOUND', row.playback_status === 'failed' ? `No playback copy could be made: ${row.playback_error}` : 'The playback copy is not ready yet; play the original meanwhile.');
      const stat = row.playback_status === 'ready' ? await derived.stat(row.id, 'playback.mp4') : undefined;
      if (!stat) notReady();
      const { bytes, modifiedAt } = stat!;
      return {
        file: { etag: `"playback-${row.sha256}-${bytes}-${modifiedAt.getTime()}"`, bytes, mime: 'video/mp4', filename: `${row.id}-playback.mp4` },
        open: async (range?: ByteRange) => (await derived.open(row.id, 'playback.mp4', range)) ?? notReady(),
      };
    },

    /** The upright thumbnail (a poster for videos), made now if it is still queued. */
    async thumbnail(row: MediaRow): Promise<Readable> {
      if (row.type !== 'photo' && row.type !== 'video') fail('NOT_FOUND', `A ${row.type} file has no thumbnail.`);
      if (row.processing_status === 'pending') await processor.ensureProcessed(row.id);
      const current = getRow(row.id);
      const image = current.processing_status === 'ready' ? await derived.open(row.id, 'thumbnail.jpg') : undefined;
      if (!image) {
        fail('UNPROCESSABLE_MEDIA', `No thumbnail could be made: ${current.processing_error ?? 'processing is not finished'}. The original is kept unchanged.`);
      }
      return image;
    },
  };
}

export type MediaService = ReturnType<typeof createMediaService>;
