// How long until a deadline, in words each language's Intl already knows ("in 3 days", "2 hours ago"),
// and whether it is overdue or due soon. Shared by Today and the disputes screens; the words around
// it ("Overdue", "Respond by") belong to each screen.
import { useEffect, useState } from 'preact/hooks';
import { locale } from '../i18n';

/** The same window the server's deadline reminders use (disputes.service DUE_SOON_MS). */
export const DUE_SOON_MS = 48 * 3_600_000;

export interface Countdown {
  overdue: boolean;
  dueSoon: boolean;
  /** "in 3 days", "5 hours ago", in the current language. */
  relative: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function countdown(deadline: string, now: number = Date.now()): Countdown {
  const ms = new Date(deadline).getTime() - now;
  const size = Math.abs(ms);
  // Minutes in the last hour, hours within two days, days beyond: precise where it matters.
  const [value, unit]: [number, Intl.RelativeTimeFormatUnit] =
    size < HOUR ? [Math.round(ms / 60_000), 'minute'] : size < 2 * DAY ? [Math.round(ms / HOUR), 'hour'] : [Math.round(ms / DAY), 'day'];
  return {
    overdue: ms <= 0,
    dueSoon: ms > 0 && ms <= DUE_SOON_MS,
    relative: new Intl.RelativeTimeFormat(locale(), { numeric: 'always' }).format(value, unit),
  };
}

/** The time now, renewed every minute, so countdowns on screen move on by themselves. */
export function useNow(everyMs = 60_000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
