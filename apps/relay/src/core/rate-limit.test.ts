import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit.ts';

describe('createRateLimiter', () => {
  it('allows `limit` events per window, then refuses with the time left', () => {
    const limiter = createRateLimiter({ limit: 3, windowMs: 1000 });
    expect([0, 10, 20].map((t) => limiter.take('a', t).ok)).toEqual([true, true, true]);
    expect(limiter.take('a', 400)).toEqual({ ok: false, retryAfterMs: 600 });
    expect(limiter.blocked('a', 999)).toEqual({ ok: false, retryAfterMs: 1 });
    expect(limiter.take('a', 1000).ok).toBe(true);
  });

  it('keeps keys apart, and reset clears one', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 1000 });
    expect(limiter.take('a', 0).ok).toBe(true);
    expect(limiter.take('b', 0).ok).toBe(true);
    expect(limiter.take('a', 1).ok).toBe(false);
    limiter.reset('a');
    expect(limiter.take('a', 2).ok).toBe(true);
    expect(limiter.take('b', 2).ok).toBe(false);
  });

  it('blocked() does not count', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 1000 });
    for (let i = 0; i < 5; i++) expect(limiter.blocked('a', i).ok).toBe(true);
    expect(limiter.take('a', 5).ok).toBe(true);
  });

  it('holds memory to maxKeys under a flood of distinct keys', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000, maxKeys: 100 });
    for (let i = 0; i < 10_000; i++) limiter.take(`ip-${i}`, 0);
    // The newest keys are still counted; the oldest were dropped to stay within bounds.
    expect(limiter.take('ip-9999', 1).ok).toBe(false);
    expect(limiter.take('ip-0', 1).ok).toBe(true);
  });
});
