// An unzipped evidence bundle on disk for the verifier tests: a real JPEG and a real MP4 under
// media/, recorded in a real ledger with the facts of the capture that made them, the verification/
// folder the kit service builds, a report, a manifest, and the export statement signed over them all
// (as bundle.service.ts lays them out).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ffmpeg from '@ffmpeg-installer/ffmpeg';
import sharp from 'sharp';
import { createHash } from 'node:crypto';
import type { CaptureFactsInput } from '../../server/services/ledger/capture-facts-entry';
import { createVerificationKitService } from '../../server/services/ledger/verification-kit';
import { appendSamples, openLedger, sampleEntry, sha256Hex, type OpenLedger } from './ledger-fixture';

export interface BundleOnDisk {
  open: OpenLedger;
  bundleDir: string;
  photoPath: string;
  videoPath: string;
  /** The capture whose facts are in the log, and the one finished before facts were logged. */
  captureId: string;
  oldCaptureId: string;
  factsIndex: number;
}

export const fixtureOrderId = 'ORDER-7';

/** The facts the fixture's packing capture finished with. */
export function fixtureFacts(media: CaptureFactsInput['media']): CaptureFactsInput {
  return {
    captureId: 'c0ffee00-0000-4000-8000-000000000001',
    orderId: fixtureOrderId,
    kind: 'packing',
    recordedBy: { kind: 'device', id: 'd0000000-0000-4000-8000-00000000000d', name: 'Station 2 phone' },
    station: 'Station 2',
    startedAt: '2026-05-01T05:03:00.000Z',
    finishedAt: '2026-05-01T05:09:30.000Z',
    weight: { grams: 985, value: 0.985, unit: 'kg' },
    expectedGrams: 970,
    trackingNumber: '601234567890',
    checklist: [
      { item: 'outer_box', result: 'ok' },
      { item: 'seal', result: 'issue', note: 'Tape lifted\non one side' },
    ],
    outcome: null,
    note: null,
    media,
  };
}

