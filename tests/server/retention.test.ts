// Retention with legal hold, on a test clock: old originals nothing holds are removed (410 with when and
// why, the ledger entry kept and still proving, a custody event), held ones stay (an owner's hold, an
// open dispute, a dispute closed less than RETENTION_DAYS ago), and bytes another item still needs stay.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { createAuditService } from '../../server/services/audit.service';
import { fromHex, verifyInclusion } from '../../server/services/ledger/verifier/verify-core';
import { createRetentionService } from '../../server/services/retention.service';
import { OriginalLockedError } from '../../storage/blobs/blob-store';
import { createLocalDerivedStore, createLocalOriginalsStore } from '../../storage/blobs/local-disk.store';
import { openDatabase } from '../../storage/database';
import { createMediaRepository } from '../../storage/media.repository';
import { createRetentionRepository } from '../../storage/retention.repository';
import { launchBrowser } from '../helpers/browser';
import { listFiles, setUpShop, startServer, tempDir, uploadFiles, type TestServer } from '../helpers/server';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-05T03:00:00Z');
const at = (days: number) => new Date(T0 + days * DAY);

/** A small PNG of its own colour: each call with another seed is other bytes, so another original. */
const png = (seed: number) =>
  sharp({ create: { width: 24, height: 16, channels: 3, background: { r: seed * 37 % 256, g: seed * 71 % 256, b: seed * 13 % 256 } } }).png().toBuffer();

interface Media { id: string; sha256: string }

