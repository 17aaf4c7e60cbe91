import { copyFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AckFrame, Message, ResetFrame, ServerFrame } from '@parley/protocol';
import type { TestSocket } from '../../apps/relay/src/testing/ws-client.ts';
import {
  rawAgent, rawVisitor, signIn, storedMessages, until, visitorClient, visitorIp, whenOpen, type VisitorClient,
} from '../support/chat-peers.ts';
import { tcpState } from '../support/proc-stats.ts';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.ts';

/**
 * Issue 6, rows F4 to F7: half-open sockets, two tabs of one visitor, and resume points the relay
 * can or cannot serve, against the relay as users run it. The heartbeat is 300 ms so that
 * "within two heartbeats" is measurable in a test.
 */

const HEARTBEAT_MS = 300;
let relay: RelayProcess;
let agentCookie: string;
let nextIp = 1;
const sockets: TestSocket[] = [];
const clients: VisitorClient[] = [];

beforeAll(async () => {
  relay = await startRelayProcess({ TRUST_PROXY: '1', PARLEY_HEARTBEAT_MS: String(HEARTBEAT_MS) });
  agentCookie = await signIn(relay.url);
});
afterAll(async () => {
  for (const { client } of clients) client.close();
  for (const socket of sockets) socket.ws.terminate();
  await relay.dispose();
});

async function visitor(token?: string, resume?: Array<{ conversationId: string; seq: number }>) {
  const peer = await rawVisitor(relay.url, relay.siteKey, { ip: visitorIp(nextIp++), ...(token ? { token } : {}), ...(resume ? { resume } : {}) });
  sockets.push(peer.socket);
  return peer;
}

async function agent() {
  const socket = await rawAgent(relay.url, agentCookie);
  sockets.push(socket);
  return socket;
}

/** Sends a message and waits for its ack. */
async function say(socket: TestSocket, clientId: string, text: string, conversationId?: string): Promise<AckFrame> {
  socket.send({ type: 'send', clientId, text, ...(conversationId ? { conversationId } : {}) });
  return socket.next('ack', (f) => f.clientId === clientId, 5_000);
}

