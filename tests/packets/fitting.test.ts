// The fitters of recipient packets against real media: copies within each limit (types by their magic
// bytes, sizes, pixels, pages by pdfinfo, clip length and codecs by ffprobe), refusals where a copy
// would not do, and originals left byte for byte as they were.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  EvidencePdfCannotFitError, PhotoCannotFitError, StillsSheetCannotFitError, evidencePdf, fitPhoto, fitVideo, stillsSheet,
} from '../../server/services/packets/fitting';
import { extractStills, ffprobePath, probeMedia } from '../../storage/video';
import { packetPhotos, packetVideo, type PacketPhoto, type PacketVideo } from '../helpers/packet-media';
import { pdfInfo, pdfText, requirePoppler } from '../reports/pdf-tools';

const MB = 1024 * 1024;
const fixture = (name: string) => path.join(import.meta.dirname, '..', 'fixtures', name);

let photos: PacketPhoto[];
let video: PacketVideo;
let work: string;
const hashesBefore = new Map<string, string>();

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const magic = (file: string) => fs.readFileSync(file).subarray(0, 12);
const isJpeg = (file: string) => magic(file).subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]));
const isPng = (file: string) => magic(file).subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
const isGif = (file: string) => magic(file).subarray(0, 6).toString('latin1') === 'GIF89a' || magic(file).subarray(0, 6).toString('latin1') === 'GIF87a';
const isMp4 = (file: string) => magic(file).subarray(4, 8).toString('latin1') === 'ftyp';
const isPdf = (file: string) => magic(file).subarray(0, 5).toString('latin1') === '%PDF-';
const photo = (name: string) => photos.find((candidate) => candidate.name === name)!;

function outDir(name: string): string {
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

interface Probed {
  format: { duration: string; format_name: string };
  streams: { codec_type: string; codec_name: string; pix_fmt?: string; width?: number; height?: number }[];
}
function ffprobe(file: string): Probed {
  return JSON.parse(execFileSync(ffprobePath, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]).toString()) as Probed;
}

/** Where the MP4's index sits: before the media data when it was written for progressive playback. */
function moovBeforeMdat(file: string): boolean {
  const head = fs.readFileSync(file).subarray(0, 4 * MB).toString('latin1');
  const moov = head.indexOf('moov');
  const mdat = head.indexOf('mdat');
  return moov !== -1 && (mdat === -1 || moov < mdat);
}

