// The one place that decides where blobs live: BLOB_STORE=local keeps originals on this machine's
// disk, BLOB_STORE=s3 in S3-compatible object storage. Derived files stay on local disk either way.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { DiskReserve } from '../disk-reserve';
import type { DerivedStore, OriginalsStore } from './blob-store';
import { createLocalDerivedStore, createLocalOriginalsStore } from './local-disk.store';
import { createS3OriginalsStore, type S3OriginalsStoreOptions } from './s3.store';

export interface BlobStoresConfig {
  dataDir: string;
  minFreeDiskBytes: number;
  blobStore: 'local' | 's3';
  /** The S3_* settings (server/config.ts S3Config), when blobStore is s3. */
  s3?: Pick<S3OriginalsStoreOptions, 'endpoint' | 'region' | 'bucket' | 'accessKeyId' | 'secretAccessKey' | 'forcePathStyle' | 'objectLockDays' | 'objectLockRequired'>;
}

export interface BlobStores {
  originals: OriginalsStore;
  derived: DerivedStore;
}

/** A store that cannot be opened as configured: the service must not start. */
export class BlobStoreConfigError extends Error {}

/**
 * Opens the stores the configuration names. `reserve` is the database's disk reserve, which uploads
 * staged on this disk must leave alone.
 */
export function openBlobStores(
  config: BlobStoresConfig,
  { reserve, clock }: { reserve?: Pick<DiskReserve, 'missingBytes' | 'replenish'>; clock?: () => Date } = {},
): BlobStores {
  const derived = createLocalDerivedStore(config.dataDir);
  switch (config.blobStore) {
    case 'local':
      return { originals: createLocalOriginalsStore(config.dataDir, { minFreeBytes: config.minFreeDiskBytes, reserve }), derived };
    case 's3': {
      if (!config.s3) throw new BlobStoreConfigError('BLOB_STORE=s3 needs the S3_* settings (S3_BUCKET at least)');
      // Resumable uploads and the copies codecs borrow still live on this disk: its room rules stay.
      const tempDir = path.join(config.dataDir, 'tmp', 's3');
      fs.mkdirSync(tempDir, { recursive: true });
      const localRoom = localDiskRoom(tempDir, config.minFreeDiskBytes, reserve);
      return { originals: createS3OriginalsStore({ ...config.s3, tempDir, localRoom, now: clock && (() => clock().getTime()) }), derived };
    }
  }
}

/** Free bytes on the disk holding `dir`, less the database reserve not yet made and the MIN_FREE_DISK_BYTES floor. */
function localDiskRoom(dir: string, minFreeBytes: number, reserve?: Pick<DiskReserve, 'missingBytes' | 'replenish'>) {
  async function freeBytes(): Promise<number> {
    const stats = await fsp.statfs(dir);
    return stats.bavail * stats.bsize - (reserve?.missingBytes() ?? 0);
  }
  return {
    freeBytes,
    async roomLeft(): Promise<number> {
      if (reserve && reserve.missingBytes() > 0) await reserve.replenish(minFreeBytes);
      return (await freeBytes()) - minFreeBytes;
    },
  };
}
