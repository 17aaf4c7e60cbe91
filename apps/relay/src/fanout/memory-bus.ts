import type { Bus, BusEvent } from '../core/bus.ts';

type Handler = (event: BusEvent) => void;

interface Topic {
  handlers: Set<Handler>;
  /**
   * The handlers as a list, made on the first publish after a change and then reused: a handler
   * may subscribe or unsubscribe while an event is delivered, and that delivery goes on over the
   * list it started with. A conversation's topics change rarely and hear three events a message;
   * copying the set for each was garbage on the hot path. A topic that thousands of visitors
   * join (availability) hears little, so its subscribes stay O(1) and its rare publish pays.
   */
  list: readonly Handler[] | null;
}

/**
 * The in-process default bus: one relay process, delivery by direct call. Events reach
 * subscribers synchronously and in publish order, which is the order the store committed them.
 */
export function createMemoryBus(): Bus {
  const topics = new Map<string, Topic>();
  // Delivery is done when publish returns; one settled promise serves every call (no promise per message).
  const delivered = Promise.resolve();
  const deliver = (name: string, event: BusEvent) => {
    const topic = topics.get(name);
    if (!topic) return;
    const handlers = (topic.list ??= [...topic.handlers]);
    for (const handler of handlers) {
      try {
        handler(event);
      } catch (error) {
        // One broken connection must not stop delivery to the others.
        console.error('bus handler failed', error);
      }
    }
  };
  return {
    publish(name, event) {
      deliver(name, event);
      return delivered;
    },
    publishAll(events) {
      // Indexed: destructuring each pair through the iterator allocated on every message.
      for (let i = 0; i < events.length; i++) deliver(events[i]![0], events[i]![1]);
      return delivered;
    },
    async subscribe(name, handler) {
      let topic = topics.get(name);
      if (!topic) topics.set(name, (topic = { handlers: new Set(), list: null }));
      topic.handlers.add(handler);
      topic.list = null;
      const joined = topic;
      return async () => {
        if (!joined.handlers.delete(handler)) return;
        joined.list = null;
        if (joined.handlers.size === 0 && topics.get(name) === joined) topics.delete(name);
      };
    },
    async close() {
      topics.clear();
    },
  };
}
