// Every word a report or claim letter prints, in Korean.
import type { ReportStrings } from './en';

const ko: ReportStrings = {
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
  intro: (shop, recording) =>
    `${shop}은(는) 포장하는 모든 택배와 개봉하는 모든 반품을 자체 운영 증거 서비스인 Packtrail로 기록합니다. ` +
    `${recording} ` +
    '서버는 파일마다 받은 시각(휴대폰이 아닌 서버의 시계)과 ' +
    'SHA-256 지문을 기록하고, 이를 서명된 추가 전용 로그에 넣습니다. 이 보고서는 한 건의 분쟁에 대한 그 증거를 요약한 것입니다. ' +
    '원본 파일은 같은 묶음의 media/ 폴더에 변경 없이 들어 있으며, 마지막 절에서 누구나 저희에게 연락하지 않고 검증하는 방법을 설명합니다.',
  introRecording: {
    phones: '여기의 모든 촬영은 연결된 휴대폰의 포장 앱으로 기록되어 그 휴대폰에서 업로드되었습니다.',
    mixed:
      '연결된 휴대폰의 포장 앱으로 기록한 촬영은 그 휴대폰에서 업로드되었고, 나머지는 판매자가 컴퓨터에서 추가했습니다. ' +
      '타임라인에 각 촬영을 기록한 휴대폰이나 사람이 나와 있습니다.',
    people: '여기의 파일은 판매자가 컴퓨터에서 추가했습니다. 타임라인에 각 촬영을 기록한 사람이 나와 있습니다.',
  },
  timesNote: (zone) => `모든 시각은 서버가 받은 시각이며, 판매자의 시간대로 표시합니다: ${zone}.`,
  timeAttested: (time, tsa) =>
    `독립적인 시각 증명: 이 증거를 담은 서명된 체크포인트는 판매자와 독립된 기관인 ${tsa}의 타임스탬프(RFC 3161)를 받았습니다. ` +
    `따라서 목록의 모든 원본은 늦어도 ${time}에는 지금과 한 바이트도 다르지 않게 존재했습니다.`,
  timeNotAttested:
    '시각은 판매자 자체 서버에 의존합니다: 이 문서의 모든 시각은 판매자가 관리하는 서버의 시계에서 나온 것이며, ' +
    '독립적인 타임스탬프 기관이 증명하지 않았습니다.',
  generatedAt: '보고서 작성 시각',
  page: (n, total) => `${total}쪽 중 ${n}쪽`,
  footerDispute: (id) => `분쟁 ${id}`,
  evidencePdf: {
    footer: '증거 문서: 사진은 원본을 줄인 사본입니다',
    hPictures: '사진',
    picture: (n) => `사진 ${n}`,
    hLeftOut: '제한을 지키기 위해 빠진 항목',
    leftOut: (pictures, paragraphs, limits) =>
      `이 제출처의 제한(${limits})을 지키기 위해 이 문서에서 다음을 뺐습니다(` +
      [pictures > 0 ? `사진 ${pictures}장` : '', paragraphs > 0 ? `문단 ${paragraphs}개` : ''].filter(Boolean).join(', ') +
      '):',
    originalsElsewhere: '빠진 것은 없습니다. 판매자가 원본 전체를 변경 없이 보관하고 있으며, 이 문서에 원본 링크가 적혀 있으면 그곳에서 볼 수 있습니다.',
    limits: (pages, megabytes) => `최대 ${pages}쪽, ${megabytes}MB`,
  },

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
  expectedWeightMakeUp: (total, items, packaging) => `${total} (상품 ${items} + 포장재 ${packaging})`,
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
  packetPath: '청구 서류 묶음 내 파일',
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
  noPreviewPacket: '이 파일의 그림을 여기에 표시할 수 없습니다. 원본은 청구 서류 묶음에 들어 있습니다.',
  heicNoPreview: 'HEIC 사진: 원본을 열어 보십시오. 미리 보기를 만들 수 없습니다.',
  notAPicture: '이 파일은 그림이 아닙니다. 원본은 묶음에 들어 있습니다.',
  notAPicturePacket: '이 파일은 그림이 아닙니다. 원본은 청구 서류 묶음에 들어 있습니다.',
  moreStills: (n) => `정지 화면 ${n}장은 생략했습니다.`,
  stillTitle: (at) => `동영상 정지 화면, ${at} 시점(녹화 시작부터의 시간)`,
  tags: '촬영 내용(태그)',
  playbackCopy: 'MP4 재생용 사본',
  playbackCopyText: (file) =>
    `${file}: WebM을 열지 못하는 플레이어를 위해 서버가 이 원본으로 만든 사본입니다. 원본이 아니며, 이 사본과 원본의 SHA-256은 manifest.json에 있습니다.`,

  fingerprintsIntro:
    'SHA-256 지문은 파일을 정확히 식별합니다. 바이트 하나만 바뀌어도 완전히 다른 값이 나옵니다. ' +
    '아래 값은 파일이 도착할 때 서버가 계산한 것입니다.',
  file: '파일',

  verifySteps: (size, keyUrl) => [
    '묶음(ZIP)의 압축을 폴더에 풉니다. report.pdf, media/, verification/, manifest.json 구성을 그대로 둡니다.',
    '웹 브라우저로 verification/verify.html 을 열고 압축을 푼 폴더를 선택합니다. 또는 Node.js 18 이상이 있으면 그 폴더에서 ' +
      '"node verification/verify.mjs" 를 실행합니다. 아무것도 설치하지 않고, 어디로도 전송하지 않으며, 검증은 내 컴퓨터에서만 이루어집니다.',
    '원본마다 "verified"(검증됨) 또는 실패한 내용을 알려 줍니다. 확인하는 것은 세 가지입니다: 파일의 바이트가 이 보고서의 SHA-256과 같은지, ' +
      `그 지문이 판매자의 증거 로그에 들어 있는지, 그리고 아래 ${size}개 항목 체크포인트의 로그가 판매자의 키로 서명되었는지.`,
    '검증은 아래 로그가 기록한 뒤로 파일이 바뀌지 않았음을 증명합니다. 다른 설치본에서 만든 묶음도 그 자신의 키로는 똑같이 검증되므로, ' +
      '아래 키가 판매자의 키인지 확인하십시오. ' +
      (keyUrl
        ? `판매자는 키를 ${keyUrl} 에 공개합니다. 그 주소를 열어 비교하십시오.`
        : '이 묶음에는 판매자가 키를 공개하는 주소가 적혀 있지 않습니다. 판매자에게 키를 요청하거나(판매자 서버의 /api/v1/ledger/key), ' +
          '이전에 받아 둔 키와 비교하십시오.'),
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
  keyPublishedAt: '키 공개 주소',
  keyPublishedUnknown: '이 묶음에 적혀 있지 않음: 판매자에게 문의',
  verifyDocuments:
    '같은 검사가 번들의 나머지도 확인합니다. 각 촬영의 사실("증거 로그의 촬영 사실" 항목)은 로그에 있는 자체 항목과 대조됩니다. ' +
    '이 보고서, manifest.json 및 내보낼 때 만든 다른 파일은 SHA-256과 함께 verification/export-statement.txt 에 나열되어 있고, ' +
    '서버가 같은 키로 서명했습니다. 그 뒤에 바뀌거나 지워지거나 추가된 파일은 검증 도구가 이름을 밝혀 알려 줍니다.',

  timestampLabel: '독립 타임스탬프',
  timestampValue: (time, tsa) => `늦어도 ${time}에는 존재했음 (증명: ${tsa})`,
  timestampNone: '없음: 시각은 판매자 자체 서버의 시계에 의존합니다',
  tsaCertificate: '타임스탬프 기관 인증서 (SHA-256)',

  // ——— capture facts ———
  hCaptureFacts: '증거 로그의 촬영 사실',
  captureFactsIntro:
    '촬영이 끝나면 서버는 그 사실을 증거 로그의 항목으로 기록했습니다: 주문, 종류, 작업대, 기록한 기기·사용자, 시작·종료 시각, ' +
    '입력한 무게, 그 시점의 예상 무게, 체크리스트 결과와 판정, 각 파일의 SHA-256. verification/ 의 검증 도구는 각 항목을 ' +
    '서명된 로그와 대조하고 그 사실을 보여 줍니다.',
  colCapture: '촬영',
  colFacts: '기록된 사실',
  colInLog: '증거 로그',
  factsInLog: (index) => `로그에서 검증됨: 항목 ${index}`,
  factsNotInLog: '로그에 없음: 촬영 사실을 기록하기 전에 끝난 촬영',
  factsNotFinished: '로그에 없음: 끝나지 않은 촬영',
  factsExpected: (weight) => `당시 예상 ${weight}`,
  factsChecklist: (issues, total) => `체크리스트: ${total}개 중 ${issues}개 문제`,
  factsFiles: (n) => `파일 ${n}개`,

  weight: {
    items: (n) => `상품 ${n}개`,
    measuredPart: (measured) => `측정 ${measured}`,
    expectedPart: (items, expected, tolerance) => `${items} 예상 ${expected} ± ${tolerance}`,
    withPackaging: (items, packaging) => `${items} + 포장재 ${packaging}`,
    shippedPart: (shipped, tolerance) => `포장 시 ${shipped} ± ${tolerance}`,
    consistent: '모든 상품이 들어 있는 무게와 일치',
    consistentShipped: '포장 시 무게와 일치',
    oneMissing: (grams) => `상품 1개가 빠졌다면 약 ${grams}`,
    lightestMissing: (grams, item) => `가장 가벼운 상품(${item})이 빠졌다면 약 ${grams}`,
    tooLightToTell: (item) => `${item} 1개가 빠졌는지는 무게만으로 알 수 없음`,
    lighter: (diff) => `예상보다 ${diff} 가벼움`,
    heavier: (diff) => `예상보다 ${diff} 무거움`,
    lighterShipped: (diff) => `포장 시보다 ${diff} 가벼움`,
    heavierShipped: (diff) => `포장 시보다 ${diff} 무거움`,
    short: (candidates) => `약 ${candidates}만큼 모자람`,
    unitShort: (count, unitGrams, name) => `${unitGrams}짜리 상품 ${count}개(${name})`,
    extra: (candidates) => `${candidates}이(가) 더 들어 있는 것과 같은 무게`,
    unitExtra: (count, unitGrams, name) => `${unitGrams}짜리 상품 ${count}개(${name})`,
    or: ' 또는 ',
    noMatch: '어느 한 상품의 개수로도 차이가 설명되지 않음',
    packagingOrExtra: '포장재가 더 무겁거나 상품이 더 들어갔을 수 있음',
    repackedOrExtra: '다른 포장재를 썼거나 무언가 더 들어갔을 수 있음',
    noMeasured: '포장 시 측정한 무게가 없음',
    noExpected: (items) => `예상 무게 없음(개당 무게가 없는 상품이 있음${items ? `: ${items}` : ''})`,
    noExpectedThen: '무게를 잴 때 알려진 예상 무게 없음',
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
  claimTitleMissing: '택배 내용물 일부 분실 손해배상 청구서',
  claimOpeningMissing: (shipper, tracking) =>
    `${shipper}은(는) 운송장 번호 ${tracking} 택배가 내용물 일부가 없는 상태로 수하인에게 도착하여 손해배상을 청구합니다. ` +
    '아래에 운송 정보, 약관에 따른 청구 기한, 택배사가 요구하는 사진, 첨부한 증거를 적습니다.',
  missingDescription: '없어진 내용물',
  claimTo: (carrier) => `수신: ${carrier} 사고(손해배상) 담당`,
  claimFrom: (shipper) => `발신: ${shipper}`,
  claimDate: '작성일',
  claimOpening: {
    damage: (shipper, tracking) =>
      `${shipper}은(는) 운송장 번호 ${tracking} 택배가 파손된 상태로 수하인에게 도착하여 손해배상을 청구합니다. ` +
      '아래에 운송 정보, 약관에 따른 청구 기한, 택배사가 요구하는 사진, 첨부한 증거를 적습니다.',
    loss: (shipper, tracking) =>
      `${shipper}은(는) 귀사에 인계한 운송장 번호 ${tracking} 택배가 배송되지 않아 손해배상을 청구합니다. ` +
      '아래에 운송 정보, 약관에 따른 청구 기한, 택배사가 요구하는 사진, 첨부한 증거를 적습니다.',
  },
  hClaimFacts: '운송 정보',
  shipper: '송화인',
  consignee: '수화인',
  shipDate: '발송일',
  deliveryDate: '수령일',
  weightAtPacking: '포장 시 무게',
  weightCheck: '무게 확인',
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
  labelledLater: (ref, date) => `${ref}: 녹화가 끝난 뒤 ${date}에 판매자가 표시함`,
  sameFile: (refs) => `같은 파일: ${refs.join(', ')} (SHA-256 동일). 한 파일이 여러 번 들어간 것으로, 별개의 증거가 아닙니다.`,
  hDateConflicts: '서로 맞지 않는 날짜',
  dateConflictsIntro: '기록된 아래 날짜들은 모두 맞을 수 없습니다. 고치지 않고 기록된 그대로 적었으며, 요청하시면 설명하거나 바로잡겠습니다.',
  dateConflicts: {
    delivered_before_shipped: (delivered, shipped) => `수령일(${delivered})이 발송일(${shipped})보다 앞섭니다.`,
    packed_after_shipped: (packed, shipped) => `포장이 발송일(${shipped}) 이후인 ${packed}에 기록되었습니다.`,
    packed_after_delivered: (packed, delivered) => `포장이 수령일(${delivered}) 이후인 ${packed}에 기록되었습니다.`,
    handed_over_before_packed: (handover, packed) => `택배 인계가 포장 시작(${packed}) 전인 ${handover}에 기록되었습니다.`,
    handed_over_after_delivered: (handover, delivered) => `택배 인계가 수령일(${delivered}) 이후인 ${handover}에 기록되었습니다.`,
    return_opened_before_delivered: (opened, delivered) => `반품 상자를 수령일(${delivered}) 전인 ${opened}에 개봉한 것으로 기록되었습니다.`,
    packed_after_claim: (packed, claimed) => `포장이 이 청구를 연 때(${claimed}) 이후인 ${packed}에 기록되었습니다.`,
    handed_over_after_claim: (handover, claimed) => `택배 인계가 이 청구를 연 때(${claimed}) 이후인 ${handover}에 기록되었습니다.`,
    shipped_after_letter: (shipped, letter) => `발송일(${shipped})이 이 청구서의 작성일(${letter})보다 뒤입니다.`,
    delivered_after_letter: (delivered, letter) => `수령일(${delivered})이 이 청구서의 작성일(${letter})보다 뒤입니다.`,
  },
  hEnclosures: '첨부',
  enclosuresText: (n) =>
    `증거 파일 ${n}개를 아래에 적힌 이름으로 이 청구 서류 묶음에 첨부합니다. 각 파일을 상점 서버가 받은 시각과 SHA-256 지문을 함께 적었고, 이 청구서 뒤의 페이지에서 각 파일을 보여 줍니다.`,
  noEnclosures: '이 청구서에 첨부한 증거 파일은 없습니다.',
  enclosuresCheck:
    '서버가 받은 뒤로 파일이 바뀌지 않았는지 확인하려면, 웹 브라우저로 verification/verify.html 을 열고 압축을 푼 청구 서류 묶음 폴더를 선택하거나, ' +
    '그 폴더에서 "node verification/verify.mjs" 를 실행하십시오. manifest.json 에는 청구 서류 묶음의 모든 파일과 크기, SHA-256 이 적혀 있습니다.',
  claimClosing: {
    damage: '청구서 접수를 확인해 주시고, 추가로 필요한 자료가 있으면 알려 주십시오. 원본 녹화는 바꾸지 않고 보관하고 있어 확인하실 수 있습니다. 택배 상자와 포장재 확인을 원하시면 알려 주십시오.',
    loss: '청구서 접수를 확인해 주시고, 추가로 필요한 자료가 있으면 알려 주십시오. 원본 녹화는 바꾸지 않고 보관하고 있어 확인하실 수 있습니다.',
  },
  signature: '서명',
  daysLeft: (n) => (n === 0 ? '오늘' : n > 0 ? `작성일로부터 ${n}일 남음` : `${-n}일 지남`),
  amountClaimed: '청구 금액',
  notRecorded: '—',
};

export default ko;
