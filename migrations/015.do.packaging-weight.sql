-- Weights that count the box: the shop's default packaging weight and its weight tolerance, and an
-- order's own packaging weight. The verdict rule (server/services/weights.ts) reads all three.

-- Packaging (box, filler, tape) counted in every order's expected weight unless the order gives its own.
-- 0 until the owner sets it: any figure chosen here would be wrong for most shops (an envelope weighs
-- 20 g, a box of mugs 400 g), and would silently change the verdicts of captures already made.
ALTER TABLE shop ADD COLUMN packaging_weight_grams REAL NOT NULL DEFAULT 0;
-- How far a measured weight may be from the expected one and still be called consistent, in percent;
-- 5 is the figure the verdict always used, so existing verdicts stay as they were.
ALTER TABLE shop ADD COLUMN weight_tolerance_percent REAL NOT NULL DEFAULT 5;
-- NULL: the shop's default applies (and follows it when the owner changes it).
ALTER TABLE orders ADD COLUMN packaging_weight_grams REAL;

-- A scanned waybill finds its order. Tracking numbers are kept as they were given ("6012-3456-7891",
-- "1Z 999 AA1 01 2345 6784"), but a barcode holds them without separators and people type them in
-- either case, so the lookup compares this key: no spaces or hyphens, ASCII letters in upper case.
-- storage/orders.repository.ts (trackingKey) computes the same key for the code looked up.
CREATE INDEX order_tracking_numbers_key ON order_tracking_numbers (upper(replace(replace(tracking_number, ' ', ''), '-', '')));
