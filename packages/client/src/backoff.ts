export interface BackoffOptions {
  backoffBaseMs: number;
  backoffFactor: number;
  backoffMaxMs: number;
  jitter: number;
}

/**
 * How long to wait before retry number `attempt` (0 for the first): `base * factor^attempt`,
 * capped at `backoffMaxMs`, with the `jitter` fraction of it randomised ("equal jitter").
 * With jitter 0.5 the wait lies between half and the whole capped delay, so it still grows
 * with each failure while clients dropped together spread out instead of returning in lockstep.
 *
 * Pure: `random` (a source in [0, 1), like `Math.random`) is a parameter so tests can pin it.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const { backoffBaseMs, backoffFactor, backoffMaxMs } = options;
  // Clamped so a nonsense override cannot produce a negative or larger-than-capped wait.
  const jitter = Math.min(1, Math.max(0, options.jitter));
  // `Math.min` first keeps a huge attempt count from overflowing to Infinity.
  const capped = Math.min(backoffMaxMs, backoffBaseMs * backoffFactor ** Math.min(attempt, 64));
  return capped * (1 - jitter) + capped * jitter * random();
}
