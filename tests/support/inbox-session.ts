import WebSocket from 'ws';
import { PROTOCOL_VERSION, type ServerFrame } from '@parley/protocol';

/**
 * An agent's REST session from Node, as the inbox has it in the browser: the session cookie, and
 * the inbox's Origin on every state-changing request (the relay checks it).
 */
export interface AgentSession {
  cookie: string;
  request<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
}

async function sessionFrom(relayUrl: string, response: Response): Promise<AgentSession> {
  if (!response.ok) throw new Error(`${response.status}: ${await response.text()}`);
  const cookie = response.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
  return {
    cookie,
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      const res = await fetch(`${relayUrl}/api/v1${path}`, {
        method,
        headers: { cookie, origin: relayUrl, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
      return (text ? JSON.parse(text) : undefined) as T;
    },
  };
}

export async function signInAgent(relayUrl: string, email: string, password: string): Promise<AgentSession> {
  const response = await fetch(`${relayUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { origin: relayUrl, 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return sessionFrom(relayUrl, response);
}

/** The admin invites `email`; the invite is accepted over REST as the new agent would in the form. */
export async function inviteAgent(
  relayUrl: string,
  admin: AgentSession,
  agent: { email: string; name: string; password: string; role?: 'agent' | 'admin' },
): Promise<AgentSession> {
  const { inviteUrl } = await admin.request<{ inviteUrl: string }>('POST', '/agents/invite', {
    email: agent.email,
    role: agent.role ?? 'agent',
  });
  const token = decodeURIComponent(new URL(inviteUrl, relayUrl).pathname.split('/').filter(Boolean).at(-1)!);
  const response = await fetch(`${relayUrl}/api/v1/auth/accept-invite`, {
    method: 'POST',
    headers: { origin: relayUrl, 'content-type': 'application/json' },
    body: JSON.stringify({ token, name: agent.name, password: agent.password }),
  });
  return sessionFrom(relayUrl, response);
}

/** A visitor on a raw socket, keeping every frame the relay sent it (to prove what it never got). */
export interface RawVisitor {
  frames: ServerFrame[];
  send(text: string): void;
  profile(fields: { name?: string; email?: string }): void;
  /** Resolves with the first frame (already received or future) that matches. */
  waitFor(match: (frame: ServerFrame) => boolean, timeoutMs?: number): Promise<ServerFrame>;
  close(): void;
}

export async function connectVisitor(relayUrl: string, siteKey: string, origin = 'http://localhost:5999'): Promise<RawVisitor> {
  const socket = new WebSocket(`${relayUrl.replace(/^http/, 'ws')}/ws/visitor`, { headers: { origin } });
  const frames: ServerFrame[] = [];
  const waiters = new Set<() => void>();
  let counter = 0;
  socket.on('message', (data) => {
    frames.push(JSON.parse(String(data)) as ServerFrame);
    for (const wake of waiters) wake();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.send(
    JSON.stringify({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      role: 'visitor',
      siteKey,
      page: { url: 'https://shop.example.com/pricing', title: 'Pricing', referrer: 'https://www.google.com/' },
      timezone: 'Europe/Berlin',
      locale: 'de-DE',
    }),
  );
  const visitor: RawVisitor = {
    frames,
    send(text) {
      socket.send(JSON.stringify({ type: 'send', clientId: `v${Date.now()}${++counter}`, text }));
    },
    profile(fields) {
      socket.send(JSON.stringify({ type: 'profile', requestId: `p${++counter}`, ...fields }));
    },
    waitFor(match, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = frames.find(match);
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`No matching frame within ${timeoutMs} ms; got ${frames.map((f) => f.type).join(', ')}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    close: () => socket.close(),
  };
  await visitor.waitFor((frame) => frame.type === 'welcome');
  return visitor;
}
