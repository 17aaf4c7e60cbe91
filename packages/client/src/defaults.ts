/**
 * Every tunable of the client in one place. Override any of them in `createParleyClient`'s options.
 */
export const DEFAULTS = {
  /** First reconnect delay. */
  backoffBaseMs: 500,
  /** Each failed attempt multiplies the delay by this. */
  backoffFactor: 2,
  /** The delay never grows past this. */
  backoffMaxMs: 30_000,
  /**
   * Fraction of the delay that is randomised ("equal jitter"): 0.5 waits between half and the
   * whole delay, so thousands of clients dropped at once do not come back in lockstep.
   */
  jitter: 0.5,
  /** Give up on a connection attempt (socket open and `welcome`) after this long. */
  connectTimeoutMs: 10_000,
  /** Send an application ping this often while open; the relay's `welcome` may lower it. */
  heartbeatMs: 25_000,
  /** No frame at all for this long after a ping: the connection is dead, reconnect. */
  heartbeatTimeoutMs: 10_000,
  /** Most unacknowledged sends kept; past this `send` rejects with `RATE_LIMITED` instead of growing without bound. */
  maxOutbox: 500,
} as const;
