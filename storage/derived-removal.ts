// Retention's one way to delete a media item's derived files (thumbnail, poster, playback copy, stills).
// Today's blob store only hands out their paths; the coming DerivedStore.removeAll(mediaId) replaces this.
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { BlobStore } from './blobs/blob-store';

export async function removeDerivedFiles(blobs: Pick<BlobStore, 'derivedPath'>, mediaId: string): Promise<void> {
  // Every derived file of an item lives in its own folder; the name asked for only locates that folder.
  await fsp.rm(path.dirname(blobs.derivedPath(mediaId, 'thumbnail.jpg')), { recursive: true, force: true });
}
