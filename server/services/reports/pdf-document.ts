// The page furniture every Packtrail PDF shares: A4, embedded Noto fonts that cover Latin, Hangul and
// Traditional Chinese (a Korean buyer's name renders in an English report too), running header and
// "Page n of m" footer, and the few layout pieces reports need: headings, paragraphs, key–value rows,
// tables that break across pages, pictures fitted to a box. The only importer of pdfkit and fontkit.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import type PDFDocumentClass from 'pdfkit';
import type { Language } from '../../domain/vocabulary';

const require = createRequire(import.meta.url);

// ——— fonts ———

interface CoverageFont {
  hasGlyphForCodePoint(codePoint: number): boolean;
}
// pdfkit and fontkit (about 22 MB resident with their tables) are required when the first document or
// font is made, not at start: most of a service's life is taking uploads, and the memory goal
// (200 MB during a 1 GiB upload) counts every megabyte held from the start. Both are CommonJS, so a
// synchronous require keeps ReportPdf's constructor synchronous.
let fontkitModule: { create(buffer: Buffer): CoverageFont } | undefined;
const fontkit = () => (fontkitModule ??= require('fontkit') as { create(buffer: Buffer): CoverageFont });
let pdfkitModule: typeof PDFDocumentClass | undefined;
const pdfkit = () => (pdfkitModule ??= require('pdfkit') as typeof PDFDocumentClass);

type Family = 'kr' | 'tc' | 'mono';
export type TextStyle = 'regular' | 'bold' | 'mono';

// Full Google Fonts builds (not web subsets): Noto Sans KR has Latin, all 11,172 Hangul syllables and
// about 8,000 hanja; Noto Sans TC has Latin and about 15,000 ideographs but no Hangul. Neither alone
// covers all three languages, so text is split into runs by which font has the glyphs.
const FONT_FILES: Record<Family, { regular: string; bold: string }> = {
  kr: {
    regular: '@expo-google-fonts/noto-sans-kr/400Regular/NotoSansKR_400Regular.ttf',
    bold: '@expo-google-fonts/noto-sans-kr/700Bold/NotoSansKR_700Bold.ttf',
  },
  tc: {
    regular: '@expo-google-fonts/noto-sans-tc/400Regular/NotoSansTC_400Regular.ttf',
    bold: '@expo-google-fonts/noto-sans-tc/700Bold/NotoSansTC_700Bold.ttf',
  },
  mono: {
    regular: '@expo-google-fonts/roboto-mono/400Regular/RobotoMono_400Regular.ttf',
    bold: '@expo-google-fonts/roboto-mono/500Medium/RobotoMono_500Medium.ttf',
  },
};

interface LoadedFamily {
  regular: Buffer;
  bold: Buffer;
  coverage: CoverageFont;
}

// Read once per process (about 27 MB for all six files) and shared by every document.
const loaded = new Map<Family, LoadedFamily>();

function family(name: Family): LoadedFamily {
  let entry = loaded.get(name);
  if (!entry) {
    const regular = fs.readFileSync(require.resolve(FONT_FILES[name].regular));
    const bold = fs.readFileSync(require.resolve(FONT_FILES[name].bold));
    entry = { regular, bold, coverage: fontkit().create(regular) };
    loaded.set(name, entry);
  }
  return entry;
}

/** Fonts tried in order for each style: the language's own CJK font first, so its glyph shapes win. */
function fallbackOrder(lang: Language): Record<TextStyle, Family[]> {
  const cjk: Family[] = lang === 'zh-TW' ? ['tc', 'kr'] : ['kr', 'tc'];
  return { regular: cjk, bold: cjk, mono: ['mono', ...cjk] };
}

const FAMILY_NAMES: Record<Family, string> = { kr: 'Noto Sans KR', tc: 'Noto Sans TC', mono: 'Roboto Mono' };

/**
 * The font file (and its family name) that sets a language's text, for pictures that carry words
 * (a stills sheet's caption) in the same type as the PDFs.
 */
