// The evidence log's name (every checkpoint's origin line, the key's name) is chosen once at setup,
// from PUBLIC_URL's host or the shop's name, and stays: renaming the shop, moving the server or an
// older log's existing name never change what its checkpoints say.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { proposeLogName, shopSlug } from '../../server/services/ledger/log-name';
import { createSigningKey } from '../../server/services/ledger/signing-key';
import { applyMigrations, listMigrations } from '../../storage/migrate';
import { setUpShop, startServer, tempDir, type TestServer } from '../helpers/server';

const started: TestServer[] = [];
async function start(env: Record<string, string> = {}, dataDir?: string): Promise<TestServer> {
  const server = await startServer(env, { dataDir });
  started.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.close()));
});

const keyOf = async (server: TestServer) => (await (await fetch(`${server.url}/api/v1/ledger/key`)).text()).trim();
const originOf = async (server: TestServer) => (await (await fetch(`${server.url}/api/v1/ledger/checkpoint`)).text()).split('\n')[0];

describe('the evidence log’s name', () => {
  it('is the shop’s name when PUBLIC_URL is unset, chosen at setup, and nothing is signed before', async () => {
    const server = await start();
    const early = await fetch(`${server.url}/api/v1/ledger/key`);
    expect(early.status).toBe(409);
    expect(await early.json()).toMatchObject({ code: 'NOT_SET_UP' });
    expect((await fetch(`${server.url}/api/v1/ledger/checkpoint`)).status).toBe(409);
    expect(await server.app.runJob('ledger-checkpoint')).toBe('the log is named at setup');

    const shop = await setUpShop(server);
    expect(await keyOf(server)).toMatch(/^포장-상점\/packtrail\+[0-9a-f]{8}\+/);
    expect(await originOf(server)).toBe('포장-상점/packtrail');
    const stored = new Database(path.join(server.dataDir, 'packtrail.sqlite'), { readonly: true });
    expect(stored.prepare('SELECT origin FROM ledger_log').pluck().get()).toBe('포장-상점/packtrail');
    stored.close();

    // The shop renamed and the server moved behind a domain: the log keeps its name and key.
    const key = await keyOf(server);
    const renamed = await server.request('PATCH', '/api/v1/shop', { token: shop.ownerToken, json: { name: 'Renamed Goods' } });
    expect(renamed.status).toBe(200);
    expect(await keyOf(server)).toBe(key);
    await server.close();
    const moved = await start({ PUBLIC_URL: 'https://evidence.example.com' }, server.dataDir);
    expect(await keyOf(moved)).toBe(key);
    expect(await originOf(moved)).toBe('포장-상점/packtrail');
  });

  it('is PUBLIC_URL’s host when it names one', async () => {
    const server = await start({ PUBLIC_URL: 'https://evidence.example.com:8443/app' });
    await setUpShop(server);
    expect(await originOf(server)).toBe('evidence.example.com:8443/packtrail');
  });

  it('stays what an older log already used: its key’s name, which its checkpoints carry', async () => {
    const dataDir = tempDir();
    createSigningKey(dataDir, 'localhost:8080/packtrail');
    const server = await start({}, dataDir);
    await setUpShop(server);
    expect(await originOf(server)).toBe('localhost:8080/packtrail');
    expect(await keyOf(server)).toMatch(/^localhost:8080\/packtrail\+/);
  });

  it('is recorded, when the database is migrated, from the checkpoints the log already signed', () => {
    const before = tempDir('packtrail-migrations-');
    for (const migration of listMigrations().filter((candidate) => candidate.version < 14)) {
      fs.copyFileSync(migration.file, path.join(before, migration.name));
    }
    const db = new Database(':memory:');
    applyMigrations(db, before);
    const insert = db.prepare('INSERT INTO ledger_checkpoints (size, root_hash, note, created_at) VALUES (?, ?, ?, ?)');
    insert.run(1, Buffer.alloc(32), 'localhost:8080/packtrail\n1\nAAAA\n\n— localhost:8080/packtrail sig\n', '2026-01-02T03:04:05.000Z');
    insert.run(2, Buffer.alloc(32), 'localhost:8080/packtrail\n2\nAAAA\n\n— localhost:8080/packtrail sig\n', '2026-01-03T03:04:05.000Z');
    applyMigrations(db);
    expect(db.prepare('SELECT origin, named_at FROM ledger_log').all()).toEqual([
      { origin: 'localhost:8080/packtrail', named_at: '2026-01-02T03:04:05.000Z' },
    ]);
    db.close();
  });

  it('is made from names of any script, without spaces or plus signs a key name cannot hold', () => {
    expect(shopSlug('Acme Store!')).toBe('acme-store');
    expect(shopSlug('  포장  상점 ')).toBe('포장-상점');
    expect(shopSlug('ＡＢＣ＋Shop')).toBe('abc-shop');
    expect(shopSlug('★★★')).toBe('shop');
    expect(shopSlug('x'.repeat(100))).toHaveLength(48);
    expect(proposeLogName({ shopName: 'Acme Store', publicUrl: 'http://localhost:8080' })).toBe('acme-store/packtrail');
    expect(proposeLogName({ shopName: 'Acme Store', publicUrl: 'http://127.0.0.1:8080' })).toBe('acme-store/packtrail');
    expect(proposeLogName({ shopName: 'Acme Store', publicUrl: 'http://192.168.1.20:8080' })).toBe('192.168.1.20:8080/packtrail');
    expect(proposeLogName({ publicUrl: 'http://localhost:8080' })).toBeUndefined();
  });
});
