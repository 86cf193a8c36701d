// When a photo's courier tags were set, from the chain of custody: media.service records every change
// of tags as a `tag` event (before, after, at, who). A claim letter says when a tick rests on a tag set
// after the recording finished, since the tags at finish are the ones the capture's facts entry holds.
import type { ClaimPhotoKind } from '../../domain/vocabulary';

/** A `tag` event of the custody log, as much of it as this reads. */
export interface TagEvent {
  at: string;
  detail: Record<string, unknown> | null;
}

const listOf = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

/**
 * Of `tags` (a photo's tags now), those last set after `finishedAt`, each with when. A tag set at upload
 * or while the capture was open, and kept since, is not one; nor is any on a capture not yet finished.
 * `events` oldest first.
 */
export function tagsSetAfter(tags: readonly ClaimPhotoKind[], events: readonly TagEvent[], finishedAt: string | undefined): { tag: ClaimPhotoKind; at: string }[] {
  if (!finishedAt) return [];
  const finished = Date.parse(finishedAt);
  return tags.flatMap((tag) => {
    // The event that last added the tag: the one it has stood on since.
    const added = events.filter((event) => listOf(event.detail?.tags).includes(tag) && !listOf(event.detail?.before).includes(tag)).at(-1);
    return added && Date.parse(added.at) > finished ? [{ tag, at: added.at }] : [];
  });
}
