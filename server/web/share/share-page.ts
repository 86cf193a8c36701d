// The read-only page a share link opens: the case for a recipient with no account — the order and its
// items, the weights with their verdict, the return inspection, every shared file with its caption and
// tags — rendered on the server (no script at all), readable on a phone and a desktop, in English,
// Korean or Traditional Chinese. The words for vocabulary terms are the reports' (one place for each),
// so the page and the bundle's report.pdf say the same thing.
import { createHash } from 'node:crypto';
import type { CaptureView } from '../../services/captures.service';
import type { EvidenceOriginal } from '../../services/disputes.service';
import { isHeif, photoWithoutPreview, toMediaView } from '../../services/media-view';
import type { OrderSummary } from '../../services/orders.service';
import { captionIn } from '../../services/reports/captions';
import { strings as reportStrings } from '../../services/reports/i18n';
import type { DisputeFacts } from '../../services/reports/report-input';
import type { WeightCheck } from '../../services/weights';
import { translations } from '../../i18n';
import {
  claimPhotoKinds,
  languageLocales,
  languages,
  type ChecklistItem,
  type ChecklistResult,
  type InspectionOutcome,
  type Language,
} from '../../domain/vocabulary';
import { formatGrams, formatNumber, formatTime } from '../shared/format';

const strings = translations.share;
type ShareKey = keyof (typeof strings)['en'];

/** Each language named in itself, so a reader finds theirs whatever the page is in now. */
const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', ko: '한국어', 'zh-TW': '繁體中文' };

/**
 * The reader's language from Accept-Language, most preferred first (q-values honoured); undefined when
 * it names none of ours, so the caller can fall back to the shop's report language.
 */
export function pageLanguage(acceptLanguage: string | undefined): Language | undefined {
  const ranked = (acceptLanguage ?? '')
    .toLowerCase()
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.split(';').map((piece) => piece.trim());
      const q = Number(params.find((param) => param.startsWith('q='))?.slice(2) ?? 1);
      return { tag, q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((entry) => entry.tag && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag.startsWith('ko')) return 'ko';
    if (tag.startsWith('zh')) return 'zh-TW';
    if (tag.startsWith('en')) return 'en';
  }
  return undefined;
}

const escape = (text: unknown) =>
  String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A message as HTML with its {placeholders} filled: text values are escaped, `{ html }` ones go in as they are. */
function say(language: Language, key: ShareKey, values: Record<string, string | { html: string }> = {}): string {
  return escape(strings[language][key]).replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    return value === undefined ? whole : typeof value === 'string' ? escape(value) : value.html;
  });
}