describe('retention with legal hold', () => {
  let server: TestServer;
  let now = at(0);
  let owner: string;
  let seller: string;
  let packer: string;
  const media: Record<string, Media> = {};
  const disputes: Record<string, string> = {};

  /** One order with one capture holding the given bytes, uploaded at the clock's time. */
  async function orderWith(orderId: string, bytes: Buffer): Promise<Media> {
    await server.request('PUT', `/api/v1/orders/${orderId}`, { token: seller, json: {} });
    const capture = await (await server.request('POST', '/api/v1/captures', { token: packer, json: { orderId, kind: 'packing' } })).json();
    const upload = await uploadFiles(server, packer, capture.id, [{ name: `${orderId}.png`, bytes: new Uint8Array(bytes) }]);
    expect(upload.status).toBe(201);
    await server.request('POST', `/api/v1/captures/${capture.id}/finish`, { token: packer });
    const item = (await upload.json()).media[0] as Media;
    // The thumbnail is made now, so its removal can be seen.
    expect((await server.request('GET', `/api/v1/media/${item.id}/thumbnail`, { token: owner })).status).toBe(200);
    return item;
  }

  async function disputeOn(orderId: string, mediaId: string): Promise<string> {
    const dispute = await (await server.request('POST', '/api/v1/disputes', { token: seller, json: { orderId, reason: 'damaged', counterparty: 'buyer' } })).json();
    expect((await server.request('POST', `/api/v1/disputes/${dispute.id}/evidence`, { token: seller, json: { mediaId } })).status).toBe(201);
    return dispute.id;
  }

  const closeDispute = async (id: string) =>
    expect((await server.request('PATCH', `/api/v1/disputes/${id}`, { token: seller, json: { status: 'won' } })).status).toBe(200);

  const originalOnDisk = (sha256: string) => listFiles(path.join(server.dataDir, 'originals')).some((file) => file.endsWith(sha256));
  const derivedOnDisk = (mediaId: string) => listFiles(path.join(server.dataDir, 'derived')).some((file) => file.includes(mediaId));
  const run = () => server.app.runJob('retention') as Promise<{ removed: number; originalsRemoved: number; originalsShared: number; originalsLocked: number }>;

  beforeAll(async () => {
    server = await startServer({ RETENTION_DAYS: '30', SESSION_TTL_HOURS: String(24 * 365) }, { clock: () => now });
    const shop = await setUpShop(server);
    owner = shop.ownerToken;
    seller = await shop.token('seller');
    packer = (await shop.deviceToken()).token;

    media.old = await orderWith('RET-OLD', await png(1));
    media.ownerHeld = await orderWith('RET-HELD', await png(2));
    media.openDispute = await orderWith('RET-OPEN', await png(3));
    disputes.open = await disputeOn('RET-OPEN', media.openDispute.id);
    media.closedRecently = await orderWith('RET-RECENT', await png(4));
    disputes.recent = await disputeOn('RET-RECENT', media.closedRecently.id);
    media.closedLongAgo = await orderWith('RET-LONG', await png(5));
    disputes.long = await disputeOn('RET-LONG', media.closedLongAgo.id);
    // A second file of that dispute the owner holds: its bundle still carries an original after the first goes.
    media.longHeld = await orderWith('RET-LONG', await png(7));
    expect((await server.request('POST', `/api/v1/disputes/${disputes.long}/evidence`, { token: seller, json: { mediaId: media.longHeld.id } })).status).toBe(201);
    expect((await server.request('PUT', `/api/v1/media/${media.longHeld.id}/hold`, { token: owner, json: { reason: 'Bundle keeps one' } })).status).toBe(200);
    // The same bytes back an old item and (below) a recent one.
    const shared = await png(6);
    media.sharedOld = await orderWith('RET-SHARED-1', shared);

    now = at(2);
    await closeDispute(disputes.long);
    now = at(20);
    await closeDispute(disputes.recent);
    now = at(25);
    media.sharedNew = await orderWith('RET-SHARED-2', shared);
    expect(media.sharedNew.sha256).toBe(media.sharedOld.sha256);
    now = at(26);
    const held = await server.request('PUT', `/api/v1/media/${media.ownerHeld.id}/hold`, { token: owner, json: { reason: 'Buyer threatened to sue' } });
    expect(held.status).toBe(200);
  });
  afterAll(() => server.close());

  it('lists what goes next, soonest first, leaving out what the owner or an open dispute holds', async () => {
    now = at(29);
    const answer = await (await server.request('GET', '/api/v1/retention/upcoming?limit=10', { token: seller })).json();
    expect(answer.retentionDays).toBe(30);
    const ids = answer.items.map((item: { mediaId: string }) => item.mediaId);
    expect(ids).not.toContain(media.ownerHeld.id);
    expect(ids).not.toContain(media.openDispute.id);
    expect(answer.items[0]).toMatchObject({ orderId: 'RET-OLD', type: 'photo', receivedAt: at(0).toISOString(), removableAt: at(30).toISOString() });
    const recent = answer.items.find((item: { mediaId: string }) => item.mediaId === media.closedRecently.id);
    expect(recent).toMatchObject({ orderId: 'RET-RECENT', removableAt: at(50).toISOString() });
    // Soonest first, however old each is.
    const times = answer.items.map((item: { removableAt: string }) => item.removableAt);
    expect([...times].sort()).toEqual(times);
    const short = await (await server.request('GET', '/api/v1/retention/upcoming?limit=2', { token: owner })).json();
    expect(short.items.map((item: { mediaId: string }) => item.mediaId)).toEqual(ids.slice(0, 2));
    expect((await server.request('GET', '/api/v1/retention/upcoming', { token: packer })).status).toBe(403);
    expect((await server.request('GET', '/api/v1/retention/upcoming?limit=0', { token: owner })).status).toBe(400);
  });

  it('removes nothing before its time', async () => {
    now = at(29);
    expect(await run()).toMatchObject({ removed: 0 });
    expect((await server.request('GET', `/api/v1/media/${media.old.id}/original`, { token: owner })).status).toBe(200);
  });

  it('removes unheld old originals and their derived files once due, and keeps every held one', async () => {
    now = at(40);
    const report = await run();
    // RET-OLD, RET-LONG and the older of the two items sharing bytes.
    expect(report).toMatchObject({ removed: 3, originalsRemoved: 2, originalsShared: 1, originalsLocked: 0 });
    expect(originalOnDisk(media.old.sha256)).toBe(false);
    expect(derivedOnDisk(media.old.id)).toBe(false);
    for (const kept of [media.ownerHeld, media.openDispute, media.closedRecently]) {
      expect(originalOnDisk(kept.sha256)).toBe(true);
      expect((await server.request('GET', `/api/v1/media/${kept.id}/original`, { token: owner })).status).toBe(200);
    }
    // A second run finds nothing more to do.
    expect(await run()).toMatchObject({ removed: 0 });
  });

  it('answers 410 GONE with when and why for the original, the thumbnail and the playback copy; the JSON view says removed', async () => {
    for (const variant of ['original', 'thumbnail', 'playback']) {
      const response = await server.request('GET', `/api/v1/media/${media.old.id}/${variant}`, { token: owner });
      expect(response.status, variant).toBe(410);
      const body = await response.json();
      expect(body).toMatchObject({ statusCode: 410, code: 'GONE', error: 'Gone', removedAt: at(40).toISOString(), reason: 'retention' });
      // Plain words for whoever asks (a recipient, too): the date and the policy, not the setting's name.
      expect(body.message).toBe(
        `This file's original was removed on ${at(40).toISOString().slice(0, 10)} under the shop's retention policy. Its ledger entry and chain of custody are kept.`,
      );
    }
    const view = await (await server.request('GET', `/api/v1/media/${media.old.id}`, { token: owner })).json();
    expect(view).toMatchObject({ id: media.old.id, sha256: media.old.sha256, removed: { at: at(40).toISOString(), reason: 'retention' } });
    const order = await (await server.request('GET', '/api/v1/orders/RET-OLD', { token: seller })).json();
    expect(order.captures[0].media[0].removed).toEqual({ at: at(40).toISOString(), reason: 'retention' });
    // A search result shows no picture of it (the row's thumbnail would only answer 410).
    const found = await (await server.request('GET', '/api/v1/orders?q=RET-OLD', { token: seller })).json();
    expect(found.items[0].orderId).toBe('RET-OLD');
    expect(found.items[0].latestCapture).toBeDefined();
    expect(found.items[0].latestCapture.thumbnailMediaId).toBeUndefined();
    const kept = await (await server.request('GET', '/api/v1/orders?q=RET-OPEN', { token: seller })).json();
    expect(kept.items[0].latestCapture.thumbnailMediaId).toBe(media.openDispute.id);
  });

  it('keeps the ledger entry, which still proves the bytes existed, and records the removal as a custody event', async () => {
    const proof = await (await server.request('GET', `/api/v1/media/${media.old.id}/proof`, { token: owner })).json();
    expect(proof.entry).toContain(media.old.sha256);
    expect(verifyInclusion(fromHex(proof.leafHash), proof.leafIndex, proof.treeSize, proof.proof.map(fromHex), fromHex(proof.rootHash))).toBe(true);
    const custody = await (await server.request('GET', `/api/v1/media/${media.old.id}/custody`, { token: owner })).json();
    const removal = custody.items.find((event: { action: string }) => event.action === 'retention_remove');
    expect(removal).toMatchObject({ actorType: 'system', at: at(40).toISOString(), detail: { sha256: media.old.sha256, retentionDays: 30, original: 'removed' } });
  });

  it('keeps bytes another item still needs, and removes them when that one goes too', async () => {
    expect(originalOnDisk(media.sharedOld.sha256)).toBe(true);
    expect((await server.request('GET', `/api/v1/media/${media.sharedOld.id}/original`, { token: owner })).status).toBe(410);
    const newer = await server.request('GET', `/api/v1/media/${media.sharedNew.id}/original`, { token: owner });
    expect(newer.status).toBe(200);
    expect(newer.headers.get('etag')).toBe(`"${media.sharedOld.sha256}"`);
    const custody = await (await server.request('GET', `/api/v1/media/${media.sharedOld.id}/custody`, { token: owner })).json();
    expect(custody.items.find((event: { action: string }) => event.action === 'retention_remove').detail.original).toBe('kept_for_other_media');

    // 30 days after the newer one came in (day 25), it goes and the bytes with it; the recently closed dispute's hold has ended too.
    now = at(56);
    expect(await run()).toMatchObject({ removed: 2, originalsRemoved: 2, originalsShared: 0 });
    expect(originalOnDisk(media.sharedOld.sha256)).toBe(false);
    expect((await server.request('GET', `/api/v1/media/${media.sharedNew.id}/original`, { token: owner })).status).toBe(410);
    expect((await server.request('GET', `/api/v1/media/${media.closedRecently.id}/original`, { token: owner })).status).toBe(410);
    // What the owner and the open dispute hold stays, however old.
    expect((await server.request('GET', `/api/v1/media/${media.ownerHeld.id}/original`, { token: owner })).status).toBe(200);
    expect((await server.request('GET', `/api/v1/media/${media.openDispute.id}/original`, { token: owner })).status).toBe(200);
  });

  it('does not report removed originals as missing in the integrity scrub', async () => {
    const report = (await server.app.runJob('integrity-scrub')) as { checked: number; problems: unknown[]; orphans: unknown[] };
    expect(report.problems).toEqual([]);
    expect(report.orphans).toEqual([]);
    // What the owner and the open dispute hold.
    expect(report.checked).toBe(3);
  });

  it('shows a removed file on the share page with when and why, refuses its bytes with 410, and builds a bundle that lists it as removed and verifies', async () => {
    const share = await (await server.request('POST', `/api/v1/disputes/${disputes.long}/shares`, { token: seller, json: { expiresInHours: 24 } })).json();
    const base = new URL(share.url).pathname;
    const page = await (await server.request('GET', `${base}?lang=en`)).text();
    expect(page).toContain('under the shop&#39;s retention policy');
    expect(page).toContain(media.closedLongAgo.sha256);
    expect(page).not.toContain(`/media/${media.closedLongAgo.id}/original`);
    const original = await server.request('GET', `${base}/media/${media.closedLongAgo.id}/original`);
    expect(original.status).toBe(410);
    expect(await original.json()).toMatchObject({ code: 'GONE', reason: 'retention', removedAt: at(40).toISOString() });
    expect((await server.request('GET', `${base}/media/${media.closedLongAgo.id}/thumbnail`)).status).toBe(410);

    const bundle = await server.request('GET', `/api/v1/disputes/${disputes.long}/bundle.zip?lang=en`, { token: seller });
    expect(bundle.status).toBe(200);
    const dir = tempDir('packtrail-retention-bundle-');
    const zip = path.join(dir, 'bundle.zip');
    fs.writeFileSync(zip, Buffer.from(await bundle.arrayBuffer()));
    execFileSync('unzip', ['-q', zip, '-d', path.join(dir, 'out')]);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'manifest.json'), 'utf8'));
    expect(manifest.removed).toEqual([
      { mediaId: media.closedLongAgo.id, sha256: media.closedLongAgo.sha256, bytes: expect.any(Number), receivedAt: at(0).toISOString(), removedAt: at(40).toISOString(), reason: 'retention' },
    ]);
    expect(manifest.files.filter((file: { kind: string }) => file.kind === 'original').map((file: { mediaId: string }) => file.mediaId)).toEqual([media.longHeld.id]);
    const verify = spawnSync(process.execPath, ['verification/verify.mjs'], { cwd: path.join(dir, 'out'), encoding: 'utf8' });
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
  });

  it("shows each item's hold, the disputes holding it, and when it may go, on the order's retention state", async () => {
    const held = await (await server.request('GET', '/api/v1/retention/orders/RET-HELD', { token: seller })).json();
    expect(held.items).toEqual([{ mediaId: media.ownerHeld.id, hold: { mediaId: media.ownerHeld.id, reason: 'Buyer threatened to sue', heldBy: expect.any(String), heldAt: at(26).toISOString() }, disputes: [] }]);
    const open = await (await server.request('GET', '/api/v1/retention/orders/RET-OPEN', { token: seller })).json();
    expect(open.items[0]).toEqual({ mediaId: media.openDispute.id, disputes: [{ disputeId: disputes.open, status: 'open' }] });
    const removed = await (await server.request('GET', '/api/v1/retention/orders/RET-OLD', { token: owner })).json();
    expect(removed.items[0]).toEqual({ mediaId: media.old.id, disputes: [], removed: { at: at(40).toISOString(), reason: 'retention' } });
    expect((await server.request('GET', '/api/v1/retention/orders/NO-SUCH-ORDER', { token: owner })).status).toBe(404);
    expect((await server.request('GET', '/api/v1/retention/orders/RET-OLD', { token: packer })).status).toBe(403);
  });

  it('lets only the owner hold and release, checks the reason, and records both in the custody log', async () => {
    const id = media.openDispute.id;
    const put = (token: string, json: unknown, target = id) => server.request('PUT', `/api/v1/media/${target}/hold`, { token, json });
    expect((await put(seller, { reason: 'mine' })).status).toBe(403);
    expect((await put(packer, {})).status).toBe(403);
    expect((await server.request('DELETE', `/api/v1/media/${id}/hold`, { token: seller })).status).toBe(403);
    expect((await put(owner, {}, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await put(owner, {}, 'not-a-uuid')).status).toBe(400);
    expect((await put(owner, { reason: 'x'.repeat(501) })).status).toBe(400);
    expect((await put(owner, { reason: 'bell\u0007' })).status).toBe(400);
    expect((await put(owner, { reason: 'ok', extra: 1 })).status).toBe(400);
    const removedHold = await put(owner, { reason: 'too late' }, media.old.id);
    expect(removedHold.status).toBe(410);
    expect(await removedHold.json()).toMatchObject({ code: 'GONE', reason: 'retention' });

    now = at(57);
    const first = await put(owner, {});
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ mediaId: id, heldBy: expect.any(String), heldAt: at(57).toISOString() });
    const second = await (await put(owner, { reason: 'Court order 2026-77' })).json();
    expect(second.reason).toBe('Court order 2026-77');
    expect((await server.request('DELETE', `/api/v1/media/${id}/hold`, { token: owner })).status).toBe(204);
    // Releasing again changes nothing and says so the same way.
    expect((await server.request('DELETE', `/api/v1/media/${id}/hold`, { token: owner })).status).toBe(204);
    const custody = await (await server.request('GET', `/api/v1/media/${id}/custody`, { token: owner })).json();
    const events = custody.items.filter((event: { action: string }) => event.action.startsWith('hold'));
    expect(events.map((event: { action: string; detail: unknown }) => [event.action, event.detail])).toEqual([
      ['hold', { reason: null }],
      ['hold', { reason: 'Court order 2026-77' }],
      ['hold_release', { reason: 'Court order 2026-77' }],
    ]);
  });

  it('removes an item once its owner hold is released and nothing else holds it', async () => {
    expect((await server.request('DELETE', `/api/v1/media/${media.ownerHeld.id}/hold`, { token: owner })).status).toBe(204);
    expect(await run()).toMatchObject({ removed: 1 });
    expect((await server.request('GET', `/api/v1/media/${media.ownerHeld.id}/original`, { token: owner })).status).toBe(410);
  });

  it('takes a bare PUT of a hold (no body) or an empty JSON object as a hold with no reason', async () => {
    const id = media.openDispute.id;
    const bare = await server.request('PUT', `/api/v1/media/${id}/hold`, { token: owner });
    expect(bare.status, await bare.clone().text()).toBe(200);
    expect(await bare.json()).toEqual({ mediaId: id, heldBy: expect.any(String), heldAt: now.toISOString() });
    expect((await server.request('PUT', `/api/v1/media/${id}/hold`, { token: owner, json: {} })).status).toBe(200);
    // A body sent is still checked: zero bytes declared as JSON, null and bad JSON are refused (the hostile suite's rule for every route).
    for (const body of ['', 'null', '{']) {
      expect((await server.request('PUT', `/api/v1/media/${id}/hold`, { token: owner, headers: { 'content-type': 'application/json' }, body })).status, body).toBe(400);
    }
    expect((await server.request('PUT', `/api/v1/media/${id}/hold`, { token: owner, json: { extra: 1 } })).status).toBe(400);
    expect((await server.request('DELETE', `/api/v1/media/${id}/hold`, { token: owner })).status).toBe(204);
  });

  it('verifies a bundle whose every original retention removed: the verifiers list each with when and why and prove its log entry', async () => {
    now = at(60);
    const gone = await orderWith('RET-GONE', await png(8));
    const disputeId = await disputeOn('RET-GONE', gone.id);
    expect((await (await server.request('GET', `/api/v1/disputes/${disputeId}`, { token: seller })).json()).closedAt).toBeUndefined();
    await closeDispute(disputeId);
    // The owner sees when the dispute's hold on the order's files began to run out.
    expect((await (await server.request('GET', `/api/v1/disputes/${disputeId}`, { token: seller })).json()).closedAt).toBe(at(60).toISOString());
    now = at(91);
    expect((await run()).removed).toBeGreaterThanOrEqual(1);
    const bundle = await server.request('GET', `/api/v1/disputes/${disputeId}/bundle.zip?lang=en`, { token: seller });
    expect(bundle.status).toBe(200);
    const dir = tempDir('packtrail-retention-gone-');
    const zip = path.join(dir, 'bundle.zip');
    fs.writeFileSync(zip, Buffer.from(await bundle.arrayBuffer()));
    const out = path.join(dir, 'out');
    execFileSync('unzip', ['-q', zip, '-d', out]);
    expect(fs.existsSync(path.join(out, 'media'))).toBe(false);
    expect(fs.readFileSync(path.join(out, 'README.txt'), 'utf8')).toContain("1 original was removed under the shop's retention policy before export");
    const proofs = JSON.parse(fs.readFileSync(path.join(out, 'verification', 'proofs.json'), 'utf8'));
    expect(proofs.files).toEqual([]);
    expect(proofs.removed).toMatchObject([{ mediaId: gone.id, sha256: gone.sha256, removedAt: at(91).toISOString(), reason: 'retention' }]);

    const verify = spawnSync(process.execPath, ['verification/verify.mjs'], { cwd: out, encoding: 'utf8' });
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toContain('REMOVED BEFORE EXPORT');
    expect(verify.stdout).toContain(`verified  media ${gone.id}, log entry`);
    expect(verify.stdout).toContain(`removed ${at(91).toISOString()} under the shop's retention policy`);
    expect(verify.stdout).toContain('1 item was removed under the shop\'s retention policy before export: their log entries verified');

    // The browser verifier says the same, from the folder.
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(path.join(out, 'verification', 'verify.html')).href);
      await page.waitForSelector('#log-signature[data-status="verified"]');
      expect(await page.isHidden('#removed-items')).toBe(false);
      await page.setInputFiles('#pick-folder', out);
      await page.waitForSelector('#summary[data-summary="verified"]');
      expect(await page.getAttribute(`#removed tr[data-path="media ${gone.id}"]`, 'data-status')).toBe('verified');
      expect(await page.textContent('#removed')).toContain(`removed ${at(91).toISOString()} under the shop's retention policy`);
    } finally {
      await browser.close();
    }

    // A removed item's log entry changed after export is a failure, not a removal.
    const tampered = proofs.removed[0].entry.replace(/bytes \d+/, 'bytes 1');
    expect(tampered).not.toBe(proofs.removed[0].entry);
    proofs.removed[0].entry = tampered;
    fs.writeFileSync(path.join(out, 'verification', 'proofs.json'), `${JSON.stringify(proofs, null, 2)}\n`);
    const failed = spawnSync(process.execPath, ['verification/verify.mjs'], { cwd: out, encoding: 'utf8' });
    expect(failed.status).toBe(1);
    expect(failed.stdout).toContain(`FAILED    media ${gone.id}`);
  });
});