export function languageFontFile(lang: Language, style: 'regular' | 'bold' = 'regular'): { file: string; family: string } {
  const name = fallbackOrder(lang).regular[0];
  return { file: require.resolve(FONT_FILES[name][style]), family: FAMILY_NAMES[name] };
}

const fontName = (familyName: Family, style: TextStyle) => `${familyName}-${style === 'bold' ? 'bold' : 'regular'}`;

const HANGUL = /[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff]/;
// Han, kana and full-width punctuation: scripts written without spaces, breakable between characters.
const IDEOGRAPHIC = /^[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]$/;
const BREAK_PIECES = /(\s+|[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef])/;
const NO_BREAK_BEFORE = /^[，。、；：？！）」』】〉》,.;:?!)\]}%]/;
const NO_BREAK_AFTER = /[（「『【〈《(\[{]$/;

// Shown for a character no embedded font has (an emoji in a caption), instead of an invisible gap.
const REPLACEMENT = '□';

export interface TextRun {
  font: string;
  text: string;
}

// ——— layout constants ———

export const PAGE = { width: 595.28, height: 841.89 };
export const MARGIN = { top: 64, bottom: 64, left: 50, right: 50 };
export const COLORS = {
  text: '#1a1a1a',
  muted: '#5f6368',
  heading: '#1f3a5f',
  rule: '#c9ced6',
  band: '#eef1f5',
  good: '#1b7f3b',
  bad: '#b3261e',
  warn: '#a05a00',
};
// Small pictures (a 160 px still) may grow a little to fill their cell, not into a blur.
const MAX_IMAGE_UPSCALE = 1.5;
export const SIZES = { title: 20, h1: 14, h2: 11.5, body: 9.5, small: 8, tiny: 7 };

export interface PdfMeta {
  language: Language;
  title: string;
  author: string;
  subject?: string;
  /** The document's own date (the report's generation time), rather than the moment of writing. */
  createdAt?: Date;
  /** Top of every page after the first. */
  runningHeader: string;
  /** Bottom left of every page; the right side is "Page n of m". */
  footer: string;
  pageLabel: (page: number, total: number) => string;
}

export interface Column {
  header: string;
  /** Points; or, at most 1, a share of what the fixed columns leave (1 alone: all of it). */
  width: number;
  style?: TextStyle;
  align?: 'left' | 'right' | 'center';
}

/** A document being written: wraps pdfkit with per-run font fallback and page-aware layout helpers. */
export class ReportPdf {
  readonly doc: PDFKit.PDFDocument;
  private readonly order: Record<TextStyle, Family[]>;

  constructor(private readonly meta: PdfMeta) {
    const PDFDocument = pdfkit();
    this.doc = new PDFDocument({
      size: 'A4',
      margins: MARGIN,
      bufferPages: true,
      autoFirstPage: true,
      lang: meta.language,
      displayTitle: true,
      pdfVersion: '1.7',
      // pdfkit fails on an info key that is present but undefined.
      info: {
        Title: meta.title,
        Author: meta.author,
        ...(meta.subject ? { Subject: meta.subject } : {}),
        Creator: 'Packtrail',
        Producer: 'Packtrail (pdfkit)',
        ...(meta.createdAt ? { CreationDate: meta.createdAt } : {}),
      },
    });
    this.order = fallbackOrder(meta.language);
    this.doc.font(this.font(this.order.regular[0], 'regular')).fontSize(SIZES.body).fillColor(COLORS.text);
  }

  private readonly registered = new Set<Family>();

  /**
   * The name of a registered font, registering its family on first use: a report that never needs
   * Traditional Chinese glyphs never reads the 14 MB of that font into the service's memory.
   */
  private font(name: Family, style: TextStyle): string {
    if (!this.registered.has(name)) {
      const files = family(name);
      this.doc.registerFont(fontName(name, 'regular'), files.regular);
      this.doc.registerFont(fontName(name, 'bold'), files.bold);
      this.registered.add(name);
    }
    return fontName(name, style);
  }

  // ——— geometry ———

  get left(): number {
    return MARGIN.left;
  }
  get contentWidth(): number {
    return PAGE.width - MARGIN.left - MARGIN.right;
  }
  get bottom(): number {
    return PAGE.height - MARGIN.bottom;
  }
  /** Where the next block starts: asking places any heading still waiting for its block (see heading). */
  get y(): number {
    this.placeHeadings(0);
    return this.doc.y;
  }
  set y(value: number) {
    this.placeHeadings(0);
    this.doc.y = value;
  }

  /** Starts a new page unless `height` still fits on this one (with any heading waiting to go above it). */
  ensureSpace(height: number): void {
    if (this.placeHeadings(height)) return;
    if (this.doc.y + height > this.bottom) this.newPage();
  }

  // ——— headings that never end a page ———

  /**
   * Headings written but not yet placed. A heading is drawn only when the block under it is placed,
   * on the same page as that block's first lines: a heading alone at the foot of a page is never
   * drawn, whatever the block (a photo, a table, a paragraph) turns out to need.
   */
  private waiting: { height: number; keepWith: number; draw: () => void }[] = [];

  /**
   * Places the waiting headings, turning the page first unless they and `height` points of what
   * follows (at least what the last heading asked to keep with it) fit. Answers whether it placed any.
   */
  private placeHeadings(height: number): boolean {
    if (this.waiting.length === 0) return false;
    const headings = this.waiting;
    this.waiting = [];
    const own = headings.reduce((sum, heading) => sum + heading.height, 0);
    const keep = Math.max(height, headings[headings.length - 1].keepWith);
    // Kept together only when they can be: a block taller than a page starts under its heading anyway.
    const needed = Math.min(own + keep, this.bottom - MARGIN.top);
    if (this.doc.y + needed > this.bottom) this.newPage();
    for (const heading of headings) heading.draw();
    return true;
  }

  newPage(): void {
    this.doc.addPage();
    this.doc.x = this.left;
    this.doc.y = MARGIN.top;
  }

  gap(points: number): void {
    this.placeHeadings(0);
    this.doc.y += points;
  }

  /**
   * Writes a block that reads as one (a closing section) on a single page: it is drawn once on a
   * scratch document to learn its height, and the page is turned first when it would not fit. A block
   * taller than a page flows as usual. Kept for the last section, this also means the document never
   * ends on a page holding only the tail of one (a few rows under the running header).
   */
  keepTogether(draw: (pdf: ReportPdf) => void): void {
    const height = this.measure(draw);
    if (height <= this.bottom - MARGIN.top) this.ensureSpace(height);
    draw(this);
  }

  /** The height `draw` takes from the top of an empty page (pages it would fill count in full). */
  measure(draw: (pdf: ReportPdf) => void): number {
    const scratch = new ReportPdf(this.meta);
    draw(scratch);
    const end = scratch.y;
    const pages = scratch.doc.bufferedPageRange().count;
    return (pages - 1) * (this.bottom - MARGIN.top) + (end - MARGIN.top);
  }

  // ——— text ———

  /** Splits text into runs each set in the first font that has its glyphs. */
  runs(text: string, style: TextStyle = 'regular'): TextRun[] {
    const families = this.order[style];
    const result: TextRun[] = [];
    for (const char of text) {
      const codePoint = char.codePointAt(0)!;
      let chosen: Family | undefined;
      // Spaces and line breaks stay in the current run's font, so runs do not split on them.
      if (/\s/.test(char) && result.length > 0) {
        result[result.length - 1].text += char;
        continue;
      }
      for (const name of families) {
        if (family(name).coverage.hasGlyphForCodePoint(codePoint)) {
          chosen = name;
          break;
        }
      }
      const font = this.font(chosen ?? families[families.length - 1], style);
      const piece = chosen ? char : REPLACEMENT;
      const last = result[result.length - 1];
      if (last && last.font === font) last.text += piece;
      else result.push({ font, text: piece });
    }
    return result;
  }

  /** Writes text at (x, y) or the cursor, wrapping within `width`, switching fonts run by run. */
  text(
    value: string,
    opts: {
      x?: number;
      y?: number;
      width?: number;
      size?: number;
      style?: TextStyle;
      color?: string;
      align?: 'left' | 'right' | 'center' | 'justify';
      lineGap?: number;
      paragraphGap?: number;
    } = {},
  ): void {
    this.placeHeadings(0);
    const doc = this.doc;
    const width = opts.width ?? this.contentWidth;
    const style = opts.style ?? 'regular';
    const size = opts.size ?? SIZES.body;
    const text = this.keepKoreanWords(plain(value), width, size, style);
    if (!text) return;
    doc.fontSize(size).fillColor(opts.color ?? COLORS.text);
    const base = {
      width,
      align: opts.align,
      lineGap: opts.lineGap ?? 0,
      paragraphGap: opts.paragraphGap ?? 0,
    };
    const x = opts.x ?? doc.x;
    // Line by line: pdfkit drops a line break that ends a `continued` run, so runs never span one.
    text.split('\n').forEach((line, lineIndex) => {
      const runs = line ? this.runs(line, style) : [{ font: this.font(this.order[style][0], style), text: ' ' }];
      runs.forEach((run, index) => {
        doc.font(run.font);
        const continued = index < runs.length - 1;
        if (index === 0 && lineIndex === 0 && opts.y !== undefined) doc.text(run.text, x, opts.y, { ...base, continued });
        else if (index === 0) doc.text(run.text, x, doc.y, { ...base, continued });
        else doc.text(run.text, { ...base, continued });
      });
    });
    doc.fillColor(COLORS.text);
  }

  /** Height the text would take in `width`, measured in the language's main font (CJK fonts share metrics). */
  heightOf(value: string, opts: { width: number; size?: number; style?: TextStyle; lineGap?: number }): number {
    const doc = this.doc;
    const style = opts.style ?? 'regular';
    const size = opts.size ?? SIZES.body;
    const wrapped = this.keepKoreanWords(plain(value), opts.width, size, style);
    doc.font(this.font(this.order[style][0], style)).fontSize(size);
    return doc.heightOfString(wrapped || ' ', { width: opts.width, lineGap: opts.lineGap ?? 0 });
  }

  /**
   * Korean is written with spaces between words and wrapped at them, but the Unicode line-breaking rules
   * pdfkit follows allow a break between any two Hangul syllables, which splits words mid-way. Text with
   * Hangul is therefore wrapped here and handed over with explicit line breaks: at spaces, and between
   * Chinese characters (which have none), never before closing or after opening punctuation. A single
   * word wider than the line is still left to pdfkit to split.
   */
  private keepKoreanWords(value: string, width: number, size: number, style: TextStyle): string {
    if (!HANGUL.test(value)) return value;
    // pdfkit measures syllable by syllable, which can add up to a little more than the whole line: keep an em spare.
    const limit = width - size;
    return value
      .split('\n')
      .map((paragraph) => {
        const lines: string[] = [];
        let line = '';
        let lineWidth = 0;
        let pendingSpace = '';
        let previous = '';
        for (const piece of paragraph.split(BREAK_PIECES)) {
          if (!piece) continue;
          if (/^\s+$/.test(piece)) {
            if (line) pendingSpace = piece;
            continue;
          }
          const pieceWidth = this.widthOf(piece, { size, style });
          const spaceWidth = pendingSpace ? this.widthOf(pendingSpace, { size, style }) : 0;
          const mayBreak =
            line !== '' &&
            (pendingSpace !== '' || IDEOGRAPHIC.test(piece) || IDEOGRAPHIC.test(previous)) &&
            !NO_BREAK_BEFORE.test(piece) &&
            !NO_BREAK_AFTER.test(previous);
          if (mayBreak && lineWidth + spaceWidth + pieceWidth > limit) {
            lines.push(line);
            line = piece;
            lineWidth = pieceWidth;
          } else {
            line += pendingSpace + piece;
            lineWidth += spaceWidth + pieceWidth;
          }
          pendingSpace = '';
          previous = piece;
        }
        lines.push(line);
        return lines.join('\n');
      })
      .join('\n');
  }

  widthOf(value: string, opts: { size?: number; style?: TextStyle } = {}): number {
    const doc = this.doc;
    doc.fontSize(opts.size ?? SIZES.body);
    return this.runs(value, opts.style ?? 'regular').reduce((sum, run) => sum + doc.font(run.font).widthOfString(run.text), 0);
  }

  // ——— blocks ———

  title(value: string, subtitle?: string): void {
    this.text(value, { size: SIZES.title, style: 'bold', color: COLORS.heading });
    if (subtitle) this.text(subtitle, { size: SIZES.h2, color: COLORS.muted });
    this.gap(6);
    this.rule(COLORS.heading, 1.2);
    this.gap(10);
  }

  /**
   * A section heading, placed with the first block written after it and at least `keepWith` points
   * of what follows (see placeHeadings).
   */
  heading(value: string, keepWith = 60): void {
    const height = this.heightOf(value, { width: this.contentWidth, size: SIZES.h1, style: 'bold' });
    this.placeHeadings(0);
    this.waiting.push({
      height: height + 16,
      keepWith,
      draw: () => {
        this.doc.y += 8;
        this.text(value, { size: SIZES.h1, style: 'bold', color: COLORS.heading });
        this.doc.y += 2;
        this.rule();
        this.doc.y += 6;
      },
    });
  }

  /** A heading within a section; several waiting headings (a section's, then its first item's) go together. */
  subheading(value: string, keepWith = 40): void {
    const height = this.heightOf(value, { width: this.contentWidth, size: SIZES.h2, style: 'bold' });
    this.waiting.push({
      height: height + 7,
      keepWith,
      draw: () => {
        this.doc.y += 4;
        this.text(value, { size: SIZES.h2, style: 'bold', color: COLORS.text });
        this.doc.y += 3;
      },
    });
  }

  paragraph(value: string, opts: { size?: number; color?: string; style?: TextStyle; gapAfter?: number } = {}): void {
    const height = this.heightOf(value, { width: this.contentWidth, size: opts.size, style: opts.style, lineGap: 1.5 });
    // Short paragraphs move whole; long ones may flow over the page break on their own.
    if (height < 120) this.ensureSpace(height);
    this.text(value, { ...opts, x: this.left, lineGap: 1.5 });
    this.gap(opts.gapAfter ?? 5);
  }

  /** Numbered steps with hanging indent. */
  steps(items: string[], opts: { size?: number } = {}): void {
    const indent = 16;
    items.forEach((item, index) => {
      const height = this.heightOf(item, { width: this.contentWidth - indent, size: opts.size, lineGap: 1.5 });
      this.ensureSpace(height);
      const top = this.doc.y;
      this.text(`${index + 1}.`, { x: this.left, y: top, width: indent, size: opts.size, style: 'bold' });
      this.text(item, { x: this.left + indent, y: top, width: this.contentWidth - indent, size: opts.size, lineGap: 1.5 });
      this.doc.x = this.left;
      this.gap(4);
    });
  }

  rule(color = COLORS.rule, width = 0.6): void {
    this.placeHeadings(0);
    const y = this.doc.y;
    this.doc.save().moveTo(this.left, y).lineTo(this.left + this.contentWidth, y).lineWidth(width).strokeColor(color).stroke().restore();
  }

  /** Label–value rows; values may be monospaced (hashes) or coloured. Rows never split across pages. */
  keyValues(
    rows: { label: string; value: string; style?: TextStyle; color?: string }[],
    opts: { labelWidth?: number; size?: number } = {},
  ): void {
    const labelWidth = opts.labelWidth ?? 150;
    const valueWidth = this.contentWidth - labelWidth - 8;
    const size = opts.size ?? SIZES.body;
    for (const row of rows) {
      const height = Math.max(
        this.heightOf(row.label, { width: labelWidth, size }),
        this.heightOf(row.value, { width: valueWidth, size, style: row.style }),
      );
      this.ensureSpace(height + 3);
      const top = this.doc.y;
      this.text(row.label, { x: this.left, y: top, width: labelWidth, size, color: COLORS.muted });
      this.text(row.value, { x: this.left + labelWidth + 8, y: top, width: valueWidth, size, style: row.style, color: row.color });
      this.doc.x = this.left;
      this.doc.y = top + height + 3;
    }
  }

  /** Label–value pairs in a narrow column (beside a picture): each label small and muted above its value. */
  stackedFacts(rows: { label: string; value: string; style?: TextStyle; color?: string }[], opts: { x: number; width: number; size?: number }): void {
    const size = opts.size ?? SIZES.small;
    for (const row of rows) {
      const height =
        this.heightOf(row.label, { width: opts.width, size: SIZES.tiny }) + this.heightOf(row.value, { width: opts.width, size, style: row.style });
      this.ensureSpace(height + 3);
      this.text(row.label, { x: opts.x, width: opts.width, size: SIZES.tiny, color: COLORS.muted });
      this.text(row.value, { x: opts.x, width: opts.width, size, style: row.style, color: row.color });
      this.doc.y += 3;
    }
    this.doc.x = this.left;
  }

  /** A table with a shaded header row, repeated on every page it runs onto. */
  table(columns: Column[], rows: { cells: string[]; color?: string }[], opts: { size?: number } = {}): void {
    const size = opts.size ?? SIZES.small;
    const padding = 3;
    const widths = resolveWidths(columns, this.contentWidth);
    const xs = widths.map((_, index) => this.left + widths.slice(0, index).reduce((a, b) => a + b, 0));

    const rowHeight = (cells: string[], header = false) =>
      Math.max(
        ...cells.map((cell, index) =>
          this.heightOf(cell, {
            width: widths[index] - 2 * padding,
            size,
            style: header ? 'bold' : (columns[index].style ?? 'regular'),
          }),
        ),
      ) +
      2 * padding;

    const drawHeader = () => {
      const cells = columns.map((column) => column.header);
      const height = rowHeight(cells, true);
      const top = this.doc.y;
      this.doc.save().rect(this.left, top, this.contentWidth, height).fill(COLORS.band).restore();
      cells.forEach((cell, index) => {
        this.text(cell, {
          x: xs[index] + padding,
          y: top + padding,
          width: widths[index] - 2 * padding,
          size,
          style: 'bold',
          align: columns[index].align,
        });
      });
      this.doc.x = this.left;
      this.doc.y = top + height;
    };

    const headerHeight = rowHeight(columns.map((column) => column.header), true);
    this.ensureSpace(headerHeight + (rows[0] ? rowHeight(rows[0].cells) : 0));
    drawHeader();
    for (const row of rows) {
      const height = rowHeight(row.cells);
      if (this.doc.y + height > this.bottom) {
        this.newPage();
        drawHeader();
      }
      const top = this.doc.y;
      row.cells.forEach((cell, index) => {
        this.text(cell, {
          x: xs[index] + padding,
          y: top + padding,
          width: widths[index] - 2 * padding,
          size,
          style: columns[index].style,
          align: columns[index].align,
          color: row.color,
        });
      });
      this.doc.x = this.left;
      this.doc.y = top + height;
      this.rule();
    }
    this.gap(6);
  }

  /** The size `image` would draw `file` at; throws when pdfkit cannot read it. */
  fittedSize(file: string, maxWidth: number, maxHeight: number): { width: number; height: number } {
    const image = this.openImage(file);
    const scale = Math.min(maxWidth / image.width, maxHeight / image.height, MAX_IMAGE_UPSCALE);
    return { width: image.width * scale, height: image.height * scale };
  }

  /** Draws a JPEG or PNG fitted inside maxWidth × maxHeight at the cursor (or x), with a thin frame. */
  image(file: string, opts: { maxWidth: number; maxHeight: number; x?: number; y?: number; advance?: boolean }): { width: number; height: number } {
    const image = this.openImage(file);
    const scale = Math.min(opts.maxWidth / image.width, opts.maxHeight / image.height, MAX_IMAGE_UPSCALE);
    const width = image.width * scale;
    const height = image.height * scale;
    if (opts.y === undefined) this.ensureSpace(height + 4);
    const x = opts.x ?? this.left;
    const y = opts.y ?? this.doc.y;
    this.doc.image(image as never, x, y, { width, height });
    this.doc.save().rect(x, y, width, height).lineWidth(0.4).strokeColor(COLORS.rule).stroke().restore();
    if (opts.advance !== false) {
      this.doc.x = this.left;
      this.doc.y = y + height + 4;
    }
    return { width, height };
  }

  // Opened once per file: a photo measured for layout and then drawn is parsed and embedded once.
  private readonly images = new Map<string, { width: number; height: number }>();
  private openImage(file: string): { width: number; height: number } {
    let image = this.images.get(file);
    if (!image) {
      // Public in pdfkit, missing from its type definitions.
      image = (this.doc as unknown as { openImage(src: string): { width: number; height: number } }).openImage(file);
      this.images.set(file, image);
    }
    return image;
  }

  /** A small box, ticked or crossed: checklists that read at a glance and in black and white. */
  checkbox(x: number, y: number, ticked: boolean, size = 9): void {
    const doc = this.doc;
    doc.save().lineWidth(0.8);
    doc.rect(x, y, size, size).strokeColor(ticked ? COLORS.good : COLORS.bad).stroke();
    if (ticked) {
      doc.moveTo(x + size * 0.2, y + size * 0.55).lineTo(x + size * 0.42, y + size * 0.78).lineTo(x + size * 0.82, y + size * 0.22)
        .lineWidth(1.4).strokeColor(COLORS.good).stroke();
    } else {
      doc.moveTo(x + size * 0.25, y + size * 0.25).lineTo(x + size * 0.75, y + size * 0.75)
        .moveTo(x + size * 0.75, y + size * 0.25).lineTo(x + size * 0.25, y + size * 0.75)
        .lineWidth(1.2).strokeColor(COLORS.bad).stroke();
    }
    doc.restore();
  }

  // ——— output ———

  /**
   * Adds the running header and page numbers, ends the document into `destination` and resolves once
   * the destination has everything (its 'finish'), rejecting on either side's error.
   */
  finish(destination: NodeJS.WritableStream): Promise<void> {
    this.placeHeadings(0);
    const doc = this.doc;
    const range = doc.bufferedPageRange();
    const total = range.count;
    for (let index = range.start; index < range.start + total; index++) {
      doc.switchToPage(index);
      // Writing inside the margins would make pdfkit start a new page; lift the margin while stamping.
      const saved = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      const width = this.contentWidth;
      if (index > range.start) {
        this.text(this.meta.runningHeader, { x: this.left, y: 28, width, size: SIZES.tiny, color: COLORS.muted });
        doc.save().moveTo(this.left, 42).lineTo(this.left + width, 42).lineWidth(0.4).strokeColor(COLORS.rule).stroke().restore();
      }
      const footerY = PAGE.height - 40;
      doc.save().moveTo(this.left, footerY - 6).lineTo(this.left + width, footerY - 6).lineWidth(0.4).strokeColor(COLORS.rule).stroke().restore();
      this.text(this.meta.footer, { x: this.left, y: footerY, width: width * 0.7, size: SIZES.tiny, color: COLORS.muted });
      this.text(this.meta.pageLabel(index - range.start + 1, total), {
        x: this.left + width * 0.7,
        y: footerY,
        width: width * 0.3,
        size: SIZES.tiny,
        color: COLORS.muted,
        align: 'right',
      });
      doc.page.margins.bottom = saved;
    }

    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const done = (error?: unknown) => {
        if (settled) return;
        settled = true;
        if (error) reject(error);
        else resolve();
      };
      destination.once('finish', () => done());
      destination.once('error', (error: unknown) => done(error));
      doc.once('error', (error: unknown) => done(error));
      doc.pipe(destination);
      doc.end();
    });
  }
}

/** Seller-typed text as one line-break convention, without tabs or control characters no font draws. */
function plain(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '');
}

function resolveWidths(columns: Column[], total: number): number[] {
  const isShare = (column: Column) => column.width <= 1;
  const fixed = columns.filter((column) => !isShare(column)).reduce((sum, column) => sum + column.width, 0);
  const shares = columns.filter(isShare).reduce((sum, column) => sum + column.width, 0);
  const rest = Math.max(0, total - fixed);
  return columns.map((column) => (!isShare(column) ? column.width : shares > 0 ? (rest * column.width) / shares : 0));
}
