-- Retention with legal hold (RETENTION_DAYS, server/services/retention.service.ts).
--
-- An owner's hold keeps one media item's original past the retention period, whatever its disputes
-- say. One row per held item; releasing the hold deletes the row. Who held it and why, and who let it
-- go, are also custody events (audit_events), which are never deleted, so the history outlives the row.
CREATE TABLE media_holds (
  media_id TEXT PRIMARY KEY REFERENCES media (id),
  reason TEXT,
  held_by TEXT NOT NULL REFERENCES users (id),
  held_at TEXT NOT NULL
);

-- A media item whose original retention let go: the row, its ledger entry and its custody stay, so
-- the item answers 410 with when and why instead of vanishing. The reason is a code (the API and the
-- pages put it in words); 'retention' is the only one so far.
ALTER TABLE media ADD COLUMN removed_at TEXT;
ALTER TABLE media ADD COLUMN removal_reason TEXT CHECK (removal_reason IN ('retention'));
-- The retention job walks the oldest originals still kept, oldest first.
CREATE INDEX media_kept_by_age ON media (received_at) WHERE removed_at IS NULL;

-- A dispute's evidence stays on hold for RETENTION_DAYS after the dispute closes, so the time it
-- closed is needed. Kept by a trigger, whichever code changes the status: the time is the update's own
-- (updated_at, the service's clock). A dispute reopened forgets it; closing again (or moving from won to
-- lost) starts the period again, the later of the two being the safer.
ALTER TABLE disputes ADD COLUMN closed_at TEXT;
-- Disputes closed before this migration: their last change is the best record of when.
UPDATE disputes SET closed_at = updated_at WHERE status IN ('won', 'lost', 'closed');
CREATE TRIGGER disputes_closed_at AFTER UPDATE OF status ON disputes
WHEN NEW.status <> OLD.status
BEGIN
  UPDATE disputes SET closed_at = CASE WHEN NEW.status IN ('won', 'lost', 'closed') THEN NEW.updated_at END WHERE id = NEW.id;
END;
