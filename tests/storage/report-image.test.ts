// Pictures for the PDF report: upright, bounded, re-encoded from the original.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageTooLargeError, UnsupportedImageError, writeReportImage } from '../../storage/images';
import { ffprobePath } from '../../storage/video';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const LIMIT = { maxPixels: 100_000_000 };
const sizeOf = (file: string) =>
  JSON.parse(execFileSync(ffprobePath, ['-v', 'error', '-of', 'json', '-show_streams', file]).toString()).streams[0] as { codec_name: string; width: number; height: number };

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'packtrail-report-image-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('writeReportImage', () => {
  it('writes a phone photo upright as a JPEG, never enlarged', async () => {
    const out = path.join(dir, 'oriented.jpg');
    await expect(writeReportImage(fixture('photo-orientation6-gps.jpg'), out, LIMIT)).resolves.toEqual({ width: 480, height: 640 });
    expect(sizeOf(out)).toMatchObject({ codec_name: 'mjpeg', width: 480, height: 640 });
  });

  it('shrinks to the long side asked for, and turns PNG and WebP into JPEG', async () => {
    await expect(writeReportImage(fixture('photo-orientation6-gps.jpg'), path.join(dir, 'small.jpg'), { ...LIMIT, longSide: 200 })).resolves.toEqual({
      width: 150,
      height: 200,
    });
    for (const name of ['photo.png', 'photo.webp']) {
      const out = path.join(dir, `${name}.jpg`);
      await writeReportImage(fixture(name), out, LIMIT);
      expect(sizeOf(out).codec_name).toBe('mjpeg');
    }
  });

  it('refuses what thumbnails refuse: pixel bombs and undecodable HEIC', async () => {
    await expect(writeReportImage(fixture('huge-pixels.png'), path.join(dir, 'bomb.jpg'), LIMIT)).rejects.toBeInstanceOf(ImageTooLargeError);
    await expect(writeReportImage(fixture('photo-hevc.heic'), path.join(dir, 'heic.jpg'), LIMIT)).rejects.toBeInstanceOf(UnsupportedImageError);
    expect(fs.existsSync(path.join(dir, 'bomb.jpg'))).toBe(false);
  });
});
