// SQL for the evidence ledger: its entries (leaves), stored subtree hashes and signed checkpoints.
import type { Db } from './database';

/** A leaf records either an original (media_id, sha256, bytes) or a finished capture's facts (capture_id). */
export interface LedgerEntryRow {
  idx: number;
  media_id: string | null;
  capture_id: string | null;
  sha256: string | null;
  bytes: number | null;
  entry: string;
  leaf_hash: Buffer;
  created_at: string;
}

export interface LedgerNodeRow {
  level: number;
  idx: number;
  hash: Buffer;
}

export interface LedgerCheckpointRow {
  size: number;
  root_hash: Buffer;
  note: string;
  created_at: string;
}

export function createLedgerRepository(db: Db) {
  const statements = {
    size: db.prepare('SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_entries').pluck(),
    insertEntry: db.prepare(
      `INSERT INTO ledger_entries (idx, media_id, capture_id, sha256, bytes, entry, leaf_hash, created_at)
       VALUES (@idx, @media_id, @capture_id, @sha256, @bytes, @entry, @leaf_hash, @created_at)`,
    ),
    getLeafHash: db.prepare('SELECT leaf_hash FROM ledger_entries WHERE idx = @idx').pluck(),
    getEntryByMediaId: db.prepare('SELECT * FROM ledger_entries WHERE media_id = @media_id'),
    getEntryByCaptureId: db.prepare('SELECT * FROM ledger_entries WHERE capture_id = @capture_id'),
    listEntriesFrom: db.prepare('SELECT idx, entry, leaf_hash FROM ledger_entries WHERE idx >= @idx ORDER BY idx LIMIT @limit'),
    listMediaIdsBySha256: db.prepare('SELECT media_id FROM ledger_entries WHERE sha256 = @sha256 ORDER BY idx').pluck(),
    insertNode: db.prepare('INSERT INTO ledger_nodes (level, idx, hash) VALUES (@level, @idx, @hash)'),
    getNodeHash: db.prepare('SELECT hash FROM ledger_nodes WHERE level = @level AND idx = @idx').pluck(),
    insertCheckpoint: db.prepare(
      `INSERT INTO ledger_checkpoints (size, root_hash, note, created_at)
       VALUES (@size, @root_hash, @note, @created_at)`,
    ),
    latestCheckpoint: db.prepare('SELECT * FROM ledger_checkpoints ORDER BY size DESC LIMIT 1'),
    getCheckpointBySize: db.prepare('SELECT * FROM ledger_checkpoints WHERE size = @size'),
    getLogName: db.prepare('SELECT origin FROM ledger_log WHERE id = 1').pluck(),
    insertLogName: db.prepare('INSERT OR IGNORE INTO ledger_log (id, origin, named_at) VALUES (1, @origin, @named_at)'),
  };

  return {
    /** Number of entries, which is also the index the next one gets. */
    size: () => statements.size.get() as number,
    insertEntry: (row: LedgerEntryRow) => statements.insertEntry.run(row),
    getLeafHash: (idx: number) => statements.getLeafHash.get({ idx }) as Buffer | undefined,
    getEntryByMediaId: (mediaId: string) => statements.getEntryByMediaId.get({ media_id: mediaId }) as LedgerEntryRow | undefined,
    getEntryByCaptureId: (captureId: string) => statements.getEntryByCaptureId.get({ capture_id: captureId }) as LedgerEntryRow | undefined,
    /** A page of entries in log order; pages rather than an open iterator, so other statements can run between them. */
    listEntriesFrom: (idx: number, limit: number) =>
      statements.listEntriesFrom.all({ idx, limit }) as Pick<LedgerEntryRow, 'idx' | 'entry' | 'leaf_hash'>[],
    listMediaIdsBySha256: (sha256: string) => statements.listMediaIdsBySha256.all({ sha256 }) as string[],
    insertNode: (row: LedgerNodeRow) => statements.insertNode.run(row),
    getNodeHash: (level: number, idx: number) => statements.getNodeHash.get({ level, idx }) as Buffer | undefined,
    insertCheckpoint: (row: LedgerCheckpointRow) => statements.insertCheckpoint.run(row),
    latestCheckpoint: () => statements.latestCheckpoint.get() as LedgerCheckpointRow | undefined,
    getCheckpointBySize: (size: number) => statements.getCheckpointBySize.get({ size }) as LedgerCheckpointRow | undefined,
    /** The log's name (origin), once chosen. */
    getLogName: () => statements.getLogName.get() as string | undefined,
    /** Records the name unless one is recorded already: the first name stays. */
    insertLogName: (origin: string, namedAt: string) => statements.insertLogName.run({ origin, named_at: namedAt }),
  };
}

export type LedgerRepository = ReturnType<typeof createLedgerRepository>;
