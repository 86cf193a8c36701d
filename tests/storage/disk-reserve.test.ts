// The database's disk reserve on a real, small filesystem (a 16 MiB tmpfs): made of real bytes, given
// up the moment SQLite finds the disk full so that the write is tried once more and succeeds, and made
// again only once the disk has room for it beside the floor uploads keep. Also: a tus data file left
// without its record by a crash is removed once it is older than the expiry.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { openDatabase, type Db } from '../../storage/database';
import { openDiskReserve, type DiskReserve } from '../../storage/disk-reserve';
import { createResumableUploads } from '../../storage/resumable-uploads';
import { mountTmpfs, type Tmpfs } from '../helpers/tmpfs';

const MIB = 1024 * 1024;

const logged: string[] = [];
const log = { error: (_: object, msg: string) => logged.push(msg), info: () => {} };

describe('the database reserve on a full disk (a 16 MiB tmpfs)', () => {
  let tmpfs: Tmpfs | undefined;
  let skipReason: string | undefined;
  let reserve: DiskReserve;
  let db: Db;

  beforeAll(() => {
    const mounted = mountTmpfs('16m');
    if ('reason' in mounted) {
      skipReason = mounted.reason;
      console.warn(`SKIPPED disk-reserve tests: ${skipReason}`);
      return;
    }
    tmpfs = mounted.tmpfs;
  });
  afterAll(() => {
    db?.close();
    tmpfs?.unmount();
  });
  const needsTmpfs = (context: TestContext) => {
    if (skipReason) context.skip(`needs a size-limited tmpfs: ${skipReason}`);
  };

  const dataDir = () => path.join(tmpfs!.dir, 'data');
  const insertRow = () => db.prepare('INSERT INTO filler (bytes) VALUES (?)').run(Buffer.alloc(64 * 1024, 7));

  it('makes the reserve with real bytes, so the disk counts them as taken', (context) => {
    needsTmpfs(context);
    const before = tmpfs!.freeBytes();
    reserve = openDiskReserve(dataDir(), 2 * MIB, log);
    expect(reserve.missingBytes()).toBe(0);
    expect(before - tmpfs!.freeBytes()).toBeGreaterThanOrEqual(2 * MIB);
    db = openDatabase(dataDir(), () => {}, { onDiskFull: reserve.release });
    db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, bytes BLOB)');
  });

  it('gives the reserve up when a lone statement finds the disk full, and the statement succeeds on its retry', (context) => {
    needsTmpfs(context);
    tmpfs!.leaveFree(0);
    expect(() => insertRow()).not.toThrow();
    expect(reserve.missingBytes()).toBe(2 * MIB);
    expect(logged).toContain('disk full: database reserve released');
  });

  it('answers SQLITE_FULL once the reserve is spent, leaving the database intact', (context) => {
    needsTmpfs(context);
    let error: unknown;
    try {
      for (let i = 0; i < 100; i++) insertRow();
    } catch (caught) {
      error = caught;
    }
    expect((error as { code?: string }).code).toBe('SQLITE_FULL');
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('makes the reserve again only once the disk has room for it beside the floor kept free', async (context) => {
    needsTmpfs(context);
    tmpfs!.leaveFree(2 * MIB + MIB / 2);
    expect(await reserve.replenish(MIB)).toBe(false);
    expect(reserve.missingBytes()).toBe(2 * MIB);
    tmpfs!.leaveFree(4 * MIB);
    expect(await reserve.replenish(MIB)).toBe(true);
    expect(reserve.missingBytes()).toBe(0);
    expect(tmpfs!.freeBytes()).toBeLessThanOrEqual(2 * MIB);
  });

  it('retries a whole transaction once, not the statement inside it, when its write finds the disk full', (context) => {
    needsTmpfs(context);
    tmpfs!.leaveFree(0);
    const count = () => (db.prepare('SELECT count(*) FROM filler').pluck().get() as number);
    const rows = count();
    let runs = 0;
    const addTwo = db.transaction(() => {
      runs += 1;
      insertRow();
      insertRow();
    });
    expect(() => addTwo.immediate()).not.toThrow();
    expect(runs).toBe(2);
    expect(count()).toBe(rows + 2);
    expect(reserve.missingBytes()).toBe(2 * MIB);
  });
});

describe('abandoned tus data files', () => {
  it('removes a data file left without its record once it is older than the expiry, and keeps a younger one', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'packtrail-uploads-'));
    try {
      const uploads = createResumableUploads({
        directory,
        path: '/api/v1/uploads',
        expiryMs: 3_600_000,
        maxBytes: MIB,
        onFinish: async () => ({}),
        describeError: (_status, message) => message,
      });
      const old = path.join(directory, uploads.newId());
      const young = path.join(directory, uploads.newId());
      fs.writeFileSync(old, '');
      fs.writeFileSync(young, '');
      const twoHoursAgo = new Date(Date.now() - 7_200_000);
      fs.utimesSync(old, twoHoursAgo, twoHoursAgo);
      expect(await uploads.removeExpired()).toBe(1);
      expect(fs.existsSync(old)).toBe(false);
      expect(fs.existsSync(young)).toBe(true);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