/** The seqs of `conversationId` among the `message` frames a socket received, in arrival order. */
function seqsOf(socket: TestSocket, conversationId: string): number[] {
  return socket.frames.flatMap((f) => (f.type === 'message' && f.message.conversationId === conversationId ? [f.message.seq] : []));
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('F4: a client that stops reading', () => {
  it('is dropped within two heartbeats, and on its return resume replays what it missed, in order', async () => {
    const { socket: tab, welcome } = await visitor();
    await tab.next('resumed');
    const first = await say(tab, 'f4-hello', 'anyone there?');
    await tab.next('message', (f) => f.message.seq === 1);
    const steady = (await visitor()).socket; // a peer that keeps answering pings: it must stay

    // Stop reading entirely (a phone that lost its network): pings pile up unanswered in the kernel.
    const raw = (tab.ws as unknown as { _socket: { localPort: number; remotePort: number } })._socket;
    tab.ws.pause();
    const pausedAt = performance.now();
    await until(() => tcpState(raw.localPort, raw.remotePort) !== 'ESTABLISHED', 'the relay to hang up', 10 * HEARTBEAT_MS);
    const droppedAfter = performance.now() - pausedAt;
    expect(droppedAfter).toBeLessThanOrEqual(2 * HEARTBEAT_MS + 250); // + scheduling slack on a loaded machine
    await new Promise((r) => setTimeout(r, HEARTBEAT_MS));
    expect(steady.ws.readyState).toBe(steady.ws.OPEN);
    await steady.sync();

    // What it misses while away: five replies.
    const support = await agent();
    for (let i = 1; i <= 5; i++) await say(support, `f4-reply-${i}`, `reply ${i}`, first.conversationId);

    const back = await visitor(welcome.visitorToken, [{ conversationId: first.conversationId, seq: 1 }]);
    const resumed = await back.socket.next('resumed');
    expect(resumed.conversations).toEqual([{ conversationId: first.conversationId, seq: 6 }]);
    const replayed = back.socket.frames.filter((f): f is Extract<ServerFrame, { type: 'message' }> => f.type === 'message');
    expect(replayed.map((f) => [f.message.seq, f.message.text])).toEqual(range(1, 5).map((i) => [i + 1, `reply ${i}`]));
    tab.ws.terminate();
    console.info(`[F4] a paused socket was dropped ${droppedAfter.toFixed(0)} ms after it stopped reading (heartbeat ${HEARTBEAT_MS} ms)`);
  });
});

describe('F5: the same client id from two tabs at once', () => {
  it('stores one row and gives both tabs the same ack', async () => {
    const pairs: Array<[AckFrame, AckFrame]> = [];
    for (let v = 0; v < 3; v++) {
      const a = await visitor();
      await a.socket.next('resumed');
      const b = await visitor(a.welcome.visitorToken);
      await b.socket.next('resumed');
      let conversationId: string | undefined;
      for (let k = 0; k < 10; k++) {
        const clientId = `f5-v${v}-${k}`;
        // The first pair opens the conversation; then half name it and half write into "the current one".
        const frame = { type: 'send', clientId, text: `same text ${k}`, ...(conversationId && k % 2 ? { conversationId } : {}) };
        a.socket.send(frame);
        b.socket.send(frame);
        const acks = await Promise.all([a.socket.next('ack', (f) => f.clientId === clientId), b.socket.next('ack', (f) => f.clientId === clientId)]);
        conversationId = acks[0].conversationId;
        pairs.push(acks);
      }
    }
    for (const [a, b] of pairs) {
      // Identical but for `duplicate`, which tells which tab's frame was stored.
      expect({ ...a, duplicate: null }).toEqual({ ...b, duplicate: null });
      expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    }
    const rows = storedMessages(relay.databasePath).filter((m) => m.clientId.startsWith('f5-'));
    expect(rows).toHaveLength(30);
    expect(new Set(rows.map((m) => m.conversationId)).size).toBe(3);
    for (const [a] of pairs) expect(rows.find((m) => m.clientId === a.clientId)).toMatchObject({ id: a.messageId, seq: a.seq });
  });
});

describe('F6: resume with a stale seq from two tabs at once', () => {
  it('each tab gets every later message once, ascending, while replies keep arriving', async () => {
    const first = await visitor();
    await first.socket.next('resumed');
    const opened = await say(first.socket, 'f6-open', 'hello');
    const conversationId = opened.conversationId;
    const support = await agent();
    for (let i = 2; i <= 11; i++) await say(support, `f6-before-${i}`, `reply ${i}`, conversationId);
    first.socket.ws.terminate();

    // Both tabs come back from seq 3 while the agent writes ten more, pipelined.
    const live = range(12, 21).map((seq) => `f6-live-${seq}`);
    const [a, b] = await Promise.all([
      visitor(first.welcome.visitorToken, [{ conversationId, seq: 3 }]),
      visitor(first.welcome.visitorToken, [{ conversationId, seq: 3 }]),
      (async () => {
        for (const clientId of live) support.send({ type: 'send', clientId, text: clientId, conversationId });
        for (const clientId of live) await support.next('ack', (f) => f.clientId === clientId, 5_000);
      })(),
    ]);
    for (const tab of [a!, b!]) {
      await tab.socket.next('resumed');
      await until(() => seqsOf(tab.socket, conversationId).at(-1) === 21, 'the last live reply');
      await tab.socket.sync();
      expect(seqsOf(tab.socket, conversationId)).toEqual(range(4, 21));
    }
  });
});

describe('F7: a resume point the relay can no longer serve (the database restored from a backup)', () => {
  it('gets an explicit reset, and @parley/client reloads the thread through history: never a silent gap', async () => {
    const backup = `${relay.databasePath}.backup`;
    const v = visitorClient(relay.url, relay.siteKey, visitorIp(nextIp++));
    clients.push(v);
    const log: string[] = [];
    let conversationId = '';
    v.client.on('message', (m: Message) => log.push(`message ${m.seq}`));
    v.client.on('reset', (r: ResetFrame) => log.push(`reset ${r.reason}`));
    v.client.connect();
    await whenOpen(v.client);
    for (let n = 1; n <= 3; n++) conversationId = (await v.client.send({ text: `kept ${n}` }).ack).conversationId;
    await until(() => v.client.lastSeq(conversationId) === 3, 'the client to hold seq 3');

    // The backup: taken from a cleanly stopped relay, as an operator would.
    await relay.kill('SIGTERM');
    copyFileSync(relay.databasePath, backup);
    await relay.restart();
    await whenOpen(v.client);
    for (let n = 4; n <= 7; n++) await v.client.send({ text: `lost ${n}` }).ack;
    await until(() => v.client.lastSeq(conversationId) === 7, 'the client to hold seq 7');

    // Disaster: the database is restored from the backup, four acked messages behind the client.
    await relay.kill('SIGTERM');
    for (const suffix of ['-wal', '-shm']) rmSync(relay.databasePath + suffix, { force: true });
    copyFileSync(backup, relay.databasePath);
    log.length = 0;
    await relay.restart();
    await until(() => log.includes('reset AHEAD_OF_SERVER'), 'the reset');
    expect(log).toEqual(['reset AHEAD_OF_SERVER']); // nothing of the conversation before it: no silent gap
    expect(v.client.lastSeq(conversationId)).toBe(0);

    const page = await v.client.history(conversationId);
    expect(page.messages.map((m) => [m.seq, m.text])).toEqual([[1, 'kept 1'], [2, 'kept 2'], [3, 'kept 3']]);
    expect(page.hasMore).toBe(false);
    expect(v.client.lastSeq(conversationId)).toBe(3);
    // The thread carries on from what the relay has.
    const next = await v.client.send({ text: 'after the restore' }).ack;
    expect(next).toMatchObject({ conversationId, seq: 4 });
    await until(() => v.client.lastSeq(conversationId) === 4, 'the client to hold seq 4');
    rmSync(backup, { force: true });
  });
});
