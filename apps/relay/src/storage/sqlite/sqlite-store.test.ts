import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../core/store.ts';
import { tempDir } from '../../testing/temp-dir.ts';
import { describeStoreContract } from '../store.contract.ts';
import { databaseAtVersion } from '../../testing/database-at-version.ts';
import { MIGRATIONS } from './migrations.ts';
import { createSqliteStore } from './sqlite-store.ts';

const dir = tempDir('parley-sqlite-');
afterAll(() => dir.remove());

let files = 0;
const nextFile = () => dir.file(`store-${++files}.db`);

describeStoreContract('SQLite', async () => createSqliteStore({ filename: nextFile() }));

describe('SQLite store', () => {
  let filename: string;
  const open: Array<{ close(): unknown }> = [];
  const track = <T extends { close(): unknown }>(handle: T): T => {
    open.push(handle);
    return handle;
  };

  beforeEach(() => {
    filename = nextFile();
  });
  afterEach(async () => {
    for (const handle of open.splice(0).reverse()) {
      try {
        await handle.close();
      } catch {
        // Already closed by the test.
      }
    }
  });

  /** A second, independent connection: sees only what is committed. */
  const peek = () => track(new Database(filename, { readonly: true, fileMustExist: true }));

  async function seedConversation(store: Store) {
    const workspace = await store.createWorkspace({ name: 'Acme', now: 1 });
    const site = await store.createSite({
      workspaceId: workspace.id, key: 'site_acme', name: 'Acme', allowedOrigins: ['*'],
      appearance: { name: 'S', greeting: 'G', color: '#000000', position: 'right', launcherLabel: 'L', replyTime: 'R' }, now: 1,
    });
    const contact = await store.createContact({ siteId: site.id, workspaceId: workspace.id, tokenHash: 'tok', now: 1 });
    /** Without a conversation id the visitor's current one is looked up; with one, it is named as the widget does. */
    const say = (text: string, clientId: string, conversationId?: string) =>
      store.appendMessage({
        workspaceId: workspace.id, siteId: site.id, contactId: contact.id, conversationId, clientId,
        kind: 'text', author: { kind: 'visitor', id: contact.id, name: null }, text, now: 2,
      });
    return { workspace, site, contact, say };
  }

  it('migrates a new file to schema_version = number of migrations, in one version row', () => {
    const upgrades: unknown[] = [];
    const store = track(createSqliteStore({ filename, onUpgrade: (...args) => upgrades.push(args) }));
    expect(upgrades).toEqual([]);
    expect(store.db.prepare('SELECT version FROM schema_version').all()).toEqual([{ version: MIGRATIONS.length }]);
    const tables = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['workspace', 'site', 'agent', 'agent_session', 'contact', 'conversation', 'message']),
    );
  });

  it('re-opening a migrated file does not run the migrations again', async () => {
    const first = createSqliteStore({ filename });
    await first.createWorkspace({ name: 'Kept', now: 1 });
    await first.close();
    // Re-running migration 1 would fail on CREATE TABLE of an existing table.
    const second = track(createSqliteStore({ filename }));
    expect(second.db.prepare('SELECT version FROM schema_version').all()).toEqual([{ version: MIGRATIONS.length }]);
    expect(await second.isEmpty()).toBe(false);
  });

  it('migration 6 rebuilds the message table: rows, rowids, search, resends and the delete trigger carried over', async () => {
    // A database as the previous version left it (migrations 1-5), with messages stored and indexed for search.
    const old = databaseAtVersion(filename, 5);
    old.exec(`
      INSERT INTO workspace (id, name, created_at) VALUES ('w1', 'Acme', 1);
      INSERT INTO site (id, workspace_id, key, name, allowed_origins, appearance, created_at) VALUES ('s1', 'w1', 'site_old', 'Acme', '["*"]', '{}', 1);
      INSERT INTO contact (id, workspace_id, site_id, created_at, last_seen_at) VALUES ('k1', 'w1', 's1', 1, 1);
      INSERT INTO conversation (id, workspace_id, site_id, contact_id, last_seq, created_at, updated_at) VALUES ('c1', 'w1', 's1', 'k1', 3, 1, 3);
      -- Rowids with gaps, as deletions leave them: the search index refers to these numbers.
      INSERT INTO message (rowid, id, conversation_id, seq, client_id, kind, author_kind, author_id, body, created_at) VALUES
        (10, 'm1', 'c1', 1, 'client-a', 'text', 'visitor', 'k1', 'the parcel went to Lisbon', 1),
        (20, 'm2', 'c1', 2, 'client-b', 'note', 'agent', 'a1', 'check the courier', 2),
        (35, 'm3', 'c1', 3, 'client-c', 'text', 'visitor', 'k1', 'still waiting in Porto', 3);
      INSERT INTO message_fts (rowid, body) SELECT rowid, body FROM message;
      UPDATE fts_state SET last_rowid = (SELECT MAX(rowid) FROM message);`);
    const before = old.prepare('SELECT rowid, * FROM message ORDER BY rowid').all();
    old.close();

    const upgrades: Array<[number, number]> = [];
    const store = track(createSqliteStore({ filename, onUpgrade: (from, to) => upgrades.push([from, to]) }));
    // Said before the work, once; a new file is not an upgrade (see the first test of this file).
    expect(upgrades).toEqual([[5, MIGRATIONS.length]]);
    expect(store.db.prepare('SELECT version FROM schema_version').pluck().get()).toBe(MIGRATIONS.length);
    expect(store.db.prepare('SELECT rowid, * FROM message ORDER BY rowid').all()).toEqual(before);
    expect((await store.search('w1', 'lisbon', 10)).map((hit) => hit.messageId)).toEqual(['m1']);
    // The unique index now starts with the client id; the old one is gone with the old table.
    const indexes = store.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'message'").all() as Array<{ name: string; sql: string | null }>;
    expect(indexes.find((index) => index.name === 'message_by_client_id')?.sql).toMatch(/\(client_id, conversation_id\)/);
    expect(store.db.prepare("SELECT name FROM pragma_index_info('message_by_client_id')").pluck().all()).toEqual(['client_id', 'conversation_id']);
    expect(indexes.filter((index) => index.sql === null)).toHaveLength(2); // the primary key and (conversation_id, seq)

    const append = (clientId: string, text: string) =>
      store.appendMessage({
        workspaceId: 'w1', siteId: 's1', contactId: 'k1', conversationId: 'c1', clientId, kind: 'text',
        author: { kind: 'visitor', id: 'k1', name: null }, text, now: 10,
      });
    // A resend of a message stored before the upgrade is still recognised.
    expect(await append('client-c', 'still waiting in Porto')).toMatchObject({ duplicate: true, message: { id: 'm3', seq: 3 } });
    const fresh = await append('client-d', 'arrived in Lisbon at last');
    expect(fresh).toMatchObject({ duplicate: false, message: { seq: 4 } });
    expect((await store.search('w1', 'lisbon', 10)).map((hit) => hit.messageId).sort()).toEqual(['m1', fresh.message.id].sort());
    // The search index still forgets a deleted message (the trigger was recreated on the new table).
    store.db.prepare("DELETE FROM message WHERE id = 'm1'").run();
    expect(store.db.prepare("SELECT COUNT(*) FROM message_fts WHERE message_fts MATCH 'parcel'").pluck().get()).toBe(0);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(store.db.pragma('foreign_key_check')).toEqual([]);
  });

  it('refuses a database whose schema is newer than this code', async () => {
    const first = createSqliteStore({ filename });
    first.db.prepare('UPDATE schema_version SET version = ?').run(MIGRATIONS.length + 1);
    await first.close();
    expect(() => track(createSqliteStore({ filename }))).toThrow(/newer than this Parley/);
  });

  it('runs in WAL mode with synchronous FULL by default, NORMAL when asked', () => {
    const store = track(createSqliteStore({ filename }));
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    const relaxed = track(createSqliteStore({ filename: nextFile(), synchronous: 'NORMAL' }));
    expect(relaxed.db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
  });

  it('an append settles only after its row is committed', async () => {
    const store = track(createSqliteStore({ filename }));
    const { say } = await seedConversation(store);
    const reader = peek();
    const count = () => (reader.prepare('SELECT count(*) AS n FROM message').get() as { n: number }).n;
    const pending = say('hello', 'c_1');
    // Queued for the batch of this event-loop turn: nothing committed yet.
    expect(count()).toBe(0);
    const { message } = await pending;
    expect(reader.prepare('SELECT body, seq FROM message WHERE id = ?').get(message.id)).toEqual({ body: 'hello', seq: 1 });
  });

  it('data survives close and reopen', async () => {
    const store = createSqliteStore({ filename });
    const { contact, say } = await seedConversation(store);
    const { message } = await say('persisted', 'c_1');
    await say('also persisted', 'c_2');
    await store.close();

    const reopened = track(createSqliteStore({ filename }));
    expect(await reopened.messagesAfter(message.conversationId, 0, 10, { includeNotes: true })).toMatchObject([
      { id: message.id, seq: 1, text: 'persisted' },
      { seq: 2, text: 'also persisted' },
    ]);
    expect(await reopened.conversationsOfContact(contact.id, 10)).toEqual([
      { id: message.conversationId, status: 'open', lastSeq: 2, createdAt: 2 },
    ]);
    expect((await reopened.contactByToken(contact.siteId, 'tok'))?.id).toBe(contact.id);
  });

  it('a write to the file by another connection is seen by the next message, not hidden by the copies the store keeps', async () => {
    const store = track(createSqliteStore({ filename }));
    const { say } = await seedConversation(store);
    const { message } = await say('hello', 'c_1');
    // The sqlite3 shell, a migration script, a second process: it renames the visitor and takes two seqs.
    const other = track(new Database(filename));
    other.prepare("UPDATE contact SET name = 'Renamed elsewhere'").run();
    other.prepare('UPDATE conversation SET last_seq = last_seq + 2').run();
    // Noticed by the next batch of writes (data_version), which is where a stale seq could do harm.
    const next = await say('again', 'c_2', message.conversationId);
    expect(next.message.seq).toBe(4);
    expect(next.conversation.contact.name).toBe('Renamed elsewhere');
    expect(next.conversation).toEqual(await store.conversation(message.conversationId));
    expect((await store.conversationAccess(message.conversationId))?.lastSeq).toBe(4);
  });

  it('a batch that fails to commit leaves nothing behind, not even in what the store remembers', async () => {
    const store = track(createSqliteStore({ filename }));
    const { say } = await seedConversation(store);
    const { message } = await say('committed', 'c_1');
    // A deferred foreign key is checked at COMMIT: a message saying "doom" makes its whole batch fail there.
    store.db.exec(`
      CREATE TABLE doom_parent (id TEXT PRIMARY KEY);
      CREATE TABLE doom_child (parent TEXT REFERENCES doom_parent(id) DEFERRABLE INITIALLY DEFERRED);
      CREATE TEMP TRIGGER doom AFTER INSERT ON message WHEN new.body = 'doom' BEGIN
        INSERT INTO doom_child (parent) VALUES ('missing');
      END;`);
    const id = message.conversationId;
    const batch = await Promise.allSettled([say('lost with its batch', 'c_2', id), say('doom', 'c_3', id)]);
    expect(batch.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    const after = await say('after the failure', 'c_4', id);
    // seq 2, not 4: the failed batch's seqs were never committed, so they are not skipped either.
    expect(after.message.seq).toBe(2);
    expect((await store.messagesAfter(message.conversationId, 0, 10, { includeNotes: true })).map((m) => [m.seq, m.text])).toEqual([
      [1, 'committed'],
      [2, 'after the failure'],
    ]);
    expect(after.conversation).toEqual(await store.conversation(message.conversationId));
  });

  it('a message that fails half-written rolls back alone; the rest of its batch commits, and no seq is skipped', async () => {
    const store = track(createSqliteStore({ filename }));
    const { say } = await seedConversation(store);
    const { message } = await say('committed', 'c_1');
    const id = message.conversationId;
    // Fails the conversation's update, after the message's row was inserted: without a savepoint
    // around the message, its row would stay behind and the next message would collide on its seq.
    store.db.exec(`
      CREATE TEMP TRIGGER half BEFORE UPDATE OF last_seq ON conversation WHEN new.last_message_text = 'half' BEGIN
        SELECT RAISE(ABORT, 'failed half-way');
      END;`);
    const batch = await Promise.allSettled([say('before', 'c_2', id), say('half', 'c_3', id), say('after', 'c_4', id)]);
    expect(batch.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(batch[1]).toMatchObject({ reason: { message: 'failed half-way' } });
    const texts = (await store.messagesAfter(id, 0, 10, { includeNotes: true })).map((m) => [m.seq, m.text]);
    expect(texts).toEqual([[1, 'committed'], [2, 'before'], [3, 'after']]);
    const last = batch[2].status === 'fulfilled' ? batch[2].value : null;
    expect(last?.conversation).toEqual(await store.conversation(id));
    expect((await say('next', 'c_5', id)).message.seq).toBe(4);
  });

  it('close() commits appends still waiting for their batch', async () => {
    const store = createSqliteStore({ filename });
    const { contact, say } = await seedConversation(store);
    const pending = say('written at shutdown', 'c_1');
    await store.close();
    await expect(pending).resolves.toMatchObject({ message: { seq: 1, text: 'written at shutdown' } });

    const reopened = track(createSqliteStore({ filename }));
    const [ref] = await reopened.conversationsOfContact(contact.id, 1);
    expect(ref?.lastSeq).toBe(1);
  });
});
