// Screens by address, with the browser's history: links change the address without a reload, and
// a reload or a pasted address opens the same screen (the server answers every such path with the page).
import { useEffect, useState } from 'preact/hooks';
import { dashboardScreens } from './screens';

export type Route = { screen: 'search'; q: string } | { screen: 'order'; orderId: string } | { screen: 'phones' };

export function parseRoute(location: Location | URL): Route {
  const path = location.pathname;
  const orderPrefix = dashboardScreens.order.replace(':orderId', '');
  if (path.startsWith(orderPrefix) && path.length > orderPrefix.length) return { screen: 'order', orderId: decodeURIComponent(path.slice(orderPrefix.length)) };
  if (path === dashboardScreens.phones) return { screen: 'phones' };
  return { screen: 'search', q: new URLSearchParams(location.search).get('q') ?? '' };
}

export const orderPath = (orderId: string) => dashboardScreens.order.replace(':orderId', encodeURIComponent(orderId));

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
