// The seller dashboard: decides what the person sees first (setup while no user exists, sign-in
// without a session, the screens once signed in, each as far as the person's role may open it),
// keeps the language for every screen and names the browser tab after the screen.
import { render } from 'preact';
import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import type { Language } from '../../domain/vocabulary';
import { api, ApiError, onSessionEnded, type Me } from './api';
import { ErrorNotice, RoleCannotOpen } from './parts/error-notice';
import { canOpen, LanguageSwitch, Layout } from './parts/layout';
import { lazyScreen } from './parts/lazy-screen';
import { language, loadLanguage, switchLanguage, t, type MessageKey } from './i18n';
import { navigate, useRoute, type Route } from './router';
import { dashboardScreens } from './screens';
import { DisputeScreen } from './screens/dispute';
import { DisputesScreen } from './screens/disputes';
import { InviteScreen } from './screens/invite';
import { NotFoundScreen } from './screens/not-found';
import { OrderScreen } from './screens/order';
import { PackerHomeScreen } from './screens/packer-home';
import { PhonesScreen } from './screens/phones';
import { ReplyTemplatesScreen } from './screens/reply-templates';
import { SearchScreen } from './screens/search';
import { SettingsScreen } from './screens/settings';
import { SetupScreen } from './screens/setup';
import { SignInScreen } from './screens/sign-in';
import { TodayScreen } from './screens/today';
import { UsersScreen } from './screens/users';
import './app.css';

// Screens opened now and then, with code of their own: fetched when first opened, not with the first page.
const ImportOrdersScreen = lazyScreen(() => import('./screens/import-orders').then((module) => module.ImportOrdersScreen));
const SkuCatalogueScreen = lazyScreen(() => import('./screens/sku-catalogue').then((module) => module.SkuCatalogueScreen));

/** Each screen's name for the browser tab; the order and dispute screens name their tab themselves. */
const screenTitles: Record<Exclude<Route['screen'], 'order' | 'dispute'>, MessageKey> = {
  today: 'today.title',
  search: 'search.title',
  disputes: 'disputes.title',
  phones: 'phones.title',
  users: 'users.title',
  settings: 'settings.title',
  replyTemplates: 'replies.title',
  importOrders: 'imports.title',
  skuCatalogue: 'skus.title',
  invite: 'invite.titlePlain',
  notFound: 'notFound.title',
};

/** "Today · Napkin House · Packtrail": the tab says where the person is (WCAG 2.4.2), the shop when signed in. */
function useTabTitle(state: State, route: Route, inviting: boolean) {
  const shop = state.kind === 'signedIn' ? state.me.shop.name : undefined;
  const packer = state.kind === 'signedIn' && state.me.role === 'packer';
  const signedInScreen = state.kind === 'signedIn' && !inviting;
  const key: MessageKey | undefined = inviting
    ? 'invite.titlePlain'
    : state.kind === 'setup'
      ? 'setup.title'
      : state.kind === 'signIn'
        ? 'signIn.title'
        : !signedInScreen || route.screen === 'order' || route.screen === 'dispute'
          ? undefined
          : packer && route.screen === 'today'
            ? 'packer.title'
            : screenTitles[route.screen];
  const ownTitle = signedInScreen && (route.screen === 'order' || route.screen === 'dispute');
  // Before the screens' own effects, so the order and dispute screens' titles win over this one.
  useLayoutEffect(() => {
    if (ownTitle) return;
    document.title = [key && t(key), shop, t('app.name')].filter(Boolean).join(' · ');
  }, [key, shop, ownTitle, language()]);
}

type State =
  | { kind: 'loading' }
  | { kind: 'failed'; error: unknown }
  | { kind: 'setup' }
  | { kind: 'signIn'; notice?: MessageKey }
  | { kind: 'signedIn'; me: Me };

