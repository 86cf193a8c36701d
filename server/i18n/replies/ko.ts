// Reply drafts in Korean: written as a Korean seller writes to a customer (존댓말), not word for word
// from the English; the same keys and placeholders as en.ts.
import type { DisputeReason } from '../../domain/vocabulary';
import type { ReplyStrings } from './en';

const hello = '{buyerName} 고객님, 안녕하세요.\n{shopName}입니다.';
const bye = '감사합니다.\n{shopName} 드림';
const packingRecord =
  '저희 기록으로 확인한 내용은 다음과 같습니다.\n' +
  '- 주문 상품: {items}\n' +
  '- 포장 촬영 시각: {packedAt}, 출고 시 무게: {weight} (예상 무게 {expectedWeight})\n' +
  '- 발송: {carrier}, 운송장 번호 {trackingNumber}';
const returnRecord =
  '저희 기록으로 확인한 내용은 다음과 같습니다.\n' +
  '- 반품 상품 개봉 촬영 시각: {returnOpenedAt}\n' +
  '- 확인 결과: {returnFindings}\n' +
  '- 같은 주문의 출고 당시 포장 촬영 시각: {packedAt}, 무게: {weight}';
const evidence =
  '첨부한 증거 자료:\n{evidence}\n\n' +
  '원본 촬영 시각과 SHA-256 지문이 함께 기록된 영상과 사진은 다음 링크에서 확인하실 수 있습니다: {shareLink}';
const askBy = '{respondBy}까지 원하시는 방법을 알려 주시면 감사하겠습니다.';
const outcome = '진행 결과를 안내해 드립니다. {outcome}.';
const stillOpen = '참고로, 아래 방법은 지금도 선택하실 수 있습니다.';

const deliveryOptions = (refund: string, exchange: string, ret: string) =>
  `1. 환불: ${refund}\n2. 교환: ${exchange}\n3. 반품: ${ret}. 반품 배송비는 {returnFee}입니다.\n4. 증거 자료: 이 택배의 포장 영상과 사진을 요청하시면 언제든 보내 드립니다.`;
const returnOptions = (refund: string, exchange: string) =>
  `1. 환불: ${refund}\n2. 교환: ${exchange}\n3. 반송: 받은 상태 그대로 상품을 고객님께 다시 보내 드립니다. 배송비는 {returnFee}입니다.\n4. 증거 자료: 반품 상품을 개봉하는 영상과 주문 상품을 포장하는 영상이 있습니다.`;

const options: Record<DisputeReason, string> = {
  item_missing: deliveryOptions(
    '누락된 상품 금액을 결제하신 수단으로 환불해 드립니다.',
    '누락된 상품을 저희 부담으로 보내 드립니다.',
    '주문 전체를 반송해 주시면 도착 확인 후 전액 환불해 드립니다',
  ),
  damaged: deliveryOptions(
    '파손된 상품 금액을 결제하신 수단으로 환불해 드립니다.',
    '재고가 확보되는 대로 새 상품으로 보내 드립니다.',
    '파손된 상품을 반송해 주시면 도착 확인 후 환불해 드립니다',
  ),
  not_received: deliveryOptions(
    '택배사에서 분실이 확인되면 주문 금액을 환불해 드립니다.',
    '저희 부담으로 상품을 다시 보내 드립니다.',
    '나중에 택배가 도착했는데 더 이상 필요하지 않으시면 반송 후 환불받으실 수 있습니다',
  ),
  not_as_described: deliveryOptions(
    '상품이 저희에게 돌아오면 환불해 드립니다.',
    '같은 가격의 다른 사이즈, 색상 또는 다른 상품으로 교환해 드립니다.',
    '사용하지 않은 상태로 반송해 주시면 도착 확인 후 환불해 드립니다',
  ),
  wrong_item: deliveryOptions(
    '주문하신 상품 금액을 결제하신 수단으로 환불해 드립니다.',
    '주문하신 상품을 보내 드리고, 잘못 받으신 상품은 저희가 회수하겠습니다.',
    '잘못 받으신 상품을 반송해 주시면 도착 확인 후 환불해 드립니다',
  ),
  return_damaged: returnOptions(
    '파손에 따른 차감액을 먼저 서면으로 안내해 드린 뒤, 이를 제외한 금액을 환불해 드립니다.',
    '파손된 상품은 교환이 어렵습니다. 다만 수리가 가능한 경우 실비로 수리해 드릴 수 있습니다.',
  ),
  return_used: returnOptions(
    '사용에 따른 차감액을 먼저 서면으로 안내해 드린 뒤, 이를 제외한 금액을 환불해 드립니다.',
    '사용하신 상품은 교환이 어렵습니다.',
  ),
  return_missing_parts: returnOptions(
    '누락된 구성품이 도착하면 전액 환불해 드리며, 보내 주시지 않으면 해당 구성품 금액을 제외하고 환불해 드립니다.',
    '누락된 구성품이 돌아오면 환불 대신 교환도 가능합니다.',
  ),
  chargeback: deliveryOptions(
    '카드 소지자께 해당 상품 금액을 원래 결제 수단으로 환불해 드리겠다고 제안했습니다.',
    '저희 부담으로 대체 상품을 보내 드리겠다고 제안했습니다.',
    '주문 상품을 반송받아 도착 확인 후 환불해 드리겠다고 제안했습니다',
  ),
  other: deliveryOptions(
    '해당 상품 금액을 결제하신 수단으로 환불해 드립니다.',
    '같은 상품이나 비슷한 상품으로 교환해 드립니다.',
    '상품을 반송해 주시면 도착 확인 후 환불해 드립니다',
  ),
};

