// A dispute worth a packet, made through the real API: an order with items, carrier, tracking number and
// dates; a weighed packing whose photos (the first tagged as the label close-up) and video are the
// evidence; a dispute against whoever the test names. For the recipient-packet tests.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { setUpShop, tempDir, type TestServer } from '../helpers/server';

export interface PacketCase {
  seller: string;
  packer: string;
  disputeId: string;
  orderId: string;
  media: { id: string; type: string; sha256: string; bytes: number; mime: string; durationMs?: number }[];
}

export interface CaseMedia {
  photos: string[];
  video: string;
  /** The photos' captions, in order, as the packer app sends them. */
  captions?: string[];
}

const ok = async (response: Promise<Response>) => {
  const answer = await response;
  if (answer.status >= 300) throw new Error(`${answer.status} ${await answer.text()}`);
  return answer.json();
};

/** Sets up the shop (once per server) and makes one packed order with a dispute about it. */
export async function makePacketCase(
  server: TestServer,
  media: CaseMedia,
  { orderId, counterparty, reason = 'item_missing', channel, shop, respondBy = '2026-12-01T14:59:00.000Z', deliveredAt = '2026-11-22T09:30:00.000Z' }: {
    orderId: string; counterparty: string; reason?: string; channel?: string; shop?: { seller: string; packer: string };
    /** null: none entered. */
    respondBy?: string | null;
    deliveredAt?: string;
  },
): Promise<PacketCase> {
  const tokens = shop ?? (await (async () => {
    const made = await setUpShop(server, 'Asia/Seoul');
    return { seller: await made.token('seller'), packer: (await made.deviceToken('Packing phone')).token };
  })());
  const { seller, packer } = tokens;
  await ok(server.request('PUT', `/api/v1/orders/${orderId}`, {
    token: seller,
    json: {
      ...(channel ? { channel } : {}),
      buyer: { ref: 'b-1', name: 'Kim Minjun' },
      items: [{ sku: 'MUG-2', name: 'Ceramic mug', quantity: 2, unitWeightGrams: 380 }, { sku: 'TRAY-1', name: 'Walnut tray', quantity: 1, unitWeightGrams: 640 }],
      packagingWeightGrams: 150,
      carrier: 'CJ Logistics',
      trackingNumbers: ['601234567890'],
      shippedAt: '2026-11-20T07:00:00.000Z',
      deliveredAt,
    },
  }));
  const packing = await ok(server.request('POST', '/api/v1/captures', {
    token: packer,
    json: { orderId, kind: 'packing', weight: { value: 1552, unit: 'g' }, station: 'Station 2' },
  }));
  const uploaded: PacketCase['media'] = [];
  // A few files a request, as the packer app sends them.
  const files = [...media.photos.map((file, index) => ({ file, tag: index === 0 ? 'label_closeup' : '', caption: media.captions?.[index] ?? '' })), { file: media.video, tag: '', caption: '' }];
  for (let start = 0; start < files.length; start += 4) {
    const form = new FormData();
    for (const { file, tag, caption } of files.slice(start, start + 4)) {
      form.append('tags', tag);
      form.append('caption', caption);
      form.append('file', new Blob([new Uint8Array(fs.readFileSync(file))]), path.basename(file));
    }
    const answer = await ok(server.request('POST', `/api/v1/captures/${packing.id}/media`, { token: packer, body: form }));
    uploaded.push(...answer.media);
  }
  await ok(server.request('POST', `/api/v1/captures/${packing.id}/finish`, { token: packer }));
  const dispute = await ok(server.request('POST', '/api/v1/disputes', {
    token: seller,
    json: { orderId, reason, counterparty, reference: 'CASE-77', ...(respondBy ? { respondBy } : {}), note: 'Buyer says one mug was missing.' },
  }));
  await ok(server.request('POST', `/api/v1/disputes/${dispute.id}/evidence`, { token: seller, json: { captureId: packing.id } }));
  return { seller, packer, disputeId: dispute.id, orderId, media: uploaded };
}

const downloads: string[] = [];

/** Removes every packet this test file downloaded (a Coupang packet is tens of megabytes twice over). */
export function removeDownloads(): void {
  for (const dir of downloads.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Downloads a packet and unzips it; answers the folder and the response. */
export async function downloadPacket(server: TestServer, token: string, disputeId: string, recipient: string, lang = 'en') {
  const response = await server.request('GET', `/api/v1/disputes/${disputeId}/packets/${recipient}.zip?lang=${lang}`, { token });
  if (response.status !== 200) throw new Error(`${response.status} ${await response.text()}`);
  const dir = tempDir('packtrail-packet-');
  downloads.push(dir);
  const zip = path.join(dir, 'packet.zip');
  fs.writeFileSync(zip, Buffer.from(await response.arrayBuffer()));
  execFileSync('unzip', ['-q', zip, '-d', path.join(dir, 'packet')]);
  return { dir: path.join(dir, 'packet'), response };
}

/** What a file is by its first bytes, as a recipient's upload check decides it. */
export function magicType(file: string): 'jpeg' | 'png' | 'gif' | 'pdf' | 'mp4' | 'avi' | 'wmv' | 'other' {
  const head = Buffer.alloc(16);
  const fd = fs.openSync(file, 'r');
  fs.readSync(fd, head, 0, 16, 0);
  fs.closeSync(fd);
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (head.subarray(0, 4).toString('latin1') === 'GIF8') return 'gif';
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (head.subarray(4, 8).toString('latin1') === 'ftyp') return 'mp4';
  if (head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 11).toString('latin1') === 'AVI') return 'avi';
  if (head.subarray(0, 4).equals(Buffer.from([0x30, 0x26, 0xb2, 0x75]))) return 'wmv';
  return 'other';
}

/** Every file under a folder, relative paths. */
export function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

export const expectStatus = async (response: Response, status: number) => {
  if (response.status !== status) expect(`${response.status} ${await response.text()}`).toBe(status);
};
