// One file of a capture as the seller checks it: a photo opens in the viewer, a video plays from its
// playback copy (every browser plays and seeks it; the original stands in until it is made), audio
// plays, a PDF opens in a new tab. Beside it: the courier photo tags it carries, its SHA-256 to copy,
// and its custody log.
import { useState } from 'preact/hooks';
import { mediaUrl, type Media } from '../api';
import { formatTime, t, termKey } from '../i18n';
import { CustodyLog, type ActorNames } from './custody-log';
import { MediaRetention, RemovedMediaItem } from './media-retention';

interface MediaItemProps {
  media: Media;
  /** Its place among the order's files of the same type, from 0: "Photo 1", "Audio 2". */
  number: number;
  timeZone: string;
  names: ActorNames;
  onOpenPhoto: () => void;
}

export function MediaItem({ media, number, timeZone, names, onOpenPhoto }: MediaItemProps) {
  const typeLabel = t(termKey('media', media.type));
  const label = `${typeLabel} ${number}`;
  if (media.removed) return <RemovedMediaItem media={{ ...media, removed: media.removed }} label={label} timeZone={timeZone} names={names} />;
  return (
    <li class="media-item" data-media-id={media.id}>
      {media.type === 'photo' && (
        <button type="button" class="thumb" onClick={onOpenPhoto} aria-label={t('media.open', { type: typeLabel, number })}>
          <img src={mediaUrl(media.id, 'thumbnail')} alt="" loading="lazy" width={160} height={120} />
        </button>
      )}
      {media.type === 'video' && (
        <video controls preload="metadata" playsInline poster={mediaUrl(media.id, 'thumbnail')} aria-label={label}>
          {media.playbackStatus === 'ready' && <source src={mediaUrl(media.id, 'playback')} type="video/mp4" />}
          <source src={mediaUrl(media.id, 'original')} type={media.mime} />
        </video>
      )}
      {media.type === 'audio' && <audio controls preload="metadata" src={mediaUrl(media.id, 'original')} aria-label={label} />}
      {media.type === 'document' && (
        <a class="document-link" href={mediaUrl(media.id, 'original')} target="_blank" rel="noopener">
          {t('order.media.openDocument', { name: media.originalName ?? label })}
          <span class="visually-hidden"> {t('order.media.newTab')}</span>
        </a>
      )}
      <div class="media-facts">
        <strong>
          {label}
          {media.caption ? `: ${media.caption}` : ''}
        </strong>
        {media.tags.length > 0 && (
          <ul class="media-tags" aria-label={t('media.tags')}>
            {media.tags.map((tag) => (
              <li key={tag} class="tag-chip">
                {t(termKey('media.tag', tag))}
              </li>
            ))}
          </ul>
        )}
        {media.originalName && <span class="muted">{media.originalName}</span>}
        <span class="muted">
          {t('order.media.received')}: {formatTime(media.receivedAt, timeZone)}
        </span>
        {media.type === 'video' && media.playbackStatus === 'pending' && <span class="muted">{t('media.processing')}</span>}
        {media.processingStatus === 'failed' && <span class="muted">{t('media.failed')}</span>}
        <Sha256 sha256={media.sha256} label={label} />
        <a href={mediaUrl(media.id, 'original')} download>
          {t('media.download')}
          <span class="visually-hidden"> · {label}</span>
        </a>
        <MediaRetention mediaId={media.id} label={label} />
        <CustodyLog mediaId={media.id} label={label} timeZone={timeZone} names={names} />
      </div>
    </li>
  );
}

function Sha256({ sha256, label }: { sha256: string; label: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed'>();
  async function copy() {
    try {
      await navigator.clipboard.writeText(sha256);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  }
  return (
    <div class="sha">
      <span>
        <abbr title="SHA-256">{t('media.sha256')}</abbr> <code>{sha256}</code>
      </span>
      <span class="sha-copy">
        <button type="button" class="button-small" onClick={copy} aria-label={t('order.media.copySha', { name: label })}>
          {t('order.media.copy')}
        </button>
        <span role="status">{copied === 'yes' ? t('order.media.copied') : copied === 'failed' ? t('order.media.copyFailed') : ''}</span>
      </span>
    </div>
  );
}
