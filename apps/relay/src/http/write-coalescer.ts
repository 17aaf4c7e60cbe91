import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

/**
 * Holds a socket's writes until the current turn of the event loop has run, then flushes them
 * together: one `writev` system call for everything a socket was sent in that turn. A group
 * commit settles hundreds of messages in one turn, and an agent's socket receives two frames for
 * each; written one by one, those system calls were a fifth of the relay's sampled busy time
 * under load (docs/performance.md).
 *
 * The flush runs on process.nextTick, which Node runs after the promise jobs queued in the same
 * turn: every frame sent from the continuations of one commit goes out in one write.
 */
export function createWriteCoalescer() {
  const held = new Set<Duplex>();
  const flush = () => {
    for (const socket of held) socket.uncork();
    held.clear();
  };
  return {
    /** Call before `ws.send`: the socket is corked until the end of this turn. */
    hold(ws: WebSocket) {
      // `_socket` is the ws library's own handle on the TCP socket; ws has no public cork.
      const socket = (ws as unknown as { _socket?: Duplex })._socket;
      if (!socket || held.has(socket)) return;
      if (held.size === 0) process.nextTick(flush);
      held.add(socket);
      socket.cork();
    },
  };
}
