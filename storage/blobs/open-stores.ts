// The one place that decides where blobs live: BLOB_STORE=local keeps originals on this machine's
// disk, BLOB_STORE=s3 in S3-compatible object storage. Derived files stay on local disk either way.
import type { DiskReserve } from '../disk-reserve';
import type { DerivedStore, OriginalsStore } from './blob-store';
import { createLocalDerivedStore, createLocalOriginalsStore } from './local-disk.store';

export interface BlobStoresConfig {
  dataDir: string;
  minFreeDiskBytes: number;
  blobStore: 'local' | 's3';
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
export function openBlobStores(config: BlobStoresConfig, { reserve }: { reserve?: Pick<DiskReserve, 'missingBytes' | 'replenish'> } = {}): BlobStores {
  const derived = createLocalDerivedStore(config.dataDir);
  switch (config.blobStore) {
    case 'local':
      return { originals: createLocalOriginalsStore(config.dataDir, { minFreeBytes: config.minFreeDiskBytes, reserve }), derived };
    case 's3':
      // The S3 store (storage/blobs/s3.store.ts, createS3OriginalsStore with the S3_* settings) goes here.
      throw new BlobStoreConfigError('BLOB_STORE=s3 is not available in this build yet; set BLOB_STORE=local (or leave it unset)');
  }
}
