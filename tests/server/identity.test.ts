import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setUpShop, startServer, type TestServer } from '../helpers/server';

describe('setup and sign-in', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startServer({ LOGIN_ATTEMPTS_PER_MINUTE: '5' });
  });
  afterEach(() => server.close());

  it('sets up the shop once, and refuses a second setup with 409 ALREADY_SET_UP', async () => {
    const first = await server.request('POST', '/api/v1/setup', {
      json: { email: 'a@example.com', password: 'long enough', shopName: 'Napkin Shop', timezone: 'Asia/Seoul' },
    });
    expect(first.status).toBe(201);
    const body = await first.json();
    expect(body.user).toMatchObject({ email: 'a@example.com', role: 'owner' });
    expect(body.token).toMatch(/^pts_/);
    expect(first.headers.get('set-cookie')).toMatch(/packtrail_session=.*HttpOnly/i);

    const second = await server.request('POST', '/api/v1/setup', {
      json: { email: 'b@example.com', password: 'long enough', shopName: 'Other' },
    });
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({ statusCode: 409, code: 'ALREADY_SET_UP' });
  });

  it('rejects an unknown time zone and a short password with VALIDATION_FAILED', async () => {
    const zone = await server.request('POST', '/api/v1/setup', {
      json: { email: 'a@example.com', password: 'long enough', shopName: 'S', timezone: 'Mars/Olympus' },
    });
    expect(zone.status).toBe(400);
    expect((await zone.json()).code).toBe('VALIDATION_FAILED');
    const short = await server.request('POST', '/api/v1/setup', { json: { email: 'a@example.com', password: 'short', shopName: 'S' } });
    expect(short.status).toBe(400);
  });

  it('signs in with the right password, sets a cookie that works, and refuses a wrong one with 401', async () => {
    await setUpShop(server);
    const bad = await server.request('POST', '/api/v1/sessions', { json: { email: 'owner@example.com', password: 'wrong password' } });
    expect(bad.status).toBe(401);
    expect((await bad.json()).code).toBe('UNAUTHORIZED');

    const good = await server.request('POST', '/api/v1/sessions', { json: { email: 'OWNER@example.com', password: 'correct horse battery' } });
    expect(good.status).toBe(200);
    const cookie = good.headers.get('set-cookie')!.split(';')[0];
    const me = await server.request('GET', '/api/v1/me', { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ kind: 'user', role: 'owner', shop: { name: '포장 상점', timezone: 'Asia/Seoul' } });

    // A browser names the page's origin on a DELETE; the cookie alone does not change anything.
    const logout = await server.request('DELETE', '/api/v1/sessions/current', { headers: { cookie, origin: server.url } });
    expect(logout.status).toBe(204);
    expect((await server.request('GET', '/api/v1/me', { headers: { cookie } })).status).toBe(401);
  });

  it('rate-limits repeated sign-in attempts on one account with 429', async () => {
    await setUpShop(server);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const response = await server.request('POST', '/api/v1/sessions', { json: { email: 'owner@example.com', password: `guess-${i}` } });
      statuses.push(response.status);
      if (response.status === 429) expect((await response.json()).code).toBe('TOO_MANY_REQUESTS');
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.at(-1)).toBe(429);
  });

  it('pairs a phone once from the pairing link, and a revoked device is refused at once', async () => {
    const shop = await setUpShop(server);
    const device = await shop.deviceToken('Packing table 1');
    expect(device.pairingUrl).toMatch(/\/pack#pair=ptp_/);
    const code = new URL(device.pairingUrl).hash.replace('#pair=', '');

    const paired = await server.request('POST', '/api/v1/devices/pair', { json: { code } });
    expect(paired.status).toBe(200);
    const phoneToken = (await paired.json()).token as string;
    expect((await server.request('GET', '/api/v1/me', { token: phoneToken })).status).toBe(200);

    const reused = await server.request('POST', '/api/v1/devices/pair', { json: { code } });
    expect(reused.status).toBe(401);

    const revoked = await server.request('DELETE', `/api/v1/devices/${device.id}`, { token: shop.ownerToken });
    expect(revoked.status).toBe(204);
    for (const token of [phoneToken, device.token]) {
      const after = await server.request('GET', '/api/v1/orders', { token });
      expect(after.status).toBe(401);
      expect((await after.json()).code).toBe('UNAUTHORIZED');
    }
  });

  it('expires a pairing link after its time is up', async () => {
    await server.close();
    let now = new Date('2026-11-23T00:00:00Z');
    server = await startServer({ PAIRING_CODE_TTL_MINUTES: '10' }, { clock: () => now });
    const shop = await setUpShop(server);
    const device = await shop.deviceToken();
    now = new Date(now.getTime() + 11 * 60_000);
    const code = new URL(device.pairingUrl).hash.replace('#pair=', '');
    expect((await server.request('POST', '/api/v1/devices/pair', { json: { code } })).status).toBe(401);
  });
});

