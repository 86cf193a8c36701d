// One dispute (placeholder until the screen is built).
import type { Me } from '../api';
import { t } from '../i18n';

export function DisputeScreen(_props: { me: Me; disputeId: string }) {
  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">{t('nav.disputes')}</h1>
    </section>
  );
}
