/** Something with writes held back until the end of the turn. */
export interface Held {
  flush(): void;
}

/**
 * Holds writes until the current turn of the event loop has run, then flushes them together: a
 * group commit settles hundreds of messages in one turn, and an agent's socket receives two
 * frames for each; written one by one, those system calls were a fifth of the relay's sampled
 * busy time under load (docs/performance.md). Each socket flushes once per turn, in one write.
 *
 * The flush runs on process.nextTick, which Node runs after the promise jobs queued in the same
 * turn: every frame sent from the continuations of one commit goes out in one write.
 */
export function createWriteCoalescer() {
  let held: Held[] = [];
  const flush = () => {
    const due = held;
    held = [];
    for (const item of due) item.flush();
  };
  return {
    /** Call once per turn per item, when it first has something to write. */
    hold(item: Held) {
      if (held.length === 0) process.nextTick(flush);
      held.push(item);
    },
  };
}
