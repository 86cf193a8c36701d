// The courier-claim packet's letter: the facts a claims desk asks for (shipper, consignee, tracking,
// ship date, declared value, weight at packing, contents, damage), the filing deadline under the
// carrier's terms, a checklist of the photos couriers require, and those photos.
//
// The deadline, the photo checklist and the dates that do not agree arrive as data (ClaimInput.checklist,
// from services/claims/). The letter names no file its packet does not hold: the enclosures it lists,
// and the verifier and manifest.json that travel with them.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { daysUntil } from '../claims/claim-deadlines';
import { weighedPacking } from '../claims/claim-checklist';
import { isDayOnly, type DateConflict, type DatedFact } from '../claims/claim-dates';
import type { ClaimPhotoCheck } from '../claims/claim-photos';
import { captionIn } from './captions';
import { withWords, type FilingDeadline } from './carrier-rules';
import type { ClaimKind, Language } from '../../domain/vocabulary';
import {
  formatDate,
  formatDateTime,
  formatGrams,
  formatMoney,
  formatNumber,
  strings,
  type Strings,
} from './i18n';
import {
  buyerText,
  createDocument,
  prepareEvidence,
  timeStatement,
  verdictColor,
  weightAssessmentFor,
  writeEvidenceItem,
  type PreparedEvidence,
  type RenderOptions,
} from './dispute-report';
import { COLORS, SIZES, type ReportPdf } from './pdf-document';
import { weightSentence } from './weight-assessment';
import type { ClaimInput } from './report-input';

export interface ClaimLetterResult {
  deadline: FilingDeadline;
  photos: ClaimPhotoCheck[];
}

