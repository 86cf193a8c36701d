// Screens by address, with the browser's history: links change the address without a reload, and
// a reload or a pasted address opens the same screen (the server answers every such path with the page).
import { useEffect, useState } from 'preact/hooks';
import { dashboardScreens } from './screens';

export type Route =
  | { screen: 'today' }
  | { screen: 'search'; q: string; filters: URLSearchParams }
  | { screen: 'importOrders' }
  | { screen: 'order'; orderId: string }
  /** `newFor`: the order a new dispute is being opened on (`?new=<orderId>`; empty: the seller types it). */
  | { screen: 'disputes'; status: string; newFor?: string }
  | { screen: 'dispute'; disputeId: string }
  | { screen: 'phones' }
  | { screen: 'users' }
  | { screen: 'settings' }
  | { screen: 'replyTemplates' }
  | { screen: 'skuCatalogue' }
  | { screen: 'invite' }
  /** An address that is no screen of the dashboard (the server answered it with the page and a 404). */
  | { screen: 'notFound' };

/** The value after a screen's prefix (`/orders/` + id), or undefined when the path is another screen's. */
function tail(path: string, pattern: string): string | undefined {
  const prefix = pattern.slice(0, pattern.indexOf(':'));
  if (!path.startsWith(prefix) || path.length === prefix.length) return undefined;
  const rest = path.slice(prefix.length);
  return rest.includes('/') ? undefined : decodeURIComponent(rest);
}

export function parseRoute(location: Location | URL): Route {
  const path = location.pathname;
  const query = new URLSearchParams(location.search);
  // `/orders/import` would also read as the order "import": the import screen comes first.
  if (path === dashboardScreens.importOrders) return { screen: 'importOrders' };
  const orderId = tail(path, dashboardScreens.order);
  if (orderId !== undefined) return { screen: 'order', orderId };
  const disputeId = tail(path, dashboardScreens.dispute);
  if (disputeId !== undefined) return { screen: 'dispute', disputeId };
  switch (path) {
    case dashboardScreens.search:
      return { screen: 'search', q: query.get('q') ?? '', filters: query };
    case dashboardScreens.disputes:
      return { screen: 'disputes', status: query.get('status') ?? '', newFor: query.get('new') ?? undefined };
    case dashboardScreens.phones:
      return { screen: 'phones' };
    case dashboardScreens.users:
      return { screen: 'users' };
    case dashboardScreens.settings:
      return { screen: 'settings' };
    case dashboardScreens.replyTemplates:
      return { screen: 'replyTemplates' };
    case dashboardScreens.skuCatalogue:
      return { screen: 'skuCatalogue' };
    case dashboardScreens.invite:
      return { screen: 'invite' };
    case dashboardScreens.today:
      return { screen: 'today' };
    default:
      return { screen: 'notFound' };
  }
}

export const orderPath = (orderId: string) => dashboardScreens.order.replace(':orderId', encodeURIComponent(orderId));
export const disputePath = (disputeId: string) => dashboardScreens.dispute.replace(':disputeId', encodeURIComponent(disputeId));
/** The disputes list at one status tab, or the form opening a dispute on an order (empty: any order). */
export const disputesPath = ({ status, newFor }: { status?: string; newFor?: string } = {}) =>
  newFor !== undefined
    ? `${dashboardScreens.disputes}?new=${encodeURIComponent(newFor)}`
    : status
      ? `${dashboardScreens.disputes}?status=${encodeURIComponent(status)}`
      : dashboardScreens.disputes;
export const searchPath = (q = '') => (q ? `${dashboardScreens.search}?q=${encodeURIComponent(q)}` : dashboardScreens.search);

const listeners = new Set<() => void>();

export function navigate(href: string, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  listeners.forEach((listener) => listener());
  if (!replace) window.scrollTo(0, 0);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location));
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return route;
}

/** A plain link that opens in this tab through the router, and in a new one with a modifier key as links do. */
export function followLink(event: MouseEvent) {
  const anchor = event.currentTarget as HTMLAnchorElement;
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(anchor.getAttribute('href')!);
}
