// The courier-claim packet's letter: the facts a claims desk asks for (shipper, consignee, tracking,
// ship date, declared value, weight at packing, contents, damage), the filing deadline under the
// carrier's terms, a checklist of the photos couriers require, and those photos.
//
// Captioning convention (so assessClaimPhotos can tell which photo shows what). A seller or packer adds
// a tag anywhere in a photo's or video's caption; tags are case-insensitive and work in any of the three
// languages. Without a tag, the plain keywords listed further below are recognised as well.
//
//   what couriers ask for          tags (first one is the one the dashboard should offer)
//   packing, inside                #inside   #contents   #내부  #내용물   #內部  #內容物
//   packing, outside / sealed      #sealed   #outside    #봉인  #외부     #封箱  #外部
//   label close-up                 #label    #waybill    #운송장 #송장     #託運單 #面單
//   the damage                     #damage   #broken     #파손  #손상     #損壞  #破損
//   all sides of the parcel        #sides    #all-sides  #모든면          #各面
//                                  or one side per photo: #top #bottom #front #back #left #right,
//                                  #윗면 #아랫면 #앞면 #뒷면 #왼쪽 #오른쪽, #頂面 #底面 #正面 #背面 #左側 #右側
//   the parcel on the scale        #scale    #weight     #저울  #무게     #秤    #重量
//
// Besides captions: an untagged video of the packing counts for "inside" and "sealed" (a continuous
// recording shows both), and photos attached to a return-inspection finding marked "issue" on the outer
// box, seal, inner packaging, cushioning or protective film count as damage photos. "All sides" is
// present with one #sides/#all-sides item or four photos tagged with different sides.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CaptureView } from '../captures.service';
import { daysUntil, filingDeadline, type FilingDeadline } from './carrier-rules';
import { claimPhotoKinds, type ClaimKind, type ClaimPhotoKind } from '../../domain/vocabulary';
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
  verdictColor,
  weightAssessmentFor,
  writeEvidenceItem,
  type PreparedEvidence,
  type RenderOptions,
} from './dispute-report';
import { COLORS, SIZES, type ReportPdf } from './pdf-document';
import type { ClaimInput, EvidenceItem } from './report-input';

/** Tags per photo kind, the first of each being the one to offer in the dashboard. */
export const CLAIM_PHOTO_TAGS: Record<ClaimPhotoKind, string[]> = {
  packing_inside: ['#inside', '#contents', '#내부', '#내용물', '#內部', '#內容物'],
  packing_outside: ['#sealed', '#outside', '#봉인', '#외부', '#封箱', '#外部'],
  label_closeup: ['#label', '#waybill', '#운송장', '#송장', '#託運單', '#面單'],
  damage: ['#damage', '#broken', '#파손', '#손상', '#損壞', '#破損'],
  all_sides: ['#sides', '#all-sides', '#모든면', '#各面'],
  weight: ['#scale', '#weight', '#저울', '#무게', '#秤', '#重量'],
};

/** One side of the box per photo; four different ones make "all sides". */
export const SIDE_TAGS: Record<string, string[]> = {
  top: ['#top', '#윗면', '#頂面'],
  bottom: ['#bottom', '#아랫면', '#底面'],
  front: ['#front', '#앞면', '#正面'],
  back: ['#back', '#뒷면', '#背面'],
  left: ['#left', '#왼쪽', '#左側'],
  right: ['#right', '#오른쪽', '#右側'],
};

// Plain words in untagged captions. Deliberately few and specific: a wrong tick on a claim checklist is
// worse than a missing one the seller can fix by adding a tag.
const KEYWORDS: Record<ClaimPhotoKind, RegExp> = {
  packing_inside: /\binside\b|\bcontents\b|내부|내용물|內部|內容物|箱內/i,
  packing_outside: /\bsealed\b|\btaped\b|봉인|밀봉|封箱|封好/i,
  label_closeup: /\blabel\b|\bwaybill\b|운송장|송장|託運單|面單/i,
  damage: /\bdamage[sd]?\b|\bbroken\b|\bcrushed\b|\bdented\b|\btorn\b|파손|손상|찌그러|깨짐|損壞|破損|壓壞/i,
  all_sides: /\ball sides\b|모든 ?면|各面/i,
  weight: /\bscale\b|\bweigh(?:t|ing)?\b|저울|무게|秤|重量/i,
};

const DAMAGE_FINDINGS = new Set(['outer_box', 'seal', 'inner_packaging', 'cushioning', 'protective_film']);
const REQUIRED_SIDES = 4;

export interface ClaimPhotoCheck {
  kind: ClaimPhotoKind;
  /** Whether couriers ask for it with this kind of claim (damage photos make no sense for a lost parcel). */
  required: boolean;
  present: boolean;
  /** Evidence numbers (E1 = the first evidence item) that show it. */
  evidence: number[];
  /** How it was recognised when not by caption. */
  via?: 'video' | 'checklist';
  /** For all sides: how many different sides are tagged. */
  sides?: number;
}

