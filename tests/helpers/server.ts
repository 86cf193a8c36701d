// Starts the real app on a real port with a real SQLite file and disk in a temp directory.
import fs from 'node:fs';
import path from 'node:path';
import { buildApp, type App } from '../../server/app';
import { loadConfig } from '../../server/config';
import { tempDir } from './temp-dir';

export interface TestServer {
  app: App;
  url: string;
  dataDir: string;
  close(): Promise<void>;
  /** fetch against the server with an optional bearer token and JSON body. */
  request(method: string, route: string, options?: { token?: string; json?: unknown; headers?: Record<string, string>; body?: BodyInit }): Promise<Response>;
}

export { tempDir } from './temp-dir';

export async function startServer(env: Record<string, string> = {}, options: { clock?: () => Date; dataDir?: string } = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDir();
  const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env });
  const app = await buildApp(config, { clock: options.clock });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    app,
    url,
    dataDir,
    close: () => app.close(),
    request(method, route, { token, json, headers = {}, body } = {}) {
      const allHeaders: Record<string, string> = { ...headers };
      if (token) allHeaders.authorization = `Bearer ${token}`;
      if (json !== undefined) allHeaders['content-type'] = 'application/json';
      return fetch(url + route, { method, headers: allHeaders, body: json !== undefined ? JSON.stringify(json) : body });
    },
  };
}

export interface Shop {
  ownerToken: string;
  token(role: 'owner' | 'seller' | 'packer'): Promise<string>;
  deviceToken(name?: string): Promise<{ id: string; token: string; pairingUrl: string }>;
}

let userCounter = 0;

/** Sets the shop up and hands out tokens for each role. */
export async function setUpShop(server: TestServer, timezone = 'Asia/Seoul'): Promise<Shop> {
  const setup = await server.request('POST', '/api/v1/setup', {
    json: { email: 'owner@example.com', password: 'correct horse battery', shopName: '포장 상점', timezone },
  });
  if (setup.status !== 201) throw new Error(`setup failed: ${setup.status} ${await setup.text()}`);
  const ownerToken = ((await setup.json()) as { token: string }).token;
  return {
    ownerToken,
    async token(role) {
      if (role === 'owner') return ownerToken;
      const email = `${role}${++userCounter}@example.com`;
      const created = await server.request('POST', '/api/v1/users', { token: ownerToken, json: { email, password: 'staff passphrase 42', role } });
      if (created.status !== 201) throw new Error(`user failed: ${created.status} ${await created.text()}`);
      const login = await server.request('POST', '/api/v1/sessions', { json: { email, password: 'staff passphrase 42' } });
      return ((await login.json()) as { token: string }).token;
    },
    async deviceToken(name = 'Station 2 phone') {
      const created = await server.request('POST', '/api/v1/devices', { token: ownerToken, json: { name } });
      if (created.status !== 201) throw new Error(`device failed: ${created.status} ${await created.text()}`);
      return (await created.json()) as { id: string; token: string; pairingUrl: string };
    },
  };
}

export const fixture = (name: string) => path.join(import.meta.dirname, '..', 'fixtures', name);

/** Uploads files to a capture as multipart, the way a browser form would. */
export async function uploadFiles(
  server: TestServer,
  token: string,
  captureId: string,
  files: { name: string; bytes: Uint8Array<ArrayBuffer>; type?: string }[],
  fields: Record<string, string> = {},
  headers: Record<string, string> = {},
): Promise<Response> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  for (const file of files) form.append('file', new Blob([file.bytes], { type: file.type ?? 'application/octet-stream' }), file.name);
  return server.request('POST', `/api/v1/captures/${captureId}/media`, { token, body: form, headers });
}

/** Every file under a directory, relative paths; for "nothing was left behind" checks. */
export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}
