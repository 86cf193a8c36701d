// The dispute's evidence shaped for each recipient (Stripe, Coupang, a courier…): the ones that fit this
// dispute first, the rest behind a disclosure. Each says whether it is ready to upload, what is in it
// (copies made to fit marked as such), what is missing and why, every limit with the packet's figure
// beside it, the deadline, and offers its ZIP in the language chosen for what goes out. The checklist
// on screen is in the seller's own language; the ZIP in the recipient's.
import { useEffect, useRef, useState } from 'preact/hooks';
import { languages, type Language } from '../../../domain/vocabulary';
import { api, type Packet, type PacketLimit } from '../api';
import { formatBytes, formatNumber, formatTime, language as pageLanguage, languageNames, t, termKey } from '../i18n';
import { Deadline } from './dispute-deadline';
import type { DisputeDetail } from './dispute-types';
import { ErrorNotice } from './error-notice';
import { NOT_PUBLIC } from './share-links';

interface PacketsProps {
  dispute: DisputeDetail;
  /** The language the ZIPs are written in: the same choice as the bundle's and the claim's. */
  language: Language;
  onLanguage: (language: Language) => void;
  timeZone: string;
  now: number;
}

export function DisputePackets({ dispute, language, onLanguage, timeZone, now }: PacketsProps) {
  const [packets, setPackets] = useState<Packet[]>();
  const [error, setError] = useState<unknown>();
  // Asked again a little after a download: the first one makes the packet's link to the originals.
  const [asked, setAsked] = useState(0);
  const timers = useRef<ReturnType<typeof setTimeout>[]>([]);
  useEffect(() => () => timers.current.forEach(clearTimeout), []);
  const downloaded = () => {
    // Soon for a packet built at once, later for one waiting behind another's video.
    for (const delay of [3_000, 20_000]) timers.current.push(setTimeout(() => setAsked((count) => count + 1), delay));
  };
  const reading = pageLanguage();
  // What a packet is made from: the evidence, its captions, the dispute's facts and the delivery date.
  const madeFrom = [dispute.updatedAt, dispute.order.deliveredAt, ...dispute.evidence.map((item) => `${item.id}:${item.position}:${item.caption ?? ''}`)].join('|');
  useEffect(() => {
    let current = true;
    api<{ items: Packet[] }>('GET', `/disputes/${encodeURIComponent(dispute.id)}/packets?lang=${reading}`).then(
      (answer) => {
        if (!current) return;
        setPackets(answer.items);
        setError(undefined);
      },
      (caught) => current && setError(caught),
    );
    return () => {
      current = false;
    };
  }, [dispute.id, reading, madeFrom, asked]);

  // Said once for all packets: every link names the same address (PUBLIC_URL).
  const privateHost = packets?.map((packet) => packet.shareLink && new URL(packet.shareLink.url).hostname).find((host) => host && NOT_PUBLIC.test(host));
  const suggested = packets?.filter((packet) => packet.suggested) ?? [];
  const others = packets?.filter((packet) => !packet.suggested) ?? [];
  const entry = (packet: Packet) => (
    <li key={packet.recipient}>
      <PacketEntry packet={packet} dispute={dispute} language={language} reading={reading} timeZone={timeZone} now={now} onDownload={downloaded} />
    </li>
  );
  return (
    <section aria-labelledby="packets-title" class="card packets">
      <h2 id="packets-title">{t('dispute.packets.title')}</h2>
      <p class="hint">{t('dispute.packets.intro')}</p>
      <p class="hint">{t('dispute.packets.linkNote')}</p>
      <div class="field packets-language">
        <label for="packets-language">{t('dispute.packets.language')}</label>
        <select id="packets-language" value={language} onChange={(event) => onLanguage(event.currentTarget.value as Language)}>
          {languages.map((code) => (
            <option key={code} value={code} lang={code}>
              {languageNames[code]}
            </option>
          ))}
        </select>
        <p class="hint">{t('dispute.packets.languageHint')}</p>
      </div>
      <ErrorNotice error={error} />
      {privateHost && <p class="notice notice-warning">{t('dispute.share.notPublic', { host: privateHost })}</p>}
      {!packets && !error && <p aria-live="polite">{t('app.loading')}</p>}
      {packets && suggested.length === 0 && <p>{t('dispute.packets.noneSuggested')}</p>}
      {suggested.length > 0 && (
        <ul class="packet-list" aria-label={t('dispute.packets.suggestedList')}>
          {suggested.map(entry)}
        </ul>
      )}
      {others.length > 0 && (
        <details class="packets-more">
          <summary>{t('dispute.packets.others', { count: others.length })}</summary>
          <ul class="packet-list" aria-label={t('dispute.packets.othersList')}>
            {others.map(entry)}
          </ul>
        </details>
      )}
    </section>
  );
}

