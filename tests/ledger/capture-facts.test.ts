// A finished capture's facts as a ledger entry of their own: the exact text, the strict reading every
// verifier shares, its proof, and a log made before facts were logged keeping every leaf it had.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCaptureFactsEntry, type CaptureFactsInput } from '../../server/services/ledger/capture-facts-entry';
import { verifyInclusion } from '../../server/services/ledger/merkle';
import { openCheckpoint } from '../../server/services/ledger/signed-note';
import { diffCaptureFacts, FACT_NAMES, leafHashOf, parseCaptureFacts, utf8 } from '../../server/services/ledger/verifier/verify-core';
import { createScrubRepository } from '../../storage/scrub.repository';
import { applyMigrations, listMigrations } from '../../storage/migrate';
import { fixtureFacts } from './bundle-fixture';
import { appendSamples, makeTempDir, openLedger, sha256Hex, type OpenLedger } from './ledger-fixture';

const media = [
  { id: 'aaaaaaaa-0000-4000-8000-000000000001', sha256: sha256Hex('photo') },
  { id: 'aaaaaaaa-0000-4000-8000-000000000002', sha256: sha256Hex('video') },
];

describe('a capture-facts entry', () => {
  it('holds every fact on a line of its own, in one fixed order, typed text quoted', () => {
    const input: CaptureFactsInput = {
      ...fixtureFacts(media),
      kind: 'unboxing',
      checklist: [
        { item: 'outer_box', result: 'ok' },
        { item: 'signs_of_use', result: 'issue', note: 'stained\ncollar', mediaIds: [media[0].id] },
      ],
      outcome: 'used',
      note: 'Buyer says "never worn"',
    };
    expect(formatCaptureFactsEntry(input)).toBe(
      [
        'packtrail-capture-facts/v1',
        'capture c0ffee00-0000-4000-8000-000000000001',
        'order ORDER-7',
        'kind unboxing',
        'recorded-by device d0000000-0000-4000-8000-00000000000d',
        'recorded-by-name "Station 2 phone"',
        'station "Station 2"',
        'started 2026-05-01T05:03:00.000Z',
        'finished 2026-05-01T05:09:30.000Z',
        'weight-grams 985',
        'weight-entered 0.985 kg',
        'expected-grams 970',
        'tracking "601234567890"',
        'check ok "outer_box"',
        'check issue "signs_of_use"',
        'check-note "stained\\ncollar"',
        `check-media ${media[0].id}`,
        'outcome used',
        'note "Buyer says \\"never worn\\""',
        `media ${media[0].id} ${media[0].sha256}`,
        `media ${media[1].id} ${media[1].sha256}`,
        '',
      ].join('\n'),
    );
  });

  it('reads back into exactly the facts it was made from', () => {
    const entry = formatCaptureFactsEntry({
      ...fixtureFacts(media.map((item, i) => ({ ...item, tags: i === 0 ? ['packing_outside', 'label_closeup'] : [] }))),
      tolerancePercent: 2.5,
      checklist: [{ item: 'seal', result: 'issue', note: 'two\nlines', mediaIds: [media[1].id] }],
    });
    expect(parseCaptureFacts(entry)).toEqual({
      capture: 'c0ffee00-0000-4000-8000-000000000001',
      order: 'ORDER-7',
      kind: 'packing',
      recordedBy: { kind: 'device', id: 'd0000000-0000-4000-8000-00000000000d', name: 'Station 2 phone' },
      station: 'Station 2',
      started: '2026-05-01T05:03:00.000Z',
      finished: '2026-05-01T05:09:30.000Z',
      weight: { grams: 985, value: 0.985, unit: 'kg' },
      expectedGrams: 970,
      tolerancePercent: 2.5,
      tracking: '601234567890',
      checklist: [{ item: 'seal', result: 'issue', note: 'two\nlines', mediaIds: [media[1].id] }],
      outcome: null,
      note: null,
      media: [{ ...media[0], tags: ['packing_outside', 'label_closeup'] }, { ...media[1], tags: [] }],
    });
  });

  it('holds the weight tolerance beside the expected weight, and each photo\'s courier tags after its media line', () => {
    const entry = formatCaptureFactsEntry({
      ...fixtureFacts([{ ...media[0], tags: ['label_closeup', 'damage'] }, media[1]]),
      tolerancePercent: 5,
    });
    expect(entry).toContain('expected-grams 970\ntolerance-percent 5\ntracking "601234567890"\n');
    expect(entry.endsWith(`media ${media[0].id} ${media[0].sha256}\nmedia-tags label_closeup,damage\nmedia ${media[1].id} ${media[1].sha256}\n`)).toBe(true);
    // Without a weight the tolerance judges nothing, so it is not written.
    expect(formatCaptureFactsEntry({ ...fixtureFacts(media), weight: null, tolerancePercent: 5 })).not.toContain('tolerance-percent');
  });

  it('names an edited tolerance or photo tag as the fact that differs from the logged one', () => {
    const logged = formatCaptureFactsEntry({ ...fixtureFacts([{ ...media[0], tags: ['label_closeup'] }]), tolerancePercent: 5 });
    const edited = logged.replace('tolerance-percent 5', 'tolerance-percent 25').replace('media-tags label_closeup', 'media-tags label_closeup,damage');
    expect(parseCaptureFacts(edited).tolerancePercent).toBe(25);
    expect(diffCaptureFacts(logged, edited)).toEqual([
      { field: 'tolerance-percent', logged: '5', now: '25' },
      { field: 'media-tags', logged: 'label_closeup', now: 'label_closeup,damage' },
    ]);
    expect(FACT_NAMES['tolerance-percent']).toBe('weight tolerance');
    expect(FACT_NAMES['media-tags']).toBe('photo tags');
  });

  it('still reads an entry written before tolerances and tags were logged', () => {
    const old = formatCaptureFactsEntry(fixtureFacts(media));
    expect(old).not.toMatch(/tolerance-percent|media-tags/);
    const facts = parseCaptureFacts(old);
    expect(facts.tolerancePercent).toBeNull();
    expect(facts.media.map((item) => item.tags)).toEqual([[], []]);
  });

  it.each([
    ['a tolerance before the expected weight', (e: string) => e.replace(/(expected-grams .*\n)(tolerance-percent .*\n)/, '$2$1'), /the expected-grams line is repeated or out of order/],
    ['a tolerance of 0', (e: string) => e.replace('tolerance-percent 5', 'tolerance-percent 0'), /not above 0/],
    ['a tolerance in words', (e: string) => e.replace('tolerance-percent 5', 'tolerance-percent five'), /not a decimal number/],
    ['a tolerance without a weight', (e: string) => e.replace(/weight-grams .*\nweight-entered .*\n/, ''), /tolerance-percent line follows no weight-grams line/],
    ['tags without a media line', (e: string) => e.replace(/media [^\n]*\nmedia-tags/, 'media-tags'), /follows no media line/],
    ['tags twice for one photo', (e: string) => e.replace('media-tags damage\n', 'media-tags damage\nmedia-tags weight\n'), /repeated or out of order/],
    ['a tag repeated', (e: string) => e.replace('media-tags damage', 'media-tags damage,damage'), /each once/],
    ['a tag with a space', (e: string) => e.replace('media-tags damage', 'media-tags damage, weight'), /lower-case codes/],
    ['tags before their media', (e: string) => e.replace(/(media [^\n]*\n)(media-tags [^\n]*\n)/, '$2$1'), /out of order|follows no media line/],
  ])('is refused with %s', (_name, edit, message) => {
    const entry = formatCaptureFactsEntry({ ...fixtureFacts([{ ...media[0], tags: ['damage'] }, media[1]]), tolerancePercent: 5 });
    expect(() => parseCaptureFacts(edit(entry))).toThrow(message);
  });

  it('leaves out what was not recorded, and says nothing of a weight nobody entered', () => {
    const entry = formatCaptureFactsEntry({
      ...fixtureFacts([]), recordedBy: null, station: null, weight: null, expectedGrams: null, trackingNumber: null, checklist: [],
    });
    expect(entry).toBe(
      'packtrail-capture-facts/v1\ncapture c0ffee00-0000-4000-8000-000000000001\norder ORDER-7\nkind packing\n' +
        'started 2026-05-01T05:03:00.000Z\nfinished 2026-05-01T05:09:30.000Z\n',
    );
  });

  it.each([
    ['an unknown line', (e: string) => e.replace('kind packing\n', 'kind packing\ncolour red\n'), /unknown capture-facts line "colour"/],
    ['a repeated line', (e: string) => e.replace('kind packing\n', 'kind packing\nkind unboxing\n'), /the kind line is repeated or out of order/],
    ['lines out of order', (e: string) => e.replace(/(station .*\n)(started .*\n)/, '$2$1'), /the station line is repeated or out of order/],
    ['a missing finish time', (e: string) => e.replace(/finished .*\n/, ''), /no finished line/],
    ['an unquoted station', (e: string) => e.replace('station "Station 2"', 'station Station 2'), /station line does not hold a quoted text/],
    ['a station quoted two ways', (e: string) => e.replace('station "Station 2"', 'station "Station\\u00202"'), /station line does not hold a quoted text/],
    ['a weight in words', (e: string) => e.replace('weight-grams 985', 'weight-grams about 985'), /not a decimal number/],
    ['a local time', (e: string) => e.replace('started 2026-05-01T05:03:00.000Z', 'started 2026-05-01T14:03:00+09:00'), /not an ISO 8601 UTC time/],
    ['a note without its check', (e: string) => e.replace(/check .*\n/, '').replace(/check-note .*\n/, 'check-note "x"\n'), /follows no check line/],
    ['another format', (e: string) => e.replace('packtrail-capture-facts/v1', 'packtrail-ledger-entry/v1'), /not a packtrail-capture-facts\/v1 entry/],
  ])('is refused with %s', (_name, edit, message) => {
    const entry = formatCaptureFactsEntry({ ...fixtureFacts(media), checklist: [{ item: 'seal', result: 'issue', note: 'n' }] });
    expect(() => parseCaptureFacts(edit(entry))).toThrow(message);
  });

  it('is never written with a fact the verifiers could not read back', () => {
    expect(() => formatCaptureFactsEntry({ ...fixtureFacts(media), captureId: 'two words' })).toThrow(/one word/);
    expect(() => formatCaptureFactsEntry({ ...fixtureFacts(media), orderId: 'A\nB' })).toThrow(/one non-empty line/);
    expect(() => formatCaptureFactsEntry({ ...fixtureFacts(media), finishedAt: 'yesterday' })).toThrow(/UTC time/);
    expect(() => formatCaptureFactsEntry({ ...fixtureFacts(media), weight: { grams: Number.NaN, value: 1, unit: 'kg' } })).toThrow(/decimal/);
    expect(() => formatCaptureFactsEntry({ ...fixtureFacts([{ id: 'm', sha256: 'ABC' }]) })).toThrow(/64 lower-case hex/);
  });
});

