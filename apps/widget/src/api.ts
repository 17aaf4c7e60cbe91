/**
 * `window.Parley`, the site owner's handle on the widget. The embed snippet may define a
 * stub that queues calls in `Parley.q` before widget.js loads; `installApi` replays them in
 * order and puts the real function in its place.
 *
 * @example
 * Parley('open');
 */
export type Commands = Readonly<Record<string, (...args: unknown[]) => void>>;

export interface ParleyFunction {
  (...args: unknown[]): void;
  /** Marks the real function, so a second copy of widget.js on the page does nothing. */
  readonly loaded: true;
}

interface ParleyHost {
  Parley?: unknown;
}

export function isInstalled(win: Window): boolean {
  const current = (win as ParleyHost).Parley;
  return typeof current === 'function' && (current as Partial<ParleyFunction>).loaded === true;
}

export function installApi(win: Window, commands: Commands): ParleyFunction {
  const host = win as ParleyHost;
  const stub = host.Parley;
  const queue = typeof stub === 'function' ? (stub as { q?: unknown }).q : undefined;
  const warned = new Set<string>();

  const parley = ((...args: unknown[]) => {
    // Nothing the host page passes in may throw back out of it.
    try {
      const [name, ...rest] = args;
      // `hasOwn`, not `in` or a lookup: a host that adds to Object.prototype must not add commands.
      const command = typeof name === 'string' && Object.hasOwn(commands, name) ? commands[name] : undefined;
      if (command) return command(...rest);
      const label = typeof name === 'string' ? name : typeof name;
      if (!warned.has(label)) {
        warned.add(label);
        console.warn(`[Parley] Unknown command "${label}". Known: ${Object.keys(commands).join(', ')}.`);
      }
    } catch (error) {
      console.error('[Parley]', error);
    }
  }) as ParleyFunction;
  Object.defineProperty(parley, 'loaded', { value: true });

  host.Parley = parley;
  if (Array.isArray(queue)) {
    for (const args of queue as unknown[]) {
      if (args && typeof args === 'object' && 'length' in args) parley(...Array.from(args as ArrayLike<unknown>));
    }
  }
  return parley;
}
