// Users (placeholder until the screen is built).
import type { Me } from '../api';
import { t } from '../i18n';

export function UsersScreen(_props: { me: Me }) {
  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">{t('nav.users')}</h1>
    </section>
  );
}
