// Writes of a length nobody declared (a chunked body, a deferred tus length) are stopped where the
// disk's floor is, not where the disk is full: the last megabytes belong to the database and to uploads
// already admitted.
import { StorageFullError } from './blobs/blob-store';

/** Asks for room at most once a megabyte: statfs is cheap, but not per 64 KiB chunk. */
const ASK_EVERY = 1 << 20;

/**
 * Returns a check to await before each chunk is written: it throws StorageFullError once the chunk
 * would take more than `roomLeft()` allows. `pending()` is what the writer holds but has not handed to
 * the disk yet, which the filesystem cannot have counted.
 */
export function createRoomCheck(roomLeft: () => Promise<number>, pending: () => number = () => 0): (bytes: number) => Promise<void> {
  let budget = 0;
  return async (bytes) => {
    if (bytes > budget) {
      const room = (await roomLeft()) - pending();
      if (room < bytes) throw new StorageFullError();
      budget = Math.min(room, Math.max(ASK_EVERY, bytes));
    }
    budget -= bytes;
  };
}
