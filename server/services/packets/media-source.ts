// The one place packets reach stored bytes. Originals are lent as a local file for the time `use` runs
// (a codec reads it, or the builder copies it into its own folder, which the ZIP is written from);
// derived files (a thumbnail, a video's stills) are looked up by media id.
// When the blob interface becomes `withLocalCopy(sha256, use)` / `open(sha256)`, only this file changes.
import fs from 'node:fs';
import path from 'node:path';
import type { BlobStore } from '../../../storage/blobs/blob-store';

export type PacketBlobs = Pick<BlobStore, 'localPath' | 'derivedPath'>;

export function createMediaSource(blobs: PacketBlobs) {
  return {
    /** A local file holding the original's bytes, for as long as `use` runs. */
    withOriginal<T>(sha256: string, use: (file: string) => Promise<T>): Promise<T> {
      return use(blobs.localPath(sha256));
    },
    /** A derived file of a media item (its upright thumbnail), when it was made. */
    derived(mediaId: string, name: string): string | undefined {
      const file = blobs.derivedPath(mediaId, name);
      return fs.existsSync(file) ? file : undefined;
    },
    /** A video's stills made at ingest (media-processing.service: stills.json beside stills/), or none. */
    stills(mediaId: string): { offsetMs: number; path: string }[] {
      const index = blobs.derivedPath(mediaId, 'stills.json');
      if (!fs.existsSync(index)) return [];
      const stills = JSON.parse(fs.readFileSync(index, 'utf8')) as { offsetMs: number; file: string }[];
      return stills.map((still) => ({ offsetMs: still.offsetMs, path: path.join(blobs.derivedPath(mediaId, 'stills'), still.file) }));
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
