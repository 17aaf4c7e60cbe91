import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { AckFrame } from '@parley/protocol';
import type { TestSocket } from '../../apps/relay/src/testing/ws-client.ts';
import {
  checkDatabase, rawVisitor, storedMessages, until, visitorClient, visitorIp, whenOpen, type StoredMessage, type VisitorClient,
} from '../support/chat-peers.ts';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.ts';

/**
 * Issue 6, rows F1, F2 and F8: the relay killed with SIGKILL (no shutdown hook, no flush) while
 * visitors are writing. An ack is a promise that the row is committed; these tests hold the relay
 * to it from the outside, reading its SQLite file with a connection of their own.
 */

const relays: RelayProcess[] = [];
const clients: VisitorClient[] = [];
const sockets: TestSocket[] = [];

afterEach(async () => {
  for (const { client } of clients.splice(0)) client.close();
  for (const socket of sockets.splice(0)) socket.ws.terminate();
  for (const relay of relays.splice(0)) await relay.dispose();
});

async function relayChild(env: Record<string, string> = {}): Promise<RelayProcess> {
  const relay = await startRelayProcess({ TRUST_PROXY: '1', ...env });
  relays.push(relay);
  return relay;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function byClientId(rows: StoredMessage[]): Map<string, StoredMessage> {
  return new Map(rows.map((row) => [row.clientId, row]));
}

describe('F1: kill -9 in the middle of a burst from many visitors', () => {
  it('keeps every acked message; clients resend the rest with their client ids; no gap, no duplicate', async () => {
    const VISITORS = 50;
    const BURST = 20; // under the 30 messages a minute a visitor may send, resends included
    const relay = await relayChild();
    const visitors = Array.from({ length: VISITORS }, (_, i) => visitorClient(relay.url, relay.siteKey, visitorIp(i + 1)));
    clients.push(...visitors);
    for (const { client } of visitors) client.connect();
    await Promise.all(visitors.map(({ client }) => whenOpen(client)));

    const acks = new Map<string, AckFrame>();
    const writtenBeforeKill = new Set<string>();
    let killed = false;
    let killing: Promise<void> | null = null;
    // Each visitor types its numbered messages a few ms apart. Half-way through, every visitor
    // waits until a third of the whole burst is acked; then the kill comes right after the next
    // message is written, so it lands mid-burst with that message (at least) unacknowledged.
    // (Killing after a poll for acks instead let a fast relay ack everything written in between.)
    const halfway = BURST / 2;
    const aThirdAcked = until(() => acks.size >= (VISITORS * BURST) / 3, 'a third of the burst to be acked');
    const bursts = visitors.map(async ({ client }, v) => {
      for (let n = 1; n <= BURST; n++) {
        if (n === halfway + 1) await aThirdAcked;
        const clientId = `v${v}-m${n}`;
        if (!killed && client.status === 'open') writtenBeforeKill.add(clientId);
        void client.send({ clientId, text: String(n) }).ack.then((ack) => acks.set(clientId, ack));
        if (!killed && n > halfway) {
          killed = true;
          killing = relay.kill('SIGKILL'); // the signal is sent before this call returns
        }
        await sleep(5 + ((v * 7 + n * 13) % 10));
      }
    });

    await until(() => killing !== null, 'the kill');
    await killing;
    const ackedBeforeKill = new Map(acks);

    // What the kill left on disk, before any restart or recovery by the relay.
    const atKill = byClientId(storedMessages(relay.databasePath));
    for (const [clientId, ack] of ackedBeforeKill) {
      expect(atKill.get(clientId), `acked ${clientId} is on disk`).toMatchObject({ id: ack.messageId, seq: ack.seq, conversationId: ack.conversationId });
    }
    const unacked = [...writtenBeforeKill].filter((id) => !ackedBeforeKill.has(id));
    expect(ackedBeforeKill.size).toBeGreaterThan(0);
    expect(unacked.length, 'the kill landed mid-burst: some messages were on the wire, unacknowledged').toBeGreaterThan(0);

    await relay.restart();
    await Promise.all(bursts);
    await until(() => acks.size === VISITORS * BURST, 'every message to be acked after the restart', 30_000);

    const rows = storedMessages(relay.databasePath);
    const final = byClientId(rows);
    expect(rows).toHaveLength(VISITORS * BURST);
    // An ack seen before the kill is the same row afterwards; committed-but-unacked ones came back as duplicates of their row.
    for (const [clientId, ack] of acks) {
      expect(final.get(clientId)).toMatchObject({ id: ack.messageId, seq: ack.seq });
      const committedUnseen = atKill.get(clientId);
      if (committedUnseen && !ackedBeforeKill.has(clientId)) {
        expect(ack).toMatchObject({ messageId: committedUnseen.id, seq: committedUnseen.seq, duplicate: true });
      }
    }
    // Every visitor has one conversation reading 1..BURST in seq order: no gap, no duplicate, no reordering.
    const conversations = new Map<string, StoredMessage[]>();
    for (const row of rows) conversations.set(row.conversationId, [...(conversations.get(row.conversationId) ?? []), row]);
    expect(conversations.size).toBe(VISITORS);
    for (const transcript of conversations.values()) {
      const visitor = transcript[0]!.clientId.split('-')[0];
      expect(transcript.map((m) => m.seq)).toEqual(Array.from({ length: BURST }, (_, i) => i + 1));
      expect(transcript.map((m) => m.text)).toEqual(Array.from({ length: BURST }, (_, i) => String(i + 1)));
      expect(transcript.map((m) => m.clientId)).toEqual(Array.from({ length: BURST }, (_, i) => `${visitor}-m${i + 1}`));
    }
    expect(checkDatabase(relay.databasePath)).toEqual({ integrity: ['ok'], foreignKeyViolations: [] });
    console.info(`[F1] ${VISITORS}×${BURST}: ${ackedBeforeKill.size} acked before kill, ${unacked.length} unacked on the wire, `
      + `${unacked.filter((id) => atKill.has(id)).length} of those committed (came back as duplicates)`);
  });
});

describe('F2: killed after the commit, before the ack', () => {
  it('the client’s resend after the restart gets the original id and seq', async () => {
    const flag = join(resolve(import.meta.dirname), `.kill-flag-${process.pid}`);
    const relay = await relayChild({
      NODE_OPTIONS: `--import=${pathToFileURL(resolve(import.meta.dirname, '../support/kill-before-ack.ts')).href}`,
      PARLEY_TEST_KILL_FLAG: flag,
      PARLEY_TEST_KILL_BEFORE_ACK_OF: 'f2-committed-not-acked',
    });
    const visitor = visitorClient(relay.url, relay.siteKey, visitorIp(1));
    clients.push(visitor);
    visitor.client.connect();
    await whenOpen(visitor.client);
    const first = await visitor.client.send({ clientId: 'f2-before', text: 'first' }).ack;

    writeFileSync(flag, '');
    const { ack } = visitor.client.send({ clientId: 'f2-committed-not-acked', text: 'second' });
    await until(() => !existsSync(flag), 'the relay to reach the ack and kill itself');
    await relay.kill('SIGKILL'); // resolves once the child has exited
    const row = byClientId(storedMessages(relay.databasePath)).get('f2-committed-not-acked');
    expect(row, 'the message was committed before the crash').toMatchObject({ conversationId: first.conversationId, seq: 2 });
    expect(visitor.client.outbox().map((entry) => entry.clientId)).toEqual(['f2-committed-not-acked']);

    await relay.restart();
    expect(await ack).toMatchObject({ clientId: 'f2-committed-not-acked', messageId: row!.id, seq: row!.seq, duplicate: true });
    const rows = storedMessages(relay.databasePath);
    expect(rows.map((m) => [m.clientId, m.seq])).toEqual([['f2-before', 1], ['f2-committed-not-acked', 2]]);
  });
});

describe('F8: SQLite after kill -9 during a write burst', () => {
  it('integrity_check is ok and every acked row is present, twice over', async () => {
    const relay = await relayChild();
    const VISITORS = 40;
    const BURST = 25;
    for (let round = 0; round < 2; round++) {
      if (round > 0) await relay.restart();
      const peers = await Promise.all(
        Array.from({ length: VISITORS }, (_, i) => rawVisitor(relay.url, relay.siteKey, { ip: visitorIp(1000 * (round + 1) + i) })),
      );
      sockets.push(...peers.map((p) => p.socket));
      let acked = 0;
      const dead = new Promise<void>((done) => {
        for (const { socket } of peers) {
          socket.ws.on('message', (data) => {
            if (String(data).startsWith('{"type":"ack"') && ++acked === Math.floor((VISITORS * BURST) / 2)) {
              void relay.kill('SIGKILL').then(done);
            }
          });
        }
      });
      // Pipelined, as fast as the sockets take them: the relay's group commit writes big batches.
      peers.forEach(({ socket }, v) => {
        for (let n = 1; n <= BURST; n++) socket.send({ type: 'send', clientId: `r${round}-v${v}-m${n}`, text: `round ${round} message ${n}` });
      });
      await Promise.race([dead, sleep(20_000).then(() => { throw new Error(`only ${acked} acks`); })]);

      expect(checkDatabase(relay.databasePath)).toEqual({ integrity: ['ok'], foreignKeyViolations: [] });
      const rows = byClientId(storedMessages(relay.databasePath));
      const acks = peers.flatMap(({ socket }) => socket.frames.filter((f): f is AckFrame => f.type === 'ack'));
      expect(acks.length).toBeGreaterThanOrEqual(Math.floor((VISITORS * BURST) / 2));
      for (const ack of acks) {
        expect(rows.get(ack.clientId), ack.clientId).toMatchObject({ id: ack.messageId, seq: ack.seq, text: `round ${round} message ${ack.clientId.split('-m')[1]}` });
      }
      // Whatever made it to disk is a prefix of each visitor's burst: the commit is all or nothing per batch.
      const perConversation = new Map<string, number[]>();
      for (const row of rows.values()) {
        if (row.clientId.startsWith(`r${round}-`)) perConversation.set(row.conversationId, [...(perConversation.get(row.conversationId) ?? []), row.seq]);
      }
      for (const seqs of perConversation.values()) expect(seqs.sort((a, b) => a - b)).toEqual(seqs.map((_, i) => i + 1));
      console.info(`[F8] round ${round}: ${acks.length} acked before the kill, ${[...rows.keys()].filter((id) => id.startsWith(`r${round}-`)).length} rows on disk`);
    }
  });
});
