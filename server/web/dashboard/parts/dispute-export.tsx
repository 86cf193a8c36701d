// Taking the evidence out: the bundle in the language the recipient reads, and for a courier the claim
// packet, with the filing deadline and which of the photos couriers ask for are among the evidence.
import { useEffect, useState } from 'preact/hooks';
import { languages, type Language } from '../../../domain/vocabulary';
import { api } from '../api';
import { formatTime, languageNames, locale, t, termKey } from '../i18n';
import { followLink, orderPath } from '../router';
import type { DisputeDetail } from './dispute-types';
import { ErrorNotice } from './error-notice';

interface ClaimSummary {
  claimKind: string;
  deadline: { terms: string; rule: string; baseDate?: string; deadline?: string; earliestFilingDate?: string; reason?: string };
  photos: { kind: string; required: boolean; present: boolean; evidence: number[] }[];
  dateConflicts: { code: string; text: string }[];
}

const formatDay = (day: string) => {
  // A calendar day of the shop's, as written by the server (YYYY-MM-DD): shown as that day, not a moment.
  const [year, month, date] = day.split('-').map(Number);
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(year, month - 1, date)));
};

interface ExportProps {
  dispute: DisputeDetail;
  /** The language of what goes out, chosen once for the bundle, the claim and the packets (the page keeps it). */
  language: Language;
  onLanguage: (language: Language) => void;
  timeZone: string;
}

export function DisputeExport({ dispute, language, onLanguage: setLanguage, timeZone }: ExportProps) {
  const base = `/api/v1/disputes/${encodeURIComponent(dispute.id)}`;
  return (
    <section aria-labelledby="export-title" class="card">
      <h2 id="export-title">{t('dispute.export.title')}</h2>
      <div class="export-row">
        <div class="field">
          <label for="export-language">{t('dispute.export.language')}</label>
          <select id="export-language" value={language} onChange={(event) => setLanguage(event.currentTarget.value as Language)}>
            {languages.map((code) => (
              <option key={code} value={code} lang={code}>
                {languageNames[code]}
              </option>
            ))}
          </select>
        </div>
        <a class="action-link button-primary" href={`${base}/bundle.zip?lang=${language}`} download>
          {t('dispute.export.bundle')}
        </a>
      </div>
      <p class="hint">{t('dispute.export.bundleHint')}</p>
      {dispute.counterparty === 'courier' && (
        <ClaimPacket base={base} language={language} evidenceCount={dispute.evidence.length} orderId={dispute.orderId} deliveredAt={dispute.order.deliveredAt} timeZone={timeZone} />
      )}
    </section>
  );
}

interface ClaimPacketProps {
  base: string;
  language: Language;
  evidenceCount: number;
  orderId: string;
  /** When the parcel was delivered: most couriers count the filing deadline from it. */
  deliveredAt?: string;
  timeZone: string;
}

function ClaimPacket({ base, language, evidenceCount, orderId, deliveredAt, timeZone }: ClaimPacketProps) {
  const [claim, setClaim] = useState<ClaimSummary>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    let current = true;
    api<ClaimSummary>('GET', `${base.slice('/api/v1'.length)}/claim?lang=${language}`).then(
      (answer) => current && setClaim(answer),
      (caught) => current && setError(caught),
    );
    return () => {
      current = false;
    };
    // The checklist follows the evidence picked: asked again whenever it changes.
  }, [base, language, evidenceCount, deliveredAt]);

  return (
    <div class="claim" aria-labelledby="claim-title" role="group">
      <h3 id="claim-title">{t('dispute.claim.title')}</h3>
      <ErrorNotice error={error} />
      {claim && (
        <>
          <p class="claim-kind">{t(termKey('dispute.claimKinds', claim.claimKind))}</p>
          <dl class="facts">
            <div class="fact">
              <dt>{t('dispute.claim.delivered')}</dt>
              <dd>
                {deliveredAt ? (
                  formatTime(deliveredAt, timeZone)
                ) : (
                  <a href={`${orderPath(orderId)}#order-delivered`} onClick={followLink}>
                    {t('dispute.claim.recordDelivery')}
                  </a>
                )}
              </dd>
            </div>
            <div class="fact">
              <dt>{t('dispute.claim.deadline')}</dt>
              <dd>
                <strong>{claim.deadline.deadline ? formatDay(claim.deadline.deadline) : t('dispute.claim.noDeadline')}</strong>
              </dd>
            </div>
            {claim.deadline.earliestFilingDate && (
              <div class="fact">
                <dt>{t('dispute.claim.earliest')}</dt>
                <dd>{formatDay(claim.deadline.earliestFilingDate)}</dd>
              </div>
            )}
            <div class="fact">
              <dt>{t('dispute.claim.terms')}</dt>
              <dd lang={language}>{claim.deadline.terms}</dd>
            </div>
          </dl>
          <p class="hint" lang={language}>
            {claim.deadline.rule}
            {claim.deadline.reason ? ` ${claim.deadline.reason}` : ''}
          </p>
          {claim.dateConflicts.length > 0 && (
            <div class="claim-dates" role="alert">
              <h4>{t('dispute.claim.dateConflicts')}</h4>
              <ul>
                {claim.dateConflicts.map((conflict, index) => (
                  <li key={`${conflict.code}-${index}`} lang={language}>
                    {conflict.text}
                  </li>
                ))}
              </ul>
              <p class="hint">{t('dispute.claim.dateConflictsHint')}</p>
            </div>
          )}
          <h4 id="claim-photos">{t('dispute.claim.photos')}</h4>
          <ul class="claim-photos" aria-labelledby="claim-photos">
            {claim.photos
              .filter((photo) => photo.required)
              .map((photo) => (
                <li key={photo.kind} class={photo.present ? 'present' : 'missing'}>
                  <span aria-hidden="true">{photo.present ? '✓' : '✗'}</span> {t(termKey('dispute.claimPhotos', photo.kind))}{' '}
                  <span class="claim-photo-state">
                    {photo.present ? t('dispute.claim.present', { items: photo.evidence.map((n) => `E${n}`).join(', ') }) : t('dispute.claim.missing')}
                  </span>
                </li>
              ))}
          </ul>
          {claim.photos.some((photo) => photo.required && !photo.present) && <p class="hint">{t('dispute.claim.missingHint')}</p>}
        </>
      )}
      <a class="action-link" href={`${base}/claim-packet.zip?lang=${language}`} download>
        {t('dispute.claim.download')}
      </a>
    </div>
  );
}
