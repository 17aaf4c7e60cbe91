import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { serve, type ServerType, type WebSocketServerLike } from '@hono/node-server';
import { WebSocketServer } from 'ws';
import { LIMITS } from '@parley/protocol';
import type { RelayConfig } from './config.ts';
import type { CoreDeps } from './core/deps.ts';
import { createMemoryPresence } from './core/presence.ts';
import { createRateLimits } from './core/rate-limit.ts';
import { startSnoozeScheduler } from './core/snooze-scheduler.ts';
import { createMemoryBus } from './fanout/memory-bus.ts';
import { createApp } from './http/app.ts';
import type { AppDeps } from './http/env.ts';
import { createSocketEdge } from './http/socket-peer.ts';
import { isVisitorUpgrade, visitorUpgrade } from './http/visitor-upgrade.ts';
import { seedIfEmpty, type SeedResult } from './seed.ts';
import { createSqliteStore } from './storage/sqlite/sqlite-store.ts';

export const VERSION = '0.1.0';

export interface RunningRelay {
  /** `http://host:port` as bound (the real port when 0 was asked). */
  url: string;
  port: number;
  seed: SeedResult | null;
  firstSiteKey: string | null;
  close(): Promise<void>;
}

/** Wires the defaults (SQLite store, in-process bus) to the HTTP and WebSocket edges and listens. */
export async function startRelay(config: RelayConfig): Promise<RunningRelay> {
  const store = createSqliteStore({
    filename: config.databasePath,
    onUpgrade: (from, to) => console.info(`[parley] upgrading the database from schema ${from} to ${to}; large databases take a while (about 10 s per million messages)`),
  });
  const bus = createMemoryBus();
  const core: CoreDeps = {
    store,
    bus,
    presence: createMemoryPresence(),
    limits: createRateLimits(),
    now: Date.now,
    heartbeatMs: config.heartbeatMs,
    log: (level, message, detail) => console[level](`[parley] ${message}`, detail ?? ''),
  };
  const snoozes = startSnoozeScheduler(core);
  const seed = await seedIfEmpty(store, { adminEmail: config.adminEmail, adminPassword: config.adminPassword, now: Date.now() });
  const appDeps: AppDeps = {
    ...core,
    publicUrl: config.publicUrl,
    widgetDir: config.widgetDir,
    inboxDir: config.inboxDir,
    version: VERSION,
    secureCookies: config.publicUrl?.startsWith('https:') ?? false,
    trustProxy: config.trustProxy,
  };
  const edge = createSocketEdge(config.heartbeatMs);
  const app = createApp(appDeps, edge);

  // Limits set explicitly, not left to the library's defaults: a frame over maxPayload closes
  // the socket with 1009, and ws checks UTF-8 of text frames (closing with 1007).
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: LIMITS.maxFrameBytes,
    // A frame of ours fits in a handful of fragments; a flood of tiny ones is an attack
    // (GHSA-96hv-2xvq-fx4p), refused with 1008 long before memory grows.
    maxFragments: 64,
    maxBufferedChunks: 1024,
    perMessageDeflate: false,
  } as ConstructorParameters<typeof WebSocketServer>[0]);
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host, websocket: { server: wss as unknown as WebSocketServerLike } }, () => resolve(s));
  });
  // Visitor upgrades go to `ws` directly (visitor-upgrade.ts); every other upgrade to Hono's handler.
  const honoUpgrade = server.listeners('upgrade')[0] as (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  const visitor = visitorUpgrade(appDeps, edge, wss);
  server.removeAllListeners('upgrade');
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (isVisitorUpgrade(req)) visitor(req, socket, head);
    else honoUpgrade.call(server, req, socket, head);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const firstSite = await store.firstSite();

  return {
    url: `http://${shownHost}:${port}`,
    port,
    seed,
    firstSiteKey: firstSite?.key ?? null,
    async close() {
      snoozes.stop();
      edge.heartbeat.stop();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      wss.close();
      await bus.close();
      await store.close();
    },
  };
}
