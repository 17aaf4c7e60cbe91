import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import type { ConnectionContext } from '../core/connection.ts';
import { clientIpOf } from './client-ip.ts';
import type { AppDeps } from './env.ts';
import { attachConnection, type SocketEdge } from './socket-peer.ts';

/**
 * `/ws/visitor` upgraded on `ws` directly, outside Hono's `upgradeWebSocket`: that helper keeps
 * the request's Hono context, its `Request`, the `IncomingMessage` and two URLs alive for as long
 * as the socket is open — about 6 KB per idle visitor, when visitors are nearly all of the relay's
 * sockets. A visitor needs nothing of the request but four headers; the site and its allowed
 * origins are checked by the core at `hello`. The agent endpoint, with its cookie and same-origin
 * checks, stays on Hono (ws-routes.ts).
 */
export function visitorUpgrade(deps: AppDeps, edge: SocketEdge, wss: WebSocketServer) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const header = (name: string) => {
      const value = req.headers[name];
      return (Array.isArray(value) ? value[0] : value) ?? null;
    };
    const context: ConnectionContext = {
      endpoint: 'visitor',
      origin: header('origin'),
      agent: null,
      userAgent: header('user-agent'),
      ip: clientIpOf(header('x-forwarded-for'), req.socket.remoteAddress, deps),
    };
    wss.handleUpgrade(req, socket, head, (ws) => attachConnection(deps, edge, ws, context));
  };
}

/** Whether an upgrade request is for the visitor endpoint (any query string aside). */
export function isVisitorUpgrade(req: IncomingMessage): boolean {
  return req.url?.split('?', 1)[0] === '/ws/visitor' && req.headers.upgrade?.toLowerCase() === 'websocket';
}
