// The shop's people (owner only): invite someone with a role and hand them the one-time link; see each
// person's role, status and last sign-in; change a role; disable an account (its sessions end at once)
// or enable it again. The owner's own row offers neither, as the server would refuse.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, type Me, type User } from '../api';
import { ErrorNotice } from '../parts/error-notice';
import { Field } from '../parts/field';
import { useFormAction } from '../parts/form-action';
import { formatTime, t, termKey } from '../i18n';

const ROLES: User['role'][] = ['seller', 'owner', 'packer'];

interface Invite {
  email: string;
  inviteUrl: string;
  inviteExpiresAt: string;
}

type Pending = { kind: 'disable' | 'enable' | 'role'; user: User };

const roleName = (role: User['role']) => t(termKey('users.role', role));

export function UsersScreen({ me }: { me: Me }) {
  if (me.role !== 'owner') {
    return (
      <section aria-labelledby="users-title">
        <h1 id="users-title">{t('users.title')}</h1>
        <p class="notice notice-info">{t('users.ownerOnly')}</p>
      </section>
    );
  }
  return <ManageUsers me={me} />;
}

function ManageUsers({ me }: { me: Me }) {
  const timeZone = me.shop.timezone;
  const [users, setUsers] = useState<User[]>();
  const [invite, setInvite] = useState<Invite>();
  const [pending, setPending] = useState<Pending>();
  const [status, setStatus] = useState('');
  const [listError, setListError] = useState<unknown>();

  const load = () => api<{ items: User[] }>('GET', '/users').then((answer) => setUsers(answer.items), setListError);
  useEffect(() => {
    load();
  }, []);

  const { busy, error, submit } = useFormAction(async (form, element) => {
    const email = String(form.get('email')).trim();
    const answer = await api<User & Invite>('POST', '/users', { email, role: String(form.get('role')) });
    setInvite({ email: answer.email, inviteUrl: answer.inviteUrl, inviteExpiresAt: answer.inviteExpiresAt });
    element.reset();
    setStatus('');
    await load();
  });

  async function change(action: Pending, body: { disabled?: boolean; role?: User['role'] }) {
    setListError(undefined);
    try {
      await api('PATCH', `/users/${encodeURIComponent(action.user.id)}`, body);
      setPending(undefined);
      const message =
        action.kind === 'disable'
          ? t('users.disabledNow', { email: action.user.email })
          : action.kind === 'enable'
            ? t('users.enabledNow', { email: action.user.email })
            : t('users.roleChanged', { email: action.user.email, role: roleName(body.role!) });
      setStatus(message);
      await load();
    } catch (caught) {
      setPending(undefined);
      setListError(caught);
    }
  }

  async function reinvite(user: User) {
    setListError(undefined);
    try {
      const answer = await api<Invite>('POST', `/users/${encodeURIComponent(user.id)}/invite`);
      setInvite({ email: user.email, inviteUrl: answer.inviteUrl, inviteExpiresAt: answer.inviteExpiresAt });
      await load();
    } catch (caught) {
      setListError(caught);
    }
  }

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">{t('users.title')}</h1>
      <p>{t('users.intro')}</p>
      <form class="inline-form card" onSubmit={submit} aria-labelledby="users-invite-title">
        <h2 id="users-invite-title" class="form-title">
          {t('users.inviteTitle')}
        </h2>
        <Field id="invite-email" label={t('users.email')}>
          <input id="invite-email" name="email" type="email" required maxLength={254} autoComplete="off" />
        </Field>
        <Field id="invite-role" label={t('users.role')}>
          <select id="invite-role" name="role" defaultValue="seller">
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {roleName(role)}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit" class="button-primary" disabled={busy}>
          {t('users.invite')}
        </button>
        <p class="hint form-hint">{t('users.inviteHint')}</p>
      </form>
      <UsersError error={error} />
      {invite && <InviteLink invite={invite} timeZone={timeZone} onDone={() => setInvite(undefined)} />}
      <h2 id="users-list-title">{t('users.list')}</h2>
      <p role="status" class="status-line">
        {status}
      </p>
      <UsersError error={listError} />
      {users && (
        <ul class="people" aria-labelledby="users-list-title">
          {users.map((user) => (
            <UserRow key={user.id} user={user} self={user.id === me.id} timeZone={timeZone} onAction={setPending} onReinvite={() => reinvite(user)} />
          ))}
        </ul>
      )}
      {pending && <Confirm pending={pending} onCancel={() => setPending(undefined)} onConfirm={(body) => change(pending, body)} />}
    </section>
  );
}

/** The server's refusals that have a plain answer here; the rest as every screen shows them. */
function UsersError({ error }: { error: unknown }) {
  if (error instanceof ApiError && error.code === 'CONFLICT') {
    return (
      <p class="notice notice-error" role="alert">
        {t('users.emailTaken')}
      </p>
    );
  }
  return <ErrorNotice error={error} />;
}

