// What goes into a recipient's packet, before anything is encoded: each file (an original that already
// fits, or how to make its derived copy and within what budget), what is missing and why, the deadline.
// Cheap enough for the listing: sizes of files still to be made are estimates (their budgets); the
// builder makes them and measures them exactly.
import type { Language, PacketRecipient } from '../../domain/vocabulary';
import { extensionFor } from '../../../storage/file-types';
import { isRequired } from '../claims/claim-photos';
import { photoWithoutPreview } from '../media-view';
import { strings as reportStrings } from '../reports/i18n';
import { packetDeadline, type PacketDeadline } from './deadlines';
import { isReturnDispute, type PacketEvidence, type PacketFacts } from './facts';
import { packetStrings } from './narrative';
import type { FieldFile, PhotoFormat, RecipientProfile, VideoFormat } from './profile';

export type FileRole = 'original' | 'derived' | 'document' | 'data';

export interface PdfImage {
  evidence: number;
  mediaId: string;
  sha256: string;
  kind: 'photo' | 'stills';
  caption: string;
  durationMs?: number;
}

/** How a planned file is made. */
export type Make =
  | { how: 'original'; sha256: string; mediaId: string }
  | { how: 'photo'; sha256: string; mediaId: string; maxBytes: number; formats: PhotoFormat[] }
  | { how: 'video'; sha256: string; mediaId: string; maxBytes: number; maxSeconds?: number; continuous: boolean; formats: VideoFormat[]; durationMs?: number }
  | { how: 'stills'; sha256: string; mediaId: string; maxBytes: number; caption: string; durationMs?: number }
  | { how: 'pdf'; maxBytes: number; maxPages: number; images: PdfImage[] }
  /** Made by the courier-claim code; listed for the reader. */
  | { how: 'claim-packet' };

export interface PlannedFile {
  path: string;
  role: FileRole;
  kind: FieldFile['kind'] | 'claim';
  description: string;
  /** Exact for originals; the budget (an upper bound) for files still to be made. */
  bytes: number;
  evidence?: number;
  originalSha256?: string;
  make: Make;
}

export interface MissingItem {
  code: string;
  text: string;
}

export interface PacketPlan {
  profile: RecipientProfile;
  recipient: PacketRecipient;
  language: Language;
  name: string;
  suggested: boolean;
  files: PlannedFile[];
  missing: MissingItem[];
  deadline: PacketDeadline;
}

/** Room kept in a total for packet.json and checklist.txt, in case a reader counts them too. */
export const DATA_RESERVE_BYTES = 100_000;
/** Below this a photo is too coarse to show a label or damage: fewer photos, rather than useless ones. */
const MIN_PHOTO_BYTES = 200_000;
/** A stills sheet's budget when nothing smaller is set. */
const STILLS_BYTES = 1_000_000;
/** A budget for our own evidence PDF where the recipient sets none. */
const OWN_PDF_BYTES = 8_000_000;
/** Our own page cap where the recipient sets none. */
const OWN_PDF_PAGES = 40;
// What a planned PDF is estimated at: text pages and a compressed image per picture.
const PDF_BASE_BYTES = 80_000;
const PDF_IMAGE_BYTES = 150_000;
/** How many ordinary pictures' budget the label close-up gets. */
const LABEL_WEIGHT = 3;
/** The share of what is left that the video gets when photos or a document go along. */
const VIDEO_SHARE = 0.7;

const FORMAT_OF: Record<string, PhotoFormat | VideoFormat | 'pdf'> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/gif': 'gif',
  'video/mp4': 'mp4',
  'video/x-msvideo': 'avi',
  'video/x-ms-wmv': 'wmv',
  'application/pdf': 'pdf',
};

/** The file types a profile takes, as the checklist names them. */
export function acceptedTypes(profile: RecipientProfile): string[] {
  return [...profile.accepts.photos.map((format) => format.toUpperCase()), ...(profile.accepts.pdf ? ['PDF'] : []), ...profile.accepts.videos.map((format) => format.toUpperCase())];
}

