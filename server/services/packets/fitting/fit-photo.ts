// A photo copy within a recipient's file types, per-file size and pixel limits: re-encoded from the
// original (only ever read) at falling quality, then falling size, until it fits.
import path from 'node:path';
import { readImageInfo, writeImageWithin, type FittedImageFormat } from '../../../../storage/images';
import { DECODE_MAX_PIXELS, outputName } from './output';

export interface FitPhotoOptions {
  /** What the recipient accepts; JPEG is chosen when allowed (photos are what it is made for). */
  formats: FittedImageFormat[];
  maxBytes: number;
  /** The recipient's (or a sensible) ceiling on width × height. */
  maxPixels?: number;
  /** The folder the copy is written into (the packet builder's, removed after the ZIP is written). */
  outDir: string;
  /** File name without extension; the original's name by default. */
  name?: string;
}

export interface FittedPhoto {
  file: string;
  bytes: number;
  mime: 'image/jpeg' | 'image/png' | 'image/gif';
  width: number;
  height: number;
}

/** Not even a small, low-quality copy fits the limit. */
export class PhotoCannotFitError extends Error {
  constructor(readonly maxBytes: number, readonly smallestBytes: number) {
    super(`no copy of the photo fits in ${maxBytes} bytes (the smallest tried was ${smallestBytes})`);
  }
}

const MIMES = { jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif' } as const;
const EXTENSIONS = { jpeg: 'jpg', png: 'png', gif: 'gif' } as const;
const PREFERENCE: FittedImageFormat[] = ['jpeg', 'png', 'gif'];

// A label must stay legible: below this long side a copy no longer shows what the photo is evidence of.
const SMALLEST_LONG_SIDE = 480;
// JPEG quality falls to here before the picture is made smaller; below it, blocks hide scratches.
const FIRST_QUALITY = { jpeg: 85, png: 100, gif: 90 } as const;
const LOWEST_QUALITY = { jpeg: 60, png: 40, gif: 40 } as const;
const QUALITY_STEP = 10;
const MAX_ATTEMPTS = 12;

export async function fitPhoto(input: string, opts: FitPhotoOptions): Promise<FittedPhoto> {
  const format = PREFERENCE.find((candidate) => opts.formats.includes(candidate));
  if (!format) throw new Error(`fitPhoto needs jpeg, png or gif among the formats (got ${opts.formats.join(', ')})`);
  const info = await readImageInfo(input, { maxPixels: DECODE_MAX_PIXELS });
  const file = path.join(opts.outDir, `${outputName(input, opts.name)}.${EXTENSIONS[format]}`);

  let longSide = Math.max(info.width, info.height);
  const pixels = info.width * info.height;
  if (opts.maxPixels && pixels > opts.maxPixels) longSide = Math.floor(longSide * Math.sqrt(opts.maxPixels / pixels));
  let quality: number = FIRST_QUALITY[format];
  let smallest = Infinity;

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const result = await writeImageWithin(input, file, { format, longSide, quality, maxPixels: DECODE_MAX_PIXELS, maxBytes: opts.maxBytes });
    if (result.written) return { file, bytes: result.bytes, mime: MIMES[format], width: result.width, height: result.height };
    smallest = Math.min(smallest, result.bytes);
    const ratio = opts.maxBytes / result.bytes;
    // A little over: quality first, which keeps every pixel. Far over: fewer pixels, in proportion.
    if (quality > LOWEST_QUALITY[format] && ratio > 0.5) {
      quality = Math.max(LOWEST_QUALITY[format], quality - QUALITY_STEP);
      continue;
    }
    if (longSide <= SMALLEST_LONG_SIDE) break;
    const current = Math.max(result.width, result.height);
    longSide = Math.max(SMALLEST_LONG_SIDE, Math.floor(current * Math.min(0.9, Math.sqrt(ratio * 0.9))));
  }
  throw new PhotoCannotFitError(opts.maxBytes, smallest);
}
