-- Time that does not rest on the shop: RFC 3161 time-stamp tokens over signed checkpoints, and the
-- evidence log's name, fixed once and kept in the database beside the log it names.

-- One token per checkpoint, from the authority at TSA_URL when it was signed (or later, when the
-- authority was down then). Kept for ever, like the checkpoints: bundles carry them.
CREATE TABLE ledger_timestamps (
  checkpoint_size INTEGER PRIMARY KEY REFERENCES ledger_checkpoints (size),
  -- The DER TimeStampToken (a CMS ContentInfo) exactly as the authority sent it.
  token BLOB NOT NULL,
  -- The authority's certificate, then its chain when the token carried one, as PEM: what a bundle
  -- ships beside the token so a reader can see whose signature it is.
  certificates_pem TEXT NOT NULL,
  -- The time the authority attests (ISO 8601 UTC) and who it is (certificate subject): read from the
  -- token when it was checked, so lists need not parse it again.
  gen_time TEXT NOT NULL,
  tsa TEXT NOT NULL,
  tsa_url TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TRIGGER ledger_timestamps_append_only_update BEFORE UPDATE ON ledger_timestamps
BEGIN SELECT RAISE(ABORT, 'ledger time-stamps are append-only'); END;
CREATE TRIGGER ledger_timestamps_append_only_delete BEFORE DELETE ON ledger_timestamps
BEGIN SELECT RAISE(ABORT, 'ledger time-stamps are append-only'); END;

-- The log's name: the origin line of every checkpoint and the name of its signing key. Chosen once,
-- at setup, and never changed: a renamed log would look like a different one to whoever kept an
-- older checkpoint.
CREATE TABLE ledger_log (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  origin TEXT NOT NULL,
  named_at TEXT NOT NULL
);

-- A log that already signed checkpoints keeps the name they carry (before this, it came from
-- PUBLIC_URL's host, "localhost:8080/packtrail" by default). A log with a key but no checkpoint yet
-- takes its key's name when the server starts (ledger.service.ts).
INSERT INTO ledger_log (id, origin, named_at)
SELECT 1, substr(note, 1, instr(note, char(10)) - 1), created_at
FROM ledger_checkpoints
ORDER BY size
LIMIT 1;
