-- The CRC-32 of each original, computed in the same pass as its SHA-256, so an export can write ZIP
-- headers without reading the bytes twice. Rows from before this column stay NULL and are summed as
-- they stream.
ALTER TABLE media ADD COLUMN crc32 INTEGER;
