import WebSocket from 'ws';
import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION, parseServerFrame, type ClientFrame, type VisitorHello } from '@parley/protocol';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type RunningServer } from './servers.ts';

/** What the driver learns from the clients, whatever server they talk to. */
export interface Hooks {
  /** A visitor message reached an agent (called once per agent socket that got it). */
  delivered(clientId: string): void;
  /** Parley only: the relay acknowledged a visitor message, i.e. its transaction committed. */
  acked(clientId: string): void;
}

export interface Visitor {
  send(clientId: string): void;
}

export interface StormResult {
  clients: number;
  /** From the moment every client starts reconnecting until the last one has resumed. */
  ms: number;
  resumed: number;
  /** Parley: visitors whose resume did not replay the agent reply written while they were away. */
  missed: number | null;
  errors: number;
}

/** One server's clients: the same driver talks to Parley and to the two yardsticks through this. */
export interface Adapter {
  openVisitor(index: number): Promise<Visitor>;
  /** Yardsticks: one agent per visitor's room. Parley: `count` sockets that each get every message. */
  openAgents(count: number): Promise<void>;
  /**
   * Parley: every visitor's first message, which opens its conversation (a row, an inbox entry),
   * sent and acked before the first step, as a yardstick's visitor joins its room at connect.
   * The steps then measure messages in open conversations, on both sides alike.
   */
  openConversations?(): Promise<void>;
  /** Drops every visitor at once, reconnects them all at once, resolves when all have resumed. */
  storm(round: number, reconnecting: () => void): Promise<StormResult>;
  /** A URL a bare WebSocket can hold open without saying anything, for the stall probe. */
  probeUrl: string;
  probeHeaders: Record<string, string>;
  closeAll(): void;
}

const OPEN_TIMEOUT_MS = 20_000;

/**
 * A visitor frame of exactly `size` bytes: Parley's `send` frame, also used as the yardsticks'
 * payload. With a conversation id (as the widget sends once an ack has named its conversation)
 * the text is shorter, so the frame stays `size` bytes.
 */
export function sendFrame(clientId: string, size: number, conversationId?: string): string {
  const frame: ClientFrame = conversationId === undefined
    ? { type: 'send', clientId, text: '' }
    : { type: 'send', clientId, conversationId, text: '' };
  const empty = JSON.stringify(frame);
  return JSON.stringify({ ...frame, text: 'x'.repeat(Math.max(1, size - empty.length)) });
}

export function createAdapter(server: RunningServer, hooks: Hooks, size: number): Adapter {
  if (server.name === 'ws') return wsAdapter(server, hooks, size);
  if (server.name === 'socketio') return socketIoAdapter(server, hooks, size);
  return parleyAdapter(server, hooks, size);
}

// --- shared ---------------------------------------------------------------------------------

/** The `type` of a JSON frame the relay wrote (`JSON.stringify` puts `type` first), without parsing it. */
function frameType(text: string): string {
  if (!text.startsWith('{"type":"')) return '';
  return text.slice(9, text.indexOf('"', 9));
}

/** `clientId` of a forwarded or `message` frame, without parsing the whole frame. */
function clientIdOf(text: string): string | null {
  const at = text.indexOf('"clientId":"');
  if (at < 0) return null;
  const start = at + 12;
  return text.slice(start, text.indexOf('"', start));
}

function openRaw(url: string, headers: Record<string, string>): WebSocket {
  const ws = new WebSocket(url, { perMessageDeflate: false, headers, handshakeTimeout: OPEN_TIMEOUT_MS });
  // A reset during the storm or at shutdown is expected; an unhandled 'error' would crash the driver.
  ws.on('error', () => {});
  return ws;
}

