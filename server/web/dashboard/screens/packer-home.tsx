// A packer's home page: packing is recorded in the packer app on a paired phone, not here. The page
// says so, opens the app with one big link, and points to the orders a packer may look up.
import { t } from '../i18n';
import { followLink } from '../router';
import { dashboardScreens } from '../screens';

export function PackerHomeScreen() {
  return (
    <section aria-labelledby="packer-title" class="card narrow packer-home">
      <h1 id="packer-title">{t('packer.title')}</h1>
      <p>{t('packer.intro')}</p>
      <p>
        <a class="button-link button-primary packer-open" href="/pack/">
          {t('packer.open')}
        </a>
      </p>
      <p class="muted">{t('packer.pairing')}</p>
      <p>
        {t('packer.orders')}{' '}
        <a href={dashboardScreens.search} onClick={followLink}>
          {t('packer.ordersLink')}
        </a>
      </p>
    </section>
  );
}
