import { Hono } from 'hono';
import { upgradeWebSocket } from '@hono/node-server';
import type { WebSocket } from 'ws';
import { HTTP_STATUS, type ErrorResponse, type ServerFrame } from '@parley/protocol';
import { createConnection, type ConnectionContext, type Peer } from '../core/connection.ts';
import { newId } from '../core/ids.ts';
import type { AppDeps, AppEnv } from './env.ts';
import { isSameOrigin } from './origin.ts';
import { sessionAgent, sessionIdOf } from './session.ts';
import { clientIp } from './client-ip.ts';
import { serialize } from './serialize.ts';
import { createHeartbeat } from './heartbeat.ts';

type Heartbeat = ReturnType<typeof createHeartbeat>;

/**
 * A client that stops reading builds up our send buffer; past this it is cut off (it will
 * reconnect and resume from the database) instead of holding the relay's memory hostage.
 */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** `/ws/visitor` and `/ws/agent`: the transport edge. Parsing, auth and delivery live in the core. */
export function wsRoutes(deps: AppDeps, heartbeat: Heartbeat = createHeartbeat(deps.heartbeatMs)) {
  const app = new Hono<AppEnv>();

  // An `Upgrade: websocket` header on a request Node did not treat as an upgrade (no
  // `Connection: Upgrade`) reaches the router as a plain request; answer it, do not hang or 500.
  app.use('/ws/*', async (c, next) => {
    const incoming = (c.env as { incoming?: { upgrade?: boolean } } | undefined)?.incoming;
    if (incoming?.upgrade !== true) {
      const body: ErrorResponse = { error: { code: 'INVALID_REQUEST', message: 'Expected a WebSocket upgrade' } };
      return c.json(body, 426);
    }
    await next();
  });

  app.get(
    '/ws/visitor',
    upgradeWebSocket((c) =>
      socketEvents(deps, heartbeat, {
        endpoint: 'visitor',
        origin: c.req.header('origin') ?? null,
        agent: null,
        userAgent: c.req.header('user-agent') ?? null,
        ip: clientIp(c, deps),
      }),
    ),
  );

  app.get(
    '/ws/agent',
    async (c, next) => {
      // Cross-site WebSocket hijacking: the agent's cookie rides along from any page, so Origin decides.
      if (!isSameOrigin(c, deps)) return refuse(c, 'FORBIDDEN', 'Cross-origin agent connection refused');
      const agent = await sessionAgent(c, deps);
      if (!agent) return refuse(c, 'NOT_AUTHENTICATED', 'Sign in first');
      c.set('agent', agent);
      await next();
    },
    upgradeWebSocket((c) =>
      socketEvents(deps, heartbeat, {
        endpoint: 'agent',
        origin: c.req.header('origin') ?? null,
        agent: c.get('agent'),
        ip: clientIp(c, deps),
        sessionId: sessionIdOf(c),
      }),
    ),
  );

  return app;
}

function refuse(c: { json: (body: ErrorResponse, status: 401 | 403) => Response }, code: 'FORBIDDEN' | 'NOT_AUTHENTICATED', message: string) {
  return c.json({ error: { code, message } }, HTTP_STATUS[code] as 401 | 403);
}

function socketEvents(deps: AppDeps, heartbeat: Heartbeat, context: ConnectionContext) {
  let connection: ReturnType<typeof createConnection> | null = null;
  let socket: WebSocket | undefined;

  return {
    onOpen(_event: unknown, ws: { raw?: unknown }) {
      // @hono/node-server hands us the `ws` library's socket: we need its ping/pong and buffer size.
      const raw = ws.raw as WebSocket | undefined;
      if (!raw) return;
      const peer: Peer = {
        id: newId(),
        send(frame: ServerFrame) {
          if (raw.readyState !== raw.OPEN) return;
          if (raw.bufferedAmount > MAX_BUFFERED_BYTES) {
            raw.terminate();
            return;
          }
          raw.send(serialize(frame));
        },
        close(code, reason) {
          raw.close(code, reason);
        },
      };
      connection = createConnection(deps, peer, context);
      socket = raw;
      heartbeat.watch(raw);
    },
    onMessage(event: MessageEvent) {
      if (!connection) return;
      if (typeof event.data === 'string') connection.receive(event.data);
      else connection.receiveBinary();
    },
    onClose() {
      if (socket) heartbeat.forget(socket);
      void connection?.closed();
    },
    onError() {
      if (socket) heartbeat.forget(socket);
    },
  };
}
