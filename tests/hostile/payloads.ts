// Hostile files, made once per run from the real fixtures: wrong magic, polyglots, truncated files
// with valid magic, decompression bombs. The same payloads go through multipart and tus uploads.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { pdfDocument } from '../helpers/pdf-file';
import { fixture } from '../helpers/server';

export type Verdict =
  /** Must be refused with one of these statuses, and nothing kept. */
  | { refuse: number[]; why: string }
  /** Must be kept, as this type. */
  | { keep: string }
  /** May be refused, or kept but then only ever served as this type (never as HTML). */
  | { keepAs: string; orRefuse: number[] };

export interface Payload {
  cls: 'wrong magic' | 'polyglot' | 'truncated' | 'bomb' | 'valid';
  variant: string;
  filename: string;
  bytes: Buffer;
  verdict: Verdict;
}

const read = (name: string) => fs.readFileSync(fixture(name));

/** A unique tail keeps content addressing from merging two cases into one stored original. */
const unique = (bytes: Buffer, trailer = (marker: string) => Buffer.from(`\n% ${marker}\n`)) => Buffer.concat([bytes, trailer(randomUUID())]);

function patch(bytes: Buffer, offset: number, values: number[]): Buffer {
  const copy = Buffer.from(bytes);
  values.forEach((value, i) => (copy[offset + i] = value));
  return copy;
}

/** The smallest valid ZIP: an empty archive (its end-of-central-directory record). */
const emptyZip = Buffer.concat([Buffer.from('PK\x05\x06'), Buffer.alloc(18)]);
const html = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>\n');
const UNREADABLE = 'a file nothing can read is refused at the end of the upload (422)';
const NOT_ACCEPTED = 'the type is read from the bytes, and this type is not accepted';

