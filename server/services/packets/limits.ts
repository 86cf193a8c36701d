// Each of a profile's limits beside the packet's figure: estimates from the plan for the listing, exact
// measurements from the built files for checklist.txt. Codes and numbers, with a line of words each.
import type { Language } from '../../domain/vocabulary';
import { formatNumber } from '../reports/i18n';
import { packetStrings } from './narrative';
import { acceptedTypes } from './planner';
import type { RecipientProfile } from './profile';

export type LimitUnit = 'bytes' | 'pages' | 'seconds' | 'characters' | 'files';

export interface LimitCheck {
  code: 'FILE_TYPES' | 'FILE_BYTES' | 'PHOTO_BYTES' | 'VIDEO_BYTES' | 'TOTAL_BYTES' | 'FILES' | 'PAGES' | 'VIDEO_SECONDS' | 'TEXT_CHARACTERS';
  text: string;
  limit: number;
  actual: number;
  unit: LimitUnit;
  ok: boolean;
  /** The listing's figure is an estimate from the plan (files still to be made); the ZIP's checklist.txt is exact. */
  estimated?: true;
}

/** What the limits are measured on: the files the recipient uploads (not packet.json or checklist.txt). */
export interface Measured {
  files: { bytes: number; kind: 'photo' | 'video' | 'pdf' | 'other' }[];
  pages: number;
  videoSeconds: number;
  textCharacters: number;
  /** Files whose type (by magic bytes) the recipient does not take: always 0 in a built packet. */
  unacceptedFiles: number;
}

/** "4.5 MB" for a limit, "1,234,567 bytes" beside it: the limit as published, the figure exact. */
function formatBytes(bytes: number, language: Language): string {
  return bytes >= 100_000 ? `${formatNumber(Math.round(bytes / 10_000) / 100, language)} MB` : `${formatNumber(bytes, language)} B`;
}

export function checkLimits(profile: RecipientProfile, measured: Measured, language: Language, { estimated = false }: { estimated?: boolean } = {}): LimitCheck[] {
  const t = packetStrings(language);
  const { limits } = profile;
  const checks: LimitCheck[] = [];
  const add = (code: LimitCheck['code'], limit: number | undefined, actual: number, unit: LimitUnit) => {
    if (limit === undefined || !Number.isFinite(limit)) return;
    const show = (value: number) => (unit === 'bytes' ? formatBytes(value, language) : `${formatNumber(Math.round(value * 10) / 10, language)} ${t.units[unit]}`);
    const ok = actual <= limit;
    const figure = estimated ? t.checklist.about(show(actual)) : show(actual);
    checks.push({ code, text: `${t.limits[code]}: ${figure} / ${show(limit)} (${ok ? t.checklist.within : t.checklist.over})`, limit, actual, unit, ok, ...(estimated ? { estimated: true as const } : {}) });
  };
  const largest = (kind?: Measured['files'][number]['kind']) => Math.max(0, ...measured.files.filter((file) => !kind || file.kind === kind).map((file) => file.bytes));
  // The types: none of other types is allowed, and the packet's count of them is beside it.
  checks.push({
    code: 'FILE_TYPES',
    text: `${t.limits.FILE_TYPES}: ${acceptedTypes(profile).join(', ')} (${measured.unacceptedFiles === 0 ? t.checklist.within : t.checklist.over})`,
    limit: 0,
    actual: measured.unacceptedFiles,
    unit: 'files',
    ok: measured.unacceptedFiles === 0,
  });
  // A video limit is only ticked for a video in the packet: "0 s (within)" would read as a video that fits.
  const hasVideo = measured.files.some((file) => file.kind === 'video');
  add('FILE_BYTES', limits.maxFileBytes, largest(), 'bytes');
  add('PHOTO_BYTES', limits.maxPhotoBytes, largest('photo'), 'bytes');
  if (hasVideo) add('VIDEO_BYTES', limits.maxVideoBytes, largest('video'), 'bytes');
  add('TOTAL_BYTES', limits.maxTotalBytes, measured.files.reduce((sum, file) => sum + file.bytes, 0), 'bytes');
  add('FILES', limits.maxFiles, measured.files.length, 'files');
  add('PAGES', limits.maxPages, measured.pages, 'pages');
  if (hasVideo) add('VIDEO_SECONDS', limits.maxVideoSeconds, measured.videoSeconds, 'seconds');
  add('TEXT_CHARACTERS', limits.maxTextCharacters, measured.textCharacters, 'characters');
  return checks;
}