const styles = `
  :root { color-scheme: light; font-family: system-ui, -apple-system, "Noto Sans KR", "Noto Sans TC", sans-serif; }
  * { box-sizing: border-box; }
  body { margin: 0; background: #f4f5f7; color: #16181d; line-height: 1.45; }
  main { max-width: 960px; margin: 0 auto; padding: 16px; overflow-wrap: break-word; }
  /* Korean wraps between words, as it is written, not mid-word. */
  html:lang(ko) body { word-break: keep-all; }
  header h1 { font-size: 1.4rem; margin: 4px 0 8px; }
  h2 { font-size: 1.15rem; margin: 0 0 10px; }
  h3 { font-size: 1rem; margin: 14px 0 6px; }
  a { color: #1346b4; }
  nav.languages ul { list-style: none; display: flex; flex-wrap: wrap; gap: 8px; margin: 0; padding: 0; }
  nav.languages a { display: inline-block; padding: 8px 12px; min-height: 44px; line-height: 28px; border-radius: 8px;
                    background: #fff; border: 1px solid #c9ced6; text-decoration: none; color: #16181d; }
  nav.languages a[aria-current] { background: #16181d; border-color: #16181d; color: #fff; font-weight: 600; }
  .card { background: #fff; border-radius: 12px; padding: 16px; margin: 12px 0; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
  .download { display: block; text-align: center; background: #1554d1; color: #fff; padding: 16px; border-radius: 10px;
              font-weight: 600; text-decoration: none; font-size: 1.05rem; margin-top: 12px; }
  .muted { color: #5b6270; font-size: .9rem; }
  dl { display: grid; grid-template-columns: minmax(7em, max-content) minmax(0, 1fr); gap: 4px 12px; margin: 0; }
  dt { color: #5b6270; } dd { margin: 0; overflow-wrap: anywhere; }
  table { width: 100%; border-collapse: collapse; font-size: .95rem; }
  th, td { text-align: left; padding: 6px 4px; border-bottom: 1px solid #e3e6eb; vertical-align: top; overflow-wrap: anywhere; }
  th { color: #5b6270; font-weight: 600; font-size: .85rem; }
  td.number, th.number { text-align: right; white-space: nowrap; }
  ul.plain { list-style: none; margin: 0; padding: 0; }
  ul.findings li { padding: 8px 0; border-bottom: 1px solid #e3e6eb; }
  ul.findings li:last-child { border-bottom: 0; }
  .verdict { font-weight: 600; }
  .good { color: #1b7f3b; } .bad { color: #b3261e; } .neutral { color: #5b6270; }
  .weighing { padding: 8px 0; border-bottom: 1px solid #e3e6eb; } .weighing:last-child { border-bottom: 0; }
  .weighing p { margin: 2px 0; } .nowrap { white-space: nowrap; }
  ol.timeline { padding-left: 20px; margin: 0; } ol.timeline li { margin: 4px 0; overflow-wrap: anywhere; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 280px), 1fr)); gap: 12px; }
  figure { margin: 0; background: #fff; border-radius: 12px; overflow: hidden; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
  figure img, figure video { width: 100%; display: block; background: #000; max-height: 360px; object-fit: contain; }
  figure audio { width: 100%; display: block; }
  .no-preview { margin: 0; padding: 28px 12px; background: #f1f3f4; text-align: center; font-weight: 600; }
  figcaption { padding: 10px 12px; font-size: .9rem; }
  figcaption h3 { margin: 0 0 4px; font-size: .95rem; }
  .caption { font-weight: 600; margin: 0 0 6px; overflow-wrap: anywhere; }
  ul.tags { list-style: none; display: flex; flex-wrap: wrap; gap: 6px; margin: 0 0 6px; padding: 0; }
  ul.tags li { background: #e8eefc; color: #16325c; border-radius: 999px; padding: 2px 10px; font-size: .85rem; }
  code { font-size: .75rem; word-break: break-all; color: #3a3f4a; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

/**
 * The page's policy: nothing runs, nothing loads from elsewhere, and its one style block is allowed
 * by its hash (no 'unsafe-inline'), images and videos come from this server only.
 */
export const SHARE_PAGE_CSP = [
  "default-src 'none'",
  "img-src 'self'",
  "media-src 'self'",
  `style-src 'sha256-${createHash('sha256').update(styles).digest('base64')}'`,
  "script-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

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

export function renderSharePage(input: SharePageInput): string {
  const { language, base, shop, dispute } = input;
  const t = strings[language];
  const r = reportStrings(language);
  const page = pageTools(input);
  const rows = (entries: [string, string | undefined][]) =>
    entries.filter(([, value]) => value).map(([label, value]) => `<dt>${escape(label)}</dt><dd>${value}</dd>`).join('');

  const caseCard = `<section class="card" aria-labelledby="case-heading"><h2 id="case-heading">${escape(t.case)}</h2><dl>
      ${rows([
        [t.order, escape(dispute.orderId)],
        [t.reason, escape(r.reasons[dispute.reason])],
        [t.openedBy, escape(r.counterparties[dispute.counterparty])],
        [t.reference, dispute.reference ? escape(dispute.reference) : undefined],
      ])}
    </dl><p class="muted">${escape(t.expires)}: ${escape(page.time(input.expiresAt))}</p>
    <a class="download" href="${base}/bundle.zip?lang=${language}">${escape(t.download)}</a>
    <p class="muted">${escape(t.downloadNote)}</p></section>`;

  return layout(
    language,
    `${t.title} · ${dispute.orderId}`,
    `<header><p class="muted">${escape(shop.name)}</p><h1>${escape(t.title)}</h1>${languageSwitch(language, base)}</header>
    ${caseCard}
    ${orderSection(input, page)}
    ${weightsSection(input, page)}
    ${inspectionSection(input, page)}
    ${timelineSection(input, page)}
    ${evidenceSection(input, page)}
    <section class="card" aria-labelledby="verify-heading"><h2 id="verify-heading">${escape(t.verify)}</h2><p>${escape(t.verifyText)}</p></section>`,
  );
}

/** Links to the same page in each language, the token kept; the current one marked for screen readers too. */
function languageSwitch(current: Language, base: string): string {
  const links = languages
    .map((language) => {
      const here = language === current ? ' aria-current="page"' : '';
      return `<li><a href="${base}?lang=${encodeURIComponent(language)}" lang="${language}" hreflang="${language}"${here}>${escape(LANGUAGE_NAMES[language])}</a></li>`;
    })
    .join('');
  return `<nav class="languages" aria-label="${escape(strings[current].language)}"><ul>${links}</ul></nav>`;
}

/** Formatting in the page's language and the shop's zone, and "E3" for each shared file (as report.pdf numbers them). */
function pageTools({ language, shop, originals }: SharePageInput) {
  const locale = languageLocales[language];
  const numbers = new Map(originals.map(({ row }, index) => [row.id, index + 1]));
  return {
    time: (iso: string) => formatTime(locale, iso, shop.timezone),
    grams: (value: number) => formatGrams(locale, value),
    number: (value: number) => formatNumber(locale, value),
    /** "E3" linked to the file on this page, or undefined for a file not shared. */
    ref: (mediaId: string) => {
      const n = numbers.get(mediaId);
      return n === undefined ? undefined : `<a href="#e${n}">E${n}</a>`;
    },
  };
}
type PageTools = ReturnType<typeof pageTools>;

function orderSection({ language, order }: SharePageInput, page: PageTools): string {
  const r = reportStrings(language);
  const t = strings[language];
  const facts = [
    [r.carrier, order.carrier],
    [r.tracking, order.trackingNumbers.length > 0 ? order.trackingNumbers.join(', ') : undefined],
    [r.shipped, order.shippedAt ? page.time(order.shippedAt) : undefined],
    [r.delivered, order.deliveredAt ? page.time(order.deliveredAt) : undefined],
    [r.expectedWeight, order.expectedWeightGrams !== undefined ? page.grams(order.expectedWeightGrams) : undefined],
  ]
    .filter(([, value]) => value)
    .map(([label, value]) => `<dt>${escape(label)}</dt><dd>${escape(value)}</dd>`)
    .join('');
  const items =
    order.items.length === 0
      ? `<p class="muted">${escape(t.noItems)}</p>`
      : `<table><thead><tr><th scope="col">${escape(r.itemName)}</th><th scope="col" class="number">${escape(r.quantity)}</th><th scope="col" class="number">${escape(r.unitWeight)}</th></tr></thead><tbody>${order.items
          .map(
            (item) =>
              `<tr><td>${escape(item.name)}${item.sku ? `<br><span class="muted">${escape(r.sku)} ${escape(item.sku)}</span>` : ''}</td><td class="number">${escape(page.number(item.quantity))}</td><td class="number">${item.unitWeightGrams !== undefined ? escape(page.grams(item.unitWeightGrams)) : '—'}</td></tr>`,
          )
          .join('')}</tbody></table>`;
  return `<section class="card" aria-labelledby="order-heading"><h2 id="order-heading">${escape(r.hOrder)}</h2>
    ${facts ? `<dl>${facts}</dl>` : ''}
    <h3>${escape(r.hItems)}</h3>${items}</section>`;
}

/** The verdict as the capture view gives it (services/weights.ts decided it; nothing is recomputed here). */
function verdictOf(language: Language, check: WeightCheck, page: PageTools): { text: string; tone: string } {
  const difference = page.grams(Math.abs(check.differenceGrams ?? 0));
  switch (check.verdict) {
    case 'ok':
      return { text: say(language, 'verdict.ok'), tone: 'good' };
    case 'light':
      return { text: say(language, 'verdict.light', { difference }), tone: 'bad' };
    case 'heavy':
      return { text: say(language, 'verdict.heavy', { difference }), tone: 'bad' };
    default:
      return { text: say(language, 'verdict.unknown'), tone: 'neutral' };
  }
}

function weightsSection({ language, order }: SharePageInput, page: PageTools): string {
  const r = reportStrings(language);
  const weighed = order.captures.filter((capture) => capture.weightGrams !== undefined);
  if (weighed.length === 0) return '';
  const entries = weighed
    .map((capture) => {
      const check = capture.weightCheck;
      // Each figure kept on one line: "2,340 g" or "± 5 %" broken in two reads as two numbers.
      const figure = (text: string) => ({ html: `<span class="nowrap">${escape(text)}</span>` });
      const measured = figure(page.grams(check?.measuredGrams ?? capture.weightGrams!));
      const numbers =
        check?.expectedGrams !== undefined
          ? say(language, 'weightAgainst', { measured, expected: figure(page.grams(check.expectedGrams)), tolerance: figure(`± ${page.number(check.tolerancePercent)} %`) })
          : say(language, 'weightMeasured', { measured });
      const verdict = check ? verdictOf(language, check, page) : undefined;
      return `<div class="weighing"><p class="muted">${escape(r.captureKinds[capture.kind])} · ${escape(page.time(capture.startedAt))}</p>
        ${verdict ? `<p class="verdict ${verdict.tone}">${verdict.text}</p>` : ''}<p>${numbers}</p></div>`;
    })
    .join('');
  return `<section class="card" aria-labelledby="weights-heading"><h2 id="weights-heading">${escape(r.hWeight)}</h2>${entries}</section>`;
}

function inspectionSection({ language, order, dispute }: SharePageInput, page: PageTools): string {
  const r = reportStrings(language);
  const inspections = order.captures.filter((capture) => capture.kind === 'unboxing');
  if (inspections.length === 0 && !dispute.reason.startsWith('return_')) return '';
  const body =
    inspections.length === 0
      ? `<p class="muted">${escape(r.noInspection)}</p>`
      : inspections
          .map((capture) => {
            const outcome = capture.outcome
              ? `<dl><dt>${escape(r.outcome)}</dt><dd class="verdict ${capture.outcome === 'resellable' ? 'good' : 'bad'}">${escape(r.outcomes[capture.outcome as InspectionOutcome] ?? capture.outcome)}</dd></dl>`
              : '';
            const findings = (capture.checklist ?? [])
              .map((entry) => {
                const refs = (entry.mediaIds ?? []).map(page.ref).filter(Boolean);
                const result = r.checklistResults[entry.result as ChecklistResult] ?? entry.result;
                return `<li><strong>${escape(r.checklistItems[entry.item as ChecklistItem] ?? entry.item)}</strong>: <span class="${entry.result === 'issue' ? 'bad' : ''}">${escape(result)}</span>${entry.note ? `<br>${escape(entry.note)}` : ''}${refs.length > 0 ? `<br>${say(language, 'photosOf', { refs: { html: refs.join(', ') } })}` : ''}</li>`;
              })
              .join('');
            return `<h3>${escape(r.inspectionAt(page.time(capture.startedAt)))}</h3>${outcome}${findings ? `<ul class="plain findings">${findings}</ul>` : ''}${capture.note ? `<p>${escape(capture.note)}</p>` : ''}`;
          })
          .join('');
  return `<section class="card" aria-labelledby="inspection-heading"><h2 id="inspection-heading">${escape(r.hInspection)}</h2>${body}</section>`;
}

function timelineSection({ language, order }: SharePageInput, page: PageTools): string {
  const t = strings[language];
  const r = reportStrings(language);
  const items = order.captures
    .map((capture) => {
      const weight = capture.weightGrams !== undefined ? ` · ${t.weight} ${page.grams(capture.weightGrams)}` : '';
      const files = capture.media.map((media) => page.ref(media.id)).filter(Boolean);
      return `<li><strong>${escape(r.captureKinds[capture.kind])}</strong> ${escape(page.time(capture.startedAt))}${escape(weight)}${capture.station ? ` · ${escape(capture.station)}` : ''}${files.length > 0 ? ` · ${files.join(', ')}` : ''}</li>`;
    })
    .join('');
  return `<section class="card" aria-labelledby="timeline-heading"><h2 id="timeline-heading">${escape(t.timeline)}</h2><ol class="timeline">${items}</ol></section>`;
}

function evidenceSection({ language, base, originals }: SharePageInput, page: PageTools): string {
  const t = strings[language];
  const r = reportStrings(language);
  const figures = originals
    .map(({ row, caption: linkCaption, capture }, index) => {
      const number = index + 1;
      // The capture's own view of the file (tags included once media have them), else one made from the row.
      const view = capture.media.find((media) => media.id === row.id) ?? toMediaView(row);
      const caption = captionIn(linkCaption ?? view.caption, language);
      const kind = r.captureKinds[capture.kind];
      const heading = r.evidenceHeading(number, r.mediaTypes[row.type], kind);
      const media = `${base}/media/${row.id}`;
      // Retention removed the original: nothing to show or open, only when and why.
      if (row.removed_at) {
        return `<figure id="e${number}"><figcaption>
        <h3>${escape(heading)}</h3>
        <p class="removed">${say(language, 'removed', { date: page.time(row.removed_at) })}</p>
        <code>SHA-256 ${escape(row.sha256)}</code>
      </figcaption></figure>`;
      }
      const preview = photoWithoutPreview(view)
        ? // A thumbnail that cannot be made would show as a broken picture: say why, and where the photo is.
          `<p class="no-preview"><a href="${media}/original">${escape(isHeif(row.mime) ? r.heicNoPreview : t.noPreview)}</a></p>`
        : row.type === 'photo'
          ? `<a href="${media}/original"><img src="${media}/thumbnail" alt="${escape(caption ?? heading)}" loading="lazy"></a>`
          : row.type === 'video'
            ? `<video controls preload="metadata" playsinline poster="${media}/thumbnail" aria-label="${escape(heading)}"><source src="${media}/playback" type="video/mp4"><source src="${media}/original" type="${escape(row.mime)}"></video>`
            : row.type === 'audio'
              ? `<audio controls preload="none" src="${media}/original" aria-label="${escape(heading)}"></audio>`
              : '';
      return `<figure id="e${number}">${preview}<figcaption>
        <h3>${escape(heading)}</h3>
        ${caption ? `<p class="caption">${escape(caption)}</p>` : ''}
        ${tagList(language, view)}
        <span class="muted">${escape(t.received)}: ${escape(page.time(row.received_at))}</span><br>
        ${row.captured_at ? `<span class="muted">${escape(t.claimed)}: ${escape(page.time(row.captured_at))}</span><br>` : ''}
        ${row.type === 'video' && row.playback_status === 'ready' ? `<span class="muted">${escape(t.playback)}</span><br>` : ''}
        <a href="${media}/original">${escape(t.original)}</a> · ${escape(r.bytes(page.number(row.bytes)))}<br>
        <code>SHA-256 ${escape(row.sha256)}</code>
      </figcaption></figure>`;
    })
    .join('');
  return `<section aria-labelledby="evidence-heading"><h2 id="evidence-heading">${escape(t.evidence)}</h2>${
    figures ? `<div class="grid">${figures}</div>` : `<p class="muted">${escape(t.evidenceNone)}</p>`
  }</section>`;
}

/** What a photo is tagged as showing, in the page's words; a view without tags (or unknown codes) shows none. */
function tagList(language: Language, view: object): string {
  const tags: readonly string[] = (view as { tags?: readonly string[] }).tags ?? [];
  const known = claimPhotoKinds.filter((kind) => tags.includes(kind));
  if (known.length === 0) return '';
  const t = strings[language];
  return `<ul class="tags" aria-label="${escape(t.tags)}">${known.map((kind) => `<li>${say(language, `tag.${kind}`)}</li>`).join('')}</ul>`;
}
