-- Order search that keeps up with typing: an FTS5 trigram index (substring match, case-insensitive) over
-- each order's searchable text, so a fragment no longer walks every order with LIKE '%q%'.
--
-- Each value is stored with a space on either side, so a term of two characters (too short for a
-- trigram) can still find a word that starts or ends with it: "민준" matches " 김민준 " through "민준 ".
-- The exact-match lookups the search tries first already have their indexes: orders.external_id
-- (UNIQUE), order_tracking_numbers_number and orders_buyer_ref (001).

-- One place that says what an order's searchable text is; the backfill and every trigger read it.
CREATE VIEW order_search_text AS
SELECT o.id,
       ' ' || o.external_id || ' ' AS external_id,
       ' ' || o.buyer_ref || ' ' AS buyer_ref,
       ' ' || o.buyer_name || ' ' AS buyer_name,
       (SELECT ' ' || group_concat(t.tracking_number, ' ') || ' '
          FROM order_tracking_numbers t WHERE t.order_id = o.id) AS tracking_numbers
FROM orders o;

-- rowid is orders.id. Separate columns, so a phrase never matches across two fields.
CREATE VIRTUAL TABLE order_search USING fts5(
  external_id, buyer_ref, buyer_name, tracking_numbers,
  tokenize = 'trigram'
);

-- Every write adds a small segment to the index, and a search reads every segment a term is in.
-- Merging as soon as a level holds two (the default is four) keeps a long phrase, such as a whole
-- order ID whose trigrams are in nearly every order, at a few milliseconds on 100,000 orders.
INSERT INTO order_search (order_search, rank) VALUES ('automerge', 2);

INSERT INTO order_search (rowid, external_id, buyer_ref, buyer_name, tracking_numbers)
  SELECT id, external_id, buyer_ref, buyer_name, tracking_numbers FROM order_search_text;
INSERT INTO order_search (order_search) VALUES ('optimize');

-- Every change rewrites the order's whole entry from the view: one rule, nothing to drift.
CREATE TRIGGER order_search_after_order_insert AFTER INSERT ON orders BEGIN
  INSERT INTO order_search (rowid, external_id, buyer_ref, buyer_name, tracking_numbers)
    SELECT id, external_id, buyer_ref, buyer_name, tracking_numbers FROM order_search_text WHERE id = new.id;
END;

-- The upsert sets every column; only a change to a searchable one touches the index.
CREATE TRIGGER order_search_after_order_update AFTER UPDATE OF id, external_id, buyer_ref, buyer_name ON orders
WHEN old.id IS NOT new.id OR old.external_id IS NOT new.external_id
  OR old.buyer_ref IS NOT new.buyer_ref OR old.buyer_name IS NOT new.buyer_name
BEGIN
  DELETE FROM order_search WHERE rowid = old.id;
  INSERT INTO order_search (rowid, external_id, buyer_ref, buyer_name, tracking_numbers)
    SELECT id, external_id, buyer_ref, buyer_name, tracking_numbers FROM order_search_text WHERE id = new.id;
END;

CREATE TRIGGER order_search_after_order_delete AFTER DELETE ON orders BEGIN
  DELETE FROM order_search WHERE rowid = old.id;
END;

CREATE TRIGGER order_search_after_tracking_insert AFTER INSERT ON order_tracking_numbers BEGIN
  DELETE FROM order_search WHERE rowid = new.order_id;
  INSERT INTO order_search (rowid, external_id, buyer_ref, buyer_name, tracking_numbers)
    SELECT id, external_id, buyer_ref, buyer_name, tracking_numbers FROM order_search_text WHERE id = new.order_id;
END;

CREATE TRIGGER order_search_after_tracking_delete AFTER DELETE ON order_tracking_numbers BEGIN
  DELETE FROM order_search WHERE rowid = old.order_id;
  INSERT INTO order_search (rowid, external_id, buyer_ref, buyer_name, tracking_numbers)
    SELECT id, external_id, buyer_ref, buyer_name, tracking_numbers FROM order_search_text WHERE id = old.order_id;
END;

CREATE TRIGGER order_search_after_tracking_update AFTER UPDATE ON order_tracking_numbers BEGIN
  DELETE FROM order_search WHERE rowid IN (old.order_id, new.order_id);
  INSERT INTO order_search (rowid, external_id, buyer_ref, buyer_name, tracking_numbers)
    SELECT id, external_id, buyer_ref, buyer_name, tracking_numbers FROM order_search_text
    WHERE id IN (old.order_id, new.order_id);
END;
