import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Bus, BusEvent } from '../core/bus.ts';

/**
 * The behaviour every Bus must have, against the interface only: the in-process bus runs it
 * (memory-bus.test.ts) and a Redis bus must pass it unchanged. Delivery may be asynchronous,
 * so "not delivered" is asserted after a later event on the same path has arrived.
 */
export function describeBusContract(name: string, makeBus: () => Promise<Bus>) {
  describe(`Bus contract: ${name}`, () => {
    let bus: Bus;
    beforeEach(async () => {
      bus = await makeBus();
    });
    afterEach(async () => {
      vi.restoreAllMocks();
      await bus.close();
    });

    const pong = (t: number): BusEvent => ({ frame: { type: 'pong', t } });

    /** Collects events; `until(n)` waits until n have arrived. */
    function collector() {
      const received: number[] = [];
      let wake: (() => void) | null = null;
      const handler = (event: BusEvent) => {
        if (event.frame.type === 'pong' && event.frame.t !== undefined) received.push(event.frame.t);
        wake?.();
      };
      const until = async (count: number, timeoutMs = 2000) => {
        const deadline = Date.now() + timeoutMs;
        while (received.length < count) {
          if (Date.now() > deadline) throw new Error(`expected ${count} events, got ${JSON.stringify(received)}`);
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, 10);
          });
        }
        return received;
      };
      return { received, handler, until };
    }

    it('delivers events to a subscriber in publish order', async () => {
      const sub = collector();
      await bus.subscribe('t', sub.handler);
      for (let i = 1; i <= 100; i++) await bus.publish('t', pong(i));
      expect(await sub.until(100)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    });

    it('keeps publish order for publishes not awaited one by one', async () => {
      const sub = collector();
      await bus.subscribe('t', sub.handler);
      await Promise.all(Array.from({ length: 20 }, (_, i) => bus.publish('t', pong(i + 1))));
      expect(await sub.until(20)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    it('publishAll delivers its events in order, across topics, and after earlier publishes', async () => {
      const order: string[] = [];
      await bus.subscribe('a', (event) => order.push(`a${(event.frame as { t: number }).t}`));
      await bus.subscribe('b', (event) => order.push(`b${(event.frame as { t: number }).t}`));
      const earlier = bus.publish('a', pong(1));
      const all = bus.publishAll([['b', pong(2)], ['a', pong(3)], ['nobody', pong(4)], ['b', pong(5)]]);
      const later = bus.publish('a', pong(6));
      await Promise.all([earlier, all, later]);
      const seen = async () => {
        for (let i = 0; i < 200 && order.length < 5; i++) await new Promise((resolve) => setTimeout(resolve, 5));
        return order;
      };
      expect(await seen()).toEqual(['a1', 'b2', 'a3', 'b5', 'a6']);
    });

    it('delivers the event object as published, origin included', async () => {
      const seen: BusEvent[] = [];
      await bus.subscribe('t', (event) => seen.push(event));
      const event: BusEvent = { frame: { type: 'typing', conversationId: 'c1', author: { kind: 'agent', id: 'a1', name: 'Ann' }, typing: true }, origin: 'peer-1' };
      await bus.publish('t', event);
      await vi.waitFor(() => expect(seen).toHaveLength(1));
      expect(seen[0]).toEqual(event);
    });

    it('delivers to every subscriber of the topic, and only of that topic', async () => {
      const a = collector();
      const b = collector();
      const other = collector();
      await bus.subscribe('t', a.handler);
      await bus.subscribe('t', b.handler);
      await bus.subscribe('elsewhere', other.handler);
      await bus.publish('t', pong(1));
      await bus.publish('t', pong(2));
      await bus.publish('elsewhere', pong(9));
      expect(await a.until(2)).toEqual([1, 2]);
      expect(await b.until(2)).toEqual([1, 2]);
      expect(await other.until(1)).toEqual([9]);
    });

    it('publishing to a topic nobody listens to is fine', async () => {
      await expect(bus.publish('nobody', pong(1))).resolves.toBeUndefined();
    });

    it('unsubscribe stops delivery to that handler only', async () => {
      const gone = collector();
      const stays = collector();
      const unsubscribe = await bus.subscribe('t', gone.handler);
      await bus.subscribe('t', stays.handler);
      await bus.publish('t', pong(1));
      await gone.until(1);
      await unsubscribe();
      await bus.publish('t', pong(2));
      await bus.publish('t', pong(3));
      expect(await stays.until(3)).toEqual([1, 2, 3]);
      expect(gone.received).toEqual([1]);
    });

    it('the same handler on two topics is unsubscribed per topic', async () => {
      const sub = collector();
      const offA = await bus.subscribe('a', sub.handler);
      await bus.subscribe('b', sub.handler);
      await offA();
      await bus.publish('a', pong(1));
      await bus.publish('b', pong(2));
      expect(await sub.until(1)).toEqual([2]);
      await bus.publish('b', pong(3));
      expect(await sub.until(2)).toEqual([2, 3]);
    });

    it('a throwing handler does not stop delivery to the others', async () => {
      vi.spyOn(console, 'error').mockImplementation(() => {});
      const before = collector();
      const after = collector();
      await bus.subscribe('t', before.handler);
      await bus.subscribe('t', () => {
        throw new Error('broken connection');
      });
      await bus.subscribe('t', after.handler);
      await bus.publish('t', pong(1));
      await bus.publish('t', pong(2));
      expect(await before.until(2)).toEqual([1, 2]);
      expect(await after.until(2)).toEqual([1, 2]);
    });
  });
}
