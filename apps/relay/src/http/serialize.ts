import type { ServerFrame } from '@parley/protocol';

const cache = new WeakMap<ServerFrame, string>();

/**
 * JSON text of a frame, computed once per frame object. The bus hands the same frame object to
 * every subscriber (a message reaches the agents' sockets and the visitor's tabs), and
 * stringifying it again for each socket was a tenth of the relay's CPU under load.
 * Frames are never mutated after they are published, which is what makes the cache safe.
 */
export function serialize(frame: ServerFrame): string {
  let text = cache.get(frame);
  if (text === undefined) {
    text = JSON.stringify(frame);
    cache.set(frame, text);
  }
  return text;
}
