import { createStore } from 'zustand/vanilla';

/** Every screen of the inbox has a path under `/inbox/`; the relay serves index.html for all of them. */
export const BASE = '/inbox';

export const SETTINGS_SECTIONS = ['sites', 'agents', 'teams', 'labels', 'canned'] as const;
export type SettingsSection = (typeof SETTINGS_SECTIONS)[number];

export type Route =
  | { name: 'inbox' }
  | { name: 'settings'; section: SettingsSection }
  | { name: 'invite'; token: string };

/** The part of `window.history` and `location` the router uses; tests pass a memory one. */
export interface HistoryLike {
  readonly pathname: string;
  push(path: string): void;
  /** Calls back on back/forward navigation; returns the unsubscribe. */
  listen(callback: () => void): () => void;
}

export function parseRoute(pathname: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const parts = rest.split('/').filter(Boolean);
  if (parts[0] === 'invite' && parts[1]) return { name: 'invite', token: decodeURIComponent(parts[1]) };
  if (parts[0] === 'settings') {
    const section = (SETTINGS_SECTIONS as readonly string[]).includes(parts[1] ?? '') ? (parts[1] as SettingsSection) : 'sites';
    return { name: 'settings', section };
  }
  return { name: 'inbox' };
}

export function routePath(route: Route): string {
  if (route.name === 'settings') return `${BASE}/settings/${route.section}`;
  if (route.name === 'invite') return `${BASE}/invite/${encodeURIComponent(route.token)}`;
  return `${BASE}/`;
}

export function browserHistory(): HistoryLike {
  return {
    get pathname() {
      return location.pathname;
    },
    push: (path) => history.pushState(null, '', path),
    listen(callback) {
      window.addEventListener('popstate', callback);
      return () => window.removeEventListener('popstate', callback);
    },
  };
}

export function memoryHistory(initial = `${BASE}/`): HistoryLike {
  let pathname = initial;
  return {
    get pathname() {
      return pathname;
    },
    push: (path) => void (pathname = path),
    listen: () => () => {},
  };
}

export type RouterStore = ReturnType<typeof createRouter>;

/** The current route as a store, kept in step with the address bar. */
export function createRouter(history: HistoryLike) {
  const store = createStore<{ route: Route }>()(() => ({ route: parseRoute(history.pathname) }));
  history.listen(() => store.setState({ route: parseRoute(history.pathname) }));
  return Object.assign(store, {
    navigate(route: Route) {
      const path = routePath(route);
      if (path !== history.pathname) history.push(path);
      store.setState({ route });
    },
  });
}
