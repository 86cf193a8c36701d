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

  it('rate-limits repeated sign-in attempts with 429', async () => {
    await setUpShop(server);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const response = await server.request('POST', '/api/v1/sessions', { json: { email: 'owner@example.com', password: `guess-${i}` } });
      statuses.push(response.status);
      if (response.status === 429) expect((await response.json()).code).toBe('TOO_MANY_REQUESTS');
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.at(-1)).toBe(429);
    // Another account from the same address can still sign in.
    const other = await server.request('POST', '/api/v1/sessions', { json: { email: 'someone-else@example.com', password: 'whatever-123' } });
    expect(other.status).toBe(401);
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
