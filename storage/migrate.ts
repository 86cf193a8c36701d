// Applies migrations/NNN.do.description.sql in order, once each, and records what ran.
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { projectPath } from '../server/paths';

const migrationsDir = projectPath('migrations');
const migrationName = /^(\d{3})\.do\.[a-z0-9-]+\.sql$/;

export function listMigrations(dir = migrationsDir): { version: number; name: string; file: string }[] {
  return fs
    .readdirSync(dir)
    .filter((name) => migrationName.test(name))
    .map((name) => ({ version: Number(migrationName.exec(name)![1]), name, file: path.join(dir, name) }))
    .sort((a, b) => a.version - b.version);
}

/** Returns the names of the migrations it applied just now. */
export function applyMigrations(db: Database.Database, dir = migrationsDir): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied = new Set(
    db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[],
  );
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const ran: string[] = [];
  for (const migration of listMigrations(dir)) {
    if (applied.has(migration.version)) continue;
    const sql = fs.readFileSync(migration.file, 'utf8');
    db.transaction(() => {
      db.exec(sql);
      record.run(migration.version, migration.name, new Date().toISOString());
    })();
    ran.push(migration.name);
  }
  return ran;
}
