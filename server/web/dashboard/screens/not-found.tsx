// An address that is no screen (a mistyped or old link): said plainly, with the way home.
import { t } from '../i18n';
import { followLink } from '../router';
import { dashboardScreens } from '../screens';

export function NotFoundScreen() {
  return (
    <section aria-labelledby="not-found-title" class="card narrow">
      <h1 id="not-found-title">{t('notFound.title')}</h1>
      <p>{t('notFound.body', { path: location.pathname })}</p>
      <p>
        <a href={dashboardScreens.today} onClick={followLink}>
          {t('notFound.home')}
        </a>
      </p>
    </section>
  );
}
