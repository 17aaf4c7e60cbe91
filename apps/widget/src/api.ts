/**
 * The commands behind `window.Parley(...)`. The loader (src/loader/index.ts) owns the global and
 * queues calls until the panel chunk is in; from then on it hands every call to `call` here.
 *
 * @example
 * Parley('on', 'unread', (count) => console.log(count));
 * Parley('open');
 */
export type Commands = Readonly<Record<string, (...args: unknown[]) => unknown>>;

export const EVENTS = ['ready', 'open', 'close', 'message', 'unread', 'error', 'shutdown'] as const;
export type EventName = (typeof EVENTS)[number];

export interface Api {
  /**
   * Runs one `Parley(name, ...args)` call. Never throws. A command that returns a promise (one
   * whose code is a lazy chunk, like `identify`) holds back the calls after it until it settles,
   * so the page's calls always take effect in the order it made them.
   */
  call(args: readonly unknown[]): void;
  /** Runs `step` once every call made so far has taken effect. */
  after(step: () => void): void;
  /** Calls the listeners of `event`; a listener that throws is logged, and the others still run. */
  emit(event: EventName, value?: unknown): void;
}

export function createApi(commands: Commands): Api {
  const listeners = new Map<string, Set<(value: unknown) => void>>();
  const warned = new Set<string>();
  const warnOnce = (label: string, text: string) => {
    if (warned.has(label)) return;
    warned.add(label);
    console.warn(`[Parley] ${text}`);
  };
  // `hasOwn`, not `in` or a lookup: a host that adds to Object.prototype must not add commands.
  const known = (name: unknown): name is EventName => typeof name === 'string' && (EVENTS as readonly string[]).includes(name);

  const all: Commands = {
    ...commands,
    on(event, listener) {
      if (!known(event)) return warnOnce(`event:${String(event)}`, `Unknown event "${String(event)}". Known: ${EVENTS.join(', ')}.`);
      if (typeof listener !== 'function') return;
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (value: unknown) => void);
    },
    off(event, listener) {
      if (typeof event === 'string') listeners.get(event)?.delete(listener as (value: unknown) => void);
    },
  };

  const run = (args: readonly unknown[]) => {
    try {
      const [name, ...rest] = args;
      const command = typeof name === 'string' && Object.hasOwn(all, name) ? all[name] : undefined;
      if (command) return command(...rest);
      const label = typeof name === 'string' ? name : typeof name;
      warnOnce(label, `Unknown command "${label}". Known: ${Object.keys(all).join(', ')}.`);
    } catch (error) {
      console.error('[Parley]', error);
    }
  };
  /** The last of the calls waiting behind an async command; undefined once they have all run. */
  let busy: Promise<void> | undefined;
  const queue = (step: () => unknown) => {
    const mine: Promise<void> = (busy ?? Promise.resolve())
      .then(step)
      .catch((error: unknown) => console.error('[Parley]', error))
      .then(() => {
        if (busy === mine) busy = undefined;
      });
    busy = mine;
  };

  return {
    call(args) {
      if (busy) return queue(() => run(args));
      const result = run(args);
      if (result instanceof Promise) queue(() => result);
    },
    after(step) {
      if (busy) queue(step);
      else step();
    },
    emit(event, value) {
      for (const listener of [...(listeners.get(event) ?? [])]) {
        try {
          listener(value);
        } catch (error) {
          console.error(`[Parley] A "${event}" listener threw:`, error);
        }
      }
    },
  };
}
