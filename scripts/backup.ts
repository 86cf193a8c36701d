// `npm run backup -- DIR`: a consistent backup of DATA_DIR into DIR while the service runs (see
// server/services/backup/backup.service.ts). Exit 0: whole; 1: written, but DATA_DIR lacked or held
// damaged originals; 2: no backup written.
import { loadConfig, type Config } from '../server/config';
import { takeBackup, type BackupOptions } from '../server/services/backup/backup.service';

/**
 * Config gains `blobStore` ('local' | 's3') and `s3.bucket` with issue 14's S3 store; read loosely here
 * so this script builds on either side of that change (a Config without them keeps originals locally).
 */
function originalsStoreOf(config: Config): BackupOptions['originalsStore'] {
  const loose = config as unknown as { blobStore?: string; s3?: { bucket?: string } };
  return loose.blobStore === 's3' ? { kind: 's3', bucket: loose.s3?.bucket } : { kind: 'local' };
}

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(2)} GiB`;

async function main(dir: string | undefined): Promise<number> {
  if (!dir) {
    console.error('Usage: npm run backup -- <backup folder>   (DATA_DIR and BLOB_STORE as the service has them)');
    return 2;
  }
  const config = loadConfig();
  let lastReport = Date.now();
  const manifest = await takeBackup({
    dataDir: config.dataDir,
    backupDir: dir,
    originalsStore: originalsStoreOf(config),
    onProgress(done, total) {
      if (Date.now() - lastReport < 5000) return;
      lastReport = Date.now();
      console.log(`  originals: ${done} of ${total} checked`);
    },
  });
  const { database, originals } = manifest;
  console.log(`Backup of ${manifest.dataDir} in ${dir}, taken at ${manifest.takenAt}`);
  console.log(`  database: ${database.media} media, ledger of ${database.ledgerEntries} entries (${database.bytes} bytes, sha256 ${database.sha256})`);
  console.log(`  ledger signing key: ${manifest.signingKey ? 'copied' : 'none yet (the shop is not set up)'}`);
  if (manifest.otherFiles.length > 0) console.log(`  also: ${manifest.otherFiles.join(', ')}`);
  if (originals.store === 's3') {
    console.log(`  originals: ${originals.referenced} (${gib(originals.referencedBytes)}) stay in the bucket${originals.bucket ? ` ${originals.bucket}` : ''}; not copied`);
    return 0;
  }
  console.log(
    `  originals: ${originals.referenced} (${gib(originals.referencedBytes)}); ${originals.copiedThisRun} new copied (${gib(originals.copiedBytesThisRun)}), each hash-checked`,
  );
  const problems = [
    ...originals.missingFromDataDir.map((sha256) => `original ${sha256} is named by the database but missing from DATA_DIR`),
    ...originals.damagedInDataDir.map((sha256) => `original ${sha256} in DATA_DIR does not hash to its name: not copied`),
  ];
  for (const problem of problems) console.error(`  PROBLEM: ${problem}`);
  return problems.length > 0 ? 1 : 0;
}

try {
  process.exitCode = await main(process.argv[2]);
} catch (error) {
  console.error(`Backup failed: ${(error as Error).message}`);
  process.exitCode = 2;
}
