import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { RouterStore } from '../store/router.ts';

export const RouterContext = createContext<RouterStore | null>(null);

export function useRouter(): RouterStore {
  const router = useContext(RouterContext);
  if (!router) throw new Error('useRouter() needs a <RouterContext.Provider> above it.');
  return router;
}
