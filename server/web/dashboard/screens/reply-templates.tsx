// Reply templates (placeholder until the screen is built).
import type { Me } from '../api';
import { t } from '../i18n';

export function ReplyTemplatesScreen(_props: { me: Me }) {
  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">{t('nav.replyTemplates')}</h1>
    </section>
  );
}
