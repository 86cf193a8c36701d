// The recipient packets against the review's cases (REVIEW13): a video whose length processing has not
// recorded yet, an undecodable HEIC among the photos, an order with hundreds of long item names, the
// dispute's private note, a packet with no evidence, no public address, and what reaches the recipient
// about each photo. Each case is checked as a recipient would read the ZIP and as the listing says it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffprobePath } from '../../storage/video';
import { packetVideo } from '../helpers/packet-media';
import { fixture, startServer, type TestServer } from '../helpers/server';
import { downloadPacket, filesUnder, makePacketCase, removeDownloads, type PacketCase } from './packet-case';

const clipSeconds = (file: string) =>
  Number(execFileSync(ffprobePath, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], { encoding: 'utf8' }).trim());

interface Listed {
  recipient: string;
  included: { path: string; role: string; description: string; bytes: number; estimated?: boolean }[];
  missing: { code: string; text: string }[];
  limits: { code: string; text: string; ok: boolean; actual: number; limit: number; estimated?: boolean }[];
  shareLink?: { url: string };
}

describe('recipient packets in the review\'s cases', () => {
  let server: TestServer;
  let db: Database.Database;
  let video: PacketCase;

  const listing = async (disputeId: string, token: string): Promise<Listed[]> =>
    (await (await server.request('GET', `/api/v1/disputes/${disputeId}/packets?lang=en`, { token })).json()).items;
  const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');

  /** Waits until no upload is still being processed, so a test can set the state it means to. */
  async function processed() {
    for (let i = 0; i < 600; i++) {
      if ((db.prepare("SELECT COUNT(*) AS n FROM media WHERE processing_status = 'pending'").get() as { n: number }).n === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('media processing did not finish');
  }

  beforeAll(async () => {
    const twoMinutes = await packetVideo({ resolution: 'small', seconds: 120 });
    server = await startServer({}, { clock: () => new Date('2026-11-25T01:00:00Z') });
    db = new Database(path.join(server.dataDir, 'packtrail.sqlite'));
    video = await makePacketCase(server, { photos: [fixture('photo.png')], video: twoMinutes.file }, { orderId: 'PKT-REV-1', counterparty: 'marketplace' });
    await processed();
  }, 300_000);
  afterAll(async () => {
    removeDownloads();
    db?.close();
    await server?.close();
    if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
  });

  it('never counts a video whose length is not known yet as 0 s: Shopee gets no video over 60 s', async () => {
    const videoId = video.media.find((media) => media.type === 'video')!.id;
    const recorded = (db.prepare('SELECT duration_ms FROM media WHERE id = ?').get(videoId) as { duration_ms: number }).duration_ms;
    expect(recorded).toBeGreaterThan(100_000);
    // As while processing still runs: the row has no length yet.
    db.prepare('UPDATE media SET duration_ms = NULL WHERE id = ?').run(videoId);
    try {
      const shopee = (await listing(video.disputeId, video.seller)).find((item) => item.recipient === 'shopee')!;
      expect(shopee.included.some((file) => file.path.endsWith('.mp4'))).toBe(false);
      expect(shopee.missing.map((item) => item.code)).toContain('VIDEO_NOT_READY');
      expect(shopee.limits.find((limit) => limit.code === 'VIDEO_SECONDS')?.text ?? '').not.toMatch(/0 s \/ 60 s \(within\)/);

      const { dir } = await downloadPacket(server, video.seller, video.disputeId, 'shopee');
      for (const file of filesUnder(dir).filter((name) => name.endsWith('.mp4'))) expect(clipSeconds(path.join(dir, file)), file).toBeLessThanOrEqual(60.5);
      const checklist = read(dir, 'checklist.txt');
      expect(checklist).toContain('[VIDEO_TOO_LONG_TO_FIT]');
      expect(checklist).not.toContain('Nothing the recipient asks for is missing');
    } finally {
      db.prepare('UPDATE media SET duration_ms = ? WHERE id = ?').run(recorded, videoId);
    }
  }, 120_000);

  it('leaves one undecodable HEIC photo out and keeps the evidence PDF; the listing says the same as the ZIP', async () => {
    const odd = await makePacketCase(server, { photos: [fixture('photo.png'), fixture('photo-hevc.heic')], video: fixture('clip-4s.mp4') }, {
      orderId: 'PKT-REV-2', counterparty: 'payment_processor', shop: { seller: video.seller, packer: video.packer },
    });
    await processed();
    const listed = await listing(odd.disputeId, odd.seller);
    for (const recipient of ['stripe', 'shopify', 'ebay']) {
      const item = listed.find((entry) => entry.recipient === recipient)!;
      const { dir } = await downloadPacket(server, odd.seller, odd.disputeId, recipient);
      const checklist = read(dir, 'checklist.txt');
      const uploads = filesUnder(dir).filter((file) => !['packet.json', 'checklist.txt'].includes(file));
      expect(checklist, recipient).toMatch(/\[PHOTO_UNDECODABLE\] E2 is a HEIC \(HEVC\) picture/);
      expect(checklist, recipient).not.toContain('[NO_EVIDENCE_PDF]');
      expect(checklist, recipient).not.toContain('[COULD_NOT_FIT]');
      expect(item.missing.map((entry) => entry.code), recipient).toContain('PHOTO_UNDECODABLE');
      expect(item.included.map((file) => file.path).sort(), recipient).toEqual(uploads);
      if (recipient !== 'ebay') {
        expect(uploads, recipient).toContain('evidence.pdf');
        const fields = JSON.parse(read(dir, 'packet.json')).fields;
        expect(JSON.stringify(fields), recipient).toContain('"evidence.pdf"');
      }
    }
    expect(listed.find((entry) => entry.recipient === 'stripe')!.included.map((file) => file.path)).toContain('evidence.pdf');
  }, 120_000);

  /** An order of 400 items with names of about 190 characters, and a dispute about it (no evidence picked). */
  async function bigOrder(orderId: string) {
    const items = Array.from({ length: 400 }, (_, index) => ({
      sku: `SKU-${index}`, name: `Hand-thrown stoneware mug number ${index} ${'with a long descriptive name '.repeat(6)}`.slice(0, 190), quantity: 1, unitWeightGrams: 380,
    }));
    const put = await server.request('PUT', `/api/v1/orders/${orderId}`, {
      token: video.seller,
      json: { items, carrier: 'CJ Logistics', trackingNumbers: ['601234567890'], shippedAt: '2026-11-20T07:00:00.000Z', deliveredAt: '2026-11-22T09:30:00.000Z' },
    });
    expect(put.status, await put.clone().text()).toBeLessThan(300);
    const packing = await (await server.request('POST', '/api/v1/captures', {
      token: video.packer, json: { orderId, kind: 'packing', weight: { value: 152_150, unit: 'g' }, station: 'Station 2' },
    })).json();
    await server.request('POST', `/api/v1/captures/${packing.id}/finish`, { token: video.packer });
    const dispute = await (await server.request('POST', '/api/v1/disputes', {
      token: video.seller, json: { orderId, reason: 'item_missing', counterparty: 'payment_processor', note: 'Buyer says one mug was missing.' },
    })).json();
    return dispute.id as string;
  }

  it('keeps Stripe\'s 20,000 characters a long field and 150,000 in all for an order of 400 long items; Shopify too', async () => {
    const disputeId = await bigOrder('PKT-REV-BIG');
    const stripe = JSON.parse(read((await downloadPacket(server, video.seller, disputeId, 'stripe')).dir, 'packet.json')).fields;
    const characters = (text: unknown) => [...String(text)].length;
    for (const [field, value] of Object.entries(stripe)) expect(characters(value), field).toBeLessThanOrEqual(field === 'product_description' || field === 'uncategorized_text' ? 20_000 : 5_000);
    expect(Object.values(stripe).reduce((sum: number, value) => sum + characters(value), 0)).toBeLessThanOrEqual(150_000);
    expect(stripe.product_description).toMatch(/, and \d+ more$/);
    expect(stripe.product_description).toContain('1 × Hand-thrown stoneware mug number 0 ');
    const { dir } = await downloadPacket(server, video.seller, disputeId, 'shopify');
    const shopify = JSON.parse(read(dir, 'packet.json')).fields;
    expect(characters(shopify.productDescription)).toBeLessThanOrEqual(20_000);
    expect(characters(shopify.uncategorizedText)).toBeLessThanOrEqual(20_000);
    expect(shopify.productDescription).toMatch(/, and \d+ more$/);
    for (const checklist of [read(dir, 'checklist.txt'), read((await downloadPacket(server, video.seller, disputeId, 'stripe')).dir, 'checklist.txt')]) expect(checklist).not.toContain('(OVER)');
  }, 120_000);

  it('keeps the order\'s key facts in every short text of a 400-item order: the long item list is shortened or skipped', async () => {
    const disputeId = await bigOrder('PKT-REV-BIG2');
    const texts: Record<string, (fields: Record<string, unknown>) => unknown> = {
      ebay: (fields) => fields.note, shopee: (fields) => fields.reason, amazon: (fields) => fields.reply,
      paypal: (fields) => (fields.evidences as { notes: string }[])[0].notes, stripe: (fields) => fields.uncategorized_text,
    };
    for (const [recipient, textOf] of Object.entries(texts)) {
      const text = String(textOf(JSON.parse(read((await downloadPacket(server, video.seller, disputeId, recipient)).dir, 'packet.json')).fields));
      for (const fact of ['PKT-REV-BIG2', 'CJ Logistics', '601234567890', 'The parcel was packed on']) expect(text, `${recipient}: ${fact}`).toContain(fact);
      expect(text, recipient).toMatch(/152,150\s*g/);
    }
  }, 120_000);

  it('keeps the dispute\'s private note out of the courier\'s claim letter, and calls missing items a partial loss, not damage', async () => {
    const { dir } = await downloadPacket(server, video.seller, video.disputeId, 'courier');
    const letter = execFileSync('pdftotext', ['-layout', path.join(dir, 'claim-letter.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(letter).not.toContain('Buyer says one mug');
    expect(letter).not.toMatch(/Claim for damage|reached the consignee damaged/);
    expect(letter).toContain('Claim for items missing from a parcel');
    for (const file of filesUnder(dir).filter((name) => /\.(json|txt)$/.test(name))) expect(read(dir, file), file).not.toContain('Buyer says one mug');
  }, 120_000);

  it('says nothing untrue: no "cannot be altered", times resting on the seller\'s server said plainly, no E1 to E0, no link to no originals', async () => {
    const disputeId = await bigOrder('PKT-REV-NONE');
    const { dir } = await downloadPacket(server, video.seller, disputeId, 'stripe');
    const packet = JSON.parse(read(dir, 'packet.json'));
    const pdf = execFileSync('pdftotext', [path.join(dir, 'evidence.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    for (const text of [packet.fields.uncategorized_text as string, pdf]) {
      expect(text).not.toMatch(/No one can alter or back-date/);
      expect(text).toContain('These times rest on the seller\'s own server');
      expect(text).not.toContain('E1 to E0');
      expect(text).toContain('No evidence files are picked for this dispute yet');
      expect(text).not.toContain('evidence bundle');
    }
    expect(packet.shareLink).toBeUndefined();
    expect((await listing(disputeId, video.seller)).find((item) => item.recipient === 'stripe')!.shareLink).toBeUndefined();
  }, 120_000);

  it('puts no localhost link into a packet while PUBLIC_URL is unset, and says PUBLIC_URL must be set for one', async () => {
    const stripe = (await listing(video.disputeId, video.seller)).find((item) => item.recipient === 'stripe')!;
    expect(stripe.shareLink).toBeUndefined();
    expect(stripe.missing.map((item) => item.code)).toContain('NO_PUBLIC_URL');
    const { dir } = await downloadPacket(server, video.seller, video.disputeId, 'stripe');
    const packet = JSON.parse(read(dir, 'packet.json'));
    expect(packet.shareLink).toBeUndefined();
    const checklist = read(dir, 'checklist.txt');
    expect(checklist).toContain('[NO_PUBLIC_URL]');
    expect(checklist).toContain('PUBLIC_URL');
    for (const text of [JSON.stringify(packet), checklist]) expect(text).not.toMatch(/localhost|127\.0\.0\.1|\/s\/ptl_/);
  }, 120_000);

  it('gives the right reason for what is left out: a type the recipient does not take is not "a limit"', async () => {
    const withPdf = await makePacketCase(server, { photos: [fixture('photo.png'), fixture('document.pdf')], video: fixture('clip-4s.mp4') }, {
      orderId: 'PKT-REV-3', counterparty: 'marketplace', shop: { seller: video.seller, packer: video.packer },
    });
    await processed();
    const listed = await listing(withPdf.disputeId, withPdf.seller);
    for (const [recipient, name] of [['ebay', 'eBay'], ['shopee', 'Shopee']]) {
      const item = listed.find((entry) => entry.recipient === recipient)!;
      const reason = `E2 is a PDF file, a type ${name} does not take`;
      expect(item.missing.map((entry) => entry.text).join('\n'), recipient).toContain(reason);
      const checklist = read((await downloadPacket(server, withPdf.seller, withPdf.disputeId, recipient)).dir, 'checklist.txt');
      expect(checklist, recipient).toContain(`[TYPE_NOT_ACCEPTED] ${reason}`);
      expect(checklist, recipient).not.toMatch(/E2 was left out to stay within the limit/);
    }
  }, 120_000);

  it('carries the seller\'s captions and courier tags into the file descriptions, the checklist and the PDF', async () => {
    const captioned = await makePacketCase(server, { photos: [fixture('photo.png'), fixture('photo-orientation6-gps.jpg')], video: fixture('clip-4s.mp4'), captions: ['waybill on the lid', 'scale shows 1,552 g'] }, {
      orderId: 'PKT-REV-4', counterparty: 'payment_processor', shop: { seller: video.seller, packer: video.packer },
    });
    await processed();
    const stripe = (await listing(captioned.disputeId, captioned.seller)).find((item) => item.recipient === 'stripe')!;
    const label = stripe.included.find((file) => file.path.includes('E01'))!;
    expect(label.description).toContain('Shipping label, close-up and readable');
    expect(label.description).toContain('“waybill on the lid”');
    const { dir } = await downloadPacket(server, captioned.seller, captioned.disputeId, 'stripe');
    const packet = JSON.parse(read(dir, 'packet.json'));
    expect(packet.files.find((file: { path: string }) => file.path.includes('E01')).description).toContain('“waybill on the lid”');
    expect(read(dir, 'checklist.txt')).toContain('“waybill on the lid”');
    const pdf = execFileSync('pdftotext', [path.join(dir, 'evidence.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(pdf).toContain('scale shows 1,552 g');
  }, 120_000);

  it('marks the listing\'s planned figures as estimates, which the ZIP\'s checklist states exactly', async () => {
    const stripe = (await listing(video.disputeId, video.seller)).find((item) => item.recipient === 'stripe')!;
    for (const limit of stripe.limits.filter((entry) => entry.code !== 'FILE_TYPES')) {
      expect(limit.estimated, limit.code).toBe(true);
      expect(limit.text, limit.code).toMatch(/: about /);
    }
    for (const file of stripe.included) expect(file.estimated, file.path).toBe(file.role === 'original' ? undefined : true);
    expect(stripe.included.some((file) => file.estimated)).toBe(true);
    const checklist = read((await downloadPacket(server, video.seller, video.disputeId, 'stripe')).dir, 'checklist.txt');
    expect(checklist).toMatch(/Largest file: [\d.,]+ (MB|B) \//);
    expect(checklist).not.toContain('about');
  }, 120_000);
});
