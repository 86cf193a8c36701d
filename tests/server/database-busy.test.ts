// SQLite has one writer. When something else holds the database longer than the service waits for it
// (a very large order import commits in one transaction, in its own worker), a change is refused with a
// retryable 503 DATABASE_BUSY, never a 500, and goes through once the database is free again.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpShop, startServer, type Shop, type TestServer } from '../helpers/server';

describe('a database held by another writer', () => {
  let server: TestServer;
  let shop: Shop;
  let offsetMs = 0;
  beforeAll(async () => {
    server = await startServer({}, { clock: () => new Date(Date.now() + offsetMs) });
    shop = await setUpShop(server);
  });
  afterAll(() => server.close());

  it('answers a change with 503 DATABASE_BUSY and Retry-After, then takes it once the writer is done', async () => {
    const other = new Database(path.join(server.dataDir, 'packtrail.sqlite'));
    other.pragma('busy_timeout = 5000');
    other.prepare('BEGIN IMMEDIATE').run();
    try {
      const refused = await server.request('PUT', '/api/v1/orders/BUSY-1', { token: shop.ownerToken, json: { items: [] } });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect((await refused.json()).code).toBe('DATABASE_BUSY');
      // Reading is not held up: WAL readers never wait for the writer.
      expect((await server.request('GET', '/api/v1/orders?limit=1', { token: shop.ownerToken })).status).toBe(200);
    } finally {
      other.prepare('ROLLBACK').run();
      other.close();
    }
    expect((await server.request('GET', '/api/v1/orders/BUSY-1', { token: shop.ownerToken })).status).toBe(404);
    expect((await server.request('PUT', '/api/v1/orders/BUSY-1', { token: shop.ownerToken, json: { items: [] } })).status).toBe(201);
  }, 30_000);

  it('still answers a packer phone’s reads: its "last seen" is not written then, and is a minute later', async () => {
    const { token, id } = await shop.deviceToken('Busy phone');
    expect((await server.request('PUT', '/api/v1/orders/BUSY-2', { token: shop.ownerToken, json: { items: [] } })).status).toBe(201);
    const lastSeen = () => {
      const db = new Database(path.join(server.dataDir, 'packtrail.sqlite'), { readonly: true });
      try {
        return db.prepare('SELECT last_seen_at FROM devices WHERE id = ?').pluck().get(id) as string | null;
      } finally {
        db.close();
      }
    };
    const before = lastSeen();
    const other = new Database(path.join(server.dataDir, 'packtrail.sqlite'));
    other.prepare('BEGIN IMMEDIATE').run();
    try {
      const read = await server.request('GET', '/api/v1/orders/BUSY-2', { token });
      expect(read.status).toBe(200);
      expect(lastSeen()).toBe(before);
    } finally {
      other.prepare('ROLLBACK').run();
      other.close();
    }
    // Tried once, it is not tried again within the minute (a held lock is not waited for per request).
    expect((await server.request('GET', '/api/v1/orders/BUSY-2', { token })).status).toBe(200);
    expect(lastSeen()).toBe(before);
    offsetMs = 61_000;
    expect((await server.request('GET', '/api/v1/orders/BUSY-2', { token })).status).toBe(200);
    expect(lastSeen()).not.toBe(before);
  }, 30_000);
});
