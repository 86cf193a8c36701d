// Media ingest and reads: stream → hash → fsync → content-addressed original → row, in that order,
// so a 201 always means the bytes are durably on disk and registered, and nothing else ever is.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { BlobTooLargeError, StorageFullError, type BlobStore, type StagedBlob } from '../../storage/blobs/blob-store';
import type { Db } from '../../storage/database';
import { sniffMediaType, type SniffedType } from '../../storage/file-types';
import { ImageTooLargeError, readImageInfo } from '../../storage/images';
import type { MediaRepository, MediaRow } from '../../storage/media.repository';
import type { Config } from '../config';
import { fail } from '../errors';
import type { Principal } from './auth.service';
import type { CapturesService } from './captures.service';
import type { IdempotencyClaim } from './idempotency.service';
import type { AuditService, EvidenceRead } from './audit.service';
import type { LedgerService } from './ledger/ledger.service';
import { toMediaView, type MediaView } from './media-view';

export interface UploadMeta {
  capturedAt?: string;
  caption?: string;
  filename?: string;
}

export interface StagedUpload {
  blob: StagedBlob;
  sniffed: SniffedType;
  receivedAt: string;
  capturedAt?: string;
  caption?: string;
  originalName?: string;
}

/** Formats whose headers sharp reads without decoding, so the pixel bound can be checked before accepting. */
const pixelCheckedMimes = new Set(['image/jpeg', 'image/png', 'image/webp']);

/** A name kept only as a label: never a path, never on the filesystem. */
function labelFromFilename(filename: string | undefined): string | undefined {
  const base = filename?.split(/[\\/]/).pop()?.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return base ? base.slice(0, 255) : undefined;
}

interface MediaDeps {
  db: Db;
  blobs: BlobStore;
  media: MediaRepository;
  captures: Pick<CapturesService, 'requireOpen' | 'requireRow'>;
  ledger: Pick<LedgerService, 'append'>;
  audit: Pick<AuditService, 'record' | 'recordEvidenceRead'>;
  processor: { enqueue(mediaId: string): void; ensureProcessed(mediaId: string): Promise<void> };
  config: Pick<Config, 'maxBytes' | 'maxImagePixels' | 'minFreeDiskBytes'>;
  clock: () => Date;
}

