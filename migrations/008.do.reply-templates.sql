-- Reply templates the shop's owner has rewritten, one per dispute reason, stage and language. A
-- combination without a row uses the default in server/i18n/replies; deleting the row restores it.

CREATE TABLE reply_templates (
  reason TEXT NOT NULL CHECK (reason IN ('item_missing', 'damaged', 'not_received', 'not_as_described', 'wrong_item',
                                         'return_damaged', 'return_used', 'return_missing_parts', 'chargeback', 'other')),
  stage TEXT NOT NULL CHECK (stage IN ('first_reply', 'evidence_sent', 'resolution')),
  language TEXT NOT NULL CHECK (language IN ('en', 'ko', 'zh-TW')),
  body TEXT NOT NULL,
  updated_by TEXT REFERENCES users (id),
  updated_at TEXT NOT NULL,
  PRIMARY KEY (reason, stage, language)
) WITHOUT ROWID;
