// Reply drafts in Traditional Chinese (Taiwan): written as a Taiwanese seller writes to a customer,
// not word for word from the English; the same keys and placeholders as en.ts.
import type { DisputeReason } from '../../domain/vocabulary';
import type { ReplyStrings } from './en';

const hello = '{buyerName} 您好：\n這裡是 {shopName}。';
const bye = '{shopName} 敬上';
const packingRecord =
  '我們的紀錄如下：\n' +
  '- 訂購商品：{items}\n' +
  '- 包裝全程錄影時間：{packedAt}；出貨時包裹重量 {weight}（預期重量 {expectedWeight}）\n' +
  '- 寄送物流：{carrier}，追蹤編號 {trackingNumber}';
const returnRecord =
  '我們的紀錄如下：\n' +
  '- 退貨包裹開箱錄影時間：{returnOpenedAt}\n' +
  '- 檢查結果：{returnFindings}\n' +
  '- 同一筆訂單出貨時的包裝錄影時間：{packedAt}，重量 {weight}';
const evidence =
  '附上的證據資料：\n{evidence}\n\n' +
  '包含原始時間戳記與 SHA-256 指紋的影片和照片，可於此連結查看：{shareLink}';
const askBy = '請於 {respondBy} 前告訴我們您希望的處理方式。';
const outcome = '目前的處理結果如下：{outcome}。';
const stillOpen = '供您參考，以下方式仍可選擇：';

const deliveryOptions = (refund: string, exchange: string, ret: string) =>
  `1. 退款：${refund}\n2. 換貨：${exchange}\n3. 退貨：${ret}，退貨運費為 {returnFee}。\n4. 證據資料：本包裹的包裝影片與照片，如有需要可隨時提供。`;
const returnOptions = (refund: string, exchange: string) =>
  `1. 退款：${refund}\n2. 換貨：${exchange}\n3. 寄回給您：我們將商品依收到時的狀態寄回給您，運費為 {returnFee}。\n4. 證據資料：退貨開箱的錄影，以及當初包裝出貨的錄影。`;

const options: Record<DisputeReason, string> = {
  item_missing: deliveryOptions(
    '我們將短少商品的款項退回您原本的付款方式。',
    '我們將短少的商品補寄給您，運費由我們負擔。',
    '您將整筆訂單寄回，我們收到後全額退款',
  ),
  damaged: deliveryOptions(
    '我們將破損商品的款項退回您原本的付款方式。',
    '一有庫存，我們會立即寄送全新商品給您。',
    '您將破損商品寄回，我們收到後辦理退款',
  ),
  not_received: deliveryOptions(
    '物流業者確認包裹遺失後，我們將訂單款項退還給您。',
    '我們重新寄出訂單，運費由我們負擔。',
    '若包裹日後送達而您已不需要，可寄回辦理退款',
  ),
  not_as_described: deliveryOptions(
    '商品寄回我們這裡後，我們為您辦理退款。',
    '可更換同價位的其他尺寸、顏色或商品。',
    '請將未使用的商品寄回，我們收到後辦理退款',
  ),
  wrong_item: deliveryOptions(
    '我們將您訂購商品的款項退回您原本的付款方式。',
    '我們寄出您訂購的商品，並安排收回您收到的商品。',
    '您將收到的商品寄回，我們收到後辦理退款',
  ),
  return_damaged: returnOptions(
    '我們會先以書面說明破損的扣款金額，扣除後再退還其餘款項。',
    '破損商品無法換貨；若可維修，我們可以依實際成本協助維修。',
  ),
  return_used: returnOptions(
    '我們會先以書面說明因使用而扣除的金額，扣除後再退還其餘款項。',
    '已使用過的商品恕無法換貨。',
  ),
  return_missing_parts: returnOptions(
    '缺少的配件寄回後，我們全額退款；若未寄回，將扣除該配件的價值後退款。',
    '缺少的配件寄回後，也可以改為換貨。',
  ),
  chargeback: deliveryOptions(
    '我們曾向持卡人提議，將相關商品款項退回原付款方式。',
    '我們曾提議由我們負擔運費寄送替換商品。',
    '我們曾提議收回訂單商品，收到後辦理退款',
  ),
  other: deliveryOptions(
    '我們將相關商品的款項退回您原本的付款方式。',
    '可更換相同或類似的商品。',
    '您將商品寄回，我們收到後辦理退款',
  ),
};

const buyerMessages = (reason: DisputeReason, opening: string, record: string, request: string) => ({
  first_reply: `${hello}\n\n${opening}\n\n${record}\n\n以下是我們可以提供的處理方式：\n${options[reason]}\n\n${request}\n\n${bye}`,
  evidence_sent:
    `${hello}\n\n如先前所說，以下是我們為訂單 {orderId} 留存的紀錄。\n\n${evidence}\n\n${record}\n\n` +
    `您可選擇的處理方式不變：\n${options[reason]}\n\n${askBy}\n\n${bye}`,
  resolution:
    `${hello}\n\n感謝您耐心等候訂單 {orderId} 的處理。${outcome}\n\n${stillOpen}\n${options[reason]}\n\n` +
    `證據資料仍可於 {shareLink} 查看。如仍有任何疑問，歡迎直接回覆此訊息，我們會盡力協助。\n\n${bye}`,
});

const chargebackCase = '{buyerName} 下單的訂單 {orderId} 之退單（Chargeback）案件（案件編號 {reference}，金額 {amount}）';

