// Real media for recipient-packet tests and the packets benchmark: a 2-minute video (small for ordinary
// tests, 1080p for the benchmark) and a dozen varied photos (a 12-megapixel JPEG, a sideways phone
// photo, PNGs, small and large), made with ffmpeg and sharp. Made once and kept under the system's
// temporary folder, keyed by what was asked for, so every test file (and every later run) reuses them;
// test files asking at once wait for the first to finish instead of making their own.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp, { type OverlayOptions } from 'sharp';
import { ffmpegPath } from '../../storage/video';

const execFileAsync = promisify(execFile);

// Bump when what is made changes, so an old cache is never mistaken for the new media.
const VERSION = 2;
const CACHE_ROOT = path.join(os.tmpdir(), `packtrail-packet-media-v${VERSION}`);
// A maker that died leaves its lock behind; after this long another may take over.
const STALE_LOCK_MS = 2 * 60_000;

export type VideoResolution = 'small' | '1080p';

export interface PacketVideo {
  file: string;
  seconds: number;
  width: number;
  height: number;
}

export interface PacketPhoto {
  file: string;
  /** What it stands for, used as its caption. */
  name: string;
  format: 'jpeg' | 'png';
  /** Upright (after EXIF orientation). */
  width: number;
  height: number;
  /** EXIF orientation, when the stored pixels are turned. */
  orientation?: 6;
}

const VIDEO_SHAPES: Record<VideoResolution, { width: number; height: number; rate: number; videoArgs: string[]; filter: string }> = {
  // Cheap to make and to re-encode: what ordinary tests fit to a limit.
  small: { width: 640, height: 360, rate: 25, videoArgs: ['-crf', '26'], filter: '' },
  // A phone's 1080p at a phone's bitrate: fine grain (as a sensor gives) keeps the encoder honest.
  '1080p': { width: 1920, height: 1080, rate: 30, videoArgs: ['-b:v', '12M', '-maxrate', '12M', '-bufsize', '24M'], filter: ',noise=alls=8:allf=t' },
};

/** A 2-minute (by default) H.264/AAC MP4 with a moving test picture and a tone. */
export async function packetVideo(opts: { resolution?: VideoResolution; seconds?: number } = {}): Promise<PacketVideo> {
  const resolution = opts.resolution ?? 'small';
  const seconds = opts.seconds ?? 120;
  const shape = VIDEO_SHAPES[resolution];
  const dir = await cached(`video-${resolution}-${seconds}s`, async (into) => {
    await execFileAsync(
      ffmpegPath,
      [
        '-nostdin', '-hide_banner', '-loglevel', 'error',
        '-f', 'lavfi', '-i', `testsrc2=size=${shape.width}x${shape.height}:rate=${shape.rate}:duration=${seconds}`,
        '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`,
        '-vf', `format=yuv420p${shape.filter}`,
        '-c:v', 'libx264', '-preset', 'ultrafast', ...shape.videoArgs, '-pix_fmt', 'yuv420p',
        '-c:a', 'aac', '-b:a', '128k',
        '-shortest', '-movflags', '+faststart',
        '-y', path.join(into, 'video.mp4'),
      ],
      { timeout: 30 * 60_000 },
    );
  });
  return { file: path.join(dir, 'video.mp4'), seconds, width: shape.width, height: shape.height };
}

interface PhotoRecipe {
  name: string;
  format: 'jpeg' | 'png';
  /** Upright; with `orientation` 6 the stored pixels are turned a quarter left (height × width). */
  width: number;
  height: number;
  orientation?: 6;
  quality?: number;
  /** How much fine grain (0–60): more grain, bigger file, as a photo of a textured box gives. */
  grain: number;
  alpha?: boolean;
}

const PHOTO_RECIPES: PhotoRecipe[] = [
  { name: 'label-12mp', format: 'jpeg', width: 4000, height: 3000, quality: 92, grain: 30 },
  { name: 'sideways-phone', format: 'jpeg', width: 3024, height: 4032, orientation: 6, quality: 88, grain: 20 },
  { name: 'screenshot', format: 'png', width: 1170, height: 2532, grain: 0, alpha: true },
  { name: 'box-png', format: 'png', width: 2400, height: 1800, grain: 18 },
  { name: 'portrait-12mp', format: 'jpeg', width: 3024, height: 4032, quality: 85, grain: 18 },
  { name: 'square', format: 'jpeg', width: 3000, height: 3000, quality: 85, grain: 12 },
  { name: 'wide', format: 'jpeg', width: 4000, height: 2250, quality: 80, grain: 10 },
  { name: 'seal', format: 'jpeg', width: 2048, height: 1536, quality: 90, grain: 25 },
  { name: 'scale', format: 'jpeg', width: 1920, height: 1080, quality: 85, grain: 8 },
  { name: 'contents', format: 'jpeg', width: 1280, height: 960, quality: 85, grain: 15 },
  { name: 'waybill', format: 'jpeg', width: 800, height: 600, quality: 90, grain: 5 },
  { name: 'tiny', format: 'jpeg', width: 640, height: 480, quality: 75, grain: 5 },
];

