import { describe, expect, it } from 'vitest';
import { createWriteCoalescer } from './write-coalescer.ts';

describe('write coalescer', () => {
  function recorder(name: string, log: string[]) {
    return { flush: () => log.push(name) };
  }

  it('flushes what was held during a turn, promise jobs included, once at its end, in order', async () => {
    const log: string[] = [];
    const coalescer = createWriteCoalescer();
    const a = recorder('a', log);
    const b = recorder('b', log);
    coalescer.hold(a);
    await Promise.resolve();
    coalescer.hold(b);
    await Promise.resolve();
    // Promise jobs of this turn ran: nothing flushed yet.
    expect(log).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['a', 'b']);
  });

  it('holds again in the next turn', async () => {
    const log: string[] = [];
    const coalescer = createWriteCoalescer();
    for (const round of ['1', '2']) {
      coalescer.hold(recorder(`a${round}`, log));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(log).toEqual(['a1', 'a2']);
  });
});
