// SQL for the shop, users, devices, bearer tokens, pairing codes and invite codes.
import type { Db } from './database';

export type Role = 'owner' | 'seller' | 'packer';

export interface ShopRow {
  name: string;
  timezone: string;
  /** A Language code (server/domain/vocabulary.ts). */
  report_language: string;
  /** Counted in an order's expected weight when the order gives none (015). */
  packaging_weight_grams: number;
  weight_tolerance_percent: number;
  created_at: string;
}

/** Settings the first-run setup leaves at their defaults. */
type ShopDefaults = 'report_language' | 'packaging_weight_grams' | 'weight_tolerance_percent';

export type ShopChanges = Partial<Pick<ShopRow, 'name' | 'timezone' | ShopDefaults>>;

export interface UserRow {
  id: string;
  email: string;
  /** Empty while an invited user has not yet set a password. */
  password_hash: string;
  role: Role;
  created_at: string;
  disabled_at: string | null;
  last_sign_in_at: string | null;
}

export type NewUserRow = Omit<UserRow, 'disabled_at' | 'last_sign_in_at'>;

/** A user with the expiry of its newest unused invite code, if any. */
export interface ListedUserRow extends UserRow {
  invite_expires_at: string | null;
}

export interface DeviceRow {
  id: string;
  name: string;
  created_by: string;
  created_at: string;
  revoked_at: string | null;
  last_seen_at: string | null;
}

