// Identity: first-run setup, sign-in sessions, and phones paired as packer devices. Users themselves
// (adding, inviting, disabling) are users.service.ts's; it starts sessions through `startSession`.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../storage/database';
import type { IdentityRepository, Role, DeviceRow, NewUserRow } from '../../storage/identity.repository';
import { fail } from '../errors';
import { requireStrongPassword } from './password-policy';
import { decoyPasswordHash, hashPassword, hashToken, newToken, verifyPassword } from './secrets';
import { createSignInThrottle } from './sign-in-throttle';
import { requireTimeZone } from './time';
import { toUserView } from './user-view';

export type Principal =
  | { kind: 'user'; id: string; email: string; role: Role; tokenId: string }
  | { kind: 'device'; id: string; name: string; role: 'packer'; tokenId: string };

export interface DeviceView {
  id: string;
  name: string;
  createdAt: string;
  lastSeenAt?: string;
}

const toDeviceView = (row: DeviceRow): DeviceView => ({
  id: row.id,
  name: row.name,
  createdAt: row.created_at,
  ...(row.last_seen_at ? { lastSeenAt: row.last_seen_at } : {}),
});

interface AuthDeps {
  db: Db;
  identity: IdentityRepository;
  clock: () => Date;
  config: { sessionTtlHours: number; pairingCodeTtlMinutes: number; publicUrl: string; loginAttemptsPerMinute: number };
  /** Called once the shop exists (the evidence log takes its name then). */
  onSetUp?: () => void;
}

/** How long failed sign-ins count against their address. */
const SIGN_IN_FAILURE_WINDOW_MS = 10 * 60_000;

/** How stale a phone's "last seen" may get before a request writes it again. */
const LAST_SEEN_EVERY_MS = 60_000;

