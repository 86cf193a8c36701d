// A page on another site, or on another port of the same host, must not change anything with the
// seller's session cookie: the browser attaches the cookie, but it also names the page's origin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpShop, startServer, type TestServer } from '../helpers/server';

const PUBLIC_URL = 'http://packtrail.test:8080';

describe('cross-site requests with the session cookie', () => {
  let server: TestServer;
  let cookie: string;
  let token: string;
  let foreign: string;

  beforeAll(async () => {
    server = await startServer({ PUBLIC_URL });
    token = (await setUpShop(server)).ownerToken;
    const signIn = await server.request('POST', '/api/v1/sessions', { json: { email: 'owner@example.com', password: 'correct horse battery' } });
    cookie = signIn.headers.get('set-cookie')!.split(';')[0];
    // The same host on another port: same-site, so SameSite=Lax sends the cookie, but another origin.
    const port = Number(new URL(server.url).port);
    foreign = `http://127.0.0.1:${port === 65535 ? port - 1 : port + 1}`;
  });
  afterAll(() => server.close());

  const newCapture = (headers: Record<string, string>) =>
    server.request('POST', '/api/v1/captures', { headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ orderId: 'CSRF-1', kind: 'packing' }) });

  it('refuses a change with the cookie from a page of another origin with 403 CSRF_REJECTED', async () => {
    const response = await newCapture({ cookie, origin: foreign });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ statusCode: 403, code: 'CSRF_REJECTED', error: 'Forbidden' });
    const other = await newCapture({ cookie, origin: 'https://evil.example' });
    expect(other.status).toBe(403);
    const opaque = await newCapture({ cookie, origin: 'null' });
    expect(opaque.status).toBe(403);
  });

  it('refuses finishing a capture with a text/plain body sent from another port, and leaves it open', async () => {
    const capture = await (await server.request('POST', '/api/v1/captures', { token, json: { orderId: 'CSRF-2', kind: 'packing' } })).json();
    const finish = await server.request('POST', `/api/v1/captures/${capture.id}/finish`, {
      headers: { cookie, origin: foreign, 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(finish.status).toBe(403);
    expect((await finish.json()).code).toBe('CSRF_REJECTED');
    const after = await (await server.request('GET', `/api/v1/captures/${capture.id}`, { token })).json();
    expect(after.status).toBe('open');
  });

  it('accepts a change with the cookie from its own origin: the address it was sent to, or PUBLIC_URL', async () => {
    expect((await newCapture({ cookie, origin: server.url })).status).toBe(201);
    expect((await newCapture({ cookie, origin: PUBLIC_URL })).status).toBe(201);
    expect((await newCapture({ cookie, 'sec-fetch-site': 'same-origin' })).status).toBe(201);
  });

  it('refuses a change with the cookie that names no origin unless the browser says it is same-origin', async () => {
    for (const site of ['cross-site', 'same-site', 'none']) {
      const response = await newCapture({ cookie, 'sec-fetch-site': site });
      expect(response.status, site).toBe(403);
      expect((await response.json()).code).toBe('CSRF_REJECTED');
    }
    expect((await newCapture({ cookie })).status).toBe(403);
  });

  it('lets a bearer token through whatever the origin, and lets the cookie read from anywhere', async () => {
    const withBearer = await server.request('POST', '/api/v1/captures', { token, headers: { origin: foreign, cookie }, json: { orderId: 'CSRF-3', kind: 'packing' } });
    expect(withBearer.status).toBe(201);
    const read = await server.request('GET', '/api/v1/me', { headers: { cookie, origin: foreign } });
    expect(read.status).toBe(200);
  });

  it('refuses signing out and deleting with the cookie from another origin', async () => {
    const logout = await server.request('DELETE', '/api/v1/sessions/current', { headers: { cookie, origin: foreign } });
    expect(logout.status).toBe(403);
    expect((await server.request('GET', '/api/v1/me', { headers: { cookie } })).status).toBe(200);
  });

  it('refuses resumable upload creation and appends with the cookie from another origin', async () => {
    const capture = await (await server.request('POST', '/api/v1/captures', { token, json: { orderId: 'CSRF-4', kind: 'packing' } })).json();
    const metadata = `captureId ${Buffer.from(capture.id).toString('base64')},filename ${Buffer.from('a.png').toString('base64')}`;
    const tus = { 'tus-resumable': '1.0.0' };
    const create = await server.request('POST', '/api/v1/uploads', {
      headers: { ...tus, cookie, origin: foreign, 'upload-length': '10', 'upload-metadata': metadata },
    });
    expect(create.status).toBe(403);
    expect((await create.json()).code).toBe('CSRF_REJECTED');

    const created = await server.request('POST', '/api/v1/uploads', { token, headers: { ...tus, 'upload-length': '10', 'upload-metadata': metadata } });
    expect(created.status).toBe(201);
    const location = new URL(created.headers.get('location')!, server.url).pathname;
    const append = await server.request('PATCH', location, {
      headers: { ...tus, cookie, origin: foreign, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      body: new Uint8Array(5),
    });
    expect(append.status).toBe(403);
    const offset = await server.request('HEAD', location, { token, headers: tus });
    expect(offset.headers.get('upload-offset')).toBe('0');
    const terminate = await server.request('DELETE', location, { headers: { ...tus, cookie, origin: foreign } });
    expect(terminate.status).toBe(403);
  });
});