describe('retention switched off (RETENTION_DAYS=0, the default)', () => {
  let server: TestServer;
  let now = at(0);
  beforeAll(async () => {
    server = await startServer({ SESSION_TTL_HOURS: String(24 * 365) }, { clock: () => now });
  });
  afterAll(() => server.close());

  it('removes nothing however old, and lists nothing as upcoming', async () => {
    const shop = await setUpShop(server);
    const packer = (await shop.deviceToken()).token;
    const capture = await (await server.request('POST', '/api/v1/captures', { token: packer, json: { orderId: 'KEEP-1', kind: 'packing' } })).json();
    const upload = await uploadFiles(server, packer, capture.id, [{ name: 'a.png', bytes: new Uint8Array(await png(9)) }]);
    const id = (await upload.json()).media[0].id;
    now = at(300);
    expect(await server.app.runJob('retention')).toMatchObject({ removed: 0, skipped: expect.stringMatching(/RETENTION_DAYS is 0/) });
    expect((await server.request('GET', `/api/v1/media/${id}/original`, { token: shop.ownerToken })).status).toBe(200);
    expect(await (await server.request('GET', '/api/v1/retention/upcoming', { token: shop.ownerToken })).json()).toEqual({ retentionDays: 0, items: [] });
    const state = await (await server.request('GET', '/api/v1/retention/orders/KEEP-1', { token: shop.ownerToken })).json();
    expect(state).toEqual({ retentionDays: 0, items: [{ mediaId: id, disputes: [] }] });
  });
});

