import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { bindAsValues, preparer } from './prepare.ts';

describe('bindAsValues', () => {
  it('writes positional and named parameters as values', () => {
    expect(bindAsValues('SELECT * FROM t WHERE a = ? AND b > ? LIMIT ?')).toBe('SELECT * FROM t WHERE a = +? AND b > +? LIMIT +?');
    expect(bindAsValues('UPDATE t SET a = @a WHERE id = @id')).toBe('UPDATE t SET a = +@a WHERE id = +@id');
    expect(bindAsValues('INSERT INTO t VALUES (?, ?)')).toBe('INSERT INTO t VALUES (+?, +?)');
  });

  it('leaves quoted text, quoted names and already-written values alone', () => {
    expect(bindAsValues("SELECT '?', \"a?\", [b@c], `d?` FROM t WHERE x = '@y' AND z = +?")).toBe(
      "SELECT '?', \"a?\", [b@c], `d?` FROM t WHERE x = '@y' AND z = +?",
    );
    expect(bindAsValues("SELECT 'it''s ?' WHERE a = ?")).toBe("SELECT 'it''s ?' WHERE a = +?");
  });
});

describe('preparer', () => {
  let db: Database.Database | undefined;
  afterEach(() => db?.close());

  it('keeps the plan, the index and the results of joins, orderings, limits and named parameters', () => {
    db = new Database(':memory:');
    db.exec(`
      CREATE TABLE c (id TEXT PRIMARY KEY, contact TEXT NOT NULL, created_at INTEGER NOT NULL);
      CREATE INDEX c_by_contact ON c(contact, created_at);
      CREATE TABLE m (id TEXT PRIMARY KEY, c_id TEXT NOT NULL, seq INTEGER NOT NULL, UNIQUE (c_id, seq));
    `);
    const prepare = preparer(db);
    for (let i = 0; i < 20; i++) prepare('INSERT INTO c VALUES (?, ?, ?)').run(`c${i}`, `k${i % 4}`, i);
    for (let i = 0; i < 40; i++) prepare('INSERT INTO m VALUES (@id, @c, @seq)').run({ id: `m${i}`, c: `c${i % 20}`, seq: i });

    const latest = 'SELECT id FROM c WHERE contact = ? ORDER BY created_at DESC LIMIT 1';
    expect(prepare(latest).pluck().get('k1')).toBe('c17');
    const after = 'SELECT m.id FROM m JOIN c ON c.id = m.c_id WHERE c.contact = ? AND m.seq > ? ORDER BY m.seq LIMIT ?';
    expect(prepare(after).pluck().all('k2', 10, 2)).toEqual(['m14', 'm18']);
    expect(prepare(after).pluck().all('k2', 10, 10)).toEqual(db.prepare(after).pluck().all('k2', 10, 10));

    const plan = (sql: string, ...params: unknown[]) =>
      (db!.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail);
    expect(plan(bindAsValues(after), 'k', 1, 1)).toEqual(plan(after, 'k', 1, 1));
    expect(plan(bindAsValues(latest), 'k')).toEqual(plan(latest, 'k'));
    expect(plan(bindAsValues(latest), 'k').join(' ')).toMatch(/USING INDEX c_by_contact/);
  });
});
