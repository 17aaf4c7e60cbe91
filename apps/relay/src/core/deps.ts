import type { Bus } from './bus.ts';
import type { Presence } from './presence.ts';
import type { RateLimits } from './rate-limit.ts';
import type { Store } from './store.ts';

/** What the domain core needs from the outside world; the process entry point wires the defaults. */
export interface CoreDeps {
  store: Store;
  bus: Bus;
  presence: Presence;
  limits: RateLimits;
  /** Milliseconds since the epoch; injected so tests can control time. */
  now: () => number;
  /** Heartbeat interval announced to clients in `welcome`. */
  heartbeatMs: number;
  log: (level: 'info' | 'warn' | 'error', message: string, detail?: unknown) => void;
}
