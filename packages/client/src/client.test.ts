import { PROTOCOL_VERSION, type ClientFrame, type SendFrame, type ServerFrame } from '@parley/protocol';
import { WebSocket as WsSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { createParleyClient } from './client.ts';
import { message, sleep, startFakeRelay, until, type FakeRelay, type RelayHandler } from './fake-relay.ts';
import { ParleyClientError, type ClientOptions, type ClientStatus, type ParleyClient } from './types.ts';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function relayFor(handler?: RelayHandler): Promise<FakeRelay> {
  const relay = await startFakeRelay(handler);
  cleanup.push(() => relay.close());
  return relay;
}

function clientFor(relay: FakeRelay, options: Partial<ClientOptions> = {}): ParleyClient {
  const client = createParleyClient({
    url: relay.url,
    hello: () => ({ role: 'agent' }),
    // Fast and deterministic retries: 10, 20, 40, 50, 50… ms.
    backoffBaseMs: 10,
    backoffMaxMs: 50,
    jitter: 0,
    connectTimeoutMs: 1000,
    ...options,
  });
  cleanup.push(() => client.close());
  return client;
}

function statuses(client: ParleyClient): ClientStatus[] {
  const seen: ClientStatus[] = [];
  client.on('status', (status) => seen.push(status));
  return seen;
}

async function opened(client: ParleyClient): Promise<void> {
  client.connect();
  await until(() => client.status === 'open', 'status open');
}

const sendsIn = (frames: readonly ClientFrame[]) => frames.filter((f): f is SendFrame => f.type === 'send');
const typesIn = (frames: readonly ClientFrame[]) => frames.map((f) => f.type);

describe('connecting', () => {
  it('says hello with the protocol version, the identity and every resume point', async () => {
    const relay = await relayFor();
    const client = clientFor(relay, {
      hello: () => ({ role: 'visitor', siteKey: 'site_1', visitorToken: 'token-0123456789abcdef' }),
    });
    client.track('c1', 5);
    client.track('c2', 0);
    await opened(client);
    expect(relay.frames[0]).toEqual({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      role: 'visitor',
      siteKey: 'site_1',
      visitorToken: 'token-0123456789abcdef',
      resume: [
        { conversationId: 'c1', seq: 5 },
        { conversationId: 'c2', seq: 0 },
      ],
    });
  });

  it('omits resume when nothing is tracked, and asks hello() afresh on every reconnect', async () => {
    const relay = await relayFor();
    let calls = 0;
    const client = clientFor(relay, {
      hello: () => ({ role: 'visitor', siteKey: 'site_1', visitorToken: `token-${++calls}-0123456789abcdef` }),
    });
    const seen = statuses(client);
    await opened(client);
    expect(relay.frames[0]).not.toHaveProperty('resume');
    relay.connections[0]?.drop();
    await until(() => relay.connections.length === 2 && client.status === 'open', 'reconnect');
    expect(relay.connections[1]?.frames[0]).toMatchObject({ type: 'hello', visitorToken: 'token-2-0123456789abcdef' });
    expect(seen).toEqual(['connecting', 'open', 'reconnecting', 'open']);
  });

  it('works with the ws package socket through createSocket', async () => {
    const relay = await relayFor();
    const client = clientFor(relay, { createSocket: (url) => new WsSocket(url) });
    const welcomes: ServerFrame[] = [];
    client.on('welcome', (frame) => welcomes.push(frame));
    await opened(client);
    expect(welcomes).toHaveLength(1);
    expect(welcomes[0]).toMatchObject({ type: 'welcome', role: 'agent' });
  });

  it('abandons an attempt that gets no welcome within connectTimeoutMs and tries again', async () => {
    const relay = await relayFor((frame, connection, self) => frame.type === 'hello' && self.connections.length === 1);
    const client = clientFor(relay, { connectTimeoutMs: 100 });
    await opened(client);
    expect(relay.connections).toHaveLength(2);
    await until(() => relay.connections[0]?.closed === true, 'first socket closed');
  });

  it('sends nothing but hello before welcome', async () => {
    const relay = await relayFor((frame, connection, self) => {
      if (frame.type !== 'hello') return false;
      setTimeout(() => self.welcome(connection), 50);
      return true;
    });
    const client = clientFor(relay);
    client.send({ text: 'queued', conversationId: 'c1' }).ack.catch(() => {});
    client.connect();
    // Attempted while connecting: best-effort frames are dropped, requests wait for welcome.
    await until(() => relay.frames.length === 1, 'hello');
    client.typing('c1', true);
    client.markRead('c1', 1);
    const page = client.history('c1');
    await until(() => client.status === 'open', 'open');
    await page;
    const [connection] = relay.connections;
    expect(connection?.welcomedAfter).toBe(1);
    expect(typesIn(connection?.frames ?? [])).toEqual(['hello', 'send', 'history']);
  });
});

describe('sending', () => {
  it('flushes an outbox queued offline in order after welcome, once per client id', async () => {
    const relay = await relayFor();
    const client = clientFor(relay);
    const snapshots: string[][] = [];
    client.on('outbox', (entries) => snapshots.push(entries.map((entry) => `${entry.text}:${entry.state}`)));
    const sends = ['one', 'two', 'three'].map((text) => client.send({ text, conversationId: 'c1' }));
    expect(client.outbox().map((entry) => entry.state)).toEqual(['sending', 'sending', 'sending']);
    expect(relay.frames).toHaveLength(0);

    client.connect();
    const acks = await Promise.all(sends.map((send) => send.ack));
    expect(sendsIn(relay.frames).map((frame) => frame.text)).toEqual(['one', 'two', 'three']);
    expect(sendsIn(relay.frames).map((frame) => frame.clientId)).toEqual(sends.map((send) => send.clientId));
    expect(acks.map((ack) => ack.seq)).toEqual([1, 2, 3]);
    expect(client.outbox()).toEqual([]);
    expect(snapshots[0]).toEqual(['one:sending']);
    expect(snapshots.at(-1)).toEqual([]);
  });

  it('resends unacknowledged sends with the same client ids after a drop', async () => {
    const relay = await relayFor((frame, connection, self) => {
      // The first connection swallows sends and dies before acking any of them.
      if (frame.type !== 'send' || connection !== self.connections[0]) return false;
      if (sendsIn(connection.frames).length === 2) connection.drop();
      return true;
    });
    const client = clientFor(relay);
    await opened(client);
    const first = client.send({ text: 'first', conversationId: 'c1' });
    const second = client.send({ text: 'second', conversationId: 'c1' });
    await until(() => relay.connections.length === 2 && client.status === 'open', 'reconnect');
    await expect(Promise.all([first.ack, second.ack])).resolves.toHaveLength(2);
    const [before, after] = relay.connections.map((connection) => sendsIn(connection.frames));
    expect(before?.map((frame) => frame.clientId)).toEqual([first.clientId, second.clientId]);
    expect(after?.map((frame) => frame.clientId)).toEqual([first.clientId, second.clientId]);
    expect(client.outbox()).toEqual([]);
  });

  it('resolves on ack, ignores a duplicate ack, and advances lastSeq only with the message frame', async () => {
    const relay = await relayFor((frame, connection, self) => {
      if (frame.type !== 'send') return false;
      // Answer twice, as a relay does when a resend crosses the first ack.
      self.answer(frame, connection);
      self.answer(frame, connection);
      return true;
    });
    const client = clientFor(relay);
    const acks: string[] = [];
    client.on('ack', (ack) => acks.push(ack.clientId));
    await opened(client);
    client.track('conv_default', 0);
    const { clientId, ack } = client.send({ text: 'hi' });
    await expect(ack).resolves.toMatchObject({ clientId, conversationId: 'conv_default', seq: 1 });
    await until(() => relay.frames.length >= 2, 'send');
    await sleep(30);
    expect(acks).toEqual([clientId]);
    // An ack may overtake an earlier message of the same batch: resuming after it could skip that message.
    expect(client.lastSeq('conv_default')).toBe(0);
    relay.connections[0]!.send({ type: 'message', message: { ...message('conv_default', 1), clientId } });
    await until(() => client.lastSeq('conv_default') === 1, 'lastSeq from the message frame');
  });

  it('tracks a conversation first learnt from an ack, so a resume covers it', async () => {
    const relay = await relayFor();
    const client = clientFor(relay);
    await opened(client);
    await client.send({ text: 'first words' }).ack;
    relay.connections[0]!.drop();
    await until(() => relay.connections.length === 2 && relay.connections[1]!.frames.length > 0, 'second hello');
    const hello = relay.connections[1]!.frames[0];
    expect(hello).toMatchObject({ type: 'hello', resume: [{ conversationId: 'conv_default', seq: 0 }] });
  });

  it('marks a refused send failed, rejects it, and retries it with the same client id', async () => {
    let refusals = 0;
    const relay = await relayFor((frame, connection) => {
      if (frame.type !== 'send' || refusals > 0) return false;
      refusals++;
      connection.send({ type: 'error', code: 'FORBIDDEN', message: 'Not yours', ref: frame.clientId });
      return true;
    });
    const client = clientFor(relay);
    await opened(client);
    const { clientId, ack } = client.send({ text: 'hi', conversationId: 'c1' });
    const error = await ack.then(() => undefined, (reason: unknown) => reason);
    expect(error).toBeInstanceOf(ParleyClientError);
    expect(error).toMatchObject({ code: 'FORBIDDEN', message: 'Not yours' });
    expect(client.outbox()).toEqual([
      expect.objectContaining({ clientId, state: 'failed', error: { code: 'FORBIDDEN', message: 'Not yours' } }),
    ]);

    const retried = client.retry(clientId);
    expect(client.outbox()[0]?.state).toBe('sending');
    await expect(retried).resolves.toMatchObject({ clientId, seq: 1 });
    expect(sendsIn(relay.frames).map((frame) => frame.clientId)).toEqual([clientId, clientId]);
    expect(client.outbox()).toEqual([]);
    expect(client.retry(clientId)).toBeUndefined();
  });

  it('keeps a send refused with INTERNAL and resends it', async () => {
    let refusals = 0;
    const relay = await relayFor((frame, connection) => {
      if (frame.type !== 'send' || refusals > 1) return false;
      refusals++;
      connection.send({ type: 'error', code: 'INTERNAL', message: 'Database busy', ref: frame.clientId });
      return true;
    });
    const client = clientFor(relay);
    const states: string[] = [];
    client.on('outbox', (entries) => states.push(...entries.map((entry) => entry.state)));
    await opened(client);
    const { clientId, ack } = client.send({ text: 'hi', conversationId: 'c1' });
    await expect(ack).resolves.toMatchObject({ clientId });
    expect(sendsIn(relay.frames)).toHaveLength(3);
    expect(states).not.toContain('failed');
    expect(relay.connections).toHaveLength(1);
  });

  it('refuses new sends with RATE_LIMITED when the outbox is full', async () => {
    const relay = await relayFor();
    const client = clientFor(relay, { maxOutbox: 2 });
    client.send({ text: 'a' });
    client.send({ text: 'b' });
    const third = client.send({ text: 'c' });
    await expect(third.ack).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(client.outbox().map((entry) => entry.text)).toEqual(['a', 'b']);
  });
});

describe('incoming frames', () => {
  it('emits messages and raises lastSeq, never lowering it', async () => {
    const relay = await relayFor();
    const client = clientFor(relay);
    const texts: string[] = [];
    client.on('message', (m) => texts.push(m.text));
    await opened(client);
    const connection = relay.connections[0];
    connection?.send({ type: 'message', message: message('c1', 9, 'nine') });
    connection?.send({ type: 'message', message: message('c1', 3, 'three') });
    await until(() => texts.length === 2, 'two messages');
    expect(texts).toEqual(['nine', 'three']);
    expect(client.lastSeq('c1')).toBe(9);
    expect(client.lastSeq('unknown')).toBe(0);
  });

  it('drops invalid frames, emits unmatched errors, and emits every valid frame after its event', async () => {
    const relay = await relayFor();
    const client = clientFor(relay);
    const order: string[] = [];
    client.on('error', (error) => order.push(`error:${error.code}`));
    client.on('reset', (reset) => order.push(`reset:${reset.conversationId}`));
    client.on('frame', (frame) => order.push(`frame:${frame.type}`));
    await opened(client);
    const connection = relay.connections[0];
    connection?.send('not json');
    connection?.send('{"type":"teleport"}');
    connection?.send('{"type":"message","message":{"seq":"one"}}');
    connection?.send({ type: 'reset', conversationId: 'c1', reason: 'HISTORY_PRUNED' });
    connection?.send({ type: 'error', code: 'FORBIDDEN', message: 'Origin not allowed' });
    await until(() => order.length === 5, 'events');
    expect(order).toEqual(['frame:welcome', 'reset:c1', 'frame:reset', 'error:FORBIDDEN', 'frame:error']);
    expect(client.status).toBe('open');
  });

  it('uses an injected parseFrame instead of the schema check, and drops what it rejects', async () => {
    const relay = await relayFor();
    const seen: string[] = [];
    const client = clientFor(relay, {
      // Trusts anything with a string type, and rejects messages whose text says "drop".
      parseFrame: (data) => {
        const value = JSON.parse(data) as ServerFrame;
        seen.push(value.type);
        return value.type === 'message' && value.message.text === 'drop' ? undefined : value;
      },
    });
    const texts: string[] = [];
    client.on('message', (m) => texts.push(m.text));
    await opened(client);
    const connection = relay.connections[0];
    connection?.send({ type: 'message', message: message('c1', 1, 'drop') });
    // A frame the schema check would refuse (createdAt is not a number) passes a parser that does not look.
    connection?.send({ type: 'message', message: { ...message('c1', 2, 'kept'), createdAt: 'yesterday' } } as never);
    await until(() => texts.length === 1, 'one message');
    expect(texts).toEqual(['kept']);
    expect(seen).toEqual(['welcome', 'message', 'message']);
    expect(client.lastSeq('c1')).toBe(2);
  });

  it('forgets a reset conversation and resumes it from 0', async () => {
    const relay = await relayFor((frame, connection, self) => {
      if (frame.type !== 'hello' || self.connections.length > 1) return false;
      self.welcome(connection);
      connection.send({ type: 'reset', conversationId: 'c1', reason: 'AHEAD_OF_SERVER' });
      return true;
    });
    const client = clientFor(relay);
    client.track('c1', 42);
    const resets: string[] = [];
    client.on('reset', (reset) => resets.push(`${reset.conversationId}:${reset.reason}`));
    await opened(client);
    await until(() => resets.length === 1, 'reset');
    expect(resets).toEqual(['c1:AHEAD_OF_SERVER']);
    expect(client.lastSeq('c1')).toBe(0);

    relay.connections[0]?.drop();
    await until(() => relay.connections.length === 2 && client.status === 'open', 'reconnect');
    expect(relay.connections[1]?.frames[0]).toMatchObject({ resume: [{ conversationId: 'c1', seq: 0 }] });
  });
});

describe('requests', () => {
  it('matches replies to requests by ref, whatever their order', async () => {
    const held: ClientFrame[] = [];
    const relay = await relayFor((frame, connection) => {
      if (frame.type !== 'history' && frame.type !== 'update') return false;
      held.push(frame);
      if (held.length < 3) return true;
      // Answer all three, newest first.
      for (const request of held.reverse()) {
        if (request.type === 'update') connection.send({ type: 'ok', ref: request.requestId });
        if (request.type === 'history') {
          const seqs = request.conversationId === 'c1' ? [1, 2, 3] : [10];
          connection.send({
            type: 'history',
            ref: request.requestId,
            conversationId: request.conversationId,
            messages: seqs.map((seq) => message(request.conversationId, seq)),
            hasMore: false,
          });
        }
      }
      return true;
    });
    const client = clientFor(relay);
    await opened(client);
    const first = client.history('c1', { limit: 3 });
    const second = client.history('c2');
    const updated = client.update('c1', { status: 'resolved', assigneeId: null });
    const [one, two] = await Promise.all([first, second]);
    await expect(updated).resolves.toBeUndefined();
    expect(one.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(two.conversationId).toBe('c2');
    expect(two.messages.map((m) => m.seq)).toEqual([10]);
    // Later resumes start after the loaded pages.
    expect(client.lastSeq('c1')).toBe(3);
    expect(client.lastSeq('c2')).toBe(10);
    expect(held.find((frame) => frame.type === 'update')).toMatchObject({ status: 'resolved', assigneeId: null });
  });

  it('rejects a request the relay answers with an error, without emitting it', async () => {
    const relay = await relayFor((frame, connection) => {
      if (frame.type !== 'update') return false;
      connection.send({ type: 'error', code: 'NOT_FOUND', message: 'No such conversation', ref: frame.requestId });
      return true;
    });
    const client = clientFor(relay);
    const errors: string[] = [];
    client.on('error', (error) => errors.push(error.code));
    await opened(client);
    const error = await client.update('nope', { priority: 'high' }).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ParleyClientError);
    expect(error).toMatchObject({ code: 'NOT_FOUND' });
    await expect(client.profile({ name: 'Ada' })).resolves.toBeUndefined();
    expect(errors).toEqual([]);
  });

  it('sends requests made while disconnected after the next welcome', async () => {
    const relay = await relayFor();
    const client = clientFor(relay);
    const page = client.history('c1');
    await sleep(20);
    client.connect();
    await expect(page).resolves.toMatchObject({ conversationId: 'c1', messages: [] });
    expect(typesIn(relay.frames)).toEqual(['hello', 'history']);
  });

  it('sends typing and read only while open', async () => {
    const relay = await relayFor();
    const client = clientFor(relay);
    client.typing('c1', true);
    client.markRead('c1', 4);
    await opened(client);
    client.typing('c1', true);
    client.markRead('c1', 4);
    await until(() => relay.frames.length === 3, 'typing and read');
    expect(relay.frames.slice(1)).toEqual([
      { type: 'typing', conversationId: 'c1', typing: true },
      { type: 'read', conversationId: 'c1', seq: 4 },
    ]);
  });
});

describe('heartbeat', () => {
  it('pings at the lower of its own and the relay interval, and stays up while answered', async () => {
    const relay = await relayFor();
    relay.heartbeatMs = 30;
    const client = clientFor(relay, { heartbeatMs: 10_000, heartbeatTimeoutMs: 100 });
    await opened(client);
    await sleep(250);
    const pings = relay.frames.filter((frame) => frame.type === 'ping');
    expect(pings.length).toBeGreaterThanOrEqual(3);
    expect(pings[0]).toEqual({ type: 'ping', t: expect.any(Number) });
    expect(relay.connections).toHaveLength(1);
    expect(client.status).toBe('open');
  });

  it('treats a connection with no frame after a ping as dead and reconnects', async () => {
    // The relay never answers pings: a half-open connection.
    const relay = await relayFor((frame) => frame.type === 'ping');
    const client = clientFor(relay, { heartbeatMs: 50, heartbeatTimeoutMs: 50 });
    const seen = statuses(client);
    await opened(client);
    await until(() => relay.connections.length === 2, 'reconnect', 1000);
    expect(relay.connections[0]?.frames.map((frame) => frame.type)).toContain('ping');
    await until(() => relay.connections[0]?.closed === true, 'dead socket closed');
    expect(seen.slice(0, 3)).toEqual(['connecting', 'open', 'reconnecting']);
  });
});

describe('fatal closes', () => {
  for (const [code, why] of [[1008, 'unknown site'], [4000, 'unsupported protocol version']] as const) {
    it(`stops reconnecting after close ${code} (${why})`, async () => {
      const relay = await relayFor((frame, connection) => {
        if (frame.type !== 'hello') return false;
        connection.send({ type: 'error', code: code === 1008 ? 'NOT_FOUND' : 'UNSUPPORTED_VERSION', message: why });
        connection.closeWith(code, why);
        return true;
      });
      const client = clientFor(relay, { backoffBaseMs: 10, backoffMaxMs: 20 });
      const errors: string[] = [];
      client.on('error', (error) => errors.push(error.code));
      client.connect();
      await until(() => client.status === 'closed', 'closed status');
      await sleep(100);
      expect(relay.connections).toHaveLength(1);
      expect(errors).toHaveLength(1);
    });
  }
});

describe('close', () => {
  it('stops for good: no reconnect, no effect from connect()', async () => {
    const relay = await relayFor();
    const client = clientFor(relay);
    await opened(client);
    client.close();
    expect(client.status).toBe('closed');
    await until(() => relay.connections[0]?.closed === true, 'socket closed');
    client.connect();
    await sleep(150);
    expect(relay.connections).toHaveLength(1);
    expect(client.status).toBe('closed');
  });

  it('cancels a pending reconnect', async () => {
    const relay = await relayFor();
    const client = clientFor(relay, { backoffBaseMs: 50 });
    await opened(client);
    relay.connections[0]?.drop();
    await until(() => client.status === 'reconnecting', 'reconnecting');
    client.close();
    await sleep(150);
    expect(relay.connections).toHaveLength(1);
    expect(client.status).toBe('closed');
  });
});

describe('agent state said again after a reconnect', () => {
  it('repeats presence and viewing after every welcome, and sends mentions and note typing', async () => {
    const relay = await relayFor();
    const client = clientFor(relay);
    await opened(client);
    client.presence('away');
    client.viewing('conv_7');
    client.typing('conv_7', true, { note: true });
    await client.send({ conversationId: 'conv_7', text: 'see @ana', kind: 'note', mentions: ['agent_ana'] }).ack;
    relay.connections[0]!.drop();
    await until(() => relay.connections.length === 2 && relay.connections[1]!.frames.length >= 3, 'reconnect frames');
    const first = relay.connections[0]!.frames;
    expect(first).toContainEqual({ type: 'typing', conversationId: 'conv_7', typing: true, note: true });
    expect(first.find((f) => f.type === 'send')).toMatchObject({ kind: 'note', mentions: ['agent_ana'] });
    const again = relay.connections[1]!.frames.map((f) => f.type === 'presence' || f.type === 'viewing' ? f : f.type);
    expect(again).toContainEqual({ type: 'presence', status: 'away' });
    expect(again).toContainEqual({ type: 'viewing', conversationId: 'conv_7' });
  });
});

describe('what the relay says about retrying and resuming', () => {
  it('waits at least the relay\'s retryAfterMs before resending a rate-limited message', async () => {
    let refusals = 0;
    const relay = await relayFor((frame, connection, self) => {
      if (frame.type !== 'send') return false;
      if (refusals++ === 0) {
        connection.send({ type: 'error', code: 'RATE_LIMITED', message: 'slow down', ref: frame.clientId, retryAfterMs: 300 });
        return true;
      }
      self.answer(frame, connection);
      return true;
    });
    const client = clientFor(relay);
    await opened(client);
    const started = Date.now();
    await client.send({ text: 'patience' }).ack;
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(relay.frames.filter((f) => f.type === 'send')).toHaveLength(2);
  });

  it('drops a resume point the relay answers with NOT_FOUND, so it is not asked for again', async () => {
    const relay = await relayFor((frame, connection, self) => {
      if (frame.type !== 'hello') return false;
      self.welcome(connection);
      for (const point of frame.resume ?? []) {
        if (point.conversationId === 'conv_gone') connection.send({ type: 'error', code: 'NOT_FOUND', message: 'Conversation not found', ref: 'conv_gone' });
      }
      return true;
    });
    const client = clientFor(relay);
    client.track('conv_gone', 4);
    client.track('conv_kept', 2);
    await opened(client);
    await until(() => client.lastSeq('conv_gone') === 0, 'the point dropped');
    relay.connections[0]!.drop();
    await until(() => relay.connections.length === 2 && relay.connections[1]!.frames.length > 0, 'second hello');
    expect(relay.connections[1]!.frames[0]).toMatchObject({ type: 'hello', resume: [{ conversationId: 'conv_kept', seq: 2 }] });
  });
});
