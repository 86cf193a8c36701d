// A user as the API shows it: never its password hash, and one status the owner reads at a glance.
import type { Role, UserRow } from '../../storage/identity.repository';

export type UserStatus = 'active' | 'invited' | 'disabled';

export interface UserView {
  id: string;
  email: string;
  role: Role;
  createdAt: string;
  status: UserStatus;
  lastSignInAt?: string;
  disabledAt?: string;
  /** While invited: when the newest invite link stops working. */
  inviteExpiresAt?: string;
}

/** Invited means no password set yet: the invite link is the only way in. */
export const statusOf = (row: Pick<UserRow, 'disabled_at' | 'password_hash'>): UserStatus =>
  row.disabled_at ? 'disabled' : row.password_hash === '' ? 'invited' : 'active';

export function toUserView(row: UserRow & { invite_expires_at?: string | null }): UserView {
  const status = statusOf(row);
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    createdAt: row.created_at,
    status,
    ...(row.last_sign_in_at ? { lastSignInAt: row.last_sign_in_at } : {}),
    ...(row.disabled_at ? { disabledAt: row.disabled_at } : {}),
    ...(status === 'invited' && row.invite_expires_at ? { inviteExpiresAt: row.invite_expires_at } : {}),
  };
}