describe('capture facts in the ledger', () => {
  let open: OpenLedger;
  beforeAll(() => {
    open = openLedger();
    appendSamples(open, 20);
  });
  afterAll(() => open.close());

  it('become one leaf of their own, found by capture, proven against a signed checkpoint', () => {
    const input = fixtureFacts(media);
    const { index, leafHash } = open.ledger.appendCaptureFacts(input);
    expect(index).toBe(20);
    expect(open.ledger.captureFactsFor(input.captureId)).toEqual({ index, entry: formatCaptureFactsEntry(input), leafHash });
    expect(Buffer.from(leafHashOf(utf8(formatCaptureFactsEntry(input)))).toString('hex')).toBe(leafHash);

    const proof = open.ledger.captureInclusionProof(input.captureId);
    expect(proof).toMatchObject({ captureId: input.captureId, leafIndex: 20, treeSize: 21, entry: formatCaptureFactsEntry(input), leafHash });
    const signed = openCheckpoint(proof.checkpoint!, open.ledger.publicKey());
    expect(Buffer.from(signed.rootHash).toString('hex')).toBe(proof.rootHash);
    expect(verifyInclusion(Buffer.from(leafHash, 'hex'), 20, 21, proof.proof.map((hash) => Buffer.from(hash, 'hex')), Buffer.from(signed.rootHash))).toBe(true);
    expect(open.ledger.verifyStoredTree()).toEqual({ ok: true, entries: 21 });
  });

  it('are never an original to the integrity scrub, which has no bytes to re-hash for them', () => {
    const scrub = createScrubRepository(open.db);
    scrub.syncFromLedger();
    const known = open.db.prepare('SELECT first_ledger_idx FROM scrub_originals ORDER BY first_ledger_idx').pluck().all();
    expect(known).toHaveLength(20);
    expect(known).not.toContain(20);
  });

  it('answer 404 for a capture the log holds no facts of', () => {
    expect(open.ledger.captureFactsFor('never-finished')).toBeUndefined();
    expect(() => open.ledger.captureInclusionProof('never-finished')).toThrow(/finished before capture facts were logged/);
  });

  it('are one entry per capture: the log refuses a second entry for the same capture', () => {
    expect(() => open.ledger.appendCaptureFacts(fixtureFacts(media))).toThrow(/UNIQUE/);
  });

  it('never sign anything but an export statement with the log key', () => {
    expect(() => open.ledger.signExportStatement('packtrail.test/shop\n21\nAAAA\n')).toThrow(/only export statements/);
  });
});

