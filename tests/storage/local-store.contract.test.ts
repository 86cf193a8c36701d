// The blob contract on this machine's disk, plus what only local disk promises: read-only originals,
// staging swept at start, and the room rules (MIN_FREE_DISK_BYTES, the database reserve).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { StorageFullError } from '../../storage/blobs/blob-store';
import { createLocalDerivedStore, createLocalOriginalsStore } from '../../storage/blobs/local-disk.store';
import { BlobStoreConfigError, openBlobStores } from '../../storage/blobs/open-stores';
import { tempDir } from '../helpers/server';
import { describeDerivedStoreContract, describeOriginalsStoreContract } from './blob-contract';

const noLimit = async () => Number.MAX_SAFE_INTEGER;

describeOriginalsStoreContract('local disk', async () => {
  const dir = tempDir();
  return { store: createLocalOriginalsStore(dir), close: async () => fs.rmSync(dir, { recursive: true, force: true }) };
});

describeDerivedStoreContract('local disk', async () => {
  const dir = tempDir();
  return { store: createLocalDerivedStore(dir), close: async () => fs.rmSync(dir, { recursive: true, force: true }) };
});

describe('local originals store', () => {
  it('keeps originals read-only, fanned out by hash, and lends the original itself to codecs', async () => {
    const dir = tempDir();
    const store = createLocalOriginalsStore(dir);
    const staged = await store.stage(Readable.from([randomBytes(10_000)]), noLimit);
    await store.commit(staged);
    const file = path.join(dir, 'originals', staged.sha256.slice(0, 2), staged.sha256.slice(2, 4), staged.sha256);
    expect(fs.statSync(file).mode & 0o777).toBe(0o444);
    expect(await store.withLocalCopy(staged.sha256, async (lent) => lent)).toBe(file);
  });

  it('sweeps what a crash left in staging at start', async () => {
    const dir = tempDir();
    const store = createLocalOriginalsStore(dir);
    await store.stage(Readable.from([randomBytes(10_000)]), noLimit);
    fs.writeFileSync(path.join(dir, 'staging', 'left-over.part'), 'x');
    expect(await store.sweepStaging()).toBe(2);
    expect(fs.readdirSync(path.join(dir, 'staging'))).toEqual([]);
  });

  it('stops a write at the floor MIN_FREE_DISK_BYTES sets, leaving nothing staged', async () => {
    const dir = tempDir();
    const free = (await createLocalOriginalsStore(dir).freeBytes()) - 4 * 1024 * 1024;
    const store = createLocalOriginalsStore(dir, { minFreeBytes: free });
    await expect(store.stage(Readable.from([randomBytes(8 * 1024 * 1024)]), noLimit)).rejects.toBeInstanceOf(StorageFullError);
    expect(fs.readdirSync(path.join(dir, 'staging'))).toEqual([]);
  });

  it('counts a database reserve not yet made as taken', async () => {
    const dir = tempDir();
    const reserve = { missingBytes: () => 1024 ** 4, replenish: async () => false };
    const store = createLocalOriginalsStore(dir, { reserve });
    expect(await store.roomLeft()).toBeLessThan(0);
  });

  it('refuses staging refs that are not its own', async () => {
    const store = createLocalOriginalsStore(tempDir());
    const forged = { ref: '../originals/x', sha256: 'a'.repeat(64), crc32: 0, bytes: 0, head: Buffer.alloc(0) };
    await expect(store.withStagedFile(forged, async (file) => file)).rejects.toThrow();
  });
});

describe('openBlobStores', () => {
  it('opens local disk for BLOB_STORE=local and refuses s3 with a configuration error until it is built', () => {
    const dir = tempDir();
    expect(openBlobStores({ dataDir: dir, minFreeDiskBytes: 0, blobStore: 'local' }).originals.kind).toBe('local');
    expect(() => openBlobStores({ dataDir: dir, minFreeDiskBytes: 0, blobStore: 's3' })).toThrow(BlobStoreConfigError);
  });
});
