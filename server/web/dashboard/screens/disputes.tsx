// Disputes by status, soonest deadline first (placeholder until the screen is built).
import type { Me } from '../api';
import { t } from '../i18n';

export function DisputesScreen(_props: { me: Me; status: string }) {
  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">{t('nav.disputes')}</h1>
    </section>
  );
}
