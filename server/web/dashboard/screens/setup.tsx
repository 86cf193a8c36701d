// First run: while no user exists, the shop is named, given its time zone, and its owner created.
import { useState } from 'preact/hooks';
import { api, type User } from '../api';
import { ErrorNotice } from '../parts/error-notice';
import { Field } from '../parts/field';
import { useFormAction } from '../parts/form-action';
import { t } from '../i18n';

/** Zones shops selling in Korea, Taiwan and beyond commonly keep; the browser's own is added when missing. */
const COMMON_ZONES = [
  'Asia/Seoul', 'Asia/Taipei', 'Asia/Hong_Kong', 'Asia/Tokyo', 'Asia/Shanghai', 'Asia/Singapore', 'Asia/Bangkok',
  'Asia/Ho_Chi_Minh', 'Asia/Jakarta', 'Asia/Manila', 'Asia/Kolkata', 'Asia/Dubai', 'Australia/Sydney', 'Pacific/Auckland',
  'Europe/London', 'Europe/Berlin', 'Europe/Paris', 'America/New_York', 'America/Chicago', 'America/Denver',
  'America/Los_Angeles', 'America/Sao_Paulo', 'UTC',
];

const browserZone = () => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
};

export function SetupScreen({ onDone }: { onDone: (user: User) => void }) {
  const [zone] = useState(browserZone);
  const zones = COMMON_ZONES.includes(zone) ? COMMON_ZONES : [zone, ...COMMON_ZONES];
  const { busy, error, submit } = useFormAction(async (form) => {
    const session = await api<{ user: User }>('POST', '/setup', {
      shopName: String(form.get('shopName')).trim(),
      timezone: String(form.get('timezone')),
      email: String(form.get('email')).trim(),
      password: String(form.get('password')),
    });
    onDone(session.user);
  });

  return (
    <section class="card narrow" aria-labelledby="setup-title">
      <h1 id="setup-title">{t('setup.title')}</h1>
      <p>{t('setup.intro')}</p>
      <form onSubmit={submit}>
        <Field id="setup-shop" label={t('setup.shopName')}>
          <input id="setup-shop" name="shopName" required maxLength={200} autoComplete="organization" />
        </Field>
        <Field id="setup-timezone" label={t('setup.timezone')} hint={t('setup.timezoneHint')}>
          <select id="setup-timezone" name="timezone" aria-describedby="setup-timezone-hint" defaultValue={zone}>
            {zones.map((name) => (
              <option key={name} value={name}>
                {name.replaceAll('_', ' ')}
              </option>
            ))}
          </select>
        </Field>
        <Field id="setup-email" label={t('setup.email')}>
          <input id="setup-email" name="email" type="email" required autoComplete="username" />
        </Field>
        <Field id="setup-password" label={t('setup.password')} hint={t('setup.passwordHint')}>
          <input id="setup-password" name="password" type="password" required minLength={8} autoComplete="new-password" aria-describedby="setup-password-hint" />
        </Field>
        <ErrorNotice error={error} />
        <button type="submit" class="button-primary" disabled={busy}>
          {t('setup.submit')}
        </button>
      </form>
    </section>
  );
}
