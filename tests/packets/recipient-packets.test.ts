// Every recipient's packet built from a real dispute (a 2-minute video and a dozen photos of all sizes)
// and held to the recipient's published limits, measured as the recipient would: file types by magic
// bytes, each file's size and the total, the number of files, PDF pages by pdfinfo, clip length by
// ffprobe; packet.json's fields hold the order's facts, and checklist.txt says what is in, what is
// missing, each limit with the packet's figure, and the deadline.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffprobePath } from '../../storage/video';
import { packetPhotos, packetVideo } from '../helpers/packet-media';
import { startServer, type TestServer } from '../helpers/server';
import { downloadPacket, removeDownloads, filesUnder, magicType, makePacketCase, type PacketCase } from './packet-case';

type FileType = ReturnType<typeof magicType>;

/** The recipients' published limits (ISSUE 13's table, refined), written here independently of the profiles. */
const PUBLISHED: Record<string, {
  types: FileType[]; maxFile?: number; maxPhoto?: number; maxVideo?: number; maxTotal?: number; maxFiles?: number; maxPages?: number; maxVideoSeconds?: number;
  maxText?: number; video?: boolean;
}> = {
  stripe: { types: ['pdf', 'jpeg', 'png'], maxFile: 5_000_000, maxTotal: 4_500_000, maxPages: 19, maxText: 150_000 },
  shopify: { types: ['pdf', 'jpeg', 'png'], maxFile: 2_000_000 - 1, maxTotal: 4_000_000 - 1, maxPages: 49 },
  paypal: { types: ['pdf', 'jpeg', 'png', 'gif'], maxFile: 10_000_000 - 1, maxTotal: 50_000_000, maxFiles: 10 },
  ebay: { types: ['jpeg', 'png'], maxFile: 1_500_000, maxFiles: 10 },
  amazon: { types: ['pdf', 'jpeg', 'png', 'gif'], maxFile: 10_000_000, maxTotal: 10_000_000, maxFiles: 5 },
  coupang: { types: ['jpeg', 'png', 'gif', 'mp4', 'avi', 'wmv'], maxFile: 30_000_000, maxTotal: 30_000_000, video: true },
  shopee: { types: ['jpeg', 'png', 'mp4'], maxPhoto: 10_000_000, maxVideo: 30_000_000, maxVideoSeconds: 60 },
};

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const pdfPages = (file: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
const clipSeconds = (file: string) =>
  Number(execFileSync(ffprobePath, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], { encoding: 'utf8' }).trim());

