/**
 * The widget's small memory on this device, under `parley:<siteKey>:<name>` in localStorage.
 * Every access is wrapped: storage throws on some strict pages (sandboxed iframes, Safari
 * with cookies blocked, a full quota), and the widget must then just work without memory.
 */
export interface VisitorStorage {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
  remove(name: string): void;
}

export function createVisitorStorage(siteKey: string, backend: () => Storage = () => localStorage): VisitorStorage {
  const key = (name: string) => `parley:${siteKey}:${name}`;
  return {
    get(name) {
      try {
        return backend().getItem(key(name)) ?? undefined;
      } catch {
        return undefined;
      }
    },
    set(name, value) {
      try {
        backend().setItem(key(name), value);
      } catch {
        // Quota or a blocked storage: forgetting is the only option.
      }
    },
    remove(name) {
      try {
        backend().removeItem(key(name));
      } catch {
        // Blocked storage holds nothing of ours.
      }
    },
  };
}

/** An in-memory stand-in, for tests and for pages where storage is unavailable. */
export function createMemoryStorage(): VisitorStorage {
  const items = new Map<string, string>();
  return {
    get: (name) => items.get(name),
    set: (name, value) => void items.set(name, value),
    remove: (name) => void items.delete(name),
  };
}
