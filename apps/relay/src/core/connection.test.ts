import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type Message, type ServerFrame } from '@parley/protocol';
import { hashToken } from '../auth/tokens.ts';
import { createMemoryBus } from '../fanout/memory-bus.ts';
import { createSqliteStore } from '../storage/sqlite/sqlite-store.ts';
import { topics, type Bus } from './bus.ts';
import { createConnection, type Peer } from './connection.ts';
import type { CoreDeps } from './deps.ts';
import { createMemoryPresence } from './presence.ts';
import { createRateLimits } from './rate-limit.ts';
import type { ContactRecord, SiteRecord, Store } from './store.ts';

/**
 * The core without a transport: the orderings a real socket test cannot pin down deterministically
 * (a live event arriving while a resume replays from the database).
 */

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function fakePeer(id: string) {
  const frames: ServerFrame[] = [];
  const closes: Array<{ code: number; reason: string }> = [];
  let waiter: { match: (f: ServerFrame) => boolean; resolve: (f: ServerFrame) => void } | null = null;
  const peer: Peer = {
    id,
    send(frame) {
      // Through JSON, as a socket would: nothing shared by reference with the relay.
      const copy = JSON.parse(JSON.stringify(frame)) as ServerFrame;
      frames.push(copy);
      if (waiter?.match(copy)) {
        waiter.resolve(copy);
        waiter = null;
      }
    },
    close(code, reason) {
      closes.push({ code, reason });
    },
  };
  const until = (match: (f: ServerFrame) => boolean) => {
    const found = frames.find(match);
    if (found) return Promise.resolve(found);
    const d = deferred<ServerFrame>();
    waiter = { match, resolve: d.resolve };
    return d.promise;
  };
  return { peer, frames, closes, until };
}

const TOKEN = 'visitor-token-for-core-tests';

let store: Store;
let bus: Bus;
let site: SiteRecord;
let contact: ContactRecord;
let logged: Array<{ level: string; message: string }>;

beforeEach(async () => {
  store = createSqliteStore({ filename: ':memory:' });
  bus = createMemoryBus();
  logged = [];
  const workspace = await store.createWorkspace({ name: 'Acme', now: 1 });
  site = await store.createSite({
    workspaceId: workspace.id, key: 'site_core', name: 'Acme', allowedOrigins: ['*'],
    appearance: { name: 'S', greeting: 'G', color: '#000000', position: 'right', launcherLabel: 'L', replyTime: 'R' }, now: 1,
  });
  contact = await store.createContact({ siteId: site.id, workspaceId: workspace.id, tokenHash: hashToken(TOKEN), now: 1 });
});
afterEach(async () => {
  await bus.close();
  await store.close();
});

function deps(overrides: Partial<Store> = {}): CoreDeps {
  return {
    store: { ...store, ...overrides },
    bus,
    presence: createMemoryPresence(),
    limits: createRateLimits(),
    now: () => 5_000,
    heartbeatMs: 1000,
    log: (level, message) => logged.push({ level, message }),
  };
}

/** Commits a message (the visitor's own when no conversation is named, else an agent's) and publishes it to the visitor, as the core does. */
async function published(conversationId: string | undefined, text: string): Promise<Message> {
  const { message } = await store.appendMessage({
    workspaceId: site.workspaceId, siteId: site.id, contactId: conversationId ? null : contact.id, conversationId,
    clientId: `c_${text.replace(/\W/g, '_')}`, kind: 'text',
    author: conversationId ? { kind: 'agent', id: 'agent_1', name: 'Ann' } : { kind: 'visitor', id: contact.id, name: null },
    text, now: 2,
  });
  await bus.publish(topics.contact(contact.id), { frame: { type: 'message', message } });
  return message;
}

const hello = (resume: Array<{ conversationId: string; seq: number }>) =>
  JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, role: 'visitor', siteKey: site.key, visitorToken: TOKEN, resume });

