-- Users the owner manages (invited, disabled, last signed in) and the shop's own settings.

-- A disabled user keeps its rows (who captured what stays readable) but none of its tokens work.
ALTER TABLE users ADD COLUMN disabled_at TEXT;
-- Shown to the owner beside each user; unknown (NULL) for sign-ins before this column existed.
ALTER TABLE users ADD COLUMN last_sign_in_at TEXT;

-- The language a bundle's or a claim packet's documents are written in when the export names none.
-- Not limited by a CHECK here: the API checks it against the vocabulary, and a language added later
-- needs no table rebuild.
ALTER TABLE shop ADD COLUMN report_language TEXT NOT NULL DEFAULT 'en';

-- One-time codes in invite links, stored only as SHA-256 like pairing codes. An invited user has no
-- password (password_hash is empty) until the code is used to set one.
CREATE TABLE invite_codes (
  code_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  created_by TEXT NOT NULL REFERENCES users (id),
  expires_at TEXT NOT NULL,
  used_at TEXT
);
CREATE INDEX invite_codes_user ON invite_codes (user_id);
-- Disabling a user revokes every token it holds at once.
CREATE INDEX tokens_user ON tokens (user_id);
