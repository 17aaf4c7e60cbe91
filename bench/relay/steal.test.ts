import { describe, expect, it } from 'vitest';
import { stealPct } from './steal.ts';

describe('stealPct', () => {
  it('is the stolen share of all CPU time between two readings', () => {
    expect(stealPct({ steal: 100, total: 10_000 }, { steal: 350, total: 11_000 })).toBe(25);
    expect(stealPct({ steal: 100, total: 10_000 }, { steal: 100, total: 10_400 })).toBe(0);
  });

  it('is unknown without readings or without time between them', () => {
    expect(stealPct(null, { steal: 1, total: 2 })).toBeNull();
    expect(stealPct({ steal: 1, total: 2 }, { steal: 1, total: 2 })).toBeNull();
  });
});
