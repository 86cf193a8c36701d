// The frame of every signed-in screen: shop name, navigation, language switch and sign-out.
import type { ComponentChildren } from 'preact';
import { languages, type Language } from '../../../domain/vocabulary';
import type { Me } from '../api';
import { language, languageNames, t, type MessageKey } from '../i18n';
import { followLink, type Route } from '../router';
import { dashboardScreens } from '../screens';

export function LanguageSwitch({ onChange }: { onChange: (language: Language) => void }) {
  return (
    <label class="language">
      <span class="visually-hidden">{t('nav.language')}</span>
      <select aria-label={t('nav.language')} value={language()} onChange={(event) => onChange(event.currentTarget.value as Language)}>
        {languages.map((code) => (
          <option value={code} lang={code} key={code}>
            {languageNames[code]}
          </option>
        ))}
      </select>
    </label>
  );
}

interface NavEntry {
  screen: 'today' | 'search' | 'disputes' | 'phones' | 'users' | 'settings';
  label: MessageKey;
  ownerOnly?: boolean;
}

const navEntries: NavEntry[] = [
  { screen: 'today', label: 'nav.today' },
  { screen: 'search', label: 'nav.search' },
  { screen: 'disputes', label: 'nav.disputes' },
  { screen: 'phones', label: 'nav.phones' },
  { screen: 'users', label: 'nav.users', ownerOnly: true },
  { screen: 'settings', label: 'nav.settings', ownerOnly: true },
];

interface LayoutProps {
  me: Me;
  route: Route;
  onLanguage: (language: Language) => void;
  onSignOut: () => void;
  children: ComponentChildren;
}

export function Layout({ me, route, onLanguage, onSignOut, children }: LayoutProps) {
  // Each screen lights up the navigation entry it belongs to: an order under search, a dispute under disputes.
  const section: Record<Route['screen'], NavEntry['screen']> = {
    today: 'today',
    search: 'search',
    order: 'search',
    disputes: 'disputes',
    dispute: 'disputes',
    phones: 'phones',
    users: 'users',
    settings: 'settings',
    replyTemplates: 'settings',
    invite: 'today',
  };
  const entries = navEntries.filter((entry) => !entry.ownerOnly || me.role === 'owner');
  return (
    <>
      <a class="skip" href="#main">
        {t('app.skip')}
      </a>
      <header class="top">
        <div class="brand">
          <span class="logo" aria-hidden="true">▣</span>
          <span class="shop-name">{me.shop.name}</span>
        </div>
        <nav aria-label={t('nav.label')} class="nav">
          {entries.map((entry) => (
            <a key={entry.screen} href={dashboardScreens[entry.screen]} onClick={followLink} aria-current={section[route.screen] === entry.screen ? 'page' : undefined}>
              {t(entry.label)}
            </a>
          ))}
        </nav>
        <div class="top-tools">
          <LanguageSwitch onChange={onLanguage} />
          <button type="button" class="button-quiet" onClick={onSignOut} title={me.name}>
            {t('nav.signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
