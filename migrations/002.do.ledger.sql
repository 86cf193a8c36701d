-- The evidence ledger (an RFC 9162 Merkle log of every original), its signed checkpoints,
-- the hash-chained audit trail and the record of re-hashing stored originals.

-- One leaf per original. idx is the leaf's position in the log: dense, from 0, never reused.
-- No foreign key to media: the log outlives any change to the media table and must never
-- block or be blocked by it.
CREATE TABLE ledger_entries (
  idx INTEGER PRIMARY KEY,
  media_id TEXT NOT NULL UNIQUE,
  sha256 TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  -- The exact text that was hashed into the leaf; verifiers re-hash it.
  entry TEXT NOT NULL,
  leaf_hash BLOB NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX ledger_entries_sha256 ON ledger_entries (sha256);

-- Hashes of complete subtrees above the leaves, written as the last leaf under them arrives, so a
-- proof reads O(log n) rows instead of recomputing the tree. Level 0 (the leaves) is
-- ledger_entries.leaf_hash; row (level, idx) covers leaves [idx * 2^level, (idx + 1) * 2^level).
CREATE TABLE ledger_nodes (
  level INTEGER NOT NULL CHECK (level > 0),
  idx INTEGER NOT NULL,
  hash BLOB NOT NULL,
  PRIMARY KEY (level, idx)
) WITHOUT ROWID;

-- Every checkpoint ever signed, kept forever: a verifier holding an old one can always be shown
-- that the log only grew since.
CREATE TABLE ledger_checkpoints (
  size INTEGER PRIMARY KEY,
  root_hash BLOB NOT NULL,
  note TEXT NOT NULL,
  created_at TEXT NOT NULL
);

-- Chain of custody. Each event's hash covers the previous event's hash, so an edited, removed or
-- reordered row breaks the chain from that point on.
CREATE TABLE audit_events (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor_type TEXT NOT NULL CHECK (actor_type IN ('user', 'device', 'share', 'system')),
  actor_id TEXT,
  action TEXT NOT NULL,
  subject_type TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  -- Canonical JSON (sorted keys), exactly as hashed.
  detail TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_events_subject ON audit_events (subject_type, subject_id, seq);

-- The log and the audit trail only ever grow. Code never updates or deletes them; these make a
-- mistake fail loudly instead of silently rewriting evidence.
CREATE TRIGGER ledger_entries_append_only_update BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
CREATE TRIGGER ledger_entries_append_only_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
CREATE TRIGGER ledger_nodes_append_only_update BEFORE UPDATE ON ledger_nodes
BEGIN SELECT RAISE(ABORT, 'ledger nodes are append-only'); END;
CREATE TRIGGER ledger_nodes_append_only_delete BEFORE DELETE ON ledger_nodes
BEGIN SELECT RAISE(ABORT, 'ledger nodes are append-only'); END;
CREATE TRIGGER ledger_checkpoints_append_only_update BEFORE UPDATE ON ledger_checkpoints
BEGIN SELECT RAISE(ABORT, 'ledger checkpoints are append-only'); END;
CREATE TRIGGER ledger_checkpoints_append_only_delete BEFORE DELETE ON ledger_checkpoints
BEGIN SELECT RAISE(ABORT, 'ledger checkpoints are append-only'); END;
CREATE TRIGGER audit_events_append_only_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_events_append_only_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;

-- One row per distinct stored original (by content), filled from the ledger, with when it was
-- last re-hashed: the scrub takes the never-checked first, then the longest-unchecked.
CREATE TABLE scrub_originals (
  sha256 TEXT PRIMARY KEY,
  bytes INTEGER NOT NULL,
  first_ledger_idx INTEGER NOT NULL,
  last_checked_at TEXT,
  last_result TEXT CHECK (last_result IN ('ok', 'hash_mismatch', 'missing', 'unreadable'))
);
CREATE INDEX scrub_originals_due ON scrub_originals (last_checked_at, first_ledger_idx);
CREATE INDEX scrub_originals_ledger ON scrub_originals (first_ledger_idx);

-- Each time an original is found damaged or gone (once per episode, not once per scrub pass).
CREATE TABLE scrub_problems (
  id INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL,
  found_at TEXT NOT NULL,
  problem TEXT NOT NULL CHECK (problem IN ('hash_mismatch', 'missing', 'unreadable')),
  actual_sha256 TEXT,
  actual_bytes INTEGER,
  message TEXT NOT NULL,
  resolved_at TEXT
);
CREATE INDEX scrub_problems_open ON scrub_problems (sha256) WHERE resolved_at IS NULL;
