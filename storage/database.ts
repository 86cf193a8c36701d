// Opens the SQLite database once with the pragmas durability needs, and applies migrations.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { applyMigrations } from './migrate';

export type Db = Database.Database;

export interface DatabaseOptions {
  /**
   * Called when a write finds the disk full: frees room (the disk reserve) and says whether it did.
   * When it did, the write is tried once more: a lone statement by itself, a statement inside a
   * transaction as the whole outermost transaction (SQLite may have rolled it back already).
   */
  onDiskFull?: () => boolean;
}

const isDatabaseFull = (error: unknown) => (error as { code?: string } | undefined)?.code === 'SQLITE_FULL';

/** Opens (creating if needed) DATA_DIR's database and brings its schema up to date. */
export function openDatabase(dataDir: string, onMigrated: (applied: string[]) => void = () => {}, { onDiskFull }: DatabaseOptions = {}): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'packtrail.sqlite'));
  if (onDiskFull) retryWhenFull(db, onDiskFull);
  db.pragma('journal_mode = WAL');
  // FULL: a commit that returned survives power loss, which is what a 201 promises.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // This connection is the service's writer and waits synchronously, holding every request: it waits a
  // second at most for another writer (a large import committing in its worker), then the request is
  // refused with a retryable 503 DATABASE_BUSY rather than freezing the service for longer.
  db.pragma('busy_timeout = 1000');
  onMigrated(applyMigrations(db));
  return db;
}

/**
 * A second, read-only connection to DATA_DIR's database, for reading beside the main one (the search
 * workers). The main connection has opened it already, in WAL mode, with the schema up to date: in WAL
 * mode a reader never waits for the writer, and each read transaction sees every commit made before it.
 */
export function openReadOnlyDatabase(dataDir: string): Db {
  const db = new Database(path.join(dataDir, 'packtrail.sqlite'), { readonly: true, fileMustExist: true });
  // A checkpoint or recovery by the writer can hold a reader back for a moment; wait rather than fail.
  db.pragma('busy_timeout = 5000');
  return db;
}

/**
 * Makes every write on `db` survive one full disk: statements and transactions are wrapped where they
 * are made (prepare, transaction), so no repository needs to know. Only the outermost level retries:
 * inside a transaction the error goes up to the transaction that began it. (exec is left alone: a
 * script that failed half-way outside a transaction cannot simply be run again.)
 */
function retryWhenFull(db: Db, onDiskFull: () => boolean): void {
  const once = <T>(work: () => T): T => {
    if (db.inTransaction) return work();
    try {
      return work();
    } catch (error) {
      if (!isDatabaseFull(error) || db.inTransaction || !onDiskFull()) throw error;
      return work();
    }
  };
  const wrap = <F extends (...args: never[]) => unknown>(original: F): F =>
    function (this: unknown, ...args: Parameters<F>) {
      return once(() => original.apply(this, args));
    } as F;

  const prepare = db.prepare.bind(db);
  db.prepare = ((source: string) => {
    const statement = prepare(source);
    // get and all too: INSERT … RETURNING writes through them.
    statement.run = wrap(statement.run);
    statement.get = wrap(statement.get);
    statement.all = wrap(statement.all);
    return statement;
  }) as typeof db.prepare;

  const transaction = db.transaction.bind(db);
  db.transaction = ((fn: (...args: never[]) => unknown) => {
    const made = transaction(fn);
    const variants = { deferred: wrap(made.deferred), immediate: wrap(made.immediate), exclusive: wrap(made.exclusive) };
    const wrapped = wrap(made);
    for (const variant of [wrapped, ...Object.values(variants)]) {
      Object.defineProperties(variant, {
        default: { value: wrapped },
        ...Object.fromEntries(Object.entries(variants).map(([name, value]) => [name, { value }])),
        database: { value: db, enumerable: true },
      });
    }
    return wrapped;
  }) as typeof db.transaction;
}
