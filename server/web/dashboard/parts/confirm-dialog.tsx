// A question before something that cannot be undone (deleting, purging): a labelled modal dialog that
// says what will happen, with the safe choice focused; closing it (Esc) cancels. Focus goes back to
// the button that opened it.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n';

interface ConfirmDialogProps {
  id: string;
  title: string;
  children?: ComponentChildren;
  confirmLabel: string;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

export function ConfirmDialog({ id, title, children, confirmLabel, busy, onConfirm, onCancel }: ConfirmDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    dialog.current?.showModal();
    return () => opener?.isConnected && opener.focus();
  }, []);
  return (
    <dialog ref={dialog} class="confirm" id={id} aria-labelledby={`${id}-title`} onClose={onCancel}>
      <h2 id={`${id}-title`} class="confirm-title">
        {title}
      </h2>
      {children}
      <div class="row">
        <button type="button" class="button-danger" disabled={busy} onClick={onConfirm}>
          {confirmLabel}
        </button>
        <button type="button" onClick={() => dialog.current?.close()} autoFocus>
          {t('skus.cancel')}
        </button>
      </div>
    </dialog>
  );
}
