// `npm run restore -- DIR`: fills an empty DATA_DIR from the backup in DIR (see
// server/services/backup/restore.service.ts). Exit 0: whole and verified; 1: restored with problems
// (listed); 2: nothing restored (refused or failed before writing the database).
import { loadConfig } from '../server/config';
import { restoreBackup } from '../server/services/backup/restore.service';
import { openBlobStores } from '../storage/blobs/open-stores';

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(2)} GiB`;

async function main(dir: string | undefined): Promise<number> {
  if (!dir) {
    console.error('Usage: DATA_DIR=<empty folder> npm run restore -- <backup folder>');
    return 2;
  }
  const config = loadConfig();
  const { dataDir } = config;
  // With BLOB_STORE=s3 the originals stay in the bucket: the restore asks it for each one the database names.
  const openOriginals = config.blobStore === 's3' ? () => openBlobStores(config).originals : undefined;
  const report = await restoreBackup({ backupDir: dir, dataDir, openOriginals });
  const { manifest } = report;
  console.log(`Restored into ${dataDir} the backup in ${dir}, taken at ${manifest.takenAt} from ${manifest.dataDir}`);
  console.log(`  database: ${report.database.media} media, ledger of ${report.database.ledgerEntries} entries`);
  console.log(`  ledger signing key: ${report.signingKey ? `restored (verifier key ${report.manifest.verifierKey})` : 'none (the shop was not set up)'}`);
  if (report.otherFiles.length > 0) console.log(`  also: ${report.otherFiles.join(', ')}`);
  if (report.originals) {
    console.log(`  originals: ${report.originals.copied} restored (${gib(report.originals.copiedBytes)}), each hash-checked`);
  } else {
    const bucket = report.manifest.originals.store === 's3' ? report.manifest.originals.bucket : null;
    console.log(`  originals: in the S3 bucket${bucket ? ` ${bucket}` : ''}, not in the backup; the service reads them there (BLOB_STORE=s3 and the same S3_* settings)`);
    if (report.bucket) console.log(`  bucket: ${report.bucket.present} of the ${report.bucket.named} originals the database names are there`);
    else console.log('  bucket: NOT checked (BLOB_STORE is not s3 here); restore with the S3_* settings to have each original looked for');
  }
  // Same loose read as scripts/backup.ts: Config has blobStore once issue 14's S3 store is in.
  const blobStore = (config as unknown as { blobStore?: string }).blobStore ?? 'local';
  if (blobStore !== report.manifest.originals.store) {
    console.log(`  NOTE: this backup's originals are ${report.manifest.originals.store === 's3' ? 'in a bucket' : 'on local disk'}; start the restored service with BLOB_STORE=${report.manifest.originals.store}`);
  }
  console.log(`  derived files to be made again on start: ${report.regenerate.processing} thumbnails, ${report.regenerate.playback} playback copies`);
  if ('notSetUp' in report.ledger) console.log('  ledger: empty (the shop was not set up when the backup was taken)');
  else if (report.ledger.ok) console.log(`  ledger: verifies (${report.ledger.entries} entries re-hashed, latest signed checkpoint checked with the restored key, every media row compared with its entry)`);
  const fork = report.forkPoint;
  if (fork.ledgerEntries > 0) {
    const signed = fork.checkpoint ? `; its latest checkpoint is of ${fork.checkpoint.size} entries, signed ${fork.checkpoint.signedAt}` : '';
    console.log('');
    console.log('  ************************************************************************************');
    console.log(`  WARNING: the restored evidence log ends at entry ${fork.ledgerEntries - 1} (${fork.ledgerEntries} entries, backup taken ${fork.backupTakenAt}${signed}).`);
    console.log('  Anything the old service logged after the backup is not in it, and the restored service will sign');
    console.log('  new entries at the same positions with the same key: a checkpoint or bundle published after');
    console.log(`  ${fork.backupTakenAt} no longer matches this log (the log has forked). The restore is recorded in the`);
    console.log('  custody log (action "restore") so the difference can be explained; see "Backups" in the README.');
    console.log('  ************************************************************************************');
  }
  for (const problem of report.problems) console.error(`  PROBLEM: ${problem}`);
  return report.problems.length > 0 ? 1 : 0;
}

try {
  process.exitCode = await main(process.argv[2]);
} catch (error) {
  console.error(`Restore failed: ${(error as Error).message}`);
  process.exitCode = 2;
}
