// A screen whose code is fetched the first time it opens (a dynamic import(), its own chunk), so the
// first page's script stays small: screens few people open every day (imports, the SKU catalogue).
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n';
import { ScreenError } from './error-notice';

export function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | undefined;
  return function LazyScreen(props: P) {
    const [screen, setScreen] = useState<{ component?: ComponentType<P> }>({ component: loaded });
    const [error, setError] = useState<unknown>();
    const [tries, setTries] = useState(0);
    useEffect(() => {
      if (screen.component) return;
      load().then((component) => {
        loaded = component;
        setScreen({ component });
      }, setError);
    }, [tries]);
    if (error) return <ScreenError error={error} onRetry={() => (setError(undefined), setTries(tries + 1))} />;
    const Screen = screen.component;
    return Screen ? <Screen {...props} /> : <p aria-live="polite">{t('app.loading')}</p>;
  };
}
