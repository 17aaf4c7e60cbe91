import { describe, expect, it } from 'vitest';
import { Id, parsePayload } from '@parley/protocol';
import { newId, newTimeOrderedId } from './ids.ts';

describe('ids', () => {
  it('time-ordered ids sort as their times do, as text, across every digit of the prefix', () => {
    const times = [0, 1, 63, 64, 4095, 4096, 1_700_000_000_000, 1_700_000_000_001, 1_800_000_000_000, 64 ** 8 - 1];
    const ids = times.map((t) => newTimeOrderedId(t));
    // Byte order, as SQLite's BINARY collation and the index compare them.
    const byBytes = [...ids].sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
    expect(byBytes).toEqual(ids);
  });

  it('spell each time\'s own prefix when times alternate (the last one is remembered)', () => {
    const prefix = (t: number) => newTimeOrderedId(t).slice(0, 8);
    expect([prefix(0), prefix(64), prefix(0), prefix(64), prefix(64)]).toEqual(['--------', '------0-', '--------', '------0-', '------0-']);
  });

  it('are ids the protocol accepts, as long as newId\'s, and unique within one millisecond', () => {
    const now = Date.now();
    const many = Array.from({ length: 10_000 }, () => newTimeOrderedId(now));
    expect(new Set(many).size).toBe(many.length);
    for (const id of [...many.slice(0, 100), newId()]) {
      expect(parsePayload(Id, id).ok).toBe(true);
      expect(id).toHaveLength(21);
    }
    expect(new Set(many.map((id) => id.slice(0, 8))).size).toBe(1);
  });
});