export function hostilePayloads(): Payload[] {
  const jpeg = read('photo-orientation6-gps.jpg');
  const png = read('photo.png');
  const webp = read('photo.webp');
  const pdf = read('document.pdf');
  const mp4 = read('clip.mp4');
  const webm = read('clip.webm');
  const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
  return [
    // Wrong magic: the name and declared type say one thing, the bytes another.
    { cls: 'wrong magic', variant: 'text named .jpg', filename: 'photo.jpg', bytes: Buffer.from(`just text, not a photo ${randomUUID()}\n`.repeat(20)), verdict: { refuse: [415, 422], why: NOT_ACCEPTED } },
    { cls: 'wrong magic', variant: 'HTML named .png', filename: 'label.png', bytes: unique(html), verdict: { refuse: [415, 422], why: NOT_ACCEPTED } },
    { cls: 'wrong magic', variant: 'SVG with a script', filename: 'label.svg', bytes: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><!-- ${randomUUID()} --></svg>`), verdict: { refuse: [415, 422], why: NOT_ACCEPTED } },
    { cls: 'wrong magic', variant: 'ELF executable named .jpg', filename: 'not-an-image.jpg', bytes: unique(read('not-an-image.jpg')), verdict: { refuse: [415, 422], why: NOT_ACCEPTED } },
    { cls: 'wrong magic', variant: 'ZIP archive named .pdf', filename: 'evidence.pdf', bytes: unique(emptyZip), verdict: { refuse: [415, 422], why: NOT_ACCEPTED } },
    { cls: 'wrong magic', variant: 'Windows executable named .mp4', filename: 'clip.mp4', bytes: unique(Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510)])), verdict: { refuse: [415, 422], why: NOT_ACCEPTED } },
    { cls: 'wrong magic', variant: 'empty file', filename: 'empty.pdf', bytes: Buffer.alloc(0), verdict: { refuse: [400, 415, 422], why: 'an empty file is no evidence' } },
    { cls: 'wrong magic', variant: 'GIF with a script after it', filename: 'a.gif', bytes: unique(Buffer.from('GIF89a/*\x00\x00*/=1;alert(1)//')), verdict: { refuse: [415, 422], why: NOT_ACCEPTED } },

    // Polyglots: valid as what they claim, something else as well. Kept only as the leading type.
    { cls: 'polyglot', variant: 'JPEG + ZIP', filename: 'photo.jpg', bytes: Buffer.concat([jpeg, emptyZip, Buffer.from(randomUUID())]), verdict: { keepAs: 'image/jpeg', orRefuse: [415, 422] } },
    { cls: 'polyglot', variant: 'PDF + HTML', filename: 'invoice.pdf', bytes: unique(Buffer.concat([pdf, html])), verdict: { keepAs: 'application/pdf', orRefuse: [415, 422] } },
    { cls: 'polyglot', variant: 'PNG + HTML', filename: 'label.png', bytes: unique(Buffer.concat([png, html])), verdict: { keepAs: 'image/png', orRefuse: [415, 422] } },
    { cls: 'polyglot', variant: 'HTML behind a PDF header', filename: 'page.pdf', bytes: unique(Buffer.concat([Buffer.from('%PDF-1.4\n'), html])), verdict: { refuse: [415, 422], why: UNREADABLE } },

    // Truncated: valid magic, nothing behind it that any reader can use.
    { cls: 'truncated', variant: '4-byte %PDF', filename: 'cut.pdf', bytes: Buffer.from('%PDF'), verdict: { refuse: [422], why: UNREADABLE } },
    { cls: 'truncated', variant: '16-byte MP4', filename: 'cut.mp4', bytes: mp4.subarray(0, 16), verdict: { refuse: [422], why: UNREADABLE } },
    { cls: 'truncated', variant: '64-byte PNG', filename: 'cut.png', bytes: png.subarray(0, 64), verdict: { refuse: [422], why: UNREADABLE } },
    { cls: 'truncated', variant: '30-byte WebP', filename: 'cut.webp', bytes: webp.subarray(0, 30), verdict: { refuse: [422], why: UNREADABLE } },
    { cls: 'truncated', variant: 'JPEG cut in half', filename: 'half.jpg', bytes: read('truncated.jpg'), verdict: { keepAs: 'image/jpeg', orRefuse: [422] } },
    // A video cut short but readable up to a point is evidence.
    { cls: 'truncated', variant: 'MP4 cut at 60%', filename: 'cut-short.mp4', bytes: mp4.subarray(0, Math.floor(mp4.length * 0.6)), verdict: { keep: 'video/mp4' } },
    { cls: 'truncated', variant: 'WebM cut at 60%', filename: 'cut-short.webm', bytes: webm.subarray(0, Math.floor(webm.length * 0.6)), verdict: { keep: 'video/webm' } },

    // Decompression bombs: small files whose headers claim billions of pixels.
    { cls: 'bomb', variant: 'PNG claiming 100000×100000', filename: 'huge.png', bytes: unique(read('huge-pixels.png'), () => Buffer.alloc(0)), verdict: { refuse: [413, 422], why: 'more pixels than allowed' } },
    { cls: 'bomb', variant: 'JPEG claiming 65500×65500', filename: 'huge.jpg', bytes: patch(jpeg, sof + 5, [0xff, 0xdc, 0xff, 0xdc]), verdict: { refuse: [413, 422], why: 'more pixels than allowed' } },
    { cls: 'bomb', variant: 'WebP claiming 16383×16383', filename: 'huge.webp', bytes: patch(webp, 26, [0xff, 0x3f, 0xff, 0x3f]), verdict: { refuse: [413, 422], why: 'more pixels than allowed' } },

    // A control: a proper file is kept.
    { cls: 'valid', variant: 'a proper PDF', filename: 'document.pdf', bytes: unique(pdf), verdict: { keep: 'application/pdf' } },
  ];
}

/** A valid PDF that is unique, for cases about everything but the file. */
export const uniquePdf = () => unique(read('document.pdf'));

/**
 * A whole, readable PDF of exactly `size` bytes (at least PDF_OVERHEAD), unique. Files meant to be
 * accepted must be readable: the service refuses a document nothing can open (422 UNPROCESSABLE_MEDIA).
 */
export const pdfOfSize = pdfDocument;

/** A PNG header (a real 320×240 image's first bytes) followed by filler, exactly `size` bytes. */
export function pngOfSize(size: number): Buffer {
  const png = read('photo.png');
  return Buffer.concat([png, Buffer.from(randomUUID()), Buffer.alloc(Math.max(0, size - png.length - 36))]);
}