/** The MIME types a profile's files may have, by magic bytes: what the builder checks every file against. */
export function acceptedMimes(profile: RecipientProfile): Set<string> {
  return new Set(Object.entries(FORMAT_OF).filter(([, format]) => accepts(profile, format)).map(([mime]) => mime));
}

function accepts(profile: RecipientProfile, format: string): boolean {
  return (profile.accepts.photos as string[]).includes(format) || (profile.accepts.videos as string[]).includes(format) || (format === 'pdf' && profile.accepts.pdf);
}

const MISSING_PHOTO_CODE: Record<string, string> = {
  label_closeup: 'NO_LABEL_PHOTO',
  packing_inside: 'NO_PACKING_INSIDE_PHOTO',
  packing_outside: 'NO_PACKING_OUTSIDE_PHOTO',
  damage: 'NO_DAMAGE_PHOTO',
  all_sides: 'NO_ALL_SIDES_PHOTO',
  weight: 'NO_WEIGHT_PHOTO',
};

/** The capture an item comes from, as a phrase says it ("the packing"; English labels are title-cased). */
const captureWord = (item: PacketEvidence, language: Language) => {
  const label = reportStrings(language).captureKinds[item.captureKind];
  return language === 'en' ? label.toLowerCase() : label;
};

/** A caption is quoted in a file's description up to this long; the full one stays with the original. */
const CAPTION_CHARACTERS = 120;

/**
 * An item's description with what the seller said of it: the courier tags it carries ("Shipping label,
 * close-up and readable") and its caption, so a reader can tell which picture shows the waybill or the scale.
 */
export function describedItem(base: string, item: PacketEvidence, language: Language): string {
  const r = reportStrings(language);
  const caption = (item.caption ?? item.media.caption)?.replace(/\s+/g, ' ').trim();
  const short = caption && [...caption].length > CAPTION_CHARACTERS ? `${[...caption].slice(0, CAPTION_CHARACTERS - 1).join('')}…` : caption;
  const extra = [...item.media.tags.map((tag) => r.claimPhotos[tag]), ...(short ? [`“${short}”`] : [])];
  return extra.length > 0 ? `${base} — ${extra.join('; ')}` : base;
}

/** "E03-packing-photo-1a2b3c4d": an evidence item's file name stem, numbered as in every other document. */
const stem = (item: PacketEvidence) => `E${String(item.number).padStart(2, '0')}-${item.captureKind}-${item.media.type}-${item.media.id.slice(0, 8)}`;

export const packetName = (profile: RecipientProfile, facts: PacketFacts, language: Language) => {
  const t = packetStrings(language);
  return profile.recipient === 'courier' && facts.order.carrier ? t.courierWithCarrier(facts.order.carrier) : t.recipientNames[profile.recipient];
};

/** What is missing whatever the limits: the facts and files the recipient asks for that the dispute lacks. */
function missingFromFacts(profile: RecipientProfile, facts: PacketFacts, language: Language): MissingItem[] {
  const t = packetStrings(language).missing;
  const missing: MissingItem[] = [];
  const add = (code: keyof typeof t) => missing.push({ code, text: t[code] as string });
  const photos = facts.evidence.filter((item) => item.media.type === 'photo');
  const returned = isReturnDispute(facts);
  if (photos.length === 0) add('NO_PHOTOS');
  for (const check of facts.claim.photos) {
    if (!profile.wantedPhotos.includes(check.kind) || check.present) continue;
    if (profile.recipient === 'courier' && !isRequired(check.kind, facts.claim.claimKind)) continue;
    add(MISSING_PHOTO_CODE[check.kind] as keyof typeof t);
  }
  const videoOf = (kind: string) => facts.evidence.some((item) => item.media.type === 'video' && item.captureKind === kind);
  if (returned && profile.continuousVideo && !videoOf('unboxing')) add('NO_RETURN_VIDEO');
  if (!returned && !videoOf('packing')) add('NO_PACKING_VIDEO');
  if (!returned && !facts.captures.some((capture) => capture.kind === 'packing' && capture.weightGrams !== undefined)) add('NO_WEIGHT');
  if (facts.order.trackingNumbers.length === 0) add('NO_TRACKING');
  if (!facts.order.carrier) add('NO_CARRIER');
  if (!profile.allowsLink) add('NO_LINK');
  return missing;
}

