// Photo headers, thumbnails and EXIF, against the real files in tests/fixtures.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ImageTooLargeError,
  UnreadableImageError,
  UnsupportedImageError,
  readExif,
  readImageInfo,
  writeThumbnail,
} from '../../storage/images';
import { ffmpegPath } from '../../storage/video';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const PHONE_LIMIT = { maxPixels: 100_000_000 };

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'packtrail-images-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// Decoded by ffmpeg rather than sharp, so the check does not trust the code under test.
function colorAt(jpeg: string, width: number, x: number, y: number): 'red' | 'green' | 'blue' | 'other' {
  const rgb = execFileSync(ffmpegPath, ['-v', 'error', '-i', jpeg, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
  const [r, g, b] = rgb.subarray((y * width + x) * 3, (y * width + x) * 3 + 3);
  if (r > 180 && g < 80 && b < 80) return 'red';
  if (g > 180 && r < 80 && b < 80) return 'green';
  if (b > 150 && r < 80 && g < 100) return 'blue';
  return 'other';
}

describe('readImageInfo', () => {
  it('reports a sideways-stored phone photo at its upright size', async () => {
    await expect(readImageInfo(fixture('photo-orientation6-gps.jpg'), PHONE_LIMIT)).resolves.toEqual({
      width: 480,
      height: 640,
      format: 'jpeg',
      orientation: 6,
    });
  });

  it('reads PNG and WebP headers', async () => {
    await expect(readImageInfo(fixture('photo.png'), PHONE_LIMIT)).resolves.toEqual({ width: 320, height: 240, format: 'png' });
    await expect(readImageInfo(fixture('photo.webp'), PHONE_LIMIT)).resolves.toEqual({ width: 320, height: 240, format: 'webp' });
  });

  it('reads an iPhone HEIC header even though this build cannot decode HEIC pixels', async () => {
    await expect(readImageInfo(fixture('photo-hevc.heic'), PHONE_LIMIT)).resolves.toEqual({ width: 128, height: 96, format: 'heic' });
  });

  it('refuses a tiny PNG claiming 100000×100000 pixels at once, without decoding it', async () => {
    const started = performance.now();
    const error = await readImageInfo(fixture('huge-pixels.png'), PHONE_LIMIT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageTooLargeError);
    expect(error).toMatchObject({ width: 100_000, height: 100_000 });
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('refuses a renamed executable as unreadable', async () => {
    await expect(readImageInfo(fixture('not-an-image.jpg'), PHONE_LIMIT)).rejects.toBeInstanceOf(UnreadableImageError);
  });

  it('refuses image formats that are not photos, such as SVG', async () => {
    const svg = path.join(dir, 'drawing.svg');
    fs.writeFileSync(svg, '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');
    await expect(readImageInfo(svg, PHONE_LIMIT)).rejects.toBeInstanceOf(UnreadableImageError);
  });

  it('lets a missing file fail as a missing file, not as a bad upload', async () => {
    await expect(readImageInfo(path.join(dir, 'nowhere.jpg'), PHONE_LIMIT)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('writeThumbnail', () => {
  it('turns an orientation-6 photo upright within 480 px, the top band ending up on the right', async () => {
    const thumb = path.join(dir, 'upright.jpg');
    const size = await writeThumbnail(fixture('photo-orientation6-gps.jpg'), thumb, PHONE_LIMIT);

    expect(size).toEqual({ width: 360, height: 480 });
    await expect(readImageInfo(thumb, PHONE_LIMIT)).resolves.toEqual({ width: 360, height: 480, format: 'jpeg' });
    // Stored with the red band on top and a green corner top-left; turned 90° clockwise for display.
    expect(colorAt(thumb, 360, 350, 240)).toBe('red');
    expect(colorAt(thumb, 360, 350, 10)).toBe('green');
    expect(colorAt(thumb, 360, 10, 240)).toBe('blue');
  });

  it('strips the location and camera details from the thumbnail', async () => {
    const thumb = path.join(dir, 'stripped.jpg');
    await writeThumbnail(fixture('photo-orientation6-gps.jpg'), thumb, PHONE_LIMIT);
    await expect(readExif(thumb)).resolves.toBeUndefined();
  });

  it('never enlarges a small image and honours a smaller long side', async () => {
    await expect(writeThumbnail(fixture('photo.png'), path.join(dir, 'small.jpg'), PHONE_LIMIT)).resolves.toEqual({ width: 320, height: 240 });
    await expect(
      writeThumbnail(fixture('photo.webp'), path.join(dir, 'tiny.jpg'), { ...PHONE_LIMIT, longSide: 100 }),
    ).resolves.toEqual({ width: 100, height: 75 });
  });

  it('writes only the thumbnail into the output folder, no temporary files', async () => {
    const outDir = fs.mkdtempSync(path.join(dir, 'clean-'));
    await writeThumbnail(fixture('photo.png'), path.join(outDir, 'thumb.jpg'), PHONE_LIMIT);
    expect(fs.readdirSync(outDir)).toEqual(['thumb.jpg']);
    expect(fs.readFileSync(path.join(outDir, 'thumb.jpg')).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  });

  it('refuses to decode an image over the pixel limit', async () => {
    const outFile = path.join(dir, 'over-limit.jpg');
    await expect(writeThumbnail(fixture('photo.png'), outFile, { maxPixels: 1000 })).rejects.toBeInstanceOf(ImageTooLargeError);
    await expect(writeThumbnail(fixture('huge-pixels.png'), outFile, PHONE_LIMIT)).rejects.toBeInstanceOf(ImageTooLargeError);
    expect(fs.existsSync(outFile)).toBe(false);
  });

  it('says plainly that HEIC cannot be decoded here, and writes nothing', async () => {
    const outDir = fs.mkdtempSync(path.join(dir, 'heic-'));
    const error = await writeThumbnail(fixture('photo-hevc.heic'), path.join(outDir, 'thumb.jpg'), PHONE_LIMIT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedImageError);
    expect((error as Error).message).toMatch(/HEVC/);
    expect(fs.readdirSync(outDir)).toEqual([]);
  });

  it('fails a truncated JPEG instead of serving half a picture, and writes nothing', async () => {
    const outDir = fs.mkdtempSync(path.join(dir, 'truncated-'));
    await expect(writeThumbnail(fixture('truncated.jpg'), path.join(outDir, 'thumb.jpg'), PHONE_LIMIT)).rejects.toBeInstanceOf(
      UnreadableImageError,
    );
    expect(fs.readdirSync(outDir)).toEqual([]);
  });
});

describe('readExif', () => {
  it('reads the camera time as written, its UTC offset, the GPS position and the camera', async () => {
    const exif = await readExif(fixture('photo-orientation6-gps.jpg'));
    expect(exif).toEqual({
      takenAt: '2026-05-01T14:03:12',
      offset: '+09:00',
      make: 'Packtrail',
      model: 'Fixture Cam 6',
      gps: { latitude: expect.closeTo(37.5665, 4), longitude: expect.closeTo(126.978, 4), altitude: 38 },
    });
  });

  it('returns undefined, never an error, when there is no EXIF to read', async () => {
    for (const name of ['photo.png', 'photo.webp', 'huge-pixels.png', 'not-an-image.jpg', 'document.pdf', 'missing.jpg']) {
      await expect(readExif(fixture(name)), name).resolves.toBeUndefined();
    }
  });
});
