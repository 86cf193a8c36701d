// An invite link opened (`/invite#code=…`): the invited person sees whose account it is, chooses a
// password under the same policy as everyone's, and is signed in. The code stays in the fragment, so
// it never reaches the server's or a proxy's logs.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, type User } from '../api';
import { ErrorNotice } from '../parts/error-notice';
import { Field } from '../parts/field';
import { useFormAction } from '../parts/form-action';
import { t, termKey } from '../i18n';
import { followLink } from '../router';
import { dashboardScreens } from '../screens';

interface Invitation {
  email: string;
  role: User['role'];
  shopName: string;
}

type State = { kind: 'checking' } | { kind: 'unusable' } | { kind: 'failed'; error: unknown } | { kind: 'ready'; invitation: Invitation };

const codeFromAddress = () => new URLSearchParams(location.hash.slice(1)).get('code') ?? '';

/** Used up, expired, voided by the owner, or cut short when copied: all the same to the person holding it. */
const isUnusable = (error: unknown) => error instanceof ApiError && (error.status === 410 || error.status === 400);

export function InviteScreen({ onDone }: { onDone: () => void }) {
  const [code] = useState(codeFromAddress);
  const [state, setState] = useState<State>(code ? { kind: 'checking' } : { kind: 'unusable' });
  const heading = useRef<HTMLHeadingElement>(null);
  const password = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!code) return;
    api<Invitation>('POST', '/invites/preview', { code }).then(
      (invitation) => setState({ kind: 'ready', invitation }),
      (error) => setState(isUnusable(error) ? { kind: 'unusable' } : { kind: 'failed', error }),
    );
  }, [code]);

  const { busy, error, submit } = useFormAction(async (form) => {
    try {
      await api('POST', '/invites/accept', { code, password: String(form.get('password')) });
    } catch (caught) {
      // A weak password is worth another try here; a link that stopped working is not.
      if (caught instanceof ApiError && caught.status === 410) {
        setState({ kind: 'unusable' });
        return;
      }
      throw caught;
    }
    onDone();
  });

  // The password is what to type next; when the link is no good, the heading leads to why.
  useEffect(() => {
    if (state.kind === 'ready') password.current?.focus();
    else if (state.kind !== 'checking') heading.current?.focus();
  }, [state.kind]);

  return (
    <section class="card narrow invite" aria-labelledby="invite-title">
      <h1 id="invite-title" ref={heading} tabIndex={-1}>
        {state.kind === 'ready' ? t('invite.title', { shop: state.invitation.shopName }) : t('invite.titlePlain')}
      </h1>
      {state.kind === 'checking' && <p aria-live="polite">{t('app.loading')}</p>}
      {state.kind === 'unusable' && (
        <div class="notice notice-warning" role="alert">
          <strong>{t('invite.unusable')}</strong>
          <p>{t('invite.unusableHelp')}</p>
          <p>
            <a href={dashboardScreens.today} onClick={followLink}>
              {t('invite.toSignIn')}
            </a>
          </p>
        </div>
      )}
      {state.kind === 'failed' && <ErrorNotice error={state.error} />}
      {state.kind === 'ready' && (
        <>
          {/* One sentence per role: Korean picks 로 or 으로 by the role word's last sound. */}
          <p>{t(termKey('invite.intro', state.invitation.role))}</p>
          <form onSubmit={submit}>
            <Field id="invite-email" label={t('invite.email')}>
              <input id="invite-email" name="email" type="email" value={state.invitation.email} readOnly autoComplete="username" />
            </Field>
            <Field id="invite-password" label={t('invite.password')} hint={t('invite.passwordHint')}>
              <input
                id="invite-password"
                ref={password}
                name="password"
                type="password"
                required
                minLength={8}
                autoComplete="new-password"
                aria-describedby="invite-password-hint"
              />
            </Field>
            <ErrorNotice error={error} />
            <button type="submit" class="button-primary" disabled={busy}>
              {t('invite.submit')}
            </button>
          </form>
        </>
      )}
    </section>
  );
}
