// An API error as the person reads it: what went wrong in their language, then the server's own words.
import { ApiError } from '../api';
import { t, type MessageKey } from '../i18n';
import en from '../../../i18n/dashboard/en.json';

export function describeError(error: unknown): { summary: string; detail?: string } {
  if (!(error instanceof ApiError)) return { summary: t('error.generic'), detail: error instanceof Error ? error.message : undefined };
  if (error.code === 'NETWORK') return { summary: t('error.network') };
  const key = `error.${error.code}` as MessageKey;
  const summary = Object.hasOwn(en, key) ? t(key) : t('error.generic');
  return { summary, detail: error.message ? t('error.serverSays', { message: error.message }) : undefined };
}

export function ErrorNotice({ error, id }: { error: unknown; id?: string }) {
  if (!error) return null;
  const { summary, detail } = describeError(error);
  return (
    <div class="notice notice-error" role="alert" id={id}>
      <strong>{summary}</strong>
      {detail && <p>{detail}</p>}
    </div>
  );
}
