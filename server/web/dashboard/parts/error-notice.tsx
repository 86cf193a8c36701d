// An API error as the person reads it: what went wrong, in their language. The server's own words are
// English; they are shown only when they add something the translation cannot know (which field is
// wrong, why a password is weak), and on a page in another language inside a disclosure marked English.
import { ApiError } from '../api';
import { language, t, type MessageKey } from '../i18n';
import en from '../../../i18n/dashboard/en.json';

/** Codes whose server message names the particular problem (the field, the rule), beyond the code's meaning. */
const DETAILED_CODES = new Set(['VALIDATION_FAILED', 'WEAK_PASSWORD', 'CONFLICT', 'UNSUPPORTED_MEDIA_TYPE', 'UNPROCESSABLE_MEDIA', 'PAYLOAD_TOO_LARGE', 'IMAGE_TOO_LARGE']);

const translated = (code: string) => Object.hasOwn(en, `error.${code}`);

/** The role may not open or do this (not an error a retry could fix). */
export const isForbidden = (error: unknown) => error instanceof ApiError && error.code === 'FORBIDDEN';

/** `detail`: the server's English words, when they add to the summary (undefined otherwise). */
export function describeError(error: unknown): { summary: string; detail?: string } {
  if (!(error instanceof ApiError)) return { summary: t('error.generic'), detail: error instanceof Error ? error.message : undefined };
  if (error.code === 'NETWORK') return { summary: t('error.network') };
  const known = translated(error.code);
  const summary = known ? t(`error.${error.code}` as MessageKey) : t('error.generic');
  const addsDetail = !known || DETAILED_CODES.has(error.code);
  const detail = addsDetail && error.message && error.message !== summary ? error.message : undefined;
  return { summary, detail };
}

/** The server's words: a plain line on an English page, a disclosure marked as English on any other. */
function ServerDetail({ detail }: { detail: string }) {
  if (language() === 'en') return <p>{detail}</p>;
  return (
    <details class="error-detail">
      <summary>{t('error.details')}</summary>
      <p lang="en">{detail}</p>
    </details>
  );
}

export function ErrorNotice({ error, id }: { error: unknown; id?: string }) {
  if (!error) return null;
  const { summary, detail } = describeError(error);
  return (
    <div class="notice notice-error" role="alert" id={id}>
      <strong>{summary}</strong>
      {detail && <ServerDetail detail={detail} />}
    </div>
  );
}

/**
 * A screen whose data did not load: a role that may not see it is told so plainly (trying again would
 * not help); anything else shows what went wrong and a way to try again.
 */
export function ScreenError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  if (isForbidden(error)) return <RoleCannotOpen />;
  return (
    <>
      <ErrorNotice error={error} />
      <button type="button" onClick={onRetry}>
        {t('app.retry')}
      </button>
    </>
  );
}

export function RoleCannotOpen() {
  return (
    <div class="notice notice-info" role="status">
      <strong>{t('app.roleCannotOpen')}</strong>
      <p>{t('app.roleCannotOpenHint')}</p>
    </div>
  );
}
