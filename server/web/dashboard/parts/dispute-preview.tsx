// What the recipient will get, before anything is sent: the files of the bundle in their order, each
// with the caption it goes out with and the SHA-256 anyone can check it against, as manifest.json will
// list them; then the report and the verification kit that come with them. Built the way the server
// gathers the originals (disputes.service evidenceOriginals): linked files, every file of a linked
// capture, each once.
import type { Capture, Media } from '../api';
import { formatBytes, t, termKey } from '../i18n';
import { mediaName } from './dispute-evidence';
import { mediaNumbers } from './media-numbers';
import type { DisputeDetail } from './dispute-types';

interface PreviewFile {
  media: Media;
  capture: Capture;
  number: number;
  caption?: string;
}

export function bundleFiles(dispute: DisputeDetail): PreviewFile[] {
  const captures = dispute.order.captures;
  const numberOf = mediaNumbers(captures);
  const seen = new Set<string>();
  const files: PreviewFile[] = [];
  const add = (capture: Capture, media: Media, caption?: string) => {
    if (seen.has(media.id)) return;
    seen.add(media.id);
    files.push({ media, capture, number: numberOf(media), caption: caption ?? media.caption });
  };
  for (const item of dispute.evidence) {
    if (item.mediaId) {
      const capture = captures.find((candidate) => candidate.media.some((media) => media.id === item.mediaId));
      const media = capture?.media.find((candidate) => candidate.id === item.mediaId);
      if (capture && media) add(capture, media, item.caption);
    } else if (item.captureId) {
      const capture = captures.find((candidate) => candidate.id === item.captureId);
      capture?.media.forEach((media) => add(capture, media, item.caption));
    }
  }
  return files;
}

export function DisputePreview({ dispute }: { dispute: DisputeDetail }) {
  const files = bundleFiles(dispute);
  return (
    <section aria-labelledby="preview-title" class="card">
      <h2 id="preview-title">{t('dispute.preview.title')}</h2>
      <p>{t('dispute.preview.intro', { count: files.length })}</p>
      {files.length > 0 && (
        <ol class="preview-files">
          {files.map((file, index) => (
            <li key={file.media.id} class="preview-file">
              <span class="preview-name">
                <span class="evidence-number">E{index + 1}</span> {mediaName(file.capture, file.media, file.number)}
                <span class="muted"> · {t(termKey('media', file.media.type))} · {formatBytes(file.media.bytes)}</span>
              </span>
              <span class="preview-caption">{file.caption ?? <span class="muted">{t('dispute.evidence.noCaption')}</span>}</span>
              <span class="sha">
                SHA-256 <code>{file.media.sha256}</code>
              </span>
            </li>
          ))}
        </ol>
      )}
      <ul class="preview-extras">
        <li>{t('dispute.preview.report')}</li>
        <li>{t('dispute.preview.verification')}</li>
        <li>{t('dispute.preview.manifest')}</li>
      </ul>
    </section>
  );
}