describe('recipient packets from a dispute with a 2-minute video and a dozen photos', () => {
  let server: TestServer;
  let dispute: PacketCase;

  beforeAll(async () => {
    const [photos, video] = await Promise.all([packetPhotos(), packetVideo({ resolution: 'small', seconds: 120 })]);
    // A public address: packets carry no link to localhost.
    server = await startServer({ PUBLIC_URL: 'https://packtrail.example.com' }, { clock: () => new Date('2026-11-25T01:00:00Z') });
    dispute = await makePacketCase(server, { photos: photos.map((photo) => photo.file), video: video.file }, {
      orderId: 'PKT-2026-0042', counterparty: 'marketplace', channel: 'coupang_wing',
    });
  }, 600_000);
  afterAll(async () => {
    removeDownloads();
    await server?.close();
    // Its originals are some fifty megabytes.
    if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
  });

  /** Builds a packet and checks what every packet must hold; answers what the recipient-specific checks read. */
  async function built(recipient: string) {
    const { dir } = await downloadPacket(server, dispute.seller, dispute.disputeId, recipient);
    const packet = JSON.parse(fs.readFileSync(path.join(dir, 'packet.json'), 'utf8'));
    const checklist = fs.readFileSync(path.join(dir, 'checklist.txt'), 'utf8');
    const uploads = filesUnder(dir).filter((file) => file !== 'packet.json' && file !== 'checklist.txt');
    const originals = new Map(dispute.media.map((media) => [media.sha256, media]));

    expect(packet).toMatchObject({ format: 'packtrail-packet/v1', recipient, disputeId: dispute.disputeId, orderId: 'PKT-2026-0042', language: 'en' });
    // The order's facts are in the fields a person pastes: order ID, tracking number, carrier, weight.
    const fieldsText = JSON.stringify(packet.fields);
    for (const fact of ['PKT-2026-0042', '601234567890', 'CJ Logistics']) expect(fieldsText, fact).toContain(fact);
    expect(fieldsText).toMatch(/1,?552/);
    // The seller's own note on the dispute stays with the seller.
    expect(fieldsText + checklist).not.toContain('Buyer says one mug was missing');
    // Every file packet.json lists is in the ZIP with its size and hash; a derived one names an original of this dispute.
    for (const file of packet.files) {
      const on = path.join(dir, file.path);
      expect(fs.statSync(on).size, file.path).toBe(file.bytes);
      expect(sha256(on), file.path).toBe(file.sha256);
      if (file.role === 'derived') {
        expect(file.path).toMatch(/^derived\//);
        expect(originals.has(file.originalSha256), file.path).toBe(true);
        expect(checklist).toContain(file.originalSha256);
      }
      if (file.role === 'original') expect(originals.has(file.sha256), `${file.path} is an untouched original`).toBe(true);
    }
    // checklist.txt: what is in, what is missing, the limits with figures, the deadline.
    // The verification kit is named as its folder.
    for (const file of uploads) expect(checklist, file).toContain(file.startsWith('verification/') ? 'verification/' : file);
    for (const heading of ['INCLUDED', 'MISSING, AND WHY IT MATTERS', 'DEADLINE', 'HOW TO UPLOAD']) expect(checklist).toContain(heading);
    // The respond-by date entered; the courier's is the last day its claim terms allow (14 days from delivery).
    expect(checklist).toContain(recipient === 'courier' ? '2026-12-06 23:59:59 KST' : '2026-12-01 23:59:00 KST');
    return { dir, packet, checklist, uploads };
  }

  /** The recipient's published limits, measured on the files as its upload form would. */
  function expectWithinLimits(recipient: string, dir: string, uploads: string[], checklist: string) {
    const limits = PUBLISHED[recipient];
    const sizes = uploads.map((file) => fs.statSync(path.join(dir, file)).size);
    uploads.forEach((file, index) => {
      const type = magicType(path.join(dir, file));
      expect(limits.types, `${file} is ${type}`).toContain(type);
      if (limits.maxFile) expect(sizes[index], file).toBeLessThanOrEqual(limits.maxFile);
      if (limits.maxPhoto && ['jpeg', 'png', 'gif'].includes(type)) expect(sizes[index], file).toBeLessThanOrEqual(limits.maxPhoto);
      if (limits.maxVideo && ['mp4', 'avi', 'wmv'].includes(type)) expect(sizes[index], file).toBeLessThanOrEqual(limits.maxVideo);
    });
    if (limits.maxTotal) expect(sizes.reduce((sum, size) => sum + size, 0)).toBeLessThanOrEqual(limits.maxTotal);
    if (limits.maxFiles) expect(uploads.length).toBeLessThanOrEqual(limits.maxFiles);
    const pdfs = uploads.filter((file) => magicType(path.join(dir, file)) === 'pdf');
    const pages = pdfs.reduce((sum, file) => sum + pdfPages(path.join(dir, file)), 0);
    if (limits.maxPages) expect(pages).toBeLessThanOrEqual(limits.maxPages);
    const videos = uploads.filter((file) => ['mp4', 'avi', 'wmv'].includes(magicType(path.join(dir, file))));
    if (limits.maxVideoSeconds) for (const video of videos) expect(clipSeconds(path.join(dir, video))).toBeLessThanOrEqual(limits.maxVideoSeconds + 0.5);
    if (!limits.video && !limits.maxVideoSeconds) expect(videos).toEqual([]);
    // Each limit is in the checklist with the packet's figure beside it, and none is over.
    expect(checklist).toContain('LIMITS');
    expect(checklist).not.toMatch(/✗/);
    return { pdfs, pages, videos };
  }

  it('Stripe: a PDF within 19 pages and the label photo, within 5 MB a file and 4.5 MB in all; text under 150,000 characters', async () => {
    const { dir, packet, checklist, uploads } = await built('stripe');
    const { pdfs, pages } = expectWithinLimits('stripe', dir, uploads, checklist);
    expect(pdfs).toEqual(['evidence.pdf']);
    expect(pages).toBeGreaterThan(1);
    expect(packet.fields.uncategorized_file).toBe('evidence.pdf');
    expect(uploads).toContain(packet.fields.shipping_documentation);
    expect(packet.fields.uncategorized_text).toContain(packet.shareLink.url);
    const text = Object.entries(packet.fields).filter(([key]) => !['uncategorized_file', 'shipping_documentation'].includes(key)).map(([, value]) => String(value)).join('');
    expect(text.length).toBeLessThan(150_000);
    expect(checklist).toContain('[VIDEO_NOT_ACCEPTED]');
    expect(checklist).toContain('put the ID you get back in its place');
    expect(pdftext(path.join(dir, 'evidence.pdf'))).toContain('PKT-2026-0042');
  }, 300_000);

  it('Shopify: its evidence file types, under 2 MB a file, 4 MB in all and 50 pages', async () => {
    const { dir, packet, checklist, uploads } = await built('shopify');
    expectWithinLimits('shopify', dir, uploads, checklist);
    expect(packet.fields.shopifyEvidence.UNCATEGORIZED_FILE).toBe('evidence.pdf');
    expect(uploads).toContain(packet.fields.shopifyEvidence.SHIPPING_DOCUMENTATION_FILE);
    expect(packet.fields.fulfillments[0]).toMatchObject({ shippingCarrier: 'CJ Logistics', shippingTrackingNumber: '601234567890', shippingDate: '2026-11-20' });
  }, 300_000);

  it('PayPal: its evidence types with notes and documents, under 10 MB a file, 50 MB and 10 files in all', async () => {
    const { dir, packet, checklist, uploads } = await built('paypal');
    expectWithinLimits('paypal', dir, uploads, checklist);
    expect(packet.fields.evidences[0]).toMatchObject({ evidence_type: 'PROOF_OF_FULFILLMENT', evidence_info: { tracking_info: [{ carrier_name: 'OTHER', carrier_name_other: 'CJ Logistics', tracking_number: '601234567890' }] } });
    const named = packet.fields.evidences.flatMap((evidence: { documents: { name: string }[] }) => evidence.documents.map((document) => document.name)).sort();
    expect(named).toEqual([...uploads].sort());
    for (const evidence of packet.fields.evidences) expect(evidence.notes.length).toBeLessThanOrEqual(2_000);
  }, 300_000);

  it('eBay: images only, the video as a sheet of stills, at most 1.5 MB each and 10 in all', async () => {
    const { dir, packet, checklist, uploads } = await built('ebay');
    expectWithinLimits('ebay', dir, uploads, checklist);
    expect(uploads.some((file) => /^derived\/.*-stills\.jpg$/.test(file))).toBe(true);
    expect(packet.fields.note.length).toBeLessThanOrEqual(1_000);
    expect(packet.fields.note).toContain('PKT-2026-0042');
  }, 300_000);

  it('Amazon: files within 10 MB in all and 5 attachments, the reply with the facts, 72 hours unless a date is entered', async () => {
    const { dir, packet, checklist, uploads } = await built('amazon');
    expectWithinLimits('amazon', dir, uploads, checklist);
    expect(packet.fields.reply).toContain('601234567890');
    expect(packet.deadline.at).toBe('2026-12-01T14:59:00.000Z');
  }, 300_000);

  it('Coupang: the 2-minute video re-encoded whole within 30 MB, with the photos', async () => {
    const { dir, checklist, uploads } = await built('coupang');
    const { videos } = expectWithinLimits('coupang', dir, uploads, checklist);
    expect(videos).toHaveLength(1);
    // One continuous recording: re-encoded to fit, never cut.
    expect(clipSeconds(path.join(dir, videos[0]))).toBeGreaterThan(119);
    expect(uploads.filter((file) => magicType(path.join(dir, file)) === 'jpeg').length).toBeGreaterThan(3);
  }, 600_000);

  it('Shopee: a 2-minute video is not cut to its 1-minute limit; the checklist says so, and the photos go within 10 MB each', async () => {
    const { dir, checklist, uploads } = await built('shopee');
    const { videos } = expectWithinLimits('shopee', dir, uploads, checklist);
    expect(videos).toEqual([]);
    expect(checklist).toContain('[VIDEO_TOO_LONG_TO_FIT]');
    expect(checklist).toContain('it was not cut');
    expect(uploads.length).toBeGreaterThan(3);
  }, 300_000);

  it('Courier: the claim packet with its letter, the originals unchanged and the verification kit', async () => {
    const { dir, packet, checklist, uploads } = await built('courier');
    expect(uploads).toContain('claim-letter.pdf');
    expect(uploads).toContain('verification/verify.html');
    const originals = uploads.filter((file) => file.startsWith('media/'));
    expect(originals).toHaveLength(dispute.media.length);
    for (const file of originals) expect(dispute.media.map((media) => media.sha256)).toContain(sha256(path.join(dir, file)));
    expect(packet.fields).toMatchObject({ orderId: 'PKT-2026-0042', trackingNumber: '601234567890', carrier: 'CJ Logistics', packedWeightGrams: 1552 });
    expect(checklist).toContain('claim-letter.pdf');
  }, 300_000);

  it('writes the narrative and checklist in Korean and Traditional Chinese for a reader who never heard of the service', async () => {
    for (const [lang, words] of [['ko', ['운송장 번호', '기한']], ['zh-TW', ['追蹤號碼', '期限']]] as const) {
      const { dir } = await downloadPacket(server, dispute.seller, dispute.disputeId, 'ebay', lang);
      const packet = JSON.parse(fs.readFileSync(path.join(dir, 'packet.json'), 'utf8'));
      const checklist = fs.readFileSync(path.join(dir, 'checklist.txt'), 'utf8');
      expect(packet.language).toBe(lang);
      expect(packet.fields.note).toContain(words[0]);
      expect(checklist).toContain(words[1]);
    }
  }, 300_000);
});

const pdftext = (file: string) => execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