/** Writes the claim letter PDF into `destination`; resolves (with the deadline and checklist it printed) once written. */
export async function renderClaimLetter(
  input: ClaimInput,
  destination: NodeJS.WritableStream,
  options: RenderOptions = {},
): Promise<ClaimLetterResult> {
  const work = await fs.mkdtemp(path.join(options.workDir ?? os.tmpdir(), 'packtrail-claim-'));
  try {
    const prepared = await prepareEvidence(input.evidence, work, options);
    const deadline = withWords(input.checklist.deadline, input.language);
    const photos = input.checklist.photos;
    const pdf = createDocument(input, claimTitleOf(input));
    writeLetter(pdf, input, prepared, deadline, photos);
    await pdf.finish(destination);
    return { deadline, photos };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

/** Items missing from a delivered parcel: a partial-loss claim, which the letter must not call damage. */
const missingContents = (input: ClaimInput) => input.claimKind === 'damage' && input.dispute.reason === 'item_missing';
const claimTitleOf = (input: ClaimInput) => (missingContents(input) ? strings(input.language).claimTitleMissing : strings(input.language).claimTitle[input.claimKind]);

function writeLetter(pdf: ReportPdf, input: ClaimInput, prepared: PreparedEvidence[], deadline: FilingDeadline, photos: ClaimPhotoCheck[]): void {
  const t = strings(input.language);
  const tz = input.shop.timezone;
  const { order } = input;
  const carrierName = order.carrier ?? t.carriers[deadline.carrierKey];
  const tracking = order.trackingNumbers.length > 0 ? order.trackingNumbers.join(', ') : (input.captures.find((c) => c.trackingNumber)?.trackingNumber ?? t.notRecorded);

  // Letterhead: who writes, to whom, when.
  const top = pdf.y;
  const shipperLines = [input.shipper.name, input.shipper.address, input.shipper.phone ? `${t.phone} ${input.shipper.phone}` : undefined].filter(Boolean).join('\n');
  pdf.text(shipperLines, { x: pdf.left, y: top, width: pdf.contentWidth * 0.6, size: SIZES.small });
  const afterShipper = pdf.y;
  pdf.text(`${t.claimDate}: ${formatDate(input.generatedAt, tz)}`, { x: pdf.left + pdf.contentWidth * 0.6, y: top, width: pdf.contentWidth * 0.4, size: SIZES.small, align: 'right' });
  pdf.doc.x = pdf.left;
  pdf.y = Math.max(afterShipper, pdf.y) + 10;
  pdf.text(t.claimTo(carrierName), { x: pdf.left, size: SIZES.body, style: 'bold' });
  pdf.gap(10);
  pdf.title(claimTitleOf(input), `${t.tracking} ${tracking} · ${t.orderId} ${order.orderId}`);
  pdf.paragraph(missingContents(input) ? t.claimOpeningMissing(input.shipper.name, tracking) : t.claimOpening[input.claimKind](input.shipper.name, tracking));

  writeFacts(pdf, input, t, carrierName, tracking);
  writeDateConflicts(pdf, input, t, input.checklist.dateConflicts);
  writeDeadline(pdf, input, t, deadline);
  writePhotoChecklist(pdf, input, t, photos);

  pdf.heading(t.hEnclosures, 80);
  pdf.paragraph(prepared.length > 0 ? t.enclosuresText(prepared.length) : t.noEnclosures, { size: SIZES.small });
  pdf.paragraph(timeStatement(input, t), { size: SIZES.small, style: 'bold' });
  if (prepared.length > 0) {
    // File names are never wrapped: a name broken at a hyphen is copied (and extracted) without it, and
    // the agent looks for a file that is not there. The caption column gives way instead.
    const widestName = Math.max(...prepared.map((entry) => pdf.widthOf(entry.item.bundlePath, { size: SIZES.tiny, style: 'mono' })));
    pdf.table(
      [
        { header: '#', width: 24 },
        { header: t.file, width: Math.min(Math.ceil(widestName) + 10, pdf.contentWidth * 0.4), style: 'mono' },
        { header: t.caption, width: 1 },
        { header: t.sha256, width: 150, style: 'mono' },
        { header: t.receivedAt, width: 96 },
      ],
      prepared.map((entry) => ({
        cells: [
          `E${entry.number}`,
          entry.item.bundlePath,
          captionIn(entry.item.caption ?? entry.item.media.caption, input.language) ?? '',
          `${entry.item.media.sha256.slice(0, 32)}\n${entry.item.media.sha256.slice(32)}`,
          formatDateTime(entry.item.media.receivedAt, tz),
        ],
      })),
      { size: SIZES.tiny },
    );
    pdf.paragraph(t.enclosuresCheck, { size: SIZES.small });
  }
  pdf.paragraph(t.claimClosing[input.claimKind]);
  pdf.ensureSpace(50);
  pdf.gap(18);
  const lineY = pdf.y;
  pdf.doc.save().moveTo(pdf.left, lineY).lineTo(pdf.left + 200, lineY).lineWidth(0.6).strokeColor(COLORS.text).stroke().restore();
  pdf.gap(3);
  pdf.text(`${t.signature} · ${input.shipper.name}`, { x: pdf.left, size: SIZES.small, color: COLORS.muted });

  if (prepared.length > 0) {
    pdf.newPage();
    pdf.heading(t.hEvidence, 200);
    for (const entry of prepared) writeEvidenceItem(pdf, input, entry, { inPacket: true });
  }
}

/** A ship or delivery date as the shop's systems sent it: a day sent without a time is shown without one, not as 09:00. */
const orderDate = (iso: string, timezone: string) => (isDayOnly(iso) ? iso.slice(0, 10) : formatDateTime(iso, timezone));

function writeFacts(pdf: ReportPdf, input: ClaimInput, t: Strings, carrierName: string, tracking: string): void {
  const lang = input.language;
  const tz = input.shop.timezone;
  const { order } = input;
  pdf.heading(t.hClaimFacts);
  const packing = weighedPacking(input.captures);
  const weight = packing ? weightAssessmentFor(input, packing) : undefined;
  const contents = order.items.map((item) => `${formatNumber(item.quantity, lang)} × ${item.name}${item.sku ? ` (${item.sku})` : ''}`).join('\n');
  const consignee = [input.consignee.name, input.consignee.address].filter(Boolean).join('\n') || buyerText(input, t) || t.notRecorded;
  const rows = [
    { label: t.shipper, value: [input.shipper.name, input.shipper.address, input.shipper.phone].filter(Boolean).join('\n') },
    { label: t.consignee, value: consignee },
    { label: t.carrier, value: carrierName },
    { label: t.tracking, value: tracking },
    { label: t.orderId, value: order.orderId },
    { label: t.shipDate, value: order.shippedAt ? orderDate(order.shippedAt, tz) : t.notRecorded },
    ...(input.claimKind === 'damage' ? [{ label: t.deliveryDate, value: order.deliveredAt ? orderDate(order.deliveredAt, tz) : t.notRecorded }] : []),
    { label: t.declaredValue, value: order.declaredValue ? formatMoney(order.declaredValue.amount, order.declaredValue.currency, lang) : t.notRecorded },
    ...(input.dispute.amount ? [{ label: t.amountClaimed, value: formatMoney(input.dispute.amount.value, input.dispute.amount.currency, lang) }] : []),
    {
      label: t.weightAtPacking,
      value: packing?.weightGrams !== undefined ? `${formatGrams(packing.weightGrams, lang)} (${formatDateTime(packing.startedAt, tz)})` : t.notRecorded,
    },
    // The verdict is a shipment fact: it sits beside the weight it judges, not under the damage.
    ...(weight ? [{ label: t.weightCheck, value: weightSentence(weight, lang), style: 'bold' as const, color: verdictColor(weight) }] : []),
    { label: t.contents, value: contents || t.notRecorded },
    // Only what the seller entered for the courier (damageDescription); the dispute's own note never leaves.
    ...(input.claimKind === 'damage'
      ? [{ label: missingContents(input) ? t.missingDescription : t.damageDescription, value: input.dispute.damageDescription ?? t.notRecorded }]
      : []),
  ];
  pdf.keyValues(rows);
}

/** One date conflict in words, as the letter prints it and the dashboard shows it. */
export function dateConflictSentence(conflict: DateConflict, language: Language, timezone: string): string {
  // A calendar date (ship, delivery, the letter's) is shown as the day compared; a recorded moment as its time.
  const when = (fact: DatedFact) => fact.day ?? formatDateTime(fact.at, timezone);
  return strings(language).dateConflicts[conflict.code](when(conflict.subject), when(conflict.reference));
}

/** Right after the facts, before anything rests on them: dates that contradict each other, as recorded. */
function writeDateConflicts(pdf: ReportPdf, input: ClaimInput, t: Strings, conflicts: DateConflict[]): void {
  if (conflicts.length === 0) return;
  pdf.heading(t.hDateConflicts, 60);
  pdf.paragraph(t.dateConflictsIntro, { size: SIZES.small, color: COLORS.bad, style: 'bold' });
  for (const conflict of conflicts) {
    pdf.paragraph(`• ${dateConflictSentence(conflict, input.language, input.shop.timezone)}`, { size: SIZES.small, color: COLORS.bad });
  }
}

function writeDeadline(pdf: ReportPdf, input: ClaimInput, t: Strings, deadline: FilingDeadline): void {
  pdf.heading(t.hDeadline, 80);
  const today = formatDate(input.generatedAt, input.shop.timezone);
  const rows = [
    deadline.deadline
      ? {
          label: t.deadline,
          value: `${deadline.deadline} (${t.daysLeft(daysUntil(deadline.deadline, today))})`,
          color: daysUntil(deadline.deadline, today) < 0 ? COLORS.bad : COLORS.text,
          style: 'bold' as const,
        }
      : { label: t.deadline, value: `${t.deadlineUnknown}: ${deadline.reason ?? ''}`, color: COLORS.warn },
    ...(deadline.earliestFilingDate ? [{ label: t.earliestFiling, value: deadline.earliestFilingDate }] : []),
    { label: t.rule, value: `${deadline.terms}. ${deadline.rule}` },
  ];
  pdf.keyValues(rows);
}

function writePhotoChecklist(pdf: ReportPdf, input: ClaimInput, t: Strings, photos: ClaimPhotoCheck[]): void {
  const claimKind: ClaimKind = input.claimKind;
  pdf.heading(t.hClaimPhotos, 120);
  pdf.paragraph(t.claimPhotosIntro[claimKind], { size: SIZES.small });
  const box = 9;
  const statusWidth = 60;
  const detailWidth = 150;
  const labelX = pdf.left + box + 8;
  const labelWidth = pdf.contentWidth - box - 8 - statusWidth - detailWidth;
  for (const check of photos.filter((photo) => photo.required)) {
    const detail = check.evidence.length > 0 ? t.seeEvidence(check.evidence.map((n) => `E${n}`).join(', ')) : '';
    // A tick that rests on a label set after the recording says so beside it, with the day it was set.
    const later = check.labelledLater.map((label) => t.labelledLater(`E${label.evidence}`, formatDate(label.at, input.shop.timezone))).join('\n');
    const label = t.claimPhotos[check.kind];
    const detailHeight = pdf.heightOf(detail || ' ', { width: detailWidth, size: SIZES.small }) + (later ? pdf.heightOf(later, { width: detailWidth, size: SIZES.small }) : 0);
    const height = Math.max(pdf.heightOf(label, { width: labelWidth }), detailHeight, box) + 5;
    pdf.ensureSpace(height);
    const top = pdf.y;
    pdf.checkbox(pdf.left, top + 2, check.present, box);
    pdf.text(label, { x: labelX, y: top, width: labelWidth });
    pdf.text(check.present ? t.present : t.missing, {
      x: labelX + labelWidth + 6,
      y: top,
      width: statusWidth - 6,
      style: 'bold',
      color: check.present ? COLORS.good : COLORS.bad,
    });
    const detailX = labelX + labelWidth + statusWidth;
    if (detail) pdf.text(detail, { x: detailX, y: top + 1, width: detailWidth, size: SIZES.small, color: COLORS.muted });
    if (later) pdf.text(later, { x: detailX, y: pdf.y, width: detailWidth, size: SIZES.small, color: COLORS.warn });
    pdf.doc.x = pdf.left;
    pdf.y = top + height;
  }
  pdf.gap(4);
  // One file enclosed twice is one photo, whatever each copy is tagged as: said before anyone counts them.
  for (const group of input.checklist.sameFiles) {
    pdf.paragraph(t.sameFile(group.map((n) => `E${n}`)), { size: SIZES.small, style: 'bold', color: COLORS.bad });
  }
}
