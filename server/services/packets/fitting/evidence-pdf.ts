// The narrative, the facts and the pictures of a dispute as one PDF within a recipient's page and size
// limits. Pictures are reduced JPEG copies of the originals (which are only read); pictures that do not
// fit are left out from the end, and the last page says which, and where the full originals are.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Language } from '../../../domain/vocabulary';
import { ImageTooLargeError, UnreadableImageError, UnsupportedImageError, writeImageWithin } from '../../../../storage/images';
import { strings } from '../../reports/i18n';
import { COLORS, ReportPdf, SIZES } from '../../reports/pdf-document';
import { DECODE_MAX_PIXELS, outputName } from './output';

export interface EvidencePdfInput {
  language: Language;
  title: string;
  /** Paragraphs, in order; the last ones go first if the words alone would pass the page limit. */
  narrative: string[];
  /** Label–value rows (order, tracking number, weights…). */
  facts: { label: string; value: string }[];
  /** In order of importance: the last ones are left out first. */
  images: { file: string; caption: string }[];
  maxPages: number;
  maxBytes: number;
  /** The folder the PDF is written into (the packet builder's, removed after the ZIP is written). */
  outDir: string;
  /** File name without extension; "evidence" by default. */
  name?: string;
}

export interface EvidencePdf {
  file: string;
  bytes: number;
  pages: number;
  picturesIncluded: number;
  /** Left out to stay within the limits, or because they could not be decoded (HEVC HEIC). */
  picturesLeftOut: number;
  paragraphsLeftOut: number;
}

/** Not even the words alone, without a picture, fit the limits. */
export class EvidencePdfCannotFitError extends Error {
  constructor(readonly limit: 'pages' | 'bytes', readonly actual: number, readonly max: number) {
    super(`the evidence document needs ${actual} ${limit} without any picture, over the limit of ${max}`);
  }
}

// Copies tried per picture, largest first: 1600 px reads a label on A4; 480 px still shows the parcel.
const TIERS = [
  { longSide: 1600, quality: 78 },
  { longSide: 1280, quality: 70 },
  { longSide: 1024, quality: 62 },
  { longSide: 800, quality: 56 },
  { longSide: 640, quality: 50 },
  { longSide: 480, quality: 45 },
];
// Two pictures with their captions share an A4 page.
const PICTURE_MAX_HEIGHT = 310;
// The byte limit is met with a little room, so a recipient rounding megabytes differently still accepts it.
const BYTES_HEADROOM = 0.97;

interface Prepared {
  file: string;
  bytes: number;
}

export async function evidencePdf(input: EvidencePdfInput): Promise<EvidencePdf> {
  if (!(input.maxPages >= 1)) throw new Error('an evidence document needs at least one page');
  const file = path.join(input.outDir, `${outputName('evidence', input.name)}.pdf`);
  const work = await fsp.mkdtemp(path.join(input.outDir, '.evidence-pdf-'));
  try {
    // Each picture's copies, made on demand and kept for the rounds below.
    const copies = new Map<string, Prepared>();
    const copy = async (index: number, tier: number): Promise<Prepared> => {
      const key = `${index}-${tier}`;
      let made = copies.get(key);
      if (!made) {
        const out = path.join(work, `${key}.jpg`);
        // Smaller copies come from the first one: decoding a 1600-pixel JPEG costs a fraction of a 12-megapixel original.
        const source = tier === 0 ? input.images[index].file : (await copy(index, 0)).file;
        const result = await writeImageWithin(source, out, {
          format: 'jpeg', ...TIERS[tier], maxPixels: DECODE_MAX_PIXELS, maxBytes: Number.MAX_SAFE_INTEGER,
        });
        made = { file: out, bytes: result.bytes };
        copies.set(key, made);
      }
      return made;
    };

    // Pictures that cannot be decoded cannot be shown; they are named with the ones left out.
    const readable: number[] = [];
    const undecodable: number[] = [];
    for (const index of input.images.keys()) {
      try {
        await copy(index, 0);
        readable.push(index);
      } catch (error) {
        if (error instanceof UnreadableImageError || error instanceof UnsupportedImageError || error instanceof ImageTooLargeError) {
          undecodable.push(index);
        } else throw error;
      }
    }

    const tiers = new Map<number, number>(readable.map((index) => [index, 0]));
    let count = readable.length;
    let paragraphs = input.narrative.length;
    const scratch = path.join(work, 'document.pdf');
    const maxRounds = 2 * (input.images.length + input.narrative.length) + TIERS.length + 4;

    for (let round = 0; round < maxRounds; round++) {
      const shown = readable.slice(0, count);
      const pictures = await Promise.all(shown.map((index) => copy(index, tiers.get(index)!)));
      const leftOut = [...readable.slice(count), ...undecodable].map((index) => input.images[index].caption);
      const rendered = await render(scratch, input, {
        paragraphs: input.narrative.slice(0, paragraphs),
        pictures: shown.map((index, at) => ({ file: pictures[at].file, caption: input.images[index].caption })),
        leftOut,
        paragraphsLeftOut: input.narrative.length - paragraphs,
      });

      if (rendered.pages > input.maxPages) {
        if (count > 0) {
          // Two pictures to a page: drop what the overflow holds, at least one.
          count = Math.max(0, count - Math.max(1, 2 * (rendered.pages - input.maxPages)));
          continue;
        }
        if (paragraphs > 0) {
          paragraphs--;
          continue;
        }
        throw new EvidencePdfCannotFitError('pages', rendered.pages, input.maxPages);
      }

      if (rendered.bytes > input.maxBytes) {
        if (count === 0) throw new EvidencePdfCannotFitError('bytes', rendered.bytes, input.maxBytes);
        // Share what the words leave among the pictures shown, and make each copy fit its share.
        const pictureBytes = pictures.reduce((sum, picture) => sum + picture.bytes, 0);
        const wordsBytes = rendered.bytes - pictureBytes;
        const share = (input.maxBytes * BYTES_HEADROOM - wordsBytes) / count;
        let smaller = false;
        for (const index of shown) {
          let tier = tiers.get(index)!;
          while (tier < TIERS.length - 1 && (await copy(index, tier)).bytes > share) tier++;
          if (tier !== tiers.get(index)) smaller = true;
          tiers.set(index, tier);
        }
        // Every copy already as small as it goes (or within its share, yet the whole still over): one picture fewer.
        if (!smaller) count--;
        continue;
      }

      await fsp.rename(scratch, file);
      return {
        file,
        bytes: rendered.bytes,
        pages: rendered.pages,
        picturesIncluded: count,
        picturesLeftOut: leftOut.length,
        paragraphsLeftOut: input.narrative.length - paragraphs,
      };
    }
    throw new Error('the evidence document did not settle within its limits');
  } finally {
    await fsp.rm(work, { recursive: true, force: true });
  }
}

