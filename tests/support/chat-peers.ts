import Database from 'better-sqlite3';
import { WebSocket } from 'ws';
import { createParleyClient, type ClientOptions, type ParleyClient } from '@parley/client';
import { PROTOCOL_VERSION, type ResumePoint, type VisitorWelcome } from '@parley/protocol';
import { TestSocket } from '../../apps/relay/src/testing/ws-client.ts';
import { ADMIN } from './relay-process.ts';

/**
 * Peers for tests that talk to a relay child (`startRelayProcess`). Start it with
 * `TRUST_PROXY=1` and give every simulated visitor its own address: the per-visitor and
 * per-address limits then apply to each as they would to real people, not to one test machine.
 */

export const VISITOR_ORIGIN = 'https://shop.example';

/** A distinct, valid address for visitor `n` (10.x.y.z), for `X-Forwarded-For`. */
export function visitorIp(n: number): string {
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/** Signs in through the REST API as a browser on the relay's own origin would; returns the `Cookie` value. */
export async function signIn(url: string, credentials: { email: string; password: string } = ADMIN): Promise<string> {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify(credentials),
  });
  if (response.status !== 200) throw new Error(`sign-in failed with ${response.status}: ${await response.text()}`);
  const cookie = /^(parley_session=[^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
  if (!cookie) throw new Error('sign-in set no session cookie');
  return cookie;
}

/** A raw visitor socket past `welcome` (the cursor stops there: replayed frames and `resumed` are still to read). */
export async function rawVisitor(
  url: string,
  siteKey: string,
  options: { ip: string; token?: string; resume?: ResumePoint[] },
): Promise<{ socket: TestSocket; welcome: VisitorWelcome }> {
  const socket = await TestSocket.open(`${url.replace(/^http/, 'ws')}/ws/visitor`, {
    origin: VISITOR_ORIGIN,
    'x-forwarded-for': options.ip,
  });
  socket.send({
    type: 'hello', protocol: PROTOCOL_VERSION, role: 'visitor', siteKey,
    ...(options.token ? { visitorToken: options.token } : {}),
    ...(options.resume ? { resume: options.resume } : {}),
  });
  const welcome = await socket.next('welcome');
  if (welcome.role !== 'visitor') throw new Error('expected a visitor welcome');
  return { socket, welcome };
}

/** A raw agent socket past `welcome` and `resumed`. */
export async function rawAgent(url: string, cookie: string): Promise<TestSocket> {
  const socket = await TestSocket.open(`${url.replace(/^http/, 'ws')}/ws/agent`, { origin: url, cookie });
  socket.send({ type: 'hello', protocol: PROTOCOL_VERSION, role: 'agent' });
  await socket.next('welcome');
  await socket.next('resumed');
  return socket;
}

export interface VisitorClient {
  client: ParleyClient;
  /** The device token from the last `welcome`, given back in every later `hello` like the widget's storage does. */
  token(): string | undefined;
  /** The raw sockets the client opened, newest last: a test may cut one to play a network failure. */
  sockets: WebSocket[];
}

/**
 * `@parley/client` as the widget runs it, over `ws` with the visitor's Origin and address, with
 * fast reconnects (a test has no minutes to wait for backoff) and its token kept across reconnects.
 */
export function visitorClient(url: string, siteKey: string, ip: string, options: Partial<ClientOptions> = {}): VisitorClient {
  let token: string | undefined;
  const sockets: WebSocket[] = [];
  const client = createParleyClient({
    url: `${url.replace(/^http/, 'ws')}/ws/visitor`,
    hello: () => ({ role: 'visitor', siteKey, ...(token ? { visitorToken: token } : {}) }),
    createSocket: (target) => {
      const ws = new WebSocket(target, { headers: { origin: VISITOR_ORIGIN, 'x-forwarded-for': ip }, perMessageDeflate: false });
      sockets.push(ws);
      if (sockets.length > 8) sockets.shift();
      return ws;
    },
    backoffBaseMs: 50,
    backoffMaxMs: 500,
    connectTimeoutMs: 5_000,
    ...options,
  });
  client.on('welcome', (welcome) => {
    if (welcome.role === 'visitor') token = welcome.visitorToken;
  });
  return { client, token: () => token, sockets };
}

/** Resolves once `client` is open; fails after `timeoutMs`. */
export function whenOpen(client: ParleyClient, timeoutMs = 10_000): Promise<void> {
  if (client.status === 'open') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`client not open within ${timeoutMs} ms (status ${client.status})`));
    }, timeoutMs);
    const off = client.on('status', (status) => {
      if (status !== 'open') return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

export interface StoredMessage {
  id: string;
  conversationId: string;
  seq: number;
  clientId: string;
  text: string;
  authorKind: string;
}

/** Every message row of a relay's database, read with a read-only connection of our own. */
export function storedMessages(databasePath: string): StoredMessage[] {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare('SELECT id, conversation_id AS conversationId, seq, client_id AS clientId, body AS text, author_kind AS authorKind FROM message ORDER BY conversation_id, seq')
      .all() as StoredMessage[];
  } finally {
    db.close();
  }
}

/** `PRAGMA integrity_check` and `foreign_key_check` of a database file: `['ok']` and `[]` when sound. */
export function checkDatabase(databasePath: string): { integrity: string[]; foreignKeyViolations: unknown[] } {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((row) => row.integrity_check);
    return { integrity, foreignKeyViolations: db.pragma('foreign_key_check') as unknown[] };
  } finally {
    db.close();
  }
}

/** Waits until `condition()` holds, checking every 20 ms; fails with `what` after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
