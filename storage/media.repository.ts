// SQL for media: the original files of captures and the facts learned from them.
import type { Db } from './database';
import type { MediaType } from '../server/domain/vocabulary';

export type ProcessingStatus = 'pending' | 'ready' | 'failed';

export interface MediaRow {
  id: string;
  capture_id: string;
  type: MediaType;
  mime: string;
  bytes: number;
  sha256: string;
  /** CRC-32 of the original, for ZIP headers; null for rows stored before it was recorded. */
  crc32: number | null;
  received_at: string;
  captured_at: string | null;
  captured_at_source: 'client' | 'exif' | null;
  original_name: string | null;
  caption: string | null;
  /** JSON array of claimPhotoKinds codes: which of the photos couriers ask for this one shows (migration 016). */
  tags: string;
  uploaded_by_user: string | null;
  uploaded_by_device: string | null;
  width: number | null;
  height: number | null;
  duration_ms: number | null;
  codec: string | null;
  /** JSON text. */
  exif: string | null;
  processing_status: ProcessingStatus;
  processing_error: string | null;
  /** Videos only: the MP4 copy that every browser plays. */
  playback_status: ProcessingStatus | null;
  playback_error: string | null;
  /** Set when retention removed the original (migration 021): the row stays and answers 410. */
  removed_at: string | null;
  removal_reason: 'retention' | null;
}

export type NewMediaRow = Omit<
  MediaRow,
  | 'width' | 'height' | 'duration_ms' | 'codec' | 'exif' | 'processing_status' | 'processing_error' | 'playback_status' | 'playback_error'
  | 'removed_at' | 'removal_reason'
>;

export interface ProcessingResult {
  width: number | null;
  height: number | null;
  duration_ms: number | null;
  codec: string | null;
  exif: string | null;
  captured_at: string | null;
  captured_at_source: MediaRow['captured_at_source'];
  processing_status: ProcessingStatus;
  processing_error: string | null;
}

export function createMediaRepository(db: Db) {
  const statements = {
    insert: db.prepare(
      `INSERT INTO media (id, capture_id, type, mime, bytes, sha256, crc32, received_at, captured_at, captured_at_source,
                          original_name, caption, tags, uploaded_by_user, uploaded_by_device, playback_status)
       VALUES (@id, @capture_id, @type, @mime, @bytes, @sha256, @crc32, @received_at, @captured_at, @captured_at_source,
               @original_name, @caption, @tags, @uploaded_by_user, @uploaded_by_device,
               CASE WHEN @type = 'video' THEN 'pending' END)`,
    ),
    getById: db.prepare('SELECT * FROM media WHERE id = ?'),
    getByCaptureAndHash: db.prepare('SELECT * FROM media WHERE capture_id = ? AND sha256 = ?'),
    hasSha256: db.prepare('SELECT 1 FROM media WHERE sha256 = ? LIMIT 1').pluck(),
    listByCapture: db.prepare('SELECT * FROM media WHERE capture_id = ? ORDER BY received_at, rowid'),
    listPendingIds: db.prepare("SELECT id FROM media WHERE processing_status = 'pending' ORDER BY rowid").pluck(),
    listPlaybackPendingIds: db.prepare(
      "SELECT id FROM media WHERE playback_status = 'pending' AND processing_status <> 'pending' ORDER BY rowid",
    ).pluck(),
    saveTags: db.prepare('UPDATE media SET tags = @tags WHERE id = @id'),
    savePlayback: db.prepare('UPDATE media SET playback_status = @status, playback_error = @error WHERE id = @id'),
    saveProcessing: db.prepare(
      `UPDATE media SET width = @width, height = @height, duration_ms = @duration_ms, codec = @codec, exif = @exif,
              captured_at = @captured_at, captured_at_source = @captured_at_source,
              processing_status = @processing_status, processing_error = @processing_error
       WHERE id = @id`,
    ),
  };

  return {
    insert: (row: NewMediaRow) => statements.insert.run(row),
    getById: (id: string) => statements.getById.get(id) as MediaRow | undefined,
    /** Whether any media item's original is these bytes (one file can back several items). */
    hasSha256: (sha256: string) => statements.hasSha256.get(sha256) !== undefined,
    getByCaptureAndHash: (captureId: string, sha256: string) =>
      statements.getByCaptureAndHash.get(captureId, sha256) as MediaRow | undefined,
    listByCapture: (captureId: string) => statements.listByCapture.all(captureId) as MediaRow[],
    listPendingIds: () => statements.listPendingIds.all() as string[],
    listPlaybackPendingIds: () => statements.listPlaybackPendingIds.all() as string[],
    saveTags: (id: string, tags: string) => statements.saveTags.run({ id, tags }),
    savePlayback: (id: string, status: ProcessingStatus, error: string | null = null) => statements.savePlayback.run({ id, status, error }),
    saveProcessing: (id: string, result: ProcessingResult) => statements.saveProcessing.run({ ...result, id }),
  };
}

export type MediaRepository = ReturnType<typeof createMediaRepository>;