interface Layout {
  paragraphs: string[];
  pictures: { file: string; caption: string }[];
  leftOut: string[];
  paragraphsLeftOut: number;
}

async function render(file: string, input: EvidencePdfInput, layout: Layout): Promise<{ bytes: number; pages: number }> {
  const t = strings(input.language);
  const pdf = new ReportPdf({
    language: input.language,
    title: input.title,
    author: 'Packtrail',
    runningHeader: input.title,
    footer: t.evidencePdf.footer,
    pageLabel: t.page,
  });
  pdf.title(input.title);
  for (const paragraph of layout.paragraphs) pdf.paragraph(paragraph);
  if (input.facts.length > 0) {
    pdf.gap(4);
    pdf.keyValues(input.facts);
  }
  if (layout.pictures.length > 0) pdf.heading(t.evidencePdf.hPictures, PICTURE_MAX_HEIGHT);
  layout.pictures.forEach((picture, index) => {
    const caption = `${t.evidencePdf.picture(index + 1)}: ${picture.caption}`;
    const captionHeight = pdf.heightOf(caption, { width: pdf.contentWidth, size: SIZES.small });
    const size = pdf.fittedSize(picture.file, pdf.contentWidth, PICTURE_MAX_HEIGHT);
    pdf.ensureSpace(size.height + 4 + captionHeight + 10);
    pdf.image(picture.file, { maxWidth: pdf.contentWidth, maxHeight: PICTURE_MAX_HEIGHT });
    pdf.text(caption, { x: pdf.left, size: SIZES.small, color: COLORS.muted });
    pdf.gap(10);
  });
  if (layout.leftOut.length > 0 || layout.paragraphsLeftOut > 0) {
    // Recipients state limits in binary or decimal megabytes; whichever the limit is a round number of.
    const mebibyte = 1024 * 1024;
    const megabytes = String(Number((input.maxBytes / (input.maxBytes % mebibyte === 0 ? mebibyte : 1_000_000)).toFixed(1)));
    const limits = t.evidencePdf.limits(input.maxPages, megabytes);
    pdf.keepTogether((page) => {
      page.heading(t.evidencePdf.hLeftOut);
      page.paragraph(t.evidencePdf.leftOut(layout.leftOut.length, layout.paragraphsLeftOut, limits));
      for (const caption of layout.leftOut) page.paragraph(`• ${caption}`, { size: SIZES.small, gapAfter: 2 });
      page.gap(4);
      page.paragraph(t.evidencePdf.originalsElsewhere, { style: 'bold' });
    });
  }
  const pages = pdf.doc.bufferedPageRange().count;
  await pdf.finish(fs.createWriteStream(file));
  const bytes = (await fsp.stat(file)).size;
  return { bytes, pages };
}