beforeAll(async () => {
  requirePoppler();
  [photos, video] = await Promise.all([packetPhotos(), packetVideo()]);
  for (const file of [...photos.map((p) => p.file), video.file]) hashesBefore.set(file, sha256(file));
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'packtrail-fitting-'));
}, 600_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('fitPhoto', () => {
  test('a 12-megapixel JPEG comes down under Shopify’s 2 MB as a JPEG of the same shape', async () => {
    const original = photo('label-12mp');
    expect(fs.statSync(original.file).size).toBeGreaterThan(2 * MB);
    const fitted = await fitPhoto(original.file, { formats: ['jpeg', 'png'], maxBytes: 2 * MB - 1, outDir: outDir('shopify') });
    expect(fitted.mime).toBe('image/jpeg');
    expect(isJpeg(fitted.file)).toBe(true);
    expect(fitted.bytes).toBe(fs.statSync(fitted.file).size);
    expect(fitted.bytes).toBeLessThan(2 * MB);
    expect(fitted.width / fitted.height).toBeCloseTo(4 / 3, 2);
    expect(path.dirname(fitted.file)).toBe(path.join(work, 'shopify'));
  });

  test('a phone photo stored sideways comes out upright, without its EXIF', async () => {
    const original = photo('sideways-phone');
    const fitted = await fitPhoto(original.file, { formats: ['jpeg'], maxBytes: 5 * MB, outDir: outDir('upright') });
    expect(fitted.height).toBeGreaterThan(fitted.width);
    const meta = await sharp(fitted.file).metadata();
    expect(meta.orientation).toBeUndefined();
    expect(meta.exif).toBeUndefined();
    expect([meta.width, meta.height]).toEqual([fitted.width, fitted.height]);
  });

  test('a pixel limit is kept however small the file already is', async () => {
    const fitted = await fitPhoto(photo('wide').file, { formats: ['jpeg'], maxBytes: 10 * MB, maxPixels: 2_000_000, outDir: outDir('pixels') });
    expect(fitted.width * fitted.height).toBeLessThanOrEqual(2_000_000);
    expect(fitted.width / fitted.height).toBeCloseTo(16 / 9, 1);
  });

  test('a recipient that takes PNG only gets a PNG, and GIF only a GIF, each within its limit', async () => {
    const png = await fitPhoto(photo('box-png').file, { formats: ['png'], maxBytes: 1 * MB, outDir: outDir('png') });
    expect(png.mime).toBe('image/png');
    expect(isPng(png.file)).toBe(true);
    expect(png.bytes).toBeLessThanOrEqual(1 * MB);
    const gif = await fitPhoto(photo('contents').file, { formats: ['gif'], maxBytes: 1 * MB, outDir: outDir('gif') });
    expect(gif.mime).toBe('image/gif');
    expect(isGif(gif.file)).toBe(true);
    expect(gif.bytes).toBeLessThanOrEqual(1 * MB);
  });

  test('every one of the dozen photos fits Stripe’s 5 MB as a JPEG, PNGs included', async () => {
    const dir = outDir('stripe');
    for (const original of photos) {
      const fitted = await fitPhoto(original.file, { formats: ['jpeg', 'png'], maxBytes: 5 * MB, outDir: dir, name: `photo-${original.name}` });
      expect(isJpeg(fitted.file), original.name).toBe(true);
      expect(fitted.bytes, original.name).toBeLessThanOrEqual(5 * MB);
      // Never enlarged.
      expect(fitted.width, original.name).toBeLessThanOrEqual(original.width);
    }
    expect(fs.readdirSync(dir).sort()).toEqual(photos.map((p) => `photo-${p.name}.jpg`).sort());
  }, 180_000);

  test('a limit no legible copy can meet is refused, leaving no file behind', async () => {
    const dir = outDir('too-small');
    await expect(fitPhoto(photo('label-12mp').file, { formats: ['jpeg'], maxBytes: 3000, outDir: dir })).rejects.toBeInstanceOf(PhotoCannotFitError);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('fitVideo', () => {
  test('a 2-minute video is re-encoded under 8 MB as a faststart H.264/AAC MP4 of the same length', async () => {
    expect(fs.statSync(video.file).size).toBeGreaterThan(8 * MB);
    const fitted = await fitVideo(video.file, { formats: ['mp4', 'avi', 'wmv'], maxBytes: 8 * MB, continuous: true, outDir: outDir('video') });
    if ('refused' in fitted) throw new Error(`refused: ${fitted.refused}`);
    expect(fitted.bytes).toBe(fs.statSync(fitted.file).size);
    expect(fitted.bytes).toBeLessThanOrEqual(8 * MB);
    // The budget is meant to be used, not wasted: a copy far below it would be needlessly poor.
    expect(fitted.bytes).toBeGreaterThan(4 * MB);
    expect(fitted.trimmed).toBe(false);
    expect(isMp4(fitted.file)).toBe(true);
    expect(moovBeforeMdat(fitted.file)).toBe(true);
    const probed = ffprobe(fitted.file);
    expect(Number(probed.format.duration)).toBeGreaterThan(119);
    expect(Number(probed.format.duration)).toBeLessThan(121);
    expect(fitted.seconds).toBeCloseTo(Number(probed.format.duration), 0);
    const picture = probed.streams.find((s) => s.codec_type === 'video')!;
    expect(picture.codec_name).toBe('h264');
    expect(picture.pix_fmt).toBe('yuv420p');
    expect(probed.streams.find((s) => s.codec_type === 'audio')?.codec_name).toBe('aac');
  }, 300_000);

  test('a recipient that allows cuts gets the first 30 seconds when it takes no more', async () => {
    const fitted = await fitVideo(video.file, { formats: ['mp4'], maxBytes: 4 * MB, maxSeconds: 30, continuous: false, outDir: outDir('trim') });
    if ('refused' in fitted) throw new Error(`refused: ${fitted.refused}`);
    expect(fitted.trimmed).toBe(true);
    expect(fitted.bytes).toBeLessThanOrEqual(4 * MB);
    const seconds = Number(ffprobe(fitted.file).format.duration);
    expect(seconds).toBeLessThanOrEqual(30);
    expect(seconds).toBeGreaterThan(29);
  }, 300_000);

  test('a recipient that wants one continuous recording gets a refusal, not a cut', async () => {
    const dir = outDir('continuous');
    const result = await fitVideo(video.file, { formats: ['mp4'], maxBytes: 30 * MB, maxSeconds: 60, continuous: true, outDir: dir });
    expect(result).toMatchObject({ refused: 'TOO_LONG_FOR_LIMIT' });
    if (!('refused' in result)) throw new Error('not refused');
    expect(result.seconds).toBeCloseTo(120, 0);
    expect(result.neededBytes).toBeGreaterThan(0);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a size no 480p copy fits is refused with the size it would need', async () => {
    const dir = outDir('cannot-fit');
    const result = await fitVideo(video.file, { formats: ['mp4'], maxBytes: 1 * MB, continuous: false, outDir: dir });
    expect(result).toMatchObject({ refused: 'CANNOT_FIT_SIZE' });
    if (!('refused' in result)) throw new Error('not refused');
    expect(result.neededBytes).toBeGreaterThan(1 * MB);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a recipient that takes no MP4 is a mistake in its profile, said at once', async () => {
    await expect(fitVideo(video.file, { formats: ['wmv'], maxBytes: 30 * MB, continuous: true, outDir: outDir('wmv') })).rejects.toThrow(/MP4/);
  });

  test('a phone video stored sideways comes out upright, its picture turned rather than flagged', async () => {
    const sideways = fixture('clip-rotated.mp4');
    expect(await probeMedia(sideways)).toMatchObject({ width: 120, height: 160, rotation: 90 });
    const fitted = await fitVideo(sideways, { formats: ['mp4'], maxBytes: 2 * MB, continuous: true, outDir: outDir('sideways') });
    if ('refused' in fitted) throw new Error(`refused: ${fitted.refused}`);
    const made = await probeMedia(fitted.file);
    expect(made.rotation).toBeUndefined();
    expect([made.width, made.height]).toEqual([120, 160]);
  });

  test('a 1080p recording comes down to 720p to fit a bitrate too low for 1080p', async () => {
    const hd = await packetVideo({ resolution: '1080p', seconds: 20 });
    const before = sha256(hd.file);
    const fitted = await fitVideo(hd.file, { formats: ['mp4'], maxBytes: 4 * MB, continuous: true, outDir: outDir('hd') });
    if ('refused' in fitted) throw new Error(`refused: ${fitted.refused}`);
    expect(fitted.bytes).toBeLessThanOrEqual(4 * MB);
    const picture = ffprobe(fitted.file).streams.find((s) => s.codec_type === 'video')!;
    expect([picture.width, picture.height]).toEqual([1280, 720]);
    expect(sha256(hd.file)).toBe(before);
  }, 600_000);
});

describe('stillsSheet', () => {
  let stills: { file: string; offsetMs: number }[];
  beforeAll(async () => {
    stills = (await extractStills(video.file, outDir('stills'))).map((still) => ({ file: still.path, offsetMs: still.offsetMs }));
  }, 120_000);

  test('a 2-minute video’s stills make one JPEG under 1 MB, taller as it has more rows', async () => {
    expect(stills.length).toBeGreaterThan(12);
    const sheet = await stillsSheet(stills, { caption: '포장 영상 · 주문 ORDER-7 · 원본 SHA-256 3f2a…', maxBytes: 1 * MB, outDir: outDir('sheet') });
    expect(isJpeg(sheet.file)).toBe(true);
    expect(sheet.bytes).toBe(fs.statSync(sheet.file).size);
    expect(sheet.bytes).toBeLessThanOrEqual(1 * MB);
    const meta = await sharp(sheet.file).metadata();
    expect([meta.width, meta.height]).toEqual([sheet.width, sheet.height]);
    expect(sheet.height).toBeGreaterThan(sheet.width * 0.8);
  });

  test('a tighter limit gives a smaller sheet; one no sheet meets is refused', async () => {
    const small = await stillsSheet(stills, { caption: 'Packing video', maxBytes: 150_000, outDir: outDir('sheet-small') });
    expect(small.bytes).toBeLessThanOrEqual(150_000);
    await expect(stillsSheet(stills, { caption: 'Packing video', maxBytes: 4000, outDir: outDir('sheet-none') })).rejects.toBeInstanceOf(
      StillsSheetCannotFitError,
    );
  });
});

describe('evidencePdf', () => {
  const koNarrative = [
    '이 주문은 2026년 5월 1일 포장대 2번에서 포장 과정 전체가 영상으로 기록되었습니다.',
    '상자의 무게는 985 g으로, 주문 상품의 예상 무게 970 g과 일치합니다. 송장 번호는 601234567890입니다.',
  ];

  test('a Korean narrative, facts and a dozen photos fit Stripe’s limits, and the Korean text reads back', async () => {
    const pdf = await evidencePdf({
      language: 'ko',
      title: '분쟁 증거 자료 · 주문 ORDER-7',
      narrative: koNarrative,
      facts: [{ label: '주문 번호', value: 'ORDER-7' }, { label: '택배사', value: 'CJ대한통운' }],
      images: photos.map((p) => ({ file: p.file, caption: `사진 ${p.name}` })),
      maxPages: 19,
      maxBytes: 5 * MB,
      outDir: outDir('pdf-stripe'),
    });
    expect(isPdf(pdf.file)).toBe(true);
    expect(pdf.bytes).toBe(fs.statSync(pdf.file).size);
    expect(pdf.bytes).toBeLessThanOrEqual(5 * MB);
    expect(Number(pdfInfo(pdf.file).Pages)).toBe(pdf.pages);
    expect(pdf.pages).toBeLessThanOrEqual(19);
    expect(pdf.picturesIncluded).toBe(12);
    expect(pdf.picturesLeftOut).toBe(0);
    const text = pdfText(pdf.file);
    expect(text).toContain('포장 과정 전체가 영상으로 기록되었습니다');
    expect(text).toContain('CJ대한통운');
    expect(text).not.toContain('원본 전체가 변경 없이');
  }, 180_000);

  test('a three-page limit leaves pictures out, and the last page names them and points to the originals', async () => {
    const pdf = await evidencePdf({
      language: 'ko',
      title: '분쟁 증거 자료',
      narrative: koNarrative,
      facts: [{ label: '주문 번호', value: 'ORDER-7' }],
      images: photos.map((p) => ({ file: p.file, caption: `사진 ${p.name}` })),
      maxPages: 3,
      maxBytes: 14.5 * MB,
      outDir: outDir('pdf-three'),
    });
    expect(Number(pdfInfo(pdf.file).Pages)).toBeLessThanOrEqual(3);
    expect(pdf.picturesLeftOut).toBeGreaterThan(0);
    expect(pdf.picturesIncluded + pdf.picturesLeftOut).toBe(12);
    const lastPage = execFileSync('pdftotext', ['-enc', 'UTF-8', '-f', String(pdf.pages), '-l', String(pdf.pages), pdf.file, '-']).toString();
    expect(lastPage).toContain(`사진 ${pdf.picturesLeftOut}장`);
    expect(lastPage).toContain('사진 tiny');
    expect(lastPage.replace(/\s+/g, ' ')).toContain('원본 전체를 변경 없이');
  }, 180_000);

  test('a byte limit is met by smaller pictures before any is left out', async () => {
    const pdf = await evidencePdf({
      language: 'zh-TW',
      title: '爭議證據文件',
      narrative: ['本訂單的包裝過程已全程錄影，包裹重量為 985 公克。'],
      facts: [{ label: '訂單編號', value: 'ORDER-7' }],
      images: photos.slice(0, 6).map((p) => ({ file: p.file, caption: p.name })),
      maxPages: 50,
      maxBytes: 900_000,
      outDir: outDir('pdf-bytes'),
    });
    expect(pdf.bytes).toBeLessThanOrEqual(900_000);
    expect(pdf.picturesIncluded).toBe(6);
    expect(pdfText(pdf.file)).toContain('包裝過程已全程錄影');
  }, 180_000);

  test('a picture no decoder here reads (HEVC HEIC) is named as left out, the rest still shown', async () => {
    const pdf = await evidencePdf({
      language: 'en',
      title: 'Evidence',
      narrative: ['The parcel was packed on camera.'],
      facts: [],
      images: [{ file: photo('waybill').file, caption: 'The waybill' }, { file: fixture('photo-hevc.heic'), caption: 'An iPhone photo' }],
      maxPages: 5,
      maxBytes: 5 * MB,
      outDir: outDir('pdf-heic'),
    });
    expect(pdf).toMatchObject({ picturesIncluded: 1, picturesLeftOut: 1 });
    expect(pdfText(pdf.file)).toContain('An iPhone photo');
  });

  test('a document whose words alone pass the limits is refused', async () => {
    await expect(
      evidencePdf({
        language: 'en', title: 'Evidence', narrative: ['word '.repeat(400)], facts: [], images: [], maxPages: 1, maxBytes: 2000, outDir: outDir('pdf-none'),
      }),
    ).rejects.toBeInstanceOf(EvidencePdfCannotFitError);
  });
});

test('no fitter changed a byte of any original', () => {
  for (const [file, hash] of hashesBefore) expect(sha256(file), file).toBe(hash);
});
