-- Order imports: a marketplace's order export is read into a preview first (nothing written to orders),
-- then committed in one transaction. The rows wait here between the two; a committed or expired import
-- keeps only its summary (the rows are deleted), so buyer details do not linger in a side table.

CREATE TABLE order_imports (
  id TEXT PRIMARY KEY,
  channel TEXT NOT NULL,
  file_name TEXT,
  status TEXT NOT NULL CHECK (status IN ('preview', 'committed')),
  -- The column mapping used, as JSON ({orderId: "주문번호", ...}).
  columns TEXT NOT NULL CHECK (json_valid(columns)),
  -- The preview as the API answers it: totals, refused rows (first 500), sample (first 50).
  preview TEXT NOT NULL CHECK (json_valid(preview)),
  -- What the commit did ({created, updated, unchanged}); NULL until then.
  result TEXT CHECK (result IS NULL OR json_valid(result)),
  created_by TEXT,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  committed_at TEXT
);

-- The orders an import holds, in the order the file first names them; refused_line is set when a row
-- of the order was refused, and then none of the order is imported (a missing item would make its
-- expected weight wrong).
CREATE TABLE order_import_orders (
  import_id TEXT NOT NULL REFERENCES order_imports (id) ON DELETE CASCADE,
  order_id TEXT NOT NULL,
  first_line INTEGER NOT NULL,
  refused_line INTEGER,
  PRIMARY KEY (import_id, order_id)
);
CREATE INDEX order_import_orders_first_line ON order_import_orders (import_id, first_line);

-- One recognised row of the file: its line and the mapped fields, as JSON.
CREATE TABLE order_import_rows (
  import_id TEXT NOT NULL REFERENCES order_imports (id) ON DELETE CASCADE,
  line INTEGER NOT NULL,
  order_id TEXT NOT NULL,
  fields TEXT NOT NULL CHECK (json_valid(fields)),
  PRIMARY KEY (import_id, line)
);
CREATE INDEX order_import_rows_order ON order_import_rows (import_id, order_id, line);

-- The column mapping a shop chose per channel, remembered for its next import.
CREATE TABLE order_import_mappings (
  channel TEXT PRIMARY KEY,
  columns TEXT NOT NULL CHECK (json_valid(columns)),
  updated_at TEXT NOT NULL
);