function whenOpen(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('close', (code) => reject(new Error(`closed before open (${code})`)));
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

// --- bare ws ------------------------------------------------------------------------------------

function wsAdapter(server: RunningServer, hooks: Hooks, size: number): Adapter {
  const base = `ws://127.0.0.1:${server.port}/`;
  const visitors: Array<{ ws: WebSocket; index: number }> = [];
  const agents: WebSocket[] = [];

  async function connect(index: number) {
    const ws = openRaw(`${base}?room=${index}`, {});
    await withTimeout(whenOpen(ws), OPEN_TIMEOUT_MS, 'ws visitor');
    return ws;
  }

  return {
    probeUrl: `${base}?room=probe`,
    probeHeaders: {},
    async openVisitor(index) {
      const slot = { ws: await connect(index), index };
      visitors.push(slot);
      return { send: (clientId) => slot.ws.send(sendFrame(clientId, size)) };
    },
    async openAgents(count) {
      await pool(count, 200, async (index) => {
        const ws = openRaw(`${base}?room=${index}`, {});
        ws.on('message', (data) => {
          const id = clientIdOf(data.toString());
          if (id !== null) hooks.delivered(id);
        });
        await withTimeout(whenOpen(ws), OPEN_TIMEOUT_MS, 'ws agent');
        agents.push(ws);
      });
    },
    async storm(_round, reconnecting) {
      for (const slot of visitors) slot.ws.terminate();
      reconnecting();
      const t0 = performance.now();
      await Promise.all(visitors.map(async (slot) => { slot.ws = await connect(slot.index); }));
      return { clients: visitors.length, ms: performance.now() - t0, resumed: visitors.length, missed: null, errors: 0 };
    },
    closeAll() {
      for (const slot of visitors) slot.ws.terminate();
      for (const ws of agents) ws.terminate();
    },
  };
}

// --- Socket.IO -----------------------------------------------------------------------------------

function socketIoAdapter(server: RunningServer, hooks: Hooks, size: number): Adapter {
  const base = `http://127.0.0.1:${server.port}`;
  const visitors: Array<{ socket: Socket; index: number }> = [];
  const agents: Socket[] = [];
  // Same bytes of JSON as the others once encoded: `42["m",{…}]` adds the event envelope, as Socket.IO does.
  const payload = (clientId: string) => JSON.parse(sendFrame(clientId, size)) as { clientId: string };

  async function connect(index: number): Promise<Socket> {
    const socket = io(base, { transports: ['websocket'], query: { room: String(index) }, reconnection: false, forceNew: true, timeout: OPEN_TIMEOUT_MS });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return socket;
  }

  return {
    probeUrl: `ws://127.0.0.1:${server.port}/socket.io/?EIO=4&transport=websocket`,
    probeHeaders: {},
    async openVisitor(index) {
      const slot = { socket: await connect(index), index };
      visitors.push(slot);
      return { send: (clientId) => slot.socket.emit('m', payload(clientId)) };
    },
    async openAgents(count) {
      await pool(count, 200, async (index) => {
        const socket = await connect(index);
        socket.on('m', (data: { clientId?: unknown }) => {
          if (typeof data?.clientId === 'string') hooks.delivered(data.clientId);
        });
        agents.push(socket);
      });
    },
    async storm(_round, reconnecting) {
      // Socket.IO's client has no public abrupt close; `disconnect` is its closest (a close packet, then the socket).
      for (const slot of visitors) slot.socket.disconnect();
      reconnecting();
      const t0 = performance.now();
      await Promise.all(visitors.map(async (slot) => { slot.socket = await connect(slot.index); }));
      return { clients: visitors.length, ms: performance.now() - t0, resumed: visitors.length, missed: null, errors: 0 };
    },
    closeAll() {
      for (const slot of visitors) slot.socket.disconnect();
      for (const socket of agents) socket.disconnect();
    },
  };
}

// --- Parley ---------------------------------------------------------------------------------------

interface ParleyVisitor {
  ws: WebSocket;
  index: number;
  token: string | null;
  conversationId: string | null;
  /** Highest seq this visitor knows of (from its acks and replayed messages): its resume point. */
  seq: number;
  /** Agent messages received (the storm checks each resumed visitor got the reply written while it was away). */
  replies: number;
  errors: number;
}

function parleyAdapter(server: RunningServer, hooks: Hooks, size: number): Adapter {
  const http = `http://127.0.0.1:${server.port}`;
  const origin = http;
  const siteKey = server.siteKey!;
  const visitors: ParleyVisitor[] = [];
  const agents: WebSocket[] = [];
  let agentAcks = 0;

  function connect(state: ParleyVisitor): Promise<void> {
    // Each visitor comes from an address of its own, as on the web: the relay allows 30 new
    // conversations per address per hour. The relay runs with TRUST_PROXY=1 for this (servers.ts).
    const i = state.index;
    const forwardedFor = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const ws = openRaw(`ws://127.0.0.1:${server.port}/ws/visitor`, { Origin: origin, 'X-Forwarded-For': forwardedFor });
    state.ws = ws;
    const hello: VisitorHello = { type: 'hello', protocol: PROTOCOL_VERSION, role: 'visitor', siteKey };
    if (state.token) hello.visitorToken = state.token;
    if (state.conversationId) hello.resume = [{ conversationId: state.conversationId, seq: state.seq }];
    const ready = new Promise<void>((resolve, reject) => {
      ws.once('open', () => ws.send(JSON.stringify(hello)));
      ws.once('close', (code) => reject(new Error(`visitor closed before resumed (${code})`)));
      ws.once('error', reject);
      ws.on('message', (data) => {
        const text = data.toString();
        const type = frameType(text);
        if (type === 'ack') {
          // The hot path: fields read without validation; the bench trusts the relay it started.
          const ack = JSON.parse(text) as { clientId: string; conversationId: string; seq: number };
          state.conversationId = ack.conversationId;
          if (ack.seq > state.seq) state.seq = ack.seq;
          hooks.acked(ack.clientId);
        } else if (type === 'message') {
          // Its own messages come back on the contact topic too; only agent replies matter here.
          if (text.includes('"author":{"kind":"agent"')) {
            const frame = JSON.parse(text) as { message: { seq: number } };
            state.replies++;
            if (frame.message.seq > state.seq) state.seq = frame.message.seq;
          }
        } else if (type === 'welcome' || type === 'resumed' || type === 'error' || type === 'reset') {
          const parsed = parseServerFrame(JSON.parse(text));
          if (!parsed.ok) {
            state.errors++;
            return;
          }
          const frame = parsed.value;
          if (frame.type === 'welcome' && frame.role === 'visitor') state.token = frame.visitorToken;
          else if (frame.type === 'resumed') resolve();
          else if (frame.type === 'error' || frame.type === 'reset') state.errors++;
        }
      });
    });
    return withTimeout(ready, OPEN_TIMEOUT_MS, 'parley visitor');
  }

  async function sessionCookie(): Promise<string> {
    const response = await fetch(`${http}/api/v1/auth/login`, {
      method: 'POST',
      headers: { Origin: origin, 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    });
    if (!response.ok) throw new Error(`login failed: ${response.status} ${await response.text()}`);
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('parley_session='));
    if (!cookie) throw new Error('login: no parley_session cookie');
    return cookie.split(';')[0]!;
  }

  return {
    probeUrl: `ws://127.0.0.1:${server.port}/ws/visitor`,
    probeHeaders: { Origin: origin },
    async openVisitor(index) {
      const state: ParleyVisitor = { ws: null as unknown as WebSocket, index, token: null, conversationId: null, seq: 0, replies: 0, errors: 0 };
      await connect(state);
      visitors.push(state);
      // Like the widget: the first message opens a conversation, later ones name it.
      return { send: (clientId) => state.ws.send(sendFrame(clientId, size, state.conversationId ?? undefined)) };
    },
    async openConversations() {
      await pool(visitors.length, 200, async (i) => {
        const state = visitors[i]!;
        if (state.conversationId !== null) return;
        state.ws.send(sendFrame(`open-${state.index}`, size));
        await until(() => state.conversationId !== null || state.errors > 0, OPEN_TIMEOUT_MS, 'open a conversation');
        if (state.conversationId === null) throw new Error(`visitor ${state.index}: its first message was refused`);
      });
    },
    async openAgents(count) {
      const cookie = await sessionCookie();
      for (let i = 0; i < count; i++) {
        const ws = openRaw(`ws://127.0.0.1:${server.port}/ws/agent`, { Cookie: cookie, Origin: origin });
        const ready = new Promise<void>((resolve, reject) => {
          ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, role: 'agent' } satisfies ClientFrame)));
          ws.once('close', (code) => reject(new Error(`agent closed before resumed (${code})`)));
          ws.on('message', (data) => {
            const text = data.toString();
            const type = frameType(text);
            if (type === 'message') {
              const id = clientIdOf(text);
              if (id !== null) hooks.delivered(id);
            } else if (type === 'ack') agentAcks++;
            else if (type === 'resumed') resolve();
            else if (type === 'error') console.error(`[bench] agent got ${text}`);
          });
        });
        await withTimeout(ready, OPEN_TIMEOUT_MS, 'parley agent');
        agents.push(ws);
      }
    },
    async storm(round, reconnecting) {
      const agent = agents[0];
      if (!agent) throw new Error('storm: open the agents first');
      // Every visitor needs a conversation to resume; the load steps give most of them one already.
      const lonely = visitors.filter((v) => v.conversationId === null);
      lonely.forEach((v, i) => v.ws.send(sendFrame(`prime${round}_${i}`, size)));
      await until(() => lonely.every((v) => v.conversationId !== null), 20_000, 'storm: priming acks');

      const errorsBefore = visitors.reduce((n, v) => n + v.errors, 0);
      const repliesBefore = visitors.map((v) => v.replies);
      for (const v of visitors) v.ws.terminate();
      // While they are away, the agent answers every conversation: each reply must come back in the resume.
      const acksBefore = agentAcks;
      visitors.forEach((v, i) => {
        const frame: ClientFrame = { type: 'send', clientId: `reply${round}_${i}`, conversationId: v.conversationId!, text: 'Thanks, looking into it.' };
        agent.send(JSON.stringify(frame));
      });
      await until(() => agentAcks - acksBefore >= visitors.length, 30_000, 'storm: agent replies');

      reconnecting();
      const t0 = performance.now();
      const outcomes = await Promise.allSettled(visitors.map((v) => connect(v)));
      const ms = performance.now() - t0;
      const resumed = outcomes.filter((o) => o.status === 'fulfilled').length;
      const missed = visitors.filter((v, i) => v.replies <= repliesBefore[i]!).length;
      const errors = visitors.reduce((n, v) => n + v.errors, 0) - errorsBefore + (visitors.length - resumed);
      return { clients: visitors.length, ms, resumed, missed, errors };
    },
    closeAll() {
      for (const v of visitors) v.ws.terminate();
      for (const ws of agents) ws.terminate();
    },
  };
}

