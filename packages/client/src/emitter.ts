export type Listener<T> = (value: T) => void;

export interface Emitter<Events> {
  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void;
  emit<K extends keyof Events>(event: K, value: Events[K]): void;
}

/**
 * A listener's exception is not the client's: it must neither stop the other listeners nor
 * abort the frame being handled (which would leave an ack half-applied). Rethrowing it in a
 * microtask is what the platform's own EventTarget does: the bug still surfaces (the browser
 * console, Node's `uncaughtException`, a failing vitest run) instead of vanishing.
 */
function rethrowLater(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}

/** A minimal typed event emitter; `report` receives whatever a listener throws. */
export function createEmitter<Events>(report: (error: unknown) => void = rethrowLater): Emitter<Events> {
  const listeners: { [K in keyof Events]?: Set<Listener<Events[K]>> } = {};
  return {
    on(event, listener) {
      const set = (listeners[event] ??= new Set());
      // A wrapper per subscription: subscribing one function twice takes two unsubscribes, as expected.
      const entry: Listener<Events[typeof event]> = (value) => listener(value);
      set.add(entry);
      return () => {
        set.delete(entry);
      };
    },
    emit(event, value) {
      const set = listeners[event];
      if (!set) return;
      // Copy: a listener may unsubscribe (itself or another) while we iterate.
      for (const listener of [...set]) {
        try {
          listener(value);
        } catch (error) {
          report(error);
        }
      }
    },
  };
}
