import { Hono } from 'hono';
import { upgradeWebSocket } from '@hono/node-server';
import type { WebSocket } from 'ws';
import { HTTP_STATUS, type ErrorResponse } from '@parley/protocol';
import type { AppDeps, AppEnv } from './env.ts';
import { isSameOrigin } from './origin.ts';
import { sessionAgent, sessionIdOf } from './session.ts';
import { clientIp } from './client-ip.ts';
import { attachConnection, type SocketEdge } from './socket-peer.ts';

/**
 * The WebSocket endpoints as Hono sees them: `/ws/agent`, and a plain answer for any `/ws/*`
 * request that is not an upgrade. `/ws/visitor` upgrades are taken before Hono (visitor-upgrade.ts).
 * Parsing, auth and delivery live in the core.
 */
export function wsRoutes(deps: AppDeps, edge: SocketEdge) {
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
    '/ws/agent',
    async (c, next) => {
      // Cross-site WebSocket hijacking: the agent's cookie rides along from any page, so Origin decides.
      if (!isSameOrigin(c, deps)) return refuse(c, 'FORBIDDEN', 'Cross-origin agent connection refused');
      const agent = await sessionAgent(c, deps);
      if (!agent) return refuse(c, 'NOT_AUTHENTICATED', 'Sign in first');
      c.set('agent', agent);
      await next();
    },
    upgradeWebSocket((c) => {
      const context = {
        endpoint: 'agent' as const,
        origin: c.req.header('origin') ?? null,
        agent: c.get('agent'),
        ip: clientIp(c, deps),
        sessionId: sessionIdOf(c),
      };
      return {
        onOpen(_event: unknown, ws: { raw?: unknown }) {
          // @hono/node-server hands us the `ws` library's socket: we need its ping/pong and buffer size.
          const raw = ws.raw as WebSocket | undefined;
          if (raw) attachConnection(deps, edge, raw, context);
        },
      };
    }),
  );

  return app;
}

function refuse(c: { json: (body: ErrorResponse, status: 401 | 403) => Response }, code: 'FORBIDDEN' | 'NOT_AUTHENTICATED', message: string) {
  return c.json({ error: { code, message } }, HTTP_STATUS[code] as 401 | 403);
}
