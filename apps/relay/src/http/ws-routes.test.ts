import Database from 'better-sqlite3';
import { request as httpRequest } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PROTOCOL_VERSION, ResetReason, type AckFrame, type Message } from '@parley/protocol';
import { hashPassword } from '../auth/passwords.ts';
import { configFromEnv } from '../config.ts';
import type { Store } from '../core/store.ts';
import { createSqliteStore } from '../storage/sqlite/sqlite-store.ts';
import { startRelay, type RunningRelay } from '../server.ts';
import { tempDir } from '../testing/temp-dir.ts';
import { TestSocket, UpgradeRefused } from '../testing/ws-client.ts';

/** The WebSocket edge and the core behind it, over real sockets against a real relay. */

const ADMIN_PASSWORD = 'x'.repeat(12);
const dir = tempDir('parley-ws-');
const databasePath = dir.file('ws.db');
let relay: RunningRelay;
let siteKey: string;
let wsUrl: string;
let adminCookie: string;
/** Reads the database through its own connection: sees exactly what was committed. */
let db: Database.Database;
/** A second store on the relay's file, to set up what the API cannot yet (sites, workspaces). */
let side: Store;

const sockets: TestSocket[] = [];

beforeAll(async () => {
  relay = await startRelay({
    ...configFromEnv({}),
    port: 0,
    host: '127.0.0.1',
    databasePath,
    adminPassword: ADMIN_PASSWORD,
    heartbeatMs: 1000,
  });
  siteKey = relay.firstSiteKey!;
  wsUrl = relay.url.replace(/^http/, 'ws');
  adminCookie = await login('admin@example.com', ADMIN_PASSWORD);
  db = new Database(databasePath, { readonly: true, fileMustExist: true });
  side = createSqliteStore({ filename: databasePath });
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) {
    // Whatever a test did, the relay never sent a frame outside the protocol.
    expect(socket.invalid).toEqual([]);
    await socket.close();
  }
});

afterAll(async () => {
  db?.close();
  await side?.close();
  await relay?.close();
  dir.remove();
});

async function connect(path: '/ws/visitor' | '/ws/agent', headers: Record<string, string> = {}) {
  const socket = await TestSocket.open(`${wsUrl}${path}`, headers);
  sockets.push(socket);
  return socket;
}

/** A visitor socket past `hello`; pass the token of an earlier welcome to come back as the same visitor. */
async function visitor(
  options: { token?: string; resume?: Array<{ conversationId: string; seq: number }>; siteKey?: string; origin?: string } = {},
) {
  const socket = await connect('/ws/visitor', { origin: options.origin ?? 'https://shop.example' });
  const hello: Record<string, unknown> = { type: 'hello', protocol: PROTOCOL_VERSION, role: 'visitor', siteKey: options.siteKey ?? siteKey };
  if (options.token !== undefined) hello['visitorToken'] = options.token;
  if (options.resume !== undefined) hello['resume'] = options.resume;
  socket.send(hello);
  const welcome = await socket.next('welcome');
  if (welcome.role !== 'visitor') throw new Error('expected a visitor welcome');
  return { socket, welcome };
}

