// The dashboard's page and files at /, the setup status it starts from, and pairing links a phone can open.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpShop, startServer, type Shop, type TestServer } from '../helpers/server';

describe('the seller dashboard’s page at /', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('serves the page under the strict content security policy, with no inline script', async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    const html = await response.text();
    expect(html).toContain('<script type="module" src="/assets/app.js"></script>');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it('serves the same page for a screen’s own address, so a reload or a pasted link works', async () => {
    for (const route of ['/orders/A-1001', '/orders/%ED%95%9C%EA%B8%80', '/phones', '/search?q=5678', '/phones?from=menu', '/disputes', '/disputes/0b0e7c4e', '/users', '/settings', '/settings/replies']) {
      const response = await fetch(`${server.url}${route}`);
      expect(response.status, route).toBe(200);
      expect(await response.text(), route).toContain('/assets/app.js');
    }
  });

  it('leaves the API, the packer app, share links and the documentation as they were', async () => {
    const api = await fetch(`${server.url}/api/v1/nothing-here`);
    expect(api.status).toBe(404);
    expect((await api.json()).code).toBe('NOT_FOUND');
    const share = await fetch(`${server.url}/s/not-a-token`);
    expect(await share.text()).not.toContain('/assets/app.js');
    expect((await fetch(`${server.url}/pack/`)).headers.get('content-type')).toContain('text/html');
    expect((await fetch(`${server.url}/docs/json`)).headers.get('content-type')).toContain('application/json');
    for (const route of ['/assets/nothing.js', '/assets/__proto__', '/healthz/x', '/etc/passwd', '/..%2F..%2Fetc%2Fpasswd', '/nothing']) {
      const response = await fetch(`${server.url}${route}`);
      expect(response.status, route).toBe(404);
      expect((await response.json()).code, route).toBe('NOT_FOUND');
    }
  });

  it('answers a browser’s mistyped address with the page and 404, and programs and the API with JSON 404 as before', async () => {
    const asPage = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
    for (const route of ['/settings/reply-templates', '/nothing', '/orders/A-1/extra', '/disputes/x/y?z=1']) {
      const response = await fetch(`${server.url}${route}`, { headers: asPage });
      expect(response.status, route).toBe(404);
      expect(response.headers.get('content-type'), route).toContain('text/html');
      expect(response.headers.get('content-security-policy'), route).toContain("script-src 'self'");
      expect(await response.text(), route).toContain('/assets/app.js');
    }
    // The API, the packer app, share links, docs, files and health keep their JSON 404 even for a browser.
    for (const route of ['/api/v1/nothing-here', '/api', '/pack/nothing.html', '/s/not-a-token/x/y', '/docs/nothing', '/assets/nothing.js', '/healthz/x']) {
      const response = await fetch(`${server.url}${route}`, { headers: asPage });
      expect(response.status, route).toBe(404);
      expect(response.headers.get('content-type'), route).toContain('application/json');
    }
    // A program asking for JSON, or saying nothing, gets JSON anywhere.
    for (const headers of [{ accept: 'application/json' }, { accept: 'application/json, text/html' }, {}] as Record<string, string>[]) {
      const response = await fetch(`${server.url}/settings/reply-templates`, { headers });
      expect(response.status).toBe(404);
      expect((await response.json()).code).toBe('NOT_FOUND');
    }
    // Other methods are no page either.
    const posted = await fetch(`${server.url}/nothing`, { method: 'POST', headers: asPage });
    expect(posted.status).toBe(404);
    expect((await posted.json()).code).toBe('NOT_FOUND');
  });

  it('serves the app’s mark as the site icon, so no page load logs a 404 for it', async () => {
    const response = await fetch(`${server.url}/favicon.ico`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/svg+xml');
    expect(await response.text()).toContain('<svg');
  });

  it('serves a stylesheet whose blocks all close, so no screen’s rules end up inside another’s media query', async () => {
    const css = await (await fetch(`${server.url}/assets/app.css`)).text();
    let depth = 0;
    for (const character of css.replace(/\/\*[\s\S]*?\*\//g, '')) {
      if (character === '{') depth++;
      if (character === '}') depth--;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
  });

  it('serves the built script and stylesheet gzipped and revalidated by ETag', async () => {
    for (const name of ['app.js', 'app.css']) {
      const response = await fetch(`${server.url}/assets/${name}`, { headers: { 'accept-encoding': 'gzip' } });
      expect(response.status, name).toBe(200);
      expect(response.headers.get('content-encoding'), name).toBe('gzip');
      const etag = response.headers.get('etag')!;
      expect(etag).toMatch(/^"/);
      expect((await response.text()).length).toBeGreaterThan(1000);
      expect((await fetch(`${server.url}/assets/${name}`, { headers: { 'if-none-match': etag } })).status, name).toBe(304);
    }
    expect((await fetch(`${server.url}/assets/app.js`)).headers.get('content-type')).toContain('text/javascript');
  });
});

describe('GET /api/v1/setup', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('tells anyone whether the shop is set up, before and after setup', async () => {
    expect(await (await fetch(`${server.url}/api/v1/setup`)).json()).toEqual({ setUp: false });
    await setUpShop(server);
    expect(await (await fetch(`${server.url}/api/v1/setup`)).json()).toEqual({ setUp: true });
  });
});

describe('a pairing link', () => {
  let server: TestServer;
  let shop: Shop;
  beforeAll(async () => {
    server = await startServer();
    shop = await setUpShop(server);
  });
  afterAll(() => server.close());

/** fetch cannot name another Host; a browser at the shop's LAN address sends exactly that. */
function addPhoneFrom(base: string, token: string, host: string): Promise<{ pairingUrl: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${base}/api/v1/devices`, {
      method: 'POST',
      headers: { host, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    }, (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk)).on('end', () => resolve(JSON.parse(text)));
    });
    request.on('error', reject).end(JSON.stringify({ name: 'Station 1' }));
  });
}

  it('uses the address the seller browses from while PUBLIC_URL is unset (it would name localhost)', async () => {
    const { pairingUrl } = await addPhoneFrom(server.url, shop.ownerToken, '192.168.1.20:8080');
    expect(pairingUrl).toMatch(/^http:\/\/192\.168\.1\.20:8080\/pack#pair=\S+$/);
    const local = await (await server.request('POST', '/api/v1/devices', { token: shop.ownerToken, json: { name: 'Station 2' } })).json();
    expect(local.pairingUrl.startsWith(`${server.url}/pack#pair=`)).toBe(true);
  });

  it('keeps PUBLIC_URL when it names a host phones can reach', async () => {
    const configured = await startServer({ PUBLIC_URL: 'https://packtrail.example.com' });
    try {
      const owner = await setUpShop(configured);
      const created = await addPhoneFrom(configured.url, owner.ownerToken, '192.168.1.20:8080');
      expect(created.pairingUrl).toMatch(/^https:\/\/packtrail\.example\.com\/pack#pair=/);
    } finally {
      await configured.close();
    }
  });
});
