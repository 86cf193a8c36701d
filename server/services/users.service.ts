// The shop's people, managed by the owner: add one with a password, or invite one by a one-time link
// that lets them choose their own; change a role; disable an account (its sessions and tokens stop at
// once) and enable it again. The shop always keeps an owner who can sign in.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../storage/database';
import type { IdentityRepository, NewUserRow, Role } from '../../storage/identity.repository';
import { fail } from '../errors';
import type { AuthService, Principal } from './auth.service';
import { requireStrongPassword } from './password-policy';
import { hashPassword, hashToken, newToken } from './secrets';
import { statusOf, toUserView, type UserView } from './user-view';

/**
 * Longer than a phone's pairing code: an invite goes by email or chat and is opened when the person
 * next sits down, often the next day. Still short, as whoever holds the link can take the account.
 */
const INVITE_TTL_HOURS = 72;

interface UsersDeps {
  db: Db;
  identity: IdentityRepository;
  startSession: AuthService['startSession'];
  clock: () => Date;
  config: { publicUrl: string };
}

export interface UserChanges {
  disabled?: boolean;
  role?: Role;
}

const INVITE_UNUSABLE = 'This invite link is invalid, used or expired; ask the shop owner for a new one.';

export function createUsersService({ db, identity, startSession, clock, config }: UsersDeps) {
  const shopName = () => identity.getShop()?.name ?? '';
  const view = (id: string): UserView => {
    const row = identity.listUsers().find((user) => user.id === id);
    return row ? toUserView(row) : fail('NOT_FOUND', 'No such user.');
  };

  /** A fresh one-time link for the user; earlier unused links stop working. */
  function issueInvite(creator: Principal, userId: string) {
    const code = newToken('invite');
    const inviteExpiresAt = new Date(clock().getTime() + INVITE_TTL_HOURS * 3_600_000).toISOString();
    identity.deleteInviteCodes(userId);
    identity.insertInviteCode({ code_hash: hashToken(code), user_id: userId, created_by: creator.id, expires_at: inviteExpiresAt });
    // In the fragment, so the one-time code never reaches server or proxy logs.
    return { inviteUrl: `${config.publicUrl}/invite#code=${code}`, inviteExpiresAt };
  }

  /** Whose an unused, unexpired invite code is, or 410 GONE. */
  function invitedBy(code: string) {
    const userId = identity.findInviteCode(hashToken(code), clock().toISOString());
    const user = userId ? identity.getUserById(userId) : undefined;
    if (!user || statusOf(user) !== 'invited') fail('GONE', INVITE_UNUSABLE);
    return user;
  }

  return {
    list: () => identity.listUsers().map(toUserView),

    async create(input: { email: string; password: string; role: Role }): Promise<UserView> {
      await requireStrongPassword(input.password, [input.email, shopName()]);
      const user: NewUserRow = {
        id: randomUUID(),
        email: input.email,
        password_hash: await hashPassword(input.password),
        role: input.role,
        created_at: clock().toISOString(),
      };
      if (identity.getUserByEmail(input.email)) fail('CONFLICT', 'A user with this email already exists.');
      identity.insertUser(user);
      return view(user.id);
    },

    /** The user exists at once (listed as invited); the link, shown once, lets them set their password. */
    invite(creator: Principal, input: { email: string; role: Role }) {
      return db.transaction(() => {
        if (identity.getUserByEmail(input.email)) fail('CONFLICT', 'A user with this email already exists.');
        const user: NewUserRow = { id: randomUUID(), email: input.email, password_hash: '', role: input.role, created_at: clock().toISOString() };
        identity.insertUser(user);
        const invite = issueInvite(creator, user.id);
        return { user: view(user.id), ...invite };
      })();
    },

    /** A new link for someone invited who has not yet used theirs (lost, or expired). */
    reinvite(creator: Principal, userId: string) {
      return db.transaction(() => {
        const user = identity.getUserById(userId) ?? fail('NOT_FOUND', 'No such user.');
        if (statusOf(user) !== 'invited') fail('CONFLICT', 'Only someone invited who has not yet set a password gets a new invite link.');
        const invite = issueInvite(creator, user.id);
        return { user: view(user.id), ...invite };
      })();
    },

    /** What the invite page shows before the password is set: whose account, and which shop. */
    previewInvite(code: string) {
      const user = invitedBy(code);
      return { email: user.email, role: user.role, shopName: shopName() };
    },

    /** Sets the password (the policy applies), uses the code up and signs the person in. */
    async acceptInvite(code: string, password: string) {
      const invited = invitedBy(code);
      await requireStrongPassword(password, [invited.email, shopName()]);
      const passwordHash = await hashPassword(password);
      return db.transaction(() => {
        // Used up inside the transaction: two tabs racing with one link must not both set a password.
        const userId = identity.useInviteCode(hashToken(code), clock().toISOString());
        const user = userId ? identity.getUserById(userId) : undefined;
        if (!user || statusOf(user) !== 'invited') fail('GONE', INVITE_UNUSABLE);
        identity.setPassword(user.id, passwordHash);
        const session = startSession(user.id);
        return { user: view(user.id), ...session };
      })();
    },

    /** Disabling ends every session and token of the user at once and voids an open invite. */
    update(actor: Principal, id: string, changes: UserChanges): UserView {
      return db.transaction(() => {
        const user = identity.getUserById(id) ?? fail('NOT_FOUND', 'No such user.');
        const disabling = changes.disabled === true && !user.disabled_at;
        const demoting = changes.role !== undefined && changes.role !== 'owner' && user.role === 'owner';
        if (id === actor.id && (changes.disabled === true || demoting)) fail('CANNOT_CHANGE_OWN_ACCESS');
        if ((disabling || demoting) && statusOf(user) === 'active' && user.role === 'owner' && identity.countActiveOwners() <= 1) fail('LAST_OWNER');
        const now = clock().toISOString();
        if (changes.role !== undefined && changes.role !== user.role) identity.setUserRole(id, changes.role);
        if (disabling) {
          identity.setUserDisabled(id, now);
          identity.revokeUserTokens(id, now);
          identity.deleteInviteCodes(id);
        } else if (changes.disabled === false && user.disabled_at) {
          identity.setUserDisabled(id, null);
        }
        return view(id);
      })();
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
