// The read-only page a share link opens: the dispute's evidence for a recipient with no account,
// rendered on the server (no script needed), readable on a phone and a desktop.
import type { CaptureView } from '../../services/captures.service';
import type { EvidenceOriginal } from '../../services/disputes.service';
import type { OrderSummary } from '../../services/orders.service';
import { strings as reportStrings } from '../../services/reports/i18n';
import type { DisputeFacts } from '../../services/reports/report-input';
import type { Language } from '../../domain/vocabulary';


const strings = {
  en: {
    title: 'Shared evidence', order: 'Order', reason: 'Reason', reference: 'Case reference', expires: 'This read-only link expires',
    download: 'Download the evidence bundle (ZIP)', downloadNote: 'Originals, report.pdf and an offline verifier.',
    timeline: 'Timeline (server times)', evidence: 'Evidence', received: 'Received by the server', claimed: 'Device clock claims',
    weight: 'Weight', expected: 'expected', verify: 'How to verify',
    verifyText: 'Unzip the bundle and open verification/verify.html in a browser (or run "node verification/verify.mjs"). Each original is checked against its SHA-256 and a signed checkpoint of the evidence log.',
    gone: 'This link has expired or was revoked. Ask the sender for a new one.', missing: 'This link is not valid.',
    original: 'Open the original',
  },
  ko: {
    title: '공유된 증거', order: '주문', reason: '사유', reference: '사건 번호', expires: '이 읽기 전용 링크의 만료 시각',
    download: '증거 묶음 내려받기 (ZIP)', downloadNote: '원본, report.pdf, 오프라인 검증 도구 포함.',
    timeline: '타임라인 (서버 시각)', evidence: '증거', received: '서버 수신 시각', claimed: '기기 시계 기준',
    weight: '무게', expected: '예상', verify: '검증 방법',
    verifyText: '묶음의 압축을 풀고 verification/verify.html 을 브라우저로 여세요 (또는 "node verification/verify.mjs" 실행). 각 원본을 SHA-256 과 서명된 증거 로그 체크포인트로 확인합니다.',
    gone: '이 링크는 만료되었거나 취소되었습니다. 보낸 사람에게 새 링크를 요청하세요.', missing: '유효하지 않은 링크입니다.',
    original: '원본 열기',
  },
  'zh-TW': {
    title: '共享的證據', order: '訂單', reason: '原因', reference: '案件編號', expires: '此唯讀連結到期時間',
    download: '下載證據套件 (ZIP)', downloadNote: '包含原始檔、report.pdf 與離線驗證工具。',
    timeline: '時間軸（伺服器時間）', evidence: '證據', received: '伺服器接收時間', claimed: '裝置時鐘聲稱',
    weight: '重量', expected: '預期', verify: '如何驗證',
    verifyText: '解壓縮套件後，以瀏覽器開啟 verification/verify.html（或執行 "node verification/verify.mjs"）。每個原始檔都會以 SHA-256 與已簽署的證據日誌檢查點核對。',
    gone: '此連結已過期或已被撤銷。請向寄件者索取新連結。', missing: '此連結無效。',
    original: '開啟原始檔',
  },
} as const;

