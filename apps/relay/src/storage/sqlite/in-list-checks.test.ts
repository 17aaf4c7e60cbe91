import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { databaseAtVersion } from '../../testing/database-at-version.ts';
import { tempDir } from '../../testing/temp-dir.ts';
import { equalitiesText, IN_LIST_CHECKS, inListText, rewriteInListChecks } from './in-list-checks.ts';
import { MIGRATIONS } from './migrations.ts';
import { createSqliteStore } from './sqlite-store.ts';

const dir = tempDir('parley-checks-');
afterAll(() => dir.remove());
let files = 0;
const nextFile = () => dir.file(`checks-${++files}.db`);

const open: Array<{ close(): unknown }> = [];
afterEach(() => {
  for (const handle of open.splice(0).reverse()) handle.close();
});
const track = <T extends { close(): unknown }>(handle: T): T => {
  open.push(handle);
  return handle;
};

/** Whether SQLite builds a temporary B-tree when it runs this statement (what an IN list in a CHECK costs). */
const buildsTemporaryTree = (db: Database.Database, sql: string, ...params: unknown[]) =>
  (db.prepare(`EXPLAIN ${sql}`).all(...params) as Array<{ opcode: string }>).some((op) => op.opcode === 'OpenEphemeral');

// The statements a message runs (sqlite-store.ts, insertMessage and updateAfterMessage), as far as the checks go.
const INSERT_MESSAGE =
  "INSERT INTO message (id, conversation_id, seq, client_id, kind, author_kind, body, created_at) VALUES ('m', 'c1', 9, 'x', 'text', ?, 'hi', 1)";
const UPDATE_CONVERSATION = "UPDATE conversation SET status = ?, last_seq = last_seq + 1 WHERE id = 'c1'";

function tableSql(db: Database.Database, table: string): string {
  return db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?").pluck().get(table) as string;
}

/** A database as version 6 of the schema left it, with a conversation and a message in it. */
function versionSixFile(): string {
  const filename = nextFile();
  const old = databaseAtVersion(filename, 6);
  old.exec(`
    INSERT INTO workspace (id, name, created_at) VALUES ('w1', 'Acme', 1);
    INSERT INTO site (id, workspace_id, key, name, allowed_origins, appearance, created_at) VALUES ('s1', 'w1', 'site_old', 'Acme', '["*"]', '{}', 1);
    INSERT INTO contact (id, workspace_id, site_id, created_at, last_seen_at) VALUES ('k1', 'w1', 's1', 1, 1);
    INSERT INTO conversation (id, workspace_id, site_id, contact_id, status, priority, last_seq, created_at, updated_at)
      VALUES ('c1', 'w1', 's1', 'k1', 'pending', 'high', 1, 1, 3);
    INSERT INTO message (id, conversation_id, seq, client_id, kind, author_kind, body, created_at)
      VALUES ('m1', 'c1', 1, 'client-a', 'text', 'visitor', 'where is my parcel', 1);`);
  expect(buildsTemporaryTree(old, INSERT_MESSAGE, 'agent')).toBe(true);
  old.close();
  return filename;
}

describe('CHECK constraints without IN lists (migration 7)', () => {
  it('a message on a new database builds no temporary B-tree for its checks', () => {
    const store = track(createSqliteStore({ filename: nextFile() }));
    expect(buildsTemporaryTree(store.db, INSERT_MESSAGE, 'agent')).toBe(false);
    expect(buildsTemporaryTree(store.db, UPDATE_CONVERSATION, 'open')).toBe(false);
    for (const { table, column, values } of IN_LIST_CHECKS) {
      expect(tableSql(store.db, table)).toContain(equalitiesText(column, values));
      expect(tableSql(store.db, table)).not.toContain(inListText(column, values));
    }
  });

  it('upgrades a version 6 database in place: rows kept, the same values accepted and refused', () => {
    const filename = versionSixFile();
    const upgrades: unknown[] = [];
    const store = track(createSqliteStore({ filename, onUpgrade: (...args) => upgrades.push(args) }));
    expect(upgrades).toEqual([[6, MIGRATIONS.length]]);
    const db = store.db;
    expect(db.prepare("SELECT status, priority FROM conversation WHERE id = 'c1'").get()).toEqual({ status: 'pending', priority: 'high' });
    expect(db.prepare("SELECT body, author_kind FROM message WHERE id = 'm1'").get()).toEqual({ body: 'where is my parcel', author_kind: 'visitor' });
    // Statements prepared by this connection after the upgrade use the new checks…
    expect(buildsTemporaryTree(db, INSERT_MESSAGE, 'agent')).toBe(false);
    expect(buildsTemporaryTree(db, UPDATE_CONVERSATION, 'open')).toBe(false);
    // …and so does any other connection.
    const other = track(new Database(filename));
    expect(buildsTemporaryTree(other, INSERT_MESSAGE, 'agent')).toBe(false);

    // Every listed value is still accepted, and anything else refused, as before.
    for (const { table, column, values } of IN_LIST_CHECKS) {
      const set = db.prepare(`UPDATE ${table} SET ${column} = ? WHERE rowid = (SELECT MIN(rowid) FROM ${table})`);
      for (const value of values) expect(set.run(value).changes).toBe(1);
      expect(() => set.run('bogus')).toThrow(/CHECK constraint failed/);
      expect(() => set.run(values[0]!.toUpperCase())).toThrow(/CHECK constraint failed/);
    }
    expect(() => db.prepare(INSERT_MESSAGE).run(null)).toThrow(/NOT NULL/);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });

  it('throws and changes nothing when a constraint is not where it was expected, and leaves the schema locked again', () => {
    const store = track(createSqliteStore({ filename: nextFile() }));
    const db = store.db;
    const before = db.prepare('SELECT name, sql FROM sqlite_schema ORDER BY name').all();
    // Already rewritten: the IN lists it looks for are gone.
    expect(() => db.transaction(() => rewriteInListChecks(db))()).toThrow(/expected "status IN \('open'/);
    expect(db.prepare('SELECT name, sql FROM sqlite_schema ORDER BY name').all()).toEqual(before);
    expect(db.pragma('writable_schema', { simple: true })).toBe(0);
    // Defensive mode is back: the schema table cannot be written by a statement.
    expect(() => db.prepare("UPDATE sqlite_schema SET sql = sql WHERE name = 'message'").run()).toThrow(/may not be modified/);
  });
});