const zhTW: ReplyStrings = {
  facts: {
    shopName: '商店名稱',
    buyerName: '買家姓名',
    orderId: '訂單編號',
    items: '訂購商品',
    packedAt: '包裝時間',
    weight: '包裹重量',
    expectedWeight: '預期重量',
    trackingNumber: '追蹤編號',
    carrier: '物流業者',
    returnOpenedAt: '退貨開箱時間',
    returnFindings: '退貨檢查結果',
    reference: '案件編號',
    amount: '爭議金額',
    respondBy: '回覆期限',
    returnFee: '退貨運費',
    evidence: '證據清單',
    shareLink: '分享連結',
    outcome: '處理結果',
  },
  missing: '[{fact}：無紀錄，請自行填寫]',
  fillIn: {
    returnFee: '[退貨運費：請填入金額]',
    shareLink: '[分享連結：請在爭議頁面建立連結後貼在這裡]',
  },
  outcomes: {
    submitted: '我們已提交回覆與包裝證據，正在等候審查結果',
    won: '經審查包裝證據後，案件結果對我方有利',
    lost: '案件結果對我方不利，我們將儘速依決定辦理',
    closed: '本案已結案',
  },
  evidenceLine: '- {what}，錄製時間 {time}',
  evidenceLineCaptioned: '- {what}，錄製時間 {time}：{caption}',
  noEvidence: '[證據清單：尚未選取證據，請在爭議頁面新增]',
  findingsOutcome: '判定為「{outcome}」',
  findingsIssues: '發現問題的項目：{items}',
  findingsNone: '未發現問題',
  listSeparator: '、',

  templates: {
    item_missing: buyerMessages(
      'item_missing',
      '感謝您告知訂單 {orderId} 有商品短少。造成您的不便，我們深感抱歉，目前正在確認中。',
      packingRecord,
      '方便的話，請於 {respondBy} 前提供收到時的外箱與貨運標籤照片，這能幫助我們盡快處理。',
    ),
    damaged: buyerMessages(
      'damaged',
      '非常抱歉，訂單 {orderId} 的商品送達時已經破損。感謝您第一時間通知我們。',
      packingRecord,
      '請於 {respondBy} 前提供破損處、外箱與貨運標籤的照片。物流業者可能會要求查看，麻煩您先保留包裝材料。',
    ),
    not_received: buyerMessages(
      'not_received',
      '感謝您告知尚未收到訂單 {orderId}。讓您久等了，非常抱歉，我們已請物流業者協助查詢包裹。',
      packingRecord,
      '也麻煩您向鄰居或大樓管理室確認，並於 {respondBy} 前回覆我們。',
    ),
    not_as_described: buyerMessages(
      'not_as_described',
      '感謝您來信詢問訂單 {orderId}。商品與您的期待不符，我們很抱歉，也希望能妥善為您處理。',
      packingRecord,
      '請於 {respondBy} 前告訴我們商品與描述有哪些不同，方便的話請附上照片。',
    ),
    wrong_item: buyerMessages(
      'wrong_item',
      '很抱歉，訂單 {orderId} 中的商品不是您訂購的品項。感謝您告知我們。',
      packingRecord,
      '請於 {respondBy} 前提供您收到的商品與貨運標籤照片，確認之前也請先不要使用。',
    ),
    return_damaged: buyerMessages(
      'return_damaged',
      '感謝您寄回訂單 {orderId}。我們開箱時發現商品已經破損，因此無法以目前的狀態受理退貨。',
      returnRecord,
      '請於 {respondBy} 前告訴我們您希望的處理方式；若您了解破損發生的經過，也歡迎一併告訴我們。',
    ),
    return_used: buyerMessages(
      'return_used',
      '感謝您寄回訂單 {orderId}。我們開箱時發現商品有使用痕跡，因此無法以全新品受理退貨。',
      returnRecord,
      '請於 {respondBy} 前告訴我們您希望的處理方式。',
    ),
    return_missing_parts: buyerMessages(
      'return_missing_parts',
      '感謝您寄回訂單 {orderId}。我們開箱時發現部分配件短少。',
      returnRecord,
      '麻煩您確認短少的配件是否還在您那裡，並於 {respondBy} 前回覆我們。',
    ),
    chargeback: {
      first_reply:
        `爭議處理團隊您好：\n\n這裡是 {shopName}。針對 ${chargebackCase}，回覆如下。\n\n${packingRecord}\n\n` +
        `在退單發生之前，我們已以書面向持卡人提供所有處理方式：\n${options.chargeback}\n\n` +
        `我們將於 {respondBy} 前提交完整的證據資料。\n\n${bye}`,
      evidence_sent:
        `爭議處理團隊您好：\n\n這裡是 {shopName}。謹提供 ${chargebackCase}的證據資料。\n\n${evidence}\n\n${packingRecord}\n\n` +
        `我們已以書面向持卡人提供：\n${options.chargeback}\n\n懇請撤銷此筆退單。本資料於期限 {respondBy} 前提交。\n\n${bye}`,
      resolution:
        `爭議處理團隊您好：\n\n感謝您處理 ${chargebackCase}。${outcome}\n\n` +
        `我們已以書面向持卡人提供：\n${options.chargeback}\n\n證據資料仍可於 {shareLink} 查看。\n\n${bye}`,
    },
    other: buyerMessages(
      'other',
      '感謝您來信詢問訂單 {orderId}。造成您的不便，我們深感抱歉，目前正在確認中。',
      packingRecord,
      '為了盡快為您處理，請於 {respondBy} 前回覆我們。',
    ),
  },
};

export default zhTW;
