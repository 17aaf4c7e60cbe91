import type { WebSocket } from 'ws';
import type { ServerFrame } from '@parley/protocol';
import { createConnection, type ConnectionContext, type Peer } from '../core/connection.ts';
import type { CoreDeps } from '../core/deps.ts';
import { newId } from '../core/ids.ts';
import { createHeartbeat } from './heartbeat.ts';
import { serialize } from './serialize.ts';
import { createWriteCoalescer } from './write-coalescer.ts';

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
class SocketPeer implements Peer {
  readonly id = newId();
  private readonly raw: WebSocket;
  private readonly coalescer: SocketEdge['coalescer'];
  private readonly endpoint: ConnectionContext['endpoint'];
  private readonly log: CoreDeps['log'];

  constructor(raw: WebSocket, coalescer: SocketEdge['coalescer'], endpoint: ConnectionContext['endpoint'], log: CoreDeps['log']) {
    this.raw = raw;
    this.coalescer = coalescer;
    this.endpoint = endpoint;
    this.log = log;
  }

  send(frame: ServerFrame) {
    const raw = this.raw;
    if (raw.readyState !== raw.OPEN) return;
    if (raw.bufferedAmount > MAX_BUFFERED_BYTES[this.endpoint]) {
      this.log('warn', `cut off a ${this.endpoint} socket that stopped reading (${raw.bufferedAmount} bytes unread)`);
      raw.terminate();
      return;
    }
    this.coalescer.hold(raw);
    raw.send(serialize(frame));
  }

  close(code: number, reason: string) {
    this.raw.close(code, reason);
  }
}