function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [, setShownLanguage] = useState<Language>();
  const route = useRoute();

  async function start(notice?: MessageKey) {
    try {
      const { setUp } = await api<{ setUp: boolean }>('GET', '/setup');
      if (!setUp) return setState({ kind: 'setup' });
      try {
        setState({ kind: 'signedIn', me: await api<Me>('GET', '/me') });
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) setState({ kind: 'signIn', notice });
        else throw error;
      }
    } catch (error) {
      setState({ kind: 'failed', error });
    }
  }

  useEffect(() => {
    onSessionEnded(() => setState({ kind: 'signIn', notice: 'signIn.expired' }));
    start();
  }, []);

  const changeLanguage = (next: Language) => {
    switchLanguage(next).then(() => setShownLanguage(next));
  };

  async function signOut() {
    try {
      await api('DELETE', '/sessions/current');
    } catch {
      // Signed out either way: the cookie is gone or already useless.
    }
    setState({ kind: 'signIn', notice: 'signIn.signedOut' });
  }

  // An invite link is for the person invited, whoever was signed in on this browser before.
  const inviting = route.screen === 'invite' && (state.kind === 'signIn' || state.kind === 'signedIn');
  useTabTitle(state, route, inviting);
  const invited = () => {
    navigate(dashboardScreens.today, { replace: true });
    start();
  };

  if (state.kind !== 'signedIn' || inviting) {
    return (
      <>
        <header class="top top-plain">
          <div class="brand">
            <span class="logo" aria-hidden="true">▣</span>
            <span>{t('app.name')}</span>
          </div>
          <div class="top-tools">
            <LanguageSwitch onChange={changeLanguage} />
          </div>
        </header>
        <main id="main">
          {state.kind === 'loading' && <p aria-live="polite">{t('app.loading')}</p>}
          {state.kind === 'failed' && (
            <>
              <ErrorNotice error={state.error} />
              <button type="button" onClick={() => start()}>
                {t('app.retry')}
              </button>
            </>
          )}
          {state.kind === 'setup' && <SetupScreen onDone={() => start()} />}
          {inviting && <InviteScreen onDone={invited} />}
          {state.kind === 'signIn' && !inviting && <SignInScreen notice={state.notice} onDone={() => start()} />}
        </main>
      </>
    );
  }

  const { me } = state;
  const timeZone = me.shop.timezone;
  if (!canOpen(me.role, route.screen)) {
    return (
      <Layout me={me} route={route} onLanguage={changeLanguage} onSignOut={signOut}>
        <RoleCannotOpen />
      </Layout>
    );
  }
  return (
    <Layout me={me} route={route} onLanguage={changeLanguage} onSignOut={signOut}>
      {route.screen === 'today' && (me.role === 'packer' ? <PackerHomeScreen /> : <TodayScreen me={me} />)}
      {route.screen === 'notFound' && <NotFoundScreen />}
      {route.screen === 'search' && <SearchScreen q={route.q} filters={route.filters} timeZone={timeZone} canImport={me.role !== 'packer'} />}
      {route.screen === 'order' && <OrderScreen key={route.orderId} orderId={route.orderId} me={me} />}
      {route.screen === 'disputes' && <DisputesScreen me={me} status={route.status} newFor={route.newFor} />}
      {route.screen === 'dispute' && <DisputeScreen key={route.disputeId} me={me} disputeId={route.disputeId} />}
      {route.screen === 'phones' && <PhonesScreen timeZone={timeZone} />}
      {route.screen === 'users' && <UsersScreen me={me} />}
      {route.screen === 'settings' && <SettingsScreen me={me} onShopChanged={(shop) => setState({ kind: 'signedIn', me: { ...me, shop } })} />}
      {route.screen === 'replyTemplates' && <ReplyTemplatesScreen me={me} />}
      {route.screen === 'importOrders' && <ImportOrdersScreen me={me} />}
      {route.screen === 'skuCatalogue' && <SkuCatalogueScreen />}
    </Layout>
  );
}

// The first screen waits for its language's words (English is already here).
loadLanguage(language()).finally(() => render(<App />, document.getElementById('app')!));
