// An unzipped evidence bundle on disk for the verifier tests: a real JPEG and a real MP4 under
// media/, recorded in a real ledger, with the verification/ folder the kit service builds.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ffmpeg from '@ffmpeg-installer/ffmpeg';
import sharp from 'sharp';
import { createVerificationKitService } from '../../server/services/ledger/verification-kit';
import { appendSamples, openLedger, sampleEntry, sha256Hex, type OpenLedger } from './ledger-fixture';

export interface BundleOnDisk {
  open: OpenLedger;
  bundleDir: string;
  photoPath: string;
  videoPath: string;
}

export async function makeBundle(): Promise<BundleOnDisk> {
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
  open.ledger.append(sampleEntry(100, { mediaId: 'photo-1', sha256: sha256Hex(photo), bytes: photo.length, mime: 'image/jpeg' }));
  open.ledger.append(sampleEntry(101, { mediaId: 'video-1', sha256: sha256Hex(video), bytes: video.length, mime: 'video/mp4' }));
  appendSamples(open, 12, 200);

  const kit = createVerificationKitService({ ledger: open.ledger }).buildVerificationKit([
    { mediaId: 'photo-1', path: photoPath },
    { mediaId: 'video-1', path: videoPath },
  ]);
  for (const file of kit.files) {
    fs.mkdirSync(path.dirname(path.join(bundleDir, file.path)), { recursive: true });
    fs.writeFileSync(path.join(bundleDir, file.path), file.content);
  }
  return { open, bundleDir, photoPath, videoPath };
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