/** `publicUrl`: PUBLIC_URL of the exporting server, so the bundle says where the shop's key is published. */
export async function makeBundle({ publicUrl }: { publicUrl?: string } = {}): Promise<BundleOnDisk> {
  const open = openLedger();
  const bundleDir = path.join(open.dir, 'bundle');
  fs.mkdirSync(path.join(bundleDir, 'media'), { recursive: true });

  const photoPath = 'media/packing-photo.jpg';
  const photo = await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 200, g: 120, b: 40 } } })
    .jpeg()
    .toBuffer();
  fs.writeFileSync(path.join(bundleDir, photoPath), photo);

  const videoPath = 'media/packing-video.mp4';
  execFileSync(ffmpeg.path, [
    '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=duration=1:size=160x120:rate=10',
    '-pix_fmt', 'yuv420p', '-y', path.join(bundleDir, videoPath),
  ]);
  const video = fs.readFileSync(path.join(bundleDir, videoPath));

  // Other shops' evidence before and after ours, so the proofs are not trivial.
  appendSamples(open, 37);
  const captureId = fixtureFacts([]).captureId;
  const oldCaptureId = 'c0ffee00-0000-4000-8000-000000000002';
  const entry = { captureId, orderId: fixtureOrderId };
  open.ledger.append(sampleEntry(100, { mediaId: 'photo-1', sha256: sha256Hex(photo), bytes: photo.length, mime: 'image/jpeg', ...entry }));
  open.ledger.append(sampleEntry(101, { mediaId: 'video-1', sha256: sha256Hex(video), bytes: video.length, mime: 'video/mp4', ...entry }));
  appendSamples(open, 5, 200);
  const factsIndex = open.ledger.appendCaptureFacts(
    fixtureFacts([{ id: 'photo-1', sha256: sha256Hex(photo) }, { id: 'video-1', sha256: sha256Hex(video) }]),
  ).index;
  appendSamples(open, 6, 300);

  const kitService = createVerificationKitService({ ledger: open.ledger, publicUrl });
  const kit = kitService.buildVerificationKit(
    [
      { mediaId: 'photo-1', path: photoPath },
      { mediaId: 'video-1', path: videoPath },
    ],
    [
      { id: oldCaptureId, kind: 'unboxing', finished: true },
      { id: captureId, kind: 'packing', finished: true },
    ],
  );
  const write = (file: string, content: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(bundleDir, file)), { recursive: true });
    fs.writeFileSync(path.join(bundleDir, file), content);
  };
  for (const file of kit.files) write(file.path, file.content);
  const documents = [
    { path: 'README.txt', kind: 'readme', content: Buffer.from('How to read this bundle\n') },
    { path: 'report.pdf', kind: 'report', content: reportPdf() },
  ];
  for (const document of documents) write(document.path, document.content);
  const hashOf = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');
  const files = [
    ...documents.map((document) => ({ path: document.path, kind: document.kind, sha256: hashOf(document.content), bytes: document.content.length })),
    { path: photoPath, kind: 'original', sha256: sha256Hex(photo), bytes: photo.length },
    { path: videoPath, kind: 'original', sha256: sha256Hex(video), bytes: video.length },
    ...kit.files.map((file) => ({ path: file.path, kind: 'verification', sha256: hashOf(file.content), bytes: Buffer.byteLength(file.content) })),
  ];
  const manifest = Buffer.from(`${JSON.stringify({ format: 'packtrail-bundle/v1', files }, null, 2)}\n`);
  write('manifest.json', manifest);
  const checkpoint = open.ledger.latestCheckpoint()!;
  const statement = kitService.signExportStatement({
    checkpoint: { size: checkpoint.size, rootHash: checkpoint.rootHash, origin: open.ledger.origin },
    exportedAt: new Date('2026-05-02T01:00:00Z'),
    dispute: { id: 'd1500000-0000-4000-8000-000000000001', orderId: fixtureOrderId },
    files,
    manifest,
    captureFacts: kit.captureFacts,
    keyUrl: kit.keyUrl,
  });
  write(statement.path, statement.content);
  return { open, bundleDir, photoPath, videoPath, captureId, oldCaptureId, factsIndex };
}

/** A small, real one-page PDF: the verifiers only hash it, but a reader could open it. */
function reportPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    '<< /Length 44 >>\nstream\nBT /F1 12 Tf 20 50 Td (Case report) Tj ET\nendstream',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A copy of the bundle to damage without touching the original. */
export function copyBundle(bundle: BundleOnDisk, name: string): string {
  const copy = path.join(bundle.open.dir, name);
  fs.cpSync(bundle.bundleDir, copy, { recursive: true });
  return copy;
}

export function flipByte(file: string, offset: number): void {
  const bytes = fs.readFileSync(file);
  bytes[offset % bytes.length] ^= 0x01;
  fs.writeFileSync(file, bytes);
}

function editText(file: string, edit: (text: string) => string): void {
  const before = fs.readFileSync(file, 'utf8');
  const after = edit(before);
  if (after === before) throw new Error(`the edit changed nothing in ${file}`);
  fs.writeFileSync(file, after);
}

/** Edits a capture's facts entry inside capture-facts.json, the way someone with a text editor would. */
export function editFactsEntry(bundleDir: string, edit: (entry: string) => string): void {
  editText(path.join(bundleDir, 'verification/capture-facts.json'), (text) => {
    const document = JSON.parse(text);
    document.captures[0].entry = edit(document.captures[0].entry);
    return `${JSON.stringify(document, null, 2)}\n`;
  });
}

/**
 * Puts another original of the same log in the photo's place, with that original's own entry and
 * inclusion proof in proofs.json: bytes, entry and proof all agree, only the export statement knows
 * the photo was exported there.
 */
export function swapPhotoForVideo(bundleDir: string, bundle: BundleOnDisk): void {
  fs.copyFileSync(path.join(bundleDir, bundle.videoPath), path.join(bundleDir, bundle.photoPath));
  editText(path.join(bundleDir, 'verification/proofs.json'), (text) => {
    const proofs = JSON.parse(text);
    const photo = proofs.files.find((file: { path: string }) => file.path === bundle.photoPath);
    const video = proofs.files.find((file: { path: string }) => file.path === bundle.videoPath);
    Object.assign(photo, { ...video, path: bundle.photoPath });
    return `${JSON.stringify(proofs, null, 2)}\n`;
  });
}

