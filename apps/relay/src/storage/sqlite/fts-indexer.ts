import type Database from 'better-sqlite3';
import { preparer } from './prepare.ts';

/**
 * Indexes new messages for full-text search in batches, off the write path. Search calls
 * `catchUp()` first, so results are never behind; between searches, a timer keeps the backlog
 * small. One FTS5 segment per batch instead of one per commit keeps both the commits of the
 * chat path and the index's merges cheap.
 */
export function createFtsIndexer(db: Database.Database, options: { everyMs?: number; batch?: number } = {}) {
  const batch = options.batch ?? 5000;
  const prepare = preparer(db);
  const last = prepare('SELECT last_rowid FROM fts_state').pluck();
  const index = prepare(
    'INSERT INTO message_fts(rowid, body) SELECT rowid, body FROM message WHERE rowid > ? ORDER BY rowid LIMIT ?',
  );
  const maxIndexed = prepare('SELECT MAX(rowid) FROM (SELECT rowid FROM message WHERE rowid > ? ORDER BY rowid LIMIT ?)').pluck();
  const advance = prepare('UPDATE fts_state SET last_rowid = ?');

  const step = db.transaction((): boolean => {
    const from = last.get() as number;
    const to = maxIndexed.get(from, batch) as number | null;
    if (to === null) return false;
    index.run(from, batch);
    advance.run(to);
    return true;
  });

  const catchUp = () => {
    while (step()) {
      // until nothing is left
    }
  };

  const timer = setInterval(() => {
    try {
      step();
    } catch {
      // The database may be closing; the next search catches up anyway.
    }
  }, options.everyMs ?? 1000);
  timer.unref();

  return {
    catchUp,
    stop() {
      clearInterval(timer);
    },
  };
}
