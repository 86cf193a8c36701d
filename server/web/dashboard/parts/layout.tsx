// The frame of every signed-in screen: shop name, navigation, language switch and sign-out. The
// navigation offers only what the person's role may open (server/routes/access.ts): a packer packs in
// the packer app and may read orders, nothing else here.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
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

/** A packer's dashboard: the packing page (at the home address) and the orders they may read. */
const packerEntries: NavEntry[] = [
  { screen: 'today', label: 'packer.nav' },
  { screen: 'search', label: 'nav.search' },
];

/** The screens a packer's token may read (GET /orders, /orders/:id and media are open to every role). */
const packerScreens = new Set<Route['screen']>(['today', 'search', 'order', 'notFound', 'invite']);

/** Whether the role may open the screen at all; owner-only screens explain themselves to a seller. */
export const canOpen = (role: Me['role'], screen: Route['screen']) => role !== 'packer' || packerScreens.has(screen);

const entriesFor = (role: Me['role']) =>
  role === 'packer' ? packerEntries : navEntries.filter((entry) => !entry.ownerOnly || role === 'owner');

interface LayoutProps {
  me: Me;
  route: Route;
  onLanguage: (language: Language) => void;
  onSignOut: () => void;
  children: ComponentChildren;
}

export function Layout({ me, route, onLanguage, onSignOut, children }: LayoutProps) {
  // Each screen lights up the navigation entry it belongs to: an order under search, a dispute under disputes.
  const section: Record<Route['screen'], NavEntry['screen'] | undefined> = {
    today: 'today',
    search: 'search',
    order: 'search',
    importOrders: 'search',
    disputes: 'disputes',
    dispute: 'disputes',
    phones: 'phones',
    users: 'users',
    settings: 'settings',
    replyTemplates: 'settings',
    skuCatalogue: 'settings',
    invite: 'today',
    notFound: undefined,
  };
  const entries = entriesFor(me.role);
  // On a phone the navigation is one row that scrolls sideways: the current entry is kept in view.
  const nav = useRef<HTMLElement>(null);
  useEffect(() => {
    const current = nav.current?.querySelector<HTMLElement>('[aria-current="page"]');
    if (current && nav.current) nav.current.scrollLeft = Math.max(0, current.offsetLeft - nav.current.offsetLeft - 16);
  }, [route.screen]);
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
        <nav aria-label={t('nav.label')} class="nav" ref={nav}>
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
