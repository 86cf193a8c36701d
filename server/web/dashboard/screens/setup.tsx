// First run: while no user exists, the shop is named, given its time zone, and its owner created.
import { useState } from 'preact/hooks';
import { api, type User } from '../api';
import { ErrorNotice } from '../parts/error-notice';
import { Field } from '../parts/field';
import { TimeZoneField, zoneOf } from '../parts/time-zone-field';
import { deviceZone } from '../parts/time-zones';
import { useFormAction } from '../parts/form-action';
import { t } from '../i18n';

export function SetupScreen({ onDone }: { onDone: (user: User) => void }) {
  const [zone, setZone] = useState(deviceZone);
  const [zoneChecked, setZoneChecked] = useState(false);
  const { busy, error, submit } = useFormAction(async (form) => {
    setZoneChecked(true);
    if (!zoneOf(zone)) return;
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
        <TimeZoneField
          id="setup-timezone"
          name="timezone"
          label={t('setup.timezone')}
          hint={t('setup.timezoneHint')}
          value={zone}
          onChange={setZone}
          checked={zoneChecked}
          onCheck={() => setZoneChecked(true)}
        />
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
