import type { Bus, BusEvent } from '../core/bus.ts';

/**
 * The in-process default bus: one relay process, delivery by direct call. Events reach
 * subscribers synchronously and in publish order, which is the order the store committed them.
 */
export function createMemoryBus(): Bus {
  const subscribers = new Map<string, Set<(event: BusEvent) => void>>();
  // Delivery is done when publish returns; one settled promise serves every call (three a message).
  const delivered = Promise.resolve();
  return {
    publish(topic, event) {
      const handlers = subscribers.get(topic);
      if (!handlers) return delivered;
      // Copy: a handler may unsubscribe (or subscribe) while we iterate.
      for (const handler of [...handlers]) {
        try {
          handler(event);
        } catch (error) {
          // One broken connection must not stop delivery to the others.
          console.error('bus handler failed', error);
        }
      }
      return delivered;
    },
    async subscribe(topic, handler) {
      let handlers = subscribers.get(topic);
      if (!handlers) subscribers.set(topic, (handlers = new Set()));
      handlers.add(handler);
      return async () => {
        handlers.delete(handler);
        if (handlers.size === 0 && subscribers.get(topic) === handlers) subscribers.delete(topic);
      };
    },
    async close() {
      subscribers.clear();
    },
  };
}