/** The download in the chosen language, whatever language the listing itself was read in. */
function inLanguage(downloadUrl: string, language: Language): string {
  const url = new URL(downloadUrl, location.origin);
  url.searchParams.set('lang', language);
  return `${url.pathname}${url.search}`;
}

interface EntryProps {
  packet: Packet;
  dispute: DisputeDetail;
  language: Language;
  /** The language the server wrote the listing's words in. */
  reading: Language;
  timeZone: string;
  now: number;
  onDownload: () => void;
}

/**
 * What the packet did to fit that the seller should know but need not fix (the video became stills, was
 * shortened, no link allowed): told, but the packet is still ready. Every other missing item is a gap.
 */
const NOTE_CODES = new Set(['VIDEO_NOT_ACCEPTED', 'VIDEO_TRIMMED', 'NO_LINK']);

function PacketEntry({ packet, dispute, language, reading, timeZone, now, onDownload }: EntryProps) {
  const over = packet.limits.filter((limit) => !limit.ok);
  const gaps = packet.missing.filter((item) => !NOTE_CODES.has(item.code));
  const notes = packet.missing.filter((item) => NOTE_CODES.has(item.code));
  const ready = gaps.length === 0 && over.length === 0;
  const titleId = `packet-${packet.recipient}`;
  const derived = packet.included.filter((file) => file.role === 'derived').length;
  const totalBytes = packet.included.reduce((sum, file) => sum + file.bytes, 0);
  // A video fitted to the recipient is encoded when the ZIP is asked for: the download takes a while to start.
  const encodesVideo = packet.included.some((file) => file.role === 'derived' && /\.(mp4|avi|wmv)$/i.test(file.path));
  return (
    <article class={`packet ${ready ? 'packet-ready' : 'packet-attention'}`} aria-labelledby={titleId}>
      <div class="packet-head">
        <h3 id={titleId}>{packet.name}</h3>
        {packet.suggested && <span class="packet-suggested">{t('dispute.packets.suggested')}</span>}
        <span class={`packet-state ${ready ? 'packet-state-ready' : 'packet-state-attention'}`}>
          <span aria-hidden="true">{ready ? '✓ ' : '! '}</span>
          {ready ? t('dispute.packets.ready') : t('dispute.packets.attention', { count: gaps.length + over.length })}
        </span>
      </div>
      <dl class="packet-facts">
        <div>
          <dt>{t('dispute.packets.deadline')}</dt>
          <dd>
            {packet.deadline.at ? (
              <Deadline respondBy={packet.deadline.at} status={dispute.status} timeZone={timeZone} now={now} />
            ) : (
              <strong>{t('dispute.packets.noDeadline')}</strong>
            )}
            <span class="hint packet-rule" lang={reading}>
              {[packet.deadline.rule, packet.deadline.basis].filter(Boolean).join(' ')}
            </span>
          </dd>
        </div>
      </dl>
      {packet.recipient === 'courier' && dispute.counterparty === 'courier' && <p class="hint packet-courier">{t('dispute.packets.courierNote')}</p>}

      {gaps.length > 0 && (
        <div class="packet-missing" role="group" aria-labelledby={`${titleId}-missing`}>
          <h4 id={`${titleId}-missing`}>{t('dispute.packets.missing')}</h4>
          <ul>
            {gaps.map((item, index) => (
              <li key={`${item.code}-${index}`} lang={reading}>
                {item.text}
              </li>
            ))}
          </ul>
        </div>
      )}
      {notes.length > 0 && (
        <div class="packet-notes" role="group" aria-labelledby={`${titleId}-notes`}>
          <h4 id={`${titleId}-notes`}>{t('dispute.packets.notes')}</h4>
          <ul>
            {notes.map((item, index) => (
              <li key={`${item.code}-${index}`} lang={reading}>
                {item.text}
              </li>
            ))}
          </ul>
        </div>
      )}

      {packet.limits.length === 0 ? (
        <p class="hint">{t('dispute.packets.noLimits')}</p>
      ) : (
        // Open where the seller is likely to upload; for the other recipients the state above says enough.
        <details class="packet-fold" open={packet.suggested}>
          <summary>{t('dispute.packets.limits')}</summary>
          <ul class="packet-limits" aria-label={t('dispute.packets.limits')}>
            {packet.limits.map((limit) => (
              <li key={limit.code} class={limit.ok ? 'limit-ok' : 'limit-over'}>
                <LimitLine limit={limit} reading={reading} />
              </li>
            ))}
          </ul>
        </details>
      )}

      <details class="packet-fold packet-included">
        <summary>{t('dispute.packets.included', { count: packet.included.length, size: formatBytes(totalBytes) })}</summary>
        {derived > 0 && <p class="hint">{t('dispute.packets.derivedHint')}</p>}
        <ul aria-label={t('dispute.packets.includedList', { name: packet.name })}>
          {packet.included.map((file) => (
            <li key={file.path}>
              <span class="packet-file">
                {file.evidence !== undefined && !file.description.startsWith(`E${file.evidence}`) && <span class="evidence-number">E{file.evidence} </span>}
                <code>{file.path}</code> <span class={`packet-role packet-role-${file.role}`}>{t(`dispute.packets.roles.${file.role}`)}</span>{' '}
                <span class="muted">{formatBytes(file.bytes)}</span>
              </span>
              <span class="packet-file-text" lang={reading}>
                {file.description}
              </span>
              {file.originalSha256 && (
                <span class="sha">
                  {t('dispute.packets.originalSha')} <code>{file.originalSha256}</code>
                </span>
              )}
            </li>
          ))}
        </ul>
        <p class="hint">{t('dispute.packets.estimates')}</p>
      </details>

      {packet.shareLink && (
        <p class="packet-share">
          {t('dispute.packets.shareLink', { time: formatTime(packet.shareLink.expiresAt, timeZone) })}{' '}
          <a href={packet.shareLink.url} target="_blank" rel="noopener">
            {packet.shareLink.url}
          </a>
        </p>
      )}
      {encodesVideo && <p class="hint">{t('dispute.packets.videoWait')}</p>}
      <a class={`action-link${packet.suggested ? ' button-primary' : ''}`} href={inLanguage(packet.downloadUrl, language)} download onClick={onDownload}>
        {t('dispute.packets.download', { name: packet.name, language: languageNames[language] })}
      </a>
    </article>
  );
}

