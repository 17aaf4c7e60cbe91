import { describe, expect, it } from 'vitest';
import { createGroupCommit } from './group-commit.ts';

/** A fake transaction runner that records what ran in which batch, and whether it committed. */
function fakeDatabase(options: { failCommit?: boolean } = {}) {
  const batches: string[][] = [];
  let current: string[] | null = null;
  const committed: string[] = [];
  const runBatch = (work: () => void) => {
    current = [];
    batches.push(current);
    work();
    const done = current;
    current = null;
    if (options.failCommit) throw new Error('disk I/O error');
    committed.push(...done);
  };
  const write = (name: string) => () => {
    if (!current) throw new Error(`${name} ran outside a batch`);
    current.push(name);
    return name;
  };
  return { batches, committed, runBatch, write };
}

describe('group commit', () => {
  it('runs the writes of one event-loop turn in one batch and settles them after it commits', async () => {
    const db = fakeDatabase();
    const commit = createGroupCommit(db.runBatch);
    const settledBeforeCommit: string[] = [];
    const promises = ['a', 'b', 'c'].map((name) =>
      commit.enqueue(db.write(name)).then((value) => {
        if (!db.committed.includes(name)) settledBeforeCommit.push(name);
        return value;
      }),
    );
    expect(db.batches).toEqual([]); // nothing runs synchronously
    expect(await Promise.all(promises)).toEqual(['a', 'b', 'c']);
    expect(db.batches).toEqual([['a', 'b', 'c']]);
    expect(settledBeforeCommit).toEqual([]);

    await commit.enqueue(db.write('d'));
    expect(db.batches).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('a throwing write fails alone; the rest of its batch commits', async () => {
    const db = fakeDatabase();
    const commit = createGroupCommit(db.runBatch);
    const failure = new Error('constraint');
    const results = await Promise.allSettled([
      commit.enqueue(db.write('a')),
      commit.enqueue(() => {
        throw failure;
      }),
      commit.enqueue(db.write('c')),
    ]);
    expect(results).toEqual([
      { status: 'fulfilled', value: 'a' },
      { status: 'rejected', reason: failure },
      { status: 'fulfilled', value: 'c' },
    ]);
    expect(db.committed).toEqual(['a', 'c']);
  });

  it('an optimistic write that fails after writing rolls the batch back; it runs again with that write guarded', async () => {
    const db = fakeDatabase();
    const commit = createGroupCommit(db.runBatch);
    const failure = new Error('disk I/O error half-way');
    const halfWritten = () => {
      db.write('b: half')();
      throw failure;
    };
    // In a savepoint, the same failure leaves nothing behind.
    const guarded = () => {
      throw failure;
    };
    const results = await Promise.allSettled([
      commit.enqueue(db.write('a')),
      commit.enqueueOptimistic(halfWritten, guarded, () => false),
      commit.enqueueOptimistic(db.write('c'), db.write('c, guarded'), () => false),
    ]);
    expect(results).toEqual([
      { status: 'fulfilled', value: 'a' },
      { status: 'rejected', reason: failure },
      { status: 'fulfilled', value: 'c, guarded' },
    ]);
    expect(db.batches).toEqual([['a', 'b: half'], ['a', 'c, guarded']]);
    expect(db.committed).toEqual(['a', 'c, guarded']);
  });

  it('an optimistic write that fails before writing fails alone, without running the batch again', async () => {
    const db = fakeDatabase();
    const commit = createGroupCommit(db.runBatch);
    const refused = new Error('not found');
    const results = await Promise.allSettled([
      commit.enqueueOptimistic(db.write('a'), db.write('a, guarded'), () => true),
      commit.enqueueOptimistic(() => {
        throw refused;
      }, db.write('b, guarded'), (error) => error === refused),
      commit.enqueueOptimistic(db.write('c'), db.write('c, guarded'), () => true),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(db.batches).toEqual([['a', 'c']]);
    expect(db.committed).toEqual(['a', 'c']);
  });

  it('when the commit itself fails, every write of the batch is rejected', async () => {
    const db = fakeDatabase({ failCommit: true });
    const commit = createGroupCommit(db.runBatch);
    const results = await Promise.allSettled([commit.enqueue(db.write('a')), commit.enqueue(db.write('b'))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : ''))).toEqual(['disk I/O error', 'disk I/O error']);
    expect(db.committed).toEqual([]);
  });

  it('splits a long queue into batches of at most maxBatch, in order', async () => {
    const db = fakeDatabase();
    const commit = createGroupCommit(db.runBatch, { maxBatch: 2 });
    const names = ['a', 'b', 'c', 'd', 'e'];
    expect(await Promise.all(names.map((n) => commit.enqueue(db.write(n))))).toEqual(names);
    expect(db.batches).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('flushNow commits whatever is queued, synchronously', async () => {
    const db = fakeDatabase();
    const commit = createGroupCommit(db.runBatch, { maxBatch: 2 });
    const pending = ['a', 'b', 'c'].map((n) => commit.enqueue(db.write(n)));
    commit.flushNow();
    expect(db.committed).toEqual(['a', 'b', 'c']);
    expect(await Promise.all(pending)).toEqual(['a', 'b', 'c']);
    // The flushes scheduled for the turn find nothing left to write: nothing runs twice.
    await new Promise((resolve) => setImmediate(resolve));
    expect(db.batches.filter((batch) => batch.length > 0)).toEqual([['a', 'b'], ['c']]);
  });
});
