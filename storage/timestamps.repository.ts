// SQL for the RFC 3161 time-stamp tokens of signed checkpoints.
import type { Db } from './database';

export interface LedgerTimestampRow {
  checkpoint_size: number;
  token: Buffer;
  certificates_pem: string;
  gen_time: string;
  tsa: string;
  tsa_url: string;
  created_at: string;
}

export function createTimestampsRepository(db: Db) {
  const statements = {
    // OR IGNORE: a second token for the same checkpoint (two stampers racing) adds nothing.
    insert: db.prepare(
      `INSERT OR IGNORE INTO ledger_timestamps (checkpoint_size, token, certificates_pem, gen_time, tsa, tsa_url, created_at)
       VALUES (@checkpoint_size, @token, @certificates_pem, @gen_time, @tsa, @tsa_url, @created_at)`,
    ),
    getBySize: db.prepare('SELECT * FROM ledger_timestamps WHERE checkpoint_size = @size'),
    latest: db.prepare('SELECT * FROM ledger_timestamps ORDER BY checkpoint_size DESC LIMIT 1'),
  };

  return {
    insert: (row: LedgerTimestampRow) => statements.insert.run(row),
    getBySize: (size: number) => statements.getBySize.get({ size }) as LedgerTimestampRow | undefined,
    /** The token of the largest checkpoint that has one. */
    latest: () => statements.latest.get() as LedgerTimestampRow | undefined,
  };
}

export type TimestampsRepository = ReturnType<typeof createTimestampsRepository>;
