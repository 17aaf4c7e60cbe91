import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Loaded into a relay child with `NODE_OPTIONS=--import <this file>`: on SIGUSR2 the process runs
 * a full garbage collection and prints one line `[heap] {"heapUsed":…,"external":…,"rss":…}`.
 * RSS alone cannot tell a leak from a heap V8 has not bothered to shrink yet; the live heap after
 * a full collection can. Nothing else of the relay changes.
 */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

process.on('SIGUSR2', () => {
  gc();
  const { heapUsed, external, arrayBuffers, rss } = process.memoryUsage();
  console.log(`[heap] ${JSON.stringify({ heapUsed, external, arrayBuffers, rss })}`);
});
