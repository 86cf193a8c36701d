// Packing phones: add one by name and pair it by its QR code or link; see when each was last seen;
// revoke one (its token stops working at once).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type Device, type NewDevice } from '../api';
import { ErrorNotice } from '../parts/error-notice';
import { Field } from '../parts/field';
import { useFormAction } from '../parts/form-action';
import { formatTime, t } from '../i18n';

const LOOPBACK = /^(localhost|127(\.\d+){3}|\[::1\])$/i;

export function PhonesScreen({ timeZone }: { timeZone: string }) {
  const [devices, setDevices] = useState<Device[]>();
  const [added, setAdded] = useState<NewDevice>();
  const [revoking, setRevoking] = useState<Device>();
  const [status, setStatus] = useState('');
  const { busy, error, setError, submit: add } = useFormAction(async (form, element) => {
    const name = String(form.get('name')).trim();
    if (!name) return;
    setAdded(await api<NewDevice>('POST', '/devices', { name }));
    element.reset();
    setStatus('');
    await load();
  });

  const load = () => api<{ items: Device[] }>('GET', '/devices').then((answer) => setDevices(answer.items), setError);
  useEffect(() => {
    load();
  }, []);

  async function revoke(device: Device) {
    setError(undefined);
    try {
      await api('DELETE', `/devices/${encodeURIComponent(device.id)}`);
      setRevoking(undefined);
      if (added?.id === device.id) setAdded(undefined);
      setStatus(t('phones.revoked', { name: device.name }));
      await load();
    } catch (caught) {
      setRevoking(undefined);
      setError(caught);
    }
  }

  return (
    <section aria-labelledby="phones-title">
      <h1 id="phones-title">{t('phones.title')}</h1>
      <p>{t('phones.intro')}</p>
      <form class="inline-form card" onSubmit={add}>
        <Field id="phone-name" label={t('phones.name')}>
          <input id="phone-name" name="name" required maxLength={100} placeholder={t('phones.namePlaceholder')} autoComplete="off" />
        </Field>
        <button type="submit" class="button-primary" disabled={busy}>
          {t('phones.add')}
        </button>
      </form>
      <ErrorNotice error={error} />
      <p role="status" class="status-line">
        {status}
      </p>
      {added && <Pairing device={added} timeZone={timeZone} onDone={() => setAdded(undefined)} />}
      <h2 id="phones-list-title">{t('phones.list')}</h2>
      {devices && devices.length === 0 && <p>{t('phones.none')}</p>}
      {devices && devices.length > 0 && (
        <ul class="devices" aria-labelledby="phones-list-title">
          {devices.map((device) => (
            <li key={device.id} class="card device">
              <strong class="device-name">{device.name}</strong>
              <span class="muted">
                {t('phones.added')}: {formatTime(device.createdAt, timeZone)}
              </span>
              <span class="muted">
                {t('phones.lastSeen')}: {device.lastSeenAt ? formatTime(device.lastSeenAt, timeZone) : t('phones.never')}
              </span>
              <button type="button" class="button-danger" aria-label={t('phones.revoke', { name: device.name })} onClick={() => setRevoking(device)}>
                {t('phones.revokeShort')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {revoking && <ConfirmRevoke device={revoking} onConfirm={() => revoke(revoking)} onCancel={() => setRevoking(undefined)} />}
    </section>
  );
}

function Pairing({ device, timeZone, onDone }: { device: NewDevice; timeZone: string; onDone: () => void }) {
  const [svg, setSvg] = useState<string>();
  const [copied, setCopied] = useState<'yes' | 'failed'>();
  const heading = useRef<HTMLHeadingElement>(null);
  const link = new URL(device.pairingUrl);

  useEffect(() => {
    heading.current?.focus();
    let current = true;
    // The encoder is loaded only here: the first page stays small.
    import('qrcode')
      .then(({ default: qrcode }) => qrcode.toString(device.pairingUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }))
      .then((text) => current && setSvg(text), () => current && setSvg(''));
    return () => {
      current = false;
    };
  }, [device.pairingUrl]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(device.pairingUrl);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  }

  return (
    <section class="card pairing" aria-labelledby="pairing-title">
      <h2 id="pairing-title" ref={heading} tabIndex={-1}>
        {t('phones.pairTitle', { name: device.name })}
      </h2>
      <p>{t('phones.pairHelp', { time: formatTime(device.pairingExpiresAt, timeZone) })}</p>
      {LOOPBACK.test(link.hostname) && (
        <p class="notice notice-warning" id="pairing-localhost">
          {t('phones.localhostWarning')}
        </p>
      )}
      {link.protocol === 'http:' && !LOOPBACK.test(link.hostname) && (
        <p class="notice notice-warning" id="pairing-https">
          {t('phones.httpsWarning')}
        </p>
      )}
      <div class="pairing-body">
        {/* The SVG is made by the QR encoder from the link, never from markup anyone typed. */}
        <div class="qr" id="pairing-qr" role="img" aria-label={t('phones.qrLabel')} dangerouslySetInnerHTML={svg ? { __html: svg } : undefined} />
        <div class="pairing-link">
          <label for="pairing-link">{t('phones.link')}</label>
          <input id="pairing-link" readOnly value={device.pairingUrl} onFocus={(event) => event.currentTarget.select()} />
          <div class="row">
            <button type="button" onClick={copy}>
              {t('phones.copy')}
            </button>
            <span role="status">{copied === 'yes' ? t('phones.copied') : copied === 'failed' ? t('phones.copyFailed') : ''}</span>
          </div>
          <button type="button" class="button-quiet" onClick={onDone}>
            {t('phones.done')}
          </button>
        </div>
      </div>
    </section>
  );
}

function ConfirmRevoke({ device, onConfirm, onCancel }: { device: Device; onConfirm: () => void; onCancel: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    dialog.current?.showModal();
    return () => opener?.isConnected && opener.focus();
  }, []);
  return (
    <dialog ref={dialog} class="confirm" aria-labelledby="confirm-title" onClose={onCancel}>
      <p id="confirm-title">{t('phones.confirmRevoke', { name: device.name })}</p>
      <div class="row">
        <button type="button" class="button-danger" onClick={onConfirm}>
          {t('phones.confirm')}
        </button>
        <button type="button" onClick={() => dialog.current?.close()} autoFocus>
          {t('phones.cancel')}
        </button>
      </div>
    </dialog>
  );
}
