// Requests refused before any route runs (by Node's HTTP parser, by the router, by the static files)
// still answer in the API's error shape with a documented code; a client's request ID is checked first.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../server/app';
import { loadConfig } from '../../server/config';
import { errorCatalog } from '../../server/errors';
import { startServer, tempDir, type TestServer } from '../helpers/server';

interface RawAnswer {
  status: number;
  headers: string;
  body: string;
}

/** Writes the bytes as they are (no client library would send most of these) and reads until the server closes. */
function rawRequest(url: string, bytes: string): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const finish = () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = text.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
      if (!status) reject(new Error(`no HTTP answer: ${JSON.stringify(text)}`));
      else resolve({ status, headers: head, body: rest.join('\r\n\r\n') });
    };
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer within 5 s')));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('close', finish);
    // The server may close while the rest of an oversized request is still being written.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    socket.write(Buffer.from(bytes, 'latin1'));
  });
}

function expectDocumentedError(answer: RawAnswer, status: number, code: string) {
  expect(answer.status).toBe(status);
  expect(answer.headers).toMatch(/content-type: application\/json/i);
  const body = JSON.parse(answer.body);
  expect(body).toMatchObject({ statusCode: status, code, error: expect.any(String), message: expect.any(String) });
  expect(Object.keys(errorCatalog)).toContain(body.code);
}

describe('errors before routing', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  const get = (path: string, headers = '') => rawRequest(server.url, `GET ${path} HTTP/1.1\r\nHost: localhost\r\n${headers}Connection: close\r\n\r\n`);

  it('answers a control character in a header with 400 VALIDATION_FAILED', async () => {
    expectDocumentedError(await get('/healthz', 'X-Note: one\x01two\r\n'), 400, 'VALIDATION_FAILED');
    expectDocumentedError(await get('/healthz', 'X-Note: one\x00two\r\n'), 400, 'VALIDATION_FAILED');
  });

  it('answers headers over the size limit with 431 HEADERS_TOO_LARGE', async () => {
    expectDocumentedError(await get('/healthz', `X-Padding: ${'a'.repeat(20_000)}\r\n`), 431, 'HEADERS_TOO_LARGE');
  });

  it('answers a raw space or a raw control character in the path with 400 VALIDATION_FAILED', async () => {
    expectDocumentedError(await get('/api/v1/orders/A B'), 400, 'VALIDATION_FAILED');
    expectDocumentedError(await get('/api/v1/orders/A\x7fB'), 400, 'VALIDATION_FAILED');
    expectDocumentedError(await rawRequest(server.url, 'NOT A REQUEST\r\n\r\n'), 400, 'VALIDATION_FAILED');
  });

  it('answers broken percent-encoding with 400 VALIDATION_FAILED, not a framework code', async () => {
    for (const path of ['/api/v1/orders/%E0%A4%A', '/api/v1/orders/%ED%A0%80', '/pack/%FF', '/s/%C0%AF']) {
      expectDocumentedError(await get(path), 400, 'VALIDATION_FAILED');
    }
  });

  it('answers a path parameter far over any ID length with 400 VALIDATION_FAILED', async () => {
    expectDocumentedError(await get(`/api/v1/orders/${'x'.repeat(600)}`), 400, 'VALIDATION_FAILED');
  });

  it('answers a NUL, a backslash or a way out of the packer app folder with 404 NOT_FOUND', async () => {
    for (const path of ['/pack/app.js%00.png', '/pack/%00', '/pack/..%5capp.js', '/pack/..%2f..%2fpackage.json', '/pack/icons%2f..%2f..%2f..%2fpackage.json']) {
      expectDocumentedError(await get(path), 404, 'NOT_FOUND');
    }
    expect((await get('/pack/app.js')).status).toBe(200);
  });
});

describe('request IDs', () => {
  let app: App;
  let url: string;
  const seen: string[] = [];
  beforeAll(async () => {
    app = await buildApp(loadConfig({ DATA_DIR: tempDir(), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' }));
    // The ID every log line of the request carries.
    app.addHook('onResponse', async (request) => {
      seen.push(request.id);
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => app.close());

  async function idFor(requestId: string): Promise<string> {
    seen.length = 0;
    await (await fetch(`${url}/healthz`, { headers: { 'x-request-id': requestId } })).text();
    return seen[0];
  }

  it("keeps a client's short plain request ID, so a proxy's logs and ours line up", async () => {
    expect(await idFor('req-7f3a.2_B')).toBe('req-7f3a.2_B');
  });

  it('replaces a request ID that is long or holds anything beyond letters, digits, dot, dash and underscore', async () => {
    for (const hostile of ['x'.repeat(65), 'a b', '{"level":60,"msg":"forged"}', '<script>', 'id\u00e9', '../../etc']) {
      const id = await idFor(hostile);
      expect(id).not.toBe(hostile);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
