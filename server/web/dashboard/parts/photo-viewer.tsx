// Photos full size in a modal dialog: previous and next by button or arrow keys, zoom to the photo's
// own pixels and back, Escape closes, and focus returns to where it was. The browser's own <dialog>
// keeps focus inside while it is open.
import { useEffect, useRef, useState } from 'preact/hooks';
import { mediaUrl, type Media } from '../api';
import { t } from '../i18n';

export function PhotoViewer({ photos, index, onIndex, onClose }: { photos: Media[]; index: number; onIndex: (index: number) => void; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [zoomed, setZoomed] = useState(false);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    dialog.current?.showModal();
    return () => opener?.isConnected && opener.focus();
  }, []);
  const photo = photos[index];
  const step = (by: number) => {
    setZoomed(false);
    onIndex((index + by + photos.length) % photos.length);
  };
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
        <div class="viewer-tools">
          <button type="button" aria-pressed={zoomed} onClick={() => setZoomed(!zoomed)}>
            {zoomed ? t('order.viewer.fit') : t('order.viewer.zoom')}
          </button>
          <button type="button" class="button-quiet" onClick={() => dialog.current?.close()} autoFocus>
            {t('viewer.close')}
          </button>
        </div>
      </div>
      {/* Zoomed, the photo is shown at its own size and the frame scrolls (by keyboard too: it is focusable). */}
      <div class={`viewer-frame${zoomed ? ' zoomed' : ''}`} tabIndex={zoomed ? 0 : undefined} aria-label={zoomed ? t('order.viewer.scroll') : undefined} role={zoomed ? 'region' : undefined}>
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
      </div>
      {photo.caption && <p class="viewer-caption">{photo.caption}</p>}
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
