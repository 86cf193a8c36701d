// How far a file upload has gone, read out as it moves; once every byte is sent, that the server is
// now reading the file (a big export takes a while to check).
import { formatNumber } from '../i18n';

export function UploadProgress({ id, progress, label, doneLabel }: { id: string; progress?: number; label: string; doneLabel: string }) {
  const sent = progress !== undefined && progress >= 1;
  return (
    <span class="upload-progress" role="status">
      {progress !== undefined && (
        <>
          <progress id={id} max={1} value={progress} aria-label={label} />
          <span>{sent ? doneLabel : `${label} ${formatNumber(progress, { style: 'percent' })}`}</span>
        </>
      )}
    </span>
  );
}
