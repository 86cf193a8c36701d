// The frame of every signed-in screen: shop name, navigation, language switch and sign-out.
import type { ComponentChildren } from 'preact';
import { languages, type Language } from '../../../domain/vocabulary';
import type { Me } from '../api';
import { language, languageNames, t } from '../i18n';
import { followLink, type Route } from '../router';

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

interface LayoutProps {
  me: Me;
  route: Route;
  onLanguage: (language: Language) => void;
  onSignOut: () => void;
  children: ComponentChildren;
}

export function Layout({ me, route, onLanguage, onSignOut, children }: LayoutProps) {
  const current = (screen: Route['screen']) => (route.screen === screen || (screen === 'search' && route.screen === 'order') ? 'page' : undefined);
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
          <a href="/" onClick={followLink} aria-current={current('search')}>
            {t('nav.search')}
          </a>
          <a href="/phones" onClick={followLink} aria-current={current('phones')}>
            {t('nav.phones')}
          </a>
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
