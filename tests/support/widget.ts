import { createHash, createHmac } from 'node:crypto';
import type { Page } from 'playwright-core';
import { WebSocket } from 'ws';
import { ADMIN, type RelayProcess } from './relay-process.ts';

/** The owner's snippet, with optional calls queued before widget.js loads. */
export const STUB = 'window.Parley=window.Parley||function(){(Parley.q=Parley.q||[]).push(arguments)};';

export function snippet(relay: RelayProcess, queued = ''): string {
  return `<script>${STUB}${queued}</script>\n<script src="${relay.url}/widget.js" data-site="${relay.siteKey}" async></script>`;
}

/** A plain host page with the snippet and anything else the test wants on it. */
export function widgetPage(relay: RelayProcess, options: { queued?: string; head?: string; body?: string; lang?: string } = {}): string {
  return `<!doctype html>
<html lang="${options.lang ?? 'en'}"><head><meta charset="utf-8"><title>Acme — pricing</title>
<meta name="viewport" content="width=device-width, initial-scale=1">${options.head ?? ''}</head>
<body style="font-family: system-ui; margin: 40px">
<h1>Acme pricing</h1><p>Questions? Use the chat in the corner.</p><a href="#plans">See plans</a>
${options.body ?? ''}
${snippet(relay, options.queued)}
</body></html>`;
}

/** `'sha256-…'` for a CSP that allows exactly this inline script. */
export function cspHash(script: string): string {
  return `'sha256-${createHash('sha256').update(script).digest('base64')}'`;
}

/** What the owner's server computes for `identify` (docs/embedding.md). */
export function userHash(secret: string, userId: string, issuedAt: number): string {
  return createHmac('sha256', secret).update(`${userId}:${issuedAt}`).digest('hex');
}

/** An admin's REST session on the relay (cookie + the relay's own Origin, as the inbox sends). */
export interface Admin {
  cookie: string;
  get<T>(path: string): Promise<T>;
  send<T>(method: 'POST' | 'PATCH', path: string, body?: unknown): Promise<T>;
  siteId(): Promise<string>;
  /** Sets the first site's settings (all three fields; unspecified ones back to their defaults). */
  settings(patch: { preChat?: string; businessHours?: unknown; requireIdentityVerification?: boolean }): Promise<void>;
  /** Every message of every conversation, oldest first per conversation. */
  conversations(): Promise<Array<{ id: string; contact: { email: string | null; externalId: string | null }; messages: Array<{ text: string; author: { kind: string } }> }>>;
}

export async function signInAdmin(relay: RelayProcess): Promise<Admin> {
  const login = await fetch(`${relay.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: relay.url },
    body: JSON.stringify(ADMIN),
  });
  if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const cookie = /^([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1] ?? '';
  const headers = { Cookie: cookie, Origin: relay.url, 'Content-Type': 'application/json' };
  const admin: Admin = {
    cookie,
    async get(path) {
      const res = await fetch(`${relay.url}/api/v1${path}`, { headers });
      if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as never;
    },
    async send(method, path, body) {
      const res = await fetch(`${relay.url}/api/v1${path}`, { method, headers, body: body === undefined ? null : JSON.stringify(body) });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as never;
    },
    async siteId() {
      const { sites } = await admin.get<{ sites: Array<{ id: string }> }>('/sites');
      return sites[0]!.id;
    },
    async settings(patch) {
      const settings = { preChat: 'off', businessHours: null, requireIdentityVerification: false, ...patch };
      await admin.send('PATCH', `/sites/${await admin.siteId()}`, { settings });
    },
    async conversations() {
      const { conversations } = await admin.get<{ conversations: Array<{ id: string; contact: { email: string | null; externalId: string | null } }> }>('/conversations');
      return Promise.all(
        conversations.map(async (c) => ({
          ...c,
          messages: (await admin.get<{ messages: Array<{ text: string; author: { kind: string } }> }>(`/conversations/${c.id}/messages`)).messages,
        })),
      );
    },
  };
  return admin;
}

export interface AgentFrame {
  type: string;
  [key: string]: unknown;
}

/** A raw agent connection: while it is open, `agentsOnline` is true for visitors. */
export interface AgentSocket {
  frames: AgentFrame[];
  /** Resolves with the first frame (already received or still to come) that matches. */
  next(match: (frame: AgentFrame) => boolean, what: string): Promise<AgentFrame>;
  send(frame: AgentFrame): void;
  close(): void;
}

export async function connectAgent(relay: RelayProcess, admin: Admin): Promise<AgentSocket> {
  const socket = new WebSocket(`${relay.url.replace('http', 'ws')}/ws/agent`, { headers: { Cookie: admin.cookie, Origin: relay.url } });
  const frames: AgentFrame[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    frames.push(JSON.parse(String(data)) as AgentFrame);
    for (const wake of waiters) wake();
  });
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ type: 'hello', protocol: 1, role: 'agent' }));
  const agent: AgentSocket = {
    frames,
    next(match, what) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`agent never got ${what}; frames: ${frames.map((f) => f.type).join(', ')}`));
        }, 15_000);
        const check = () => {
          const found = frames.find(match);
          if (!found) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        waiters.add(check);
        check();
      });
    },
    send: (frame) => socket.send(JSON.stringify(frame)),
    close: () => socket.close(),
  };
  await agent.next((f) => f.type === 'welcome', 'welcome');
  return agent;
}

/** The widget's locators, by role and name (Playwright pierces the open shadow root). */
export function widget(page: Page) {
  const dialog = page.getByRole('dialog');
  return {
    launcher: page.getByRole('button', { name: /^(Open chat|Close chat)/ }),
    dialog,
    log: dialog.getByRole('log', { name: 'Messages' }),
    box: dialog.getByRole('textbox', { name: 'Message' }),
    send: dialog.getByRole('button', { name: 'Send' }),
    email: dialog.getByRole('textbox', { name: 'Email' }),
    /** Opens the panel, types `text` and sends it; waits until the relay acknowledged it. */
    async say(text: string) {
      await this.box.fill(text);
      await this.send.click();
      await this.log.getByText(`You: ${text}`, { exact: true }).waitFor();
    },
  };
}

/** Polls until `check` passes (for state outside the page, e.g. the relay's REST). */
export async function until<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
