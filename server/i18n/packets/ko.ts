// Every word a recipient packet prints, in Korean.
import type { PacketStrings } from './en';

const ko: PacketStrings = {
  recipientNames: {
    stripe: 'Stripe',
    shopify: 'Shopify Payments',
    paypal: 'PayPal',
    ebay: 'eBay',
    amazon: 'Amazon',
    coupang: '쿠팡',
    shopee: 'Shopee',
    courier: '택배사 배상 청구',
  },
  courierWithCarrier: (carrier) => `택배사 배상 청구 (${carrier})`,

  narrative: {
    title: (orderId) => `주문 ${orderId}에 대한 증거`,
    opening: (shop, orderId, reason) => `${shop}은(는) 주문 ${orderId}의 판매자입니다. 이 문서는 이 주문에 관한 분쟁(${reason})에 대한 판매자의 증거입니다.`,
    reference: (reference) => `분쟁 참조 번호는 ${reference}입니다.`,
    amount: (amount) => `분쟁 금액은 ${amount}입니다.`,
    service:
      '판매자는 포장하는 모든 택배와 개봉하는 모든 반품을 자체 증거 시스템(Packtrail)으로 기록합니다. ' +
      '사진, 동영상, 무게는 포장대에서 기록되며, 서버는 각 파일을 변경 없이 보관하고 받은 시각(휴대폰이 아닌 서버의 시계)과 ' +
      'SHA-256 지문을 서명된 추가 전용 로그에 기록하므로, 나중에 파일이나 시각을 바꾸면 드러납니다.',
    items: (items) => `주문 상품: ${items}.`,
    itemsMore: (count) => ` 외 ${count}개 품목`,
    item: (name, quantity) => `${name} × ${quantity}`,
    packed: (at, where) => `택배는 ${at}에${where} 포장되었습니다.`,
    packedAt: (station) => ` ${station}에서`,
    recorded: (photos, videos, seconds) => `포장 과정은 사진 ${photos}장과 동영상 ${videos}개${seconds}로 기록되었습니다.`,
    videoLength: (length) => `(총 ${length})`,
    weightOk: (measured, expected, tolerance) =>
      `포장 시 저울 무게는 ${measured}였고, 상품과 포장재를 합한 예상 무게는 ${expected}(± ${tolerance})입니다. 무게는 빠짐없는 주문과 일치합니다.`,
    weightLight: (measured, expected, tolerance, difference) =>
      `포장 시 저울 무게는 ${measured}였고, 상품과 포장재를 합한 예상 무게는 ${expected}(± ${tolerance})입니다. ${difference} 가벼웠습니다.`,
    weightHeavy: (measured, expected, tolerance, difference) =>
      `포장 시 저울 무게는 ${measured}였고, 상품과 포장재를 합한 예상 무게는 ${expected}(± ${tolerance})입니다. ${difference} 무거웠습니다.`,
    weightOnly: (measured) => `포장 시 저울 무게는 ${measured}였습니다.`,
    weightUndetectable: (item, grams) =>
      `참고: ${item} 1개(${grams})는 저울 허용 오차 안에 있어 무게만으로는 포장 여부를 증명할 수 없습니다. 내용물은 사진과 동영상에서 확인할 수 있습니다.`,
    shipped: (carrier, tracking) => `${carrier}(으)로 발송되었으며 운송장 번호는 ${tracking}입니다.`,
    shippedOn: (date) => `판매자에게서 ${date}에 출고되었습니다.`,
    delivered: (date) => `택배사 기록상 ${date}에 배송 완료되었습니다.`,
    noTracking: '이 주문에는 운송장 번호가 기록되어 있지 않습니다.',
    handover: (at) => `택배사 인계는 ${at}에 기록되었습니다.`,
    returnOpened: (at) => `반품 택배는 ${at}에 촬영하며 개봉되었습니다.`,
    returnWeightOk: (measured, shipped) => `도착 시 무게는 ${measured}, 발송 시 무게는 ${shipped}였습니다. 무게가 일치합니다.`,
    returnWeightOff: (measured, shipped, difference) => `도착 시 무게는 ${measured}, 발송 시 무게는 ${shipped}였습니다. 차이: ${difference}.`,
    findings: (findings) => `검수 결과: ${findings}.`,
    finding: (item, result) => `${item}: ${result}`,
    findingNote: (item, result, note) => `${item}: ${result} (${note})`,
    outcome: (outcome) => `검수 결론: ${outcome}.`,
    damage: (text) => `판매자가 설명하는 경위: ${text}`,
    evidence: (count) => `판매자의 증거는 파일 ${count}개이며, 이 분쟁에 관한 모든 문서에서 E1부터 E${count}까지 번호가 붙어 있습니다. 받는 쪽이 받는 파일은 같은 번호로 이 묶음에 들어 있습니다.`,
    derived:
      '"derived/" 폴더의 파일은 업로드 제한에 맞추기 위해서만 만든 축소 사본(압축 사진, 동영상 스틸, 짧게 만든 동영상)이며, ' +
      '각각 원본(변경 없음)의 SHA-256 지문을 밝힙니다.',
    shareLink: (url, until) => `원본 전체는 설치 없이 각 지문을 확인하는 방법과 함께 ${until}까지 ${url} 에서 보고 내려받을 수 있습니다.`,
    times: (zone) => `시각은 서버가 받은 시각이며 ${zone} 기준입니다.`,
    timesOwnServer: '이 시각들은 판매자가 시계를 관리하는 판매자 자신의 서버에 근거하며, 독립된 시점 확인 기관이 확인한 것이 아닙니다.',
    noEvidence: '이 분쟁에는 아직 고른 증거 파일이 없습니다. 위의 사실은 판매자의 주문 기록에서 나온 것입니다.',
  },

  missing: {
    NO_LABEL_PHOTO: '운송장 사진이 없습니다: 사진 속 택배와 운송장 번호를 연결할 수 없습니다. 증거 중 운송장 근접 사진에 태그를 지정하세요.',
    NO_PACKING_VIDEO: '포장 동영상이 없습니다: 끊김 없는 영상이 상자에 무엇이 들어갔는지 가장 강하게 증명합니다.',
    NO_PHOTOS: '증거에 사진이 없습니다: 받는 쪽에서 볼 수 있는 것이 없습니다.',
    NO_WEIGHT: '포장 시 무게가 없습니다: 빠진 것이 없음을 보여 주는 것이 무게입니다.',
    NO_TRACKING: '주문에 운송장 번호가 없습니다: 택배와 배송을 연결할 수 없습니다.',
    NO_CARRIER: '주문에 택배사가 없습니다: 누가 운송했는지 알 수 없고 청구 기한도 계산할 수 없습니다.',
    NO_RETURN_VIDEO: '반품 개봉 동영상이 없습니다: 받는 쪽은 끊김 없는 개봉 동영상 한 개를 요구합니다.',
    NO_PACKING_INSIDE_PHOTO: '포장된 상자 내부 사진이 없습니다: 택배사는 완충재와 함께 담긴 상품 사진을 요구합니다.',
    NO_PACKING_OUTSIDE_PHOTO: '닫고 봉인한 상자 사진이 없습니다: 택배사는 포장 상태를 확인하려고 이 사진을 요구합니다.',
    NO_DAMAGE_PHOTO: '파손 사진이 없습니다: 파손 청구에는 수령 당시의 상자와 내용물 사진이 필요합니다.',
    NO_ALL_SIDES_PHOTO: '택배 상자의 모든 면 사진이 없습니다: 파손 청구 시 택배사가 요구합니다.',
    NO_WEIGHT_PHOTO: '저울 위 택배 사진이 없습니다: 택배사는 표시값을 확인하려고 합니다.',
    NO_EVIDENCE_PDF: '제한 안에서 증거 문서를 만들 수 없었습니다.',
    PICTURES_LEFT_OUT: (count) => `쪽수와 크기 제한을 지키기 위해 evidence.pdf에서 사진 ${count}장이 빠졌습니다. 문서 마지막 쪽에 그 사실이 적혀 있으며, 원본 전체는 링크에 있습니다.`,
    VIDEO_NOT_ACCEPTED: (what) => `${what}은(는) 동영상 파일을 받지 않습니다: 동영상은 시각이 표시된 스틸 모음으로 대신 보여 주며, 전체 동영상은 링크에 있습니다.`,
    AUDIO_NOT_ACCEPTED: (what) => `${what}은(는) 음성 녹음(구매자나 택배사와의 통화)을 받지 않습니다: 묶음에서 빠졌으며 링크에 있습니다.`,
    VIDEO_TOO_LONG_TO_FIT: (seconds, limit) =>
      `동영상 길이는 ${seconds}로 허용된 ${limit}보다 길며, 받는 쪽은 편집하지 않은 끊김 없는 영상 한 개를 원하므로 자르지 않았습니다. 링크로 보내거나, 더 긴 영상의 제출 방법을 받는 쪽에 문의하세요.`,
    VIDEO_CANNOT_FIT_SIZE: (needed, limit) =>
      `동영상을 알아볼 수 있는 화질로는 ${needed}보다 작게 만들 수 없습니다. 제한은 ${limit}입니다. 동영상은 빠졌으며 전체 동영상은 링크에 있습니다.`,
    PHOTO_UNDECODABLE: (file, type) => `${file} 파일은 이 서버가 받는 쪽이 여는 형식으로 바꿀 수 없는 ${type} 사진이라 빠졌습니다. 다른 증거에는 영향이 없습니다.`,
    VIDEO_NOT_READY: '아직 준비되지 않았습니다: 동영상을 처리하는 중이라 길이를 아직 알 수 없습니다. 처리가 끝난 뒤 묶음을 다시 내려받으세요(내려받을 때 길이를 잽니다).',
    VIDEO_TRIMMED: (kept, total) => `동영상은 제한에 맞추기 위해 전체 ${total} 중 처음 ${kept}만 남겼습니다. 전체 동영상은 링크에 있습니다.`,
    LEFT_OUT_FOR_LIMIT: (file, limit) => `${file}은(는) 제한(${limit})을 지키기 위해 빠졌습니다.`,
    COULD_NOT_FIT: (file) => `${file}은(는) 제한에 맞게 줄일 수 없어 빠졌습니다.`,
    TYPE_NOT_ACCEPTED: (file, type, recipient) => `${file} 파일은 ${recipient}이(가) 받지 않는 ${type} 형식이라 빠졌습니다.`,
    NO_PUBLIC_URL: '원본 전체로 가는 링크가 없습니다. PUBLIC_URL이 설정되지 않았거나 이 컴퓨터만 가리켜, 링크가 받는 쪽이 열 수 없는 주소가 되기 때문입니다. PUBLIC_URL을 서버의 공개 주소로 설정한 뒤 묶음을 다시 내려받으면 링크가 들어갑니다.',
    NO_LINK: '받는 쪽이 링크를 받지 않으므로 이 묶음에서 원본 전체에 접근할 수 없습니다. 원본은 증거 묶음으로 보관하세요.',
  },

  limits: {
    FILE_TYPES: '받는 파일 형식',
    FILE_BYTES: '가장 큰 파일',
    PHOTO_BYTES: '가장 큰 사진',
    VIDEO_BYTES: '동영상 파일 크기',
    TOTAL_BYTES: '전체 파일 합계',
    FILES: '파일 수',
    PAGES: '모든 PDF의 쪽수',
    VIDEO_SECONDS: '동영상 길이',
    TEXT_CHARACTERS: '텍스트 항목 합계',
  },
  units: { bytes: '바이트', pages: '쪽', seconds: '초', characters: '자', files: '개' },

  deadline: {
    respondBy: '분쟁에 입력된, 받는 쪽이 정한 회신 기한까지 회신하세요.',
    respondByBasis: (at) => `분쟁에 입력된 회신 기한: ${at}.`,
    noRespondBy: '분쟁에 회신 기한이 입력되어 있지 않습니다: 받는 쪽이 알려 준 기한을 입력하면 알림이 됩니다.',
    amazon: 'A-to-z 보증 클레임: Amazon 통지 후 72시간 안에 회신(미국). SAFE-T 클레임: 반품이 판매자에게 배송된 후 30일 안에 제출(미국).',
    amazonBasis: (at) => `Amazon 통지 시각이 기록되어 있지 않아 이곳에 분쟁이 기록된 시각(${at})부터 72시간으로 계산했습니다. Amazon이 알려 준 회신 기한을 입력하면 그것으로 바뀝니다.`,
    coupang: '쿠팡: 상품 도착 후 영업시간 기준 168시간(주말 제외 영업일 7일) 안에.',
    coupangBasis: (what, at) => `${what} 기준: ${at}.`,
    coupangReturnArrival: '이곳에서 반품을 개봉한 시각',
    coupangDelivery: '주문의 배송 완료일',
    coupangNoArrival: '도착 시각을 알 수 없습니다(주문에 배송일이 없고 이곳에서 개봉한 반품도 없음): 쿠팡이 알려 준 기한을 입력하세요.',
    enteredInstead: (at) => `분쟁에 입력된 회신 기한을 따릅니다: ${at}.`,
    courierBasis: (terms, from) => `${terms}; ${from}부터 계산.`,
    courierNoDate: (reason) => reason,
  },

  checklist: {
    title: (recipient) => `${recipient} 제출용 묶음`,
    order: (orderId, disputeId) => `주문 ${orderId} · 분쟁 ${disputeId}`,
    generated: (at) => `작성: ${at}.`,
    included: '포함된 파일',
    missing: '빠진 것과 그 중요성',
    nothingMissing: '받는 쪽이 요구하는 것 중 빠진 것은 없습니다.',
    limits: '제한 (받는 쪽의 제한과 이 묶음의 수치)',
    within: '이내',
    about: (figure) => `약 ${figure}`,
    over: '초과',
    deadline: '기한',
    noDeadline: '날짜를 계산할 수 없습니다.',
    howToUpload: '업로드 방법',
    shareLink: (url, until) => `원본 전체 링크 (${until} 만료): ${url}`,
    roles: { original: '원본, 변경 없음', derived: '파생 사본', document: '이 묶음을 위해 만든 문서', data: '데이터' },
    derivedFrom: (sha256) => `SHA-256 ${sha256} 원본에서 만듦`,
    evidence: (n) => `E${n}`,
    fieldsNote: 'packet.json에는 받는 쪽의 각 항목에 붙여 넣을 내용이 받는 쪽의 항목 이름 그대로 들어 있습니다.',
    fileIdNote: 'packet.json에서 파일 ID를 받는 항목에 파일 이름(예: "evidence.pdf")이 적혀 있으면, 그 파일을 먼저 업로드하고 돌려받은 ID로 바꾸세요.',
  },

  upload: {
    stripe:
      'Stripe 대시보드 → 결제 → 분쟁 → 해당 분쟁 → 이의 제기. packet.json "fields"의 각 텍스트를 같은 이름의 항목에 붙여 넣고, ' +
      'evidence.pdf는 "기타 문서"(uncategorized_file)로, 운송장 사진은 "배송 서류"로 업로드하세요. API를 쓸 때는 각 파일을 업로드(purpose "dispute_evidence")한 뒤 ' +
      'packet.json의 경로를 파일 ID로 바꾸고 "fields"를 분쟁의 evidence로 보내세요.',
    shopify:
      'Shopify 관리자 → 주문 → 해당 주문 → 응답 제출. SHIPPING_DOCUMENTATION_FILE의 파일은 배송 서류로, UNCATEGORIZED_FILE의 파일은 추가 증거로 업로드하고 ' +
      'packet.json의 텍스트를 해당 칸에 붙여 넣으세요.',
    paypal: 'PayPal 분쟁 해결 센터 → 해당 케이스 → 응답/정보 제공. packet.json "evidences"의 각 항목마다 증거 유형을 고르고 메모를 붙여 넣은 뒤 해당 파일을 업로드하세요.',
    ebay: 'eBay Seller Hub → 주문 → 반품 및 분쟁(또는 결제 분쟁) → 해당 케이스. 사진을 증거 이미지로 추가하고 packet.json "fields"의 텍스트를 메시지/메모 칸에 붙여 넣으세요.',
    amazon:
      'Seller Central → 성과 → A-to-z 보증 클레임 → 해당 클레임 → 응답(또는 SAFE-T 클레임 양식). packet.json의 "reply"를 붙여 넣고 파일을 첨부하세요' +
      '(클레임이 요구하면 구매자-판매자 메시지로).',
    coupang: '쿠팡 Wing → 해당 주문의 반품/클레임 → 사진과 동영상을 첨부하고 packet.json "fields"의 텍스트를 설명 칸에 붙여 넣으세요.',
    shopee: 'Shopee 판매자 센터 → 반품/환불 → 해당 요청 → 이의 제기. 개봉 동영상과 사진을 업로드하고 packet.json "fields"의 텍스트를 붙여 넣으세요.',
    courier: 'claim-letter.pdf와 거기에 나열된 파일을 택배사 배상 창구(웹 양식 또는 이메일)로 보내세요. verification/ 폴더로 담당자가 설치 없이 모든 원본을 확인할 수 있습니다.',
  },

  files: {
    evidencePdf: '증거 문서: 사건 설명, 주문 정보, 사진과 동영상 스틸',
    photo: (n, kind) => `E${n}: ${kind} 사진`,
    photoReduced: (n, kind) => `E${n}: ${kind} 사진, 제한에 맞게 압축`,
    video: (n, kind) => `E${n}: ${kind} 동영상`,
    videoReduced: (n, kind) => `E${n}: ${kind} 동영상, 제한에 맞게 다시 인코딩`,
    stills: (n, kind) => `E${n}: ${kind} 동영상의 스틸과 시각`,
    document: (n, kind) => `E${n}: ${kind} 문서`,
    claimLetter: '택배사 배상 청구서: 운송 정보, 포장 시 무게, 청구 기한, 사진 점검표, 첨부 목록',
    verification: '오프라인 검증 도구: 각 원본이 서명된 체크포인트 이전에 바이트 단위로 존재했다는 증명',
    manifest: '묶음의 모든 파일과 크기, SHA-256',
    readme: '묶음의 각 부분과 확인 방법',
    facts: '주문 정보',
    factRows: {
      order: '주문',
      reason: '분쟁',
      carrier: '택배사',
      tracking: '운송장 번호',
      shipped: '발송',
      delivered: '배송 완료',
      weight: '포장 시 무게',
      expected: '예상 무게',
    },
  },
};

export default ko;
