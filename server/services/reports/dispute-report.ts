// report.pdf of an evidence bundle: the dispute and order, a timeline in the shop's time zone, the
// weight in a plain sentence, the return inspection, every photo and a stills sheet per video, each
// original's SHA-256, and how a stranger verifies it all — in the language the seller chose.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeReportImage } from '../../../storage/images';
import { extractStills } from '../../../storage/video';
import type { CaptureView } from '../captures.service';
import {
  describeZone,
  formatDateTime,
  formatDuration,
  formatGrams,
  formatInterval,
  formatMoney,
  formatNumber,
  formatOffset,
  strings,
  type Strings,
} from './i18n';
import { claimPhotoKinds, type ChecklistItem, type ClaimPhotoKind, type InspectionOutcome, type Language } from '../../domain/vocabulary';
import { captionIn } from './captions';
import { COLORS, ReportPdf, SIZES } from './pdf-document';
import type { EvidenceItem, ReportInput } from './report-input';
import { isHeif } from '../media-view';
import type { WeightAssessment } from '../weights';
import { weightSentence } from './weight-assessment';

export interface RenderOptions {
  /** Decoding limit for photos, as configured for uploads (MAX_IMAGE_PIXELS). */
  maxImagePixels?: number;
  /** Long side of photos on the page (1600 by default); smaller keeps a photo-heavy PDF under upload limits. */
  photoLongSide?: number;
  /** Where page pictures are made while rendering; a fresh folder inside is removed afterwards. */
  workDir?: string;
}

const DEFAULT_MAX_IMAGE_PIXELS = 200_000_000;
// Stills per video on the page: a sheet of 4 × 6 fits one A4 page.
const MAX_STILLS_SHOWN = 24;
const STILL_COLUMNS = 4;
// A photo takes this share of the width, its facts the rest; at most PHOTO_HEIGHT points tall, so two
// photos with a one-line caption each (portrait ones too) fit an A4 page under the section heading.
const PHOTO_COLUMN = 0.58;
const PHOTO_GUTTER = 12;
const PHOTO_HEIGHT = 255;

/**
 * Writes the report as a PDF into `destination` and resolves once it is all written there. Photos are
 * re-encoded (at most 1600 px, upright) rather than embedded raw, which keeps the PDF to a size payment
 * processors accept; videos without `stills` get them made here.
 */
