// Photos full size in a modal dialog: previous and next by button or arrow keys, Escape closes, and
// focus returns to where it was. The browser's own <dialog> keeps focus inside while it is open.
import { useEffect, useRef } from 'preact/hooks';
import { mediaUrl, type Media } from '../api';
import { t } from '../i18n';

export function PhotoViewer({ photos, index, onIndex, onClose }: { photos: Media[]; index: number; onIndex: (index: number) => void; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    dialog.current?.showModal();
    return () => opener?.focus();
  }, []);
  const photo = photos[index];
  const step = (by: number) => onIndex((index + by + photos.length) % photos.length);
  const title = t('viewer.title', { number: index + 1, count: photos.length });

  return (
    <dialog
      ref={dialog}
      class="viewer"
      aria-label={title}
      onClose={onClose}
      onKeyDown={(event) => {
        if (event.key === 'ArrowLeft') step(-1);
        if (event.key === 'ArrowRight') step(1);
      }}
    >
      <div class="viewer-bar">
        <span>{title}</span>
        <button type="button" class="button-quiet" onClick={() => dialog.current?.close()} autoFocus>
          {t('viewer.close')}
        </button>
      </div>
      <img
        key={photo.id}
        class="viewer-image"
        src={mediaUrl(photo.id, 'original')}
        alt={photo.caption ?? title}
        // Browsers other than Safari cannot draw HEIC originals; the upright JPEG preview stands in.
        onError={(event) => {
          const image = event.currentTarget;
          if (!image.src.endsWith('/thumbnail')) image.src = mediaUrl(photo.id, 'thumbnail');
        }}
      />
      {photos.length > 1 && (
        <div class="viewer-steps">
          <button type="button" onClick={() => step(-1)}>
            ← {t('viewer.previous')}
          </button>
          <button type="button" onClick={() => step(1)}>
            {t('viewer.next')} →
          </button>
        </div>
      )}
      <p class="sha">
        SHA-256 <code>{photo.sha256}</code>
      </p>
    </dialog>
  );
}
