-- Capture facts in the ledger (SPEC section 7): when a capture finishes, its facts (order, kind,
-- station, who, server times, weight, expected weight, checklist, outcome, the SHA-256 of each of
-- its media) become one ledger entry of their own. A leaf is now either an original (media_id,
-- sha256, bytes) or a finished capture's facts (capture_id): capture_id is where a capture's entry
-- is found, and the columns only an original has may be empty.
--
-- SQLite cannot relax NOT NULL in place, so the table is rebuilt. Every existing row is copied as it
-- is (idx, entry, leaf_hash unchanged), so every leaf, stored node, checkpoint and proof stays valid;
-- the append-only triggers are made again on the new table.
--
-- Captures finished before this migration get no entry, on purpose: their facts were not signed
-- when they were recorded, and an entry written now would look as if they had been. Reports and
-- verifiers say plainly that those captures' facts are not in the log.
CREATE TABLE ledger_entries_new (
  idx INTEGER PRIMARY KEY,
  media_id TEXT UNIQUE,
  capture_id TEXT UNIQUE,
  sha256 TEXT,
  bytes INTEGER,
  -- The exact text that was hashed into the leaf; verifiers re-hash it.
  entry TEXT NOT NULL,
  leaf_hash BLOB NOT NULL,
  created_at TEXT NOT NULL,
  CHECK (
    (media_id IS NOT NULL AND sha256 IS NOT NULL AND bytes IS NOT NULL AND capture_id IS NULL)
    OR (capture_id IS NOT NULL AND media_id IS NULL AND sha256 IS NULL AND bytes IS NULL)
  )
);
INSERT INTO ledger_entries_new (idx, media_id, capture_id, sha256, bytes, entry, leaf_hash, created_at)
  SELECT idx, media_id, NULL, sha256, bytes, entry, leaf_hash, created_at FROM ledger_entries ORDER BY idx;
DROP TRIGGER ledger_entries_append_only_update;
DROP TRIGGER ledger_entries_append_only_delete;
DROP TABLE ledger_entries;
ALTER TABLE ledger_entries_new RENAME TO ledger_entries;
CREATE INDEX ledger_entries_sha256 ON ledger_entries (sha256);

CREATE TRIGGER ledger_entries_append_only_update BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
CREATE TRIGGER ledger_entries_append_only_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
