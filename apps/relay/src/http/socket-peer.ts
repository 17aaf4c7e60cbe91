import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { ServerFrame } from '@parley/protocol';
import { createConnection, type ConnectionContext, type Peer } from '../core/connection.ts';
import type { CoreDeps } from '../core/deps.ts';
import { newId } from '../core/ids.ts';
import { createHeartbeat } from './heartbeat.ts';
import { serialize } from './serialize.ts';
import { encodeTextFrames } from './text-frames.ts';
import { createWriteCoalescer, type Held } from './write-coalescer.ts';

/**
 * A client that stops reading builds up our send buffer; past this it is cut off (it will
 * reconnect and resume from the database) instead of holding the relay's memory hostage.
 * An agent's socket carries every message of the workspace (two frames each), and there are
 * few of them: it gets more room before a busy minute cuts an agent off mid-shift.
 */
export const MAX_BUFFERED_BYTES = { visitor: 4 * 1024 * 1024, agent: 16 * 1024 * 1024 } as const;

/** What every socket of the process shares: one heartbeat timer, one write coalescer. */
export interface SocketEdge {
  heartbeat: ReturnType<typeof createHeartbeat>;
  coalescer: ReturnType<typeof createWriteCoalescer>;
}

export function createSocketEdge(heartbeatMs: number): SocketEdge {
  return { heartbeat: createHeartbeat(heartbeatMs), coalescer: createWriteCoalescer() };
}

/**
 * Hands an open `ws` socket to the core: frames in, frames out, heartbeat, close. The listeners
 * sit on the socket itself, not on an adapter's events: the adapter wraps every message in a
 * MessageEvent and copies its text, which cost more than parsing it.
 */
export function attachConnection(deps: CoreDeps, edge: SocketEdge, raw: WebSocket, context: ConnectionContext) {
  const connection = createConnection(deps, new SocketPeer(raw, edge.coalescer, context.endpoint, deps.log), context);
  edge.heartbeat.watch(raw);
  raw.on('message', (data: Buffer, isBinary: boolean) => {
    if (isBinary) connection.receiveBinary();
    else connection.receive(data.toString('utf8'));
  });
  raw.on('close', () => {
    edge.heartbeat.forget(raw);
    void connection.closed();
  });
  raw.on('error', () => edge.heartbeat.forget(raw));
}

/** A class, not an object of closures: with tens of thousands of sockets, methods on the prototype count. */
class SocketPeer implements Peer, Held {
  readonly id = newId();
  private readonly raw: WebSocket;
  private readonly coalescer: SocketEdge['coalescer'];
  private readonly endpoint: ConnectionContext['endpoint'];
  private readonly log: CoreDeps['log'];
  /** Frames of this turn, written together when it ends (write-coalescer.ts), and their length. */
  private queued: string[] | null = null;
  private queuedLength = 0;

  constructor(raw: WebSocket, coalescer: SocketEdge['coalescer'], endpoint: ConnectionContext['endpoint'], log: CoreDeps['log']) {
    this.raw = raw;
    this.coalescer = coalescer;
    this.endpoint = endpoint;
    this.log = log;
  }

  send(frame: ServerFrame) {
    const raw = this.raw;
    if (raw.readyState !== raw.OPEN) return;
    // What this turn queued counts too: one turn can answer many requests.
    const unread = raw.bufferedAmount + this.queuedLength;
    if (unread > MAX_BUFFERED_BYTES[this.endpoint]) {
      this.log('warn', `cut off a ${this.endpoint} socket that stopped reading (${unread} bytes unread)`);
      this.queued = null;
      this.queuedLength = 0;
      raw.terminate();
      return;
    }
    if (this.queued === null) {
      this.queued = [];
      this.coalescer.hold(this);
    }
    const text = serialize(frame);
    this.queued.push(text);
    this.queuedLength += text.length;
  }

  flush() {
    const texts = this.queued;
    if (texts === null) return;
    this.queued = null;
    this.queuedLength = 0;
    const raw = this.raw;
    // `_socket` is the ws library's own handle on the TCP socket. Pings, pongs and the close
    // frame still go through ws, straight to the socket: they may fall between two turns' frames,
    // never inside one.
    const socket = (raw as unknown as { _socket?: Duplex })._socket;
    if (raw.readyState !== raw.OPEN || !socket || socket.destroyed) return;
    socket.write(encodeTextFrames(texts));
  }

  close(code: number, reason: string) {
    // What this turn sent goes before the close frame (an error, then the reason for hanging up).
    this.flush();
    this.raw.close(code, reason);
  }
}
