// A dispute's respond-by time in the shop's zone, with how long is left while the dispute is open:
// overdue ones loud (words and colour, never colour alone), those due within two days marked.
import { formatTime, t } from '../i18n';
import { countdown } from './countdown';

export function Deadline({ respondBy, status, timeZone, now }: { respondBy?: string; status: string; timeZone: string; now: number }) {
  if (!respondBy) return <span class="muted">{t('disputes.noDeadline')}</span>;
  const time = formatTime(respondBy, timeZone);
  if (status !== 'open') return <span>{time}</span>;
  const left = countdown(respondBy, now);
  return (
    <span class={left.overdue ? 'deadline deadline-overdue' : left.dueSoon ? 'deadline deadline-soon' : 'deadline'}>
      <span>{time}</span>{' '}
      <strong class="countdown">{left.overdue ? t('disputes.overdue', { relative: left.relative }) : t('disputes.dueIn', { relative: left.relative })}</strong>
    </span>
  );
}
