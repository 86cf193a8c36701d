// The evidence bundle as a recipient gets it: unzip it, check every hash, read the report, run the verifier.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, setUpShop, startServer, tempDir, uploadFiles, type TestServer } from '../helpers/server';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const read = (name: string) => new Uint8Array(fs.readFileSync(fixture(name)));

async function download(response: Response): Promise<string> {
  const dir = tempDir('packtrail-bundle-');
  const zip = path.join(dir, 'bundle.zip');
  fs.writeFileSync(zip, Buffer.from(await response.arrayBuffer()));
  return zip;
}

function unzip(zip: string): string {
  const dir = path.join(path.dirname(zip), 'unzipped');
  execFileSync('unzip', ['-q', zip, '-d', dir]);
  return dir;
}

describe('evidence bundle and share links', () => {
  let server: TestServer;
  let seller: string;
  let packer: string;
  let disputeId: string;
  let now = new Date();
  const uploaded: Record<string, string> = {};

  beforeAll(async () => {
    server = await startServer({}, { clock: () => now });
    const shop = await setUpShop(server, 'Asia/Seoul');
    seller = await shop.token('seller');
    packer = (await shop.deviceToken()).token;
    await server.request('PUT', '/api/v1/orders/NAP-2026-0042', {
      token: seller,
      json: {
        channel: 'coupang',
        buyer: { ref: 'b-1', name: '김민준' },
        items: [{ sku: 'NAP-12', name: 'Linen napkins, dozen', quantity: 4, unitWeightGrams: 570 }],
        carrier: 'CJ Logistics',
        trackingNumbers: ['601234567890'],
        declaredValue: { amount: 52000, currency: 'KRW' },
      },
    });
    const packing = await (await server.request('POST', '/api/v1/captures', { token: packer, json: { orderId: 'NAP-2026-0042', kind: 'packing', weight: { value: 2310, unit: 'g' }, station: 'Station 2' } })).json();
    const upload = await (await uploadFiles(server, packer, packing.id, [
      { name: 'inside.jpg', bytes: read('photo-orientation6-gps.jpg') },
      { name: 'packing.webm', bytes: read('clip.webm') },
    ])).json();
    for (const media of upload.media) uploaded[media.id] = media.sha256;
    await server.request('POST', `/api/v1/captures/${packing.id}/finish`, { token: packer });
    const unboxing = await (await server.request('POST', '/api/v1/captures', {
      token: packer,
      json: { orderId: 'NAP-2026-0042', kind: 'unboxing', checklist: [{ item: 'outer_box', result: 'ok' }, { item: 'signs_of_use', result: 'issue', note: 'stained' }], outcome: 'used' },
    })).json();
    const returned = await (await uploadFiles(server, packer, unboxing.id, [{ name: 'return.png', bytes: read('photo.png') }])).json();
    uploaded[returned.media[0].id] = returned.media[0].sha256;
    await server.request('POST', `/api/v1/captures/${unboxing.id}/finish`, { token: packer });

    const dispute = await (await server.request('POST', '/api/v1/disputes', {
      token: seller,
      json: { orderId: 'NAP-2026-0042', reason: 'item_missing', counterparty: 'marketplace', reference: 'CP-5521', respondBy: new Date(Date.now() + 5 * 86_400_000).toISOString() },
    })).json();
    disputeId = dispute.id;
    await server.request('POST', `/api/v1/disputes/${disputeId}/evidence`, { token: seller, json: { captureId: packing.id, caption: 'Packing: all four dozens go in' } });
    await server.request('POST', `/api/v1/disputes/${disputeId}/evidence`, { token: seller, json: { mediaId: returned.media[0].id, caption: 'Return as received' } });
  });
  afterAll(() => server.close());

  it('exports a ZIP that passes unzip -t, with every manifest entry matching its file and the originals bit-exact', async () => {
    const response = await server.request('GET', `/api/v1/disputes/${disputeId}/bundle.zip?lang=en`, { token: seller });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename="packtrail-NAP-2026-0042-/);
    const zip = await download(response);
    expect(spawnSync('unzip', ['-t', zip]).status).toBe(0);
    const dir = unzip(zip);

    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.dispute).toMatchObject({ id: disputeId, orderId: 'NAP-2026-0042' });
    for (const file of manifest.files) {
      const bytes = fs.readFileSync(path.join(dir, file.path));
      expect(sha256(bytes), file.path).toBe(file.sha256);
      expect(bytes.length, file.path).toBe(file.bytes);
    }
    const originals = manifest.files.filter((file: { kind: string }) => file.kind === 'original');
    expect(originals).toHaveLength(3);
    for (const file of originals) expect(file.sha256).toBe(uploaded[file.mediaId]);
    expect(originals.map((file: { path: string }) => file.path)).toEqual([
      expect.stringMatching(/^media\/01-packing-photo-[0-9a-f]{8}\.jpg$/),
      expect.stringMatching(/^media\/02-packing-video-[0-9a-f]{8}\.webm$/),
      expect.stringMatching(/^media\/03-unboxing-photo-[0-9a-f]{8}\.png$/),
    ]);
    expect(Buffer.compare(fs.readFileSync(path.join(dir, originals[1].path)), Buffer.from(read('clip.webm')))).toBe(0);
    for (const name of ['README.txt', 'report.pdf', 'verification/verify.mjs', 'verification/verify.html', 'verification/checkpoint.txt']) {
      expect(fs.existsSync(path.join(dir, name)), name).toBe(true);
    }

    const verify = spawnSync(process.execPath, ['verification/verify.mjs'], { cwd: dir, encoding: 'utf8' });
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/verified/i);

    expect(spawnSync('pdfinfo', [path.join(dir, 'report.pdf')]).status).toBe(0);
    const text = execFileSync('pdftotext', ['-layout', path.join(dir, 'report.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('NAP-2026-0042');
    expect(text).toContain('김민준');
    expect(text).toMatch(/2,310\s*g measured/);
    expect(text).toMatch(/consistent with all items/);
    expect(text).toMatch(/00:0[0-9]/); // a still's time offset from the video
    expect(text).toContain(originals[1].sha256);
  });

  it('exports originals with the CRC-32 an earlier version recorded at ingest in their headers, and others with it summed as they stream', async () => {
    const db = new Database(path.join(server.dataDir, 'packtrail.sqlite'));
    const rows = db.prepare('SELECT id, sha256 FROM media').all() as { id: string; sha256: string }[];
    expect((db.prepare('SELECT count(*) AS n FROM media WHERE crc32 IS NOT NULL').get() as { n: number }).n).toBe(0);
    try {
      // As a row from before 26 Nov holds it: the CRC-32 of the original's bytes.
      const [first] = rows;
      const bytes = Buffer.from(await (await server.request('GET', `/api/v1/media/${first.id}/original`, { token: seller })).arrayBuffer());
      db.prepare('UPDATE media SET crc32 = ? WHERE id = ?').run(zlib.crc32(bytes), first.id);
      const zip = await download(await server.request('GET', `/api/v1/disputes/${disputeId}/bundle.zip?lang=en`, { token: seller }));
      const test = spawnSync('unzip', ['-t', zip], { encoding: 'utf8' });
      expect(test.status, test.stdout).toBe(0);
      expect(fs.readdirSync(path.join(unzip(zip), 'media'))).toHaveLength(3);
    } finally {
      db.prepare('UPDATE media SET crc32 = NULL').run();
      db.close();
    }
  });

  it('builds a courier-claim packet with the filing deadline from the carrier’s terms and the photo checklist', async () => {
    await server.request('PUT', '/api/v1/orders/NAP-2026-0042', { token: seller, json: { deliveredAt: '2026-11-20T06:00:00Z', shippedAt: '2026-11-18T01:00:00Z' } });
    const claim = await (await server.request('POST', '/api/v1/disputes', {
      token: seller,
      json: { orderId: 'NAP-2026-0042', reason: 'damaged', counterparty: 'courier', damageDescription: 'Box crushed on one corner; two plates broken' },
    })).json();
    const photoId = Object.keys(uploaded)[0];
    await server.request('POST', `/api/v1/disputes/${claim.id}/evidence`, { token: seller, json: { mediaId: photoId, caption: 'Contents before sealing' } });
    expect((await server.request('PUT', `/api/v1/media/${photoId}/tags`, { token: seller, json: { tags: ['packing_inside'] } })).status).toBe(200);

    const summary = await (await server.request('GET', `/api/v1/disputes/${claim.id}/claim`, { token: seller })).json();
    expect(summary.claimKind).toBe('damage');
    // Korean standard parcel terms: damage reported within 14 days of receipt (received 2026-11-20 in Seoul).
    expect(summary.deadline).toMatchObject({ carrierKey: 'kr_standard', deadline: '2026-12-04' });
    const inside = summary.photos.find((photo: { kind: string }) => photo.kind === 'packing_inside');
    expect(inside).toMatchObject({ present: true, evidence: [1] });
    expect(summary.photos.find((photo: { kind: string }) => photo.kind === 'label_closeup')).toMatchObject({ required: true, present: false });

    const response = await server.request('GET', `/api/v1/disputes/${claim.id}/claim-packet.zip?lang=en`, { token: seller });
    expect(response.status).toBe(200);
    const zip = await download(response);
    expect(spawnSync('unzip', ['-t', zip]).status).toBe(0);
    const dir = unzip(zip);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.files.map((file: { path: string }) => file.path)).toContain('claim-letter.pdf');
    const letter = execFileSync('pdftotext', ['-layout', path.join(dir, 'claim-letter.pdf'), '-'], { encoding: 'utf8' });
    expect(letter).toContain('601234567890');
    expect(letter).toContain('2026-12-04');
    expect(letter).toContain('two plates broken');

    const notCourier = await server.request('GET', `/api/v1/disputes/${disputeId}/claim-packet.zip`, { token: seller });
    expect(notCourier.status).toBe(409);
  });

  it('answers HEAD with the headers only, rendering, reading and auditing nothing', async () => {
    const exports = async () => {
      const custody = await (await server.request('GET', `/api/v1/disputes/${disputeId}/custody`, { token: seller })).json();
      return custody.items.filter((event: { action: string }) => event.action === 'export').length;
    };
    const before = await exports();
    const head = await server.request('HEAD', `/api/v1/disputes/${disputeId}/bundle.zip`, { token: seller });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('application/zip');
    expect(head.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    expect(await exports()).toBe(before);
  });

  it('refuses the bundle to packers, and records who exported it', async () => {
    expect((await server.request('GET', `/api/v1/disputes/${disputeId}/bundle.zip`, { token: packer })).status).toBe(403);
    const custody = await (await server.request('GET', `/api/v1/disputes/${disputeId}/custody`, { token: seller })).json();
    expect(custody.items.map((event: { action: string }) => event.action)).toContain('export');
  });

  it('opens a share link without an account, serves only the shared evidence, and audits each visit', async () => {
    const share = await (await server.request('POST', `/api/v1/disputes/${disputeId}/shares`, { token: seller, json: { expiresInHours: 48 } })).json();
    const page = await fetch(share.url.replace(/^https?:\/\/[^/]+/, server.url), { headers: { 'accept-language': 'ko-KR,ko;q=0.9' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('NAP-2026-0042');
    expect(html).toContain('증거 묶음 내려받기');
    const base = new URL(share.url).pathname;
    const mediaId = Object.keys(uploaded)[0];
    const original = await fetch(`${server.url}${base}/media/${mediaId}/original`);
    expect(sha256(new Uint8Array(await original.arrayBuffer()))).toBe(uploaded[mediaId]);
    expect((await fetch(`${server.url}${base}/media/${mediaId}/thumbnail`)).status).toBe(200);

    const capture = await (await server.request('POST', '/api/v1/captures', { token: packer, json: { orderId: 'OTHER', kind: 'packing' } })).json();
    const unrelated = (await (await uploadFiles(server, packer, capture.id, [{ name: 'x.webp', bytes: read('photo.webp') }])).json()).media[0];
    expect((await fetch(`${server.url}${base}/media/${unrelated.id}/original`)).status).toBe(404);

    const bundle = await fetch(`${server.url}${base}/bundle.zip?lang=ko`);
    expect(bundle.status).toBe(200);
    // The link is a secret: the bundle, too, tells robots and referrers to leave it alone.
    expect(bundle.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    expect(bundle.headers.get('referrer-policy')).toBe('no-referrer');
    expect(spawnSync('unzip', ['-t', await download(bundle)]).status).toBe(0);

    const custody = await (await server.request('GET', `/api/v1/disputes/${disputeId}/custody`, { token: seller })).json();
    const byShare = custody.items.filter((event: { actorType: string; actorId: string }) => event.actorType === 'share' && event.actorId === share.id);
    expect(byShare.map((event: { action: string }) => event.action)).toEqual(['share_access', 'export']);
  });

  it('stops a share link at once when revoked (410), when expired (410), and answers 404 for an unknown one', async () => {
    const revoked = await (await server.request('POST', `/api/v1/disputes/${disputeId}/shares`, { token: seller, json: { expiresInHours: 1 } })).json();
    const revokedPath = new URL(revoked.url).pathname;
    expect((await fetch(`${server.url}${revokedPath}`)).status).toBe(200);
    await server.request('DELETE', `/api/v1/disputes/${disputeId}/shares/${revoked.id}`, { token: seller });
    expect((await fetch(`${server.url}${revokedPath}`)).status).toBe(410);
    expect((await fetch(`${server.url}${revokedPath}/bundle.zip`)).status).toBe(410);

    const expiring = await (await server.request('POST', `/api/v1/disputes/${disputeId}/shares`, { token: seller, json: { expiresInHours: 1 } })).json();
    now = new Date(now.getTime() + 2 * 3_600_000);
    const expiredPath = new URL(expiring.url).pathname;
    expect((await fetch(`${server.url}${expiredPath}`)).status).toBe(410);
    expect((await fetch(`${server.url}${expiredPath}/media/${Object.keys(uploaded)[0]}/original`)).status).toBe(410);

    expect((await fetch(`${server.url}/s/pts_${'A'.repeat(43)}`)).status).toBe(404);
  });

  it('limits how often one address may ask for share-link bundles, answering 429 in the JSON error shape', async () => {
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < 8 && !refused; i++) {
      const response = await fetch(`${server.url}/s/guessed-token-${i}/bundle.zip`);
      statuses.push(response.status);
      if (response.status === 429) refused = response;
    }
    expect(statuses.slice(0, -1).every((status) => status === 404)).toBe(true);
    expect(refused, `statuses: ${statuses.join(', ')}`).toBeDefined();
    expect(await refused!.json()).toMatchObject({ statusCode: 429, code: 'TOO_MANY_REQUESTS' });
  });
});