/** The video a recipient that takes one gets: the return's opening for a return, else the packing; the longest. */
function mainVideo(facts: PacketFacts): PacketEvidence | undefined {
  const videos = facts.evidence.filter((item) => item.media.type === 'video');
  const wanted = isReturnDispute(facts) ? 'unboxing' : 'packing';
  const longest = (items: PacketEvidence[]) => [...items].sort((a, b) => (b.media.durationMs ?? 0) - (a.media.durationMs ?? 0))[0];
  return longest(videos.filter((item) => item.captureKind === wanted)) ?? longest(videos);
}

export function planPacket(profile: RecipientProfile, facts: PacketFacts, language: Language): PacketPlan {
  const base = {
    profile,
    recipient: profile.recipient,
    language,
    name: packetName(profile, facts, language),
    suggested: profile.suggested(facts),
    deadline: packetDeadline(profile.deadlineRule, facts, language),
  };
  const missing = missingFromFacts(profile, facts, language);
  if (profile.claimPacket) return { ...base, files: planClaimPacket(facts, language), missing };
  const { files, missing: leftOut } = planFiles(profile, facts, language);
  return { ...base, files, missing: [...missing, ...leftOut] };
}

/** The courier-claim packet's files, as bundle.service writes them. */
function planClaimPacket(facts: PacketFacts, language: Language): PlannedFile[] {
  const t = packetStrings(language).files;
  const claimPacket = { how: 'claim-packet' } as const;
  return [
    { path: 'claim-letter.pdf', role: 'document', kind: 'claim', description: t.claimLetter, bytes: PDF_BASE_BYTES + facts.evidence.length * PDF_IMAGE_BYTES, make: claimPacket },
    ...facts.evidence.map((item): PlannedFile => ({
      path: claimPacketPath(item),
      role: 'original',
      kind: 'claim',
      description: describedItem((item.media.type === 'video' ? t.video : item.media.type === 'photo' ? t.photo : t.document)(item.number, captureWord(item, language)), item, language),
      bytes: item.media.bytes,
      evidence: item.number,
      originalSha256: item.media.sha256,
      make: claimPacket,
    })),
    { path: 'README.txt', role: 'data', kind: 'claim', description: t.readme, bytes: 0, make: claimPacket },
    { path: 'verification/', role: 'data', kind: 'claim', description: t.verification, bytes: 0, make: claimPacket },
    { path: 'manifest.json', role: 'data', kind: 'claim', description: t.manifest, bytes: 0, make: claimPacket },
  ];
}

/** Where the claim packet puts an original (bundle.service bundlePath: "media/03-packing-photo-1a2b3c4d.jpg"). */
export const claimPacketPath = (item: PacketEvidence) =>
  `media/${String(item.number).padStart(2, '0')}-${item.captureKind}-${item.media.type}-${item.media.id.slice(0, 8)}.${extensionFor(item.media.mime)}`;

