import {
  PROTOCOL_VERSION,
  type ClientFrame,
  type ErrorCode,
  type ErrorFrame,
  type HelloFrame,
  type HistoryFrame,
  type OkFrame,
  type SendFrame,
  type ServerFrame,
} from '@parley/protocol';
import { backoffDelay } from './backoff.ts';
import { DEFAULTS } from './defaults.ts';
import { createEmitter } from './emitter.ts';
import { createOutbox } from './outbox.ts';
import { createRequests, type ReplyFrame, type RequestFrame } from './requests.ts';
import { createResumePoints } from './resume.ts';
import {
  ParleyClientError,
  type ClientEvents,
  type ClientOptions,
  type ClientStatus,
  type PendingSend,
  type SocketLike,
  type VisitorClient,
} from './types.ts';

type Timer = ReturnType<typeof setTimeout>;

/** Refusals after which the relay may accept the very same send later: it is kept and resent. */
const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['INTERNAL', 'RATE_LIMITED']);

const isHistory = (reply: ReplyFrame): reply is HistoryFrame => reply.type === 'history';
export const isOk = (reply: ReplyFrame): reply is OkFrame => reply.type === 'ok';

/** What the core needs besides the options: where ids come from, and the extra work of a richer client. */
export interface CoreDeps {
  /** A fresh `clientId` / `requestId` (1–64 characters of `[\w-]`). */
  createId: () => string;
  /**
   * Runs on every `welcome`, after the outbox and pending requests are written and before
   * `status` turns `open`: where the agent client says its presence and open conversation again.
   */
  onWelcome?: () => void;
}

/** The core's handle for the client built on it: the client itself, and its way to write frames and make requests. */
export interface Core {
  client: VisitorClient;
  /** Writes `frame` if a socket is open; dropped otherwise. */
  write(frame: ClientFrame): void;
  /** Sends a request now if open, or after the next `welcome`, and resolves with its reply. */
  request<R extends ReplyFrame>(frame: RequestFrame, isReply: (reply: ReplyFrame) => reply is R): Promise<R>;
}

/**
 * The connection engine both clients share: connect, hello, backoff, connect timeout, heartbeat,
 * resume points, the outbox with acks and resends, requests with replies. `client.ts` adds the
 * agent's parts (`update`, `presence`, `viewing`) and the protocol's schema check as the default
 * parser; `visitor.ts` adds nothing, so a size-bound visitor bundle carries neither.
 */