/** Limits the dashboard names itself, so that their figures can be shown in its own format. */
const NAMED_LIMITS = new Set(['FILE_BYTES', 'PHOTO_BYTES', 'VIDEO_BYTES', 'TOTAL_BYTES', 'FILES', 'PAGES', 'VIDEO_SECONDS', 'TEXT_CHARACTERS']);

/**
 * One limit: its name, then the packet's figure against it, and whether it is within, in words as well
 * as colour. The file types (and any limit this page does not know) keep the server's own line, which
 * lists the types and says within or over.
 */
function LimitLine({ limit, reading }: { limit: PacketLimit; reading: Language }) {
  const mark = <span aria-hidden="true">{limit.ok ? '✓ ' : '✗ '}</span>;
  if (!NAMED_LIMITS.has(limit.code)) {
    return (
      <span class="limit-text" lang={reading}>
        {mark}
        {limit.text}
      </span>
    );
  }
  return (
    <>
      <span class="limit-text">{t(termKey('dispute.packets.limitNames', limit.code))}</span>
      <span class="limit-figure">
        {mark}
        {t(limit.ok ? 'dispute.packets.within' : 'dispute.packets.over', { actual: figure(limit, limit.actual), limit: figure(limit, limit.limit) })}
      </span>
    </>
  );
}

/** A limit's figure in its unit: sizes human-readable, counts with their word. */
function figure(limit: PacketLimit, value: number): string {
  if (limit.unit === 'bytes') return formatBytes(value);
  const count = limit.unit === 'seconds' ? Math.round(value) : value;
  return t(`dispute.packets.units.${limit.unit}`, { count, number: formatNumber(count) });
}
