-- How often each share link's page was opened, and when last: the seller sees whether the recipient
-- looked. A counter beside the link rather than a count over the audit trail, so listing a dispute's
-- links stays one small read however long the trail grows; the trail still records every opening.
ALTER TABLE shares ADD COLUMN open_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE shares ADD COLUMN last_opened_at TEXT;
