// SQL for the shop, users, devices, bearer tokens and pairing codes.
import type { Db } from './database';

export type Role = 'owner' | 'seller' | 'packer';

export interface ShopRow {
  name: string;
  timezone: string;
  created_at: string;
}

export interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  role: Role;
  created_at: string;
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
  device_id: string | null;
  device_name: string | null;
  device_revoked_at: string | null;
}

export function createIdentityRepository(db: Db) {
  const statements = {
    getShop: db.prepare('SELECT name, timezone, created_at FROM shop WHERE id = 1'),
    insertShop: db.prepare('INSERT INTO shop (id, name, timezone, created_at) VALUES (1, @name, @timezone, @created_at)'),
    countUsers: db.prepare('SELECT count(*) FROM users').pluck(),
    insertUser: db.prepare(
      'INSERT INTO users (id, email, password_hash, role, created_at) VALUES (@id, @email, @password_hash, @role, @created_at)',
    ),
    getUserByEmail: db.prepare('SELECT * FROM users WHERE email = ?'),
    getUserById: db.prepare('SELECT * FROM users WHERE id = ?'),
    listUsers: db.prepare('SELECT * FROM users ORDER BY created_at'),
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
    getCredential: db.prepare(
      `SELECT t.id AS token_id, t.kind, t.expires_at,
              u.id AS user_id, u.email AS user_email, u.role AS user_role,
              d.id AS device_id, d.name AS device_name, d.revoked_at AS device_revoked_at
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
  };

  return {
    getShop: () => statements.getShop.get() as ShopRow | undefined,
    insertShop: (row: ShopRow) => statements.insertShop.run(row),
    countUsers: () => statements.countUsers.get() as number,
    insertUser: (row: UserRow) => statements.insertUser.run(row),
    getUserByEmail: (email: string) => statements.getUserByEmail.get(email) as UserRow | undefined,
    getUserById: (id: string) => statements.getUserById.get(id) as UserRow | undefined,
    listUsers: () => statements.listUsers.all() as UserRow[],
    insertDevice: (row: Omit<DeviceRow, 'revoked_at' | 'last_seen_at'>) => statements.insertDevice.run(row),
    getDevice: (id: string) => statements.getDevice.get(id) as DeviceRow | undefined,
    listDevices: () => statements.listDevices.all() as DeviceRow[],
    revokeDevice: (id: string, at: string) => statements.revokeDevice.run({ id, at }).changes > 0,
    touchDevice: (id: string, at: string) => statements.touchDevice.run({ id, at }),
    insertToken: (row: Omit<TokenRow, 'revoked_at'>) => statements.insertToken.run(row),
    revokeToken: (id: string, at: string) => statements.revokeToken.run({ id, at }),
    revokeDeviceTokens: (deviceId: string, at: string) => statements.revokeDeviceTokens.run({ device_id: deviceId, at }),
    getCredential: (tokenHash: string) => statements.getCredential.get(tokenHash) as CredentialRow | undefined,
    insertPairingCode: (row: { code_hash: string; device_id: string; expires_at: string }) =>
      statements.insertPairingCode.run(row),
    usePairingCode: (codeHash: string, at: string) =>
      (statements.usePairingCode.get({ code_hash: codeHash, at }) as { device_id: string } | undefined)?.device_id,
    deletePairingCodes: (deviceId: string) => statements.deletePairingCodes.run(deviceId),
  };
}

export type IdentityRepository = ReturnType<typeof createIdentityRepository>;