/** Twelve photos of varied sizes and kinds, each a real, decodable file. */
export async function packetPhotos(): Promise<PacketPhoto[]> {
  const dir = await cached('photos', async (into) => {
    for (const [index, recipe] of PHOTO_RECIPES.entries()) await makePhoto(recipe, index, into);
  });
  return PHOTO_RECIPES.map((recipe) => ({
    file: path.join(dir, `${recipe.name}.${recipe.format === 'jpeg' ? 'jpg' : 'png'}`),
    name: recipe.name,
    format: recipe.format,
    width: recipe.width,
    height: recipe.height,
    ...(recipe.orientation ? { orientation: recipe.orientation } : {}),
  }));
}

async function makePhoto(recipe: PhotoRecipe, index: number, into: string): Promise<void> {
  const { width, height } = recipe;
  const channels = recipe.alpha ? 4 : 3;
  const hue = (index * 47) % 360;
  // Large soft shapes (a parcel, a table) from a tiny random picture blown up, then grain on top.
  const blotches = await sharp({ create: { width: 8, height: 6, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } })
    .resize(width, height, { kernel: 'cubic' })
    .modulate({ hue })
    .raw()
    .toBuffer();
  const layers: OverlayOptions[] = [];
  if (recipe.grain > 0) {
    const grain = await sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: recipe.grain } } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    layers.push({ input: grain, blend: 'overlay' });
  }
  // A label that must stay legible in every copy (text by libvips: the SVG loader is blocked in-process).
  const labelWidth = Math.round(width * 0.5);
  const labelHeight = Math.round(height * 0.2);
  layers.push({ input: { create: { width: labelWidth, height: labelHeight, channels: 4, background: '#ffffff' } }, left: Math.round(width * 0.1), top: Math.round(height * 0.1) });
  layers.push({
    input: { text: { text: `${recipe.name} ${index + 1}`, width: Math.round(labelWidth * 0.9), height: Math.round(labelHeight * 0.8), rgba: true } },
    left: Math.round(width * 0.12),
    top: Math.round(height * 0.12),
  });
  let image = sharp(blotches, { raw: { width, height, channels: 3 } }).composite(layers);
  if (channels === 4) image = sharp(await image.png().toBuffer()).ensureAlpha(0.9);
  // A phone held upright stores the picture turned a quarter left and says so in EXIF (orientation 6).
  if (recipe.orientation === 6) image = sharp(await image.png({ compressionLevel: 0 }).toBuffer()).rotate(270).withMetadata({ orientation: 6 });
  const file = path.join(into, `${recipe.name}.${recipe.format === 'jpeg' ? 'jpg' : 'png'}`);
  if (recipe.format === 'jpeg') await image.jpeg({ quality: recipe.quality ?? 85 }).toFile(file);
  else await image.png({ compressionLevel: 6 }).toFile(file);
}

/**
 * The folder `make` filled for `key`: made once (into a private folder renamed into place when whole),
 * with a lock so makers running at once in other test files wait rather than repeat the work.
 */
async function cached(key: string, make: (into: string) => Promise<void>): Promise<string> {
  const final = path.join(CACHE_ROOT, key);
  const lock = `${final}.lock`;
  fs.mkdirSync(CACHE_ROOT, { recursive: true });
  for (;;) {
    if (fs.existsSync(final)) return final;
    try {
      fs.mkdirSync(lock);
    } catch {
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) fs.rmSync(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 250));
      continue;
    }
    const into = path.join(CACHE_ROOT, `.${key}-${randomUUID()}`);
    // A heartbeat on the lock: a slow maker (1080p on a busy machine) is not taken for a dead one.
    const heartbeat = setInterval(() => fs.utimesSync(lock, new Date(), new Date()), 30_000);
    try {
      fs.mkdirSync(into);
      await make(into);
      fs.renameSync(into, final);
      return final;
    } finally {
      clearInterval(heartbeat);
      fs.rmSync(into, { recursive: true, force: true });
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
}
