// Learns what it can from each original off the request path, a few at a time: EXIF and an upright
// thumbnail for photos, duration and a poster frame for videos, duration for audio.
import type { BlobStore } from '../../storage/blobs/blob-store';
import { readExif, readImageInfo, writeThumbnail } from '../../storage/images';
import type { MediaRepository, MediaRow, ProcessingResult } from '../../storage/media.repository';
import { probeMedia, writePosterFrame } from '../../storage/video';
import { wallTimeToUtc } from './time';

interface ProcessorDeps {
  media: Pick<MediaRepository, 'getById' | 'listPendingIds' | 'saveProcessing'>;
  blobs: Pick<BlobStore, 'localPath' | 'derivedPath'>;
  shopTimezone: () => string;
  concurrency: number;
  maxImagePixels: number;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

type Learned = Omit<ProcessingResult, 'processing_status' | 'processing_error'>;

export function createMediaProcessor({ media, blobs, shopTimezone, concurrency, maxImagePixels, log }: ProcessorDeps) {
  const queue: string[] = [];
  const waiting = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  let running = 0;
  let closed = false;
  const idle: (() => void)[] = [];

  async function learn(row: MediaRow): Promise<Learned> {
    const file = blobs.localPath(row.sha256);
    const learned: Learned = {
      width: row.width,
      height: row.height,
      duration_ms: row.duration_ms,
      codec: row.codec,
      exif: row.exif,
      captured_at: row.captured_at,
      captured_at_source: row.captured_at_source,
    };
    if (row.type === 'photo') {
      const exif = await readExif(file);
      if (exif) {
        learned.exif = JSON.stringify({ make: exif.make, model: exif.model, gps: exif.gps, takenAt: exif.takenAt, offset: exif.offset });
        // The device's claim is kept apart from the server's receive time and never replaces it.
        const takenAt = exif.takenAt && wallTimeToUtc(exif.takenAt, shopTimezone(), exif.offset);
        if (!learned.captured_at && takenAt) {
          learned.captured_at = takenAt;
          learned.captured_at_source = 'exif';
        }
      }
      const info = await readImageInfo(file, { maxPixels: maxImagePixels });
      learned.width = info.width;
      learned.height = info.height;
      learned.codec = info.format;
      await writeThumbnail(file, blobs.derivedPath(row.id, 'thumbnail.jpg'), { maxPixels: maxImagePixels });
    } else if (row.type === 'video' || row.type === 'audio') {
      const probe = await probeMedia(file);
      learned.duration_ms = probe.durationMs ?? null;
      learned.width = probe.width ?? null;
      learned.height = probe.height ?? null;
      learned.codec = [probe.videoCodec, probe.audioCodec].filter(Boolean).join('+') || null;
      if (row.type === 'video') await writePosterFrame(file, blobs.derivedPath(row.id, 'thumbnail.jpg'));
    }
    return learned;
  }

  async function processOne(id: string): Promise<void> {
    const row = media.getById(id);
    if (!row || row.processing_status !== 'pending') return;
    try {
      const learned = await learn(row);
      media.saveProcessing(id, { ...learned, processing_status: 'ready', processing_error: null });
      log.info({ mediaId: id, type: row.type }, 'media processed');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      media.saveProcessing(id, {
        width: row.width, height: row.height, duration_ms: row.duration_ms, codec: row.codec, exif: row.exif,
        captured_at: row.captured_at, captured_at_source: row.captured_at_source,
        processing_status: 'failed',
        processing_error: message.slice(0, 500),
      });
      log.warn({ mediaId: id, err: message }, 'media processing failed');
    }
  }

  function pump(): void {
    while (!closed && running < concurrency && queue.length > 0) {
      const id = queue.shift()!;
      running += 1;
      processOne(id).finally(() => {
        running -= 1;
        waiting.get(id)?.resolve();
        waiting.delete(id);
        pump();
        if (running === 0) idle.splice(0).forEach((resolve) => resolve());
      });
    }
  }

  function enqueue(id: string): Promise<void> {
    const existing = waiting.get(id);
    if (existing) return existing.promise;
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    waiting.set(id, { promise, resolve });
    queue.push(id);
    pump();
    return promise;
  }

  return {
    enqueue(id: string): void {
      void enqueue(id);
    },

    /** For a reader who needs the result now (a thumbnail request): jumps the queue. */
    ensureProcessed(id: string): Promise<void> {
      const row = media.getById(id);
      if (!row || row.processing_status !== 'pending') return Promise.resolve();
      const index = queue.indexOf(id);
      if (index > 0) queue.unshift(...queue.splice(index, 1));
      return enqueue(id);
    },

    /** After a restart, whatever was pending is picked up again. */
    resumePending(): number {
      const ids = media.listPendingIds();
      ids.forEach((id) => void enqueue(id));
      return ids.length;
    },

    /** Stops taking work and waits for what is running; the rest stays pending for the next start. */
    async close(): Promise<void> {
      closed = true;
      if (running > 0) await new Promise<void>((resolve) => idle.push(resolve));
    },
  };
}

export type MediaProcessor = ReturnType<typeof createMediaProcessor>;
