import type { WebSocket } from 'ws';

/**
 * One timer for every socket of the relay instead of one each: at tens of thousands of
 * connections a timer per socket costs memory and wakes the event loop needlessly. Every
 * `intervalMs` each socket that has not answered the previous ping is dropped (a half-open
 * socket — a phone that lost its network — never says goodbye), and the others are pinged:
 * a dead peer is gone within two intervals.
 */
export function createHeartbeat(intervalMs: number) {
  const alive = new Map<WebSocket, boolean>();
  let timer: NodeJS.Timeout | undefined;

  const beat = () => {
    for (const [socket, answered] of alive) {
      if (!answered) {
        alive.delete(socket);
        socket.terminate();
        continue;
      }
      alive.set(socket, false);
      socket.ping();
    }
  };

  // One listener for every socket (`this` is the socket), not a closure per socket.
  function onPong(this: WebSocket) {
    if (alive.has(this)) alive.set(this, true);
  }

  return {
    watch(socket: WebSocket) {
      alive.set(socket, true);
      socket.on('pong', onPong);
      if (!timer) {
        timer = setInterval(beat, intervalMs);
        timer.unref();
      }
    },
    forget(socket: WebSocket) {
      alive.delete(socket);
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
      alive.clear();
    },
  };
}
