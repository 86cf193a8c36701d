// Every word a report or claim letter prints, in Traditional Chinese (Taiwan).
import type { ReportStrings } from './en';

const zhTW: ReportStrings = {
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
  intro: (shop, recording) =>
    `${shop} 以自行架設的證據服務 Packtrail 記錄每一件包裝出貨的包裹與每一件開箱檢查的退貨。` +
    recording +
    '伺服器為每個檔案記錄收到的時間（伺服器的時鐘，而非手機的）與 SHA-256 指紋，' +
    '並寫入經簽署、只能附加的紀錄。本報告彙整一件爭議的相關證據。原始檔案未經任何修改，放在同一套件的 media/ 資料夾中；' +
    '最後一節說明任何人如何在不聯絡我們的情況下自行驗證。',
  introRecording: {
    phones: '此處每次拍攝皆以已配對手機上的包裝 App 記錄，並由該手機上傳。',
    mixed: '以已配對手機上的包裝 App 記錄的拍攝由該手機上傳；其餘由賣家從電腦加入。時間軸列出記錄每次拍攝的手機或人員。',
    people: '此處的檔案由賣家從電腦加入；時間軸列出記錄每次拍攝的人員。',
  },
  timesNote: (zone) => `所有時間皆為伺服器收到的時間，以賣家的時區顯示：${zone}。`,
  timeAttested: (time, tsa) =>
    `獨立時間證明：涵蓋此證據的已簽署檢查點，已由獨立於賣家的機構 ${tsa} 加上時間戳記（RFC 3161）。` +
    `因此所列的每個原始檔案，最遲於 ${time} 已逐位元組存在。`,
  timeNotAttested:
    '時間取決於賣家自己的伺服器：本文件中的所有時間都來自賣家所控制之伺服器的時鐘，未經獨立的時間戳記機構證明。',
  generatedAt: '報告產生時間',
  page: (n, total) => `第 ${n} 頁，共 ${total} 頁`,
  footerDispute: (id) => `爭議 ${id}`,
  evidencePdf: {
    footer: '證據文件：圖片為原始檔案的縮小副本',
    hPictures: '圖片',
    picture: (n) => `圖片 ${n}`,
    hLeftOut: '為符合限制而省略的項目',
    leftOut: (pictures, paragraphs, limits) =>
      `為符合此收件方的限制（${limits}），本文件省略了` +
      [pictures > 0 ? ` ${pictures} 張圖片` : '', paragraphs > 0 ? ` ${paragraphs} 個段落` : ''].filter(Boolean).join('及') +
      '：',
    originalsElsewhere: '沒有任何證據遺失：賣家原樣保存完整的原始檔案；若本文件列出原始檔案的連結，可在該處檢視。',
    limits: (pages, megabytes) => `最多 ${pages} 頁、${megabytes} MB`,
  },

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
  expectedWeightMakeUp: (total, items, packaging) => `${total}（商品 ${items} + 包裝 ${packaging}）`,
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
  packetPath: '理賠申請包中的檔案',
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
  noPreviewPacket: '無法在此顯示此檔案的畫面；原始檔案在理賠申請包中。',
  heicNoPreview: 'HEIC 照片：請開啟原始檔案；無法製作預覽。',
  notAPicture: '此檔案不是圖片；原始檔案在套件中。',
  notAPicturePacket: '此檔案不是圖片；原始檔案在理賠申請包中。',
  moreStills: (n) => `另有 ${n} 張截圖未顯示。`,
  stillTitle: (at) => `影片截圖，於 ${at}（自錄影開始起算的時間）`,
  tags: '標記內容',
  playbackCopy: 'MP4 播放用副本',
  playbackCopyText: (file) =>
    `${file}：伺服器以此原始檔案為無法開啟 WebM 的播放器製作的副本。此副本並非原始檔案；其 SHA-256 與原始檔案的 SHA-256 均列於 manifest.json。`,

  fingerprintsIntro: 'SHA-256 指紋能精確識別一個檔案：只要改動一個位元組，數值就會完全不同。以下數值是檔案送達時由伺服器計算的。',
  file: '檔案',

  verifySteps: (size, keyUrl) => [
    '將套件（ZIP）解壓縮到一個資料夾，保持 report.pdf、media/、verification/、manifest.json 的結構。',
    '以網頁瀏覽器開啟 verification/verify.html 並選擇解壓縮後的資料夾；或在安裝 Node.js 18 以上的電腦，於該資料夾執行 ' +
      '"node verification/verify.mjs"。不需安裝任何東西，也不會傳送任何資料：驗證只在您的電腦上進行。',
    '每個原始檔案都會顯示 "verified"（已驗證）或失敗的原因。它檢查三件事：檔案的位元組是否與本報告的 SHA-256 相符；' +
      `該指紋是否為賣家證據紀錄中的一筆；以及下方 ${size} 筆的檢查點紀錄是否由賣家的金鑰簽署。`,
    '驗證證明這些檔案自下方紀錄記錄以來未曾改變；其他安裝所產生的套件以其自己的金鑰也同樣能通過驗證，因此請確認下方金鑰確實屬於賣家。' +
      (keyUrl
        ? `賣家在 ${keyUrl} 公布其金鑰：請開啟該網址並比對。`
        : '本套件未註明賣家公布金鑰的位置：請向賣家索取（賣家伺服器的 /api/v1/ledger/key），或與您先前收到的金鑰比對。'),
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
  keyPublishedAt: '金鑰公布位置',
  keyPublishedUnknown: '本套件未註明：請向賣家詢問',
  verifyDocuments:
    '同一檢查也涵蓋套件的其餘部分。每次拍攝的事實（見「證據紀錄中的拍攝事實」一節）會與其在紀錄中的項目比對。' +
    '本報告、manifest.json 及匯出時產生的其他檔案，連同 SHA-256 列於 verification/export-statement.txt，並由伺服器以同一金鑰簽署：' +
    '之後被更改、刪除或新增的任何檔案，驗證工具都會指名。',

  timestampLabel: '獨立時間戳記',
  timestampValue: (time, tsa) => `最遲於 ${time} 已存在，由 ${tsa} 證明`,
  timestampNone: '無：時間取決於賣家自己伺服器的時鐘',
  tsaCertificate: '時間戳記機構憑證（SHA-256）',

  // ——— capture facts ———
  hCaptureFacts: '證據紀錄中的拍攝事實',
  captureFactsIntro:
    '每次拍攝結束時，伺服器將其事實記錄為證據紀錄中的一筆項目：訂單、類型、工作站、記錄者、開始與結束時間、輸入的重量、' +
    '當時的預期重量、檢查清單結果與判定，以及每個檔案的 SHA-256。verification/ 中的驗證工具會將每筆項目與已簽署的紀錄比對，並顯示其中的事實。',
  colCapture: '拍攝',
  colFacts: '記錄的事實',
  colInLog: '證據紀錄',
  factsInLog: (index) => `已在紀錄中驗證：項目 ${index}`,
  factsNotInLog: '不在紀錄中：在記錄拍攝事實之前已結束',
  factsNotFinished: '不在紀錄中：尚未結束',
  factsExpected: (weight) => `當時預期 ${weight}`,
  factsChecklist: (issues, total) => `檢查清單：${total} 項中 ${issues} 項有問題`,
  factsFiles: (n) => `${n} 個檔案`,

  weight: {
    items: (n) => `${n} 件商品`,
    measuredPart: (measured) => `實測 ${measured}`,
    expectedPart: (items, expected, tolerance) => `${items}預期 ${expected} ± ${tolerance}`,
    withPackaging: (items, packaging) => `${items}（另加包裝 ${packaging}）`,
    shippedPart: (shipped, tolerance) => `包裝時 ${shipped} ± ${tolerance}`,
    consistent: '與全部商品相符',
    consistentShipped: '與包裝時的重量相符',
    oneMissing: (grams) => `若少 1 件約為 ${grams}`,
    lightestMissing: (grams, item) => `若少了最輕的商品（${item}）約為 ${grams}`,
    tooLightToTell: (item) => `僅憑重量無法判斷是否少了 1 件${item}`,
    lighter: (diff) => `比預期輕 ${diff}`,
    heavier: (diff) => `比預期重 ${diff}`,
    lighterShipped: (diff) => `比包裝時輕 ${diff}`,
    heavierShipped: (diff) => `比包裝時重 ${diff}`,
    short: (candidates) => `約少了 ${candidates}`,
    unitShort: (count, unitGrams, name) => `${count} 件 ${unitGrams} 的商品（${name}）`,
    extra: (candidates) => `約等於多放了 ${candidates}`,
    unitExtra: (count, unitGrams, name) => `${count} 件 ${unitGrams} 的商品（${name}）`,
    or: ' 或 ',
    noMatch: '任何單一商品的整數件數都無法解釋此差異',
    packagingOrExtra: '可能是包裝材料較重或多放了商品',
    repackedOrExtra: '可能是換了包裝或多放了東西',
    noMeasured: '包裝時未測量重量',
    noExpected: (items) => `沒有預期重量（部分商品沒有單件重量${items ? `：${items}` : ''}）`,
    noExpectedThen: '秤重時尚無預期重量',
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
  claimTitleMissing: '包裹內容物短少（部分遺失）求償申請書',
  claimOpeningMissing: (shipper, tracking) =>
    `${shipper} 就追蹤號碼 ${tracking} 的包裹送達收件人時內容物短少一事申請求償。` +
    '以下列出運送資料、依貴公司條款的申請期限、貨運公司要求的照片以及所附證據。',
  missingDescription: '短少的內容',
  claimTo: (carrier) => `致：${carrier} 理賠部門`,
  claimFrom: (shipper) => `寄件人：${shipper}`,
  claimDate: '日期',
  claimOpening: {
    damage: (shipper, tracking) =>
      `${shipper} 就追蹤號碼 ${tracking} 的包裹於送達收件人時已損壞一事提出求償。以下列出運送資料、依 貴公司條款的申請期限、物流業者要求的照片及所附證據。`,
    loss: (shipper, tracking) =>
      `${shipper} 就已交寄 貴公司、追蹤號碼 ${tracking} 但未送達的包裹提出求償。以下列出運送資料、依 貴公司條款的申請期限、物流業者要求的照片及所附證據。`,
  },
  hClaimFacts: '運送資料',
  shipper: '寄件人',
  consignee: '收件人',
  shipDate: '出貨日期',
  deliveryDate: '送達日期',
  weightAtPacking: '包裝時重量',
  weightCheck: '重量核對',
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
  labelledLater: (ref, date) => `${ref}：錄製結束後，由賣家於 ${date} 標記`,
  sameFile: (refs) => `${refs.join('、')} 是同一個檔案（SHA-256 相同）：同一個檔案附了不只一次，並非不同的證據。`,
  hDateConflicts: '互相矛盾的日期',
  dateConflictsIntro: '依紀錄，以下日期不可能同時正確。此處照原紀錄列出，未加更正；如有需要，我們將說明或更正。',
  dateConflicts: {
    delivered_before_shipped: (delivered, shipped) => `送達日期（${delivered}）早於出貨日期（${shipped}）。`,
    packed_after_shipped: (packed, shipped) => `包裝紀錄於 ${packed}，晚於出貨日期（${shipped}）。`,
    packed_after_delivered: (packed, delivered) => `包裝紀錄於 ${packed}，晚於送達日期（${delivered}）。`,
    handed_over_before_packed: (handover, packed) => `交寄物流紀錄於 ${handover}，早於包裝開始（${packed}）。`,
    handed_over_after_delivered: (handover, delivered) => `交寄物流紀錄於 ${handover}，晚於送達日期（${delivered}）。`,
    return_opened_before_delivered: (opened, delivered) => `退貨包裹開箱紀錄於 ${opened}，早於送達日期（${delivered}）。`,
    packed_after_claim: (packed, claimed) => `包裝紀錄於 ${packed}，晚於本求償案建立的時間（${claimed}）。`,
    handed_over_after_claim: (handover, claimed) => `交寄物流紀錄於 ${handover}，晚於本求償案建立的時間（${claimed}）。`,
    shipped_after_letter: (shipped, letter) => `出貨日期（${shipped}）晚於本函日期（${letter}）。`,
    delivered_after_letter: (delivered, letter) => `送達日期（${delivered}）晚於本函日期（${letter}）。`,
  },
  hEnclosures: '附件',
  enclosuresText: (n) => `${n} 個證據檔案以下列名稱附於本理賠申請包中，並列出商店伺服器收到每個檔案的時間及其 SHA-256 指紋；本函之後的頁面逐一呈現這些檔案。`,
  noEnclosures: '本函未附任何證據檔案。',
  enclosuresCheck:
    '如要確認檔案自伺服器收到後未經更動：以網頁瀏覽器開啟 verification/verify.html 並選擇解壓縮後的理賠申請包資料夾，' +
    '或在該資料夾中執行 "node verification/verify.mjs"。manifest.json 列出理賠申請包中每個檔案及其大小與 SHA-256。',
  claimClosing: {
    damage: '請確認收到本申請，如需其他資料請告知。原始錄影均未經更動保留，可供查驗；如需查驗包裹及包裝材料，請告知。',
    loss: '請確認收到本申請，如需其他資料請告知。原始錄影均未經更動保留，可供查驗。',
  },
  signature: '簽名',
  daysLeft: (n) => (n === 0 ? '今天' : n > 0 ? `距本函日期尚有 ${n} 天` : `已逾期 ${-n} 天`),
  amountClaimed: '求償金額',
  notRecorded: '—',
};

export default zhTW;
