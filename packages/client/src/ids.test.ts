import { describe, expect, it } from 'vitest';
import { Id, parsePayload } from '@parley/protocol';
import { timeOrderedId } from './ids.ts';

describe('timeOrderedId', () => {
  it('makes ids the protocol accepts, never the same twice', () => {
    const ids = Array.from({ length: 1000 }, () => timeOrderedId());
    for (const id of ids) expect(parsePayload(Id, id).ok).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(timeOrderedId(36 ** 9 - 1).length).toBeLessThanOrEqual(42);
  });

  it('sorts as its times do, compared as bytes the way the relay\'s index compares them', () => {
    const times = [0, 35, 36, 1_700_000_000_000, 1_700_000_000_001, 1_800_000_000_000, 36 ** 9 - 1];
    const ids = times.map((t) => timeOrderedId(t));
    expect([...ids].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))).toEqual(ids);
  });
});
