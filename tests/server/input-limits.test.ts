// Bodies anyone can send cheaply must not cost the service dearly: small limits where no sign-in is needed,
// and no JSON nested deeper than any request of ours needs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChildServer, type ChildServer } from '../helpers/child-server';
import { setUpShop, startServer, tempDir, type TestServer } from '../helpers/server';

/** A megabyte (less a little, to stay within the signed-in limit) of `[[[…]]]`. */
const deepArrays = (bytes = 1_000_000) => '['.repeat(bytes / 2) + ']'.repeat(bytes / 2);
const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

describe('input limits', () => {
  let server: TestServer;
  let owner: string;
  beforeAll(async () => {
    server = await startServer();
    owner = (await setUpShop(server)).ownerToken;
  });
  afterAll(() => server.close());

  const sendJson = (method: string, route: string, body: string, token?: string) =>
    server.request(method, route, { token, body, headers: { 'content-type': 'application/json' } });

  it('refuses a body of more than a few kilobytes on routes open without signing in, with 413 PAYLOAD_TOO_LARGE', async () => {
    const padding = 'x'.repeat(20_000);
    for (const route of ['/api/v1/sessions', '/api/v1/setup', '/api/v1/devices/pair']) {
      const response = await sendJson('POST', route, JSON.stringify({ email: `${padding}@example.com`, password: padding, code: padding }));
      expect(response.status).toBe(413);
      expect((await response.json()).code).toBe('PAYLOAD_TOO_LARGE');
    }
    const signIn = await sendJson('POST', '/api/v1/sessions', JSON.stringify({ email: 'owner@example.com', password: 'correct horse battery' }));
    expect(signIn.status).toBe(200);
  });

  it('refuses JSON nested deeper than 32 levels with 400 VALIDATION_FAILED, and takes 32', async () => {
    const tooDeep = await sendJson('PUT', '/api/v1/orders/DEEP-1', nested(33), owner);
    expect(tooDeep.status).toBe(400);
    expect((await tooDeep.json()).code).toBe('VALIDATION_FAILED');
    // Parsed, then refused by the schema for its unknown field: the depth itself is fine.
    const deepEnough = await sendJson('PUT', '/api/v1/orders/DEEP-1', nested(32), owner);
    expect(deepEnough.status).toBe(400);
    expect((await deepEnough.json()).details).toBeDefined();
    // Brackets inside strings are text, not nesting.
    const inText = await sendJson('PUT', '/api/v1/orders/DEEP-1', JSON.stringify({ deliveryNote: '[{'.repeat(900) + '\\"[' }), owner);
    expect(inText.status).toBe(201);
  });
});

describe('a flood of nested JSON', () => {
  let server: ChildServer;
  let owner: string;
  beforeAll(async () => {
    // Its own process, so the clients' work of sending does not count against the server's answers.
    server = await startChildServer({ dataDir: tempDir() });
    const setup = await fetch(`${server.url}/api/v1/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@example.com', password: 'correct horse battery', shopName: 'Flood', timezone: 'UTC' }),
    });
    owner = (await setup.json()).token;
  }, 60_000);
  afterAll(() => server?.stop());

  it('keeps /healthz answering within a second while a hundred clients send nested megabytes at once, and refuses them all quickly', async () => {
    const body = Buffer.from(deepArrays());
    const send = (method: string, route: string, token?: string) =>
      fetch(server.url + route, { method, body, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } })
        .then((response) => response.status)
        // A server may close the connection on a body it will not read; that is a refusal too.
        .catch(() => 'closed' as const);
    let settled = false;
    const floodStarted = performance.now();
    const flood = Promise.all([
      ...Array.from({ length: 40 }, () => send('POST', '/api/v1/sessions')),
      ...Array.from({ length: 50 }, (_, i) => send('PUT', `/api/v1/orders/FLOOD-${i}`, owner)),
      ...Array.from({ length: 10 }, () => send('POST', '/api/v1/no-such-route')),
    ]).finally(() => {
      settled = true;
    });
    // Ask again and again while the bodies arrive: the slowest answer is what a load balancer would see.
    let slowestMs = 0;
    while (!settled) {
      const started = performance.now();
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      slowestMs = Math.max(slowestMs, performance.now() - started);
    }
    const answers = await flood;
    const floodMs = performance.now() - floodStarted;
    expect(answers.filter((status) => status !== 'closed' && (status < 400 || status >= 500))).toEqual([]);
    expect(slowestMs).toBeLessThan(1000);
    // Refused before being built in memory: parsing each megabyte alone took a quarter of a second.
    expect(floodMs).toBeLessThan(5000);
  }, 120_000);
});
