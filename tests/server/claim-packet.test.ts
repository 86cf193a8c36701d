// A courier-claim packet as the claims agent gets it: every file its letter names is in the ZIP, a photo
// requirement is ticked only for a tagged photo, dates that cannot all be true are flagged in the
// letter and the claim summary, and the filing deadline reaches the reminders before it passes.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, setUpShop, startServer, tempDir, uploadFiles, type TestServer } from '../helpers/server';

const read = (name: string) => new Uint8Array(fs.readFileSync(fixture(name)));

/** Downloads a packet and unzips it; answers the folder. */
async function unzipPacket(response: Response): Promise<string> {
  expect(response.status).toBe(200);
  const dir = tempDir('packtrail-claim-packet-');
  const zip = path.join(dir, 'packet.zip');
  fs.writeFileSync(zip, Buffer.from(await response.arrayBuffer()));
  execFileSync('unzip', ['-q', zip, '-d', path.join(dir, 'packet')]);
  return path.join(dir, 'packet');
}

/** The letter's text as a reader's tools extract it, runs of whitespace made one space. */
const letterText = (dir: string) => execFileSync('pdftotext', ['-enc', 'UTF-8', path.join(dir, 'claim-letter.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');

/** Every file name the letter mentions: anything that looks like a path or a file with an extension. */
const namedFiles = (text: string) =>
  [...new Set(text.match(/[A-Za-z0-9_][\w.-]*(?:\/[\w.-]+)*\.(?:pdf|json|html|mjs|js|txt|jpe?g|png|webp|heic|mp4|webm|mov|m4a|mp3|ogg|wav|3gp|zip)\b/g) ?? [])];

describe('courier claim packets', () => {
  let server: TestServer;
  let seller: string;
  let packer: string;
  let now = new Date('2026-11-18T01:00:00Z');
  const tags = (mediaId: string, list: string[]) => server.request('PUT', `/api/v1/media/${mediaId}/tags`, { token: packer, json: { tags: list } });

  /** An order packed now with one tagged label photo, one untagged photo and a video; a courier dispute with the packing as evidence. */
  async function packedOrder(orderId: string, order: Record<string, unknown>) {
    await server.request('PUT', `/api/v1/orders/${orderId}`, {
      token: seller,
      json: { items: [{ name: 'Ceramic mug', quantity: 2, unitWeightGrams: 380 }], carrier: 'CJ대한통운', trackingNumbers: ['6012-0000-1111'], ...order },
    });
    const packing = await (await server.request('POST', '/api/v1/captures', { token: packer, json: { orderId, kind: 'packing', weight: { value: 905, unit: 'g' } } })).json();
    const form = new FormData();
    form.append('tags', 'label_closeup');
    form.append('file', new Blob([read('photo.webp')]), 'label.webp');
    form.append('tags', '');
    form.append('file', new Blob([read('photo.png')]), 'untagged.png');
    form.append('file', new Blob([read('clip.mp4')]), 'packing.mp4');
    const { media } = await (await server.request('POST', `/api/v1/captures/${packing.id}/media`, { token: packer, body: form })).json();
    await server.request('POST', `/api/v1/captures/${packing.id}/finish`, { token: packer });
    const dispute = await (await server.request('POST', '/api/v1/disputes', {
      token: seller,
      json: { orderId, reason: 'damaged', counterparty: 'courier', damageDescription: 'One mug arrived in pieces' },
    })).json();
    await server.request('POST', `/api/v1/disputes/${dispute.id}/evidence`, { token: seller, json: { captureId: packing.id } });
    return { disputeId: dispute.id as string, packingId: packing.id as string, media: media as { id: string; type: string; sha256: string }[] };
  }

  const summaryOf = async (disputeId: string, lang = 'en') => (await server.request('GET', `/api/v1/disputes/${disputeId}/claim?lang=${lang}`, { token: seller })).json();

  beforeAll(async () => {
    server = await startServer({}, { clock: () => now });
    const shop = await setUpShop(server, 'Asia/Seoul');
    seller = await shop.token('seller');
    packer = await shop.token('packer');
  });
  afterAll(() => server.close());

  describe('a claim whose dates agree', () => {
    let claim: Awaited<ReturnType<typeof packedOrder>>;

    beforeAll(async () => {
      claim = await packedOrder('CLM-1', { shippedAt: '2026-11-18T05:00:00Z', deliveredAt: '2026-11-20T06:00:00Z' });
      now = new Date('2026-11-21T02:00:00Z');
    });

    it('ticks a requirement only for a tagged photo, and follows a tag changed later', async () => {
      const photos = async () => Object.fromEntries((await summaryOf(claim.disputeId)).photos.map((check: { kind: string; present: boolean; evidence: number[] }) => [check.kind, check]));
      let checks = await photos();
      expect(checks.label_closeup).toMatchObject({ present: true, evidence: [1] });
      // The untagged photo and the packing video show the box, but count for nothing.
      for (const kind of ['packing_inside', 'packing_outside', 'damage', 'all_sides', 'weight']) expect(checks[kind], kind).toMatchObject({ present: false, evidence: [] });

      expect((await tags(claim.media[1].id, ['packing_outside', 'all_sides'])).status).toBe(200);
      checks = await photos();
      expect(checks.packing_outside).toMatchObject({ present: true, evidence: [2] });
      expect(checks.all_sides).toMatchObject({ present: true, evidence: [2] });
      // Set three days after the packing finished: the summary says which ticks rest on a later label, and when.
      expect(checks.packing_outside.labelledLater).toEqual([{ evidence: 2, at: '2026-11-21T02:00:00.000Z' }]);
      expect(checks.label_closeup.labelledLater).toEqual([]);
      expect((await summaryOf(claim.disputeId)).dateConflicts).toEqual([]);
    });

    it('holds every file its letter names, and the letter names every enclosure', async () => {
      const dir = await unzipPacket(await server.request('GET', `/api/v1/disputes/${claim.disputeId}/claim-packet.zip?lang=en`, { token: seller }));
      const text = letterText(dir);
      const named = namedFiles(text);
      expect(named.length).toBeGreaterThan(3);
      for (const name of named) expect(fs.existsSync(path.join(dir, name)), `the letter names ${name}`).toBe(true);
      expect(text).not.toContain('report.pdf');
      expect(text).not.toContain('Dates that do not agree');
      // The tag set at upload is in the capture's logged facts; the one set later is marked in the letter.
      expect(text).toContain('see E2 E2: labelled by the seller on 2026-11-21, after recording');
      expect(text).not.toMatch(/E1: labelled by the seller/);
      const facts = fs.readFileSync(path.join(dir, 'verification/capture-facts.json'), 'utf8');
      expect(facts).toContain(`media ${claim.media[0].id} ${claim.media[0].sha256}\\nmedia-tags label_closeup\\nmedia ${claim.media[1].id} ${claim.media[1].sha256}\\nmedia ${claim.media[2].id}`);

      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
      const originals = manifest.files.filter((file: { kind: string }) => file.kind === 'original').map((file: { path: string }) => file.path);
      expect(originals).toHaveLength(3);
      for (const original of originals) expect(named, original).toContain(original);
      for (const tool of ['verification/verify.html', 'verification/verify.mjs', 'manifest.json']) expect(named).toContain(tool);

      // What the letter says about the photos, read as the agent reads it.
      expect(text).toContain('Shipping label, close-up and readable Present see E1');
      expect(text).toContain('Packing, inside: the items in the box with their cushioning Missing');
    });

    it('holds every file its letter names in Korean and Chinese too', async () => {
      for (const lang of ['ko', 'zh-TW']) {
        const dir = await unzipPacket(await server.request('GET', `/api/v1/disputes/${claim.disputeId}/claim-packet.zip?lang=${lang}`, { token: seller }));
        const named = namedFiles(letterText(dir));
        expect(named, lang).toContain('verification/verify.html');
        for (const name of named) expect(fs.existsSync(path.join(dir, name)), `${lang}: the letter names ${name}`).toBe(true);
      }
    });

    it('raises the filing deadline as a reminder 48 hours before its last day ends, then as overdue, until the claim is filed', async () => {
      // Korean standard parcel terms: 14 days from receipt on 2026-11-20 (Seoul) → last day 2026-12-04, ending 15:00 UTC.
      const reminders = async () =>
        ((await (await server.request('GET', '/api/v1/reminders', { token: seller })).json()).items as { disputeId: string; deadline: string }[]).filter(
          (item) => item.disputeId === claim.disputeId && item.deadline === 'claim_filing',
        );
      now = new Date('2026-12-02T14:59:00Z');
      expect(await reminders()).toEqual([]);

      now = new Date('2026-12-03T09:00:00Z');
      expect(await reminders()).toEqual([
        expect.objectContaining({ kind: 'due_soon', fileBy: '2026-12-04', respondBy: '2026-12-04T15:00:00.000Z', raisedAt: '2026-12-02T15:00:00.000Z', claimKind: 'damage' }),
      ]);
      const overview = await (await server.request('GET', '/api/v1/overview', { token: seller })).json();
      expect(overview.reminders).toContainEqual(expect.objectContaining({ disputeId: claim.disputeId, deadline: 'claim_filing', kind: 'due_soon', fileBy: '2026-12-04' }));

      now = new Date('2026-12-04T15:00:00Z');
      expect(await reminders()).toEqual([expect.objectContaining({ kind: 'overdue', raisedAt: '2026-12-04T15:00:00.000Z' })]);

      // A delivery date corrected on the order moves the deadline, and the reminder with it.
      await server.request('PUT', '/api/v1/orders/CLM-1', { token: seller, json: { deliveredAt: '2026-11-23T06:00:00Z' } });
      expect(await reminders()).toEqual([]);
      now = new Date('2026-12-05T16:00:00Z');
      expect(await reminders()).toEqual([expect.objectContaining({ kind: 'due_soon', fileBy: '2026-12-07' })]);

      // Filed: no more reminding.
      await server.request('PATCH', `/api/v1/disputes/${claim.disputeId}`, { token: seller, json: { status: 'submitted' } });
      expect(await reminders()).toEqual([]);
    });
  });

  describe('a claim with one file enclosed twice', () => {
    it('names the same file as one, in the summary and in the letter', async () => {
      now = new Date('2026-11-18T01:00:00Z');
      await server.request('PUT', '/api/v1/orders/CLM-DUP', { token: seller, json: { items: [{ name: 'Ceramic mug', quantity: 1 }], carrier: 'CJ대한통운', shippedAt: '2026-11-18T05:00:00Z', deliveredAt: '2026-11-20T06:00:00Z' } });
      // The packing photo of the box, and the same file uploaded again later as the buyer's photo of the damage.
      const capture = async (kind: string, tag: string) => {
        const made = await (await server.request('POST', '/api/v1/captures', { token: packer, json: { orderId: 'CLM-DUP', kind } })).json();
        const form = new FormData();
        form.append('tags', tag);
        form.append('file', new Blob([read('photo.png')]), 'box.png');
        const uploaded = await server.request('POST', `/api/v1/captures/${made.id}/media`, { token: packer, body: form });
        expect(uploaded.status, await uploaded.clone().text()).toBe(201);
        await server.request('POST', `/api/v1/captures/${made.id}/finish`, { token: packer });
        return made.id as string;
      };
      const packing = await capture('packing', 'all_sides');
      const other = await capture('other', 'damage');
      const dispute = await (await server.request('POST', '/api/v1/disputes', { token: seller, json: { orderId: 'CLM-DUP', reason: 'damaged', counterparty: 'courier' } })).json();
      for (const captureId of [packing, other]) await server.request('POST', `/api/v1/disputes/${dispute.id}/evidence`, { token: seller, json: { captureId } });
      now = new Date('2026-11-21T02:00:00Z');

      expect((await summaryOf(dispute.id)).sameFiles).toEqual([[1, 2]]);
      const text = letterText(await unzipPacket(await server.request('GET', `/api/v1/disputes/${dispute.id}/claim-packet.zip?lang=en`, { token: seller })));
      expect(text).toContain('E1 and E2 are the same file (identical SHA-256): one file enclosed more than once, not separate evidence.');
      // Tags set at upload, before the recording finished: nothing is marked as labelled later.
      expect(text).not.toContain('labelled by the seller');
    });
  });

  describe('a claim whose dates cannot all be true', () => {
    let claim: Awaited<ReturnType<typeof packedOrder>>;

    beforeAll(async () => {
      now = new Date('2026-11-18T01:00:00Z'); // packed 10:00 in Seoul on 18 November
      // Delivered (a day sent without a time, as midnight UTC) the day before it was packed, and before it was shipped.
      claim = await packedOrder('CLM-2', { shippedAt: '2026-11-19T02:00:00Z', deliveredAt: '2026-11-17T00:00:00Z' });
      now = new Date('2026-11-25T03:00:00Z');
      // A handover recorded after the claim was opened, linked as evidence.
      const handover = await (await server.request('POST', '/api/v1/captures', { token: packer, json: { orderId: 'CLM-2', kind: 'handover' } })).json();
      await uploadFiles(server, packer, handover.id, [{ name: 'handover.jpg', bytes: read('photo-orientation6-gps.jpg') }]);
      await server.request('POST', `/api/v1/captures/${handover.id}/finish`, { token: packer });
      await server.request('POST', `/api/v1/disputes/${claim.disputeId}/evidence`, { token: seller, json: { captureId: handover.id } });
      now = new Date('2026-11-26T03:00:00Z');
    });

    it('names each conflict in the claim summary, with its sentence in the language asked for', async () => {
      const summary = await summaryOf(claim.disputeId);
      expect(summary.dateConflicts.map((conflict: { code: string }) => conflict.code)).toEqual([
        'delivered_before_shipped',
        'packed_after_delivered',
        'handed_over_after_delivered',
        'handed_over_after_claim',
      ]);
      expect(summary.dateConflicts[0]).toMatchObject({
        subject: { fact: 'delivered', at: '2026-11-17T00:00:00.000Z', day: '2026-11-17' },
        reference: { fact: 'shipped', day: '2026-11-19' },
        text: 'The delivery date (2026-11-17) is before the ship date (2026-11-19).',
      });
      expect(summary.dateConflicts[1]).toMatchObject({ subject: { fact: 'packing', captureId: claim.packingId, at: '2026-11-18T01:00:00.000Z' } });
      expect(summary.dateConflicts[1].subject.day).toBeUndefined();
      expect(summary.dateConflicts[1].text).toBe('The packing was recorded at 2026-11-18 10:00:00 KST, after the delivery date (2026-11-17).');
      expect((await summaryOf(claim.disputeId, 'ko')).dateConflicts[0].text).toBe('수령일(2026-11-17)이 발송일(2026-11-19)보다 앞섭니다.');
    });

    it('flags them in the letter, right after the shipment facts', async () => {
      const dir = await unzipPacket(await server.request('GET', `/api/v1/disputes/${claim.disputeId}/claim-packet.zip?lang=en`, { token: seller }));
      const text = letterText(dir);
      const flagged = text.indexOf('Dates that do not agree');
      expect(flagged).toBeGreaterThan(text.indexOf('Shipment facts'));
      expect(flagged).toBeLessThan(text.indexOf('Filing deadline'));
      expect(text).toContain('As recorded, these dates cannot all be right.');
      expect(text).toContain('The delivery date (2026-11-17) is before the ship date (2026-11-19).');
      expect(text).toContain('The packing was recorded at 2026-11-18 10:00:00 KST, after the delivery date (2026-11-17).');
      expect(text).toMatch(/The handover to the courier was recorded at 2026-11-25 12:00:00 KST, after this claim was opened \(2026-11-18 10:00:\d\d KST\)\./);
      for (const name of namedFiles(text)) expect(fs.existsSync(path.join(dir, name)), name).toBe(true);
    });

    it('stops flagging once the order carries dates that agree', async () => {
      await server.request('PUT', '/api/v1/orders/CLM-2', { token: seller, json: { shippedAt: '2026-11-18T05:00:00Z', deliveredAt: '2026-11-20T06:00:00Z' } });
      const codes = (await summaryOf(claim.disputeId)).dateConflicts.map((conflict: { code: string }) => conflict.code);
      expect(codes).toEqual(['handed_over_after_delivered', 'handed_over_after_claim']);
    });
  });
});
