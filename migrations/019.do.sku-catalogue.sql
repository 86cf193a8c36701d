-- The SKU catalogue: what one unit of a product weighs, and the box it ships in, so an order whose
-- export gives no weights still has an expected weight (server/services/weights.ts reads it at read
-- time through storage/orders.repository.ts, and storage/weight-rule.ts in SQL the same way).

-- A box size the shop packs in, and what its packaging (box, filler, tape) weighs. Box sizes have
-- no dimensions here: the heaviest packaging stands for the largest box when an order's items name
-- several.
CREATE TABLE box_sizes (
  code TEXT PRIMARY KEY,
  name TEXT,
  packaging_weight_grams REAL NOT NULL CHECK (packaging_weight_grams >= 0),
  updated_at TEXT NOT NULL
);

-- sku is compared exactly as the order's item gives it (marketplaces keep case). A box size in use
-- cannot be removed (RESTRICT): that would change open orders' expected weights without a word.
CREATE TABLE skus (
  sku TEXT PRIMARY KEY,
  name TEXT,
  unit_weight_grams REAL CHECK (unit_weight_grams IS NULL OR unit_weight_grams >= 0),
  box_size TEXT REFERENCES box_sizes (code) ON DELETE RESTRICT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX skus_box_size ON skus (box_size);

-- The weight rule looks SKUs up from order items; the purge of buyer details walks orders by age.
CREATE INDEX orders_created_at ON orders (created_at);
