// The weight rule of server/services/weights.ts in SQL, for the statements that filter on it in the
// database (the search's weight warnings, the home page's list), so a page of warnings is read without
// carrying every weighed capture into JavaScript. One copy for both, held to the JavaScript rule's
// answers at the tolerance's edges by tests/server/order-search-filters.test.ts and
// tests/server/packaging-weight.test.ts. Named parameters: @packaging (the shop's default packaging,
// grams) and @tolerance (a fraction, weights.ts toleranceOf).

/**
 * expectedWeight(): each item's own unit weight or else its SKU's in the catalogue (weighItem), summed
 * to a hundredth when every item has one, plus the order's packaging, else the heaviest box size among
 * its items' SKUs (boxOf), else the shop's default, to a hundredth; NULL while an item has no weight.
 */
export const expectedGramsSql = (orderId: string) => `(SELECT CASE WHEN count(*) > 0 AND count(coalesce(i.unit_weight_grams, k.unit_weight_grams)) = count(*)
         THEN round(round(sum(i.quantity * coalesce(i.unit_weight_grams, k.unit_weight_grams)), 2)
                    + coalesce((SELECT p.packaging_weight_grams FROM orders p WHERE p.id = ${orderId}), max(b.packaging_weight_grams), @packaging), 2) END
       FROM order_items i LEFT JOIN skus k ON k.sku = i.sku LEFT JOIN box_sizes b ON b.code = k.box_size
       WHERE i.order_id = ${orderId})`;

/** shippedWeightGrams(): the latest weighed packing of the capture's order started no later than it (captures_order). */
export const shippedGramsSql = (capture: string) => `(SELECT s.weight_grams FROM captures s
       WHERE s.order_id = ${capture}.order_id AND s.kind = 'packing' AND s.weight_grams IS NOT NULL AND s.started_at <= ${capture}.started_at
       ORDER BY s.started_at DESC, s.rowid DESC LIMIT 1)`;

/**
 * The two weights a capture may be held against, as columns of a row: `shipped_grams` (a return's
 * only: what was shipped) and `order_expected_grams`; weightReference() picks between them. A capture
 * whose basis was recorded when it finished (migration 020: its tolerance is set) is held to that
 * expected weight and `tolerance_percent`, as orders.service checkCaptureWeight holds it; any other to
 * the order and the shop's tolerance (@tolerance) now.
 */
export const referenceColumnsSql = (capture: string) =>
  `CASE WHEN ${capture}.kind = 'unboxing' THEN ${shippedGramsSql(capture)} END AS shipped_grams,
   CASE WHEN ${capture}.weight_basis_tolerance_percent IS NOT NULL THEN ${capture}.weight_basis_expected_grams
        ELSE ${expectedGramsSql(`${capture}.order_id`)} END AS order_expected_grams,
   ${capture}.weight_basis_tolerance_percent AS tolerance_percent`;

/** The tolerance, as a fraction, a row of referenceColumnsSql is held to. */
export const toleranceFromColumnsSql = (row: string) => `coalesce(${row}.tolerance_percent / 100.0, @tolerance)`;

/** weightReference() over those columns: a return against what was shipped when it was weighed, all else against the expected weight. */
export const referenceFromColumnsSql = (row: string) => `coalesce(${row}.shipped_grams, ${row}.order_expected_grams)`;

/** checkWeight() calls `measured` light or heavy: a reference above 0 and the difference, to a hundredth, beyond the tolerance times the reference. */
export const offSql = (measured: string, reference: string, tolerance = '@tolerance') =>
  `(${reference} > 0 AND abs(round(${measured} - ${reference}, 2)) > ${tolerance} * ${reference})`;

/** The whole rule on one capture (alias `capture`), its reference computed once in a one-row subquery. */
export const weightOffSql = (capture: string) => `(SELECT ${offSql(`${capture}.weight_grams`, referenceFromColumnsSql('r'), toleranceFromColumnsSql('r'))}
       FROM (SELECT ${referenceColumnsSql(capture)}) r)`;