export function createAuthService({ db, identity, clock, config, onSetUp }: AuthDeps) {
  // As many failures per address in ten minutes as one account may have in a minute.
  const throttle = createSignInThrottle({ clock, maxFailures: config.loginAttemptsPerMinute, windowMs: SIGN_IN_FAILURE_WINDOW_MS });
  const hoursFromNow = (hours: number) => new Date(clock().getTime() + hours * 3_600_000).toISOString();

  /**
   * A phone's "last seen", written at most once a minute: it is a hint for the Phones screen, and each
   * write is a single statement that waits for the database's lock. While an order import commits, a
   * write per request held every phone's request (and the event loop) for that wait; when the lock is
   * held it is left for a later request rather than refuse this one.
   */
  const lastTried = new Map<string, number>();
  function noteDeviceSeen(deviceId: string, lastSeenAt: string | null, now: Date) {
    const last = Math.max(lastSeenAt !== null ? Date.parse(lastSeenAt) : 0, lastTried.get(deviceId) ?? 0);
    if (now.getTime() - last < LAST_SEEN_EVERY_MS) return;
    // Tried, whether or not it is written: a busy lock is not waited for again within the minute.
    lastTried.set(deviceId, now.getTime());
    try {
      identity.touchDevice(deviceId, now.toISOString());
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
    }
  }

  /** A new session for the user, and its sign-in noted for the owner's list. */
  function startSession(userId: string): { token: string; expiresAt: string } {
    const token = newToken('session');
    const expiresAt = hoursFromNow(config.sessionTtlHours);
    identity.touchSignIn(userId, clock().toISOString());
    identity.insertToken({
      id: randomUUID(),
      token_hash: hashToken(token),
      kind: 'session',
      user_id: userId,
      device_id: null,
      created_at: clock().toISOString(),
      expires_at: expiresAt,
    });
    return { token, expiresAt };
  }

  function issueDeviceToken(deviceId: string): string {
    const token = newToken('device');
    identity.insertToken({
      id: randomUUID(),
      token_hash: hashToken(token),
      kind: 'device',
      user_id: null,
      device_id: deviceId,
      created_at: clock().toISOString(),
      expires_at: null,
    });
    return token;
  }

  return {
    isSetUp: () => identity.countUsers() > 0,

    startSession,

    async setup(input: { email: string; password: string; shopName: string; timezone?: string }) {
      const timezone = requireTimeZone(input.timezone ?? 'UTC');
      if (identity.countUsers() > 0) fail('ALREADY_SET_UP');
      await requireStrongPassword(input.password, [input.email, input.shopName]);
      const passwordHash = await hashPassword(input.password);
      const result = db.transaction(() => {
        // Checked again inside the transaction: two racing setups must not both win.
        if (identity.countUsers() > 0) fail('ALREADY_SET_UP');
        const now = clock().toISOString();
        identity.insertShop({ name: input.shopName, timezone, created_at: now });
        const user: NewUserRow = { id: randomUUID(), email: input.email, password_hash: passwordHash, role: 'owner', created_at: now };
        identity.insertUser(user);
        const session = startSession(user.id);
        return { user: toUserView(identity.getUserById(user.id)!), ...session };
      })();
      onSetUp?.();
      return result;
    },

    /** `address` is the client's: its failures across all accounts are limited. */
    async login(email: string, password: string, address: string) {
      const attempt = throttle.begin(address);
      let matches = false;
      const user = identity.getUserByEmail(email);
      try {
        // An invited user has no password yet: checked against the decoy too, so its answer takes as
        // long as anyone's, and it never matches.
        const verified = await verifyPassword(password, user?.password_hash || decoyPasswordHash);
        matches = verified && Boolean(user?.password_hash);
      } finally {
        if (user && matches) attempt.succeeded();
        else attempt.failed();
      }
      if (!user || !matches) fail('UNAUTHORIZED', 'The email or password is wrong.');
      // Said only to whoever knows the password: the owner disabled this account on purpose.
      if (user.disabled_at) fail('ACCOUNT_DISABLED');
      const session = startSession(user.id);
      return { user: toUserView(identity.getUserById(user.id)!), ...session };
    },

    logout(principal: Principal) {
      identity.revokeToken(principal.tokenId, clock().toISOString());
    },

    authenticate(token: string): Principal | undefined {
      const credential = identity.getCredential(hashToken(token));
      if (!credential) return undefined;
      const now = clock();
      if (credential.expires_at && new Date(credential.expires_at) <= now) return undefined;
      if (credential.user_id && credential.user_email && credential.user_role) {
        // Disabling revokes the user's tokens; this holds even for one that escaped that.
        if (credential.user_disabled_at) return undefined;
        return { kind: 'user', id: credential.user_id, email: credential.user_email, role: credential.user_role, tokenId: credential.token_id };
      }
      if (credential.device_id && credential.device_name && !credential.device_revoked_at) {
        noteDeviceSeen(credential.device_id, credential.device_last_seen_at, now);
        return { kind: 'device', id: credential.device_id, name: credential.device_name, role: 'packer', tokenId: credential.token_id };
      }
      return undefined;
    },

    /** The token is a packer credential shown once; the pairing link lets a phone get its own without typing it. */
    createDevice(creator: Principal, name: string) {
      const now = clock().toISOString();
      const device = { id: randomUUID(), name, created_by: creator.id, created_at: now };
      const pairingCode = newToken('pairing');
      const pairingExpiresAt = new Date(clock().getTime() + config.pairingCodeTtlMinutes * 60_000).toISOString();
      const token = db.transaction(() => {
        identity.insertDevice(device);
        identity.insertPairingCode({ code_hash: hashToken(pairingCode), device_id: device.id, expires_at: pairingExpiresAt });
        return issueDeviceToken(device.id);
      })();
      return {
        id: device.id,
        name,
        createdAt: now,
        token,
        // In the fragment, so the one-time code never reaches server or proxy logs.
        pairingUrl: `${config.publicUrl}/pack#pair=${pairingCode}`,
        pairingExpiresAt,
      };
    },

    pairDevice(code: string) {
      return db.transaction(() => {
        const deviceId = identity.usePairingCode(hashToken(code), clock().toISOString());
        const device = deviceId ? identity.getDevice(deviceId) : undefined;
        if (!device || device.revoked_at) fail('UNAUTHORIZED', 'This pairing link is invalid, used or expired; ask for a new one.');
        return { device: toDeviceView(device), token: issueDeviceToken(device.id) };
      })();
    },

    listDevices: () => identity.listDevices().map(toDeviceView),

    revokeDevice(id: string) {
      const device = identity.getDevice(id);
      if (!device || device.revoked_at) fail('NOT_FOUND', 'No such device.');
      const now = clock().toISOString();
      db.transaction(() => {
        identity.revokeDevice(id, now);
        identity.revokeDeviceTokens(id, now);
        identity.deletePairingCodes(id);
      })();
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
