import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditService, type AuditService } from '../../server/services/audit.service';
import { createScrubService, type ScrubService } from '../../server/services/ledger/scrub.service';
import { openLedger, sampleEntry, sha256Hex, type OpenLedger } from './ledger-fixture';

describe('scrubbing stored originals', () => {
  let open: OpenLedger;
  let blobDir: string;
  let audit: AuditService;
  let scrub: ScrubService;
  let minute = 0;
  const originals: { sha256: string; file: string }[] = [];

  /** Stores real bytes the way the blob store does (named by their hash) and records them in the ledger. */
  function storeOriginal(i: number, bytes: Buffer): void {
    const sha256 = sha256Hex(bytes);
    const file = path.join(blobDir, sha256);
    fs.writeFileSync(file, bytes);
    originals.push({ sha256, file });
    open.ledger.append(sampleEntry(i, { sha256, bytes: bytes.length }));
  }

  /** The flat folder as the blob store lists it: name, size and when the bytes were written. */
  async function* listOriginals() {
    for (const name of fs.readdirSync(blobDir)) {
      const stat = fs.statSync(path.join(blobDir, name));
      yield { sha256: name, bytes: stat.size, writtenAt: stat.mtime };
    }
  }

  /** A file in the store that no upload registered, written `ageMs` ago. */
  function plantOrphan(bytes: Buffer, ageMs: number): string {
    const sha256 = sha256Hex(bytes);
    const file = path.join(blobDir, sha256);
    fs.writeFileSync(file, bytes);
    const writtenAt = new Date(Date.now() - ageMs);
    fs.utimesSync(file, writtenAt, writtenAt);
    return sha256;
  }

  beforeEach(() => {
    open = openLedger();
    blobDir = path.join(open.dir, 'originals');
    fs.mkdirSync(blobDir);
    originals.length = 0;
    const clock = () => new Date(Date.UTC(2026, 4, 1, 0, minute++));
    audit = createAuditService({ db: open.db, clock });
    scrub = createScrubService({
      db: open.db,
      openOriginal: (sha256) => fs.createReadStream(path.join(blobDir, sha256)),
      listOriginals,
      orphanGraceMs: 60_000,
      audit,
      clock,
    });
    for (let i = 0; i < 3; i++) storeOriginal(i, randomBytes(200_000 + i));
  });
  afterEach(() => open.close());

  it('checks never-checked originals first, then the longest unchecked, remembering where it got to', async () => {
    const first = await scrub.scrubBatch(2);
    expect(first).toMatchObject({ checked: 2, ok: 2, problems: [] });
    storeOriginal(3, randomBytes(1000));
    const second = await scrub.scrubBatch(2);
    expect(second).toMatchObject({ checked: 2, ok: 2 });
    const checkedAt = open.db
      .prepare('SELECT sha256, last_checked_at FROM scrub_originals ORDER BY first_ledger_idx')
      .all() as { sha256: string; last_checked_at: string }[];
    // Batch one took the two oldest; batch two the third and the newly stored one.
    expect(checkedAt.map((row) => row.last_checked_at)).toEqual([
      '2026-05-01T00:00:00.000Z',
      '2026-05-01T00:01:00.000Z',
      '2026-05-01T00:02:00.000Z',
      '2026-05-01T00:03:00.000Z',
    ]);
    await scrub.scrubBatch(1);
    const oldest = open.db.prepare('SELECT last_checked_at FROM scrub_originals WHERE first_ledger_idx = 0').pluck().get();
    expect(oldest).toBe('2026-05-01T00:04:00.000Z');
  });

  it('finds a flipped byte in a stored original, reports which media it backs, and records it once', async () => {
    const damaged = originals[1];
    const bytes = fs.readFileSync(damaged.file);
    bytes[123_456] ^= 0x01;
    fs.writeFileSync(damaged.file, bytes);

    const report = await scrub.scrubBatch(10);
    expect(report.checked).toBe(3);
    expect(report.ok).toBe(2);
    expect(report.problems).toEqual([
      expect.objectContaining({
        sha256: damaged.sha256,
        mediaIds: ['media-1'],
        problem: 'hash_mismatch',
        actualSha256: sha256Hex(bytes),
        newlyFound: true,
      }),
    ]);
    expect(scrub.listProblems()).toEqual([expect.objectContaining({ sha256: damaged.sha256, problem: 'hash_mismatch', resolved_at: null })]);
    expect(audit.list({ subjectType: 'original', subjectId: damaged.sha256 })).toEqual([
      expect.objectContaining({ actorType: 'system', action: 'scrub_problem', detail: expect.objectContaining({ mediaIds: ['media-1'] }) }),
    ]);

    const again = await scrub.scrubBatch(10);
    expect(again.problems).toEqual([expect.objectContaining({ sha256: damaged.sha256, newlyFound: false })]);
    expect(scrub.listProblems()).toHaveLength(1);

    bytes[123_456] ^= 0x01;
    fs.writeFileSync(damaged.file, bytes);
    expect((await scrub.scrubBatch(10)).problems).toEqual([]);
    expect(scrub.listProblems()).toEqual([]);
    expect(scrub.listProblems({ openOnly: false })[0].resolved_at).not.toBeNull();
  });

  it('reports an original that is gone from storage', async () => {
    fs.rmSync(originals[2].file);
    const report = await scrub.scrubBatch(10);
    expect(report.problems).toEqual([expect.objectContaining({ sha256: originals[2].sha256, problem: 'missing', mediaIds: ['media-2'] })]);
  });

  it('reports a file in the store that no media row accounts for, once, and forgets it when it is gone', async () => {
    const orphan = plantOrphan(randomBytes(5000), 3_600_000);
    const report = await scrub.scrubBatch(10);
    expect(report).toMatchObject({ checked: 3, ok: 3, problems: [] });
    expect(report.orphans).toEqual([{ sha256: orphan, bytes: 5000, message: expect.stringContaining('no media row'), newlyFound: true }]);
    expect(scrub.listProblems()).toEqual([expect.objectContaining({ sha256: orphan, problem: 'orphan', actual_bytes: 5000, resolved_at: null })]);
    expect(audit.list({ subjectType: 'original', subjectId: orphan })).toEqual([
      expect.objectContaining({ actorType: 'system', action: 'scrub_problem', detail: expect.objectContaining({ problem: 'orphan' }) }),
    ]);

    const again = await scrub.scrubBatch(10);
    expect(again.orphans).toEqual([expect.objectContaining({ sha256: orphan, newlyFound: false })]);
    expect(scrub.listProblems()).toHaveLength(1);

    fs.rmSync(path.join(blobDir, orphan));
    expect((await scrub.scrubBatch(10)).orphans).toEqual([]);
    expect(scrub.listProblems()).toEqual([]);
  });

  it('leaves alone a file written moments ago, whose registration may be a moment from done', async () => {
    plantOrphan(randomBytes(100), 1000);
    expect((await scrub.scrubBatch(10)).orphans).toEqual([]);
    expect(scrub.listProblems()).toEqual([]);
  });

  it('runs one batch at a time', async () => {
    const [a, b] = await Promise.all([scrub.scrubBatch(10), scrub.scrubBatch(10)]);
    expect(a.checked).toBe(3);
    expect(b.skipped).toMatch(/already running/);
  });
});
