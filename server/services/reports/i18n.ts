// Every word a report or claim letter prints, in English, Korean and Traditional Chinese, and the
// formatting of times (in the shop's zone, zone shown), grams, money and sizes.
import {
  languageLocales,
  type CaptureKind, type CarrierKey, type ClaimKind, type ChecklistItem, type ChecklistResult, type ClaimPhotoKind, type Counterparty,
  type DisputeReason, type DisputeStatus, type InspectionOutcome, type Language, type MediaType,
} from '../../domain/vocabulary';
import { wallClock } from '../time';

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
  intro: (shop: string) =>
    `${shop} records every parcel it packs and every return it opens with Packtrail, a self-hosted evidence ` +
    'service. Photos and videos are uploaded from the packing table while they are taken. For each file the ' +
    "server records the time it received it (the server's clock, not the phone's) and its SHA-256 fingerprint, " +
    'and adds both to a signed, append-only log. This report summarises that evidence for one dispute. The ' +
    'original files are in the same bundle, unchanged, under media/, and the last section explains how anyone ' +
    'can check them without contacting us.',
  timesNote: (zone: string) => `All times are the server's receive times, shown in the shop's time zone: ${zone}.`,
  generatedAt: 'Report generated',
  page: (n: number, total: number) => `Page ${n} of ${total}`,
  footerDispute: (id: string) => `Dispute ${id}`,

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
  notAPicture: 'This file is not a picture; the original is in the bundle.',
  moreStills: (n: number) => `${n} more stills are not shown.`,

  fingerprintsIntro:
    'A SHA-256 fingerprint identifies a file exactly: changing a single byte gives a completely different value. ' +
    'Each value below was computed by the server as the file arrived.',
  file: 'File',

  verifySteps: (size: string) => [
    'Unzip the bundle into a folder. Keep its layout: report.pdf, media/, verification/, manifest.json.',
    'In a web browser, open verification/verify.html and choose the unzipped folder; or, with Node.js 18 or ' +
      'newer, run "node verification/verify.mjs" inside that folder. Nothing is installed and nothing is sent ' +
      'anywhere: the check runs on your computer.',
    'For every original it reports "verified" or what failed. It checks three things: that the file’s bytes ' +
      'have the SHA-256 shown in this report; that this fingerprint is an entry of the shop’s evidence log; and ' +
      `that the log, at the checkpoint of ${size} entries below, is signed by the shop’s key.`,
    'Compare the key below with the one the shop’s server publishes at /api/v1/ledger/key, or with a copy of ' +
      'the key you received earlier, so you know whose signature it is.',
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

  // ——— weights ———
  weight: {
    items: (n: number) => (n === 1 ? '1 item' : `${n} items`),
    measuredPart: (measured: string) => `${measured} measured`,
    expectedPart: (items: string, expected: string, tolerance: string) => `${items} expected ${expected} ± ${tolerance}`,
    consistent: 'consistent with all items',
    oneMissing: (grams: string) => `one item missing would weigh about ${grams}`,
    lightestMissing: (grams: string, item: string) => `without the lightest item (${item}) it would weigh about ${grams}`,
    tooLightToTell: (item: string) => `weight alone cannot show whether one ${item} is missing`,
    lighter: (diff: string) => `${diff} lighter than expected`,
    heavier: (diff: string) => `${diff} heavier than expected`,
    aboutWeightOf: (candidates: string) => `about the weight of ${candidates}`,
    extra: (candidates: string) => `as if ${candidates} more were in the box`,
    or: ' or ',
    unit: (count: number, name: string, grams: string) => `${count} × ${name} (${grams})`,
    noMatch: 'no whole number of any one item accounts for the difference',
    packagingOrExtra: 'packaging or an extra item may account for it',
    noMeasured: 'No weight was measured at packing',
    noExpected: (items: string) => `no expected weight (not every item has a unit weight${items ? `: ${items}` : ''})`,
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
  claimTo: (carrier: string) => `To: ${carrier}, claims department`,
  claimFrom: (shipper: string) => `From: ${shipper}`,
  claimDate: 'Date',
  claimOpening: {
    damage: (shipper: string, tracking: string) =>
      `${shipper} claims compensation for the parcel with tracking number ${tracking}, which reached the consignee damaged. ` +
      'The facts, the photos taken at packing and on receipt, and the deadline under your terms follow.',
    loss: (shipper: string, tracking: string) =>
      `${shipper} claims compensation for the parcel with tracking number ${tracking}, which was handed to you and has not been delivered. ` +
      'The facts, the photos taken at packing, and the deadline under your terms follow.',
  },
  hClaimFacts: 'Shipment facts',
  shipper: 'Shipper',
  consignee: 'Consignee',
  shipDate: 'Ship date',
  deliveryDate: 'Delivery date',
  weightAtPacking: 'Weight at packing',
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
  hEnclosures: 'Enclosed',
  enclosuresText: (n: number) =>
    `${n} evidence file${n === 1 ? '' : 's'} with their server receive times and SHA-256 fingerprints (listed below and in the evidence report, report.pdf, of the same bundle).`,
  claimClosing:
    'Please confirm receipt of this claim and tell us if you need anything else. We keep the parcel, its packaging and ' +
    'the original recordings available for inspection.',
  signature: 'Signature',
  daysLeft: (n: number) => (n === 0 ? 'today' : n > 0 ? `${n} day${n === 1 ? '' : 's'} from the date of this letter` : `${-n} day${n === -1 ? '' : 's'} ago`),
  amountClaimed: 'Amount claimed',
  partialSides: (n: number) => `${n} of 4 sides`,
  viaVideo: 'shown in the packing video',
  viaChecklist: 'from the inspection checklist',
  notRecorded: '—',
};

export type Strings = typeof en;

const ko: Strings = {
  reasons: {
    item_missing: '상품 누락',
    damaged: '파손 도착',
    not_received: '미수령',
    not_as_described: '상품 설명과 다름',
    wrong_item: '다른 상품 수령(오배송)',
    return_damaged: '반품 상품 파손',
    return_used: '반품 상품 사용 흔적',
    return_missing_parts: '반품 상품 구성품 누락',
    chargeback: '지불 거절(차지백)',
    other: '기타',
  },
  counterparties: { buyer: '구매자', marketplace: '판매 플랫폼(마켓)', payment_processor: '결제 대행사', courier: '택배사' },
  statuses: { open: '진행 중', submitted: '제출함', won: '승소', lost: '패소', closed: '종결' },
  captureKinds: { packing: '포장', unboxing: '반품 개봉', handover: '택배 인계', other: '기타 기록' },
  mediaTypes: { photo: '사진', video: '동영상', audio: '음성 녹음', document: '문서' },
  checklistItems: {
    outer_box: '외부 박스',
    seal: '봉인(테이프)',
    inner_packaging: '내부 포장',
    cushioning: '완충재',
    protective_film: '보호 필름',
    signs_of_use: '사용 흔적',
    accessories_complete: '구성품 완비',
  },
  checklistResults: { ok: '이상 없음', issue: '문제 있음', not_applicable: '해당 없음' },
  outcomes: { resellable: '재판매 가능', damaged: '파손', used: '사용됨', wrong_item: '다른 상품 반품', parts_missing: '구성품 누락' },
  claimPhotos: {
    packing_inside: '포장 내부: 완충재와 함께 박스에 담긴 상품',
    packing_outside: '포장 외부: 닫고 봉인한 박스',
    label_closeup: '운송장 근접 사진(판독 가능)',
    damage: '파손 부위: 수령 당시의 박스와 내용물',
    all_sides: '택배 상자의 모든 면',
    weight: '저울 위의 택배(표시값 판독 가능)',
  },
  carriers: {
    kr_standard: '택배사(택배 표준약관 적용)',
    korea_post: '우체국택배',
    ups: 'UPS',
    fedex: 'FedEx',
    usps: 'USPS',
    dhl_express: 'DHL Express',
    unknown: '택배사',
  },

  reportTitle: '분쟁 증거 보고서',
  reportSubtitle: (shop) => `작성: ${shop}`,
  intro: (shop) =>
    `${shop}은(는) 포장하는 모든 택배와 개봉하는 모든 반품을 자체 운영 증거 서비스인 Packtrail로 기록합니다. ` +
    '사진과 동영상은 촬영하는 동안 포장대에서 바로 업로드됩니다. 서버는 파일마다 받은 시각(휴대폰이 아닌 서버의 시계)과 ' +
    'SHA-256 지문을 기록하고, 이를 서명된 추가 전용 로그에 넣습니다. 이 보고서는 한 건의 분쟁에 대한 그 증거를 요약한 것입니다. ' +
    '원본 파일은 같은 묶음의 media/ 폴더에 변경 없이 들어 있으며, 마지막 절에서 누구나 저희에게 연락하지 않고 검증하는 방법을 설명합니다.',
  timesNote: (zone) => `모든 시각은 서버가 받은 시각이며, 판매자의 시간대로 표시합니다: ${zone}.`,
  generatedAt: '보고서 작성 시각',
  page: (n, total) => `${total}쪽 중 ${n}쪽`,
  footerDispute: (id) => `분쟁 ${id}`,

  hDispute: '분쟁 내용',
  hOrder: '주문 정보',
  hItems: '주문 상품',
  hWeight: '측정 무게',
  hTimeline: '타임라인',
  hInspection: '반품 검수',
  hEvidence: '증거 자료',
  hFingerprints: '원본 파일과 지문(해시)',
  hVerify: '이 증거를 검증하는 방법',

  reason: '사유',
  counterparty: '상대방',
  reference: '사건 번호',
  amount: '분쟁 금액',
  respondBy: '답변 기한',
  status: '상태',
  opened: '등록일',
  note: '메모',
  damageDescription: '파손 내용',
  orderId: '주문 번호',
  channel: '판매 채널',
  buyer: '구매자',
  carrier: '택배사',
  tracking: '운송장 번호',
  deliveryNote: '구매자 배송 요청사항',
  declaredValue: '신고 가액',
  shipped: '발송',
  delivered: '배송 완료',
  expectedWeight: '예상 무게',
  itemName: '상품',
  sku: 'SKU',
  quantity: '수량',
  unitWeight: '개당 무게',
  unitValue: '단가',
  noItems: '이 주문에는 기록된 상품이 없습니다.',

  measured: '측정',
  enteredAs: (value) => `입력값 ${value}`,
  atCapture: (kind, time) => `${kind}, ${time}`,
  noWeight: '포장 시 무게가 기록되지 않았습니다.',

  time: '시각',
  event: '내용',
  details: '세부 정보',
  evCaptureStarted: (kind) => `${kind} 시작`,
  evCaptureFinished: (kind) => `${kind} 종료`,
  evMediaReceived: (type) => `${type} 수신`,
  station: '작업대',
  recordedBy: '기록',
  evidenceRef: (n) => `아래 E${n}`,
  noCaptures: '이 주문에 대해 기록된 것이 없습니다.',

  inspectionAt: (time) => `개봉 ${time}`,
  finding: '점검 항목',
  result: '결과',
  outcome: '판정',
  photos: '사진',
  noInspection: '이 주문에는 반품 검수 기록이 없습니다.',

  evidenceHeading: (n, type, kind) => `E${n} · ${kind} ${type}`,
  caption: '설명',
  bundlePath: '묶음 내 파일',
  sha256: 'SHA-256',
  size: '크기',
  bytes: (formatted) => `${formatted} 바이트`,
  receivedAt: '서버 수신 시각',
  claimedAt: '기기가 주장하는 촬영 시각(검증되지 않음)',
  claimedFrom: { client: '휴대폰 기준', exif: '사진 EXIF 기준' },
  camera: '카메라',
  dimensions: '화면 크기',
  duration: '길이',
  location: '위치(EXIF)',
  stillsTitle: (every) => `동영상 정지 화면, ${every}마다 한 장(녹화 시작부터의 시간)`,
  stillsNote: '동영상을 받지 않는 곳이 많아, 이 정지 화면으로 진행 과정을 보여 드립니다. 편집하지 않은 전체 녹화는 위에 적힌 원본 파일입니다.',
  noPreview: '이 파일의 그림을 여기에 표시할 수 없습니다. 원본은 묶음에 들어 있습니다.',
  notAPicture: '이 파일은 그림이 아닙니다. 원본은 묶음에 들어 있습니다.',
  moreStills: (n) => `정지 화면 ${n}장은 생략했습니다.`,

  fingerprintsIntro:
    'SHA-256 지문은 파일을 정확히 식별합니다. 바이트 하나만 바뀌어도 완전히 다른 값이 나옵니다. ' +
    '아래 값은 파일이 도착할 때 서버가 계산한 것입니다.',
  file: '파일',

  verifySteps: (size) => [
    '묶음(ZIP)의 압축을 폴더에 풉니다. report.pdf, media/, verification/, manifest.json 구성을 그대로 둡니다.',
    '웹 브라우저로 verification/verify.html 을 열고 압축을 푼 폴더를 선택합니다. 또는 Node.js 18 이상이 있으면 그 폴더에서 ' +
      '"node verification/verify.mjs" 를 실행합니다. 아무것도 설치하지 않고, 어디로도 전송하지 않으며, 검증은 내 컴퓨터에서만 이루어집니다.',
    '원본마다 "verified"(검증됨) 또는 실패한 내용을 알려 줍니다. 확인하는 것은 세 가지입니다: 파일의 바이트가 이 보고서의 SHA-256과 같은지, ' +
      `그 지문이 판매자의 증거 로그에 들어 있는지, 그리고 아래 ${size}개 항목 체크포인트의 로그가 판매자의 키로 서명되었는지.`,
    '아래 키를 판매자 서버가 /api/v1/ledger/key 에 공개하는 키, 또는 이전에 받아 둔 키와 비교해 누구의 서명인지 확인합니다.',
  ],
  verifyCheckpoint:
    '체크포인트란: 증거 로그는 늘어나기만 합니다. 체크포인트는 로그의 크기와, 모든 항목에 따라 달라지는 하나의 해시(루트)를 서명한 것입니다. ' +
    '이전 항목이 하나라도 바뀌거나 지워지면 루트가 맞지 않게 되고 서명으로 드러납니다. 따라서 체크포인트에 항목이 들어 있는 파일은 ' +
    '늦어도 체크포인트가 서명된 시점에 바이트 단위까지 그대로 존재했습니다.',
  verifyManual:
    '저희 도구 없이: 파일의 SHA-256을 직접 계산해(예: Linux "sha256sum 파일", macOS "shasum -a 256 파일", Windows ' +
    '"certutil -hashfile 파일 SHA256") 이 보고서와 manifest.json 의 값과 비교합니다.',
  checkpointOrigin: '로그 이름(origin)',
  checkpointSize: '체크포인트 크기(항목 수)',
  checkpointRoot: '루트 해시',
  verifierKey: '검증 키',

  weight: {
    items: (n) => `상품 ${n}개`,
    measuredPart: (measured) => `측정 ${measured}`,
    expectedPart: (items, expected, tolerance) => `${items} 예상 ${expected} ± ${tolerance}`,
    consistent: '모든 상품이 들어 있는 무게와 일치',
    oneMissing: (grams) => `상품 1개가 빠졌다면 약 ${grams}`,
    lightestMissing: (grams, item) => `가장 가벼운 상품(${item})이 빠졌다면 약 ${grams}`,
    tooLightToTell: (item) => `${item} 1개가 빠졌는지는 무게만으로 알 수 없음`,
    lighter: (diff) => `예상보다 ${diff} 가벼움`,
    heavier: (diff) => `예상보다 ${diff} 무거움`,
    aboutWeightOf: (candidates) => `${candidates}의 무게와 비슷함`,
    extra: (candidates) => `${candidates}이(가) 더 들어간 무게와 비슷함`,
    or: ' 또는 ',
    unit: (count, name, grams) => `${name} ${count}개(${grams})`,
    noMatch: '어느 한 상품의 개수로도 차이가 설명되지 않음',
    packagingOrExtra: '포장재 또는 추가 상품 때문일 수 있음',
    noMeasured: '포장 시 측정한 무게가 없음',
    noExpected: (items) => `예상 무게 없음(개당 무게가 없는 상품이 있음${items ? `: ${items}` : ''})`,
    separator: '; ',
    comma: ', ',
  },

  carrierRules: {
    terms: {
      kr_standard: '택배 표준약관(공정거래위원회 표준약관 제10026호)',
      korea_post: '우편법(우체국택배에 적용)',
      ups: 'UPS 미국 운송 약관(Tariff/Terms and Conditions of Service)',
      fedex: 'FedEx 서비스 가이드(미국)',
      usps: 'USPS 국내우편 규정(DMM) 609조(보험 우편)',
      dhl_express: 'DHL Express 운송 약관',
      unknown: '해당 택배사 약관',
    },
    damage: {
      kr_standard:
        '운송물의 훼손 또는 일부 멸실(내용물 누락 포함)에 대한 택배사의 손해배상 책임은 수화인이 운송물을 수령한 날부터 14일 이내에 ' +
        '그 사실을 택배사에 통지하지 않으면 소멸합니다. 기한: 수령일부터 14일.',
      korea_post:
        '손해배상 청구권은 우편물을 발송한 날부터 1년이 지나면 소멸합니다. 파손은 수령할 때 바로 신고하십시오. 이의 없이 수령한 뒤에 제기한 ' +
        '파손은 받아들여지지 않을 수 있습니다. 기한: 발송일부터 1년.',
      ups: 'UPS는 파손 또는 내용물 누락 청구 통지를 배송 후 60일 이내에 받아야 합니다(청구 자료는 9개월 이내 완비). 기한: 배송일부터 60일.',
      fedex: '미국 내 운송의 파손(외부 또는 내부)과 내용물 누락은 배송 후 60일(역일) 이내에 신고해야 합니다. 기한: 배송일부터 60일.',
      fedexInternational: '국제 운송의 파손과 내용물 누락은 배송 후 21일(역일) 이내에 신고해야 합니다. 기한: 배송일부터 21일.',
      usps: '파손 또는 내용물 누락 청구는 가능한 한 빨리, 늦어도 발송일부터 60일 이내에 해야 합니다. 기한: 발송일부터 60일.',
      dhl_express: '모든 청구는 DHL이 화물을 접수한 날부터 30일 이내에 서면으로 DHL에 도달해야 합니다. 배송일이 아닌 접수일 기준입니다. 기한: 발송일부터 30일.',
      unknown: '규정을 알지 못하는 택배사입니다. 해당 약관을 확인하십시오. 대부분의 택배사는 수령 후 며칠 안에 파손 신고를 요구합니다.',
    },
    loss: {
      kr_standard:
        '운송물이 전부 멸실된 경우 택배사의 손해배상 책임은 인도예정일부터 1년이 지나면 소멸합니다(운송장에 인도예정일이 없으면 약관상 ' +
        '수탁일부터 2일, 도서·산간벽지는 3일). 여기서는 안전하게 그보다 이른 발송일부터 1년으로 계산했습니다. 배송 추적이 멈추면 즉시 택배사에 알리십시오.',
      korea_post: '손해배상 청구권은 우편물을 발송한 날부터 1년이 지나면 소멸합니다. 기한: 발송일부터 1년.',
      ups:
        '배송되지 않은 택배는 배송 예정일부터 60일 이내에 UPS가 청구 통지를 받아야 합니다. 배송 예정일이 기록되지 않아, 안전하게 그보다 이른 ' +
        '발송일부터 60일로 계산했습니다.',
      fedex: '미배송 청구는 FedEx가 화물을 접수한 날부터 9개월 이내에 신고해야 합니다. 기한: 발송일부터 9개월.',
      fedexInternational: '미배송 청구는 FedEx가 화물을 접수한 날부터 9개월 이내에 신고해야 합니다. 기한: 발송일부터 9개월.',
      usps: '보험 가입 소포의 분실 청구는 발송일부터 15일(Priority Mail Express는 7일)이 지난 뒤, 60일 이내에 할 수 있습니다. 기한: 발송일부터 60일.',
      dhl_express: '모든 청구는 DHL이 화물을 접수한 날부터 30일 이내에 서면으로 DHL에 도달해야 합니다. DHL은 추적 조사 후에 분실을 처리하므로 즉시 조사를 요청하십시오. 기한: 발송일부터 30일.',
      unknown: '규정을 알지 못하는 택배사입니다. 해당 약관을 확인하십시오.',
    },
    noDeliveryDate: '이 주문에는 수령일이 기록되지 않았는데, 이 기한은 수령일부터 계산합니다. 수령일을 기록하면 계산됩니다.',
    noShipDate: '이 주문에는 발송일이 기록되지 않았는데, 이 기한은 발송일부터 계산합니다. 발송일을 기록하면 계산됩니다.',
    unknownCarrier: '알 수 없는 택배사여서 기한을 계산할 수 없습니다.',
  },

  claimTitle: { damage: '택배 파손 손해배상 청구서', loss: '택배 분실 손해배상 청구서' },
  claimTo: (carrier) => `수신: ${carrier} 사고(손해배상) 담당`,
  claimFrom: (shipper) => `발신: ${shipper}`,
  claimDate: '작성일',
  claimOpening: {
    damage: (shipper, tracking) =>
      `${shipper}은(는) 운송장 번호 ${tracking} 택배가 파손된 상태로 수하인에게 도착하여 손해배상을 청구합니다. ` +
      '아래에 사실관계, 포장 시와 수령 시 촬영한 사진, 약관에 따른 청구 기한을 적습니다.',
    loss: (shipper, tracking) =>
      `${shipper}은(는) 귀사에 인계한 운송장 번호 ${tracking} 택배가 배송되지 않아 손해배상을 청구합니다. ` +
      '아래에 사실관계, 포장 시 촬영한 사진, 약관에 따른 청구 기한을 적습니다.',
  },
  hClaimFacts: '운송 정보',
  shipper: '송화인',
  consignee: '수화인',
  shipDate: '발송일',
  deliveryDate: '수령일',
  weightAtPacking: '포장 시 무게',
  contents: '내용물',
  phone: '전화',
  address: '주소',
  hDeadline: '청구 기한',
  deadline: '기한',
  deadlineUnknown: '계산할 수 없음',
  rule: '적용 기준',
  earliestFiling: '청구 가능 시작일',
  hClaimPhotos: '택배사가 요구하는 사진',
  claimPhotosIntro: {
    damage: '택배사는 포장 내부와 외부, 운송장, 파손 부위, 상자의 모든 면 사진으로 파손 청구를 판단합니다. 아래는 이 청구에 포함된 사진입니다.',
    loss: '택배사는 포장 내부와 외부, 운송장, 저울 위의 택배 사진으로 분실 청구를 판단합니다. 아래는 이 청구에 포함된 사진입니다.',
  },
  present: '있음',
  missing: '없음',
  seeEvidence: (refs) => `${refs} 참조`,
  hEnclosures: '첨부',
  enclosuresText: (n) => `증거 파일 ${n}개와 각각의 서버 수신 시각, SHA-256 지문(아래 목록 및 같은 묶음의 증거 보고서 report.pdf).`,
  claimClosing: '청구서 접수를 확인해 주시고, 추가로 필요한 자료가 있으면 알려 주십시오. 택배 상자, 포장재, 원본 녹화는 확인하실 수 있도록 보관하고 있습니다.',
  signature: '서명',
  daysLeft: (n) => (n === 0 ? '오늘' : n > 0 ? `작성일로부터 ${n}일 남음` : `${-n}일 지남`),
  amountClaimed: '청구 금액',
  partialSides: (n) => `4면 중 ${n}면`,
  viaVideo: '포장 동영상에 나옴',
  viaChecklist: '검수 체크리스트 기준',
  notRecorded: '—',
};

const zhTW: Strings = {
  reasons: {
    item_missing: '商品短少',
    damaged: '到貨損壞',
    not_received: '未收到商品',
    not_as_described: '與描述不符',
    wrong_item: '收到錯誤商品',
    return_damaged: '退貨到貨損壞',
    return_used: '退貨有使用痕跡',
    return_missing_parts: '退貨缺少配件',
    chargeback: '信用卡爭議款（退單）',
    other: '其他',
  },
  counterparties: { buyer: '買家', marketplace: '電商平台', payment_processor: '金流服務商', courier: '物流業者' },
  statuses: { open: '處理中', submitted: '已提交', won: '已勝出', lost: '未勝出', closed: '已結案' },
  captureKinds: { packing: '包裝', unboxing: '退貨開箱', handover: '交寄物流', other: '其他紀錄' },
  mediaTypes: { photo: '照片', video: '影片', audio: '錄音', document: '文件' },
  checklistItems: {
    outer_box: '外箱',
    seal: '封條（膠帶）',
    inner_packaging: '內包裝',
    cushioning: '緩衝材',
    protective_film: '保護膜',
    signs_of_use: '使用痕跡',
    accessories_complete: '配件齊全',
  },
  checklistResults: { ok: '正常', issue: '有問題', not_applicable: '不適用' },
  outcomes: { resellable: '可再販售', damaged: '損壞', used: '已使用', wrong_item: '退回錯誤商品', parts_missing: '缺少配件' },
  claimPhotos: {
    packing_inside: '包裝內部：箱內商品與緩衝材',
    packing_outside: '包裝外部：已封箱的紙箱',
    label_closeup: '託運單特寫（清晰可讀）',
    damage: '損壞處：收到時的紙箱與內容物',
    all_sides: '包裹的每一面',
    weight: '包裹在秤上（顯示數值清晰）',
  },
  carriers: {
    kr_standard: '韓國宅配業者（宅配標準條款）',
    korea_post: '韓國郵政',
    ups: 'UPS',
    fedex: 'FedEx',
    usps: 'USPS',
    dhl_express: 'DHL Express',
    unknown: '物流業者',
  },

  reportTitle: '爭議證據報告',
  reportSubtitle: (shop) => `製作：${shop}`,
  intro: (shop) =>
    `${shop} 以自行架設的證據服務 Packtrail 記錄每一件包裝出貨的包裹與每一件開箱檢查的退貨。` +
    '照片與影片在包裝台拍攝時即上傳。伺服器為每個檔案記錄收到的時間（伺服器的時鐘，而非手機的）與 SHA-256 指紋，' +
    '並寫入經簽署、只能附加的紀錄。本報告彙整一件爭議的相關證據。原始檔案未經任何修改，放在同一套件的 media/ 資料夾中；' +
    '最後一節說明任何人如何在不聯絡我們的情況下自行驗證。',
  timesNote: (zone) => `所有時間皆為伺服器收到的時間，以賣家的時區顯示：${zone}。`,
  generatedAt: '報告產生時間',
  page: (n, total) => `第 ${n} 頁，共 ${total} 頁`,
  footerDispute: (id) => `爭議 ${id}`,

  hDispute: '爭議內容',
  hOrder: '訂單資訊',
  hItems: '訂購商品',
  hWeight: '測量重量',
  hTimeline: '時間軸',
  hInspection: '退貨檢查',
  hEvidence: '證據',
  hFingerprints: '原始檔案及其指紋（雜湊值）',
  hVerify: '如何驗證這些證據',

  reason: '原因',
  counterparty: '對象',
  reference: '案件編號',
  amount: '爭議金額',
  respondBy: '回覆期限',
  status: '狀態',
  opened: '建立時間',
  note: '備註',
  damageDescription: '損壞說明',
  orderId: '訂單編號',
  channel: '銷售通路',
  buyer: '買家',
  carrier: '物流業者',
  tracking: '追蹤號碼',
  deliveryNote: '買家的配送備註',
  declaredValue: '申報價值',
  shipped: '出貨',
  delivered: '送達',
  expectedWeight: '預期重量',
  itemName: '商品',
  sku: 'SKU',
  quantity: '數量',
  unitWeight: '單件重量',
  unitValue: '單價',
  noItems: '此訂單沒有記錄任何商品。',

  measured: '實測',
  enteredAs: (value) => `輸入值 ${value}`,
  atCapture: (kind, time) => `${kind}，${time}`,
  noWeight: '包裝時未記錄重量。',

  time: '時間',
  event: '事件',
  details: '細節',
  evCaptureStarted: (kind) => `${kind}開始`,
  evCaptureFinished: (kind) => `${kind}結束`,
  evMediaReceived: (type) => `收到${type}`,
  station: '工作台',
  recordedBy: '記錄者',
  evidenceRef: (n) => `見下方 E${n}`,
  noCaptures: '此訂單沒有任何紀錄。',

  inspectionAt: (time) => `開箱 ${time}`,
  finding: '檢查項目',
  result: '結果',
  outcome: '判定',
  photos: '照片',
  noInspection: '此訂單沒有退貨檢查紀錄。',

  evidenceHeading: (n, type, kind) => `E${n} · ${kind}${type}`,
  caption: '說明',
  bundlePath: '套件中的檔案',
  sha256: 'SHA-256',
  size: '大小',
  bytes: (formatted) => `${formatted} 位元組`,
  receivedAt: '伺服器收到時間',
  claimedAt: '裝置聲稱的拍攝時間（未經驗證）',
  claimedFrom: { client: '來自手機', exif: '來自照片 EXIF' },
  camera: '相機',
  dimensions: '畫面尺寸',
  duration: '長度',
  location: '位置（EXIF）',
  stillsTitle: (every) => `影片截圖，每 ${every} 一張（自錄影開始起算的時間）`,
  stillsNote: '許多單位不接受影片，因此以這些截圖呈現過程。未經剪輯的完整錄影即上列的原始檔案。',
  noPreview: '無法在此顯示此檔案的畫面；原始檔案在套件中。',
  notAPicture: '此檔案不是圖片；原始檔案在套件中。',
  moreStills: (n) => `另有 ${n} 張截圖未顯示。`,

  fingerprintsIntro: 'SHA-256 指紋能精確識別一個檔案：只要改動一個位元組，數值就會完全不同。以下數值是檔案送達時由伺服器計算的。',
  file: '檔案',

  verifySteps: (size) => [
    '將套件（ZIP）解壓縮到一個資料夾，保持 report.pdf、media/、verification/、manifest.json 的結構。',
    '以網頁瀏覽器開啟 verification/verify.html 並選擇解壓縮後的資料夾；或在安裝 Node.js 18 以上的電腦，於該資料夾執行 ' +
      '"node verification/verify.mjs"。不需安裝任何東西，也不會傳送任何資料：驗證只在您的電腦上進行。',
    '每個原始檔案都會顯示 "verified"（已驗證）或失敗的原因。它檢查三件事：檔案的位元組是否與本報告的 SHA-256 相符；' +
      `該指紋是否為賣家證據紀錄中的一筆；以及下方 ${size} 筆的檢查點紀錄是否由賣家的金鑰簽署。`,
    '請將下方金鑰與賣家伺服器在 /api/v1/ledger/key 公布的金鑰，或您先前收到的金鑰比對，以確認是誰的簽章。',
  ],
  verifyCheckpoint:
    '什麼是檢查點：證據紀錄只會增加。檢查點是對紀錄大小以及一個取決於所有項目的雜湊值（根）的簽署聲明。' +
    '只要任何較早的項目被修改或刪除，根就不再相符，簽章也會揭露這一點。因此，項目在檢查點中的檔案，最遲在檢查點簽署時就已逐位元組存在。',
  verifyManual:
    '不使用我們的工具：自行計算檔案的 SHA-256（例如 Linux "sha256sum 檔案"、macOS "shasum -a 256 檔案"、Windows ' +
    '"certutil -hashfile 檔案 SHA256"），並與本報告及 manifest.json 中的數值比對。',
  checkpointOrigin: '紀錄名稱（origin）',
  checkpointSize: '檢查點大小（筆數）',
  checkpointRoot: '根雜湊值',
  verifierKey: '驗證金鑰',

  weight: {
    items: (n) => `${n} 件商品`,
    measuredPart: (measured) => `實測 ${measured}`,
    expectedPart: (items, expected, tolerance) => `${items}預期 ${expected} ± ${tolerance}`,
    consistent: '與全部商品相符',
    oneMissing: (grams) => `若少 1 件約為 ${grams}`,
    lightestMissing: (grams, item) => `若少了最輕的商品（${item}）約為 ${grams}`,
    tooLightToTell: (item) => `僅憑重量無法判斷是否少了 1 件${item}`,
    lighter: (diff) => `比預期輕 ${diff}`,
    heavier: (diff) => `比預期重 ${diff}`,
    aboutWeightOf: (candidates) => `約等於 ${candidates}的重量`,
    extra: (candidates) => `約等於多放了 ${candidates}的重量`,
    or: ' 或 ',
    unit: (count, name, grams) => `${count} × ${name}（${grams}）`,
    noMatch: '任何單一商品的整數件數都無法解釋此差異',
    packagingOrExtra: '可能是包裝材料或多放的商品',
    noMeasured: '包裝時未測量重量',
    noExpected: (items) => `沒有預期重量（部分商品沒有單件重量${items ? `：${items}` : ''}）`,
    separator: '；',
    comma: '，',
  },

  carrierRules: {
    terms: {
      kr_standard: '韓國宅配標準條款（택배 표준약관，公平交易委員會標準條款第 10026 號）',
      korea_post: '韓國郵政法（우편법，適用於韓國郵政包裹）',
      ups: 'UPS 美國運送條款（Tariff/Terms and Conditions of Service）',
      fedex: 'FedEx 服務指南（美國）',
      usps: 'USPS 國內郵件手冊第 609 節（保價郵件）',
      dhl_express: 'DHL Express 運送條款',
      unknown: '該物流業者的條款',
    },
    damage: {
      kr_standard: '包裹損壞或部分滅失（含內容物短少）時，若未於收件人收到包裹之日起 14 日內通知業者，業者的賠償責任即消滅。期限：送達後 14 日。',
      korea_post: '求償權自寄件之日起滿一年消滅。損壞請於收件時立即申報：無異議簽收後才提出的損壞可能不被受理。期限：出貨後一年。',
      ups: 'UPS 必須於送達後 60 日內收到損壞或內容物短少的求償通知（求償資料須於 9 個月內備齊）。期限：送達後 60 日。',
      fedex: '美國境內運送的損壞（外觀可見或隱藏）與內容物短少，須於送達後 60 個日曆日內申報。期限：送達後 60 日。',
      fedexInternational: '國際運送的損壞與內容物短少，須於送達後 21 個日曆日內申報。期限：送達後 21 日。',
      usps: '損壞或內容物短少的求償應儘快提出，最遲於寄件日起 60 日內。期限：出貨後 60 日。',
      dhl_express: '所有求償須於 DHL 收件之日起 30 日內以書面送達 DHL：自收件日起算，而非送達日。期限：出貨後 30 日。',
      unknown: '我們不了解此物流業者的規定，請查閱其條款。多數業者要求在送達後數日內申報損壞。',
    },
    loss: {
      kr_standard:
        '包裹全部滅失時，業者的賠償責任自預定送達日起滿一年消滅（託運單未載明時，條款以收件後 2 日為準，離島與偏遠地區 3 日）。' +
        '為保險起見，此處自較早的出貨日起算一年。追蹤停止更新時請立即通知業者。',
      korea_post: '求償權自寄件之日起滿一年消滅。期限：出貨後一年。',
      ups: '未送達的包裹，UPS 必須於預定送達日後 60 日內收到求償通知。此處未記錄預定送達日，為保險起見自較早的出貨日起算 60 日。',
      fedex: '未送達的求償須於 FedEx 收件後 9 個月內申報。期限：出貨後 9 個月。',
      fedexInternational: '未送達的求償須於 FedEx 收件後 9 個月內申報。期限：出貨後 9 個月。',
      usps: '保價包裹遺失的求償，最早須於寄件日起 15 日後（Priority Mail Express 為 7 日），最遲 60 日內提出。期限：出貨後 60 日。',
      dhl_express: '所有求償須於 DHL 收件之日起 30 日內以書面送達 DHL。DHL 須完成追查後才處理遺失，請立即申請追查。期限：出貨後 30 日。',
      unknown: '我們不了解此物流業者的規定，請查閱其條款。',
    },
    noDeliveryDate: '此訂單未記錄送達日期，而此期限自送達日起算。記錄送達日期後即可計算。',
    noShipDate: '此訂單未記錄出貨日期，而此期限自出貨日起算。記錄出貨日期後即可計算。',
    unknownCarrier: '無法辨識物流業者，因此無法計算期限。',
  },

  claimTitle: { damage: '包裹損壞求償申請書', loss: '包裹遺失求償申請書' },
  claimTo: (carrier) => `致：${carrier} 理賠部門`,
  claimFrom: (shipper) => `寄件人：${shipper}`,
  claimDate: '日期',
  claimOpening: {
    damage: (shipper, tracking) =>
      `${shipper} 就追蹤號碼 ${tracking} 的包裹於送達收件人時已損壞一事提出求償。以下列出事實、包裝時與收件時拍攝的照片，以及依 貴公司條款的申請期限。`,
    loss: (shipper, tracking) =>
      `${shipper} 就已交寄 貴公司、追蹤號碼 ${tracking} 但未送達的包裹提出求償。以下列出事實、包裝時拍攝的照片，以及依 貴公司條款的申請期限。`,
  },
  hClaimFacts: '運送資料',
  shipper: '寄件人',
  consignee: '收件人',
  shipDate: '出貨日期',
  deliveryDate: '送達日期',
  weightAtPacking: '包裝時重量',
  contents: '內容物',
  phone: '電話',
  address: '地址',
  hDeadline: '申請期限',
  deadline: '最後期限',
  deadlineUnknown: '無法計算',
  rule: '適用規則',
  earliestFiling: '最早可申請日',
  hClaimPhotos: '物流業者要求的照片',
  claimPhotosIntro: {
    damage: '物流業者依據包裝內外、託運單、損壞處及包裹各面的照片審核損壞求償。下表列出本申請包含的照片。',
    loss: '物流業者依據包裝內外、託運單及包裹在秤上的照片審核遺失求償。下表列出本申請包含的照片。',
  },
  present: '已附',
  missing: '缺少',
  seeEvidence: (refs) => `見 ${refs}`,
  hEnclosures: '附件',
  enclosuresText: (n) => `${n} 個證據檔案，附伺服器收到時間與 SHA-256 指紋（列於下方及同一套件中的證據報告 report.pdf）。`,
  claimClosing: '請確認收到本申請，如需其他資料請告知。包裹、包裝材料及原始錄影均已保留，可供查驗。',
  signature: '簽名',
  daysLeft: (n) => (n === 0 ? '今天' : n > 0 ? `距本函日期尚有 ${n} 天` : `已逾期 ${-n} 天`),
  amountClaimed: '求償金額',
  partialSides: (n) => `4 面中的 ${n} 面`,
  viaVideo: '見包裝影片',
  viaChecklist: '依檢查清單',
  notRecorded: '—',
};

const dictionaries: Record<Language, Strings> = { en, ko, 'zh-TW': zhTW };

export function strings(lang: Language): Strings {
  return dictionaries[lang] ?? en;
}

// ——— formatting ———


export function locale(lang: Language): string {
  return languageLocales[lang] ?? 'en-US';
}

// Intl names these zones only as "GMT+9"; the letters are what people in them write.
const ZONE_ABBREVIATIONS: Record<string, string> = {
  'Asia/Seoul': 'KST',
  'Asia/Tokyo': 'JST',
  'Asia/Hong_Kong': 'HKT',
};

function zoneParts(date: Date, timeZone: string) {
  const clock = wallClock(date, timeZone);
  return {
    date: `${clock.year}-${clock.month}-${clock.day}`,
    time: `${clock.hour}:${clock.minute}:${clock.second}`,
    // "EDT" for US zones, "GMT+8" elsewhere, "UTC".
    zone: clock.zone,
  };
}

/** The zone as people in it write it at that instant: "KST", "EDT", "GMT+8", "UTC". */
export function zoneLabel(timeZone: string, at: Date | string = new Date()): string {
  return ZONE_ABBREVIATIONS[timeZone] ?? zoneParts(toDate(at), timeZone).zone;
}

/** "Asia/Seoul (KST, GMT+9)": for the sentence that says which zone a document's times are in. */
export function describeZone(timeZone: string, at: Date | string = new Date()): string {
  const offset = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'shortOffset' })
    .formatToParts(toDate(at))
    .find((part) => part.type === 'timeZoneName')?.value;
  const label = zoneLabel(timeZone, at);
  const extras = [label, offset].filter((value, index, all) => value && all.indexOf(value) === index);
  return `${timeZone} (${extras.join(', ')})`;
}