describe('an original the store still locks (S3 Object Lock in force)', () => {
  it('stays with its item, still served, until a run after the store lets it go', async () => {
    let now = at(0);
    const server = await startServer({ RETENTION_DAYS: '30', SESSION_TTL_HOURS: String(24 * 365) }, { clock: () => now });
    const db = openDatabase(server.dataDir);
    try {
      const shop = await setUpShop(server);
      const packer = (await shop.deviceToken()).token;
      const capture = await (await server.request('POST', '/api/v1/captures', { token: packer, json: { orderId: 'LOCK-1', kind: 'packing' } })).json();
      const upload = await uploadFiles(server, packer, capture.id, [{ name: 'a.png', bytes: new Uint8Array(await png(11)) }]);
      const item = (await upload.json()).media[0] as Media;

      // The same service over a second connection to the same database, its store refusing while `locked`
      // as an S3 bucket does before an original's COMPLIANCE retention ends.
      const originals = createLocalOriginalsStore(server.dataDir);
      const derived = createLocalDerivedStore(server.dataDir);
      let locked = true;
      const warnings: { obj: object; msg: string }[] = [];
      const retention = createRetentionService({
        db,
        retention: createRetentionRepository(db),
        media: createMediaRepository(db),
        orders: { requireRow: () => undefined },
        audit: createAuditService({ db, clock: () => now }),
        removeOriginal: async (sha256) => {
          if (locked) throw new OriginalLockedError(sha256, at(45));
          await originals.remove(sha256);
        },
        removeDerived: (mediaId) => derived.removeAll(mediaId),
        exclusiveOriginals: (_sha256s, work) => work(),
        retentionDays: 30,
        clock: () => now,
        log: { warn: (obj, msg) => warnings.push({ obj, msg }), info: () => undefined },
      });

      now = at(40);
      expect(await retention.run()).toMatchObject({ removed: 0, originalsLocked: 1, firstLockEnds: at(45).toISOString() });
      // One plain summary line per run, no error object (and so no stack trace) per file.
      expect(warnings).toHaveLength(1);
      expect(warnings[0].msg).toMatch(/1 original\(s\) .* still under the bucket's Object Lock/);
      expect(warnings[0].obj).not.toHaveProperty('err');
      expect((await server.request('GET', `/api/v1/media/${item.id}/original`, { token: shop.ownerToken })).status).toBe(200);
      expect(retention.upcoming(5).items.map((entry) => entry.mediaId)).toEqual([item.id]);

      locked = false;
      now = at(41);
      expect(await retention.run()).toMatchObject({ removed: 1, originalsRemoved: 1, originalsLocked: 0 });
      const gone = await server.request('GET', `/api/v1/media/${item.id}/original`, { token: shop.ownerToken });
      expect(gone.status).toBe(410);
      expect(await gone.json()).toMatchObject({ removedAt: at(41).toISOString(), reason: 'retention' });
    } finally {
      db.close();
      await server.close();
    }
  });
});

describe('RETENTION_DAYS', () => {
  it('defaults to 0 (keep for ever) and takes whole days only', () => {
    expect(loadConfig({}).retentionDays).toBe(0);
    expect(loadConfig({ RETENTION_DAYS: '90' }).retentionDays).toBe(90);
    for (const bad of ['-1', '1.5', 'ninety', '36501']) expect(() => loadConfig({ RETENTION_DAYS: bad }), bad).toThrow(/RETENTION_DAYS/);
  });
});
