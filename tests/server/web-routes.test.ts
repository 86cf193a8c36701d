import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server';

describe('the packer app’s files', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('serves the app and its service worker without a login', async () => {
    const page = await fetch(`${server.url}/pack/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect((await fetch(`${server.url}/pack/sw.js`)).status).toBe(200);
  });

  it('answers 404 JSON for paths outside the app, dotfiles and names that are not files', async () => {
    for (const route of ['/pack/..%2F..%2Fpackage.json', '/pack/.hidden.js', '/pack/vendor/constructor', '/pack/vendor/__proto__', '/pack/nothing.js']) {
      const response = await fetch(`${server.url}${route}`);
      expect(response.status, route).toBe(404);
      expect((await response.json()).code).toBe('NOT_FOUND');
    }
  });

  it('answers 404 for a file name too long for the file system, not a 500', async () => {
    for (const route of [`/pack/${'x'.repeat(5000)}.js`, `/pack/${'a/'.repeat(2100)}app.js`, `/pack/${'y'.repeat(300)}.png`]) {
      const response = await fetch(`${server.url}${route}`);
      expect(response.status, route.slice(0, 40)).toBe(404);
      expect((await response.json()).code).toBe('NOT_FOUND');
    }
  });
});
