// Shared set-up for the ledger tests: a real SQLite file in a temporary folder, sample entries, and
// a Merkle root computed straight from the RFC's definition to hold the stored tree against.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { tempDir } from '../helpers/temp-dir';
import { openDatabase, type Db } from '../../storage/database';
import { createLedgerService, type LedgerAppendInput, type LedgerService } from '../../server/services/ledger/ledger.service';

export const testOrigin = 'packtrail.test/shop';

export function makeTempDir(prefix = 'packtrail-ledger-'): string {
  return tempDir(prefix);
}

export interface OpenLedger {
  dir: string;
  db: Db;
  ledger: LedgerService;
  close(): void;
}

export function openLedger(dir = makeTempDir(), origin = testOrigin): OpenLedger {
  const db = openDatabase(dir);
  const ledger = createLedgerService({ db, dataDir: dir, origin });
  return {
    dir,
    db,
    ledger,
    close() {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function sampleEntry(i: number, overrides: Partial<LedgerAppendInput> = {}): LedgerAppendInput {
  return {
    mediaId: `media-${i}`,
    sha256: sha256Hex(`original ${i}`),
    bytes: 1000 + i,
    mime: 'video/mp4',
    receivedAt: new Date(Date.UTC(2026, 4, 1, 5, 3, 12) + i * 1000).toISOString(),
    captureId: `capture-${Math.floor(i / 3)}`,
    orderId: `ORDER-${1000 + Math.floor(i / 3)}`,
    kind: 'packing',
    ...overrides,
  };
}

/** Appends `count` sample entries in one transaction (one fsync, not one per entry) and returns their leaf hashes. */
export function appendSamples(open: OpenLedger, count: number, from = 0): Buffer[] {
  const leaves: Buffer[] = [];
  open.db.transaction(() => {
    for (let i = from; i < from + count; i++) leaves.push(Buffer.from(open.ledger.append(sampleEntry(i)).leafHash, 'hex'));
  })();
  return leaves;
}

/** MTH(D[n]) exactly as RFC 9162 2.1.1 defines it, independent of the code under test. */
export function referenceRoot(leafHashes: Buffer[]): Buffer {
  if (leafHashes.length === 0) return createHash('sha256').digest();
  if (leafHashes.length === 1) return leafHashes[0];
  let k = 1;
  while (k * 2 < leafHashes.length) k *= 2;
  return createHash('sha256')
    .update(Buffer.from([1]))
    .update(referenceRoot(leafHashes.slice(0, k)))
    .update(referenceRoot(leafHashes.slice(k)))
    .digest();
}

/** Lets a test play the attacker who edits the database directly, past the append-only triggers. */
export function dropAppendOnlyTriggers(db: Db): void {
  const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%append_only%'").pluck().all() as string[];
  for (const name of triggers) db.exec(`DROP TRIGGER ${name}`);
}
