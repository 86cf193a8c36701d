// The JSON shape of one media item, shared by every reply that shows media.
import type { MediaRow } from '../../storage/media.repository';
import type { ClaimPhotoKind } from '../domain/vocabulary';
import { readStoredTags } from './media-tags';
import { removalOf, type Removal } from './removed-media';

/**
 * HEIC/HEIF: iPhone photos are HEVC-coded, and the image library bundled with the server has no HEVC
 * decoder (storage/images.ts writeThumbnail), so no thumbnail or page picture of one can be made; people
 * are told so in words and pointed at the original.
 */
export const isHeif = (mime: string) => mime === 'image/heic' || mime === 'image/heif';

/** A photo no preview will be made of: HEIC (never decodable here), or one whose processing failed. */
export const photoWithoutPreview = (media: { type: string; mime: string; processingStatus: MediaView['processingStatus'] }) =>
  media.type === 'photo' && (media.mime === 'image/heic' || media.processingStatus === 'failed');

export interface MediaView {
  id: string;
  captureId: string;
  type: MediaRow['type'];
  mime: string;
  bytes: number;
  sha256: string;
  receivedAt: string;
  capturedAt?: string;
  capturedAtSource?: 'client' | 'exif';
  caption?: string;
  /** Which of the photos couriers ask for this one shows (media-tags.ts); always present, often empty. */
  tags: ClaimPhotoKind[];
  originalName?: string;
  width?: number;
  height?: number;
  durationMs?: number;
  codec?: string;
  camera?: { make?: string; model?: string };
  location?: { latitude: number; longitude: number; altitude?: number };
  processingStatus: MediaRow['processing_status'];
  processingError?: string;
  /** Videos: whether the MP4 copy every browser plays is ready. */
  playbackStatus?: NonNullable<MediaRow['playback_status']>;
  /** Retention removed the original (its row, ledger entry and custody stay). */
  removed?: Removal;
}

export function toMediaView(row: MediaRow): MediaView {
  const exif = row.exif ? (JSON.parse(row.exif) as { make?: string; model?: string; gps?: MediaView['location'] }) : undefined;
  const view: MediaView = {
    id: row.id,
    captureId: row.capture_id,
    type: row.type,
    mime: row.mime,
    bytes: row.bytes,
    sha256: row.sha256,
    receivedAt: row.received_at,
    tags: readStoredTags(row.tags),
    processingStatus: row.processing_status,
  };
  if (row.captured_at) view.capturedAt = row.captured_at;
  if (row.captured_at_source) view.capturedAtSource = row.captured_at_source;
  if (row.caption) view.caption = row.caption;
  if (row.original_name) view.originalName = row.original_name;
  if (row.width !== null) view.width = row.width;
  if (row.height !== null) view.height = row.height;
  if (row.duration_ms !== null) view.durationMs = row.duration_ms;
  if (row.codec) view.codec = row.codec;
  if (exif?.make || exif?.model) view.camera = { make: exif.make, model: exif.model };
  if (exif?.gps) view.location = exif.gps;
  if (row.processing_error) view.processingError = row.processing_error;
  if (row.playback_status) view.playbackStatus = row.playback_status;
  const removed = removalOf(row);
  if (removed) view.removed = removed;
  return view;
}