describe('passwords (NIST SP 800-63B)', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(() => server.close());

  const setup = (password: string) =>
    server.request('POST', '/api/v1/setup', { json: { email: 'mina@example.com', password, shopName: 'Napkin Shop' } });

  it('refuses common, repeated and guessable passwords at setup with 400 WEAK_PASSWORD, and sets nothing up', async () => {
    for (const password of ['12345678', 'password', '        ', 'Password1!', 'qwertyuiop', 'napkinshop']) {
      const response = await setup(password);
      expect(response.status, password).toBe(400);
      const body = await response.json();
      expect(body).toMatchObject({ statusCode: 400, code: 'WEAK_PASSWORD', error: 'Bad Request' });
      expect(body.message).toMatch(/passphrase/);
    }
    expect((await setup('linen napkins fold twice')).status).toBe(201);
  });

  it('accepts a long passphrase with spaces, Korean and emoji, and signs in with it', async () => {
    const passphrase = '봄날의 포장 상자는 테이프로 세 번 감는다, and the kettle sings at noon 🌧️ every Tuesday';
    expect([...passphrase].length).toBeGreaterThan(64);
    expect((await setup(passphrase)).status).toBe(201);
    const signIn = await server.request('POST', '/api/v1/sessions', { json: { email: 'mina@example.com', password: passphrase } });
    expect(signIn.status).toBe(200);
  });

  it('refuses a weak password for a new user, and creates no user', async () => {
    const owner = await setUpShop(server);
    const weak = await server.request('POST', '/api/v1/users', { token: owner.ownerToken, json: { email: 'packer@example.com', password: 'password123', role: 'packer' } });
    expect(weak.status).toBe(400);
    expect((await weak.json()).code).toBe('WEAK_PASSWORD');
    const users = await (await server.request('GET', '/api/v1/users', { token: owner.ownerToken })).json();
    expect(users.items.map((user: { email: string }) => user.email)).toEqual(['owner@example.com']);
  });
});

describe('sign-in limits per address', () => {
  let server: TestServer;
  beforeEach(async () => {
    // Behind a proxy, so each test client can speak from an address of its own.
    server = await startServer({ TRUST_PROXY: 'true' });
  });
  afterEach(() => server.close());

  const signIn = (address: string, email: string, password: string) =>
    server.request('POST', '/api/v1/sessions', { headers: { 'x-forwarded-for': address }, json: { email, password } });

  it('answers ten failed sign-ins from one address, then 429 whichever account is tried', async () => {
    await setUpShop(server);
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const response = await signIn('203.0.113.7', `user${i}@example.com`, 'Summer2026!');
      statuses.push(response.status);
      if (response.status === 429) expect((await response.json()).code).toBe('TOO_MANY_REQUESTS');
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(30).fill(429));
    // The right password is refused too from that address: a guess past the limit learns nothing.
    expect((await signIn('203.0.113.7', 'owner@example.com', 'correct horse battery')).status).toBe(429);
    // Everyone else signs in as before.
    expect((await signIn('198.51.100.2', 'owner@example.com', 'correct horse battery')).status).toBe(200);
  });

  it('counts guesses sent all at once: no more than ten of forty are answered', async () => {
    await setUpShop(server);
    const responses = await Promise.all(Array.from({ length: 40 }, (_, i) => signIn('203.0.113.8', `user${i}@example.com`, 'Summer2026!')));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(10);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(30);
  });

  it('limits setup attempts per address too', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const response = await server.request('POST', '/api/v1/setup', { headers: { 'x-forwarded-for': '203.0.113.9' }, json: { email: 'a@example.com', password: '12345678', shopName: 'S' } });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(400));
    expect(statuses.slice(10)).toEqual([429, 429]);
  });
});

describe('token kinds', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(() => server.close());

  it('gives sessions, devices, pairing codes and share links each their own prefix, and refuses a share token as a bearer with 401', async () => {
    const shop = await setUpShop(server);
    expect(shop.ownerToken).toMatch(/^pts_/);
    const device = await shop.deviceToken();
    expect(device.token).toMatch(/^ptd_/);
    expect(device.pairingUrl).toMatch(/#pair=ptp_/);
    await server.request('PUT', '/api/v1/orders/TOKENS-1', { token: shop.ownerToken, json: {} });
    const dispute = await (await server.request('POST', '/api/v1/disputes', { token: shop.ownerToken, json: { orderId: 'TOKENS-1', reason: 'item_missing', counterparty: 'marketplace' } })).json();
    const share = await (await server.request('POST', `/api/v1/disputes/${dispute.id}/shares`, { token: shop.ownerToken, json: { expiresInHours: 24 } })).json();
    const shareToken = share.url.split('/s/')[1];
    expect(shareToken).toMatch(/^ptl_/);

    expect((await fetch(`${server.url}/s/${shareToken}`)).status).toBe(200);
    const attempts: Record<string, string>[] = [{ authorization: `Bearer ${shareToken}` }, { cookie: `packtrail_session=${shareToken}` }];
    for (const headers of attempts) {
      const asBearer = await server.request('GET', '/api/v1/me', { headers });
      expect(asBearer.status).toBe(401);
      const body = await asBearer.json();
      expect(body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
      expect(body.message).toMatch(/share link/);
    }
  });

  it('still opens a share link minted before share tokens had their own prefix', async () => {
    const shop = await setUpShop(server);
    await server.request('PUT', '/api/v1/orders/TOKENS-2', { token: shop.ownerToken, json: {} });
    const dispute = await (await server.request('POST', '/api/v1/disputes', { token: shop.ownerToken, json: { orderId: 'TOKENS-2', reason: 'item_missing', counterparty: 'marketplace' } })).json();
    const legacy = `pts_${'L'.repeat(43)}`;
    const db = new Database(path.join(server.dataDir, 'packtrail.sqlite'));
    db.prepare('INSERT INTO shares (id, dispute_id, token_hash, created_by, created_at, expires_at) VALUES (?, ?, ?, NULL, ?, ?)').run(
      randomUUID(), dispute.id, createHash('sha256').update(legacy).digest('hex'), new Date().toISOString(), new Date(Date.now() + 3_600_000).toISOString(),
    );
    db.close();
    expect((await fetch(`${server.url}/s/${legacy}`)).status).toBe(200);
    expect((await server.request('GET', '/api/v1/me', { token: legacy })).status).toBe(401);
  });
});
