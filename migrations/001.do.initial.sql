-- Shop, identity, orders, captures and media: the core evidence service.

CREATE TABLE shop (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  name TEXT NOT NULL,
  timezone TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('owner', 'seller', 'packer')),
  created_at TEXT NOT NULL
);

CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL,
  revoked_at TEXT,
  last_seen_at TEXT
);

-- Bearer credentials of every kind; only their SHA-256 is kept.
CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('api', 'session', 'device')),
  user_id TEXT REFERENCES users (id),
  device_id TEXT REFERENCES devices (id),
  created_at TEXT NOT NULL,
  expires_at TEXT,
  revoked_at TEXT,
  CHECK ((user_id IS NULL) <> (device_id IS NULL))
);
CREATE INDEX tokens_device ON tokens (device_id);

CREATE TABLE pairing_codes (
  code_hash TEXT PRIMARY KEY,
  device_id TEXT NOT NULL REFERENCES devices (id),
  expires_at TEXT NOT NULL,
  used_at TEXT
);

CREATE TABLE buyer_flags (
  buyer_ref TEXT PRIMARY KEY,
  reason TEXT,
  flagged_at TEXT NOT NULL
);

CREATE TABLE orders (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  external_id TEXT NOT NULL UNIQUE,
  channel TEXT,
  buyer_ref TEXT,
  buyer_name TEXT,
  carrier TEXT,
  delivery_note TEXT,
  declared_amount REAL,
  declared_currency TEXT,
  shipped_at TEXT,
  delivered_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX orders_buyer_ref ON orders (buyer_ref);
CREATE INDEX orders_buyer_name ON orders (buyer_name COLLATE NOCASE);

CREATE TABLE order_items (
  order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  sku TEXT,
  name TEXT NOT NULL,
  quantity INTEGER NOT NULL,
  unit_weight_grams REAL,
  unit_value REAL,
  PRIMARY KEY (order_id, position)
);

CREATE TABLE order_tracking_numbers (
  order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  tracking_number TEXT NOT NULL,
  PRIMARY KEY (order_id, tracking_number)
);
CREATE INDEX order_tracking_numbers_number ON order_tracking_numbers (tracking_number);

CREATE TABLE captures (
  id TEXT PRIMARY KEY,
  order_id INTEGER NOT NULL REFERENCES orders (id),
  kind TEXT NOT NULL CHECK (kind IN ('packing', 'unboxing', 'handover', 'other')),
  started_at TEXT NOT NULL,
  finished_at TEXT,
  user_id TEXT REFERENCES users (id),
  device_id TEXT REFERENCES devices (id),
  station TEXT,
  weight_grams REAL,
  weight_value REAL,
  weight_unit TEXT,
  tracking_number TEXT,
  note TEXT,
  checklist TEXT,
  outcome TEXT,
  updated_at TEXT NOT NULL
);
CREATE INDEX captures_order ON captures (order_id, started_at);

CREATE TABLE media (
  id TEXT PRIMARY KEY,
  capture_id TEXT NOT NULL REFERENCES captures (id),
  type TEXT NOT NULL CHECK (type IN ('photo', 'video', 'audio', 'document')),
  mime TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  received_at TEXT NOT NULL,
  captured_at TEXT,
  captured_at_source TEXT,
  original_name TEXT,
  caption TEXT,
  uploaded_by_user TEXT REFERENCES users (id),
  uploaded_by_device TEXT REFERENCES devices (id),
  width INTEGER,
  height INTEGER,
  duration_ms INTEGER,
  codec TEXT,
  exif TEXT,
  processing_status TEXT NOT NULL DEFAULT 'pending' CHECK (processing_status IN ('pending', 'ready', 'failed')),
  processing_error TEXT,
  UNIQUE (capture_id, sha256)
);
CREATE INDEX media_sha256 ON media (sha256);
CREATE INDEX media_pending ON media (processing_status) WHERE processing_status = 'pending';

-- A retried request with the same key gets the first answer instead of doing the work twice.
CREATE TABLE idempotency_keys (
  principal TEXT NOT NULL,
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('in_progress', 'done')),
  response_status INTEGER,
  response_body TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (principal, scope, key)
);
