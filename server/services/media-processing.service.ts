// Learns what it can from each original off the request path, a few at a time: EXIF and an upright
// thumbnail for photos, duration and a poster frame for videos, duration for audio; then, in a slower
// lane, stills and a playback copy for videos.
import type { DerivedStore, OriginalsStore } from '../../storage/blobs/blob-store';
import { readExif, readImageInfo, writeThumbnail } from '../../storage/images';
import type { MediaRepository, MediaRow, ProcessingResult } from '../../storage/media.repository';
import { extractStills, makePlaybackCopy, probeMedia, writePosterFrame } from '../../storage/video';
import { wallTimeToUtc } from './time';
import { createWorkLane } from './work-lane';

interface ProcessorDeps {
  media: Pick<MediaRepository, 'getById' | 'listPendingIds' | 'saveProcessing' | 'listPlaybackPendingIds' | 'savePlayback'>;
  originals: Pick<OriginalsStore, 'withLocalCopy'>;
  derived: Pick<DerivedStore, 'produce' | 'produceFolder' | 'list'>;
  shopTimezone: () => string;
  concurrency: number;
  maxImagePixels: number;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

type Learned = Omit<ProcessingResult, 'processing_status' | 'processing_error'>;

/** A video's stills are named by their offset (storage/video.ts extractStills): still-000005000.jpg. */
const STILL_NAME = /^still-(\d+)\.jpg$/;

export function createMediaProcessor({ media, originals, derived, shopTimezone, concurrency, maxImagePixels, log }: ProcessorDeps) {
  /** The codecs read the original from a local file: the store's own on local disk, a temporary copy from S3. */
  function learn(row: MediaRow): Promise<Learned> {
    return originals.withLocalCopy(row.sha256, (file) => learnFrom(file, row));
  }

  async function learnFrom(file: string, row: MediaRow): Promise<Learned> {
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
      await derived.produce(row.id, 'thumbnail.jpg', async (out) => {
        await writeThumbnail(file, out, { maxPixels: maxImagePixels });
      });
    } else if (row.type === 'video' || row.type === 'audio') {
      const probe = await probeMedia(file);
      learned.duration_ms = probe.durationMs ?? null;
      learned.width = probe.width ?? null;
      learned.height = probe.height ?? null;
      learned.codec = [probe.videoCodec, probe.audioCodec].filter(Boolean).join('+') || null;
      if (row.type === 'video') {
        await derived.produce(row.id, 'thumbnail.jpg', async (out) => {
          await writePosterFrame(file, out);
        });
      }
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
      media.saveProcessing(id, {
        width: row.width, height: row.height, duration_ms: row.duration_ms, codec: row.codec, exif: row.exif,
        captured_at: row.captured_at, captured_at_source: row.captured_at_source,
        processing_status: 'failed',
        processing_error: messageOf(error),
      });
      log.warn({ mediaId: id, err: messageOf(error) }, 'media processing failed');
    }
    if (row.type === 'video') void playbackLane.enqueue(id);
  }

  /** Stills for report sheets and a playback copy: slow, so they never hold up a thumbnail. */
  async function makePlayback(id: string): Promise<void> {
    const row = media.getById(id);
    if (!row || row.playback_status !== 'pending') return;
    const durationMs = row.duration_ms ?? undefined;
    try {
      const { stills, remuxed } = await originals.withLocalCopy(row.sha256, async (file) => {
        let made = 0;
        await derived.produceFolder(id, 'stills', async (dir) => {
          made = (await extractStills(file, dir, { durationMs })).length;
        });
        let copy = { remuxed: false };
        await derived.produce(id, 'playback.mp4', async (out) => {
          copy = await makePlaybackCopy(file, out, { durationMs });
        });
        return { stills: made, remuxed: copy.remuxed };
      });
      media.savePlayback(id, 'ready');
      log.info({ mediaId: id, stills, remuxed }, 'playback copy made');
    } catch (error) {
      media.savePlayback(id, 'failed', messageOf(error));
      log.warn({ mediaId: id, err: messageOf(error) }, 'playback copy failed');
    }
  }

  const mainLane = createWorkLane(concurrency, processOne);
  // One at a time: a transcode takes both cores' worth of work already.
  const playbackLane = createWorkLane(1, makePlayback);

  return {
    enqueue(id: string): void {
      void mainLane.enqueue(id);
    },

    /** For a reader who needs the result now (a thumbnail request): jumps the queue. */
    ensureProcessed(id: string): Promise<void> {
      const row = media.getById(id);
      if (!row || row.processing_status !== 'pending') return Promise.resolve();
      return mainLane.hurry(id);
    },

    /** After a restart, whatever was pending is picked up again. */
    resumePending(): number {
      const ids = media.listPendingIds();
      ids.forEach((id) => void mainLane.enqueue(id));
      const playback = media.listPlaybackPendingIds();
      playback.forEach((id) => void playbackLane.enqueue(id));
      return ids.length + playback.length;
    },

    /**
     * The stills made for a video's report sheet, oldest offset first, each as its name in the derived
     * store ("stills/still-000005000.jpg"); none until its playback work ran.
     */
    async stillsOf(id: string): Promise<{ offsetMs: number; name: string }[]> {
      const names = await derived.list(id, 'stills');
      return names
        .flatMap((name) => {
          const match = STILL_NAME.exec(name);
          return match ? [{ offsetMs: Number(match[1]), name: `stills/${name}` }] : [];
        })
        .sort((a, b) => a.offsetMs - b.offsetMs);
    },

    /** Stops taking work and waits for what is running; the rest stays pending for the next start. */
    async close(): Promise<void> {
      await Promise.all([mainLane.close(), playbackLane.close()]);
    },
  };
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}

export type MediaProcessor = ReturnType<typeof createMediaProcessor>;
