// A restored database checked against its own evidence log: the log's entries are re-hashed and signed
// (stored-tree.ts), but the media rows the service serves from are plain rows a hand could have edited
// in the backup (with the manifest's SHA-256 made to match). Every media row must say what its ledger
// entry says, and what the capture facts entries list of it.
import type Database from 'better-sqlite3';
import { parseCaptureFacts, parseEntry } from '../ledger/verifier/verify-core';

interface MediaFacts {
  id: string;
  sha256: string;
  bytes: number;
  mime: string;
  received_at: string;
  capture_id: string;
  entry: string | null;
}

/** Each mismatch between a media row and the log, in words; empty when every row agrees. */
export function checkMediaAgainstLedger(db: Database.Database): string[] {
  const problems: string[] = [];
  const rows = db
    .prepare(
      `SELECT m.id, m.sha256, m.bytes, m.mime, m.received_at, m.capture_id, l.entry
         FROM media m LEFT JOIN ledger_entries l ON l.media_id = m.id
        ORDER BY m.received_at, m.id`,
    )
    .all() as MediaFacts[];
  const byId = new Map(rows.map((row) => [row.id, row]));
  for (const row of rows) {
    if (row.entry === null) {
      problems.push(`media ${row.id} has no entry in the evidence log`);
      continue;
    }
    let logged: ReturnType<typeof parseEntry>;
    try {
      logged = parseEntry(row.entry);
    } catch (error) {
      problems.push(`the evidence log's entry for media ${row.id} is unreadable: ${(error as Error).message}`);
      continue;
    }
    const differ = (
      [
        ['sha256', row.sha256, logged.sha256],
        ['bytes', row.bytes, logged.bytes],
        ['mime type', row.mime, logged.mime],
        ['receive time', row.received_at, logged.received],
        ['capture', row.capture_id, logged.capture],
      ] as const
    ).filter(([, stored, inLog]) => String(stored) !== String(inLog));
    for (const [name, stored, inLog] of differ) {
      problems.push(`media ${row.id}: the database says ${name} ${stored}, its entry in the evidence log says ${inLog}`);
    }
  }
  const factsEntries = db.prepare('SELECT capture_id, entry FROM ledger_entries WHERE capture_id IS NOT NULL ORDER BY idx').all() as { capture_id: string; entry: string }[];
  for (const { capture_id: captureId, entry } of factsEntries) {
    let facts: ReturnType<typeof parseCaptureFacts>;
    try {
      facts = parseCaptureFacts(entry);
    } catch (error) {
      problems.push(`the evidence log's facts of capture ${captureId} are unreadable: ${(error as Error).message}`);
      continue;
    }
    for (const listed of facts.media) {
      const row = byId.get(listed.id);
      // A row purged since (personal data) is not a mismatch: the log keeps what was.
      if (!row) continue;
      if (row.sha256 !== listed.sha256) {
        problems.push(`media ${row.id}: the database says sha256 ${row.sha256}, the logged facts of capture ${captureId} say ${listed.sha256}`);
      }
      if (row.capture_id !== captureId) {
        problems.push(`media ${row.id}: the database puts it in capture ${row.capture_id}, the logged facts list it in capture ${captureId}`);
      }
    }
  }
  return problems;
}
