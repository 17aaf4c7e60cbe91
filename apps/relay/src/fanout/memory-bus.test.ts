import { describe, expect, it, vi } from 'vitest';
import type { BusEvent } from '../core/bus.ts';
import { describeBusContract } from './bus.contract.ts';
import { createMemoryBus } from './memory-bus.ts';

describeBusContract('in-process', async () => createMemoryBus());

describe('in-process bus', () => {
  const pong = (t: number): BusEvent => ({ frame: { type: 'pong', t } });

  it('delivers synchronously: handlers have run when publish resolves', async () => {
    const bus = createMemoryBus();
    const seen: BusEvent[] = [];
    await bus.subscribe('t', (event) => seen.push(event));
    const published = bus.publish('t', pong(1));
    // Before the publish promise is even awaited.
    expect(seen).toEqual([pong(1)]);
    await published;
    await bus.close();
  });

  it('a handler unsubscribing itself during delivery does not make others miss the event', async () => {
    const bus = createMemoryBus();
    const seen: string[] = [];
    const off = await bus.subscribe('t', () => {
      seen.push('first');
      void off();
    });
    await bus.subscribe('t', () => seen.push('second'));
    await bus.publish('t', pong(1));
    await bus.publish('t', pong(2));
    expect(seen).toEqual(['first', 'second', 'second']);
    await bus.close();
  });

  it('a handler subscribed during delivery hears the next event, not the one being delivered', async () => {
    const bus = createMemoryBus();
    const seen: string[] = [];
    let joined = false;
    await bus.subscribe('t', (event) => {
      seen.push(`first ${(event.frame as { t: number }).t}`);
      if (joined) return;
      joined = true;
      void bus.subscribe('t', (later) => seen.push(`late ${(later.frame as { t: number }).t}`));
    });
    await bus.publish('t', pong(1));
    await bus.publish('t', pong(2));
    expect(seen).toEqual(['first 1', 'first 2', 'late 2']);
    await bus.close();
  });

  it('an old unsubscribe does not end a newer subscription of the same handler', async () => {
    const bus = createMemoryBus();
    const seen: number[] = [];
    const handler = (event: BusEvent) => seen.push((event.frame as { t: number }).t);
    const first = await bus.subscribe('t', handler);
    await first();
    await bus.subscribe('t', handler);
    await first();
    await bus.publish('t', pong(1));
    expect(seen).toEqual([1]);
    await bus.close();
  });

  it('logs a throwing handler’s error', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const bus = createMemoryBus();
    const failure = new Error('boom');
    await bus.subscribe('t', () => {
      throw failure;
    });
    await bus.publish('t', pong(1));
    expect(log).toHaveBeenCalledWith(expect.any(String), failure);
    log.mockRestore();
    await bus.close();
  });

  it('close() ends every subscription', async () => {
    const bus = createMemoryBus();
    const seen: BusEvent[] = [];
    await bus.subscribe('t', (event) => seen.push(event));
    await bus.close();
    await bus.publish('t', pong(1));
    expect(seen).toEqual([]);
  });
});
