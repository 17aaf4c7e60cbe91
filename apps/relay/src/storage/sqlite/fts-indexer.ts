import type Database from 'better-sqlite3';
import { preparer } from './prepare.ts';

/**
 * Indexes new messages for full-text search in batches, off the write path. Search calls
 * `catchUp()` first, so results are never behind; between searches, a timer keeps the backlog
 * small. One FTS5 segment per batch instead of one per commit keeps both the commits of the
 * chat path and the index's merges cheap.
 *
 * A step is small and frequent (1,000 rows every 100 ms: 1–2 ms of work) rather than large and
 * rare: at 10,000 messages a second, 5,000 rows once a second stalled the event loop ~10 ms every
 * second, which is the p99 of the chat path, and could not keep up. While a backlog is left (a
 * step indexed a whole batch), the next step comes sooner, so the index catches up after a burst
 * without one long stall.
 */
export function createFtsIndexer(
  db: Database.Database,
  options: { everyMs?: number; behindMs?: number; batch?: number } = {},
) {
  const batch = options.batch ?? 1000;
  const everyMs = options.everyMs ?? 100;
  const behindMs = options.behindMs ?? 10;
  const prepare = preparer(db);
  const last = prepare('SELECT last_rowid FROM fts_state').pluck();
  const index = prepare(
    'INSERT INTO message_fts(rowid, body) SELECT rowid, body FROM message WHERE rowid > ? ORDER BY rowid LIMIT ?',
  );
  const pending = prepare('SELECT MAX(rowid), COUNT(*) FROM (SELECT rowid FROM message WHERE rowid > ? ORDER BY rowid LIMIT ?)').raw();
  const advance = prepare('UPDATE fts_state SET last_rowid = ?');

  /** Indexes up to `batch` rows; true when it indexed a whole batch (more may be waiting). */
  const step = db.transaction((): boolean => {
    const from = last.get() as number;
    const [to, count] = pending.get(from, batch) as [number | null, number];
    if (to === null) return false;
    index.run(from, batch);
    advance.run(to);
    return count >= batch;
  });

  const catchUp = () => {
    while (step()) {
      // until nothing is left
    }
  };

  let timer: NodeJS.Timeout | null = null;
  const schedule = (ms: number) => {
    timer = setTimeout(() => {
      let behind = false;
      try {
        behind = step();
      } catch {
        // The database may be closing; the next search catches up anyway.
      }
      if (timer !== null) schedule(behind ? behindMs : everyMs);
    }, ms);
    timer.unref();
  };
  schedule(everyMs);

  return {
    catchUp,
    stop() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