export function createMediaService({ db, blobs, media, captures, ledger, audit, processor, config, clock }: MediaDeps) {
  async function limitFor(head: Buffer, found: { type?: SniffedType }): Promise<number> {
    const sniffed = await sniffMediaType(head);
    if (!sniffed) {
      fail('UNSUPPORTED_MEDIA_TYPE', 'Only photos (JPEG, PNG, WebP, HEIC), videos (MP4, MOV, WebM), audio (M4A, MP3, OGG, WAV) and PDF documents are accepted; the type is read from the file itself, not its name.');
    }
    found.type = sniffed;
    return config.maxBytes[sniffed.type];
  }

  async function checkPixels(blob: StagedBlob, sniffed: SniffedType): Promise<void> {
    if (!pixelCheckedMimes.has(sniffed.mime)) return;
    try {
      await readImageInfo(blob.path, { maxPixels: config.maxImagePixels });
    } catch (error) {
      if (error instanceof ImageTooLargeError) {
        fail('IMAGE_TOO_LARGE', `The image has more than ${config.maxImagePixels} pixels.`);
      }
      fail('UNPROCESSABLE_MEDIA', 'The file starts like an image but its header cannot be read.');
    }
  }

  async function receive(meta: UploadMeta, put: (limitFor: (head: Buffer) => Promise<number>) => Promise<StagedBlob>): Promise<StagedUpload> {
    const found: { type?: SniffedType } = {};
    let blob: StagedBlob;
    try {
      blob = await put((head) => limitFor(head, found));
    } catch (error) {
      if (error instanceof BlobTooLargeError) {
        fail('PAYLOAD_TOO_LARGE', `This ${found.type?.type ?? 'file'} is larger than the ${error.limit}-byte limit.`);
      }
      if (error instanceof StorageFullError) fail('INSUFFICIENT_STORAGE');
      throw error;
    }
    const receivedAt = clock().toISOString();
    try {
      await checkPixels(blob, found.type!);
    } catch (error) {
      await blobs.discard(blob);
      throw error;
    }
    return {
      blob,
      sniffed: found.type!,
      receivedAt,
      capturedAt: meta.capturedAt,
      caption: meta.caption,
      originalName: labelFromFilename(meta.filename),
    };
  }

  function getRow(id: string): MediaRow {
    return media.getById(id) ?? fail('NOT_FOUND', 'No such media.');
  }

  function recordAccess(principal: Principal, row: MediaRow, read: EvidenceRead): void {
    audit.recordEvidenceRead({ actorType: principal.kind, actorId: principal.id, mediaId: row.id, read });
  }

  return {
    /** Refuses early when the disk could not hold the upload, before a byte is written. */
    async ensureRoomFor(declaredBytes: number): Promise<void> {
      if ((await blobs.freeBytes()) - declaredBytes < config.minFreeDiskBytes) fail('INSUFFICIENT_STORAGE');
    },

    requireUploadableCapture: (captureId: string) => captures.requireOpen(captureId),

    /** Receives one streamed file into staging; the caller must register or discard what it returns. */
    stage: (source: Readable, meta: UploadMeta) => receive(meta, (limitFor) => blobs.stage(source, limitFor)),

    /** Takes over a finished resumable upload's file; the same checks as a streamed one. */
    adopt: (file: string, meta: UploadMeta) => receive(meta, (limitFor) => blobs.adopt(file, limitFor)),

    async discard(uploads: StagedUpload[]): Promise<void> {
      await Promise.all(uploads.map((upload) => blobs.discard(upload.blob)));
    },

    /**
     * Makes staged files media of the capture, all or none. Originals are moved into place first;
     * should the transaction then fail, they stay as unreferenced content that no row points to.
     */
    async register(captureId: string, uploads: StagedUpload[], principal: Pick<Principal, 'kind' | 'id'>, claim: IdempotencyClaim): Promise<MediaView[]> {
      for (const upload of uploads) await blobs.commit(upload.blob);
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
            crc32: upload.blob.crc32,
            received_at: upload.receivedAt,
            captured_at: upload.capturedAt ?? null,
            captured_at_source: upload.capturedAt ? ('client' as const) : null,
            original_name: upload.originalName ?? null,
            caption: upload.caption ?? null,
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
    },

    getRow,

    /** The viewer's look is recorded: every access to evidence is part of its chain of custody. */
    get(id: string, viewer: Principal): MediaView {
      const row = getRow(id);
      recordAccess(viewer, row, 'metadata');
      return toMediaView(row);
    },

    recordAccess,

    openOriginal: (row: MediaRow, range?: { start: number; end: number }) => blobs.openOriginal(row.sha256, range),

    /** The video's playback copy, for a player: absent until made (the original plays meanwhile). */
    async playback(row: MediaRow) {
      if (row.type !== 'video') fail('NOT_FOUND', `A ${row.type} file has no playback copy.`);
      const file = blobs.derivedPath(row.id, 'playback.mp4');
      if (row.playback_status !== 'ready' || !fs.existsSync(file)) {
        fail('NOT_FOUND', row.playback_status === 'failed' ? `No playback copy could be made: ${row.playback_error}` : 'The playback copy is not ready yet; play the original meanwhile.');
      }
      const { size, mtimeMs } = fs.statSync(file);
      return {
        file: { etag: `"playback-${row.sha256}-${size}-${Math.floor(mtimeMs)}"`, bytes: size, mime: 'video/mp4', filename: `${row.id}-playback.mp4` },
        open: (range?: { start: number; end: number }) => fs.createReadStream(file, range ?? {}),
      };
    },

    /** The upright thumbnail (a poster for videos), made now if it is still queued. */
    async thumbnail(row: MediaRow): Promise<string> {
      if (row.type !== 'photo' && row.type !== 'video') fail('NOT_FOUND', `A ${row.type} file has no thumbnail.`);
      if (row.processing_status === 'pending') await processor.ensureProcessed(row.id);
      const current = getRow(row.id);
      const file = blobs.derivedPath(row.id, 'thumbnail.jpg');
      if (current.processing_status !== 'ready' || !fs.existsSync(file)) {
        fail('UNPROCESSABLE_MEDIA', `No thumbnail could be made: ${current.processing_error ?? 'processing is not finished'}. The original is kept unchanged.`);
      }
      return file;
    },
  };
}

export type MediaService = ReturnType<typeof createMediaService>;
