/**
 * Fixed-window counters per key, in memory. Good enough for one relay; with several, the same
 * interface moves to Redis (INCR with EXPIRE) so that limits hold across relays.
 */
export interface RateLimiter {
  /** Counts one event for `key`; refuses once `limit` events fell in the current window. */
  take(key: string, now: number): { ok: true } | { ok: false; retryAfterMs: number };
  /** Whether `key` is over the limit now, without counting. */
  blocked(key: string, now: number): { ok: true } | { ok: false; retryAfterMs: number };
  reset(key: string): void;
  /** Gives back one event counted by `take` in the current window (an attempt counted up front that turned out not to count). */
  refund(key: string): void;
}

export function createRateLimiter(options: { limit: number; windowMs: number; maxKeys?: number }): RateLimiter {
  const { limit, windowMs } = options;
  const maxKeys = options.maxKeys ?? 100_000;
  const windows = new Map<string, { start: number; count: number }>();

  const current = (key: string, now: number) => {
    const entry = windows.get(key);
    if (!entry || now - entry.start >= windowMs) return undefined;
    return entry;
  };
  const sweep = (now: number) => {
    // Bounded memory: drop expired windows, and the oldest if a flood of keys keeps coming.
    for (const [key, entry] of windows) if (now - entry.start >= windowMs) windows.delete(key);
    while (windows.size >= maxKeys) windows.delete(windows.keys().next().value as string);
  };

  return {
    take(key, now) {
      let entry = current(key, now);
      if (!entry) {
        if (windows.size >= maxKeys) sweep(now);
        entry = { start: now, count: 0 };
        windows.set(key, entry);
      }
      if (entry.count >= limit) return { ok: false, retryAfterMs: entry.start + windowMs - now };
      entry.count++;
      return { ok: true };
    },
    blocked(key, now) {
      const entry = current(key, now);
      return entry && entry.count >= limit ? { ok: false, retryAfterMs: entry.start + windowMs - now } : { ok: true };
    },
    reset(key) {
      windows.delete(key);
    },
    refund(key) {
      const entry = windows.get(key);
      if (entry && entry.count > 0) entry.count--;
    },
  };
}

/** The limits Parley applies, in one place. */
export const LIMIT_RULES = {
  /** Messages one visitor may send per minute (a person typing fast sends a few). */
  visitorMessages: { limit: 30, windowMs: 60_000 },
  /** Conversations one IP address may open per hour (an office behind one NAT opens a few). */
  conversationsPerIp: { limit: 30, windowMs: 3_600_000 },
  /** Failed sign-ins per account before it is locked for the rest of the window. */
  signInPerAccount: { limit: 5, windowMs: 15 * 60_000 },
  /** Failed sign-ins per IP address, whatever the account. */
  signInPerIp: { limit: 30, windowMs: 15 * 60_000 },
  /**
   * History pages one visitor or agent may ask for per minute. Scrolling back reads a page at a
   * time, and an agent flying through the queue opens a thread a second; but a ~100-byte request
   * can cost the relay a 1.6 MB answer (200 messages of 8,000 characters) without this.
   */
  historyPages: { limit: 120, windowMs: 60_000 },
} as const;

export interface RateLimits {
  visitorMessages: RateLimiter;
  conversationsPerIp: RateLimiter;
  signInPerAccount: RateLimiter;
  signInPerIp: RateLimiter;
  historyPages: RateLimiter;
}

export function createRateLimits(rules: { [K in keyof RateLimits]: { limit: number; windowMs: number } } = LIMIT_RULES): RateLimits {
  return {
    visitorMessages: createRateLimiter(rules.visitorMessages),
    conversationsPerIp: createRateLimiter(rules.conversationsPerIp),
    signInPerAccount: createRateLimiter(rules.signInPerAccount),
    signInPerIp: createRateLimiter(rules.signInPerIp),
    historyPages: createRateLimiter(rules.historyPages),
  };
}
