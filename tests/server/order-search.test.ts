import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMigrations, applyMigrations } from '../../storage/migrate';
import { setUpShop, startServer, tempDir, type TestServer } from '../helpers/server';

interface Page {
  items: { orderId: string }[];
  nextCursor: string | null;
}

describe('order search', () => {
  let server: TestServer;
  let token: string;
  const put = async (orderId: string, json: unknown) => {
    const response = await server.request('PUT', `/api/v1/orders/${encodeURIComponent(orderId)}`, { token, json });
    expect(response.status).toBeLessThan(300);
  };
  const search = async (q: string, extra = ''): Promise<Page> => {
    const response = await server.request('GET', `/api/v1/orders?q=${encodeURIComponent(q)}${extra}`, { token });
    expect(response.status).toBe(200);
    return (await response.json()) as Page;
  };
  const ids = async (q: string) => (await search(q)).items.map((order) => order.orderId);

  beforeAll(async () => {
    server = await startServer();
    token = await (await setUpShop(server)).token('seller');
    await put('SS-2026-000417', { buyer: { ref: 'cp-88213', name: '김민준' }, trackingNumbers: ['601234567890'] });
    await put('SS-2026-000418', { buyer: { ref: 'cp-88213-b', name: 'Olivia Park' }, trackingNumbers: ['1Z999AA10123456784'] });
    await put('A_1', { buyer: { name: '이서연' } });
    await put('AB1', { buyer: { name: '박지훈' } });
    await put('ORD-1', {});
    await put('ORD-10', {});
    await put('ORD-11', {});
  });
  afterAll(() => server.close());

  it('finds an order by a fragment of its ID, in any letter case', async () => {
    expect(await ids('2026-00041')).toEqual(['SS-2026-000418', 'SS-2026-000417']);
    expect(await ids('ss-2026-000417')).toEqual(['SS-2026-000417']);
  });

  it('finds an order by a 4-digit part of its tracking number, and by the whole number', async () => {
    expect(await ids('7890')).toEqual(['SS-2026-000417']);
    expect(await ids('1z999')).toEqual(['SS-2026-000418']);
    expect(await ids('601234567890')).toEqual(['SS-2026-000417']);
  });

  it('finds a Korean buyer by the two syllables of a given name, by the family name and given name, and by the full name', async () => {
    expect(await ids('민준')).toEqual(['SS-2026-000417']);
    expect(await ids('김민')).toEqual(['SS-2026-000417']);
    expect(await ids('김민준')).toEqual(['SS-2026-000417']);
    expect(await ids('서연')).toEqual(['A_1']);
  });

  it('finds an English buyer by part of a name without regard to case', async () => {
    expect(await ids('oliv')).toEqual(['SS-2026-000418']);
    expect(await ids('pa')).toEqual(['SS-2026-000418']);
  });

  it('lists the order whose buyer ref is exactly the term before orders whose ref only contains it', async () => {
    expect(await ids('cp-88213')).toEqual(['SS-2026-000417', 'SS-2026-000418']);
  });

  it('lists the order whose ID is exactly the term first, then newer orders containing it', async () => {
    expect(await ids('ORD-1')).toEqual(['ORD-1', 'ORD-11', 'ORD-10']);
  });

  it('pages across the exact and fragment matches without repeating or losing an order', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await search('ORD-1', `&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((order) => order.orderId));
      cursor = page.nextCursor;
    } while (cursor && seen.length < 10);
    expect(seen).toEqual(['ORD-1', 'ORD-11', 'ORD-10']);
  });

  it('treats %, _, quotes and search operators as plain text', async () => {
    expect(await ids('A_1')).toEqual(['A_1']);
    expect(await ids('_1')).toEqual(['A_1']);
    expect(await ids('%')).toEqual([]);
    expect(await ids('%1')).toEqual([]);
    for (const q of ['"', 'a"b', 'OR', 'ORD OR x', 'ORD*', 'NEAR(a b)', '^SS', 'a:b', '(((']) {
      const response = await server.request('GET', `/api/v1/orders?q=${encodeURIComponent(q)}`, { token });
      expect(response.status).toBe(200);
    }
  });

  it('answers a single character with exact matches only', async () => {
    await put('7', {});
    expect(await ids('7')).toEqual(['7']);
    expect(await ids('S')).toEqual([]);
  });

  it('finds an order by a tracking number given later, and no longer by one that was replaced', async () => {
    await put('SWAP-1', { trackingNumbers: ['CJ-555000111'] });
    expect(await ids('CJ-555000111')).toEqual(['SWAP-1']);
    await put('SWAP-1', { trackingNumbers: ['HJ-777000222'] });
    expect(await ids('HJ-777000222')).toEqual(['SWAP-1']);
    expect(await ids('7000')).toEqual(['SWAP-1']);
    expect(await ids('CJ-555000111')).toEqual([]);
    expect(await ids('5550')).toEqual([]);
  });

  it('finds an order by the tracking number a packer scanned into a capture', async () => {
    await put('SCAN-1', {});
    const capture = await server.request('POST', '/api/v1/captures', { token, json: { orderId: 'SCAN-1', kind: 'packing', trackingNumber: '889900112233' } });
    expect(capture.status).toBe(201);
    expect(await ids('0011')).toEqual(['SCAN-1']);
  });

  it('follows a changed buyer name and forgets the old one', async () => {
    await put('RENAME-1', { buyer: { name: 'Hwang Doyun' } });
    expect(await ids('doyun')).toEqual(['RENAME-1']);
    await put('RENAME-1', { buyer: { name: 'Seo Hana' } });
    expect(await ids('doyun')).toEqual([]);
    expect(await ids('hana')).toEqual(['RENAME-1']);
  });
});

describe('order search on a database from before the search index', () => {
  it('finds orders that were stored before the index existed', async () => {
    const dataDir = tempDir();
    const older = tempDir();
    for (const migration of listMigrations().filter((m) => m.version < 7)) fs.copyFileSync(migration.file, path.join(older, migration.name));
    const db = new Database(path.join(dataDir, 'packtrail.sqlite'));
    applyMigrations(db, older);
    const now = new Date().toISOString();
    const id = db.prepare('INSERT INTO orders (external_id, buyer_name, created_at, updated_at) VALUES (?, ?, ?, ?)').run('OLD-2025-0099', '최유진', now, now).lastInsertRowid;
    db.prepare('INSERT INTO order_tracking_numbers (order_id, tracking_number) VALUES (?, ?)').run(id, '570011223344');
    db.close();

    const server = await startServer({}, { dataDir });
    try {
      const token = await (await setUpShop(server)).token('seller');
      for (const q of ['2025-00', '유진', '1122']) {
        const page = (await (await server.request('GET', `/api/v1/orders?q=${encodeURIComponent(q)}`, { token })).json()) as Page;
        expect(page.items.map((order) => order.orderId)).toEqual(['OLD-2025-0099']);
      }
    } finally {
      await server.close();
    }
  });
});
