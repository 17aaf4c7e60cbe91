import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ErrorCode, PROTOCOL_VERSION, type HealthResponse } from '@parley/protocol';
import { ParleyError, notFound } from '../core/errors.ts';
import { apiRoutes } from './api-routes.ts';
import { demoPage } from './demo-page.ts';
import type { AppDeps, AppEnv } from './env.ts';
import { errorResponse } from './errors.ts';
import { staticRoutes } from './static-routes.ts';
import { wsRoutes } from './ws-routes.ts';
import { createSocketEdge, type SocketEdge } from './socket-peer.ts';

/** The whole HTTP surface of one relay process. Testable in-process with `app.request()`. */
export function createApp(deps: AppDeps, edge: SocketEdge = createSocketEdge(deps.heartbeatMs)) {
  const app = new Hono<AppEnv>();

  app.onError((error, c) => errorResponse(c, error, deps));
  app.notFound((c) => errorResponse(c, notFound('Route'), deps));

  app.get('/healthz', (c) => {
    const body: HealthResponse = { ok: true, version: deps.version, protocol: PROTOCOL_VERSION };
    return c.json(body);
  });
  app.get('/', (c) => c.redirect('/inbox/', 302));

  app.use(
    '/api/*',
    bodyLimit({
      maxSize: 64 * 1024,
      onError: () => {
        throw new ParleyError(ErrorCode.PAYLOAD_TOO_LARGE, 'Request body is larger than 64 KB');
      },
    }),
  );
  app.route('/api/v1', apiRoutes(deps));
  app.route('/', wsRoutes(deps, edge));
  app.route('/', staticRoutes(deps));
  app.route('/', demoPage(deps));
  return app;
}
