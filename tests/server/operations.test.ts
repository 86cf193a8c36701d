import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { startServer, tempDir, type TestServer } from '../helpers/server';

describe('operations', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('answers /healthz with {status: "ok"}', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('publishes an OpenAPI 3 document generated from the route schemas, and its UI at /docs', async () => {
    const document = await (await fetch(`${server.url}/docs/json`)).json();
    expect(document.openapi).toMatch(/^3\./);
    for (const route of ['/api/v1/setup', '/api/v1/sessions', '/api/v1/orders/{orderId}', '/api/v1/captures', '/api/v1/captures/{id}/media', '/api/v1/media/{id}/original', '/api/v1/media/{id}/proof', '/api/v1/uploads', '/api/v1/ledger/checkpoint']) {
      expect(Object.keys(document.paths)).toContain(route);
    }
    expect(document.paths['/api/v1/captures'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('weight');
    const ui = await fetch(`${server.url}/docs`, { redirect: 'follow' });
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });

  it('sends security headers and answers unknown routes with a JSON 404', async () => {
    const response = await fetch(`${server.url}/api/v1/nothing-here`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it('answers malformed JSON with 400 VALIDATION_FAILED, never 500', async () => {
    const response = await fetch(`${server.url}/api/v1/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email": ' });
    expect(response.status).toBe(400);
    expect((await response.json()).code).toBe('VALIDATION_FAILED');
  });
});

describe('HTTPS with a self-signed certificate', () => {
  it('serves over TLS with a certificate made once and kept in DATA_DIR', async () => {
    const dataDir = tempDir();
    const config = loadConfig({ DATA_DIR: dataDir, TLS_SELF_SIGNED: 'true', LOG_LEVEL: 'silent' });
    const app = await buildApp(config);
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const port = (app.server.address() as { port: number }).port;
      const { status, certificate } = await new Promise<{ status: number; certificate: { subjectaltname?: string } }>((resolve, reject) => {
        https
          .get({ host: '127.0.0.1', port, path: '/healthz', rejectUnauthorized: false }, (response) => {
            const certificate = (response.socket as import('node:tls').TLSSocket).getPeerCertificate();
            response.resume();
            resolve({ status: response.statusCode!, certificate });
          })
          .on('error', reject);
      });
      expect(status).toBe(200);
      expect(certificate.subjectaltname).toContain('DNS:localhost');
      expect(certificate.subjectaltname).toContain('IP Address:127.0.0.1');
    } finally {
      await app.close();
    }
  });
});
