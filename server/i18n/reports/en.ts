// Every word a report or claim letter prints, in English: the reference the other languages follow
// (their files must have exactly these keys). Labels of vocabulary terms are keyed by their codes.
import type {
  CaptureKind, CarrierKey, ChecklistItem, ChecklistResult, ClaimDateConflict, ClaimKind, ClaimPhotoKind, Counterparty, DisputeReason, DisputeStatus,
  InspectionOutcome, MediaType,
} from '../../domain/vocabulary';

const COUNT_WORDS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
/** Small counts in words, as a sentence says them ("about one 380 g item short"). */
const countWord = (n: number) => COUNT_WORDS[n - 1] ?? String(n);

const en = {
  reasons: {
    item_missing: 'Item missing',
    damaged: 'Arrived damaged',
    not_received: 'Not received',
    not_as_described: 'Not as described',
    wrong_item: 'Wrong item received',
    return_damaged: 'Return arrived damaged',
    return_used: 'Return was used',
    return_missing_parts: 'Return is missing parts',
    chargeback: 'Chargeback',
    other: 'Other',
  } satisfies Record<DisputeReason, string>,
  counterparties: {
    buyer: 'Buyer',
    marketplace: 'Marketplace',
    payment_processor: 'Payment processor',
    courier: 'Courier',
  } satisfies Record<Counterparty, string>,
  statuses: {
    open: 'Open',
    submitted: 'Submitted',
    won: 'Won',
    lost: 'Lost',
    closed: 'Closed',
  } satisfies Record<DisputeStatus, string>,
  captureKinds: {
    packing: 'Packing',
    unboxing: 'Return unboxing',
    handover: 'Handover to courier',
    other: 'Other recording',
  } satisfies Record<CaptureKind, string>,
  mediaTypes: { photo: 'Photo', video: 'Video', audio: 'Audio recording', document: 'Document' } satisfies Record<MediaType, string>,
  checklistItems: {
    outer_box: 'Outer box',
    seal: 'Seal (tape)',
    inner_packaging: 'Inner packaging',
    cushioning: 'Cushioning',
    protective_film: 'Protective film',
    signs_of_use: 'Signs of use',
    accessories_complete: 'Accessories complete',
  } satisfies Record<ChecklistItem, string>,
  checklistResults: { ok: 'OK', issue: 'Problem found', not_applicable: 'Not applicable' } satisfies Record<ChecklistResult, string>,
  outcomes: {
    resellable: 'Resellable',
    damaged: 'Damaged',
    used: 'Used',
    wrong_item: 'Wrong item returned',
    parts_missing: 'Parts missing',
  } satisfies Record<InspectionOutcome, string>,
  claimPhotos: {
    packing_inside: 'Packing, inside: the items in the box with their cushioning',
    packing_outside: 'Packing, outside: the closed and sealed box',
    label_closeup: 'Shipping label, close-up and readable',
    damage: 'The damage: box and contents as received',
    all_sides: 'The parcel from all sides',
    weight: 'The parcel on the scale, display readable',
  } satisfies Record<ClaimPhotoKind, string>,
  carriers: {
    kr_standard: 'Korean parcel carrier (standard parcel terms)',
    korea_post: 'Korea Post',
    ups: 'UPS',
    fedex: 'FedEx',
    usps: 'USPS',
    dhl_express: 'DHL Express',
    unknown: 'Carrier',
  } satisfies Record<CarrierKey, string>,

  // ——— the report ———
  reportTitle: 'Dispute evidence report',
  reportSubtitle: (shop: string) => `Prepared by ${shop}`,
  intro: (shop: string, recording: string) =>
    `${shop} records every parcel it packs and every return it opens with Packtrail, a self-hosted evidence ` +
    `service. ${recording} For each file the ` +
    "server records the time it received it (the server's clock, not the phone's) and its SHA-256 fingerprint, " +
    'and adds both to a signed, append-only log. This report summarises that evidence for one dispute. The ' +
    'original files are in the same bundle, unchanged, under media/, and the last section explains how anyone ' +
    'can check them without contacting us.',
  /** Where this dispute's files came from, as its captures record it (who recorded each: a paired phone or a signed-in person). */
  introRecording: {
    phones: 'Every capture here was recorded in the packer app on a paired phone and uploaded from that phone.',
    mixed:
      'Captures recorded in the packer app on a paired phone were uploaded from that phone; the others were added by ' +
      'the shop from a computer. The timeline names the phone or person that recorded each capture.',
    people: 'The files here were added by the shop from a computer; the timeline names the person who recorded each capture.',
  },
  timesNote: (zone: string) => `All times are the server's receive times, shown in the shop's time zone: ${zone}.`,
  timeAttested: (time: string, tsa: string) =>
    `Independent time: the signed checkpoint that covers this evidence was time-stamped (RFC 3161) by ${tsa}, ` +
    `an authority independent of the shop. Every original listed therefore existed, byte for byte, no later than ${time}.`,
  timeNotAttested:
    'Times rest on the shop’s own server: every time in this document comes from the clock of the shop’s server, ' +
    'which the shop controls. No independent time-stamping authority has attested them.',
  generatedAt: 'Report generated',
  page: (n: number, total: number) => `Page ${n} of ${total}`,
  footerDispute: (id: string) => `Dispute ${id}`,
  // The evidence document of a recipient packet (services/packets/fitting/evidence-pdf.ts).
  evidencePdf: {
    footer: 'Evidence document: pictures are reduced copies of the originals',
    hPictures: 'Pictures',
    picture: (n: number) => `Picture ${n}`,
    hLeftOut: 'Left out to stay within the limits',
    leftOut: (pictures: number, paragraphs: number, limits: string) =>
      `To stay within this recipient's limits (${limits}), ` +
      [pictures > 0 ? `${pictures} picture${pictures === 1 ? ' was' : 's were'} left out` : '',
        paragraphs > 0 ? `${paragraphs} paragraph${paragraphs === 1 ? ' was' : 's were'} shortened away` : '']
        .filter(Boolean).join(' and ') + ':',
    originalsElsewhere:
      'Nothing is lost: the seller keeps the full originals unchanged; where a link to them is given in this document, they can be viewed there.',
    limits: (pages: number, megabytes: string) => `at most ${pages} page${pages === 1 ? '' : 's'} and ${megabytes} MB`,
  },

  hDispute: 'The dispute',
  hOrder: 'The order',
  hItems: 'Items ordered',
  hWeight: 'Weights measured',
  hTimeline: 'Timeline',
  hInspection: 'Return inspection',
  hEvidence: 'Evidence',
  hFingerprints: 'Original files and their fingerprints',
  hVerify: 'How to verify this evidence',

  reason: 'Reason',
  counterparty: 'Raised by / with',
  reference: 'Case reference',
  amount: 'Amount in dispute',
  respondBy: 'Respond by',
  status: 'Status',
  opened: 'Opened',
  note: 'Note',
  damageDescription: 'Damage description',
  orderId: 'Order ID',
  channel: 'Sales channel',
  buyer: 'Buyer',
  carrier: 'Carrier',
  tracking: 'Tracking number',
  deliveryNote: 'Delivery note from the buyer',
  declaredValue: 'Declared value',
  shipped: 'Shipped',
  delivered: 'Delivered',
  expectedWeight: 'Expected weight',
  expectedWeightMakeUp: (total: string, items: string, packaging: string) => `${total} (${items} items + ${packaging} packaging)`,
  itemName: 'Item',
  sku: 'SKU',
  quantity: 'Qty',
  unitWeight: 'Unit weight',
  unitValue: 'Unit value',
  noItems: 'No items were recorded for this order.',

  measured: 'Measured',
  enteredAs: (value: string) => `entered as ${value}`,
  atCapture: (kind: string, time: string) => `${kind}, ${time}`,
  noWeight: 'No weight was recorded at packing.',

  time: 'Time',
  event: 'Event',
  details: 'Details',
  evCaptureStarted: (kind: string) => `${kind} started`,
  evCaptureFinished: (kind: string) => `${kind} finished`,
  evMediaReceived: (type: string) => `${type} received`,
  station: 'station',
  recordedBy: 'by',
  evidenceRef: (n: number) => `shown below as E${n}`,
  noCaptures: 'Nothing was recorded for this order.',

  inspectionAt: (time: string) => `Opened ${time}`,
  finding: 'Checked',
  result: 'Result',
  outcome: 'Outcome',
  photos: 'Photos',
  noInspection: 'No return inspection was recorded for this order.',

  evidenceHeading: (n: number, type: string, kind: string) => `E${n} · ${type} from the ${kind.toLowerCase()}`,
  caption: 'Caption',
  bundlePath: 'File in bundle',
  packetPath: 'File in packet',
  sha256: 'SHA-256',
  size: 'Size',
  bytes: (formatted: string) => `${formatted} bytes`,
  receivedAt: 'Received by the server',
  claimedAt: "Capture time claimed by the device (not verified)",
  claimedFrom: { client: 'from the phone', exif: 'from the photo’s EXIF' } as Record<'client' | 'exif', string>,
  camera: 'Camera',
  dimensions: 'Picture size',
  duration: 'Duration',
  location: 'Location (from EXIF)',
  stillsTitle: (every: string) => `Stills from the video, one every ${every} (time from the start of the recording)`,
  stillsNote:
    'Many recipients accept no video, so these stills show its course. The full, unedited recording is the original file named above.',
  noPreview: 'No picture of this file can be shown here; the original is in the bundle.',
  noPreviewPacket: 'No picture of this file can be shown here; the original is in the packet.',
  /** HEIC photos: the bundled image library cannot decode them, so no picture of one is ever made. */
  heicNoPreview: 'HEIC photo: open the original; no preview can be made.',
  notAPicture: 'This file is not a picture; the original is in the bundle.',
  notAPicturePacket: 'This file is not a picture; the original is in the packet.',
  moreStills: (n: number) => `${n} more stills are not shown.`,
  stillTitle: (at: string) => `A still from the video at ${at} (time from the start of the recording)`,
  tags: 'Tagged as showing',
  playbackCopy: 'MP4 playback copy',
  playbackCopyText: (file: string) =>
    `${file}: made by the server from this original for players that do not open WebM. It is not the original; its SHA-256 and the original's are in manifest.json.`,

  fingerprintsIntro:
    'A SHA-256 fingerprint identifies a file exactly: changing a single byte gives a completely different value. ' +
    'Each value below was computed by the server as the file arrived.',
  file: 'File',

  verifySteps: (size: string, keyUrl: string | null) => [
    'Unzip the bundle into a folder. Keep its layout: report.pdf, media/, verification/, manifest.json.',
    'In a web browser, open verification/verify.html and choose the unzipped folder; or, with Node.js 18 or ' +
      'newer, run "node verification/verify.mjs" inside that folder. Nothing is installed and nothing is sent ' +
      'anywhere: the check runs on your computer.',
    'For every original it reports "verified" or what failed. It checks three things: that the file’s bytes ' +
      'have the SHA-256 shown in this report; that this fingerprint is an entry of the shop’s evidence log; and ' +
      `that the log, at the checkpoint of ${size} entries below, is signed by the shop’s key.`,
    'The checks prove the files are unchanged since the log below recorded them; a bundle from any other ' +
      'installation verifies just as well against its own key, so confirm the key below is the shop’s own. ' +
      (keyUrl
        ? `The shop publishes its key at ${keyUrl}: open that address and compare.`
        : 'This bundle does not say where the shop publishes its key: ask the shop for it (its server shows it at ' +
          '/api/v1/ledger/key), or compare with a copy of the key you received earlier.'),
  ],
  verifyCheckpoint:
    'What a checkpoint is: the evidence log only ever grows. A checkpoint is a signed statement of its size and ' +
    'of a single hash (the root) that depends on every entry in it. If any earlier entry were changed or removed ' +
    'the root would no longer match, and the signature would give it away. A file whose entry is in the ' +
    'checkpoint therefore existed, byte for byte, no later than the moment the checkpoint was signed.',
  verifyManual:
    'Without our tools: compute the SHA-256 of a file yourself (for example "sha256sum FILE" on Linux, ' +
    '"shasum -a 256 FILE" on macOS, "certutil -hashfile FILE SHA256" on Windows) and compare it with the value ' +
    'in this report and in manifest.json.',
  checkpointOrigin: 'Log name (origin)',
  checkpointSize: 'Checkpoint size (entries)',
  checkpointRoot: 'Root hash',
  verifierKey: 'Verifier key',
  keyPublishedAt: 'Key published at',
  keyPublishedUnknown: 'not stated in this bundle: ask the shop',
  verifyDocuments:
    'The same check covers the rest of the bundle. Each capture’s facts (the section "Capture facts in the evidence log") ' +
    'are checked against their own entry in the log. This report, manifest.json and the other files made at export ' +
    'are listed with their SHA-256 in verification/export-statement.txt, which the server signed with the same key: ' +
    'the verifiers name any file changed, removed or added since.',

  timestampLabel: 'Independent time-stamp',
  timestampValue: (time: string, tsa: string) => `Existed no later than ${time}, attested by ${tsa}`,
  timestampNone: 'None: times rest on the shop’s own server clock',
  tsaCertificate: 'Time-stamping authority certificate (SHA-256)',

  // ——— capture facts ———
  hCaptureFacts: 'Capture facts in the evidence log',
  captureFactsIntro:
    'When a capture finished, the server recorded its facts as an entry of the evidence log: order, kind, station, ' +
    'who recorded it, start and finish times, the weight as entered, the weight expected at that moment, checklist ' +
    'findings and outcome, and the SHA-256 of each of its files. The verifiers in verification/ check each entry ' +
    'against the signed log and show the facts it holds.',
  colCapture: 'Capture',
  colFacts: 'Facts recorded',
  colInLog: 'Evidence log',
  factsInLog: (index: string) => `Verified in the log: entry ${index}`,
  factsNotInLog: 'Not in the log: finished before capture facts were recorded',
  factsNotFinished: 'Not in the log: not finished',
  factsExpected: (weight: string) => `expected then ${weight}`,
  factsChecklist: (issues: number, total: number) => `checklist: ${issues} of ${total} with an issue`,
  factsFiles: (n: number) => (n === 1 ? '1 file' : `${n} files`),

  // ——— weights ———
  weight: {
    items: (n: number) => (n === 1 ? '1 item' : `${n} items`),
    measuredPart: (measured: string) => `${measured} measured`,
    expectedPart: (items: string, expected: string, tolerance: string) => `${items} expected ${expected} ± ${tolerance}`,
    withPackaging: (items: string, packaging: string) => `${items} + ${packaging} packaging`,
    // A return is held to the parcel as it was weighed at packing.
    shippedPart: (shipped: string, tolerance: string) => `${shipped} at packing ± ${tolerance}`,
    consistent: 'consistent with all items',
    consistentShipped: 'consistent with the parcel as it was packed',
    oneMissing: (grams: string) => `one item missing would weigh about ${grams}`,
    lightestMissing: (grams: string, item: string) => `without the lightest item (${item}) it would weigh about ${grams}`,
    tooLightToTell: (item: string) => `weight alone cannot show whether one ${item} is missing`,
    lighter: (diff: string) => `${diff} lighter than expected`,
    heavier: (diff: string) => `${diff} heavier than expected`,
    lighterShipped: (diff: string) => `${diff} lighter than at packing`,
    heavierShipped: (diff: string) => `${diff} heavier than at packing`,
    short: (candidates: string) => `about ${candidates}`,
    /** "one 380 g item short (Mug)" */
    unitShort: (count: number, unitGrams: string, name: string) => `${countWord(count)} ${unitGrams} ${count === 1 ? 'item' : 'items'} short (${name})`,
    extra: (candidates: string) => `as if ${candidates} were in the box`,
    /** "one more 380 g item (Mug)" */
    unitExtra: (count: number, unitGrams: string, name: string) => `${countWord(count)} more ${unitGrams} ${count === 1 ? 'item' : 'items'} (${name})`,
    or: ' or ',
    noMatch: 'no whole number of any one item accounts for the difference',
    packagingOrExtra: 'heavier packaging or an extra item may account for it',
    repackedOrExtra: 'other packaging or something added may account for it',
    noMeasured: 'No weight was measured at packing',
    noExpected: (items: string) => `no expected weight (not every item has a unit weight${items ? `: ${items}` : ''})`,
    noExpectedThen: 'no expected weight was known when it was weighed',
    separator: '; ',
    comma: ', ',
  },

  // ——— carriers' claim deadlines (carrier-rules.ts) ———
  carrierRules: {
    terms: {
      kr_standard: 'Korean standard parcel terms (택배 표준약관, Fair Trade Commission standard form no. 10026)',
      korea_post: 'Korean Postal Services Act (우편법), which governs Korea Post parcels',
      ups: 'UPS Tariff/Terms and Conditions of Service – United States',
      fedex: 'FedEx Service Guide (United States)',
      usps: 'USPS Domestic Mail Manual, section 609 (insured mail)',
      dhl_express: 'DHL Express Terms and Conditions of Carriage',
      unknown: 'the carrier’s own terms',
    } satisfies Record<CarrierKey, string>,
    damage: {
      kr_standard:
        'The carrier’s liability for damage or partial loss (missing contents count as partial loss) ends unless the carrier ' +
        'is notified within 14 days of the day the consignee received the parcel. Deadline: 14 days after delivery.',
      korea_post:
        'A claim for compensation lapses one year after the day the parcel was posted. Report damage as soon as the parcel ' +
        'is received: damage raised only after the parcel was accepted without remark may be refused. Deadline: one year after the ship date.',
      ups:
        'UPS must receive notice of a claim for damage or missing contents within 60 days after delivery (the claim itself ' +
        'must then be complete within 9 months). Deadline: 60 days after delivery.',
      fedex:
        'Damage (visible or concealed) and missing contents must be reported within 60 calendar days after delivery for ' +
        'shipments within the United States. Deadline: 60 days after delivery.',
      fedexInternational:
        'For international shipments, damage (visible or concealed) and missing contents must be reported within 21 calendar ' +
        'days after delivery. Deadline: 21 days after delivery.',
      usps:
        'A claim for damage or missing contents must be filed as soon as possible and no later than 60 days from the mailing ' +
        'date. Deadline: 60 days after the ship date.',
      dhl_express:
        'Every claim must reach DHL in writing within 30 days of the date DHL accepted the shipment: counted from pickup, ' +
        'not from delivery. Deadline: 30 days after the ship date.',
      unknown: 'This carrier is not one whose rules we know; check its terms. Most carriers want damage reported within days of delivery.',
    } satisfies Record<CarrierKey | 'fedexInternational', string>,
    loss: {
      kr_standard:
        'For a parcel lost entirely, the carrier’s liability ends one year after the scheduled delivery date (with none on the ' +
        'waybill, the terms take 2 days after pickup, 3 for islands and remote areas). This deadline counts one year from the ' +
        'ship date, which is earlier, to be safe. Report the loss to the carrier as soon as tracking stops.',
      korea_post: 'A claim for compensation lapses one year after the day the parcel was posted. Deadline: one year after the ship date.',
      ups:
        'For a parcel never delivered, UPS must receive notice of the claim within 60 days after the scheduled delivery date. ' +
        'No scheduled date is recorded here, so this deadline counts 60 days from the ship date, which is earlier, to be safe.',
      fedex: 'Claims for non-delivery must be reported within 9 months after FedEx accepted the shipment. Deadline: 9 months after the ship date.',
      fedexInternational:
        'Claims for non-delivery must be reported within 9 months after FedEx accepted the shipment. Deadline: 9 months after the ship date.',
      usps:
        'A claim for a lost insured parcel can be filed no sooner than 15 days (Priority Mail Express: 7 days) and no later ' +
        'than 60 days after the mailing date. Deadline: 60 days after the ship date.',
      dhl_express:
        'Every claim must reach DHL in writing within 30 days of the date DHL accepted the shipment. DHL processes a loss ' +
        'only after a trace, so ask for one at once. Deadline: 30 days after the ship date.',
      unknown: 'This carrier is not one whose rules we know; check its terms.',
    } satisfies Record<CarrierKey | 'fedexInternational', string>,
    noDeliveryDate: 'No delivery date is recorded for this order, and this deadline runs from delivery. Record the delivery date to compute it.',
    noShipDate: 'No ship date is recorded for this order, and this deadline runs from shipping. Record the ship date to compute it.',
    unknownCarrier: 'The carrier is not recognised, so no deadline can be computed.',
  },

  // ——— courier claims ———
  claimTitle: { damage: 'Claim for damage to a parcel', loss: 'Claim for a lost parcel' } satisfies Record<ClaimKind, string>,
  // Items missing from a delivered parcel: a partial loss, not damage.
  claimTitleMissing: 'Claim for items missing from a parcel (partial loss)',
  claimOpeningMissing: (shipper: string, tracking: string) =>
    `${shipper} claims compensation for the parcel with tracking number ${tracking}, which reached the consignee with items missing from it. ` +
    'The shipment facts, the filing deadline under your terms, the photos couriers ask for and the evidence enclosed follow.',
  missingDescription: 'What is missing',
  claimTo: (carrier: string) => `To: ${carrier}, claims department`,
  claimFrom: (shipper: string) => `From: ${shipper}`,
  claimDate: 'Date',
  claimOpening: {
    damage: (shipper: string, tracking: string) =>
      `${shipper} claims compensation for the parcel with tracking number ${tracking}, which reached the consignee damaged. ` +
      'The shipment facts, the filing deadline under your terms, the photos couriers ask for and the evidence enclosed follow.',
    loss: (shipper: string, tracking: string) =>
      `${shipper} claims compensation for the parcel with tracking number ${tracking}, which was handed to you and has not been delivered. ` +
      'The shipment facts, the filing deadline under your terms, the photos couriers ask for and the evidence enclosed follow.',
  },
  hClaimFacts: 'Shipment facts',
  shipper: 'Shipper',
  consignee: 'Consignee',
  shipDate: 'Ship date',
  deliveryDate: 'Delivery date',
  weightAtPacking: 'Weight at packing',
  weightCheck: 'Weight check',
  contents: 'Contents',
  phone: 'Phone',
  address: 'Address',
  hDeadline: 'Filing deadline',
  deadline: 'File by',
  deadlineUnknown: 'Not computable',
  rule: 'Rule applied',
  earliestFiling: 'Earliest filing date',
  hClaimPhotos: 'Photos couriers ask for',
  claimPhotosIntro: {
    damage:
      'Couriers judge a damage claim on photos of the packing inside and out, the label, the damage and the parcel from all sides. ' +
      'This list shows which of them this claim includes.',
    loss:
      'Couriers judge a loss claim on photos of the packing inside and out, the label and the parcel on the scale. ' +
      'This list shows which of them this claim includes.',
  } satisfies Record<ClaimKind, string>,
  present: 'Present',
  missing: 'Missing',
  seeEvidence: (refs: string) => `see ${refs}`,
  // A tag set after the recording finished is the seller's label, not part of the logged recording.
  labelledLater: (ref: string, date: string) => `${ref}: labelled by the seller on ${date}, after recording`,
  sameFile: (refs: string[]) =>
    `${refs.length === 2 ? refs.join(' and ') : `${refs.slice(0, -1).join(', ')} and ${refs.at(-1)}`} are the same file (identical SHA-256): ` +
    'one file enclosed more than once, not separate evidence.',
  hDateConflicts: 'Dates that do not agree',
  dateConflictsIntro:
    'As recorded, these dates cannot all be right. They are shown here as recorded, not corrected; we will explain ' +
    'or correct them on request.',
  dateConflicts: {
    delivered_before_shipped: (delivered: string, shipped: string) => `The delivery date (${delivered}) is before the ship date (${shipped}).`,
    packed_after_shipped: (packed: string, shipped: string) => `The packing was recorded at ${packed}, after the ship date (${shipped}).`,
    packed_after_delivered: (packed: string, delivered: string) => `The packing was recorded at ${packed}, after the delivery date (${delivered}).`,
    handed_over_before_packed: (handover: string, packed: string) =>
      `The handover to the courier was recorded at ${handover}, before the packing began (${packed}).`,
    handed_over_after_delivered: (handover: string, delivered: string) =>
      `The handover to the courier was recorded at ${handover}, after the delivery date (${delivered}).`,
    return_opened_before_delivered: (opened: string, delivered: string) =>
      `The returned parcel was opened at ${opened}, before the delivery date (${delivered}).`,
    packed_after_claim: (packed: string, claimed: string) => `The packing was recorded at ${packed}, after this claim was opened (${claimed}).`,
    handed_over_after_claim: (handover: string, claimed: string) =>
      `The handover to the courier was recorded at ${handover}, after this claim was opened (${claimed}).`,
    shipped_after_letter: (shipped: string, letter: string) => `The ship date (${shipped}) is after the date of this letter (${letter}).`,
    delivered_after_letter: (delivered: string, letter: string) => `The delivery date (${delivered}) is after the date of this letter (${letter}).`,
  } satisfies Record<ClaimDateConflict, (subject: string, reference: string) => string>,
  hEnclosures: 'Enclosed',
  enclosuresText: (n: number) =>
    `${n === 1 ? 'One evidence file, enclosed' : `${n} evidence files, each enclosed`} in this packet under the name shown, with the time the ` +
    'shop’s server received it and its SHA-256 fingerprint. The pages after this letter show each of them.',
  noEnclosures: 'No evidence files are enclosed with this letter.',
  enclosuresCheck:
    'To check that no file has changed since the server received it, open verification/verify.html in a web browser and ' +
    'choose the unzipped packet folder, or run "node verification/verify.mjs" inside it. manifest.json lists every file ' +
    'in the packet with its size and SHA-256.',
  // Only what the shop can keep: the consignee holds a damaged parcel, and nobody holds a lost one.
  claimClosing: {
    damage:
      'Please confirm receipt of this claim and tell us if you need anything else. The original recordings are kept ' +
      'unchanged and can be inspected; tell us if you wish to inspect the parcel and its packaging.',
    loss: 'Please confirm receipt of this claim and tell us if you need anything else. The original recordings are kept unchanged and can be inspected.',
  } satisfies Record<ClaimKind, string>,
  signature: 'Signature',
  daysLeft: (n: number) => (n === 0 ? 'today' : n > 0 ? `${n} day${n === 1 ? '' : 's'} from the date of this letter` : `${-n} day${n === -1 ? '' : 's'} ago`),
  amountClaimed: 'Amount claimed',
  notRecorded: '—',
};

export type ReportStrings = typeof en;

export default en;