describe('migration 013', () => {
  it('keeps every leaf, node and checkpoint of a log made before it, and its append-only guard', () => {
    const dir = makeTempDir();
    const before = path.join(dir, 'migrations-before');
    fs.mkdirSync(before);
    for (const migration of listMigrations().filter((m) => m.version < 13)) fs.copyFileSync(migration.file, path.join(before, migration.name));
    const db = new Database(path.join(dir, 'packtrail.sqlite'));
    applyMigrations(db, before);
    db.close();

    // The log as it stood: entries appended by the code of the time (the same append, media only).
    const old = openLedger(dir);
    appendSamples(old, 9);
    const checkpoint = old.ledger.checkpoint();
    const rows = old.db.prepare('SELECT idx, media_id, sha256, bytes, entry, leaf_hash FROM ledger_entries ORDER BY idx').all();
    expect(old.db.prepare("SELECT COUNT(*) FROM schema_migrations WHERE version = 13").pluck().get()).toBe(1);
    old.db.close();

    // openLedger ran every migration; check the result as a later start sees it.
    const reopened = openLedger(dir);
    expect(reopened.db.prepare('SELECT idx, media_id, sha256, bytes, entry, leaf_hash FROM ledger_entries ORDER BY idx').all()).toEqual(rows);
    expect(reopened.ledger.latestCheckpoint()).toEqual(checkpoint);
    expect(reopened.ledger.verifyStoredTree()).toEqual({ ok: true, entries: 9 });
    expect(() => reopened.db.prepare('DELETE FROM ledger_entries WHERE idx = 0').run()).toThrow(/append-only/);
    expect(() => reopened.db.prepare("UPDATE ledger_entries SET entry = 'x' WHERE idx = 0").run()).toThrow(/append-only/);
    expect(() =>
      reopened.db.prepare("INSERT INTO ledger_entries (idx, media_id, capture_id, sha256, bytes, entry, leaf_hash, created_at) VALUES (9, 'm', 'c', 'x', 1, 'e', x'00', 'now')").run(),
    ).toThrow(/CHECK/);
    reopened.close();
  });
});
