// A video told in one picture for recipients that take no video: its stills in a grid, each under
// its time offset, a caption above, as one JPEG within the recipient's size limit.
import path from 'node:path';
import type { Language } from '../../../domain/vocabulary';
import { writeContactSheet } from '../../../../storage/images';
import { languageFontFile } from '../../reports/pdf-document';
import { DECODE_MAX_PIXELS, outputName } from './output';

export interface StillsSheetOptions {
  /** What the video shows and where it comes from ("Packing video of order 1234, SHA-256 …"). */
  caption: string;
  maxBytes: number;
  outDir: string;
  /** File name without extension; "stills-sheet" by default. */
  name?: string;
  /** Chooses the caption's font; guessed from the caption's script when absent. */
  language?: Language;
}

export interface StillsSheet {
  file: string;
  bytes: number;
  width: number;
  height: number;
}

/** Even the smallest sheet tried is over the limit. */
export class StillsSheetCannotFitError extends Error {
  constructor(readonly maxBytes: number, readonly smallestBytes: number) {
    super(`no stills sheet fits in ${maxBytes} bytes (the smallest tried was ${smallestBytes})`);
  }
}

// Tried in order until the sheet fits: quality first, then smaller tiles (still a readable label at 200).
const ATTEMPTS = [
  { tileLongSide: 320, quality: 82 },
  { tileLongSide: 320, quality: 70 },
  { tileLongSide: 280, quality: 62 },
  { tileLongSide: 240, quality: 58 },
  { tileLongSide: 200, quality: 55 },
  { tileLongSide: 160, quality: 50 },
];
const COLUMNS = 4;
const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/;
const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;

export async function stillsSheet(stills: { file: string; offsetMs: number }[], opts: StillsSheetOptions): Promise<StillsSheet> {
  if (stills.length === 0) throw new Error('a stills sheet needs at least one still');
  const ordered = [...stills].sort((a, b) => a.offsetMs - b.offsetMs);
  const file = path.join(opts.outDir, `${outputName('stills-sheet', opts.name)}.jpg`);
  const font = languageFontFile(opts.language ?? scriptLanguage(opts.caption), 'bold');
  const tiles = ordered.map((still) => ({ file: still.file, label: formatOffset(still.offsetMs) }));
  let smallest = Infinity;
  for (const attempt of ATTEMPTS) {
    const result = await writeContactSheet(tiles, file, {
      caption: opts.caption, font, columns: COLUMNS, maxPixels: DECODE_MAX_PIXELS, maxBytes: opts.maxBytes, ...attempt,
    });
    if (result.written) return { file, bytes: result.bytes, width: result.width, height: result.height };
    smallest = Math.min(smallest, result.bytes);
  }
  throw new StillsSheetCannotFitError(opts.maxBytes, smallest);
}

/** "0:05", "12:40", "1:02:03": how a player shows a position in a recording. */
export function formatOffset(offsetMs: number): string {
  const total = Math.max(0, Math.floor(offsetMs / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

// Noto Sans KR holds Latin, Hangul and common hanja; Traditional Chinese needs Noto Sans TC.
function scriptLanguage(text: string): Language {
  if (HANGUL.test(text)) return 'ko';
  if (HAN.test(text)) return 'zh-TW';
  return 'en';
}
