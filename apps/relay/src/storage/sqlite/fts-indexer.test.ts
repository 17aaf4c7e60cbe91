import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_APPEARANCE } from '../../seed.ts';
import { tempDir } from '../../testing/temp-dir.ts';
import { createFtsIndexer } from './fts-indexer.ts';
import { migrate } from './migrations.ts';
import { createSqliteStore } from './sqlite-store.ts';

const dir = tempDir('parley-fts-');
afterEach(() => dir.remove());

async function seeded(filename: string) {
  const store = createSqliteStore({ filename });
  const now = Date.now();
  const workspace = await store.createWorkspace({ name: 'W', now });
  const site = await store.createSite({ workspaceId: workspace.id, key: 'site_fts', name: 'S', allowedOrigins: ['*'], appearance: DEFAULT_APPEARANCE, now });
  const contact = await store.createContact({ siteId: site.id, workspaceId: workspace.id, tokenHash: 'tok', now });
  const say = (clientId: string, text: string, conversationId?: string) =>
    store.appendMessage({
      workspaceId: workspace.id, siteId: site.id, contactId: contact.id, conversationId, clientId, kind: 'text',
      author: { kind: 'visitor', id: contact.id, name: null }, text, now,
    });
  return { store, workspace, say };
}

describe('search indexing off the write path', () => {
  it('finds a message the moment after it was stored, without waiting for the background batch', async () => {
    const { store, workspace, say } = await seeded(dir.file('a.db'));
    await say('m1', 'the parcel went to Lisbon');
    expect((await store.search(workspace.id, 'lisbon', 10)).map((hit) => hit.snippet)).toEqual(['the parcel went to [Lisbon]']);
    await store.close();
  });

  it('keeps its place across restarts: nothing indexed twice, nothing missed', async () => {
    const file = dir.file('b.db');
    const first = await seeded(file);
    const { message } = await first.say('m1', 'invoice number seven');
    await first.store.search(first.workspace.id, 'invoice', 10);
    await first.say('m2', 'invoice number eight', message.conversationId);
    await first.store.close();

    const again = createSqliteStore({ filename: file });
    const hits = await again.search(first.workspace.id, 'invoice', 10);
    expect(hits.map((hit) => hit.messageId).sort()).toHaveLength(2);
    expect(again.db.prepare("SELECT COUNT(*) FROM message_fts WHERE message_fts MATCH 'invoice'").pluck().get()).toBe(2);
    expect(again.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(again.db.prepare("INSERT INTO message_fts(message_fts) VALUES ('integrity-check')").run().changes).toBeGreaterThanOrEqual(0);
    await again.close();
  });
});

describe('the background indexer', () => {
  afterEach(() => vi.useRealTimers());

  /** A migrated database with one conversation, and a way to store messages behind the indexer's back. */
  function database() {
    const db = new Database(':memory:');
    migrate(db);
    const now = Date.now();
    db.prepare("INSERT INTO workspace (id, name, created_at) VALUES ('w', 'W', ?)").run(now);
    db.prepare("INSERT INTO site (id, workspace_id, key, name, allowed_origins, appearance, created_at) VALUES ('s', 'w', 'k', 'S', '[]', '{}', ?)").run(now);
    db.prepare("INSERT INTO contact (id, workspace_id, site_id, created_at) VALUES ('c', 'w', 's', ?)").run(now);
    db.prepare("INSERT INTO conversation (id, workspace_id, site_id, contact_id, created_at, updated_at) VALUES ('v', 'w', 's', 'c', ?, ?)").run(now, now);
    const insert = db.prepare("INSERT INTO message (id, conversation_id, seq, client_id, kind, author_kind, body, created_at) VALUES (?, 'v', ?, ?, 'text', 'visitor', ?, ?)");
    let seq = 0;
    const store = db.transaction((count: number) => {
      for (let i = 0; i < count; i++) {
        seq++;
        insert.run(`m${seq}`, seq, `c${seq}`, `parcel number ${seq}`, now);
      }
    });
    const indexed = () => db.prepare("SELECT COUNT(*) FROM message_fts WHERE message_fts MATCH 'parcel'").pluck().get() as number;
    return { db, store, indexed };
  }

  it('works through a backlog a batch at a time, sooner while it is behind, then at its usual pace', () => {
    vi.useFakeTimers();
    const { db, store, indexed } = database();
    const indexer = createFtsIndexer(db, { everyMs: 100, behindMs: 10, batch: 100 });
    store(350);
    vi.advanceTimersByTime(99);
    expect(indexed()).toBe(0);
    vi.advanceTimersByTime(1);
    expect(indexed()).toBe(100);
    vi.advanceTimersByTime(10);
    expect(indexed()).toBe(200);
    vi.advanceTimersByTime(20);
    expect(indexed()).toBe(350);
    // Caught up: the next messages wait for the usual interval.
    store(5);
    vi.advanceTimersByTime(90);
    expect(indexed()).toBe(350);
    vi.advanceTimersByTime(10);
    expect(indexed()).toBe(355);
    indexer.stop();
    vi.advanceTimersByTime(1000);
    store(1);
    vi.advanceTimersByTime(1000);
    expect(indexed()).toBe(355);
    db.close();
  });

  it('catches up completely when asked, whatever the backlog', () => {
    const { db, store, indexed } = database();
    const indexer = createFtsIndexer(db, { everyMs: 60_000, batch: 100 });
    store(250);
    indexer.catchUp();
    expect(indexed()).toBe(250);
    store(100);
    indexer.catchUp();
    expect(indexed()).toBe(350);
    expect(db.prepare('SELECT last_rowid FROM fts_state').pluck().get()).toBe(db.prepare('SELECT MAX(rowid) FROM message').pluck().get());
    indexer.stop();
    db.close();
  });
});