function planFiles(profile: RecipientProfile, facts: PacketFacts, language: Language): { files: PlannedFile[]; missing: MissingItem[] } {
  const t = packetStrings(language);
  const kindWord = (item: PacketEvidence) => captureWord(item, language);
  const { limits, accepts: takes } = profile;
  const files: PlannedFile[] = [];
  const missing: MissingItem[] = [];
  const leaveOut = (item: PacketEvidence, limit: string) => missing.push({ code: 'LEFT_OUT_FOR_LIMIT', text: t.missing.LEFT_OUT_FOR_LIMIT(`E${item.number}`, limit) });

  const fileLimit = limits.maxFileBytes ?? Number.POSITIVE_INFINITY;
  const photoLimit = Math.min(limits.maxPhotoBytes ?? fileLimit, fileLimit);
  const videoLimit = Math.min(limits.maxVideoBytes ?? fileLimit, fileLimit);
  let budget = limits.maxTotalBytes === undefined ? Number.POSITIVE_INFINITY : limits.maxTotalBytes - DATA_RESERVE_BYTES;
  let slots = limits.maxFiles ?? Number.POSITIVE_INFINITY;

  // A picture no decoder here reads (an HEVC HEIC, or one whose processing failed) has no upright copy to
  // send: it alone is left out, and said so, rather than failing the document it would go into.
  const photos = facts.evidence.filter((item) => item.media.type === 'photo' && !photoWithoutPreview(item.media));
  for (const item of facts.evidence.filter((item) => photoWithoutPreview(item.media))) {
    missing.push({ code: 'PHOTO_UNDECODABLE', text: t.missing.PHOTO_UNDECODABLE(`E${item.number}`, pictureType(item.media.mime)) });
  }
  // The label close-up first: the one photo every recipient looks for.
  const labelled = photos.filter((item) => item.media.tags.includes('label_closeup'));
  const ordered = [...labelled, ...photos.filter((item) => !labelled.includes(item))];
  const videos = facts.evidence.filter((item) => item.media.type === 'video');
  const documents = facts.evidence.filter((item) => item.media.type === 'document');
  const pdfImages: PdfImage[] = [];
  const stillsFor: PacketEvidence[] = [];
  const takesPhotos = takes.photos.length > 0;
  const otherFilesPlanned = ordered.length > 0 || (takes.pdf && facts.evidence.length > 0);

  // ——— the video, for recipients that take one ———
  let videoItem: PacketEvidence | undefined;
  if (takes.videos.length > 0 && profile.maxVideos > 0) videoItem = mainVideo(facts);
  if (videos.length > 0 && takes.videos.length === 0) missing.push({ code: 'VIDEO_NOT_ACCEPTED', text: t.missing.VIDEO_NOT_ACCEPTED(t.recipientNames[profile.recipient]) });
  if (facts.evidence.some((item) => item.media.type === 'audio')) missing.push({ code: 'AUDIO_NOT_ACCEPTED', text: t.missing.AUDIO_NOT_ACCEPTED(t.recipientNames[profile.recipient]) });
  // A length not known yet (processing still running) is never counted as 0 s against a length limit.
  if (videoItem && videoItem.media.durationMs === undefined && limits.maxVideoSeconds !== undefined) {
    missing.push({ code: 'VIDEO_NOT_READY', text: t.missing.VIDEO_NOT_READY });
    videoItem = undefined;
  }
  if (videoItem) {
    const seconds = (videoItem.media.durationMs ?? 0) / 1000;
    const tooLong = limits.maxVideoSeconds !== undefined && seconds > limits.maxVideoSeconds;
    if (tooLong && profile.continuousVideo) {
      missing.push({ code: 'VIDEO_TOO_LONG_TO_FIT', text: t.missing.VIDEO_TOO_LONG_TO_FIT(`${Math.round(seconds)} s`, `${limits.maxVideoSeconds} s`) });
      videoItem = undefined;
    } else {
      const maxBytes = Math.min(videoLimit, budget * (otherFilesPlanned ? VIDEO_SHARE : 1));
      const format = FORMAT_OF[videoItem.media.mime];
      const asIs = format !== undefined && accepts(profile, format) && videoItem.media.bytes <= maxBytes && !tooLong;
      const bytes = asIs ? videoItem.media.bytes : Math.min(maxBytes, videoItem.media.bytes);
      files.push({
        path: asIs ? `originals/${stem(videoItem)}.${extensionFor(videoItem.media.mime)}` : `derived/${stem(videoItem)}.mp4`,
        role: asIs ? 'original' : 'derived',
        kind: 'video',
        description: describedItem((asIs ? t.files.video : t.files.videoReduced)(videoItem.number, kindWord(videoItem)), videoItem, language),
        bytes,
        evidence: videoItem.number,
        originalSha256: videoItem.media.sha256,
        make: asIs
          ? { how: 'original', sha256: videoItem.media.sha256, mediaId: videoItem.media.id }
          : {
              how: 'video', sha256: videoItem.media.sha256, mediaId: videoItem.media.id, maxBytes, formats: takes.videos, continuous: profile.continuousVideo,
              ...(limits.maxVideoSeconds !== undefined ? { maxSeconds: limits.maxVideoSeconds } : {}),
              ...(videoItem.media.durationMs !== undefined ? { durationMs: videoItem.media.durationMs } : {}),
            },
      });
      // The budget a video still to be made may use is spent whatever it ends up weighing.
      budget -= asIs ? bytes : maxBytes;
      slots -= 1;
    }
  }
  for (const video of videos) if (video !== videoItem) stillsFor.push(video);

  // ——— which photos go as files of their own, and which into the evidence PDF ———
  const ownFile = profile.photosInPdf ? labelled.slice(0, 1) : ordered;
  const intoPdf = profile.photosInPdf ? ordered.filter((item) => !ownFile.includes(item)) : [];
  const stillsAsFiles = !takes.pdf && takesPhotos;
  const pdfPlanned = takes.pdf;
  if (pdfPlanned) slots -= 1;
  const sheetCount = stillsAsFiles ? stillsFor.length : 0;
  // A stills sheet is worth more than the twelfth photo of the same box: sheets keep their slots first.
  const sheetSlots = Math.min(sheetCount, Math.max(0, slots));
  slots -= sheetSlots;
  // The PDF's share of the budget grows with the pictures it will hold: one weight per picture, as a file's.
  const ownFileCount = Math.min(ownFile.length, Math.max(0, slots));
  // The label close-up must stay legible: it weighs as much as three other pictures.
  const weightOf = (item: PacketEvidence) => (labelled.includes(item) ? LABEL_WEIGHT : 1);
  const ownWeight = (count: number) => ownFile.slice(0, count).reduce((sum, item) => sum + weightOf(item), 0);
  const pdfWeight = Math.max(1, intoPdf.length + (ownFile.length - ownFileCount) + (pdfPlanned ? stillsFor.length : 0));
  const pdfShare = pdfWeight / (pdfWeight + ownWeight(ownFileCount) + sheetSlots);
  const pdfBudget = pdfPlanned ? Math.min(fileLimit, finite(budget * pdfShare, OWN_PDF_BYTES), OWN_PDF_BYTES) : 0;
  let left = budget - pdfBudget;
  const photoFiles = Math.max(0, Math.min(ownFile.length, slots, Math.floor(left / MIN_PHOTO_BYTES)));
  const unit = left / Math.max(1, ownWeight(photoFiles) + sheetSlots);
  const perImage = Math.min(photoLimit, unit);

  ownFile.forEach((item, index) => {
    if (index >= photoFiles) {
      if (pdfPlanned) intoPdf.push(item);
      else leaveOut(item, t.limits[slots <= index ? 'FILES' : 'TOTAL_BYTES']);
      return;
    }
    const format = FORMAT_OF[item.media.mime];
    const allowed = Math.min(photoLimit, unit * weightOf(item));
    const asIs = format !== undefined && (takes.photos as string[]).includes(format) && item.media.bytes <= allowed;
    const bytes = asIs ? item.media.bytes : Math.min(allowed, item.media.bytes);
    const isLabel = labelled.includes(item);
    files.push({
      path: asIs ? `originals/${stem(item)}.${extensionFor(item.media.mime)}` : `derived/${stem(item)}.jpg`,
      role: asIs ? 'original' : 'derived',
      kind: isLabel ? 'label' : 'photo',
      description: describedItem((asIs ? t.files.photo : t.files.photoReduced)(item.number, kindWord(item)), item, language),
      bytes,
      evidence: item.number,
      originalSha256: item.media.sha256,
      make: asIs
        ? { how: 'original', sha256: item.media.sha256, mediaId: item.media.id }
        : { how: 'photo', sha256: item.media.sha256, mediaId: item.media.id, maxBytes: Math.floor(allowed), formats: takes.photos },
    });
    left -= bytes;
  });

  // ——— videos that do not go as video: sheets of stills ———
  stillsFor.forEach((item, index) => {
    const caption = describedItem(t.files.stills(item.number, kindWord(item)), item, language);
    const image = { evidence: item.number, mediaId: item.media.id, sha256: item.media.sha256, caption, ...(item.media.durationMs !== undefined ? { durationMs: item.media.durationMs } : {}) };
    if (pdfPlanned) return pdfImages.push({ ...image, kind: 'stills' });
    if (!stillsAsFiles || index >= sheetSlots) return leaveOut(item, t.limits.FILES);
    const maxBytes = Math.floor(Math.min(perImage, STILLS_BYTES));
    files.push({
      path: `derived/${stem(item)}-stills.jpg`,
      role: 'derived',
      kind: 'stills',
      description: caption,
      bytes: maxBytes,
      evidence: item.number,
      originalSha256: item.media.sha256,
      make: { how: 'stills', sha256: item.media.sha256, mediaId: item.media.id, maxBytes, caption, ...(item.media.durationMs !== undefined ? { durationMs: item.media.durationMs } : {}) },
    });
  });
  for (const item of intoPdf) pdfImages.push({ evidence: item.number, mediaId: item.media.id, sha256: item.media.sha256, kind: 'photo', caption: describedItem(t.files.photo(item.number, kindWord(item)), item, language) });
  pdfImages.sort((a, b) => a.evidence - b.evidence);

  // ——— documents the seller picked (an invoice): as they are, where PDFs are taken and pages are not counted ———
  for (const item of documents) {
    // A type the recipient does not take is said as such, never as a limit it would break.
    if (!takes.pdf || item.media.mime !== 'application/pdf') {
      missing.push({ code: 'TYPE_NOT_ACCEPTED', text: t.missing.TYPE_NOT_ACCEPTED(`E${item.number}`, pictureType(item.media.mime), t.recipientNames[profile.recipient]) });
      continue;
    }
    if (limits.maxPages !== undefined || item.media.bytes > Math.min(fileLimit, left) || slots < 1) {
      leaveOut(item, t.limits[limits.maxPages !== undefined ? 'PAGES' : 'FILE_BYTES']);
      continue;
    }
    files.push({
      path: `originals/${stem(item)}.pdf`, role: 'original', kind: 'photo', description: describedItem(t.files.document(item.number, kindWord(item)), item, language), bytes: item.media.bytes,
      evidence: item.number, originalSha256: item.media.sha256, make: { how: 'original', sha256: item.media.sha256, mediaId: item.media.id },
    });
    slots -= 1;
    left -= item.media.bytes;
  }

  if (pdfPlanned) {
    files.unshift({
      path: 'evidence.pdf',
      role: 'document',
      kind: 'evidencePdf',
      description: t.files.evidencePdf,
      bytes: Math.min(pdfBudget, PDF_BASE_BYTES + pdfImages.length * PDF_IMAGE_BYTES),
      make: { how: 'pdf', maxBytes: Math.floor(pdfBudget), maxPages: limits.maxPages ?? OWN_PDF_PAGES, images: pdfImages },
    });
  }
  return { files, missing };
}

/** "HEIC (HEVC)", "WEBP": a picture's type as a reader knows it. */
const pictureType = (mime: string) => (mime === 'image/heic' || mime === 'image/heif' ? 'HEIC (HEVC)' : (mime.split('/')[1] ?? mime).toUpperCase());

const finite = (value: number, otherwise: number) => (Number.isFinite(value) ? value : otherwise);

/** Pages a planned PDF is estimated at: one of text, and two pictures a page after it. */
export const estimatedPages = (make: Extract<Make, { how: 'pdf' }>) => Math.min(make.maxPages, 1 + Math.ceil(make.images.length / 2));
