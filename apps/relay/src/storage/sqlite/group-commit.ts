/**
 * Runs queued writes in one transaction per event-loop turn and settles each caller only after
 * that transaction commits. With `synchronous=FULL` every commit costs an fsync; grouping the
 * writes that arrive together makes full durability nearly as cheap as `NORMAL`, and the ack
 * still follows the commit. A write that throws is rolled back to its own savepoint and fails
 * alone; the others in the batch commit.
 *
 * Under load, one turn holds few writes, so commits are also spaced at least `minIntervalMs`
 * apart: writes arriving meanwhile join the next batch. A lone write on an idle relay commits on
 * the next turn as before; a busy one trades up to that interval of latency for an fsync per
 * batch instead of one per message.
 */
export function createGroupCommit(
  runBatch: (work: () => void) => void,
  options: { maxBatch?: number; minIntervalMs?: number } = {},
) {
  const maxBatch = options.maxBatch ?? 1000;
  const minIntervalMs = options.minIntervalMs ?? 0;
  let lastCommit = -Infinity;
  type Job = { write: () => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void };
  let queue: Job[] = [];
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    // A timer may fire after flushNow() emptied the queue (on close): nothing to commit then.
    if (queue.length === 0) return;
    lastCommit = performance.now();
    const jobs = queue.splice(0, maxBatch);
    if (queue.length > 0) schedule();
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      runBatch(() => {
        for (const job of jobs) {
          try {
            outcomes.push({ ok: true, value: job.write() });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      // The commit itself failed (disk full, I/O error): nothing of the batch is durable.
      for (const job of jobs) job.reject(error);
      return;
    }
    jobs.forEach((job, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  };

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    const wait = lastCommit + minIntervalMs - performance.now();
    if (wait > 0) setTimeout(flush, wait);
    else setImmediate(flush);
  };

  return {
    /** `write` runs inside the batch's transaction (wrap it in a savepoint if it can fail halfway). */
    enqueue<T>(write: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ write, resolve: resolve as (value: unknown) => void, reject });
        schedule();
      });
    },
    /** Commits whatever is queued now (used on shutdown). */
    flushNow() {
      while (queue.length > 0) flush();
    },
  };
}
