// Times in and out: ISO 8601 from clients stored as UTC, and wall-clock times without an offset (as
// cameras write EXIF) turned into UTC for a given time zone.
import { fail } from '../errors';

/** A client's ISO 8601 time as the UTC string we store; a time no calendar has (second 60) is refused. */
export function toUtc(value: string, field: string): string {
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) fail('VALIDATION_FAILED', `${field} is not a time that exists: ${value}`);
  return time.toISOString();
}

/** What a clock in `timeZone` shows at `instant`, two digits a field, and the zone's short name. */
export function wallClock(instant: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'short',
  }).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((part) => part.type === type)?.value ?? '';
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second'), zone: get('timeZoneName') };
}

/** The offset of `timeZone` from UTC at the instant `utc`, in minutes. */
function offsetMinutes(utc: Date, timeZone: string): number {
  const clock = wallClock(utc, timeZone);
  const asUtc = Date.UTC(Number(clock.year), Number(clock.month) - 1, Number(clock.day), Number(clock.hour), Number(clock.minute), Number(clock.second));
  return Math.round((asUtc - utc.getTime()) / 60_000);
}

/** "2026-05-01T14:03:12" in Asia/Seoul → 2026-05-01T05:03:12.000Z. Undefined when unparseable. */
export function wallTimeToUtc(wallTime: string, timeZone: string, offset?: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(wallTime);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  const naive = Date.UTC(year, month - 1, day, hour, minute, second);
  if (Number.isNaN(naive)) return undefined;
  const explicit = offset && /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  const minutes = explicit
    ? (explicit[1] === '-' ? -1 : 1) * (Number(explicit[2]) * 60 + Number(explicit[3]))
    : offsetMinutes(new Date(naive), timeZone);
  return new Date(naive - minutes * 60_000).toISOString();
}

/**
 * An IANA time zone's canonical spelling ("asia/seoul" → "Asia/Seoul"), as the platform's Intl data
 * knows it, or undefined when Intl does not know the zone.
 */
export function canonicalTimeZone(timeZone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** The zone's canonical name, or 400 VALIDATION_FAILED naming what was sent. */
export function requireTimeZone(timeZone: string): string {
  return canonicalTimeZone(timeZone) ?? fail('VALIDATION_FAILED', `Unknown time zone "${timeZone}"; use an IANA name such as Asia/Seoul.`);
}