export async function renderDisputeReport(input: ReportInput, destination: NodeJS.WritableStream, options: RenderOptions = {}): Promise<void> {
  const work = await fs.mkdtemp(path.join(options.workDir ?? os.tmpdir(), 'packtrail-report-'));
  try {
    const prepared = await prepareEvidence(input.evidence, work, options);
    const pdf = createDocument(input, strings(input.language).reportTitle);
    writeReport(pdf, input, prepared);
    await pdf.finish(destination);
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

// ——— shared with the claim letter ———

/** What can be drawn of one evidence item, made before layout starts (layout itself is synchronous). */
export interface PreparedEvidence {
  item: EvidenceItem;
  /** 1-based: "E1", "E2", … in the order the seller picked. */
  number: number;
  picture?: string;
  stills: { offsetMs: number; path: string }[];
  stillsEveryMs?: number;
}

export async function prepareEvidence(evidence: EvidenceItem[], work: string, options: RenderOptions): Promise<PreparedEvidence[]> {
  const maxPixels = options.maxImagePixels ?? DEFAULT_MAX_IMAGE_PIXELS;
  const prepared: PreparedEvidence[] = [];
  for (const [index, item] of evidence.entries()) {
    const number = index + 1;
    const entry: PreparedEvidence = { item, number, stills: [] };
    if (item.media.type === 'photo') {
      const out = path.join(work, `e${number}.jpg`);
      // A photo the server cannot decode (HEIC without an HEVC decoder) falls back to whatever preview exists.
      const original = item.originalPath;
      entry.picture = await (original ? writeReportImage(original, out, { maxPixels, longSide: options.photoLongSide }) : Promise.reject(new Error('no original'))).then(
        () => out,
        () => item.previewPath,
      );
    } else if (item.media.type === 'video') {
      entry.picture = item.previewPath;
      entry.stills =
        item.stills && item.stills.length > 0
          ? item.stills
          : item.originalPath
            ? await extractStills(item.originalPath, path.join(work, `e${number}-stills`), {
                max: MAX_STILLS_SHOWN,
                durationMs: item.media.durationMs,
              }).catch(() => [])
            : [];
      entry.stillsEveryMs = spacingOf(entry.stills);
    }
    prepared.push(entry);
  }
  return prepared;
}

function spacingOf(stills: { offsetMs: number }[]): number | undefined {
  if (stills.length < 2) return undefined;
  return stills[1].offsetMs - stills[0].offsetMs;
}

export function createDocument(input: ReportInput, title: string): ReportPdf {
  const t = strings(input.language);
  return new ReportPdf({
    language: input.language,
    title: `${title} · ${input.order.orderId}`,
    author: input.shop.name,
    createdAt: new Date(input.generatedAt),
    subject: `${t.reasons[input.dispute.reason]} · ${input.order.orderId}`,
    runningHeader: `${input.shop.name} · ${title} · ${t.orderId} ${input.order.orderId}`,
    footer: `${t.footerDispute(input.dispute.id)} · ${t.generatedAt} ${formatDateTime(input.generatedAt, input.shop.timezone)}`,
    pageLabel: t.page,
  });
}

/** The assessment gathered for a weighed capture (ReportInput.weights). */
export function weightAssessmentFor(input: ReportInput, capture: CaptureView): WeightAssessment | undefined {
  return input.weights.find((entry) => entry.captureId === capture.id)?.assessment;
}

export const verdictColor = (assessment: WeightAssessment) =>
  assessment.verdict === 'ok' ? COLORS.good : assessment.verdict === 'unknown' ? COLORS.muted : COLORS.bad;

/** "E2" for a media id that is in the bundle, else undefined. */
export function evidenceNumberOf(prepared: PreparedEvidence[], mediaId: string): number | undefined {
  return prepared.find((entry) => entry.item.media.id === mediaId)?.number;
}

/**
 * One evidence item: heading, caption, picture or stills, then the facts about its original. `inPacket`:
 * the document travels in a claim packet, and says so where it names the file's place.
 */
export function writeEvidenceItem(pdf: ReportPdf, input: ReportInput, entry: PreparedEvidence, opts: { pictureHeight?: number; inPacket?: boolean } = {}): void {
  const t = strings(input.language);
  const { item, number } = entry;
  const media = item.media;
  const capture = input.captures.find((c) => c.id === media.captureId);
  const kind = capture ? t.captureKinds[capture.kind] : t.captureKinds.other;
  const caption = captionIn(item.caption ?? media.caption, input.language);
  const facts = mediaFacts(input, item, t, opts.inPacket ?? false);
  const captionHeight = caption ? pdf.heightOf(caption, { width: pdf.contentWidth, style: 'bold' }) + 4 : 0;
  const heading = t.evidenceHeading(number, t.mediaTypes[media.type], kind);

  if (media.type === 'photo') {
    // A photo beside its facts: two photos share a page instead of each leaving most of one blank.
    const pictureWidth = Math.round(pdf.contentWidth * PHOTO_COLUMN);
    const pictureHeight = opts.pictureHeight ?? PHOTO_HEIGHT;
    const picture = measuredPicture(pdf, entry.picture, pictureWidth, pictureHeight);
    if (picture) {
      // The file's name and SHA-256 run the full width below, each on one line as people compare them.
      const wide = facts.slice(0, 2);
      const beside = facts.slice(2);
      const factsX = pdf.left + pictureWidth + PHOTO_GUTTER;
      const factsWidth = pdf.contentWidth - pictureWidth - PHOTO_GUTTER;
      const factsHeight = pdf.measure((scratch) => scratch.stackedFacts(beside, { x: scratch.left, width: factsWidth, size: SIZES.small }));
      const wideHeight = pdf.measure((scratch) => scratch.keyValues(wide, { labelWidth: 140, size: SIZES.small }));
      const blockHeight = Math.max(picture.height, factsHeight) + 6 + wideHeight;
      // Heading, caption, picture and facts stay on one page.
      pdf.subheading(heading, captionHeight + blockHeight);
      if (caption) pdf.paragraph(caption, { style: 'bold', gapAfter: 4 });
      const top = pdf.y;
      pdf.image(entry.picture!, { maxWidth: pictureWidth, maxHeight: pictureHeight, x: pdf.left, y: top, advance: false });
      pdf.y = top;
      pdf.stackedFacts(beside, { x: factsX, width: factsWidth, size: SIZES.small });
      pdf.doc.x = pdf.left;
      pdf.y = Math.max(top + picture.height, pdf.y) + 6;
      pdf.keyValues(wide, { labelWidth: 140, size: SIZES.small });
      pdf.gap(8);
      return;
    }
  }

  const pictureHeight = media.type === 'photo' ? (opts.pictureHeight ?? PHOTO_HEIGHT) : 200;
  const showPicture = media.type === 'photo' || (media.type === 'video' && entry.stills.length === 0);
  const picture = showPicture ? measuredPicture(pdf, entry.picture, pdf.contentWidth, pictureHeight) : undefined;
  const factsHeight = pdf.measure((scratch) => scratch.keyValues(facts, { labelWidth: 140, size: SIZES.small }));
  const stillsLead = media.type === 'video' && entry.stills.length > 0 ? stillsLeadHeight(pdf, input.language, entry) : 0;
  // Heading, caption, picture (or the words saying there is none), every fact and a video's first row of
  // stills stay on one page.
  pdf.subheading(heading, captionHeight + (picture?.height ?? 20) + 6 + factsHeight + stillsLead);

  if (caption) pdf.paragraph(caption, { style: 'bold', gapAfter: 4 });

  if (showPicture) {
    const noPicture = isHeif(media.mime) ? t.heicNoPreview : opts.inPacket ? t.noPreviewPacket : t.noPreview;
    drawPicture(pdf, entry.picture, noPicture, pictureHeight);
  } else if (media.type !== 'video') {
    pdf.paragraph(opts.inPacket ? t.notAPicturePacket : t.notAPicture, { color: COLORS.muted, size: SIZES.small });
  }

  pdf.gap(2);
  pdf.keyValues(facts, { labelWidth: 140, size: SIZES.small });

  if (media.type === 'video' && entry.stills.length > 0) writeStillsSheet(pdf, input.language, entry);
  pdf.gap(8);
}

function measuredPicture(pdf: ReportPdf, file: string | undefined, maxWidth: number, maxHeight: number): { height: number } | undefined {
  if (!file) return undefined;
  try {
    return pdf.fittedSize(file, maxWidth, maxHeight);
  } catch {
    return undefined;
  }
}

function drawPicture(pdf: ReportPdf, file: string | undefined, fallback: string, maxHeight: number): void {
  if (file) {
    try {
      pdf.image(file, { maxWidth: pdf.contentWidth, maxHeight });
      return;
    } catch {
      // An unreadable preview is reported as no preview, below.
    }
  }
  pdf.paragraph(fallback, { color: COLORS.muted, size: SIZES.small });
}

function mediaFacts(input: ReportInput, item: EvidenceItem, t: Strings, inPacket: boolean) {
  const tz = input.shop.timezone;
  const media = item.media;
  const rows: { label: string; value: string; style?: 'mono' }[] = [
    { label: inPacket ? t.packetPath : t.bundlePath, value: item.bundlePath, style: 'mono' },
    { label: t.sha256, value: media.sha256, style: 'mono' },
    { label: t.size, value: t.bytes(formatNumber(media.bytes, input.language)) },
    { label: t.receivedAt, value: formatDateTime(media.receivedAt, tz) },
  ];
  if (media.capturedAt) {
    const source = media.capturedAtSource ? ` (${t.claimedFrom[media.capturedAtSource]})` : '';
    rows.push({ label: t.claimedAt, value: `${formatDateTime(media.capturedAt, tz)}${source}` });
  }
  if (media.camera && (media.camera.make || media.camera.model)) {
    rows.push({ label: t.camera, value: [media.camera.make, media.camera.model].filter(Boolean).join(' ') });
  }
  if (media.width && media.height) rows.push({ label: t.dimensions, value: `${media.width} × ${media.height}` });
  if (media.durationMs !== undefined) rows.push({ label: t.duration, value: formatDuration(media.durationMs, input.language) });
  if (media.location) {
    rows.push({ label: t.location, value: `${media.location.latitude.toFixed(5)}, ${media.location.longitude.toFixed(5)}` });
  }
  const tags = tagsOf(media);
  if (tags.length > 0) rows.push({ label: t.tags, value: tags.map((tag) => t.claimPhotos[tag]).join('; ') });
  if (item.playbackCopy) rows.push({ label: t.playbackCopy, value: t.playbackCopyText(item.playbackCopy.bundlePath) });
  return rows;
}

/** What a photo is tagged as showing (the courier photo set), known codes only, in vocabulary order. */
function tagsOf(media: EvidenceItem['media']): ClaimPhotoKind[] {
  // Media views carry `tags` once tagging exists; older views simply have none.
  const tags: readonly string[] = (media as { tags?: readonly string[] }).tags ?? [];
  return claimPhotoKinds.filter((kind) => tags.includes(kind));
}

// A stills sheet's cells: STILL_COLUMNS to a row, 4:3, a time label under each.
const STILL_GUTTER = 8;
const STILL_LABEL_HEIGHT = 12;
const stillCell = (pdf: ReportPdf) => {
  const width = (pdf.contentWidth - STILL_GUTTER * (STILL_COLUMNS - 1)) / STILL_COLUMNS;
  return { width, height: width * 0.75 };
};

function stillsTitle(lang: Language, entry: PreparedEvidence): string {
  const t = strings(lang);
  // A clip too short for a second still has no spacing to speak of: its one still is named by its time.
  return entry.stillsEveryMs ? t.stillsTitle(formatInterval(entry.stillsEveryMs, lang)) : t.stillTitle(formatOffset(entry.stills[0].offsetMs));
}

/** A stills sheet's title, its note and its first row: what never stands apart at the foot of a page. */
function stillsLeadHeight(pdf: ReportPdf, lang: Language, entry: PreparedEvidence): number {
  const t = strings(lang);
  return (
    4 +
    pdf.heightOf(stillsTitle(lang, entry), { width: pdf.contentWidth, size: SIZES.small, style: 'bold' }) +
    pdf.heightOf(t.stillsNote, { width: pdf.contentWidth, size: SIZES.tiny }) +
    4 +
    stillCell(pdf).height + STILL_LABEL_HEIGHT + STILL_GUTTER
  );
}

function writeStillsSheet(pdf: ReportPdf, lang: Language, entry: PreparedEvidence): void {
  const t = strings(lang);
  const shown = entry.stills.slice(0, MAX_STILLS_SHOWN);
  const title = stillsTitle(lang, entry);
  const gutter = STILL_GUTTER;
  const { width: cellWidth, height: cellHeight } = stillCell(pdf);
  const labelHeight = STILL_LABEL_HEIGHT;

  // The title and its note stay with the first row of stills, never alone at the foot of a page.
  pdf.ensureSpace(stillsLeadHeight(pdf, lang, entry));
  pdf.gap(4);
  pdf.text(title, { x: pdf.left, size: SIZES.small, style: 'bold' });
  pdf.text(t.stillsNote, { x: pdf.left, size: SIZES.tiny, color: COLORS.muted });
  pdf.gap(4);
  for (let start = 0; start < shown.length; start += STILL_COLUMNS) {
    pdf.ensureSpace(cellHeight + labelHeight + gutter);
    const top = pdf.y;
    shown.slice(start, start + STILL_COLUMNS).forEach((still, column) => {
      const x = pdf.left + column * (cellWidth + gutter);
      try {
        const drawn = pdf.image(still.path, { maxWidth: cellWidth, maxHeight: cellHeight, x, y: top, advance: false });
        pdf.text(formatOffset(still.offsetMs), { x, y: top + drawn.height + 1, width: cellWidth, size: SIZES.small, style: 'mono' });
      } catch {
        pdf.text(formatOffset(still.offsetMs), { x, y: top, width: cellWidth, size: SIZES.small, style: 'mono' });
      }
    });
    pdf.doc.x = pdf.left;
    pdf.y = top + cellHeight + labelHeight + gutter / 2;
  }
  if (entry.stills.length > shown.length) {
    pdf.text(t.moreStills(entry.stills.length - shown.length), { x: pdf.left, size: SIZES.tiny, color: COLORS.muted });
  }
}

/** "김민준 (ref B-1001)" */
export function buyerText(input: ReportInput, t: Strings): string | undefined {
  const buyer = input.order.buyer;
  if (!buyer?.name && !buyer?.ref) return undefined;
  // The buyer flag is the seller's private note and is deliberately not printed for outsiders.
  if (buyer.name && buyer.ref) return `${buyer.name} (${buyer.ref})`;
  return buyer.name ?? buyer.ref ?? t.notRecorded;
}

/**
 * Whose clock the times rest on, said plainly: an independent authority's time-stamp of the checkpoint
 * when there is one, otherwise the shop's own server (a party to the dispute).
 */
export function timeStatement(input: ReportInput, t: Strings): string {
  const stamp = input.ledger.timestamp;
  return stamp ? t.timeAttested(formatDateTime(stamp.genTime, input.shop.timezone), stamp.tsa) : t.timeNotAttested;
}

export function timeOrDate(value: string, timezone: string): string {
  return /T\d{2}:/.test(value) ? formatDateTime(value, timezone) : value;
}

export function itemsTable(pdf: ReportPdf, input: ReportInput): void {
  const t = strings(input.language);
  const lang = input.language;
  const currency = input.order.declaredValue?.currency;
  if (input.order.items.length === 0) {
    pdf.paragraph(t.noItems, { color: COLORS.muted });
    return;
  }
  pdf.table(
    [
      { header: t.itemName, width: 1 },
      { header: t.sku, width: 80 },
      { header: t.quantity, width: 36, align: 'right' },
      { header: t.unitWeight, width: 70, align: 'right' },
      { header: t.unitValue, width: 80, align: 'right' },
    ],
    input.order.items.map((item) => ({
      cells: [
        item.name,
        item.sku ?? '',
        formatNumber(item.quantity, lang),
        item.unitWeightGrams !== undefined ? formatGrams(item.unitWeightGrams, lang) : '',
        item.unitValue !== undefined ? (currency ? formatMoney(item.unitValue, currency, lang) : formatNumber(item.unitValue, lang)) : '',
      ],
    })),
  );
}

// ——— the report ———

/**
 * Who recorded this dispute's captures: paired phones (the packer app), signed-in people (files added
 * from a computer), or both. The report's opening says so instead of claiming every file came from the
 * packing table.
 */
function recordingSources(input: ReportInput): 'phones' | 'mixed' | 'people' {
  const kinds = new Set(input.captures.map((capture) => capture.recordedBy?.kind).filter(Boolean));
  if (!kinds.has('user')) return 'phones';
  return kinds.has('device') ? 'mixed' : 'people';
}

function writeReport(pdf: ReportPdf, input: ReportInput, prepared: PreparedEvidence[]): void {
  const t = strings(input.language);
  const tz = input.shop.timezone;

  pdf.title(t.reportTitle, `${t.reportSubtitle(input.shop.name)} · ${t.generatedAt} ${formatDateTime(input.generatedAt, tz)}`);
  pdf.paragraph(t.intro(input.shop.name, t.introRecording[recordingSources(input)]));
  pdf.paragraph(t.timesNote(describeZone(tz, input.generatedAt)), { color: COLORS.muted, size: SIZES.small });
  pdf.paragraph(timeStatement(input, t), { size: SIZES.small, style: 'bold', color: input.ledger.timestamp ? COLORS.text : COLORS.warn });

  writeDispute(pdf, input, t);
  writeOrder(pdf, input, t);
  writeWeights(pdf, input, t);
  writeTimeline(pdf, input, prepared, t);
  writeInspection(pdf, input, prepared, t);

  if (prepared.length > 0) {
    pdf.heading(t.hEvidence, 200);
    for (const entry of prepared) writeEvidenceItem(pdf, input, entry);
  }

  writeCaptureFacts(pdf, input, t);
  writeFingerprints(pdf, input, prepared, t);
  // The closing section on one page: the report never ends on a page with only its last few rows.
  pdf.keepTogether((page) => writeVerification(page, input, t));
}

function writeDispute(pdf: ReportPdf, input: ReportInput, t: Strings): void {
  const tz = input.shop.timezone;
  const { dispute } = input;
  pdf.heading(t.hDispute);
  const rows = [
    { label: t.reason, value: t.reasons[dispute.reason] },
    { label: t.counterparty, value: t.counterparties[dispute.counterparty] },
    ...(dispute.reference ? [{ label: t.reference, value: dispute.reference }] : []),
    ...(dispute.amount ? [{ label: t.amount, value: formatMoney(dispute.amount.value, dispute.amount.currency, input.language) }] : []),
    ...(dispute.respondBy ? [{ label: t.respondBy, value: timeOrDate(dispute.respondBy, tz) }] : []),
    { label: t.status, value: t.statuses[dispute.status] },
    { label: t.opened, value: formatDateTime(dispute.createdAt, tz) },
    ...(dispute.damageDescription ? [{ label: t.damageDescription, value: dispute.damageDescription }] : []),
    ...(dispute.note ? [{ label: t.note, value: dispute.note }] : []),
  ];
  pdf.keyValues(rows);
}

function writeOrder(pdf: ReportPdf, input: ReportInput, t: Strings): void {
  const tz = input.shop.timezone;
  const lang = input.language;
  const { order } = input;
  pdf.heading(t.hOrder);
  const buyer = buyerText(input, t);
  const rows = [
    { label: t.orderId, value: order.orderId, style: 'mono' as const },
    ...(order.channel ? [{ label: t.channel, value: order.channel }] : []),
    ...(buyer ? [{ label: t.buyer, value: buyer }] : []),
    ...(order.carrier ? [{ label: t.carrier, value: order.carrier }] : []),
    ...(order.trackingNumbers.length > 0 ? [{ label: t.tracking, value: order.trackingNumbers.join(', ') }] : []),
    ...(order.deliveryNote ? [{ label: t.deliveryNote, value: order.deliveryNote }] : []),
    ...(order.declaredValue ? [{ label: t.declaredValue, value: formatMoney(order.declaredValue.amount, order.declaredValue.currency, lang) }] : []),
    ...(order.shippedAt ? [{ label: t.shipped, value: formatDateTime(order.shippedAt, tz) }] : []),
    ...(order.deliveredAt ? [{ label: t.delivered, value: formatDateTime(order.deliveredAt, tz) }] : []),
    ...(order.expectedWeightGrams !== undefined ? [{ label: t.expectedWeight, value: expectedWeightText(order, t, lang) }] : []),
  ];
  pdf.keyValues(rows);
  pdf.subheading(t.hItems);
  itemsTable(pdf, input);
}

/** "970 g (820 g items + 150 g packaging)": the expected weight and, when packaging is counted, what it is made of. */
function expectedWeightText(order: ReportInput['order'], t: Strings, lang: Language): string {
  const total = formatGrams(order.expectedWeightGrams!, lang);
  const parts = order.expectedWeightParts;
  if (!parts || parts.packagingGrams <= 0) return total;
  return t.expectedWeightMakeUp(total, formatGrams(parts.itemsGrams, lang), formatGrams(parts.packagingGrams, lang));
}

function writeWeights(pdf: ReportPdf, input: ReportInput, t: Strings): void {
  const weighed = input.captures.filter((capture) => capture.weightGrams !== undefined);
  const packing = input.captures.filter((capture) => capture.kind === 'packing');
  if (weighed.length === 0 && packing.length === 0) return;
  pdf.heading(t.hWeight);
  if (weighed.length === 0) {
    pdf.paragraph(t.noWeight, { color: COLORS.muted });
    return;
  }
  for (const capture of weighed) {
    const assessment = weightAssessmentFor(input, capture);
    if (!assessment) continue;
    const entered =
      capture.weight && capture.weight.unit !== 'g' ? ` (${t.enteredAs(`${formatNumber(capture.weight.value, input.language)} ${capture.weight.unit}`)})` : '';
    const label = `${t.atCapture(t.captureKinds[capture.kind], formatDateTime(capture.startedAt, input.shop.timezone))}${entered}`;
    const sentence = weightSentence(assessment, input.language);
    pdf.ensureSpace(
      pdf.heightOf(label, { width: pdf.contentWidth, size: SIZES.small }) +
        pdf.heightOf(sentence, { width: pdf.contentWidth, style: 'bold', lineGap: 1.5 }) +
        6,
    );
    pdf.text(label, {
      x: pdf.left,
      size: SIZES.small,
      color: COLORS.muted,
    });
    pdf.paragraph(sentence, { style: 'bold', color: verdictColor(assessment), gapAfter: 6 });
  }
}

function writeTimeline(pdf: ReportPdf, input: ReportInput, prepared: PreparedEvidence[], t: Strings): void {
  const tz = input.shop.timezone;
  const lang = input.language;
  pdf.heading(t.hTimeline);
  if (input.captures.length === 0) {
    pdf.paragraph(t.noCaptures, { color: COLORS.muted });
    return;
  }
  type Row = { at: string; order: number; cells: string[] };
  const rows: Row[] = [];
  input.captures.forEach((capture, captureIndex) => {
    const kind = t.captureKinds[capture.kind];
    const details = [
      capture.station ? `${t.station} ${capture.station}` : undefined,
      capture.recordedBy?.name ? `${t.recordedBy} ${capture.recordedBy.name}` : undefined,
      capture.weightGrams !== undefined ? formatGrams(capture.weightGrams, lang) : undefined,
      capture.trackingNumber ? `${t.tracking} ${capture.trackingNumber}` : undefined,
      capture.note,
    ].filter(Boolean);
    rows.push({ at: capture.startedAt, order: captureIndex * 3, cells: [formatDateTime(capture.startedAt, tz), t.evCaptureStarted(kind), details.join(' · ')] });
    for (const media of capture.media) {
      const number = evidenceNumberOf(prepared, media.id);
      const mediaDetails = [
        number ? t.evidenceRef(number) : undefined,
        captionIn(media.caption, lang),
        `SHA-256 ${media.sha256.slice(0, 12)}…`,
      ].filter(Boolean);
      rows.push({ at: media.receivedAt, order: captureIndex * 3 + 1, cells: [formatDateTime(media.receivedAt, tz), t.evMediaReceived(t.mediaTypes[media.type]), mediaDetails.join(' · ')] });
    }
    if (capture.finishedAt) {
      rows.push({ at: capture.finishedAt, order: captureIndex * 3 + 2, cells: [formatDateTime(capture.finishedAt, tz), t.evCaptureFinished(kind), ''] });
    }
  });
  rows.sort((a, b) => a.at.localeCompare(b.at) || a.order - b.order);
  pdf.table(
    [
      { header: t.time, width: 118 },
      { header: t.event, width: 130 },
      { header: t.details, width: 1 },
    ],
    rows.map((row) => ({ cells: row.cells })),
  );
}

function writeInspection(pdf: ReportPdf, input: ReportInput, prepared: PreparedEvidence[], t: Strings): void {
  const inspections = input.captures.filter((capture) => capture.kind === 'unboxing');
  const aboutAReturn = input.dispute.reason.startsWith('return_');
  if (inspections.length === 0 && !aboutAReturn) return;
  pdf.heading(t.hInspection);
  if (inspections.length === 0) {
    pdf.paragraph(t.noInspection, { color: COLORS.muted });
    return;
  }
  for (const capture of inspections) {
    pdf.subheading(t.inspectionAt(formatDateTime(capture.startedAt, input.shop.timezone)));
    if (capture.outcome) {
      const outcome = t.outcomes[capture.outcome as InspectionOutcome] ?? capture.outcome;
      pdf.keyValues([{ label: t.outcome, value: outcome, color: capture.outcome === 'resellable' ? COLORS.good : COLORS.bad }]);
    }
    const checklist = capture.checklist ?? [];
    if (checklist.length > 0) {
      pdf.table(
        [
          { header: t.finding, width: 130 },
          { header: t.result, width: 90 },
          { header: t.note, width: 1 },
          { header: t.photos, width: 70 },
        ],
        checklist.map((entry) => ({
          cells: [
            t.checklistItems[entry.item as ChecklistItem] ?? entry.item,
            t.checklistResults[entry.result] ?? entry.result,
            entry.note ?? '',
            (entry.mediaIds ?? [])
              .map((id) => evidenceNumberOf(prepared, id))
              .filter((n): n is number => n !== undefined)
              .map((n) => `E${n}`)
              .join(', '),
          ],
          color: entry.result === 'issue' ? COLORS.bad : undefined,
        })),
      );
    }
    if (capture.note) pdf.paragraph(capture.note);
  }
}

/** Each capture's facts as the evidence log holds them, with the entry a verifier checks; or why it holds none. */
function writeCaptureFacts(pdf: ReportPdf, input: ReportInput, t: Strings): void {
  if (input.captures.length === 0) return;
  const tz = input.shop.timezone;
  const lang = input.language;
  const logged = input.ledger.captureFacts ?? [];
  pdf.heading(t.hCaptureFacts, 120);
  pdf.paragraph(t.captureFactsIntro, { size: SIZES.small });
  pdf.table(
    [
      { header: t.colCapture, width: 120 },
      { header: t.colFacts, width: 1 },
      { header: t.colInLog, width: 120 },
    ],
    input.captures.map((capture) => {
      const inLog = logged.find((entry) => entry.captureId === capture.id);
      const kind = t.captureKinds[capture.kind];
      if (!inLog) {
        return {
          cells: [`${kind}\n${formatDateTime(capture.startedAt, tz)}`, '', capture.finishedAt ? t.factsNotInLog : t.factsNotFinished],
          color: COLORS.muted,
        };
      }
      const f = inLog.facts;
      const issues = f.checklist.filter((check) => check.result === 'issue').length;
      const facts = [
        f.weight ? formatGrams(f.weight.grams, lang) : undefined,
        // The expected weight is a fact only beside a weight: a handover or desk upload weighed nothing.
        f.weight && f.expectedGrams !== null ? t.factsExpected(formatGrams(f.expectedGrams, lang)) : undefined,
        f.station !== null ? `${t.station} ${f.station}` : undefined,
        f.recordedBy?.name ? `${t.recordedBy} ${f.recordedBy.name}` : undefined,
        f.checklist.length > 0 ? t.factsChecklist(issues, f.checklist.length) : undefined,
        f.outcome !== null ? `${t.outcome}: ${t.outcomes[f.outcome as InspectionOutcome] ?? f.outcome}` : undefined,
        t.factsFiles(f.media.length),
      ].filter(Boolean);
      return {
        cells: [
          `${kind}\n${formatDateTime(f.started, tz)} – ${formatDateTime(f.finished, tz)}`,
          facts.join(' · '),
          t.factsInLog(formatNumber(inLog.leafIndex, lang)),
        ],
      };
    }),
    { size: SIZES.small },
  );
}

function writeFingerprints(pdf: ReportPdf, input: ReportInput, prepared: PreparedEvidence[], t: Strings): void {
  if (prepared.length === 0) return;
  pdf.heading(t.hFingerprints);
  pdf.paragraph(t.fingerprintsIntro, { size: SIZES.small });
  pdf.table(
    [
      { header: '#', width: 24 },
      { header: t.file, width: 1, style: 'mono' },
      { header: t.sha256, width: 150, style: 'mono' },
      { header: t.size, width: 58, align: 'right' },
      { header: t.receivedAt, width: 96 },
    ],
    prepared.map((entry) => ({
      cells: [
        `E${entry.number}`,
        entry.item.bundlePath,
        // Two lines of 32: a whole hash does not fit the column, and a break mid-way is easier to compare.
        `${entry.item.media.sha256.slice(0, 32)}\n${entry.item.media.sha256.slice(32)}`,
        formatNumber(entry.item.media.bytes, input.language),
        formatDateTime(entry.item.media.receivedAt, input.shop.timezone),
      ],
    })),
    { size: SIZES.tiny },
  );
}

function writeVerification(pdf: ReportPdf, input: ReportInput, t: Strings): void {
  pdf.heading(t.hVerify, 160);
  pdf.steps(t.verifySteps(formatNumber(input.ledger.checkpointSize, input.language), input.ledger.keyUrl ?? null));
  pdf.gap(2);
  pdf.paragraph(t.verifyDocuments, { size: SIZES.small });
  pdf.paragraph(t.verifyCheckpoint, { size: SIZES.small });
  pdf.paragraph(t.verifyManual, { size: SIZES.small });
  pdf.gap(2);
  pdf.keyValues(
    [
      { label: t.checkpointOrigin, value: input.ledger.origin, style: 'mono' },
      { label: t.checkpointSize, value: formatNumber(input.ledger.checkpointSize, input.language) },
      { label: t.checkpointRoot, value: input.ledger.rootHash, style: 'mono' },
      { label: t.verifierKey, value: input.ledger.verifierKey, style: 'mono' },
      input.ledger.keyUrl
        ? { label: t.keyPublishedAt, value: input.ledger.keyUrl, style: 'mono' as const }
        : { label: t.keyPublishedAt, value: t.keyPublishedUnknown },
      {
        label: t.timestampLabel,
        value: input.ledger.timestamp
          ? t.timestampValue(formatDateTime(input.ledger.timestamp.genTime, input.shop.timezone), input.ledger.timestamp.tsa)
          : t.timestampNone,
      },
      ...(input.ledger.timestamp ? [{ label: t.tsaCertificate, value: input.ledger.timestamp.certificateSha256, style: 'mono' as const }] : []),
    ],
    { labelWidth: 140, size: SIZES.small },
  );
}
