-- Disputes, the evidence picked for them, share links for outside recipients, and deadline reminders.

CREATE TABLE disputes (
  id TEXT PRIMARY KEY,
  order_id INTEGER NOT NULL REFERENCES orders (id),
  reason TEXT NOT NULL CHECK (reason IN ('item_missing', 'damaged', 'not_received', 'not_as_described', 'wrong_item',
                                         'return_damaged', 'return_used', 'return_missing_parts', 'chargeback', 'other')),
  counterparty TEXT NOT NULL CHECK (counterparty IN ('buyer', 'marketplace', 'payment_processor', 'courier')),
  reference TEXT,
  amount_value REAL,
  amount_currency TEXT,
  respond_by TEXT,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'submitted', 'won', 'lost', 'closed')),
  note TEXT,
  damage_description TEXT,
  created_by TEXT REFERENCES users (id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX disputes_by_deadline ON disputes (status, respond_by);
CREATE INDEX disputes_order ON disputes (order_id);

CREATE TABLE dispute_evidence (
  id TEXT PRIMARY KEY,
  dispute_id TEXT NOT NULL REFERENCES disputes (id),
  media_id TEXT REFERENCES media (id),
  capture_id TEXT REFERENCES captures (id),
  caption TEXT,
  position INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  CHECK ((media_id IS NULL) <> (capture_id IS NULL))
);
CREATE UNIQUE INDEX dispute_evidence_media ON dispute_evidence (dispute_id, media_id) WHERE media_id IS NOT NULL;
CREATE UNIQUE INDEX dispute_evidence_capture ON dispute_evidence (dispute_id, capture_id) WHERE capture_id IS NOT NULL;

-- Read-only links for recipients without an account; only the token's SHA-256 is kept.
CREATE TABLE shares (
  id TEXT PRIMARY KEY,
  dispute_id TEXT NOT NULL REFERENCES disputes (id),
  token_hash TEXT NOT NULL UNIQUE,
  created_by TEXT REFERENCES users (id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX shares_dispute ON shares (dispute_id);

-- One reminder of each kind per dispute, raised by the deadline job.
CREATE TABLE dispute_reminders (
  dispute_id TEXT NOT NULL REFERENCES disputes (id),
  kind TEXT NOT NULL CHECK (kind IN ('due_soon', 'overdue')),
  respond_by TEXT NOT NULL,
  raised_at TEXT NOT NULL,
  dismissed_at TEXT,
  PRIMARY KEY (dispute_id, kind, respond_by)
);
