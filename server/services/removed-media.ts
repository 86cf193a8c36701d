// What a media item whose original retention removed answers: 410 GONE with when and why, wherever its
// bytes or a copy made from them are asked for (original, thumbnail, playback, share links).
import type { MediaRow } from '../../storage/media.repository';
import { fail } from '../errors';

/** Why an original was removed: codes, put in words by the pages. */
export type RemovalReason = NonNullable<MediaRow['removal_reason']>;

export interface Removal {
  at: string;
  reason: RemovalReason;
}

/** The removal of a media item's original, or undefined while it is kept. */
export function removalOf(row: Pick<MediaRow, 'removed_at' | 'removal_reason'>): Removal | undefined {
  return row.removed_at ? { at: row.removed_at, reason: row.removal_reason ?? 'retention' } : undefined;
}

const reasonWords: Record<RemovalReason, string> = {
  retention: "under the shop's retention policy",
};

/** The row, if its original is still kept; 410 GONE with `removedAt` and `reason` if retention removed it. */
export function requireKept<T extends Pick<MediaRow, 'removed_at' | 'removal_reason'>>(row: T): T {
  const removal = removalOf(row);
  if (!removal) return row;
  fail(
    'GONE',
    `This file's original was removed on ${removal.at.slice(0, 10)} ${reasonWords[removal.reason]}. Its ledger entry and chain of custody are kept.`,
    undefined,
    { removedAt: removal.at, reason: removal.reason },
  );
}

/**
 * Exported evidence apart from what retention removed: bundles and packets are built from `kept` and
 * list `removed` (in their manifest) instead of failing on bytes that are gone.
 */
export function splitRemoved<T extends { row: Pick<MediaRow, 'id' | 'sha256' | 'bytes' | 'received_at' | 'removed_at' | 'removal_reason'> }>(all: T[]) {
  const kept = all.filter((original) => !original.row.removed_at);
  const removed = all.flatMap(({ row }) => {
    const removal = removalOf(row);
    return removal ? [{ mediaId: row.id, sha256: row.sha256, bytes: row.bytes, receivedAt: row.received_at, removedAt: removal.at, reason: removal.reason }] : [];
  });
  return { kept, removed };
}
