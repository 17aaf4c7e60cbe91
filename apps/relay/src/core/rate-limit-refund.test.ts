import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit.ts';

describe('createRateLimiter › refund', () => {
  it('gives back one counted event, never below zero, within the current window only', () => {
    const limiter = createRateLimiter({ limit: 2, windowMs: 1000 });
    limiter.take('a', 0);
    limiter.take('a', 0);
    expect(limiter.blocked('a', 10).ok).toBe(false);
    // Sign-in counts every attempt up front and refunds a success: it must free the slot.
    limiter.refund('a');
    expect(limiter.blocked('a', 10).ok).toBe(true);
    expect(limiter.take('a', 10).ok).toBe(true);
    expect(limiter.take('a', 10).ok).toBe(false);
    // More refunds than takes do not bank credit.
    limiter.refund('b');
    limiter.refund('a');
    limiter.refund('a');
    limiter.refund('a');
    expect(limiter.take('a', 20).ok).toBe(true);
    expect(limiter.take('a', 20).ok).toBe(true);
    expect(limiter.take('a', 20).ok).toBe(false);
  });
});
