// The read-only page a share link opens: the dispute's evidence for a recipient with no account,
// rendered on the server (no script needed), readable on a phone and a desktop.
import type { CaptureView } from '../../services/captures.service';
import type { EvidenceOriginal } from '../../services/disputes.service';
import type { OrderSummary } from '../../services/orders.service';
import { strings as reportStrings } from '../../services/reports/i18n';
import { translations } from '../../i18n';
import type { DisputeFacts } from '../../services/reports/report-input';
import { languageLocales, type Language } from '../../domain/vocabulary';
import { formatGrams, formatNumber, formatTime } from '../shared/format';

const strings = translations.share;

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
  // Times, weights and sizes as the dashboard shows them (server/web/shared/format.ts), in the shop's zone.
  const locale = languageLocales[language];
  const time = (iso: string) => formatTime(locale, iso, shop.timezone);
  const grams = (value: number) => formatGrams(locale, value);
  const timeline = order.captures
    .map((capture) => {
      const weight = capture.weightGrams !== undefined
        ? ` · ${t.weight} ${grams(capture.weightGrams)}${order.expectedWeightGrams ? ` (${t.expected} ${grams(order.expectedWeightGrams)})` : ''}`
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
        <a href="${media}/original">${escape(t.original)}</a> · ${formatNumber(locale, row.bytes)} B<br>
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
