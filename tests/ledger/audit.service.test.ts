import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditService, VIEWING_WINDOW_MS, type AuditService } from '../../server/services/audit.service';
import { openDatabase, type Db } from '../../storage/database';
import { dropAppendOnlyTriggers, makeTempDir } from './ledger-fixture';

describe('the audit trail', () => {
  let dir: string;
  let db: Db;
  let audit: AuditService;
  let tick = 0;

  beforeEach(() => {
    dir = makeTempDir('packtrail-audit-');
    db = openDatabase(dir);
    audit = createAuditService({ db, clock: () => new Date(Date.UTC(2026, 4, 1, 5, 0, tick++)) });
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function recordSome(): void {
    audit.record({ actorType: 'device', actorId: 'dev-1', action: 'upload', subjectType: 'media', subjectId: 'm-1', detail: { bytes: 2048, sha256: 'ab'.repeat(32) } });
    audit.record({ actorType: 'user', actorId: 'u-1', action: 'view', subjectType: 'media', subjectId: 'm-1' });
    audit.record({ actorType: 'user', actorId: 'u-1', action: 'export', subjectType: 'dispute', subjectId: 'd-1', detail: { media: ['m-1'], format: 'zip' } });
    audit.record({ actorType: 'share', actorId: 's-1', action: 'share_access', subjectType: 'dispute', subjectId: 'd-1', detail: { ip: '203.0.113.9' } });
    audit.record({ actorType: 'share', actorId: 's-1', action: 'download', subjectType: 'media', subjectId: 'm-1' });
  }

  it('chains each event to the one before and lists a subject’s events oldest first', () => {
    recordSome();
    const events = audit.list({ subjectType: 'media', subjectId: 'm-1' });
    expect(events.map((e) => [e.seq, e.action, e.actorType])).toEqual([
      [1, 'upload', 'device'],
      [2, 'view', 'user'],
      [5, 'download', 'share'],
    ]);
    expect(events[0].prevHash).toBe('0'.repeat(64));
    expect(events[0].detail).toEqual({ bytes: 2048, sha256: 'ab'.repeat(32) });
    expect(events[1].prevHash).toBe(events[0].hash);
    expect(audit.verifyChain()).toEqual({ ok: true, checked: 5 });
  });

  it('hashes the same detail the same way whatever order its keys were written in', () => {
    const a = audit.record({ actorType: 'system', action: 'export', subjectType: 'dispute', subjectId: 'd', detail: { b: 1, a: { d: 2, c: 3 } } });
    const b = audit.record({ actorType: 'system', action: 'export', subjectType: 'dispute', subjectId: 'd', detail: { a: { c: 3, d: 2 }, b: 1 } });
    expect(db.prepare('SELECT detail FROM audit_events WHERE seq = ?').pluck().get(a.seq)).toBe('{"a":{"c":3,"d":2},"b":1}');
    expect(db.prepare('SELECT detail FROM audit_events WHERE seq = ?').pluck().get(b.seq)).toBe('{"a":{"c":3,"d":2},"b":1}');
    expect(audit.verifyChain().ok).toBe(true);
  });

  it('finds an edited event and names it', () => {
    recordSome();
    dropAppendOnlyTriggers(db);
    db.prepare("UPDATE audit_events SET actor_id = 'u-2' WHERE seq = 3").run();
    expect(audit.verifyChain()).toEqual({ ok: false, brokenAt: 3, reason: expect.stringMatching(/edited/) });
  });

  it('finds an edit even when the editor recomputed that event’s own hash', () => {
    recordSome();
    dropAppendOnlyTriggers(db);
    db.prepare("UPDATE audit_events SET detail = '{\"ip\":\"198.51.100.1\"}', hash = 'ff' || substr(hash, 3) WHERE seq = 4").run();
    expect(audit.verifyChain()).toMatchObject({ ok: false, brokenAt: 4 });
  });

  it('finds a removed event', () => {
    recordSome();
    dropAppendOnlyTriggers(db);
    db.prepare('DELETE FROM audit_events WHERE seq = 2').run();
    expect(audit.verifyChain()).toMatchObject({ ok: false, brokenAt: 3, reason: expect.stringMatching(/event 2 is missing/) });
  });

  it('refuses updates and deletes at the database level', () => {
    recordSome();
    expect(() => db.prepare("UPDATE audit_events SET action = 'view'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_events').run()).toThrow(/append-only/);
  });

  it('commits an event with the work it records, and not without it', () => {
    expect(() =>
      db.transaction(() => {
        audit.record({ actorType: 'user', actorId: 'u-1', action: 'export', subjectType: 'dispute', subjectId: 'd-1' });
        throw new Error('the export failed');
      })(),
    ).toThrow('the export failed');
    expect(audit.list({ subjectType: 'dispute', subjectId: 'd-1' })).toEqual([]);
    recordSome();
    expect(audit.verifyChain()).toEqual({ ok: true, checked: 5 });
  });

  it('records each viewing of evidence once, however many requests it takes, and a new one after the window', () => {
    let now = Date.UTC(2026, 4, 1, 5, 0, 0);
    const viewing = createAuditService({ db, clock: () => new Date(now) });
    const read = (actorId: string, what: 'original' | 'thumbnail' = 'original') =>
      viewing.recordEvidenceRead({ actorType: 'user', actorId, mediaId: 'm-1', read: what });
    expect(read('u-1')).toMatchObject({ action: 'download', detail: null });
    for (let i = 0; i < 20; i++) {
      now += 60_000;
      expect(read('u-1')).toBeUndefined();
    }
    expect(read('u-2')).toMatchObject({ actorId: 'u-2', action: 'download' });
    expect(read('u-1', 'thumbnail')).toMatchObject({ action: 'view', detail: { copy: 'thumbnail' } });
    now += VIEWING_WINDOW_MS + 1;
    expect(read('u-1')).toMatchObject({ action: 'download' });
    expect(viewing.list({ subjectType: 'media', subjectId: 'm-1' }).map((event) => [event.actorId, event.action])).toEqual([
      ['u-1', 'download'],
      ['u-2', 'download'],
      ['u-1', 'view'],
      ['u-1', 'download'],
    ]);
    expect(viewing.verifyChain()).toEqual({ ok: true, checked: 4 });
  });

  it('rejects events that do not say who did what', () => {
    expect(() => audit.record({ actorType: 'user', action: 'view', subjectType: 'media', subjectId: 'm' })).toThrow(/actor/);
    expect(() => audit.record({ actorType: 'user', actorId: 'u', action: 'View media', subjectType: 'media', subjectId: 'm' })).toThrow(/snake_case/);
    expect(() => audit.record({ actorType: 'robot' as 'user', actorId: 'r', action: 'view', subjectType: 'media', subjectId: 'm' })).toThrow(/actor type/);
  });
});
