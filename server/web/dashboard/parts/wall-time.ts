// A moment as a datetime-local field shows it in the shop's time zone, and back: the field has no zone,
// the API takes instants, and the shop's clock (not the browser's) is the one the seller reads.
import { wallClock, wallTimeToUtc } from '../../../services/time';

/** "2031-05-20T09:00:00.000Z" in Asia/Seoul → "2031-05-20T18:00", a datetime-local field's value. */
export function toWallTimeInput(iso: string | undefined, timeZone: string): string {
  if (!iso) return '';
  const clock = wallClock(new Date(iso), timeZone);
  return `${clock.year}-${clock.month}-${clock.day}T${clock.hour}:${clock.minute}`;
}

/** A datetime-local field's value (seconds optional) read as the shop's wall clock → a UTC instant. */
export function fromWallTimeInput(value: string, timeZone: string): string | undefined {
  if (!value) return undefined;
  return wallTimeToUtc(value.length === 16 ? `${value}:00` : value, timeZone);
}
