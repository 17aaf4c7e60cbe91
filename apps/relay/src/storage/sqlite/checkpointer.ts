import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

export interface CheckpointerOptions {
  /** How often the WAL is copied into the database file (default 1 s). */
  everyMs?: number;
  /** Told when a checkpoint fails (it is retried on the next round). */
  onError?: (message: string) => void;
}

/**
 * Copies the WAL into the database file from a thread of its own, so the relay's event loop never
 * does it. With SQLite's automatic checkpoint, the commit that crossed 1,000 WAL pages (every few
 * hundred messages) also wrote those pages into the database and fsynced it, on the event loop:
 * 15-20 % of the cost of a durable message, and a stall for everyone on that turn. Checkpointing
 * once a second also writes a page that many messages changed once rather than once per 1,000
 * pages (docs/performance.md).
 *
 * The store keeps a far larger automatic checkpoint as a fallback, so the WAL stays bounded even
 * if this thread stops.
 */
export function startCheckpointer(filename: string, options: CheckpointerOptions = {}) {
  const worker = new Worker(new URL('./checkpoint-worker.ts', import.meta.url), {
    workerData: { filename, everyMs: options.everyMs ?? 1000 },
  });
  // A checkpointer never keeps the process alive: the data is safe in the WAL without it.
  worker.unref();
  let exited = false;
  const listeners = new Set<(frames: number) => void>();
  worker.on('message', (message: { type: 'checkpointed'; frames: number } | { type: 'failed'; message: string }) => {
    if (message.type === 'failed') options.onError?.(message.message);
    const frames = message.type === 'failed' ? 0 : message.frames;
    for (const listener of [...listeners]) listener(frames);
  });
  worker.on('error', (error) => options.onError?.(error.message));
  worker.on('exit', () => {
    exited = true;
  });
  return {
    /** Runs a checkpoint now and resolves with the frames it copied (for tests and shutdown). */
    checkpointNow(): Promise<number> {
      if (exited) return Promise.resolve(0);
      return new Promise((resolve) => {
        const listener = (frames: number) => {
          listeners.delete(listener);
          resolve(frames);
        };
        listeners.add(listener);
        worker.postMessage('now');
      });
    },
    /** Runs a last checkpoint and ends the thread. */
    async stop(): Promise<void> {
      if (exited) return;
      const exit = once(worker, 'exit');
      worker.postMessage('stop');
      await exit;
    },
  };
}