const buyerMessages = (reason: DisputeReason, opening: string, record: string, request: string) => ({
  first_reply: `${hello}\n\n${opening}\n\n${record}\n\n고객님께서 선택하실 수 있는 방법은 다음과 같습니다.\n${options[reason]}\n\n${request}\n\n${bye}`,
  evidence_sent:
    `${hello}\n\n말씀드린 대로 주문번호 {orderId}의 기록을 보내 드립니다.\n\n${evidence}\n\n${record}\n\n` +
    `선택하실 수 있는 방법은 앞서 안내해 드린 것과 같습니다.\n${options[reason]}\n\n${askBy}\n\n${bye}`,
  resolution:
    `${hello}\n\n주문번호 {orderId} 건으로 기다려 주셔서 감사합니다. ${outcome}\n\n${stillOpen}\n${options[reason]}\n\n` +
    `증거 자료는 계속 {shareLink}에서 확인하실 수 있습니다. 궁금하신 점이 있으시면 언제든 이 메시지에 답장해 주세요.\n\n${bye}`,
});

const chargebackCase = '{buyerName} 님이 주문하신 주문번호 {orderId}의 지불 거절(차지백) 건(사건 번호 {reference}, 금액 {amount})';

const ko: ReplyStrings = {
  facts: {
    shopName: '상점 이름',
    buyerName: '구매자 이름',
    orderId: '주문번호',
    items: '주문 상품',
    packedAt: '포장 시각',
    weight: '택배 무게',
    expectedWeight: '예상 무게',
    trackingNumber: '운송장 번호',
    carrier: '택배사',
    returnOpenedAt: '반품 개봉 시각',
    returnFindings: '반품 확인 결과',
    reference: '사건 번호',
    amount: '분쟁 금액',
    respondBy: '회신 기한',
    returnFee: '반품 배송비',
    evidence: '증거 자료 목록',
    shareLink: '공유 링크',
    outcome: '처리 결과',
  },
  missing: '[{fact}: 기록 없음, 직접 입력해 주세요]',
  fillIn: {
    returnFee: '[반품 배송비: 금액을 입력해 주세요]',
    shareLink: '[공유 링크: 분쟁 페이지에서 링크를 만든 뒤 여기에 붙여 넣어 주세요]',
  },
  outcomes: {
    submitted: '저희 답변과 포장 증거 자료를 제출했으며, 현재 검토 결과를 기다리고 있습니다',
    won: '포장 증거 자료를 바탕으로 검토한 결과, 저희 측 주장이 받아들여졌습니다',
    lost: '검토 결과 저희 측 주장이 받아들여지지 않았으며, 결정된 내용을 신속히 이행하겠습니다',
    closed: '이 건은 종결되었습니다',
  },
  evidenceLine: '- {what}, 촬영 시각 {time}',
  evidenceLineCaptioned: '- {what}, 촬영 시각 {time}: {caption}',
  noEvidence: '[증거 자료 목록: 아직 선택한 증거가 없습니다. 분쟁 페이지에서 추가해 주세요]',
  findingsOutcome: '판정 결과 “{outcome}”',
  findingsIssues: '문제가 확인된 항목: {items}',
  findingsNone: '확인된 문제 없음',
  listSeparator: ', ',

  templates: {
    item_missing: buyerMessages(
      'item_missing',
      '주문번호 {orderId}의 상품 일부가 누락되었다고 알려 주셔서 감사합니다. 불편을 드려 정말 죄송합니다. 지금 바로 확인하고 있습니다.',
      packingRecord,
      '가능하시면 {respondBy}까지 받으신 상자와 운송장 사진을 함께 보내 주시면 감사하겠습니다. 빠르게 해결하는 데 큰 도움이 됩니다.',
    ),
    damaged: buyerMessages(
      'damaged',
      '주문번호 {orderId}의 상품이 파손된 상태로 도착해 정말 죄송합니다. 바로 알려 주셔서 감사합니다.',
      packingRecord,
      '{respondBy}까지 파손 부위, 상자, 운송장 사진을 보내 주시면 감사하겠습니다. 택배사에서 확인을 요청할 수 있으니 포장재는 버리지 말고 보관해 주세요.',
    ),
    not_received: buyerMessages(
      'not_received',
      '주문번호 {orderId}의 상품을 아직 받지 못하셨다고 알려 주셔서 감사합니다. 오래 기다리시게 해서 죄송합니다. 택배사에 배송 조회를 요청해 두었습니다.',
      packingRecord,
      '번거로우시겠지만 이웃이나 경비실, 택배 보관함도 한 번 확인해 주시고 {respondBy}까지 회신해 주시면 감사하겠습니다.',
    ),
    not_as_described: buyerMessages(
      'not_as_described',
      '주문번호 {orderId}에 대해 연락 주셔서 감사합니다. 상품이 기대하신 것과 달라 죄송합니다. 만족하실 수 있도록 해결해 드리겠습니다.',
      packingRecord,
      '상품 설명과 어떤 점이 다른지 {respondBy}까지 알려 주시고, 가능하시면 사진도 함께 보내 주세요.',
    ),
    wrong_item: buyerMessages(
      'wrong_item',
      '주문번호 {orderId}에 주문하신 것과 다른 상품이 들어 있었다니 정말 죄송합니다. 알려 주셔서 감사합니다.',
      packingRecord,
      '받으신 상품과 운송장 사진을 {respondBy}까지 보내 주시면 감사하겠습니다. 확인이 끝날 때까지는 상품을 사용하지 말아 주세요.',
    ),
    return_damaged: buyerMessages(
      'return_damaged',
      '주문번호 {orderId}의 상품을 반품해 주셔서 감사합니다. 상자를 개봉해 보니 상품이 파손되어 있어, 현재 상태로는 반품 접수가 어렵습니다.',
      returnRecord,
      '{respondBy}까지 원하시는 방법을 알려 주시고, 파손 경위에 대해 알려 주실 내용이 있으면 함께 말씀해 주세요.',
    ),
    return_used: buyerMessages(
      'return_used',
      '주문번호 {orderId}의 상품을 반품해 주셔서 감사합니다. 상자를 개봉해 보니 사용 흔적이 있어, 새 상품으로 반품 접수하기는 어렵습니다.',
      returnRecord,
      '{respondBy}까지 원하시는 방법을 알려 주시면 감사하겠습니다.',
    ),
    return_missing_parts: buyerMessages(
      'return_missing_parts',
      '주문번호 {orderId}의 상품을 반품해 주셔서 감사합니다. 상자를 개봉해 보니 일부 구성품이 빠져 있었습니다.',
      returnRecord,
      '빠진 구성품을 아직 가지고 계신지 확인해 주시고, {respondBy}까지 회신해 주시면 감사하겠습니다.',
    ),
    chargeback: {
      first_reply:
        `담당자님께,\n\n안녕하세요. {shopName}입니다. ${chargebackCase}에 대해 답변드립니다.\n\n${packingRecord}\n\n` +
        `지불 거절 이전에 카드 소지자께 다음 방법을 모두 서면으로 안내해 드렸습니다.\n${options.chargeback}\n\n` +
        `{respondBy} 이전에 전체 증거 자료를 제출하겠습니다.\n\n${bye}`,
      evidence_sent:
        `담당자님께,\n\n안녕하세요. {shopName}입니다. ${chargebackCase}에 대한 증거 자료를 보내 드립니다.\n\n${evidence}\n\n${packingRecord}\n\n` +
        `카드 소지자께 서면으로 안내해 드린 방법:\n${options.chargeback}\n\n` +
        `위 자료를 검토하시어 지불 거절을 취소해 주시기를 요청드립니다. 마감일인 {respondBy} 이전에 제출합니다.\n\n${bye}`,
      resolution:
        `담당자님께,\n\n${chargebackCase}을 처리해 주셔서 감사합니다. ${outcome}\n\n` +
        `카드 소지자께 서면으로 안내해 드린 방법:\n${options.chargeback}\n\n증거 자료는 계속 {shareLink}에서 확인하실 수 있습니다.\n\n${bye}`,
    },
    other: buyerMessages(
      'other',
      '주문번호 {orderId}에 대해 연락 주셔서 감사합니다. 불편을 드려 죄송합니다. 지금 바로 확인하고 있습니다.',
      packingRecord,
      '빠르게 해결할 수 있도록 {respondBy}까지 회신해 주시면 감사하겠습니다.',
    ),
  },
};

export default ko;
