import { PROTOCOL_VERSION, type AckFrame, type AgentWelcome, type VisitorWelcome } from '@parley/protocol';
import { hashToken, newToken } from '../auth/tokens.ts';
import { configFromEnv } from '../config.ts';
import type { SiteRecord, Store, WorkspaceRecord } from '../core/store.ts';
import { DEFAULT_APPEARANCE } from '../seed.ts';
import { startRelay, type RunningRelay } from '../server.ts';
import { createSqliteStore } from '../storage/sqlite/sqlite-store.ts';
import { tempDir } from './temp-dir.ts';
import { TestSocket } from './ws-client.ts';

/**
 * A real relay on a free port with a second store on its database file (to set up what the API
 * does not offer, such as workspaces), plus helpers that give each test a workspace of its own:
 * presence, availability and round-robin are per workspace, so tests do not see each other's agents.
 */
export async function startTestRelay(prefix = 'parley-fixture-') {
  const dir = tempDir(prefix);
  const databasePath = dir.file('relay.db');
  const relay: RunningRelay = await startRelay({
    ...configFromEnv({}),
    port: 0,
    host: '127.0.0.1',
    databasePath,
    adminPassword: 'fixture-admin-password',
    heartbeatMs: 1000,
  });
  const side: Store = createSqliteStore({ filename: databasePath });
  const wsUrl = relay.url.replace(/^http/, 'ws');
  const sockets: TestSocket[] = [];
  let counter = 0;

  /** A session straight in the store: the cookie an agent would get from signing in, without scrypt's cost. */
  async function sessionCookie(agentId: string): Promise<string> {
    const token = newToken();
    await side.createSession({ tokenHash: hashToken(token), agentId, now: Date.now(), expiresAt: Date.now() + 3_600_000 });
    return `parley_session=${token}`;
  }

  async function addAgent(workspaceId: string, options: { role?: 'admin' | 'agent'; name?: string } = {}) {
    const n = ++counter;
    const agent = await side.createAgent({
      workspaceId, email: `agent${n}.${workspaceId}@fixture.test`.toLowerCase(), name: options.name ?? `Agent ${n}`,
      role: options.role ?? 'agent', passwordHash: 'not-used', now: Date.now(),
    });
    return { agent, cookie: await sessionCookie(agent.id) };
  }

  /** A new workspace with one site (any origin unless told) and one admin. */
  async function workspace(options: { allowedOrigins?: string[]; settings?: SiteRecord['settings'] } = {}) {
    const n = ++counter;
    const ws: WorkspaceRecord = await side.createWorkspace({ name: `Workspace ${n}`, now: Date.now() });
    const site = await side.createSite({
      workspaceId: ws.id, key: `site_fixture_${n}_${Math.random().toString(36).slice(2, 8)}`, name: `Site ${n}`,
      allowedOrigins: options.allowedOrigins ?? ['*'], appearance: DEFAULT_APPEARANCE, now: Date.now(),
      ...(options.settings ? { settings: options.settings } : {}),
    });
    const admin = await addAgent(ws.id, { role: 'admin', name: `Admin ${n}` });
    return { workspace: ws, site, admin: admin.agent, adminCookie: admin.cookie };
  }

  async function open(path: '/ws/visitor' | '/ws/agent', headers: Record<string, string>) {
    const socket = await TestSocket.open(`${wsUrl}${path}`, headers);
    sockets.push(socket);
    return socket;
  }

  /** A visitor socket that sent `hello` with whatever extra fields are given; does not wait for the answer. */
  async function visitorSocket(siteKey: string, hello: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    const socket = await open('/ws/visitor', { origin: 'https://shop.example', ...headers });
    socket.send({ type: 'hello', protocol: PROTOCOL_VERSION, role: 'visitor', siteKey, ...hello });
    return socket;
  }

  /** A visitor past `welcome` and `resumed`. */
  async function visitor(siteKey: string, hello: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    const socket = await visitorSocket(siteKey, hello, headers);
    const welcome = await socket.next('welcome');
    if (welcome.role !== 'visitor') throw new Error('expected a visitor welcome');
    await socket.next('resumed');
    return { socket, welcome: welcome as VisitorWelcome };
  }

  /** An agent socket past `welcome` and `resumed`. */
  async function agent(cookie: string) {
    const socket = await open('/ws/agent', { origin: relay.url, cookie });
    socket.send({ type: 'hello', protocol: PROTOCOL_VERSION, role: 'agent' });
    const welcome = await socket.next('welcome');
    if (welcome.role !== 'agent') throw new Error('expected an agent welcome');
    await socket.next('resumed');
    return { socket, welcome: welcome as AgentWelcome };
  }

  /** Sends a message and resolves with its ack (or fails with the error frame). */
  async function say(
    socket: TestSocket,
    text: string,
    extra: { conversationId?: string; kind?: 'text' | 'note'; mentions?: string[] } = {},
  ): Promise<AckFrame> {
    const clientId = `c_${++counter}_${Date.now().toString(36)}`;
    socket.send({ type: 'send', clientId, text, ...extra });
    const reply = await socket.nextWhere(
      (f) => (f.type === 'ack' && f.clientId === clientId) || (f.type === 'error' && f.ref === clientId),
      `the ack of ${clientId}`,
    );
    if (reply.type !== 'ack') throw new Error(`send refused: ${JSON.stringify(reply)}`);
    return reply;
  }

  /** `fetch` against the relay as a signed-in agent, from the inbox's own origin. */
  function api(cookie: string, path: string, init: { method?: string; body?: unknown } = {}) {
    return fetch(`${relay.url}/api/v1${path}`, {
      method: init.method ?? 'GET',
      headers: { cookie, origin: relay.url, 'content-type': 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  }

  return {
    relay,
    side,
    wsUrl,
    sockets,
    sessionCookie,
    addAgent,
    workspace,
    open,
    visitorSocket,
    visitor,
    agent,
    say,
    api,
    /** Closes the sockets of the test; returns the frames outside the protocol any of them received (must be none). */
    async closeSockets(): Promise<unknown[]> {
      const invalid: unknown[] = [];
      for (const socket of sockets.splice(0)) {
        invalid.push(...socket.invalid);
        await socket.close();
      }
      return invalid;
    },
    async close() {
      for (const socket of sockets.splice(0)) await socket.close();
      await side.close();
      await relay.close();
      dir.remove();
    },
  };
}

export type TestRelay = Awaited<ReturnType<typeof startTestRelay>>;