// --- helpers --------------------------------------------------------------------------------------

/** Runs `fn(0..count-1)` with at most `concurrency` in flight. */
export async function pool<T>(count: number, concurrency: number, fn: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await fn(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

/** Polls `done` every 5 ms; rejects after `ms`. Every wait in the bench is bounded. */
export async function until(done: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`${what}: not done within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Event-loop stall probe: a WebSocket ping every 20 ms (one outstanding at a time). The server's
 * `ws` answers pings from its event loop, so the longest wait for a pong bounds its longest stall.
 */
export function startProbe(url: string, headers: Record<string, string>) {
  const ws = openRaw(url, headers);
  let sentAt: number | null = null;
  let maxMs = 0;
  let pongs = 0;
  ws.on('pong', () => {
    if (sentAt !== null) maxMs = Math.max(maxMs, performance.now() - sentAt);
    sentAt = null;
    pongs++;
  });
  const timer = setInterval(() => {
    if (ws.readyState !== ws.OPEN) return;
    if (sentAt === null) {
      sentAt = performance.now();
      ws.ping();
    }
  }, 20);
  return {
    opened: whenOpen(ws),
    /** Forget what was seen so far (the window of interest starts now). */
    reset() {
      maxMs = 0;
    },
    stop(): { maxStallMs: number; pongs: number } {
      clearInterval(timer);
      if (sentAt !== null) maxMs = Math.max(maxMs, performance.now() - sentAt);
      ws.terminate();
      return { maxStallMs: maxMs, pongs };
    },
  };
}