export function pageLanguage(acceptLanguage: string | undefined): Language {
  for (const part of (acceptLanguage ?? '').toLowerCase().split(',')) {
    const tag = part.split(';')[0].trim();
    if (tag.startsWith('ko')) return 'ko';
    if (tag.startsWith('zh')) return 'zh-TW';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}

const escape = (text: unknown) =>
  String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function formatTime(iso: string, timeZone: string, language: Language): string {
  return new Intl.DateTimeFormat(language, {
    timeZone,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'short',
  }).format(new Date(iso));
}

const styles = `
  :root { color-scheme: light; font-family: system-ui, -apple-system, "Noto Sans KR", "Noto Sans TC", sans-serif; }
  body { margin: 0; background: #f4f5f7; color: #16181d; line-height: 1.45; }
  main { max-width: 960px; margin: 0 auto; padding: 16px; }
  header h1 { font-size: 1.4rem; margin: 8px 0; }
  .card { background: #fff; border-radius: 12px; padding: 16px; margin: 12px 0; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
  .download { display: block; text-align: center; background: #1554d1; color: #fff; padding: 16px; border-radius: 10px;
              font-weight: 600; text-decoration: none; font-size: 1.05rem; }
  .muted { color: #5b6270; font-size: .9rem; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 0; }
  dt { color: #5b6270; } dd { margin: 0; }
  ol.timeline { padding-left: 20px; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 12px; }
  figure { margin: 0; background: #fff; border-radius: 12px; overflow: hidden; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
  figure img, figure video { width: 100%; display: block; background: #000; max-height: 360px; object-fit: contain; }
  figcaption { padding: 10px 12px; font-size: .9rem; }
  code { font-size: .75rem; word-break: break-all; color: #3a3f4a; }
`;

function layout(language: Language, title: string, body: string): string {
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escape(title)}</title>
<style>${styles}</style>
</head>
<body><main>${body}</main></body>
</html>`;
}

export function renderUnavailablePage(language: Language, status: 404 | 410): string {
  const t = strings[language];
  return layout(language, t.title, `<div class="card"><h1>${escape(status === 410 ? t.gone : t.missing)}</h1></div>`);
}

interface SharePageInput {
  language: Language;
  base: string;
  shop: { name: string; timezone: string };
  expiresAt: string;
  dispute: DisputeFacts & { orderId: string };
  order: OrderSummary & { captures: CaptureView[] };
  originals: EvidenceOriginal[];
}

export function renderSharePage({ language, base, shop, expiresAt, dispute, order, originals }: SharePageInput): string {
  const t = strings[language];
  const time = (iso: string) => formatTime(iso, shop.timezone, language);
  const timeline = order.captures
    .map((capture) => {
      const weight = capture.weightGrams !== undefined
        ? ` · ${t.weight} ${capture.weightGrams.toLocaleString(language)} g${order.expectedWeightGrams ? ` (${t.expected} ${order.expectedWeightGrams.toLocaleString(language)} g)` : ''}`
        : '';
      return `<li><strong>${escape(reportStrings(language).captureKinds[capture.kind])}</strong> ${escape(time(capture.startedAt))}${escape(weight)}${capture.station ? ` · ${escape(capture.station)}` : ''}</li>`;
    })
    .join('');
  const evidence = originals
    .map(({ row, caption }) => {
      const media = `${base}/media/${row.id}`;
      const preview =
        row.type === 'photo'
          ? `<a href="${media}/original"><img src="${media}/thumbnail" alt="${escape(caption ?? row.type)}" loading="lazy"></a>`
          : row.type === 'video'
            ? `<video controls preload="metadata" playsinline poster="${media}/thumbnail"><source src="${media}/playback" type="video/mp4"><source src="${media}/original" type="${escape(row.mime)}"></video>`
            : row.type === 'audio'
              ? `<audio controls preload="none" src="${media}/original"></audio>`
              : '';
      return `<figure>${preview}<figcaption>
        ${caption ? `<strong>${escape(caption)}</strong><br>` : ''}
        <span class="muted">${escape(t.received)}: ${escape(time(row.received_at))}</span><br>
        ${row.captured_at ? `<span class="muted">${escape(t.claimed)}: ${escape(time(row.captured_at))}</span><br>` : ''}
        <a href="${media}/original">${escape(t.original)}</a> · ${row.bytes.toLocaleString(language)} B<br>
        <code>SHA-256 ${escape(row.sha256)}</code>
      </figcaption></figure>`;
    })
    .join('');
  return layout(
    language,
    `${t.title} · ${dispute.orderId}`,
    `<header><p class="muted">${escape(shop.name)}</p><h1>${escape(t.title)}</h1></header>
    <section class="card"><dl>
      <dt>${escape(t.order)}</dt><dd>${escape(dispute.orderId)}</dd>
      <dt>${escape(t.reason)}</dt><dd>${escape(reportStrings(language).reasons[dispute.reason])}</dd>
      ${dispute.reference ? `<dt>${escape(t.reference)}</dt><dd>${escape(dispute.reference)}</dd>` : ''}
    </dl><p class="muted">${escape(t.expires)}: ${escape(time(expiresAt))}</p></section>
    <a class="download" href="${base}/bundle.zip?lang=${language}">${escape(t.download)}</a>
    <p class="muted">${escape(t.downloadNote)}</p>
    <section class="card"><h2>${escape(t.timeline)}</h2><ol class="timeline">${timeline}</ol></section>
    <h2>${escape(t.evidence)}</h2><div class="grid">${evidence}</div>
    <section class="card"><h2>${escape(t.verify)}</h2><p>${escape(t.verifyText)}</p></section>`,
  );
}
