// Passwords (scrypt) and bearer tokens (random, stored only as SHA-256).
import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scryptParams = { N: 16384, r: 8, p: 1, keyLength: 64 };

function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const { N, r, p, keyLength } = scryptParams;
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, keyLength, { N, r, p });
  return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, N, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt') return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(N),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(actual, expected);
}

/** A hash to check against when the account does not exist, so timing does not reveal which emails do. */
export const decoyPasswordHash = await hashPassword(randomBytes(16).toString('hex'));

/**
 * Each kind of token has its own prefix, so a leaked one tells what it opens at a glance (and to secret
 * scanners), and a share link's token sent as a bearer is recognised. Share tokens minted before they
 * had their own prefix began with the session prefix; they still work, as every token is looked up by hash.
 */
export const tokenPrefixes = { session: 'pts', device: 'ptd', pairing: 'ptp', share: 'ptl', invite: 'pti' } as const;

export type TokenKind = keyof typeof tokenPrefixes;

/** 256 random bits behind the kind's prefix. */
export function newToken(kind: TokenKind): string {
  return `${tokenPrefixes[kind]}_${randomBytes(32).toString('base64url')}`;
}

export const isTokenOfKind = (token: string, kind: TokenKind): boolean => token.startsWith(`${tokenPrefixes[kind]}_`);

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
