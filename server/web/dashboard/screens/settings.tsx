// Shop settings (placeholder until the screen is built).
import type { Me } from '../api';
import { t } from '../i18n';

export function SettingsScreen(_props: { me: Me }) {
  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">{t('nav.settings')}</h1>
    </section>
  );
}
