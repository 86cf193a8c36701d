-- The key of the buyer-ref pseudonyms (services/buyer-ref.ts): an import keeps a buyer's e-mail address
-- only as a keyed hash of it. In the database, not a file, so a backup restores it and the pseudonyms a
-- flag is filed under stay the same.
CREATE TABLE secrets (
  name TEXT PRIMARY KEY,
  value BLOB NOT NULL
);
INSERT INTO secrets (name, value) VALUES ('buyer-ref-pseudonyms', randomblob(32));