export interface TokenRow {
  id: string;
  token_hash: string;
  kind: 'api' | 'session' | 'device';
  user_id: string | null;
  device_id: string | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

/** A token joined with whoever it belongs to, for authenticating one request. */
export interface CredentialRow {
  token_id: string;
  kind: TokenRow['kind'];
  expires_at: string | null;
  user_id: string | null;
  user_email: string | null;
  user_role: Role | null;
  user_disabled_at: string | null;
  device_id: string | null;
  device_name: string | null;
  device_revoked_at: string | null;
  device_last_seen_at: string | null;
}

export function createIdentityRepository(db: Db) {
  const statements = {
    getShop: db.prepare('SELECT name, timezone, report_language, packaging_weight_grams, weight_tolerance_percent, created_at FROM shop WHERE id = 1'),
    insertShop: db.prepare('INSERT INTO shop (id, name, timezone, created_at) VALUES (1, @name, @timezone, @created_at)'),
    updateShop: db.prepare(
      `UPDATE shop SET name = coalesce(@name, name), timezone = coalesce(@timezone, timezone),
                       report_language = coalesce(@report_language, report_language),
                       packaging_weight_grams = coalesce(@packaging_weight_grams, packaging_weight_grams),
                       weight_tolerance_percent = coalesce(@weight_tolerance_percent, weight_tolerance_percent)
       WHERE id = 1`,
    ),
    countUsers: db.prepare('SELECT count(*) FROM users').pluck(),
    insertUser: db.prepare(
      'INSERT INTO users (id, email, password_hash, role, created_at) VALUES (@id, @email, @password_hash, @role, @created_at)',
    ),
    getUserByEmail: db.prepare('SELECT * FROM users WHERE email = ?'),
    getUserById: db.prepare('SELECT * FROM users WHERE id = ?'),
    listUsers: db.prepare(
      `SELECT u.*, (SELECT max(i.expires_at) FROM invite_codes i WHERE i.user_id = u.id AND i.used_at IS NULL) AS invite_expires_at
       FROM users u ORDER BY u.created_at`,
    ),
    countActiveOwners: db.prepare("SELECT count(*) FROM users WHERE role = 'owner' AND disabled_at IS NULL AND password_hash <> ''").pluck(),
    setUserRole: db.prepare('UPDATE users SET role = @role WHERE id = @id'),
    setUserDisabled: db.prepare('UPDATE users SET disabled_at = @at WHERE id = @id'),
    setPassword: db.prepare('UPDATE users SET password_hash = @password_hash WHERE id = @id'),
    touchSignIn: db.prepare('UPDATE users SET last_sign_in_at = @at WHERE id = @id'),
    insertDevice: db.prepare(
      'INSERT INTO devices (id, name, created_by, created_at) VALUES (@id, @name, @created_by, @created_at)',
    ),
    getDevice: db.prepare('SELECT * FROM devices WHERE id = ?'),
    listDevices: db.prepare('SELECT * FROM devices WHERE revoked_at IS NULL ORDER BY created_at'),
    revokeDevice: db.prepare('UPDATE devices SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL'),
    touchDevice: db.prepare('UPDATE devices SET last_seen_at = @at WHERE id = @id'),
    insertToken: db.prepare(
      `INSERT INTO tokens (id, token_hash, kind, user_id, device_id, created_at, expires_at)
       VALUES (@id, @token_hash, @kind, @user_id, @device_id, @created_at, @expires_at)`,
    ),
    revokeToken: db.prepare('UPDATE tokens SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL'),
    revokeDeviceTokens: db.prepare('UPDATE tokens SET revoked_at = @at WHERE device_id = @device_id AND revoked_at IS NULL'),
    revokeUserTokens: db.prepare('UPDATE tokens SET revoked_at = @at WHERE user_id = @user_id AND revoked_at IS NULL'),
    getCredential: db.prepare(
      `SELECT t.id AS token_id, t.kind, t.expires_at,
              u.id AS user_id, u.email AS user_email, u.role AS user_role, u.disabled_at AS user_disabled_at,
              d.id AS device_id, d.name AS device_name, d.revoked_at AS device_revoked_at, d.last_seen_at AS device_last_seen_at
       FROM tokens t
       LEFT JOIN users u ON u.id = t.user_id
       LEFT JOIN devices d ON d.id = t.device_id
       WHERE t.token_hash = ? AND t.revoked_at IS NULL`,
    ),
    insertPairingCode: db.prepare(
      'INSERT INTO pairing_codes (code_hash, device_id, expires_at) VALUES (@code_hash, @device_id, @expires_at)',
    ),
    usePairingCode: db.prepare(
      `UPDATE pairing_codes SET used_at = @at
       WHERE code_hash = @code_hash AND used_at IS NULL AND expires_at > @at
       RETURNING device_id`,
    ),
    deletePairingCodes: db.prepare('DELETE FROM pairing_codes WHERE device_id = ?'),
    insertInviteCode: db.prepare(
      'INSERT INTO invite_codes (code_hash, user_id, created_by, expires_at) VALUES (@code_hash, @user_id, @created_by, @expires_at)',
    ),
    findInviteCode: db.prepare('SELECT user_id FROM invite_codes WHERE code_hash = @code_hash AND used_at IS NULL AND expires_at > @at').pluck(),
    useInviteCode: db.prepare(
      `UPDATE invite_codes SET used_at = @at
       WHERE code_hash = @code_hash AND used_at IS NULL AND expires_at > @at
       RETURNING user_id`,
    ),
    deleteInviteCodes: db.prepare('DELETE FROM invite_codes WHERE user_id = ? AND used_at IS NULL'),
  };

  return {
    getShop: () => statements.getShop.get() as ShopRow | undefined,
    insertShop: (row: Omit<ShopRow, ShopDefaults>) => statements.insertShop.run(row),
    updateShop: (changes: ShopChanges) =>
      statements.updateShop.run({
        name: changes.name ?? null,
        timezone: changes.timezone ?? null,
        report_language: changes.report_language ?? null,
        packaging_weight_grams: changes.packaging_weight_grams ?? null,
        weight_tolerance_percent: changes.weight_tolerance_percent ?? null,
      }),
    countUsers: () => statements.countUsers.get() as number,
    insertUser: (row: NewUserRow) => statements.insertUser.run(row),
    getUserByEmail: (email: string) => statements.getUserByEmail.get(email) as UserRow | undefined,
    getUserById: (id: string) => statements.getUserById.get(id) as UserRow | undefined,
    listUsers: () => statements.listUsers.all() as ListedUserRow[],
    /** Owners who can sign in: not disabled, and with a password (not an invite still open). */
    countActiveOwners: () => statements.countActiveOwners.get() as number,
    setUserRole: (id: string, role: Role) => statements.setUserRole.run({ id, role }),
    setUserDisabled: (id: string, at: string | null) => statements.setUserDisabled.run({ id, at }),
    setPassword: (id: string, passwordHash: string) => statements.setPassword.run({ id, password_hash: passwordHash }),
    touchSignIn: (id: string, at: string) => statements.touchSignIn.run({ id, at }),
    insertDevice: (row: Omit<DeviceRow, 'revoked_at' | 'last_seen_at'>) => statements.insertDevice.run(row),
    getDevice: (id: string) => statements.getDevice.get(id) as DeviceRow | undefined,
    listDevices: () => statements.listDevices.all() as DeviceRow[],
    revokeDevice: (id: string, at: string) => statements.revokeDevice.run({ id, at }).changes > 0,
    touchDevice: (id: string, at: string) => statements.touchDevice.run({ id, at }),
    insertToken: (row: Omit<TokenRow, 'revoked_at'>) => statements.insertToken.run(row),
    revokeToken: (id: string, at: string) => statements.revokeToken.run({ id, at }),
    revokeDeviceTokens: (deviceId: string, at: string) => statements.revokeDeviceTokens.run({ device_id: deviceId, at }),
    revokeUserTokens: (userId: string, at: string) => statements.revokeUserTokens.run({ user_id: userId, at }),
    getCredential: (tokenHash: string) => statements.getCredential.get(tokenHash) as CredentialRow | undefined,
    insertPairingCode: (row: { code_hash: string; device_id: string; expires_at: string }) =>
      statements.insertPairingCode.run(row),
    usePairingCode: (codeHash: string, at: string) =>
      (statements.usePairingCode.get({ code_hash: codeHash, at }) as { device_id: string } | undefined)?.device_id,
    deletePairingCodes: (deviceId: string) => statements.deletePairingCodes.run(deviceId),
    insertInviteCode: (row: { code_hash: string; user_id: string; created_by: string; expires_at: string }) => statements.insertInviteCode.run(row),
    /** The user an unused, unexpired invite code is for; the code stays usable. */
    findInviteCode: (codeHash: string, at: string) => statements.findInviteCode.get({ code_hash: codeHash, at }) as string | undefined,
    /** Uses the code up and answers whose it was, or undefined when it is unknown, used or expired. */
    useInviteCode: (codeHash: string, at: string) =>
      (statements.useInviteCode.get({ code_hash: codeHash, at }) as { user_id: string } | undefined)?.user_id,
    deleteInviteCodes: (userId: string) => statements.deleteInviteCodes.run(userId),
  };
}

export type IdentityRepository = ReturnType<typeof createIdentityRepository>;
