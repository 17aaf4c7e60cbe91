import type { Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { LIMITS } from '@parley/protocol';
import { startTestRelay, type TestRelay } from '../testing/relay-fixture.ts';
import type { TestSocket } from '../testing/ws-client.ts';
import { MAX_BUFFERED_BYTES } from './socket-peer.ts';

/**
 * A visitor whose client stops reading (a frozen tab, a hostile script) must not make the relay
 * hold an ever-growing send buffer for it: past its allowance the relay cuts it off and carries on
 * serving everyone else. Real relay, real sockets; the stalled client is a `ws` socket whose TCP
 * socket is paused, so the kernel stops reading it and the relay's writes back up.
 */

let t: TestRelay;
beforeAll(async () => {
  t = await startTestRelay('parley-slow-reader-');
});
afterEach(async () => {
  expect(await t.closeSockets()).toEqual([]);
});
afterAll(async () => {
  await t?.close();
});

/** The longest messages there are, and the largest page: each `history` answer is about 1.6 MB. */
const SEEDED_MESSAGES = LIMITS.maxHistoryPage;
/**
 * Pages asked for, never read. Loopback's kernel buffers can swallow several MB before the relay's
 * own buffer grows, so this queues far more (about 33 MB) than the allowance plus the kernel hold.
 */
const PAGES_ASKED = 20;

/** The TCP socket under a `ws` client: `ws` has no public way to stop reading. */
const tcp = (socket: TestSocket) => (socket.ws as unknown as { _socket: Socket })._socket;

/** `promise`, or a failure naming what did not happen: clearer than the test's own timeout. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('a visitor that stops reading', () => {
  let warn: MockInstance<typeof console.warn>;
  beforeAll(() => {
    // The relay logs through console (server.ts); the expected warning is asserted, not printed.
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  });
  afterAll(() => {
    warn.mockRestore();
  });

  /** The unread byte count of the relay's "cut off" warning for a visitor, once it was logged. */
  const cutOffWarning = () => {
    for (const [message] of warn.mock.calls) {
      const match = /cut off a visitor socket that stopped reading \((\d+) bytes unread\)/.exec(String(message));
      if (match) return Number(match[1]);
    }
    return undefined;
  };

  it('is cut off once more than its allowance is queued, and everyone else keeps chatting', { timeout: 20_000 }, async () => {
    const { site, admin, adminCookie } = await t.workspace();
    const agent = await t.agent(adminCookie);

    // A visitor with a long thread: its own first message, then a full page of the longest replies,
    // written straight into the store so that no rate limit or live delivery is involved.
    const slow = await t.visitor(site.key);
    const { conversationId } = await t.say(slow.socket, 'Can you send me everything?');
    const text = 'All the details you asked for. '.repeat(LIMITS.maxTextLength).slice(0, LIMITS.maxTextLength);
    await Promise.all(
      Array.from({ length: SEEDED_MESSAGES }, (_, i) =>
        t.side.appendMessage({
          workspaceId: site.workspaceId, siteId: site.id, contactId: null, conversationId, clientId: `long_${i}`,
          kind: 'text', author: { kind: 'agent', id: admin.id, name: admin.name }, text, now: Date.now(),
        }),
      ),
    );

    // The client stops reading, then keeps asking for the whole page (history is not rate-limited).
    const stalled = tcp(slow.socket);
    stalled.pause();
    try {
      for (let i = 0; i < PAGES_ASKED; i++) {
        slow.socket.send({ type: 'history', requestId: `page_${i}`, conversationId, limit: LIMITS.maxHistoryPage });
      }
      // The relay noticed, with more than the allowance unread. The heartbeat would also drop a client
      // that stays stalled (no pongs), but silently: the warning is what tells the two apart.
      await vi.waitFor(() => expect(cutOffWarning(), 'the relay’s cut-off warning').toBeDefined(), { timeout: 5000, interval: 10 });
      expect(cutOffWarning()).toBeGreaterThan(MAX_BUFFERED_BYTES.visitor);
    } finally {
      // Reading again at once: from here the client answers pings, so the heartbeat has no reason to
      // drop it and only the cut-off can close it. Also on failure, so the fixture can clean up.
      stalled.resume();
    }

    // The client drains what the kernel still held, then finds the socket gone: terminated,
    // without a closing handshake (1006), long before the relay answered everything it asked for.
    const closed = await within(slow.socket.closed, 5000, 'the close of the stalled socket');
    expect(closed.code).toBe(1006);
    expect(slow.socket.frames.filter((f) => f.type === 'history').length).toBeLessThan(PAGES_ASKED);

    // Everyone else carries on: the agent that was connected all along and a visitor arriving now.
    const other = await t.visitor(site.key);
    const asked = await t.say(other.socket, 'Is anyone there?');
    await agent.socket.next('message', (f) => f.message.id === asked.messageId);
    await t.say(agent.socket, 'Yes, how can I help?', { conversationId: asked.conversationId });
    const reply = await other.socket.next('message', (f) => f.message.author.kind === 'agent');
    expect(reply.message.text).toBe('Yes, how can I help?');

    const health = await fetch(`${t.relay.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true });
  });
});
