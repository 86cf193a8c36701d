// Writes of a length nobody declared (a chunked body, a deferred tus length) are stopped where the
// disk's floor is, not where the disk is full: the last megabytes belong to the database and to uploads
// already admitted.
import { StorageFullError } from './blobs/blob-store';

const MiB = 1 << 20;

/**
 * How many bytes a writer may take before it asks for room again, given the room it was just told of.
 * Far from the floor, once every 64 MiB: statfs goes through the thread pool, and asked every megabyte
 * it cost a tenth of a CPU-second per GiB. Nearer, an eighth of what is left (at least 1 MiB), so
 * uploads running side by side ask more often as the room shrinks and overshoot the floor by little.
 */
export function roomBudget(room: number, bytes: number): number {
  return Math.min(room, Math.max(bytes, MiB, Math.min(64 * MiB, Math.floor(room / 8))));
}

/**
 * Returns a check to run (and await, when it returns a promise) before each chunk is written: it throws StorageFullError once the chunk
 * would take more than `roomLeft()` allows. `pending()` is what the writer holds but has not handed to
 * the disk yet, which the filesystem cannot have counted.
 */
export function createRoomCheck(roomLeft: () => Promise<number>, pending: () => number = () => 0): (bytes: number) => Promise<void> | undefined {
  let budget = 0;
  const ask = async (bytes: number) => {
    const room = (await roomLeft()) - pending();
    if (room < bytes) throw new StorageFullError();
    budget = roomBudget(room, bytes) - bytes;
  };
  // A promise only when room is asked for; within the budget the chunk is taken at once.
  return (bytes) => {
    if (bytes > budget) return ask(bytes);
    budget -= bytes;
    return undefined;
  };
}
