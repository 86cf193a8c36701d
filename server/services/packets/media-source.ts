// The one place packets reach stored bytes. Originals are lent as a local file for the time `use` runs
// (a codec reads it, or the builder copies it into its own folder, which the ZIP is written from);
// derived files (a thumbnail, a video's stills) are copied into the builder's folder, because a loan
// of them ends with its callback and the builder keeps using them after.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { DerivedStore, OriginalsStore } from '../../../storage/blobs/blob-store';
import { probeMedia } from '../../../storage/video';

export interface PacketBlobs {
  originals: Pick<OriginalsStore, 'withLocalCopy'>;
  derived: Pick<DerivedStore, 'withLocalFile'>;
  /** The stills made at ingest for a video's sheet, by their name in the derived store, oldest first. */
  stillsOf: (mediaId: string) => Promise<{ offsetMs: number; name: string }[]>;
}

export function createMediaSource({ originals, derived, stillsOf }: PacketBlobs) {
  /** Copies a derived file into `dir`; its path there, or undefined when it was never made. */
  async function copyDerived(mediaId: string, name: string, dir: string): Promise<string | undefined> {
    const target = path.join(dir, `${mediaId}-${name.replaceAll('/', '-')}`);
    const copied = await derived.withLocalFile(mediaId, name, async (file) => {
      await fsp.copyFile(file, target, fs.constants.COPYFILE_FICLONE);
      return true;
    });
    return copied ? target : undefined;
  }

  return {
    /** A local file holding the original's bytes, for as long as `use` runs. */
    withOriginal<T>(sha256: string, use: (file: string) => Promise<T>): Promise<T> {
      return originals.withLocalCopy(sha256, use);
    },
    /** A recording's length measured on its original (ffprobe), for a row whose processing has not recorded it yet. */
    async durationMs(sha256: string): Promise<number | undefined> {
      return originals.withLocalCopy(sha256, async (file) => (await probeMedia(file)).durationMs).catch(() => undefined);
    },
    /** A copy in `dir` of a derived file of a media item (its upright thumbnail), when it was made. */
    derived: copyDerived,
    /** Copies in `dir` of a video's stills made at ingest, or none. */
    async stills(mediaId: string, dir: string): Promise<{ offsetMs: number; path: string }[]> {
      const stills = await stillsOf(mediaId);
      const copies = await Promise.all(stills.map(async (still) => ({ offsetMs: still.offsetMs, path: await copyDerived(mediaId, still.name, dir) })));
      return copies.flatMap((still) => (still.path ? [{ offsetMs: still.offsetMs, path: still.path }] : []));
    },
  };
}

export type MediaSource = ReturnType<typeof createMediaSource>;

/** Lends several originals at once (one ZIP streams them all), nesting each loan around the next. */
export function withOriginals<T>(source: MediaSource, sha256s: string[], use: (files: Map<string, string>) => Promise<T>): Promise<T> {
  const files = new Map<string, string>();
  const step = (index: number): Promise<T> =>
    index >= sha256s.length ? use(files) : source.withOriginal(sha256s[index], (file) => (files.set(sha256s[index], file), step(index + 1)));
  return step(0);
}
