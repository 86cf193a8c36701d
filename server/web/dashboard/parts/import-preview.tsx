// What an uploaded export would do, before anything is written: how many rows were read and
// recognised, how many orders are new, changed or already up to date, each refused row with its line
// and reason, and a sample of the orders as they would be saved. The seller then imports them (one
// transaction on the server) or starts over with another file.
import { useEffect, useRef } from 'preact/hooks';
import { formatNumber, formatTime, t, type MessageKey } from '../i18n';
import type { ImportPreview } from './import-types';
import { RefusedRows } from './refused-rows';

const actionKeys: Record<ImportPreview['sample'][number]['action'], MessageKey> = {
  new: 'imports.action.new',
  update: 'imports.action.update',
  unchanged: 'imports.action.unchanged',
};

function Totals({ totals }: { totals: ImportPreview['totals'] }) {
  const entries: [MessageKey, number, string][] = [
    ['imports.totals.rows', totals.rows, 'rows'],
    ['imports.totals.recognised', totals.recognised, 'recognised'],
    ['imports.totals.new', totals.newOrders, 'new'],
    ['imports.totals.updated', totals.updatedOrders, 'updated'],
    ['imports.totals.unchanged', totals.unchangedOrders, 'unchanged'],
    ['imports.totals.refused', totals.refused, 'refused'],
  ];
  return (
    <dl class="import-totals" id="import-totals">
      {entries.map(([label, value, name]) => (
        <div key={name} class={`import-total import-total-${name}`}>
          <dt>{t(label)}</dt>
          <dd>{formatNumber(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function Sample({ sample }: { sample: ImportPreview['sample'] }) {
  if (sample.length === 0) return null;
  return (
    <>
      <h3 id="import-sample-title">{t('imports.sampleTitle')}</h3>
      <p class="hint">{t('imports.sampleHelp')}</p>
      <div class="table-scroll" role="region" aria-labelledby="import-sample-title" tabIndex={0}>
        <table class="import-table import-sample" id="import-sample">
          <thead>
            <tr>
              <th scope="col" class="import-line">{t('imports.line')}</th>
              <th scope="col">{t('imports.field.orderId')}</th>
              <th scope="col">{t('imports.sampleAction')}</th>
              <th scope="col">{t('imports.field.trackingNumber')}</th>
              <th scope="col">{t('imports.field.buyerName')}</th>
              <th scope="col">{t('imports.sampleItems')}</th>
            </tr>
          </thead>
          <tbody>
            {sample.map((order) => (
              <tr key={`${order.line}-${order.orderId}`}>
                <td class="import-line">{formatNumber(order.line)}</td>
                <th scope="row">{order.orderId}</th>
                <td>
                  <span class={`import-action import-action-${order.action}`}>{t(actionKeys[order.action])}</span>
                </td>
                <td class="import-tracking">{order.trackingNumbers.join(', ')}</td>
                <td>{order.buyerName ?? ''}</td>
                <td>
                  {order.items.map((item, index) => (
                    <span key={index} class="import-item">
                      {item.sku && <code>{item.sku}</code>} {item.name} {t('imports.quantity', { quantity: formatNumber(item.quantity) })}
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

interface ImportPreviewProps {
  preview: ImportPreview;
  timeZone: string;
  busy: boolean;
  onCommit: () => void;
  onStartOver: () => void;
}

export function ImportPreviewCard({ preview, timeZone, busy, onCommit, onStartOver }: ImportPreviewProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [preview.id]);
  const { totals } = preview;
  const toWrite = totals.newOrders + totals.updatedOrders;
  // Absent from previews made before it was counted.
  const withoutTracking = totals.newWithoutTracking ?? 0;
  return (
    <section class="card import-preview" aria-labelledby="import-preview-title">
      <h2 id="import-preview-title" ref={heading} tabIndex={-1}>
        {t('imports.previewTitle', { file: preview.fileName })}
      </h2>
      <p>{t('imports.previewHelp', { time: formatTime(preview.expiresAt, timeZone) })}</p>
      <Totals totals={totals} />
      {withoutTracking > 0 && (
        <p class="notice notice-warning" id="import-no-tracking">
          {t('imports.noTracking', { count: withoutTracking, shown: formatNumber(withoutTracking) })}
        </p>
      )}
      {totals.refused > 0 && (
        <>
          <h3>{t('imports.refusedHeading')}</h3>
          <p class="hint">{t('imports.refusedHelp')}</p>
          <RefusedRows id="import-refused" rows={preview.refused} total={totals.refused} words="imports" />
        </>
      )}
      <Sample sample={preview.sample} />
      {toWrite === 0 && (
        <p class="notice notice-info" id="import-nothing">
          {t('imports.nothingToImport')}
        </p>
      )}
      <div class="row import-actions">
        {toWrite > 0 && (
          <button type="button" class="button-primary" disabled={busy} onClick={onCommit}>
            {t('imports.commit', { count: toWrite })}
          </button>
        )}
        <button type="button" disabled={busy} onClick={onStartOver}>
          {t('imports.startOver')}
        </button>
      </div>
    </section>
  );
}
