// Reads photo headers and EXIF and writes thumbnails: the only importer of sharp and exifr, so which
// formats get decoded, and how many pixels a decode may cost, is decided in this one place.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import type { Metadata, OverlayOptions, Sharp } from 'sharp';

type SharpFunction = typeof import('sharp').default;

// sharp (libvips and its codecs, about 28 MB resident) and exifr (about 10 MB) are loaded when the
// first picture is read, not at start: a service that only takes videos and PDFs never pays for them,
// and the memory goal (200 MB during a 1 GiB upload) counts every megabyte held from the start.
let loadingSharp: Promise<SharpFunction> | undefined;
function loadSharp(): Promise<SharpFunction> {
  return (loadingSharp ??= import('sharp').then(({ default: sharp }) => {
    // libvips also loads SVG, TIFF, CSV, matrix and its own .v format — parsers a phone photo never needs
    // and a hostile upload would love. Only the photo formats stay reachable, from files and buffers alike.
    // (Ultra HDR is how recent Android phones write JPEGs with a gain map.) This is process-wide: any
    // other sharp user in the process gets the same allow-list.
    sharp.block({ operation: ['VipsForeignLoad'] });
    sharp.unblock({ operation: PHOTO_LOADERS.flatMap((name) => [`VipsForeignLoad${name}File`, `VipsForeignLoad${name}Buffer`]) });
    // Each original is decoded once, so libvips' operation cache (50 MB by default) would only hold memory
    // the service needs under 200 MB; open files are never kept either.
    sharp.cache({ memory: 8, files: 0, items: 20 });
    return sharp;
  }));
}
const loadExifr = async () => (await import('exifr')).default;
const PHOTO_LOADERS = ['Jpeg', 'Uhdr', 'Png', 'Webp', 'Heif', 'Nsgif'];

const DEFAULT_THUMBNAIL_LONG_SIDE = 480;
const THUMBNAIL_JPEG_QUALITY = 80;
const DEFAULT_REPORT_IMAGE_LONG_SIDE = 1600;
const REPORT_IMAGE_JPEG_QUALITY = 78;

export interface ImageInfo {
  /** Upright: swapped when EXIF says the stored pixels are turned sideways (orientation 5–8). */
  width: number;
  height: number;
  /** sharp's name for the format, except that HEIF is split into "heic" (HEVC) and "avif" (AV1). */
  format: string;
  /** The EXIF orientation (1–8) when the file has one. */
  orientation?: number;
}

export interface ExifSummary {
  /** "YYYY-MM-DDTHH:mm:ss", the camera's local wall-clock time, exactly as written (no zone applied). */
  takenAt?: string;
  /** "+09:00": the camera's UTC offset for takenAt, when it wrote one. */
  offset?: string;
  make?: string;
  model?: string;
  gps?: { latitude: number; longitude: number; altitude?: number };
}

/** The header claims more pixels than we are willing to decode. */
export class ImageTooLargeError extends Error {
  constructor(readonly width: number, readonly height: number, readonly maxPixels: number) {
    super(`${width}×${height} pixels is more than the ${maxPixels}-pixel limit`);
  }
}

/** Not an image we read: unknown or blocked format, or a header (or, for thumbnails, pixels) that do not parse. */
export class UnreadableImageError extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`not a readable image: ${reason}`, options);
  }
}

/** A valid image this server cannot decode (HEVC-coded HEIC, see writeThumbnail). */
export class UnsupportedImageError extends Error {
  constructor(readonly format: string, reason: string) {
    super(`cannot decode ${format} images: ${reason}`);
  }
}

