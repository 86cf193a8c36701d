// One dispute's page (screens/dispute-page.tsx), loaded when a dispute is first opened rather than with
// the dashboard's first page: its evidence picker, exports, share links and forms are the largest
// screen, and the first page has a size budget. Once loaded it stays for every other dispute.
import { useEffect, useState } from 'preact/hooks';
import type { Me } from '../api';
import { ErrorNotice } from '../parts/error-notice';
import { t } from '../i18n';

type DisputePageModule = typeof import('./dispute-page');
let loading: Promise<DisputePageModule> | undefined;

export function DisputeScreen(props: { me: Me; disputeId: string }) {
  const [page, setPage] = useState<DisputePageModule>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    (loading ??= import('./dispute-page')).then(setPage, (caught) => {
      loading = undefined;
      setError(caught);
    });
  }, []);
  if (page) return <page.DisputePage {...props} />;
  return error ? <ErrorNotice error={error} /> : <p aria-live="polite">{t('app.loading')}</p>;
}