async function login(email: string, password: string): Promise<string> {
  const response = await fetch(`${relay.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: relay.url },
    body: JSON.stringify({ email, password }),
  });
  expect(response.status).toBe(200);
  return /^(parley_session=[^;]+)/.exec(response.headers.get('set-cookie') ?? '')![1]!;
}

async function agent(options: { resume?: Array<{ conversationId: string; seq: number }>; cookie?: string } = {}) {
  const socket = await connect('/ws/agent', { origin: relay.url, cookie: options.cookie ?? adminCookie });
  socket.send({ type: 'hello', protocol: PROTOCOL_VERSION, role: 'agent', ...(options.resume ? { resume: options.resume } : {}) });
  const welcome = await socket.next('welcome');
  await socket.next('resumed');
  return { socket, welcome };
}

let ids = 0;
const newClientId = () => `c_${Date.now().toString(36)}_${++ids}`;

async function say(socket: TestSocket, text: string, extra: { conversationId?: string; kind?: 'text' | 'note'; clientId?: string } = {}) {
  const clientId = extra.clientId ?? newClientId();
  socket.send({ type: 'send', clientId, text, ...extra });
  const reply = await socket.nextWhere(
    (f) => (f.type === 'ack' && f.clientId === clientId) || (f.type === 'error' && f.ref === clientId),
    `the ack of ${clientId}`,
  );
  if (reply.type !== 'ack') throw new Error(`send refused: ${JSON.stringify(reply)}`);
  return reply;
}

const rows = (conversationId: string) =>
  db.prepare('SELECT id, seq, client_id AS clientId, kind, body FROM message WHERE conversation_id = ? ORDER BY seq').all(conversationId) as Array<{
    id: string; seq: number; clientId: string; kind: string; body: string;
  }>;

describe('visitor hello', () => {
  it('welcomes a new visitor with a token, the site and no conversations', async () => {
    const { welcome } = await visitor();
    expect(welcome).toMatchObject({
      protocol: PROTOCOL_VERSION,
      role: 'visitor',
      site: { key: siteKey, appearance: { name: 'Support' } },
      conversations: [],
      heartbeatMs: 1000,
    });
    expect(welcome.visitorToken.length).toBeGreaterThanOrEqual(32);
  });

  it('a returning visitor with their token is the same contact and sees their conversations', async () => {
    const first = await visitor();
    const ack = await say(first.socket, 'I was here before');
    await first.socket.close();

    const again = await visitor({ token: first.welcome.visitorToken });
    expect(again.welcome.contact.id).toBe(first.welcome.contact.id);
    expect(again.welcome.visitorToken).toBe(first.welcome.visitorToken);
    expect(again.welcome.conversations).toEqual([{ id: ack.conversationId, status: 'open', lastSeq: 1, createdAt: expect.any(Number) }]);
  });

  it('an unknown token starts a new visitor', async () => {
    const { welcome } = await visitor({ token: 'not-a-token-this-relay-issued' });
    expect(welcome.visitorToken).not.toBe('not-a-token-this-relay-issued');
    expect(welcome.conversations).toEqual([]);
  });

  it('an unknown site key is NOT_FOUND and closes with 1008', async () => {
    const socket = await connect('/ws/visitor', { origin: 'https://shop.example' });
    socket.send({ type: 'hello', protocol: PROTOCOL_VERSION, role: 'visitor', siteKey: 'site_nope' });
    expect(await socket.next('error')).toMatchObject({ code: 'NOT_FOUND' });
    expect((await socket.closed).code).toBe(1008);
  });

  it('another protocol version is UNSUPPORTED_VERSION and closes with 4000', async () => {
    const socket = await connect('/ws/visitor');
    socket.send({ type: 'hello', protocol: PROTOCOL_VERSION + 1, role: 'visitor', siteKey });
    expect(await socket.next('error')).toMatchObject({ code: 'UNSUPPORTED_VERSION' });
    expect((await socket.closed).code).toBe(4000);
  });

  it('a frame before hello is NOT_AUTHENTICATED, and hello still works after', async () => {
    const socket = await connect('/ws/visitor');
    socket.send({ type: 'send', clientId: 'early_1', text: 'hi' });
    expect(await socket.next('error')).toMatchObject({ code: 'NOT_AUTHENTICATED', ref: 'early_1' });
    socket.send({ type: 'hello', protocol: PROTOCOL_VERSION, role: 'visitor', siteKey });
    await socket.next('welcome');
  });

  it('a second hello is ALREADY_AUTHENTICATED', async () => {
    const { socket } = await visitor();
    socket.send({ type: 'hello', protocol: PROTOCOL_VERSION, role: 'visitor', siteKey });
    expect(await socket.next('error')).toMatchObject({ code: 'ALREADY_AUTHENTICATED' });
    await socket.sync();
  });
});

describe('sending', () => {
  it('acks only once the row is in the database', async () => {
    const { socket } = await visitor();
    const clientId = newClientId();
    socket.send({ type: 'send', clientId, text: 'Hello, is anyone there?' });
    const ack = await socket.next('ack');
    expect(ack).toMatchObject({ clientId, seq: 1, duplicate: false });
    // Read at once, through another connection: committed before the ack left.
    expect(rows(ack.conversationId)).toEqual([{ id: ack.messageId, seq: 1, clientId, kind: 'text', body: 'Hello, is anyone there?' }]);
  });

  it('the same clientId twice stores one row; the resend gets the same ack, flagged duplicate', async () => {
    const { socket: inbox } = await agent();
    const { socket } = await visitor();
    const clientId = newClientId();
    const first = await say(socket, 'only once', { clientId });
    const second = await say(socket, 'only once', { clientId });
    expect(first.duplicate).toBe(false);
    const { duplicate, ...rest } = second;
    expect(duplicate).toBe(true);
    expect({ ...rest, duplicate: false }).toEqual(first);
    expect(rows(first.conversationId)).toHaveLength(1);
    // Nor is it delivered twice.
    const later = await say(socket, 'after the resend');
    await inbox.next('message', (f) => f.message.id === later.messageId);
    expect(inbox.frames.filter((f) => f.type === 'message' && f.message.clientId === clientId)).toHaveLength(1);
    expect(socket.frames.filter((f) => f.type === 'message' && f.message.clientId === clientId)).toHaveLength(1);
  });

  it('messages get seq 1, 2, 3 in the visitor’s conversation', async () => {
    const { socket } = await visitor();
    const acks: AckFrame[] = [];
    for (const text of ['one', 'two', 'three']) acks.push(await say(socket, text));
    expect(acks.map((a) => a.seq)).toEqual([1, 2, 3]);
    expect(new Set(acks.map((a) => a.conversationId)).size).toBe(1);
  });

  it('a visitor cannot write a note (FORBIDDEN) and nothing is stored', async () => {
    const { socket } = await visitor();
    const ack = await say(socket, 'first');
    socket.send({ type: 'send', clientId: 'note_1', conversationId: ack.conversationId, text: 'secret', kind: 'note' });
    expect(await socket.next('error')).toMatchObject({ code: 'FORBIDDEN', ref: 'note_1' });
    expect(rows(ack.conversationId).map((r) => r.body)).toEqual(['first']);
  });
});

describe('invalid frames get a typed error and the socket stays open', () => {
  it.each([
    ['malformed JSON', '{"type":"ping"', { code: 'BAD_JSON' }],
    ['JSON that is not an object', '[1,2,3]', { code: 'INVALID_FRAME' }],
    ['an unknown type', JSON.stringify({ type: 'subscribe', channel: 'all' }), { code: 'UNKNOWN_FRAME', field: 'type' }],
    ['an extra field', JSON.stringify({ type: 'ping', t: 1, admin: true }), { code: 'INVALID_FRAME', field: 'admin' }],
    ['a missing field', JSON.stringify({ type: 'send', clientId: 'm_1' }), { code: 'INVALID_FRAME', field: 'text', ref: 'm_1' }],
    [
      'a 9,000-character text',
      JSON.stringify({ type: 'send', clientId: 'long_1', text: 'a'.repeat(9000) }),
      { code: 'INVALID_FRAME', field: 'text', ref: 'long_1' },
    ],
  ] as const)('%s', async (_name, raw, expected) => {
    const { socket } = await visitor();
    socket.sendRaw(raw);
    expect(await socket.next('error')).toMatchObject(expected);
    socket.send({ type: 'ping', t: 7 });
    expect(await socket.next('pong')).toEqual({ type: 'pong', t: 7 });
  });

  it('a binary frame', async () => {
    const { socket } = await visitor();
    socket.sendRaw(Buffer.from(JSON.stringify({ type: 'ping' })), { binary: true });
    expect(await socket.next('error')).toMatchObject({ code: 'BAD_JSON' });
    socket.send({ type: 'ping', t: 8 });
    expect(await socket.next('pong')).toEqual({ type: 'pong', t: 8 });
  });

  it('a too-long message is not stored', async () => {
    const { socket } = await visitor();
    const ack = await say(socket, 'short one');
    socket.send({ type: 'send', clientId: 'long_2', conversationId: ack.conversationId, text: 'b'.repeat(9000) });
    await socket.next('error', (f) => f.ref === 'long_2');
    expect(rows(ack.conversationId)).toHaveLength(1);
  });

  it('errors come back in the order the frames were sent', async () => {
    const { socket } = await visitor();
    await socket.next('resumed');
    expect(socket.frames.map((f) => f.type)).toEqual(['welcome', 'resumed']);
    socket.sendRaw('nope');
    socket.send({ type: 'history', requestId: 'h_1', conversationId: 'not_mine' });
    socket.sendRaw(JSON.stringify({ type: 'what' }));
    socket.send({ type: 'ping', t: 1 });
    await socket.next('pong');
    expect(socket.frames.slice(2).map((f) => (f.type === 'error' ? f.code : f.type))).toEqual([
      'BAD_JSON', 'NOT_FOUND', 'UNKNOWN_FRAME', 'pong',
    ]);
  });

  it('a text frame that is not UTF-8 closes the socket with 1007', async () => {
    const { socket } = await visitor();
    socket.sendRaw(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect((await socket.closed).code).toBe(1007);
  });

  it('a frame over 64 KB closes the socket with 1009', async () => {
    const { socket } = await visitor();
    socket.sendRaw(JSON.stringify({ type: 'send', clientId: 'huge_1', text: 'x'.repeat(70 * 1024) }));
    expect((await socket.closed).code).toBe(1009);
  });
});

describe('heartbeat', () => {
  it('a peer that stops answering pings is dropped within two heartbeats; one that answers stays', async () => {
    const started = Date.now();
    const silent = await TestSocket.open(`${wsUrl}/ws/visitor`, {}, { autoPong: false });
    sockets.push(silent);
    const { socket: healthy } = await visitor();
    const { code } = await silent.closed;
    const elapsed = Date.now() - started;
    expect(code).toBe(1006); // terminated, no close handshake
    // One timer serves every socket, so the first ping comes anywhere within the first interval;
    // the peer is dropped at the beat after it: it always had a whole interval to answer.
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(elapsed).toBeLessThan(3500);
    healthy.send({ type: 'ping', t: 5 });
    expect(await healthy.next('pong')).toEqual({ type: 'pong', t: 5 });
  });
});

describe('visitors see only their own conversations', () => {
  it('history, typing and send into another visitor’s conversation are NOT_FOUND', async () => {
    const alice = await visitor();
    const ack = await say(alice.socket, 'Alice’s private question');
    const mallory = await visitor();

    mallory.socket.send({ type: 'history', requestId: 'h_1', conversationId: ack.conversationId });
    expect(await mallory.socket.next('error')).toMatchObject({ code: 'NOT_FOUND', ref: 'h_1' });
    mallory.socket.send({ type: 'typing', conversationId: ack.conversationId, typing: true });
    expect(await mallory.socket.next('error')).toMatchObject({ code: 'NOT_FOUND' });
    mallory.socket.send({ type: 'send', clientId: 'intrude_1', conversationId: ack.conversationId, text: 'let me in' });
    expect(await mallory.socket.next('error')).toMatchObject({ code: 'NOT_FOUND', ref: 'intrude_1' });
    mallory.socket.send({ type: 'read', conversationId: ack.conversationId, seq: 1 });
    expect(await mallory.socket.next('error')).toMatchObject({ code: 'NOT_FOUND' });

    expect(rows(ack.conversationId).map((r) => r.body)).toEqual(['Alice’s private question']);
    await alice.socket.sync();
    // Alice saw her own message (echoed to her tabs) and nothing Mallory did.
    expect(alice.socket.frames.filter((f) => f.type === 'typing' || f.type === 'read' || f.type === 'message')).toEqual([
      { type: 'message', message: expect.objectContaining({ id: ack.messageId }) },
    ]);
    expect(mallory.socket.frames.some((f) => f.type === 'message' || f.type === 'history')).toBe(false);
  });

  it('resuming another visitor’s conversation is NOT_FOUND and replays nothing', async () => {
    const alice = await visitor();
    const ack = await say(alice.socket, 'Alice’s private question');
    const mallory = await visitor({ resume: [{ conversationId: ack.conversationId, seq: 0 }] });
    expect(await mallory.socket.next('error')).toMatchObject({ code: 'NOT_FOUND', ref: ack.conversationId });
    expect(await mallory.socket.next('resumed')).toEqual({ type: 'resumed', conversations: [] });
    expect(mallory.socket.frames.some((f) => f.type === 'message')).toBe(false);
  });

  it('a visitor cannot update a conversation', async () => {
    const { socket } = await visitor();
    const ack = await say(socket, 'hi');
    socket.send({ type: 'update', requestId: 'u_1', conversationId: ack.conversationId, status: 'resolved' });
    expect(await socket.next('error')).toMatchObject({ code: 'FORBIDDEN', ref: 'u_1' });
  });

  it('history returns the visitor’s own thread', async () => {
    const { socket } = await visitor();
    const ack = await say(socket, 'one');
    await say(socket, 'two');
    socket.send({ type: 'history', requestId: 'h_2', conversationId: ack.conversationId, limit: 1 });
    const history = await socket.next('history');
    expect(history).toMatchObject({ ref: 'h_2', conversationId: ack.conversationId, hasMore: true });
    expect(history.messages.map((m) => m.text)).toEqual(['two']);
  });
});

describe('agent connections', () => {
  it('an upgrade without a session cookie is refused with 401', async () => {
    const refused = await TestSocket.open(`${wsUrl}/ws/agent`, { origin: relay.url }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UpgradeRefused);
    expect((refused as UpgradeRefused).status).toBe(401);
  });

  it('an upgrade with the cookie but a foreign Origin is refused with 403', async () => {
    const refused = await TestSocket.open(`${wsUrl}/ws/agent`, { origin: 'https://evil.test', cookie: adminCookie }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(UpgradeRefused);
    expect((refused as UpgradeRefused).status).toBe(403);
  });

  it('an agent hello on the visitor endpoint is FORBIDDEN', async () => {
    const socket = await connect('/ws/visitor', { origin: relay.url, cookie: adminCookie });
    socket.send({ type: 'hello', protocol: PROTOCOL_VERSION, role: 'agent' });
    expect(await socket.next('error')).toMatchObject({ code: 'FORBIDDEN' });
    // Still open and still unauthenticated: a visitor hello is welcomed, as a visitor.
    socket.send({ type: 'hello', protocol: PROTOCOL_VERSION, role: 'visitor', siteKey });
    expect(await socket.next('welcome')).toMatchObject({ role: 'visitor' });
  });

  it('a visitor hello on the agent endpoint is FORBIDDEN', async () => {
    const socket = await connect('/ws/agent', { origin: relay.url, cookie: adminCookie });
    socket.send({ type: 'hello', protocol: PROTOCOL_VERSION, role: 'visitor', siteKey });
    expect(await socket.next('error')).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('welcomes the agent; visitors see agents online while one is connected', async () => {
    const agentsOnline = async () => {
      const { socket, welcome } = await visitor();
      await socket.close();
      return welcome.role === 'visitor' && welcome.site.agentsOnline;
    };
    // Agents of earlier tests have hung up.
    await vi.waitFor(async () => expect(await agentsOnline()).toBe(false));

    const first = await agent();
    expect(first.welcome).toMatchObject({
      role: 'agent', agent: { email: 'admin@example.com', role: 'admin' }, workspace: { name: 'My workspace' },
    });
    const secondTab = await agent();
    expect(await agentsOnline()).toBe(true);
    await first.socket.close();
    // One tab closed, the other still open: still online.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await agentsOnline()).toBe(true);
    await secondTab.socket.close();
    await vi.waitFor(async () => expect(await agentsOnline()).toBe(false));
  });
});

describe('live delivery', () => {
  it('an agent receives visitor messages live, with a conversation frame', async () => {
    const { socket: inbox } = await agent();
    const { socket: vis } = await visitor();
    const ack = await say(vis, 'I need help');
    const message = await inbox.next('message', (f) => f.message.id === ack.messageId);
    expect(message.message).toMatchObject({ seq: 1, kind: 'text', text: 'I need help', author: { kind: 'visitor' } });
    const summary = await inbox.next('conversation', (f) => f.conversation.id === ack.conversationId);
    expect(summary.conversation).toMatchObject({ status: 'open', lastSeq: 1, lastMessage: { text: 'I need help' } });
    expect(summary.conversation.waitingSince).not.toBeNull();
    // Conversation summaries are for agents only.
    await vis.sync();
    expect(vis.frames.some((f) => f.type === 'conversation')).toBe(false);
  });

  it('an agent reply reaches the visitor live', async () => {
    const { socket: inbox } = await agent();
    const { socket: vis } = await visitor();
    const first = await say(vis, 'Hello?');
    const reply = await say(inbox, 'Hi! How can I help?', { conversationId: first.conversationId });
    expect(reply.seq).toBe(2);
    const live = await vis.next('message', (f) => f.message.id === reply.messageId);
    expect(live.message).toMatchObject({ seq: 2, text: 'Hi! How can I help?', author: { kind: 'agent', name: 'Admin' } });
  });

  it('an agent sending needs a conversation id', async () => {
    const { socket: inbox } = await agent();
    inbox.send({ type: 'send', clientId: 'nowhere_1', text: 'to whom?' });
    expect(await inbox.next('error')).toMatchObject({ code: 'INVALID_FRAME', field: 'conversationId', ref: 'nowhere_1' });
  });

  it('a note reaches the other agent sockets, never the visitor', async () => {
    const { socket: inbox } = await agent();
    const { socket: otherTab } = await agent();
    const { socket: vis } = await visitor();
    const first = await say(vis, 'My card was charged twice');
    const note = await say(inbox, 'Refund needs approval from finance', { conversationId: first.conversationId, kind: 'note' });
    const reply = await say(inbox, 'Looking into it', { conversationId: first.conversationId });

    const seenByOtherTab = await otherTab.next('message', (f) => f.message.id === note.messageId);
    expect(seenByOtherTab.message).toMatchObject({ kind: 'note', text: 'Refund needs approval from finance' });
    // The reply was published after the note: once it has arrived, the note would have too.
    await vis.next('message', (f) => f.message.id === reply.messageId);
    await vis.sync();
    const everything = JSON.stringify(vis.frames);
    expect(everything).not.toContain('Refund needs approval');
    expect(everything).not.toContain(note.messageId);
    // Its own message (echoed to all its tabs) and the reply: seq 2 is the note.
    expect(vis.frames.filter((f) => f.type === 'message').map((f) => (f.type === 'message' ? f.message.seq : 0))).toEqual([1, 3]);

    // Nor does the visitor's history show it.
    vis.send({ type: 'history', requestId: 'h_note', conversationId: first.conversationId });
    const history = await vis.next('history');
    expect(history.messages.map((m) => m.seq)).toEqual([1, 3]);
  });

  it('typing reaches the other side, not the sender', async () => {
    const { socket: inbox } = await agent();
    const { socket: vis } = await visitor();
    const first = await say(vis, 'typing test');
    vis.send({ type: 'typing', conversationId: first.conversationId, typing: true });
    expect(await inbox.next('typing', (f) => f.conversationId === first.conversationId)).toMatchObject({
      typing: true, author: { kind: 'visitor' },
    });
    inbox.send({ type: 'typing', conversationId: first.conversationId, typing: true });
    expect(await vis.next('typing')).toMatchObject({ conversationId: first.conversationId, author: { kind: 'agent' } });
    await vis.sync();
    expect(vis.frames.filter((f) => f.type === 'typing')).toHaveLength(1);
  });

  it('read marks propagate both ways and are stored', async () => {
    const { socket: inbox } = await agent();
    const { socket: vis } = await visitor();
    const first = await say(vis, 'read test');
    const reply = await say(inbox, 'answer', { conversationId: first.conversationId });
    await vis.next('message', (f) => f.message.id === reply.messageId);

    vis.send({ type: 'read', conversationId: first.conversationId, seq: 2 });
    expect(await inbox.next('read', (f) => f.conversationId === first.conversationId)).toEqual({
      type: 'read', conversationId: first.conversationId, reader: 'visitor', seq: 2,
    });
    inbox.send({ type: 'read', conversationId: first.conversationId, seq: 1 });
    expect(await vis.next('read')).toEqual({ type: 'read', conversationId: first.conversationId, reader: 'agent', seq: 1 });

    const response = await fetch(`${relay.url}/api/v1/conversations/${first.conversationId}`, { headers: { cookie: adminCookie } });
    expect(await response.json()).toMatchObject({ conversation: { visitorReadSeq: 2, agentReadSeq: 1 } });

    // A read mark that does not move forward is not broadcast.
    vis.send({ type: 'read', conversationId: first.conversationId, seq: 1 });
    await vis.sync();
    await inbox.sync();
    expect(inbox.frames.filter((f) => f.type === 'read' && f.conversationId === first.conversationId)).toHaveLength(1);
  });

  it('update to resolved answers ok and broadcasts the resolved conversation', async () => {
    const { socket: inbox } = await agent();
    const { socket: otherTab } = await agent();
    const { socket: vis } = await visitor();
    const first = await say(vis, 'please close this');
    inbox.send({ type: 'update', requestId: 'u_resolve', conversationId: first.conversationId, status: 'resolved' });
    expect(await inbox.next('ok')).toEqual({ type: 'ok', ref: 'u_resolve' });
    for (const socket of [inbox, otherTab]) {
      const frame = await socket.next('conversation', (f) => f.conversation.id === first.conversationId && f.conversation.status === 'resolved');
      expect(frame.conversation.resolvedAt).toEqual(expect.any(Number));
    }
    const stored = await fetch(`${relay.url}/api/v1/conversations/${first.conversationId}`, { headers: { cookie: adminCookie } });
    expect(await stored.json()).toMatchObject({ conversation: { status: 'resolved' } });
  });

  it('update with an unknown assignee is NOT_FOUND naming the field', async () => {
    const { socket: inbox } = await agent();
    const { socket: vis } = await visitor();
    const first = await say(vis, 'assign me');
    inbox.send({ type: 'update', requestId: 'u_assign', conversationId: first.conversationId, assigneeId: 'ghost_agent' });
    expect(await inbox.next('error')).toMatchObject({ code: 'NOT_FOUND', field: 'assigneeId', ref: 'u_assign' });
  });
});

describe('resume', () => {
  it('replays exactly what the visitor missed, in order, then resumed', async () => {
    const { socket: inbox } = await agent();
    const first = await visitor();
    const opened = await say(first.socket, 'I will be right back');
    await first.socket.close();

    const sent: AckFrame[] = [];
    sent.push(await say(inbox, 'Reply one', { conversationId: opened.conversationId }));
    await say(inbox, 'An internal note', { conversationId: opened.conversationId, kind: 'note' });
    sent.push(await say(inbox, 'Reply two', { conversationId: opened.conversationId }));
    sent.push(await say(inbox, 'Reply three', { conversationId: opened.conversationId }));

    const back = await visitor({ token: first.welcome.visitorToken, resume: [{ conversationId: opened.conversationId, seq: opened.seq }] });
    const resumed = await back.socket.next('resumed');
    const afterWelcome = back.socket.frames.slice(1, back.socket.frames.indexOf(resumed));
    expect(afterWelcome.map((f) => f.type)).toEqual(['message', 'message', 'message']);
    const replayed = afterWelcome.map((f) => (f as { message: Message }).message);
    expect(replayed.map((m) => m.text)).toEqual(['Reply one', 'Reply two', 'Reply three']);
    expect(replayed.map((m) => m.id)).toEqual(sent.map((a) => a.messageId));
    expect(replayed.map((m) => m.seq)).toEqual([2, 4, 5]);
    expect(resumed.conversations).toEqual([{ conversationId: opened.conversationId, seq: 5 }]);

    // And live delivery carries on after the replay, without repeats.
    const live = await say(inbox, 'Welcome back', { conversationId: opened.conversationId });
    await back.socket.next('message', (f) => f.message.id === live.messageId);
    expect(back.socket.frames.filter((f) => f.type === 'message').map((f) => (f.type === 'message' ? f.message.seq : 0))).toEqual([
      2, 4, 5, 6,
    ]);
  });

  it('an agent resuming gets the notes too', async () => {
    const { socket: vis } = await visitor();
    const opened = await say(vis, 'hello');
    const { socket: inbox } = await agent();
    const note = await say(inbox, 'note for later', { conversationId: opened.conversationId, kind: 'note' });
    await inbox.close();
    const { socket: back } = await agent({ resume: [{ conversationId: opened.conversationId, seq: 1 }] });
    const replayed = back.frames.filter((f) => f.type === 'message');
    expect(replayed).toEqual([{ type: 'message', message: expect.objectContaining({ id: note.messageId, kind: 'note' }) }]);
  });

  it('a resume point at the server’s last seq replays nothing', async () => {
    const first = await visitor();
    const opened = await say(first.socket, 'up to date');
    const back = await visitor({ token: first.welcome.visitorToken, resume: [{ conversationId: opened.conversationId, seq: 1 }] });
    expect(await back.socket.next('resumed')).toEqual({ type: 'resumed', conversations: [{ conversationId: opened.conversationId, seq: 1 }] });
    expect(back.socket.frames.map((f) => f.type)).toEqual(['welcome', 'resumed']);
  });

  it('a resume point ahead of the server gets reset AHEAD_OF_SERVER', async () => {
    const first = await visitor();
    const opened = await say(first.socket, 'short thread');
    const back = await visitor({ token: first.welcome.visitorToken, resume: [{ conversationId: opened.conversationId, seq: 42 }] });
    expect(await back.socket.next('reset')).toEqual({
      type: 'reset', conversationId: opened.conversationId, reason: ResetReason.AHEAD_OF_SERVER,
    });
    expect(await back.socket.next('resumed')).toEqual({ type: 'resumed', conversations: [] });
    expect(back.socket.frames.some((f) => f.type === 'message')).toBe(false);
  });
});

describe('sites and workspaces', () => {
  const appearance = { name: 'Other', greeting: 'Hi', color: '#222222', position: 'right', launcherLabel: 'Chat', replyTime: 'Soon' } as const;
  let keys = 0;

  /** A second workspace with its own site and admin, created beside the relay's. */
  async function otherWorkspace() {
    const n = ++keys;
    const workspace = await side.createWorkspace({ name: `Globex ${n}`, now: Date.now() });
    const site = await side.createSite({
      workspaceId: workspace.id, key: `site_globex_${n}`, name: 'Globex', allowedOrigins: ['*'], appearance, now: Date.now(),
    });
    const password = 'globex password';
    const admin = await side.createAgent({
      workspaceId: workspace.id, email: `boss${n}@globex.test`, name: 'Boss', role: 'admin', passwordHash: await hashPassword(password), now: Date.now(),
    });
    return { workspace, site, admin, cookie: await login(admin.email, password) };
  }

  it('a site that lists its origins refuses a visitor from any other (FORBIDDEN, 1008)', async () => {
    const { workspace } = await otherWorkspace();
    const site = await side.createSite({
      workspaceId: workspace.id, key: `site_strict_${++keys}`, name: 'Strict', allowedOrigins: ['https://shop.example'], appearance, now: Date.now(),
    });
    const allowed = await visitor({ siteKey: site.key, origin: 'https://shop.example' });
    expect(allowed.welcome).toMatchObject({ role: 'visitor', site: { key: site.key } });

    const socket = await connect('/ws/visitor', { origin: 'https://evil.test' });
    socket.send({ type: 'hello', protocol: PROTOCOL_VERSION, role: 'visitor', siteKey: site.key });
    expect(await socket.next('error')).toMatchObject({ code: 'FORBIDDEN' });
    expect((await socket.closed).code).toBe(1008);
    expect(socket.frames.some((f) => f.type === 'welcome')).toBe(false);

    // Without any Origin at all (not a browser): refused too, the list is an allow-list.
    const bare = await connect('/ws/visitor');
    bare.send({ type: 'hello', protocol: PROTOCOL_VERSION, role: 'visitor', siteKey: site.key });
    expect(await bare.next('error')).toMatchObject({ code: 'FORBIDDEN' });
    expect((await bare.closed).code).toBe(1008);
  });

  it('a visitor token is only valid on the site that issued it', async () => {
    const other = await otherWorkspace();
    const here = await visitor();
    const there = await visitor({ siteKey: other.site.key, token: here.welcome.visitorToken });
    expect(there.welcome.contact.id).not.toBe(here.welcome.contact.id);
    expect(there.welcome.visitorToken).not.toBe(here.welcome.visitorToken);
  });

  it('agents see only their own workspace’s conversations', async () => {
    const other = await otherWorkspace();
    const { socket: ours } = await agent();
    const { socket: theirs } = await agent({ cookie: other.cookie });
    const { socket: theirVisitor } = await visitor({ siteKey: other.site.key });
    const foreign = await say(theirVisitor, 'Globex-only question');

    // Their agent gets it live; ours never does.
    await theirs.next('message', (f) => f.message.id === foreign.messageId);
    await theirs.next('conversation', (f) => f.conversation.id === foreign.conversationId);
    const { socket: ourVisitor } = await visitor();
    const local = await say(ourVisitor, 'our question');
    await ours.next('message', (f) => f.message.id === local.messageId);
    expect(JSON.stringify(ours.frames)).not.toContain(foreign.conversationId);
    expect(JSON.stringify(theirs.frames)).not.toContain(local.conversationId);

    const id = foreign.conversationId;
    ours.send({ type: 'history', requestId: 'x_history', conversationId: id });
    expect(await ours.next('error')).toMatchObject({ code: 'NOT_FOUND', ref: 'x_history' });
    ours.send({ type: 'send', clientId: 'x_send', conversationId: id, text: 'hijack' });
    expect(await ours.next('error')).toMatchObject({ code: 'NOT_FOUND', ref: 'x_send' });
    ours.send({ type: 'update', requestId: 'x_update', conversationId: id, status: 'resolved' });
    expect(await ours.next('error')).toMatchObject({ code: 'NOT_FOUND', ref: 'x_update' });
    ours.send({ type: 'typing', conversationId: id, typing: true });
    expect(await ours.next('error')).toMatchObject({ code: 'NOT_FOUND' });
    expect(rows(id).map((r) => r.body)).toEqual(['Globex-only question']);
    expect((await side.conversation(id))?.status).toBe('open');

    const { socket: resumer } = await agent({ resume: [{ conversationId: id, seq: 0 }] });
    expect(resumer.frames.filter((f) => f.type === 'error')).toMatchObject([{ code: 'NOT_FOUND', ref: id }]);
    expect(resumer.frames.some((f) => f.type === 'message')).toBe(false);

    // Another workspace's agent cannot assign ours either.
    ours.send({ type: 'update', requestId: 'x_assign', conversationId: local.conversationId, assigneeId: other.admin.id });
    expect(await ours.next('error')).toMatchObject({ code: 'NOT_FOUND', field: 'assigneeId', ref: 'x_assign' });
  });

  it('a visitor’s profile names their later messages', async () => {
    const { socket: inbox } = await agent();
    const { socket: vis } = await visitor();
    vis.send({ type: 'profile', requestId: 'p_1', name: '  Vera ', email: 'Vera@Example.COM' });
    expect(await vis.next('ok')).toEqual({ type: 'ok', ref: 'p_1' });
    const ack = await say(vis, 'named now');
    const live = await inbox.next('message', (f) => f.message.id === ack.messageId);
    expect(live.message.author).toMatchObject({ kind: 'visitor', name: 'Vera' });
    const summary = await inbox.next('conversation', (f) => f.conversation.id === ack.conversationId);
    expect(summary.conversation.contact).toMatchObject({ name: 'Vera', email: 'vera@example.com' });
  });
});

describe('plain HTTP on the WebSocket paths', () => {
  it('answers 426 with a JSON error, never 500, whatever upgrade headers a non-upgrade request carries', async () => {
    for (const headers of [{}, { upgrade: 'websocket' }, { upgrade: 'websocket', connection: 'close' }]) {
      for (const path of ['/ws/visitor', '/ws/agent']) {
        // node:http, not fetch: fetch refuses to send an Upgrade header at all.
        const response = await rawGet(`${relay.url}${path}`, headers);
        expect(response.status, `${path} ${JSON.stringify(headers)}`).toBe(426);
        expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'INVALID_REQUEST' } });
      }
    }
  });
});

function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}
