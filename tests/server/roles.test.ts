// Every route × every kind of caller: what each role may do, and that nobody else may.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpShop, startServer, type TestServer } from '../helpers/server';

type Caller = 'anonymous' | 'owner' | 'seller' | 'packer' | 'device' | 'revokedDevice';
const callers: Caller[] = ['anonymous', 'owner', 'seller', 'packer', 'device', 'revokedDevice'];

interface RouteCase {
  name: string;
  allowed: Caller[];
  call(token: string | undefined): Promise<Response>;
}

describe('role matrix', () => {
  let server: TestServer;
  const tokens: Partial<Record<Caller, string>> = {};
  let captureId: string;
  let mediaId: string;
  const spareDeviceIds: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    const shop = await setUpShop(server);
    tokens.owner = shop.ownerToken;
    tokens.seller = await shop.token('seller');
    tokens.packer = await shop.token('packer');
    tokens.device = (await shop.deviceToken('active')).token;
    const revoked = await shop.deviceToken('lost phone');
    tokens.revokedDevice = revoked.token;
    await server.request('DELETE', `/api/v1/devices/${revoked.id}`, { token: shop.ownerToken });
    for (let i = 0; i < callers.length; i++) spareDeviceIds.push((await shop.deviceToken(`spare ${i}`)).id);

    await server.request('PUT', '/api/v1/orders/ORD-1', { token: shop.ownerToken, json: { carrier: 'CJ' } });
    const capture = await server.request('POST', '/api/v1/captures', { token: shop.ownerToken, json: { orderId: 'ORD-1', kind: 'packing' } });
    captureId = (await capture.json()).id;
    const form = new FormData();
    form.append('file', new Blob([Buffer.from('%PDF-1.4\n%%EOF\n')]), 'note.pdf');
    const upload = await server.request('POST', `/api/v1/captures/${captureId}/media`, { token: shop.ownerToken, body: form });
    mediaId = (await upload.json()).media[0].id;
  });
  afterAll(() => server.close());

  const staff: Caller[] = ['owner', 'seller'];
  const everyone: Caller[] = ['owner', 'seller', 'packer', 'device'];
  let counter = 0;

  /** A capture the caller started itself (only its starter or staff may change one); the shop's for callers who cannot start one. */
  async function ownCapture(token: string | undefined): Promise<string> {
    const started = await server.request('POST', '/api/v1/captures', { token, json: { orderId: 'ORD-1', kind: 'packing' } });
    return started.status === 201 ? ((await started.json()) as { id: string }).id : captureId;
  }

  const routes: RouteCase[] = [
    { name: 'POST /users', allowed: ['owner'], call: (t) => server.request('POST', '/api/v1/users', { token: t, json: { email: `u${++counter}@example.com`, password: 'staff passphrase 42', role: 'seller' } }) },
    { name: 'GET /users', allowed: ['owner'], call: (t) => server.request('GET', '/api/v1/users', { token: t }) },
    { name: 'POST /devices', allowed: staff, call: (t) => server.request('POST', '/api/v1/devices', { token: t, json: { name: 'phone' } }) },
    { name: 'GET /devices', allowed: staff, call: (t) => server.request('GET', '/api/v1/devices', { token: t }) },
    { name: 'DELETE /devices/:id', allowed: staff, call: (t) => server.request('DELETE', `/api/v1/devices/${spareDeviceIds.shift()}`, { token: t }) },
    { name: 'GET /me', allowed: everyone, call: (t) => server.request('GET', '/api/v1/me', { token: t }) },
    { name: 'PUT /orders/:id', allowed: staff, call: (t) => server.request('PUT', '/api/v1/orders/ORD-2', { token: t, json: { carrier: 'UPS' } }) },
    { name: 'GET /orders/:id', allowed: everyone, call: (t) => server.request('GET', '/api/v1/orders/ORD-1', { token: t }) },
    { name: 'GET /orders', allowed: everyone, call: (t) => server.request('GET', '/api/v1/orders?q=ORD', { token: t }) },
    { name: 'POST /captures', allowed: everyone, call: (t) => server.request('POST', '/api/v1/captures', { token: t, json: { orderId: 'ORD-1', kind: 'packing' } }) },
    { name: 'GET /captures/:id', allowed: everyone, call: (t) => server.request('GET', `/api/v1/captures/${captureId}`, { token: t }) },
    { name: 'PATCH /captures/:id', allowed: everyone, call: async (t) => server.request('PATCH', `/api/v1/captures/${await ownCapture(t)}`, { token: t, json: { note: 'fragile' } }) },
    { name: 'GET /media/:id', allowed: everyone, call: (t) => server.request('GET', `/api/v1/media/${mediaId}`, { token: t }) },
    { name: 'GET /media/:id/original', allowed: everyone, call: (t) => server.request('GET', `/api/v1/media/${mediaId}/original`, { token: t }) },
    {
      name: 'POST /captures/:id/media',
      allowed: everyone,
      call: async (t) => {
        const form = new FormData();
        form.append('file', new Blob([Buffer.from(`%PDF-1.4\n% ${++counter}\n%%EOF\n`)]), 'n.pdf');
        return server.request('POST', `/api/v1/captures/${await ownCapture(t)}/media`, { token: t, body: form });
      },
    },
  ];

  for (const route of routes) {
    for (const caller of callers) {
      const allowed = route.allowed.includes(caller);
      const expected = allowed ? 'is allowed' : caller === 'anonymous' || caller === 'revokedDevice' ? 'gets 401' : 'gets 403';
      it(`${route.name}: ${caller} ${expected}`, async () => {
        const response = await route.call(tokens[caller]);
        const isJson = response.headers.get('content-type')?.includes('application/json');
        const body = isJson ? await response.json() : null;
        if (allowed) {
          expect(response.status, JSON.stringify(body)).toBeLessThan(300);
        } else if (caller === 'anonymous' || caller === 'revokedDevice') {
          expect(response.status).toBe(401);
          expect(body.code).toBe('UNAUTHORIZED');
        } else {
          expect(response.status).toBe(403);
          expect(body.code).toBe('FORBIDDEN');
        }
      });
    }
  }

  it('shows packers the order without its disputes', async () => {
    const asPacker = await (await server.request('GET', '/api/v1/orders/ORD-1', { token: tokens.packer })).json();
    expect(asPacker).not.toHaveProperty('disputes');
    const asSeller = await (await server.request('GET', '/api/v1/orders/ORD-1', { token: tokens.seller })).json();
    expect(asSeller.disputes).toEqual([]);
  });
});
