import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { StoreApi } from 'zustand/vanilla';

/**
 * The Preact binding for a vanilla zustand store: the selected slice, re-rendering only when
 * it changes (by `equals`, `Object.is` by default). The few lines `zustand/react` gets from
 * `useSyncExternalStore`, without pulling in `preact/compat`.
 *
 * @example
 *   const filter = useStore(inbox.conversations, (state) => state.filter);
 */
export function useStore<S, T>(
  store: StoreApi<S>,
  selector: (state: S) => T,
  equals: (a: T, b: T) => boolean = Object.is,
): T {
  const [, setVersion] = useState(0);
  const selected = selector(store.getState());
  // The latest render's view, read by the subscription without re-subscribing on every render.
  const latest = useRef({ selector, equals, selected });
  latest.current = { selector, equals, selected };

  // A layout effect subscribes as the component commits, leaving no window in which an update
  // could be missed before the browser paints.
  useLayoutEffect(() => {
    const check = () => {
      const { selector, equals, selected } = latest.current;
      if (!equals(selector(store.getState()), selected)) setVersion((version) => version + 1);
    };
    const unsubscribe = store.subscribe(check);
    // The store may have changed between this render and the subscription.
    check();
    return unsubscribe;
  }, [store]);

  return selected;
}