/** Reads only the header: dimensions, format and orientation, without decoding a pixel. */
export async function readImageInfo(file: string, opts: { maxPixels: number }): Promise<ImageInfo> {
  const sharp = await loadSharp();
  await fs.access(file); // a missing file is our bug, not an unreadable upload: let ENOENT through
  let meta: Metadata;
  try {
    // The limit is checked below against the header, so sharp's own check is off here.
    meta = await sharp(file, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new UnreadableImageError(lastLine(error), { cause: error });
  }
  if (!meta.format || !meta.width || !meta.height) throw new UnreadableImageError('no dimensions in header');
  // For animations sharp decodes the first frame only, so that is what the limit is about.
  const frameHeight = meta.pageHeight ?? meta.height;
  if (meta.width * frameHeight > opts.maxPixels) {
    throw new ImageTooLargeError(meta.width, frameHeight, opts.maxPixels);
  }
  const upright = meta.autoOrient;
  return {
    width: upright.width,
    height: upright.height,
    format: formatName(meta),
    ...(meta.orientation ? { orientation: meta.orientation } : {}),
  };
}

/** Side of the tiny decode that proves an upload's pixels are all there; shrink-on-load keeps it cheap. */
const PROOF_DECODE_SIDE = 32;

/**
 * Decides at upload whether the image is one its thumbnail can be made from: the header reads (and is
 * within the pixel bound), and the pixels decode to the end, judged as writeThumbnail judges them. A
 * file cut short after a valid header (a 64-byte PNG) fails here instead of failing processing for
 * ever. HEVC-coded HEIC cannot be decoded by this build at all (see writeThumbnail), so for HEIF the
 * header is all that can be asked. Throws ImageTooLargeError or UnreadableImageError.
 */
export async function verifyImageReadable(file: string, opts: { maxPixels: number }): Promise<ImageInfo> {
  const sharp = await loadSharp();
  const info = await readImageInfo(file, opts);
  if (info.format === 'heif' || info.format === 'heic' || info.format === 'avif') return info;
  try {
    await sharp(file, { limitInputPixels: opts.maxPixels, failOn: 'error' })
      .resize({ width: PROOF_DECODE_SIDE, height: PROOF_DECODE_SIDE, fit: 'inside' })
      .raw()
      .toBuffer();
  } catch (error) {
    throw new UnreadableImageError(lastLine(error), { cause: error });
  }
  return info;
}

function formatName(meta: Metadata): string {
  if (meta.format !== 'heif') return meta.format;
  if (meta.compression === 'hevc') return 'heic';
  if (meta.compression === 'av1') return 'avif';
  return meta.format;
}

/**
 * Writes an upright JPEG thumbnail, at most `longSide` on its long side, never enlarged, with every
 * piece of metadata (EXIF, GPS, ICC) stripped — thumbnails are shown to people the original is not.
 * It appears under `outFile` only once complete.
 *
 * HEIC from iPhones is HEVC-coded, and sharp's prebuilt libvips ships libheif without an HEVC decoder
 * (libde265) for patent reasons: readImageInfo reads HEIC headers fine, but decoding fails ("Support
 * for this compression format has not been built in: HEVC"), so this throws UnsupportedImageError.
 * AVIF (AV1) decodes. Checked with sharp 0.35.5 / libvips 8.18.7 / libheif 1.23.5.
 */
export async function writeThumbnail(
  file: string,
  outFile: string,
  opts: { maxPixels: number; longSide?: number },
): Promise<{ width: number; height: number }> {
  return writeUprightJpeg(file, outFile, {
    maxPixels: opts.maxPixels,
    longSide: opts.longSide ?? DEFAULT_THUMBNAIL_LONG_SIDE,
    quality: THUMBNAIL_JPEG_QUALITY,
  });
}

/**
 * The picture a printed report shows of a photo: upright, at most `longSide` (1600 by default) on its
 * long side, never enlarged, metadata stripped, as a JPEG a PDF embeds as it is (no re-encoding in the PDF writer). Large enough
 * to read a label or see a scratch on A4, small enough that a report with a dozen photos stays within
 * the few megabytes payment processors accept. Same refusals and errors as writeThumbnail.
 */
export async function writeReportImage(
  file: string,
  outFile: string,
  opts: { maxPixels: number; longSide?: number },
): Promise<{ width: number; height: number }> {
  return writeUprightJpeg(file, outFile, {
    maxPixels: opts.maxPixels,
    longSide: opts.longSide ?? DEFAULT_REPORT_IMAGE_LONG_SIDE,
    quality: REPORT_IMAGE_JPEG_QUALITY,
  });
}

async function writeUprightJpeg(
  file: string,
  outFile: string,
  opts: { maxPixels: number; longSide: number; quality: number },
): Promise<{ width: number; height: number }> {
  const sharp = await loadSharp();
  // Header first: it refuses bombs and non-images before any decoder runs, and names the format.
  const { format } = await readImageInfo(file, opts);
  const longSide = opts.longSide;
  let thumbnail: { data: Buffer; info: { width: number; height: number } };
  try {
    // Into memory (a thumbnail is tens of KB) so a decoding failure, the image's fault, is told apart
    // from a failure to write, the disk's.
    thumbnail = await sharp(file, {
      limitInputPixels: opts.maxPixels,
      autoOrient: true,
      // Phones' JPEGs often carry harmless decoder warnings (stray bytes after a marker); failing on
      // those would cost real photos their thumbnail. Errors and truncation still fail.
      failOn: 'error',
    })
      .resize({ width: longSide, height: longSide, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' }) // JPEG has no alpha; transparent screenshots go on white, not black
      .jpeg({ quality: opts.quality, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    if (format === 'heic') throw new UnsupportedImageError(format, `no HEVC decoder in this build (${lastLine(error)})`);
    throw new UnreadableImageError(lastLine(error), { cause: error });
  }
  await writeFileAtomically(outFile, thumbnail.data);
  return { width: thumbnail.info.width, height: thumbnail.info.height };
}

// ——— copies fitted to a recipient's limits (recipient packets) ———

export type FittedImageFormat = 'jpeg' | 'png' | 'gif';

export interface FittedImageEncoding {
  format: FittedImageFormat;
  /** At most this many pixels on the long side, never enlarged; absent: the photo's own size. */
  longSide?: number;
  /** JPEG quality; for PNG and GIF, lower values reduce the palette (fewer colours, smaller file). */
  quality: number;
  /** Decoding bound, as for thumbnails. */
  maxPixels: number;
  /** The copy is written only when it is no larger than this. */
  maxBytes: number;
}

/**
 * Encodes an upright copy of a photo (EXIF orientation applied to the pixels, every piece of metadata
 * stripped: GPS and camera serials stay with the original) in memory, and writes it under `outFile`
 * only when it is within `maxBytes`, so a caller trying falling qualities never leaves an oversized
 * file behind. Answers the encoded size either way. Same refusals and errors as writeThumbnail.
 */
export async function writeImageWithin(
  file: string,
  outFile: string,
  opts: FittedImageEncoding,
): Promise<{ written: boolean; bytes: number; width: number; height: number }> {
  const sharp = await loadSharp();
  const { format } = await readImageInfo(file, opts);
  let encoded: { data: Buffer; info: { width: number; height: number } };
  try {
    let image = sharp(file, { limitInputPixels: opts.maxPixels, autoOrient: true, failOn: 'error' });
    if (opts.longSide) image = image.resize({ width: opts.longSide, height: opts.longSide, fit: 'inside', withoutEnlargement: true });
    encoded = await encodeAs(image, opts.format, opts.quality).toBuffer({ resolveWithObject: true });
  } catch (error) {
    if (format === 'heic') throw new UnsupportedImageError(format, `no HEVC decoder in this build (${lastLine(error)})`);
    throw new UnreadableImageError(lastLine(error), { cause: error });
  }
  const bytes = encoded.data.length;
  const written = bytes <= opts.maxBytes;
  if (written) await writeFileAtomically(outFile, encoded.data);
  return { written, bytes, width: encoded.info.width, height: encoded.info.height };
}

function encodeAs(image: Sharp, format: FittedImageFormat, quality: number): Sharp {
  const q = Math.max(1, Math.min(100, Math.round(quality)));
  // Fewer colours as the quality falls: a palette is what makes PNG and GIF copies of photos small.
  const colours = Math.max(16, Math.min(256, Math.round((256 * q) / 90)));
  switch (format) {
    case 'jpeg':
      // libjpeg-turbo, not mozjpeg: a quarter larger at equal quality but eight times faster, and a fit may take several tries.
      // Without optimised Huffman tables (a few per cent larger): optimising them holds the whole image's
      // coefficients, about 70 MB more resident for a 12-megapixel photo, where plain coding streams.
      return image.flatten({ background: '#ffffff' }).jpeg({ quality: q, optimiseCoding: false });
    case 'png':
      return q >= 90 ? image.png({ compressionLevel: 9, adaptiveFiltering: true }) : image.png({ compressionLevel: 9, palette: true, colours, dither: 0.5 });
    case 'gif':
      return image.flatten({ background: '#ffffff' }).gif({ colours, dither: 0.5, effort: 7 });
  }
}

export interface ContactSheetTile {
  /** A still (JPEG or PNG). */
  file: string;
  /** Printed under it: its time offset. */
  label: string;
}

export interface ContactSheetLayout {
  caption: string;
  /** A TrueType font with the caption's script (the reports' Noto fonts), and its family name. */
  font: { file: string; family: string };
  columns: number;
  /** Width of a tile for landscape stills (height for portrait ones). */
  tileLongSide: number;
  quality: number;
  maxPixels: number;
  maxBytes: number;
}

const SHEET_PADDING = 12;
const SHEET_LABEL_HEIGHT = 22;
const SHEET_CAPTION_POINTS = 18;
const SHEET_LABEL_POINTS = 13;

/**
 * One JPEG holding a grid of a video's stills, each with its label under it and a caption above them
 * all: the video's story on one picture for recipients that take no video. Written under `outFile`
 * only when within `maxBytes` (the encoded size is answered either way).
 */
export async function writeContactSheet(
  tiles: ContactSheetTile[],
  outFile: string,
  layout: ContactSheetLayout,
): Promise<{ written: boolean; bytes: number; width: number; height: number }> {
  const sharp = await loadSharp();
  if (tiles.length === 0) throw new Error('a contact sheet needs at least one still');
  const first = await readImageInfo(tiles[0].file, layout);
  // Every tile gets the first still's shape: a video's stills share it.
  const landscape = first.width >= first.height;
  const tileWidth = landscape ? layout.tileLongSide : Math.round((layout.tileLongSide * first.width) / first.height);
  const tileHeight = landscape ? Math.round((layout.tileLongSide * first.height) / first.width) : layout.tileLongSide;
  const columns = Math.max(1, Math.min(layout.columns, tiles.length));
  const rows = Math.ceil(tiles.length / columns);
  const width = SHEET_PADDING + columns * (tileWidth + SHEET_PADDING);
  const innerWidth = width - 2 * SHEET_PADDING;
  const caption = await renderText(layout.caption, { font: layout.font, points: SHEET_CAPTION_POINTS, width: innerWidth });
  const top = SHEET_PADDING + caption.height + SHEET_PADDING;
  const height = top + rows * (tileHeight + SHEET_LABEL_HEIGHT + SHEET_PADDING);

  const layers: OverlayOptions[] = [{ input: caption.data, left: SHEET_PADDING, top: SHEET_PADDING }];
  for (const [index, tile] of tiles.entries()) {
    const left = SHEET_PADDING + (index % columns) * (tileWidth + SHEET_PADDING);
    const y = top + Math.floor(index / columns) * (tileHeight + SHEET_LABEL_HEIGHT + SHEET_PADDING);
    let picture: Buffer;
    try {
      picture = await sharp(tile.file, { limitInputPixels: layout.maxPixels, autoOrient: true, failOn: 'error' })
        .resize({ width: tileWidth, height: tileHeight, fit: 'contain', background: '#ffffff' })
        .flatten({ background: '#ffffff' })
        .png({ compressionLevel: 1 })
        .toBuffer();
    } catch (error) {
      throw new UnreadableImageError(lastLine(error), { cause: error });
    }
    layers.push({ input: picture, left, top: y });
    const label = await renderText(tile.label, { font: layout.font, points: SHEET_LABEL_POINTS, width: tileWidth });
    layers.push({ input: label.data, left: left + Math.max(0, Math.floor((tileWidth - label.width) / 2)), top: y + tileHeight + 3 });
  }
  const data = await sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .composite(layers)
    .jpeg({ quality: Math.max(1, Math.min(100, Math.round(layout.quality))) })
    .toBuffer();
  const written = data.length <= layout.maxBytes;
  if (written) await writeFileAtomically(outFile, data);
  return { written, bytes: data.length, width, height };
}

/** Dark text on transparency, wrapped within `width` pixels, set by libvips' text renderer (Pango) in the given font file. */
async function renderText(
  value: string,
  opts: { font: { file: string; family: string }; points: number; width: number },
): Promise<{ data: Buffer; width: number; height: number }> {
  const sharp = await loadSharp();
  const escaped = (value.trim() || ' ').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const markup = `<span foreground="#1a1a1a">${escaped}</span>`;
  const { data, info } = await sharp({
    text: {
      text: markup, fontfile: opts.font.file, font: `${opts.font.family} ${opts.points}`,
      width: opts.width, dpi: 72, rgba: true, wrap: 'word-char',
    },
  })
    .png()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

// exifr reads the file in chunks and stops once these tags are found; the rest of a 10 MB photo is
// never read. Raw values: dates stay the camera's strings, not Dates in this server's zone.
const EXIF_OPTIONS = {
  tiff: true,
  exif: true,
  gps: true,
  ifd1: false,
  interop: false,
  xmp: false,
  icc: false,
  iptc: false,
  jfif: false,
  ihdr: false,
  makerNote: false,
  userComment: false,
  reviveValues: false,
  translateValues: false,
  pick: [
    'Make', 'Model',
    'DateTimeOriginal', 'OffsetTimeOriginal', 'CreateDate', 'OffsetTimeDigitized',
    'GPSLatitude', 'GPSLatitudeRef', 'GPSLongitude', 'GPSLongitudeRef', 'GPSAltitude', 'GPSAltitudeRef',
  ],
};

/**
 * What the camera says about when and where: a claim to show beside the server's receive time, never
 * trusted over it. Missing, corrupt or hostile EXIF gives undefined, never an error.
 */
export async function readExif(file: string): Promise<ExifSummary | undefined> {
  const exifr = await loadExifr();
  let tags: Record<string, unknown> | undefined;
  try {
    tags = await exifr.parse(file, EXIF_OPTIONS);
  } catch {
    return undefined;
  }
  if (!tags) return undefined;

  const original = exifDateTime(tags.DateTimeOriginal);
  const digitized = original ? undefined : exifDateTime(tags.CreateDate);
  const summary: ExifSummary = {
    takenAt: original ?? digitized,
    // The offset must belong to the same timestamp it qualifies.
    offset: utcOffset(original ? tags.OffsetTimeOriginal : digitized ? tags.OffsetTimeDigitized : undefined),
    make: text(tags.Make),
    model: text(tags.Model),
    gps: gpsPosition(tags),
  };
  const present = Object.entries(summary).filter(([, value]) => value !== undefined);
  return present.length > 0 ? (Object.fromEntries(present) as ExifSummary) : undefined;
}

function exifDateTime(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  // Cameras without a set clock write "0000:00:00 00:00:00"; that is no time at all.
  const match = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(value.trim());
  if (!match || match[1] === '0000' || match[2] === '00' || match[3] === '00') return undefined;
  const [, year, month, day, hour, minute, second] = match;
  return `${year}-${month}-${day}T${hour}:${minute}:${second}`;
}

function utcOffset(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return /^[+-]\d{2}:\d{2}$/.test(trimmed) ? trimmed : undefined;
}

function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const cleaned = value.replace(/\0/g, '').trim(); // cameras pad fixed-size fields with NULs or spaces
  return cleaned || undefined;
}

function gpsPosition(tags: Record<string, unknown>): ExifSummary['gps'] {
  const latitude = degrees(tags.GPSLatitude, tags.GPSLatitudeRef, 'S');
  const longitude = degrees(tags.GPSLongitude, tags.GPSLongitudeRef, 'W');
  if (latitude === undefined || longitude === undefined) return undefined;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return undefined;
  const altitude = typeof tags.GPSAltitude === 'number' && Number.isFinite(tags.GPSAltitude) ? tags.GPSAltitude : undefined;
  // Altitude reference 1 means below sea level.
  const belowSeaLevel = firstNumber(tags.GPSAltitudeRef) === 1;
  return {
    latitude,
    longitude,
    ...(altitude !== undefined ? { altitude: belowSeaLevel ? -altitude : altitude } : {}),
  };
}

/** EXIF stores positions as [degrees, minutes, seconds] plus a hemisphere letter. */
function degrees(dms: unknown, ref: unknown, negativeRef: string): number | undefined {
  if (!Array.isArray(dms) || dms.length === 0) return undefined;
  const [d, m = 0, s = 0] = dms as unknown[];
  if (![d, m, s].every((part) => typeof part === 'number' && Number.isFinite(part))) return undefined;
  const value = (d as number) + (m as number) / 60 + (s as number) / 3600;
  return typeof ref === 'string' && ref.trim().toUpperCase() === negativeRef ? -value : value;
}

function firstNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (value instanceof Uint8Array || Array.isArray(value)) return Number(value[0]);
  return undefined;
}

// ——— small helpers ———

// libvips joins every message of a failed load into one multi-line string, read retries first and
// the verdict last.
function lastLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n').filter((line) => line.trim()).pop() ?? 'unknown error';
}

// Written beside its final name, synced, then renamed: a reader sees the whole thumbnail or none, even
// after a power cut (it is cheap to remake, but one served empty would look like lost evidence).
async function writeFileAtomically(file: string, data: Buffer): Promise<void> {
  const tmp = `${file}.${randomUUID()}.tmp`;
  try {
    const handle = await fs.open(tmp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, file);
  } catch (error) {
    await fs.rm(tmp, { force: true });
    throw error;
  }
}