describe('resume while live events arrive', () => {
  it('holds live messages until the replay is done, and delivers each message once, in seq order', async () => {
    const first = await published(undefined, 'm1');
    const id = first.conversationId;
    await published(id, 'm2');
    await published(id, 'm3');

    const replayStarted = deferred();
    const releaseReplay = deferred();
    const { peer, frames, until } = fakePeer('visitor-peer');
    const connection = createConnection(
      deps({
        async messagesAfter(...args) {
          replayStarted.resolve();
          await releaseReplay.promise;
          return store.messagesAfter(...args);
        },
      }),
      peer,
      { endpoint: 'visitor', origin: null, agent: null },
    );
    connection.receive(hello([{ conversationId: id, seq: 1 }]));
    await replayStarted.promise;

    // Committed and published while the replay's query is in flight: it is both in the
    // database the replay reads and on the bus.
    await published(id, 'm4');
    releaseReplay.resolve();
    await until((f) => f.type === 'resumed');
    // And one after the replay, which flows live.
    await published(id, 'm5');

    const seen = frames.map((f) => (f.type === 'message' ? `message:${f.message.seq}` : f.type));
    expect(seen).toEqual(['welcome', 'message:2', 'message:3', 'message:4', 'resumed', 'message:5']);
    expect(frames.find((f) => f.type === 'resumed')).toEqual({ type: 'resumed', conversations: [{ conversationId: id, seq: 4 }] });
    await connection.closed();
  });

  it('live events for conversations that are not being resumed wait for the replay too', async () => {
    const resumedOne = await published(undefined, 'in resumed');
    await store.updateConversation(resumedOne.conversationId, { status: 'resolved' }, 3);
    const replayStarted = deferred();
    const releaseReplay = deferred();
    const { peer, frames, until } = fakePeer('visitor-peer');
    const connection = createConnection(
      deps({
        async messagesAfter(...args) {
          replayStarted.resolve();
          await releaseReplay.promise;
          return store.messagesAfter(...args);
        },
      }),
      peer,
      { endpoint: 'visitor', origin: null, agent: null },
    );
    connection.receive(hello([{ conversationId: resumedOne.conversationId, seq: 0 }]));
    await replayStarted.promise;
    const other = await published(undefined, 'new conversation');
    expect(other.conversationId).not.toBe(resumedOne.conversationId);
    releaseReplay.resolve();
    await until((f) => f.type === 'message' && f.message.id === other.id);
    expect(frames.map((f) => (f.type === 'message' ? f.message.text : f.type))).toEqual([
      'welcome', 'in resumed', 'resumed', 'new conversation',
    ]);
    await connection.closed();
  });
});

describe('frame handling', () => {
  it('answers frames strictly in arrival order, even when an earlier one is slow', async () => {
    const { peer, frames, until } = fakePeer('p1');
    const connection = createConnection(deps(), peer, { endpoint: 'visitor', origin: null, agent: null });
    connection.receive(hello([]));
    connection.receive(JSON.stringify({ type: 'send', clientId: 'slow_1', text: 'waits for a commit' }));
    connection.receive('not json');
    connection.receive(JSON.stringify({ type: 'ping', t: 1 }));
    await until((f) => f.type === 'pong');
    expect(frames.map((f) => (f.type === 'error' ? f.code : f.type))).toEqual(['welcome', 'resumed', 'ack', 'message', 'BAD_JSON', 'pong']);
    await connection.closed();
  });

  it('an unexpected failure is INTERNAL without details, logged, and the connection carries on', async () => {
    const { peer, frames, until } = fakePeer('p1');
    const connection = createConnection(
      deps({
        async conversationAccess() {
          throw new Error('disk on fire: /var/secret/path');
        },
      }),
      peer,
      { endpoint: 'visitor', origin: null, agent: null },
    );
    connection.receive(hello([]));
    connection.receive(JSON.stringify({ type: 'history', requestId: 'h_1', conversationId: 'whatever' }));
    connection.receive(JSON.stringify({ type: 'ping', t: 2 }));
    await until((f) => f.type === 'pong');
    const error = frames.find((f) => f.type === 'error');
    expect(error).toEqual({ type: 'error', code: 'INTERNAL', message: 'Internal error', ref: 'h_1' });
    expect(JSON.stringify(frames)).not.toContain('disk on fire');
    expect(logged).toEqual([{ level: 'error', message: 'frame history failed' }]);
    await connection.closed();
  });

  it('a hello of another protocol version is refused and the peer is hung up on with 4000', async () => {
    const { peer, frames, closes, until } = fakePeer('p1');
    const connection = createConnection(deps(), peer, { endpoint: 'visitor', origin: null, agent: null });
    connection.receive(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION + 1, role: 'visitor', siteKey: site.key }));
    await until((f) => f.type === 'error');
    expect(frames).toMatchObject([{ type: 'error', code: 'UNSUPPORTED_VERSION' }]);
    expect(closes).toEqual([{ code: 4000, reason: expect.any(String) }]);
    await connection.closed();
  });

  it('after close, nothing more is sent and the subscriptions end', async () => {
    const { peer, frames, until } = fakePeer('p1');
    const connection = createConnection(deps(), peer, { endpoint: 'visitor', origin: null, agent: null });
    connection.receive(hello([]));
    await until((f) => f.type === 'resumed');
    const first = await published(undefined, 'before close');
    await connection.closed();
    const count = frames.length;
    await published(first.conversationId, 'after close');
    expect(frames).toHaveLength(count);
  });
});