function UserRow({ user, self, timeZone, onAction, onReinvite }: {
  user: User;
  self: boolean;
  timeZone: string;
  onAction: (pending: Pending) => void;
  onReinvite: () => void;
}) {
  const statusText =
    user.status === 'invited' && user.inviteExpiresAt
      ? t('users.invitedUntil', { time: formatTime(user.inviteExpiresAt, timeZone) })
      : t(termKey('users.status', user.status));
  return (
    <li class={`card person person-${user.status}`}>
      <div class="person-who">
        <strong class="person-email">{user.email}</strong>
        {self && <span class="muted"> {t('users.you')}</span>}
      </div>
      <dl class="person-facts">
        <div>
          <dt>{t('users.role')}</dt>
          <dd>{roleName(user.role)}</dd>
        </div>
        <div>
          <dt>{t('users.status')}</dt>
          <dd class="person-status">{statusText}</dd>
        </div>
        <div>
          <dt>{t('users.lastSignIn')}</dt>
          <dd>{user.lastSignInAt ? formatTime(user.lastSignInAt, timeZone) : t('users.never')}</dd>
        </div>
      </dl>
      {!self && (
        <div class="person-actions">
          <button type="button" aria-label={t('users.changeRoleOf', { email: user.email })} onClick={() => onAction({ kind: 'role', user })}>
            {t('users.changeRole')}
          </button>
          {user.status === 'invited' && (
            <button type="button" aria-label={t('users.newLinkFor', { email: user.email })} onClick={onReinvite}>
              {t('users.newLink')}
            </button>
          )}
          {user.status === 'disabled' ? (
            <button type="button" aria-label={t('users.enableUser', { email: user.email })} onClick={() => onAction({ kind: 'enable', user })}>
              {t('users.enable')}
            </button>
          ) : (
            <button type="button" class="button-danger" aria-label={t('users.disableUser', { email: user.email })} onClick={() => onAction({ kind: 'disable', user })}>
              {t('users.disable')}
            </button>
          )}
        </div>
      )}
    </li>
  );
}

/** The link shown once, right after inviting: copy it and send it by email or chat. */
function InviteLink({ invite, timeZone, onDone }: { invite: Invite; timeZone: string; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'failed'>();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    setCopied(undefined);
    heading.current?.focus();
  }, [invite.inviteUrl]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(invite.inviteUrl);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  }

  return (
    <section class="card invite-link" aria-labelledby="invite-link-title">
      <h2 id="invite-link-title" ref={heading} tabIndex={-1}>
        {t('users.linkTitle', { email: invite.email })}
      </h2>
      <p>{t('users.linkHelp', { time: formatTime(invite.inviteExpiresAt, timeZone) })}</p>
      <label for="invite-link">{t('users.link')}</label>
      <input id="invite-link" class="link-field" readOnly value={invite.inviteUrl} onFocus={(event) => event.currentTarget.select()} />
      <div class="row">
        <button type="button" onClick={copy}>
          {t('users.copy')}
        </button>
        <span role="status">{copied === 'yes' ? t('users.copied') : copied === 'failed' ? t('users.copyFailed') : ''}</span>
        <button type="button" class="button-quiet" onClick={onDone}>
          {t('users.done')}
        </button>
      </div>
    </section>
  );
}

/** Asks before a change to someone's access; a role change picks the new role here. */
function Confirm({ pending, onConfirm, onCancel }: { pending: Pending; onConfirm: (body: { disabled?: boolean; role?: User['role'] }) => void; onCancel: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [role, setRole] = useState(pending.user.role);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    dialog.current?.showModal();
    return () => opener?.isConnected && opener.focus();
  }, []);
  const { user } = pending;

  let question: string;
  let body: ComponentChildren = null;
  let confirmLabel: string;
  let danger = false;
  if (pending.kind === 'disable') {
    question = t('users.confirmDisable', { email: user.email });
    confirmLabel = t('users.disable');
    danger = true;
  } else if (pending.kind === 'enable') {
    question = t('users.confirmEnable', { email: user.email });
    confirmLabel = t('users.enable');
  } else {
    question = t('users.confirmRole', { email: user.email });
    confirmLabel = t('users.saveRole');
    body = (
      <Field id="change-role" label={t('users.newRole')} hint={t('users.roleHint')}>
        <select id="change-role" value={role} aria-describedby="change-role-hint" onChange={(event) => setRole(event.currentTarget.value as User['role'])}>
          {ROLES.map((option) => (
            <option key={option} value={option}>
              {roleName(option)}
            </option>
          ))}
        </select>
      </Field>
    );
  }

  const confirm = () => onConfirm(pending.kind === 'role' ? { role } : { disabled: pending.kind === 'disable' });

  return (
    <dialog ref={dialog} class="confirm" aria-labelledby="users-confirm-title" onClose={onCancel}>
      <p id="users-confirm-title">{question}</p>
      {body}
      <div class="row">
        <button type="button" class={danger ? 'button-danger' : 'button-primary'} onClick={confirm} disabled={pending.kind === 'role' && role === user.role}>
          {confirmLabel}
        </button>
        <button type="button" onClick={() => dialog.current?.close()} autoFocus>
          {t('users.cancel')}
        </button>
      </div>
    </dialog>
  );
}
