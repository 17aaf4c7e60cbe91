// Test support only (not exported from the package): a relay in miniature on a real port, so the
// client's tests exercise real sockets, real close events and real timing.
import {
  PROTOCOL_VERSION,
  parseClientFrame,
  type AckFrame,
  type ClientFrame,
  type Message,
  type ServerFrame,
} from '@parley/protocol';
import { WebSocketServer, type WebSocket } from 'ws';

export interface RelayConnection {
  /** Frames received on this connection, in order. */
  readonly frames: ClientFrame[];
  /** How many frames had arrived when `welcome` went out (undefined before). */
  welcomedAfter: number | undefined;
  closed: boolean;
  send(frame: ServerFrame | string): void;
  /** Cuts the TCP connection without a closing handshake, like a network drop. */
  drop(): void;
  /** Closes with a handshake and the given code, as the relay does for policy or version errors. */
  closeWith(code: number, reason: string): void;
}

/** Return true when the frame was answered, to skip the default answer. */
export type RelayHandler = (frame: ClientFrame, connection: RelayConnection, relay: FakeRelay) => boolean | void;

export interface FakeRelay {
  readonly url: string;
  readonly connections: RelayConnection[];
  /** Every frame received, over all connections, in order. */
  readonly frames: ClientFrame[];
  /** The `heartbeatMs` the welcome announces. */
  heartbeatMs: number;
  handler: RelayHandler | undefined;
  /** The default answer: welcome, an idempotent ack, pong, empty history, ok. */
  answer(frame: ClientFrame, connection: RelayConnection): void;
  welcome(connection: RelayConnection): void;
  close(): Promise<void>;
}

export async function startFakeRelay(handler?: RelayHandler): Promise<FakeRelay> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('expected a TCP address');

  const lastSeq = new Map<string, number>();
  const acks = new Map<string, AckFrame>();
  const relay: FakeRelay = {
    url: `ws://127.0.0.1:${address.port}/ws/agent`,
    connections: [],
    frames: [],
    heartbeatMs: 25_000,
    handler,
    welcome(connection) {
      connection.welcomedAfter = connection.frames.length;
      connection.send({
        type: 'welcome',
        protocol: PROTOCOL_VERSION,
        role: 'agent',
        agent: { id: 'agent_1', email: 'ada@example.com', name: 'Ada', role: 'agent' },
        workspace: { id: 'ws_1', name: 'Acme' },
        agents: [],
        heartbeatMs: relay.heartbeatMs,
      });
    },
    answer(frame, connection) {
      switch (frame.type) {
        case 'hello':
          return relay.welcome(connection);
        case 'send': {
          // Idempotent on clientId, as the real relay is: a resend gets the original ack.
          const stored = acks.get(frame.clientId);
          if (stored) return connection.send({ ...stored, duplicate: true });
          const conversationId = frame.conversationId ?? 'conv_default';
          const seq = (lastSeq.get(conversationId) ?? 0) + 1;
          lastSeq.set(conversationId, seq);
          const ack: AckFrame = {
            type: 'ack',
            clientId: frame.clientId,
            conversationId,
            messageId: `msg_${conversationId}_${seq}`,
            seq,
            createdAt: Date.now(),
            duplicate: false,
          };
          acks.set(frame.clientId, ack);
          return connection.send(ack);
        }
        case 'ping':
          return connection.send(frame.t === undefined ? { type: 'pong' } : { type: 'pong', t: frame.t });
        case 'history':
          return connection.send({
            type: 'history',
            ref: frame.requestId,
            conversationId: frame.conversationId,
            messages: [],
            hasMore: false,
          });
        case 'update':
        case 'profile':
          return connection.send({ type: 'ok', ref: frame.requestId });
        case 'typing':
        case 'read':
          return;
      }
    },
    async close() {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  server.on('connection', (socket: WebSocket) => {
    const connection: RelayConnection = {
      frames: [],
      welcomedAfter: undefined,
      closed: false,
      send: (frame) => socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
      drop: () => socket.terminate(),
      closeWith: (code, reason) => socket.close(code, reason),
    };
    relay.connections.push(connection);
    socket.on('close', () => {
      connection.closed = true;
    });
    socket.on('message', (data) => {
      const parsed = parseClientFrame(String(data));
      if (!parsed.ok) {
        connection.send({ type: 'error', ...parsed.error });
        return;
      }
      connection.frames.push(parsed.value);
      relay.frames.push(parsed.value);
      if (relay.handler?.(parsed.value, connection, relay) === true) return;
      relay.answer(parsed.value, connection);
    });
  });
  return relay;
}

/** Polls `check` until it returns true; fails the test with `what` after `timeoutMs`. */
export async function until(check: () => boolean, what = 'condition', timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(5);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function message(conversationId: string, seq: number, text = `message ${seq}`): Message {
  return {
    id: `msg_${conversationId}_${seq}`,
    conversationId,
    seq,
    clientId: `client_${seq}`,
    kind: 'text',
    author: { kind: 'visitor', id: 'contact_1', name: null },
    text,
    createdAt: 1_700_000_000_000 + seq,
  };
}
