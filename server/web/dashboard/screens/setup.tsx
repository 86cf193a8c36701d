// First run: while no user exists, the shop is named, given its time zone, and its owner created.
import { useRef, useState } from 'preact/hooks';
import { api, type User } from '../api';
import { ErrorNotice } from '../parts/error-notice';
import { Field } from '../parts/field';
import { TimeZoneField, zoneOf } from '../parts/time-zone-field';
import { deviceZone } from '../parts/time-zones';
import { useFormAction } from '../parts/form-action';
import { language, t } from '../i18n';

/**
 * Once the next screen is drawn, its main heading takes the focus: the Create button that was pressed is
 * gone with this form, and focus would otherwise fall to the page's top with nothing said.
 */
function focusNextHeading(form: HTMLElement) {
  const started = Date.now();
  const look = () => {
    const heading = document.querySelector<HTMLElement>('#main h1');
    if (heading && !form.isConnected) {
      if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
      heading.focus();
    } else if (Date.now() - started < 10_000) requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
}

export function SetupScreen({ onDone }: { onDone: (user: User) => void }) {
  const [zone, setZone] = useState(deviceZone);
  const [zoneChecked, setZoneChecked] = useState(false);
  const [created, setCreated] = useState(false);
  const section = useRef<HTMLElement>(null);
  const { busy, error, submit } = useFormAction(async (form) => {
    setZoneChecked(true);
    if (!zoneOf(zone)) return;
    const session = await api<{ user: User }>('POST', '/setup', {
      shopName: String(form.get('shopName')).trim(),
      timezone: String(form.get('timezone')),
      email: String(form.get('email')).trim(),
      password: String(form.get('password')),
    });
    // Reports, bundles and claim letters are written in the language the shop was set up in, not English
    // by default: a Korean seller's courier and marketplace read Korean. Settings can change it.
    if (language() !== 'en') await api('PATCH', '/shop', { reportLanguage: language() });
    // Said beside the button while the dashboard loads, then the new screen's heading takes the focus.
    setCreated(true);
    if (section.current) focusNextHeading(section.current);
    onDone(session.user);
  });

  return (
    <section class="card narrow" aria-labelledby="setup-title" ref={section}>
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
        <div class="row">
          <button type="submit" class="button-primary" disabled={busy || created}>
            {t('setup.submit')}
          </button>
          <span role="status" class="inline-status">
            {created ? t('setup.created') : ''}
          </span>
        </div>
      </form>
    </section>
  );
}
