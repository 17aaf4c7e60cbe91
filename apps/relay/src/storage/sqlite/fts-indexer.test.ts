import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_APPEARANCE } from '../../seed.ts';
import { tempDir } from '../../testing/temp-dir.ts';
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