/**
 * What a hostile tamperer might do to an exported bundle, each with what the verifiers must name.
 * `names`: text verify.mjs must print; `failed`: what verify.html must mark failed (a file's path,
 * `capture:<id>` for a capture's facts, `statement` for the export statement).
 */
export const tamperings: { name: string; edit: (dir: string, bundle: BundleOnDisk) => void; names: RegExp; failed: string }[] = [
  {
    name: 'an edited manifest.json',
    edit: (dir) => editText(path.join(dir, 'manifest.json'), (text) => text.replace('"README.txt"', '"README-2.txt"')),
    names: /- document: manifest\.json was changed after export/,
    failed: 'manifest.json',
  },
  {
    name: 'a re-ordered manifest.json',
    edit: (dir) =>
      editText(path.join(dir, 'manifest.json'), (text) => {
        const manifest = JSON.parse(text);
        manifest.files.reverse();
        return `${JSON.stringify(manifest, null, 2)}\n`;
      }),
    names: /- document: manifest\.json was changed after export/,
    failed: 'manifest.json',
  },
  {
    name: 'an edited report.pdf',
    edit: (dir) => editText(path.join(dir, 'report.pdf'), (text) => text.replace('(Case report)', '(Case rep0rt)')),
    names: /- document: report\.pdf was changed after export/,
    failed: 'report.pdf',
  },
  {
    name: 'a deleted report.pdf',
    edit: (dir) => fs.rmSync(path.join(dir, 'report.pdf')),
    names: /- document: report\.pdf is missing: the export made it/,
    failed: 'report.pdf',
  },
  {
    name: 'an edited weight in the capture facts',
    edit: (dir) => editFactsEntry(dir, (entry) => entry.replace('weight-grams 985\n', 'weight-grams 1040\n')),
    names: /- capture facts: the weight was changed: the log recorded "985 g", this bundle says "1040 g"/,
    failed: 'capture:c0ffee00-0000-4000-8000-000000000001',
  },
  {
    name: 'an edited checklist finding in the capture facts',
    edit: (dir) => editFactsEntry(dir, (entry) => entry.replace('check issue "seal"', 'check ok "seal"')),
    names: /- capture facts: the checklist was changed: the log recorded "ok "outer_box" \| issue "seal"", this bundle says "ok "outer_box" \| ok "seal""/,
    failed: 'capture:c0ffee00-0000-4000-8000-000000000001',
  },
  {
    name: 'capture facts removed',
    edit: (dir) => editText(path.join(dir, 'verification/capture-facts.json'), (text) => {
      const document = JSON.parse(text);
      document.captures = [];
      return JSON.stringify(document);
    }),
    names: /- capture facts: the facts of capture c0ffee00-0000-4000-8000-000000000001 were removed/,
    failed: 'capture:c0ffee00-0000-4000-8000-000000000001',
  },
  {
    name: 'a deleted export statement',
    edit: (dir) => fs.rmSync(path.join(dir, 'verification/export-statement.txt')),
    names: /- export statement: verification\/export-statement\.txt is missing/,
    failed: 'statement',
  },
  {
    name: 'an edited export statement',
    edit: (dir) => editText(path.join(dir, 'verification/export-statement.txt'), (text) => text.replace('order ORDER-7', 'order ORDER-8')),
    names: /- export statement: verification\/export-statement\.txt was changed after export or not signed by this log's key/,
    failed: 'statement',
  },
  {
    name: 'a file added to media/',
    edit: (dir) => fs.writeFileSync(path.join(dir, 'media/03-packing-photo-extra.jpg'), 'not from the shop'),
    names: /- added file: media\/03-packing-photo-extra\.jpg was added after export: it is not part of the exported bundle/,
    failed: 'media/03-packing-photo-extra.jpg',
  },
];
