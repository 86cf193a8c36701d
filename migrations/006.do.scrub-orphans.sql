-- The integrity scrub also reports files in originals/ that no media row accounts for ("orphan"):
-- SQLite cannot change a CHECK in place, so the table is rebuilt with its rows.

CREATE TABLE scrub_problems_new (
  id INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL,
  found_at TEXT NOT NULL,
  problem TEXT NOT NULL CHECK (problem IN ('hash_mismatch', 'missing', 'unreadable', 'orphan')),
  actual_sha256 TEXT,
  actual_bytes INTEGER,
  message TEXT NOT NULL,
  resolved_at TEXT
);
INSERT INTO scrub_problems_new (id, sha256, found_at, problem, actual_sha256, actual_bytes, message, resolved_at)
  SELECT id, sha256, found_at, problem, actual_sha256, actual_bytes, message, resolved_at FROM scrub_problems;
DROP TABLE scrub_problems;
ALTER TABLE scrub_problems_new RENAME TO scrub_problems;
CREATE INDEX scrub_problems_open ON scrub_problems (sha256) WHERE resolved_at IS NULL;