/** "2026-05-01 14:03:12 KST": ISO-ordered so every language reads it the same way. */
export function formatDateTime(iso: string | Date, timeZone: string): string {
  const date = toDate(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  const parts = zoneParts(date, timeZone);
  return `${parts.date} ${parts.time} ${ZONE_ABBREVIATIONS[timeZone] ?? parts.zone}`;
}

/** "2026-05-01": the calendar day in the zone. */
export function formatDate(iso: string | Date, timeZone: string): string {
  const date = toDate(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return zoneParts(date, timeZone).date;
}

/** "2,310 g"; a tenth of a gram is kept only under 100 g, where it can matter. */
export function formatGrams(grams: number, lang: Language = 'en'): string {
  const digits = Math.abs(grams) < 100 && !Number.isInteger(grams) ? 1 : 0;
  return `${new Intl.NumberFormat(locale(lang), { maximumFractionDigits: digits }).format(grams)} g`;
}

export function formatNumber(value: number, lang: Language = 'en'): string {
  return new Intl.NumberFormat(locale(lang)).format(value);
}

/** "5 %": a tolerance as the sentence prints it. */
export function formatPercent(fraction: number, lang: Language = 'en'): string {
  return `${new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 1 }).format(fraction * 100)} %`;
}

/** "KRW 59,000": the code, not a symbol, so "$" never leaves a reader guessing which dollar. */
export function formatMoney(amount: number, currency: string, lang: Language = 'en'): string {
  try {
    // Intl puts a no-break space after the code; a plain one keeps the text searchable and copyable.
    return new Intl.NumberFormat(locale(lang), { style: 'currency', currency, currencyDisplay: 'code' })
      .format(amount)
      .replace(/[\u00a0\u202f]/g, ' ');
  } catch {
    return `${currency} ${formatNumber(amount, lang)}`;
  }
}

/** "00:05", "12:30", "1:02:05": a position in a recording. */
export function formatOffset(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mmss = `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
  return hours > 0 ? `${hours}:${mmss}` : mmss;
}

/** "2.0 s", "1:02" (m:ss), "1:02:05". */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const text = formatOffset(ms);
  return text.startsWith('0') && text.length === 5 ? text.slice(1) : text;
}

const INTERVAL_UNITS: Record<Language, { min: string; s: string }> = {
  en: { min: ' min', s: ' s' },
  ko: { min: '분', s: '초' },
  'zh-TW': { min: ' 分', s: ' 秒' },
};

/** A spacing between stills in words: "5 s" / "5초" / "5 秒", "1 min 30 s". */
export function formatInterval(ms: number, lang: Language = 'en'): string {
  const unit = INTERVAL_UNITS[lang] ?? INTERVAL_UNITS.en;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}${unit.s}`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest ? `${minutes}${unit.min} ${rest}${unit.s}` : `${minutes}${unit.min}`;
}

function toDate(value: string | Date): Date {
  return value instanceof Date ? value : new Date(value);
}