/** Which of the photos couriers want are among the evidence, by caption tags, capture kinds and the inspection checklist. */
export function assessClaimPhotos(input: {
  evidence: EvidenceItem[];
  captures: CaptureView[];
  claimKind: ClaimKind;
}): ClaimPhotoCheck[] {
  const captureOf = (item: EvidenceItem) => input.captures.find((capture) => capture.id === item.media.captureId);
  const pictures = input.evidence
    .map((item, index) => ({ item, number: index + 1, caption: `${item.caption ?? ''} ${item.media.caption ?? ''}` }))
    .filter(({ item }) => item.media.type === 'photo' || item.media.type === 'video');
  const tagsOf = (caption: string) => new Set((caption.match(/#[\p{L}\p{N}_-]+/gu) ?? []).map((tag) => tag.toLowerCase()));
  const shows = (caption: string, kind: ClaimPhotoKind) => {
    const tags = tagsOf(caption);
    return CLAIM_PHOTO_TAGS[kind].some((tag) => tags.has(tag)) || KEYWORDS[kind].test(caption);
  };

  const damageMediaIds = new Set(
    input.captures.flatMap((capture) =>
      (capture.checklist ?? [])
        .filter((entry) => entry.result === 'issue' && DAMAGE_FINDINGS.has(entry.item))
        .flatMap((entry) => entry.mediaIds ?? []),
    ),
  );

  return claimPhotoKinds.map((kind): ClaimPhotoCheck => {
    const required = input.claimKind === 'damage' || (kind !== 'damage' && kind !== 'all_sides');
    const byCaption = pictures.filter(({ caption }) => shows(caption, kind)).map(({ number }) => number);

    if (kind === 'all_sides') {
      const sides = new Set<string>();
      const numbers = new Set(byCaption);
      for (const { caption, number } of pictures) {
        const tags = tagsOf(caption);
        for (const [side, sideTags] of Object.entries(SIDE_TAGS)) {
          if (sideTags.some((tag) => tags.has(tag))) {
            sides.add(side);
            numbers.add(number);
          }
        }
      }
      const present = byCaption.length > 0 || sides.size >= REQUIRED_SIDES;
      return { kind, required, present, evidence: [...numbers].sort((a, b) => a - b), ...(byCaption.length === 0 ? { sides: sides.size } : {}) };
    }
    if (byCaption.length > 0) return { kind, required, present: true, evidence: byCaption };

    if (kind === 'packing_inside' || kind === 'packing_outside') {
      const videos = pictures.filter(({ item }) => item.media.type === 'video' && captureOf(item)?.kind === 'packing').map(({ number }) => number);
      if (videos.length > 0) return { kind, required, present: true, evidence: videos, via: 'video' };
    }
    if (kind === 'damage') {
      const found = pictures.filter(({ item }) => damageMediaIds.has(item.media.id)).map(({ number }) => number);
      if (found.length > 0) return { kind, required, present: true, evidence: found, via: 'checklist' };
    }
    return { kind, required, present: false, evidence: [] };
  });
}

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
    const deadline = claimDeadline(input);
    const photos = assessClaimPhotos({ evidence: input.evidence, captures: input.captures, claimKind: input.claimKind });
    const pdf = createDocument(input, strings(input.language).claimTitle[input.claimKind]);
    writeLetter(pdf, input, prepared, deadline, photos);
    await pdf.finish(destination);
    return { deadline, photos };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

export function claimDeadline(input: Pick<ClaimInput, 'order' | 'captures' | 'shop' | 'claimKind' | 'international' | 'language'>): FilingDeadline {
  return filingDeadline({
    carrier: input.order.carrier,
    claim: input.claimKind,
    shippedAt: input.order.shippedAt ?? input.captures.find((capture) => capture.kind === 'handover')?.startedAt,
    deliveredAt: input.order.deliveredAt,
    timezone: input.shop.timezone,
    international: input.international,
    language: input.language,
  });
}

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
  pdf.title(t.claimTitle[input.claimKind], `${t.tracking} ${tracking} · ${t.orderId} ${order.orderId}`);
  pdf.paragraph(t.claimOpening[input.claimKind](input.shipper.name, tracking));

  writeFacts(pdf, input, t, carrierName, tracking);
  writeDeadline(pdf, input, t, deadline);
  writePhotoChecklist(pdf, t, photos, input.claimKind);

  pdf.heading(t.hEnclosures, 80);
  pdf.paragraph(t.enclosuresText(prepared.length), { size: SIZES.small });
  if (prepared.length > 0) {
    pdf.table(
      [
        { header: '#', width: 24 },
        { header: t.file, width: 0.55, style: 'mono' },
        { header: t.caption, width: 0.45 },
        { header: t.sha256, width: 150, style: 'mono' },
        { header: t.receivedAt, width: 96 },
      ],
      prepared.map((entry) => ({
        cells: [
          `E${entry.number}`,
          entry.item.bundlePath,
          entry.item.caption ?? entry.item.media.caption ?? '',
          `${entry.item.media.sha256.slice(0, 32)}\n${entry.item.media.sha256.slice(32)}`,
          formatDateTime(entry.item.media.receivedAt, tz),
        ],
      })),
      { size: SIZES.tiny },
    );
  }
  pdf.paragraph(t.claimClosing);
  pdf.ensureSpace(50);
  pdf.gap(18);
  const lineY = pdf.y;
  pdf.doc.save().moveTo(pdf.left, lineY).lineTo(pdf.left + 200, lineY).lineWidth(0.6).strokeColor(COLORS.text).stroke().restore();
  pdf.gap(3);
  pdf.text(`${t.signature} · ${input.shipper.name}`, { x: pdf.left, size: SIZES.small, color: COLORS.muted });

  if (prepared.length > 0) {
    pdf.newPage();
    pdf.heading(t.hEvidence, 200);
    for (const entry of prepared) writeEvidenceItem(pdf, input, entry, { pictureHeight: 280 });
  }
}

function writeFacts(pdf: ReportPdf, input: ClaimInput, t: Strings, carrierName: string, tracking: string): void {
  const lang = input.language;
  const tz = input.shop.timezone;
  const { order } = input;
  pdf.heading(t.hClaimFacts);
  const packing = input.captures.filter((capture) => capture.kind === 'packing' && capture.weightGrams !== undefined).at(-1);
  const weight = packing ? weightAssessmentFor(input, packing) : undefined;
  const contents = order.items.map((item) => `${formatNumber(item.quantity, lang)} × ${item.name}${item.sku ? ` (${item.sku})` : ''}`).join('\n');
  const consignee = [input.consignee.name, input.consignee.address].filter(Boolean).join('\n') || buyerText(input, t) || t.notRecorded;
  const rows = [
    { label: t.shipper, value: [input.shipper.name, input.shipper.address, input.shipper.phone].filter(Boolean).join('\n') },
    { label: t.consignee, value: consignee },
    { label: t.carrier, value: carrierName },
    { label: t.tracking, value: tracking },
    { label: t.orderId, value: order.orderId },
    { label: t.shipDate, value: order.shippedAt ? formatDateTime(order.shippedAt, tz) : t.notRecorded },
    ...(input.claimKind === 'damage' ? [{ label: t.deliveryDate, value: order.deliveredAt ? formatDateTime(order.deliveredAt, tz) : t.notRecorded }] : []),
    { label: t.declaredValue, value: order.declaredValue ? formatMoney(order.declaredValue.amount, order.declaredValue.currency, lang) : t.notRecorded },
    ...(input.dispute.amount ? [{ label: t.amountClaimed, value: formatMoney(input.dispute.amount.value, input.dispute.amount.currency, lang) }] : []),
    {
      label: t.weightAtPacking,
      value: packing?.weightGrams !== undefined ? `${formatGrams(packing.weightGrams, lang)} (${formatDateTime(packing.startedAt, tz)})` : t.notRecorded,
    },
    { label: t.contents, value: contents || t.notRecorded },
    ...(input.claimKind === 'damage'
      ? [{ label: t.damageDescription, value: input.dispute.damageDescription ?? input.dispute.note ?? t.notRecorded }]
      : []),
  ];
  pdf.keyValues(rows);
  if (weight) {
    pdf.gap(2);
    pdf.paragraph(weight.sentence(lang), { style: 'bold', color: verdictColor(weight), size: SIZES.small });
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

function writePhotoChecklist(pdf: ReportPdf, t: Strings, photos: ClaimPhotoCheck[], claimKind: ClaimKind): void {
  pdf.heading(t.hClaimPhotos, 120);
  pdf.paragraph(t.claimPhotosIntro[claimKind], { size: SIZES.small });
  const box = 9;
  const statusWidth = 60;
  const labelX = pdf.left + box + 8;
  const labelWidth = pdf.contentWidth - box - 8 - statusWidth - 150;
  for (const check of photos.filter((photo) => photo.required)) {
    const detail = [
      check.evidence.length > 0 ? t.seeEvidence(check.evidence.map((n) => `E${n}`).join(', ')) : undefined,
      check.via === 'video' ? t.viaVideo : check.via === 'checklist' ? t.viaChecklist : undefined,
      check.sides !== undefined && !check.present ? t.partialSides(check.sides) : undefined,
    ]
      .filter(Boolean)
      .join(' · ');
    const label = t.claimPhotos[check.kind];
    const height = Math.max(pdf.heightOf(label, { width: labelWidth }), pdf.heightOf(detail || ' ', { width: 150, size: SIZES.small }), box) + 5;
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
    if (detail) pdf.text(detail, { x: labelX + labelWidth + statusWidth, y: top + 1, width: 150, size: SIZES.small, color: COLORS.muted });
    pdf.doc.x = pdf.left;
    pdf.y = top + height;
  }
  pdf.gap(4);
}
