import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';
import { DEFAULTS } from './defaults.ts';

const noJitter = { ...DEFAULTS, jitter: 0 };

describe('backoffDelay', () => {
  it('grows by the factor from the base', () => {
    expect([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, noJitter))).toEqual([500, 1000, 2000, 4000]);
  });

  it('never exceeds the cap, even for absurd attempt counts', () => {
    expect(backoffDelay(20, noJitter)).toBe(30_000);
    expect(backoffDelay(100_000, noJitter)).toBe(30_000);
  });

  it('randomises only the jitter fraction: between half and the whole delay at 0.5', () => {
    expect(backoffDelay(0, DEFAULTS, () => 0)).toBe(250);
    expect(backoffDelay(0, DEFAULTS, () => 1)).toBe(500);
    expect(backoffDelay(30, DEFAULTS, () => 0)).toBe(15_000);
    expect(backoffDelay(30, DEFAULTS, () => 1)).toBe(30_000);
    for (let attempt = 0; attempt < 12; attempt++) {
      const capped = Math.min(30_000, 500 * 2 ** attempt);
      const delay = backoffDelay(attempt, DEFAULTS);
      expect(delay).toBeGreaterThanOrEqual(capped / 2);
      expect(delay).toBeLessThanOrEqual(capped);
    }
  });

  it('clamps a jitter outside [0, 1]', () => {
    expect(backoffDelay(0, { ...DEFAULTS, jitter: 3 }, () => 0)).toBe(0);
    expect(backoffDelay(0, { ...DEFAULTS, jitter: -1 }, () => 0)).toBe(500);
  });
});
