import Database from 'better-sqlite3';
import { readdirSync, readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../testing/relay-fixture.ts';

/**
 * Issue 6, row B10: text that looks like SQL, LIKE wildcards, NUL bytes, lone surrogates, emoji
 * and bidirectional marks, in messages, in names and in search queries. All SQL uses bound
 * parameters and FTS5 input is quoted, so everything is stored and returned as sent — over the
 * WebSocket (ack, live copies, history) and REST — search answers without an error, and the
 * schema is intact afterwards. The one exception is by design: a lone surrogate cannot be UTF-8,
 * so the relay turns it into U+FFFD at the edge and every copy, live or stored, carries that.
 */
const HOSTILE = [
  "'); DROP TABLE message; --",
  '"; DELETE FROM contact WHERE 1=1; --',
  "Robert'); DROP TABLE conversation;--",
  '100% off _today_ %% __ \\% \\_',
  '% _',
  'NUL\u0000in the middle\u0000',
  'emoji 👩‍💻🏳️‍🌈 and skin tones 👍🏽',
  'RTL \u202Egnp.exe\u202C and marks \u200F\u200E\u061C',
  'combining e\u0301 and zero width \u200B\u200D',
  'FTS5 syntax: "unbalanced AND OR NOT NEAR(a b) body:x * ^',
  'backslash \\ and json "quotes" and \\u0000 as text',
];
const LONE = ['lone high \uD800 here', 'lone low \uDC00 here', 'reversed \uDC00\uD800 pair'];
const asStored = (text: string) => text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

let fixture: TestRelay;
beforeAll(async () => {
  fixture = await startTestRelay('parley-b10-');
});
afterAll(async () => {
  await fixture.close();
});

function schema(db: Database.Database) {
  return db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name").all();
}

describe('B10: SQL-looking text, wildcards, NUL, surrogates, emoji and RTL marks', () => {
  it('are stored and returned verbatim in messages, names and search; the schema is intact', async () => {
    const db = new Database(databaseFile(), { readonly: true });
    const before = schema(db);
    const { site, adminCookie } = await fixture.workspace();
    const { socket: agent } = await fixture.agent(adminCookie);

    // A name through identify (unsigned: kept as the visitor's profile), another through profile.
    const identifyName = "Zoë'); DROP TABLE contact; -- %_\u0000 \u202Eevil\u202C 🧪";
    const { socket: visitor, welcome } = await fixture.visitor(site.key, { identity: { userId: 'b10-user', name: identifyName } });
    const contactId = welcome.contact.id;
    const contactName = () => (db.prepare('SELECT name FROM contact WHERE id = ?').get(contactId) as { name: string }).name;
    expect(contactName()).toBe(identifyName);

    const texts = [...HOSTILE, ...LONE];
    let conversationId = '';
    for (const text of texts) {
      const ack = await fixture.say(visitor, text, conversationId ? { conversationId } : {});
      conversationId = ack.conversationId;
      const live = await agent.next('message', (f) => f.message.clientId === ack.clientId);
      expect(live.message.text, JSON.stringify(text)).toBe(asStored(text));
      // The agent answers with the same text: the other direction goes through the same path.
      const reply = await fixture.say(agent, text, { conversationId });
      const echoed = await visitor.next('message', (f) => f.message.clientId === reply.clientId);
      expect(echoed.message.text, JSON.stringify(text)).toBe(asStored(text));
    }
    const expected = texts.flatMap((text) => [asStored(text), asStored(text)]);

    // Stored: the rows themselves.
    const rows = db.prepare('SELECT body FROM message WHERE conversation_id = ? ORDER BY seq').pluck().all(conversationId);
    expect(rows).toEqual(expected);
    // REST, as the inbox reads it.
    const page = (await (await fixture.api(adminCookie, `/conversations/${conversationId}/messages?limit=100`)).json()) as { messages: Array<{ text: string }> };
    expect(page.messages.map((m) => m.text)).toEqual(expected);
    // WebSocket history, as the widget reloads it.
    visitor.send({ type: 'history', requestId: 'h1', conversationId, limit: 100 });
    const history = await visitor.next('history');
    expect(history.messages.map((m) => m.text)).toEqual(expected);

    // Profile names, through the frame the widget's forms use.
    for (const name of [HOSTILE[0]!, HOSTILE[3]!, HOSTILE[5]!, HOSTILE[7]!, LONE[0]!]) {
      visitor.send({ type: 'profile', requestId: `p${name.length}`, name });
      await visitor.next('ok', (f) => f.ref === `p${name.length}`);
      expect(contactName()).toBe(asStored(name));
      const contact = (await (await fixture.api(adminCookie, `/contacts/${contactId}`)).json()) as { contact: { name: string } };
      expect(contact.contact.name).toBe(asStored(name));
      const list = (await (await fixture.api(adminCookie, '/conversations')).json()) as { conversations: Array<{ id: string; contact: { name: string | null } }> };
      expect(list.conversations.find((c) => c.id === conversationId)?.contact.name).toBe(asStored(name));
    }

    // Search: every hostile string as a query answers 200 with hits, never an error; SQL-looking
    // text finds its message as text.
    for (const q of [...HOSTILE, '%', '_', '%%', "'", '"', '\u0000', 'NEAR(', '*', '-', 'body:drop']) {
      const response = await fixture.api(adminCookie, `/search?q=${encodeURIComponent(q)}`);
      expect([200, 400], JSON.stringify(q)).toContain(response.status);
      const body = (await response.json()) as { hits?: unknown[]; error?: { code: string } };
      // 400 only for a query with no text left once trimmed (the NUL-only one is not such).
      if (response.status === 400) expect(body.error?.code).toBe('INVALID_REQUEST');
      else expect(Array.isArray(body.hits), JSON.stringify(q)).toBe(true);
    }
    // A query that is not valid UTF-8 once decoded (a lone surrogate in percent-encoding).
    expect((await fixture.api(adminCookie, '/search?q=%ED%A0%80')).status).toBeLessThan(500);
    const drop = (await (await fixture.api(adminCookie, `/search?q=${encodeURIComponent('DROP TABLE message')}`)).json()) as { hits: Array<{ messageId?: string; snippet?: string }> };
    expect(drop.hits.some((h) => h.snippet?.includes('[DROP] [TABLE] [message]'))).toBe(true);

    // The schema is as it was, the database sound, nothing else was touched.
    expect(schema(db)).toEqual(before);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT count(*) FROM message WHERE conversation_id = ?').pluck().get(conversationId)).toBe(expected.length);
    expect(agent.invalid).toEqual([]);
    expect(visitor.invalid).toEqual([]);
    db.close();
  });
});

/** The fixture's database file, found among this process's open files (the fixture does not expose its path). */
function databaseFile(): string {
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.includes('parley-b10-') && target.endsWith('relay.db')) return target;
    } catch {
      // closed meanwhile
    }
  }
  throw new Error('the fixture’s database is not open in this process');
}
