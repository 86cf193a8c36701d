// Sign-in with email and password; the server sets the session cookie. Says why when a session ended.
import { useEffect, useRef } from 'preact/hooks';
import { api, type User } from '../api';
import { ErrorNotice } from '../parts/error-notice';
import { Field } from '../parts/field';
import { useFormAction } from '../parts/form-action';
import { t, type MessageKey } from '../i18n';

export function SignInScreen({ notice, onDone }: { notice?: MessageKey; onDone: (user: User) => void }) {
  const { busy, error, submit } = useFormAction(async (form) => {
    const session = await api<{ user: User }>('POST', '/sessions', { email: String(form.get('email')).trim(), password: String(form.get('password')) });
    onDone(session.user);
  });
  const email = useRef<HTMLInputElement>(null);
  useEffect(() => email.current?.focus(), []);

  return (
    <section class="card narrow" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t('signIn.title')}</h1>
      {notice && (
        <p class="notice notice-info" role="status">
          {t(notice)}
        </p>
      )}
      <form onSubmit={submit}>
        <Field id="sign-in-email" label={t('signIn.email')}>
          <input id="sign-in-email" ref={email} name="email" type="email" required autoComplete="username" />
        </Field>
        <Field id="sign-in-password" label={t('signIn.password')}>
          <input id="sign-in-password" name="password" type="password" required autoComplete="current-password" />
        </Field>
        <ErrorNotice error={error} />
        <button type="submit" class="button-primary" disabled={busy}>
          {t('signIn.submit')}
        </button>
      </form>
    </section>
  );
}
