-- A finished capture keeps the weight it was held against. Its verdict (weights.ts) compares the
-- measured weight with the order's expected weight and the shop's tolerance; both may change later
-- (the owner edits the packaging weight, the tolerance or an item), and a verdict printed in a report
-- months after the parcel left must be the one the facts supported when it was weighed, the same
-- figures the capture's facts entry in the log holds (expected-grams, tolerance-percent).
--
-- Written once, when the capture finishes (captures.service finish), never changed after.
-- weight_basis_tolerance_percent NOT NULL marks a capture whose basis was recorded; then
-- weight_basis_expected_grams NULL means no expected weight was known at finish (an item had no unit
-- weight), and the verdict stays "unknown" rather than borrowing one entered afterwards.
-- Captures finished before this migration have no basis recorded (NULL): their verdict follows the
-- current settings, as before; nothing recorded then can be recovered now.
ALTER TABLE captures ADD COLUMN weight_basis_expected_grams REAL;
-- The packaging counted in that expected weight (for the report's "2 items + 150 g packaging").
ALTER TABLE captures ADD COLUMN weight_basis_packaging_grams REAL;
ALTER TABLE captures ADD COLUMN weight_basis_tolerance_percent REAL;

-- PATCH /shop now refuses a tolerance under 0.1 % (no scale reads a parcel that finely, and a report
-- would print it as "± 0 %"); a shop that set one before is raised to that minimum.
UPDATE shop SET weight_tolerance_percent = 0.1 WHERE weight_tolerance_percent < 0.1;