export function createClientCore(options: ClientOptions & { parseFrame: NonNullable<ClientOptions['parseFrame']> }, deps: CoreDeps): Core {
  const config = {
    backoffBaseMs: options.backoffBaseMs ?? DEFAULTS.backoffBaseMs,
    backoffFactor: options.backoffFactor ?? DEFAULTS.backoffFactor,
    backoffMaxMs: options.backoffMaxMs ?? DEFAULTS.backoffMaxMs,
    jitter: options.jitter ?? DEFAULTS.jitter,
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
    heartbeatMs: options.heartbeatMs ?? DEFAULTS.heartbeatMs,
    heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? DEFAULTS.heartbeatTimeoutMs,
    maxOutbox: options.maxOutbox ?? DEFAULTS.maxOutbox,
  };
  const { parseFrame } = options;
  const { createId } = deps;
  const events = createEmitter<ClientEvents>();
  const outbox = createOutbox();
  const requests = createRequests();
  const resume = createResumePoints();

  let status: ClientStatus = 'idle';
  /** The socket of the current attempt or connection; undefined between attempts. */
  let socket: SocketLike | undefined;
  /** Failed attempts since the last `welcome`: the backoff exponent. */
  let attempt = 0;
  let reconnectTimer: Timer | undefined;
  let connectTimer: Timer | undefined;
  let pingTimer: ReturnType<typeof setInterval> | undefined;
  let deadlineTimer: Timer | undefined;
  /** Sends refused with a retryable code, waiting to be resent on the same connection. */
  const resendTimers = new Map<string, Timer>();
  const resendAttempts = new Map<string, number>();

  function setStatus(next: ClientStatus): void {
    if (status === next) return;
    status = next;
    events.emit('status', next);
  }

  // --- Connection lifecycle -------------------------------------------------------------

  function open(): void {
    let next: SocketLike;
    try {
      next = options.createSocket?.(options.url) ?? new WebSocket(options.url);
    } catch {
      // A socket that cannot even be created (offline in some runtimes, a throwing factory)
      // is a failed attempt like any other.
      lost();
      return;
    }
    socket = next;
    connectTimer = setTimeout(() => drop(next), config.connectTimeoutMs);
    // Every handler checks it still belongs to the current socket: a dropped socket keeps
    // firing (its close event, late frames) and must not touch the new connection.
    next.onopen = () => {
      if (socket === next) write(hello());
    };
    next.onmessage = (event) => {
      if (socket === next) receive(event.data);
    };
    next.onclose = (event) => {
      if (socket !== next) return;
      // 1008 (unknown site, origin not allowed), 4000 (protocol version) and 4001 (signed out,
      // e.g. deactivated) will not heal by
      // retrying: stop, and let the `error` event that preceded the close say why.
      if (event.code === 1008 || event.code === 4000 || event.code === 4001) {
        socket = undefined;
        stopTimers();
        setStatus('closed');
        return;
      }
      drop(next);
    };
    next.onerror = () => drop(next);
  }

  function hello(): HelloFrame {
    const points = resume.list();
    const frame: HelloFrame = { type: 'hello', protocol: PROTOCOL_VERSION, ...options.hello() };
    // The relay's strict schema would accept an empty list, but omitting it keeps hellos minimal.
    if (points.length > 0) frame.resume = points;
    return frame;
  }

  /** Abandons `dead` (if it is still the current socket) and schedules the next attempt. */
  function drop(dead: SocketLike): void {
    if (socket !== dead) return;
    socket = undefined;
    // Handlers stay attached (they no-op now): `ws` emits an `error` when a socket is closed
    // while still connecting, and an EventEmitter with no error listener throws it.
    dead.close();
    lost();
  }

  function lost(): void {
    stopTimers();
    if (status === 'closed') return;
    setStatus('reconnecting');
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      open();
    }, backoffDelay(attempt++, config));
  }

  function stopTimers(): void {
    clearTimeout(connectTimer);
    clearInterval(pingTimer);
    clearTimeout(deadlineTimer);
    deadlineTimer = undefined;
    for (const timer of resendTimers.values()) clearTimeout(timer);
    resendTimers.clear();
  }

  function startHeartbeat(intervalMs: number): void {
    pingTimer = setInterval(() => {
      const current = socket;
      if (!current) return;
      write({ type: 'ping', t: Date.now() });
      // Only the first unanswered ping arms the deadline; any frame at all disarms it.
      deadlineTimer ??= setTimeout(() => drop(current), config.heartbeatTimeoutMs);
    }, intervalMs);
  }

  function write(frame: ClientFrame): void {
    const current = socket;
    if (!current) return;
    try {
      current.send(JSON.stringify(frame));
    } catch {
      // Browsers throw when sending on a socket that is not open; it is as good as dead.
      drop(current);
    }
  }

  // --- Incoming frames ------------------------------------------------------------------

  function receive(data: unknown): void {
    // Anything from the relay proves the connection alive, even a frame we cannot read.
    clearTimeout(deadlineTimer);
    deadlineTimer = undefined;
    if (typeof data !== 'string') return;
    const frame = parseFrame(data);
    // A frame this client cannot read (a buggy or newer relay) is dropped: answering the relay
    // about it would be noise, and nothing the UI could act on.
    if (!frame) return;
    handle(frame);
    events.emit('frame', frame);
  }

  function handle(frame: ServerFrame): void {
    switch (frame.type) {
      case 'welcome':
        return welcome(frame);
      case 'ack': {
        // The ack does not advance the resume point: messages of one batch may reach us in any
        // order relative to acks, and resuming after seq 7 while seq 6 is still in flight would
        // skip it. The message frame of our own send (which follows) advances it; until then the
        // conversation is at least tracked, so a resume covers it.
        resume.raise(frame.conversationId, 0);
        forgetResend(frame.clientId);
        // A second ack for the same client id (a resend that crossed the first ack) changes nothing.
        if (!outbox.ack(frame)) return;
        events.emit('ack', frame);
        events.emit('outbox', outbox.entries);
        return;
      }
      case 'message':
        resume.raise(frame.message.conversationId, frame.message.seq);
        return events.emit('message', frame.message);
      case 'conversation':
        return events.emit('conversation', frame.conversation);
      case 'typing':
        return events.emit('typing', frame);
      case 'read':
        return events.emit('read', frame);
      case 'resumed':
        return events.emit('resumed', frame);
      case 'reset':
        // Keep it tracked from 0: the next resume replays the whole thread rather than a gap.
        resume.set(frame.conversationId, 0);
        return events.emit('reset', frame);
      case 'history':
      case 'ok':
        requests.reply(frame);
        return;
      case 'pong':
        return;
      case 'error':
        return refused(frame);
    }
  }

  function welcome(frame: Extract<ServerFrame, { type: 'welcome' }>): void {
    clearTimeout(connectTimer);
    clearInterval(pingTimer);
    for (const timer of resendTimers.values()) clearTimeout(timer);
    resendTimers.clear();
    attempt = 0;
    // Everything waiting is written before anyone hears `open`, so a listener that sends
    // on `status` or `welcome` cannot jump ahead of older messages. Pipelined, not one by one:
    // the relay handles a connection's frames in order, and sends are idempotent on client id.
    for (const entry of outbox.entries) if (entry.state === 'sending') write(sendFrame(entry));
    for (const request of requests.frames()) write(request);
    deps.onWelcome?.();
    const relayMs = frame.heartbeatMs > 0 ? frame.heartbeatMs : config.heartbeatMs;
    startHeartbeat(Math.min(config.heartbeatMs, relayMs));
    setStatus('open');
    events.emit('welcome', frame);
  }

  function refused(frame: ErrorFrame): void {
    const { ref } = frame;
    if (ref !== undefined) {
      if (outbox.get(ref)?.state === 'sending') {
        if (RETRYABLE.has(frame.code)) return scheduleResend(ref, frame.retryAfterMs);
        forgetResend(ref);
        outbox.fail(ref, toError(frame));
        return events.emit('outbox', outbox.entries);
      }
      if (requests.fail(ref, toError(frame))) return;
      // A resume point the relay does not know (or that is not ours) is dropped, so that it is
      // not asked for, and refused, on every reconnect.
      if (frame.code === 'NOT_FOUND' && resume.has(ref)) resume.forget(ref);
    }
    events.emit('error', frame);
  }

  function scheduleResend(clientId: string, retryAfterMs?: number): void {
    const tries = resendAttempts.get(clientId) ?? 0;
    resendAttempts.set(clientId, tries + 1);
    clearTimeout(resendTimers.get(clientId));
    const timer = setTimeout(() => {
      resendTimers.delete(clientId);
      const entry = outbox.get(clientId);
      if (status === 'open' && entry?.state === 'sending') write(sendFrame(entry));
    }, Math.max(retryAfterMs ?? 0, backoffDelay(tries, config))); // The relay's "retry after" beats our guess.
    resendTimers.set(clientId, timer);
  }

  function forgetResend(clientId: string): void {
    clearTimeout(resendTimers.get(clientId));
    resendTimers.delete(clientId);
    resendAttempts.delete(clientId);
  }

  // --- Outgoing -------------------------------------------------------------------------

  function request<R extends ReplyFrame>(frame: RequestFrame, isReply: (reply: ReplyFrame) => reply is R): Promise<R> {
    const reply = requests.add(frame, isReply);
    // Otherwise it goes out after the next `welcome`; so does one whose connection dropped
    // before the reply (history, update and profile are all safe to repeat).
    if (status === 'open') write(frame);
    return reply;
  }

  const client: VisitorClient = {
    get status() {
      return status;
    },

    connect() {
      if (status === 'closed' || socket) return;
      // While waiting out a backoff, `connect()` skips the wait (e.g. on the browser's `online` event).
      clearTimeout(reconnectTimer);
      reconnectTimer = undefined;
      if (status === 'idle') setStatus('connecting');
      open();
    },

    close() {
      if (status === 'closed') return;
      const current = socket;
      socket = undefined;
      stopTimers();
      clearTimeout(reconnectTimer);
      resendAttempts.clear();
      current?.close(1000);
      setStatus('closed');
    },

    send(input) {
      const clientId = input.clientId ?? createId();
      const existing = outbox.get(clientId);
      const waiting = existing?.state === 'sending' ? outbox.waitFor(clientId) : undefined;
      // Sending the same client id again while it is pending is the same send.
      if (waiting) return { clientId, ack: waiting };
      if (!existing && outbox.entries.length >= config.maxOutbox) {
        const full = Promise.reject(new ParleyClientError('RATE_LIMITED', 'Too many unacknowledged messages'));
        full.catch(() => {}); // Handled like the outbox's own promises; see outbox.ts.
        return { clientId, ack: full };
      }
      const ack = outbox.add({
        clientId,
        conversationId: input.conversationId,
        text: input.text,
        kind: input.kind ?? 'text',
        ...(input.mentions?.length ? { mentions: input.mentions } : {}),
        createdAt: Date.now(),
      });
      forgetResend(clientId);
      events.emit('outbox', outbox.entries);
      const entry = outbox.get(clientId);
      if (status === 'open' && entry) write(sendFrame(entry));
      return { clientId, ack };
    },

    retry(clientId) {
      const ack = outbox.retry(clientId);
      if (!ack) return undefined;
      events.emit('outbox', outbox.entries);
      const entry = outbox.get(clientId);
      if (status === 'open' && entry) write(sendFrame(entry));
      return ack;
    },

    async history(conversationId, page = {}) {
      const reply = await request({ type: 'history', requestId: createId(), conversationId, ...page }, isHistory);
      // Resume after what was loaded; `raise` because an older page must not rewind it.
      resume.raise(conversationId, reply.messages.reduce((max, message) => Math.max(max, message.seq), 0));
      return reply;
    },

    async profile(fields) {
      await request({ type: 'profile', requestId: createId(), ...fields }, isOk);
    },

    typing(conversationId, typing, options = {}) {
      if (status !== 'open') return;
      write(options.note ? { type: 'typing', conversationId, typing, note: true } : { type: 'typing', conversationId, typing });
    },

    markRead(conversationId, seq) {
      if (status === 'open') write({ type: 'read', conversationId, seq });
    },

    lastSeq: (conversationId) => resume.get(conversationId),
    track: (conversationId, seq) => resume.set(conversationId, seq),
    outbox: () => outbox.entries,
    on: (event, listener) => events.on(event, listener),
  };
  return { client, write, request };
}

function sendFrame(entry: PendingSend): SendFrame {
  const frame: SendFrame = { type: 'send', clientId: entry.clientId, text: entry.text, kind: entry.kind };
  if (entry.conversationId !== undefined) frame.conversationId = entry.conversationId;
  if (entry.mentions?.length) frame.mentions = entry.mentions;
  return frame;
}

function toError(frame: ErrorFrame): ParleyClientError {
  return new ParleyClientError(frame.code, frame.message, frame.field);
}
