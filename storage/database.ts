// Opens the SQLite database once with the pragmas durability needs, and applies migrations.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { applyMigrations } from './migrate';

export type Db = Database.Database;

/** Opens (creating if needed) DATA_DIR's database and brings its schema up to date. */
export function openDatabase(dataDir: string, onMigrated: (applied: string[]) => void = () => {}): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'packtrail.sqlite'));
  db.pragma('journal_mode = WAL');
  // FULL: a commit that returned survives power loss, which is what a 201 promises.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  onMigrated(applyMigrations(db));
  return db;
}
