import type {
  AckFrame,
  AgentStatus,
  AgentHello,
  ConversationSummary,
  ErrorCode,
  ErrorFrame,
  HistoryFrame,
  Message,
  MessageKind,
  ReadEventFrame,
  ResetFrame,
  ResumedFrame,
  ServerFrame,
  TypingEventFrame,
  UpdateFrame,
  VisitorHello,
  WelcomeFrame,
} from '@parley/protocol';
import type { DEFAULTS } from './defaults.ts';

/**
 * An event handler slot. Declared through a method so it is checked bivariantly: the DOM's and
 * `ws`'s sockets type their handlers' events more narrowly (`Event`, `MessageEvent`) than the
 * client needs, and with plain function types neither socket would be assignable here.
 */
type Handler<E> = { bivarianceHack(event: E): void }['bivarianceHack'] | null;

/** The part of the browser's WebSocket the client uses; `ws`'s WebSocket fits it too. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: Handler<unknown>;
  onmessage: Handler<{ data: unknown }>;
  onclose: Handler<{ code: number; reason: string }>;
  onerror: Handler<unknown>;
}

/** What the client puts in `hello` besides `type`, `protocol` and `resume`, asked afresh on every (re)connect. */
export type HelloIdentity =
  | Omit<VisitorHello, 'type' | 'protocol' | 'resume'>
  | Omit<AgentHello, 'type' | 'protocol' | 'resume'>;

export type ClientStatus = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

export type ClientOptions = {
  /** `ws://host:port/ws/visitor` or `/ws/agent`. */
  url: string;
  hello: () => HelloIdentity;
  /** Opens the socket; defaults to `new WebSocket(url)`. Node tests pass `ws` with a Cookie header. */
  createSocket?: (url: string) => SocketLike;
  /**
   * Turns a text frame from the relay into a frame, or `undefined` to drop it. Defaults to the
   * protocol's full schema check (`parseServerFrame`). A size-bound client (the widget) may pass a
   * lighter check: the relay validates everything it receives, so a lighter check here only trusts
   * the relay's own output more.
   */
  parseFrame?: (data: string) => ServerFrame | undefined;
} & {
  // Not `Partial<typeof DEFAULTS>`: DEFAULTS is `as const`, which would only admit the default values.
  [K in keyof typeof DEFAULTS]?: number;
};

/** A message the client has accepted but the relay has not yet acknowledged. */
export interface PendingSend {
  clientId: string;
  conversationId: string | undefined;
  text: string;
  kind: MessageKind;
  mentions?: string[];
  createdAt: number;
  /** `sending` while unacknowledged; `failed` once the relay refused it (it will not be retried). */
  state: 'sending' | 'failed';
  error?: { code: ErrorCode; message: string };
}

export interface ClientEvents {
  status: ClientStatus;
  welcome: WelcomeFrame;
  message: Message;
  ack: AckFrame;
  conversation: ConversationSummary;
  typing: TypingEventFrame;
  read: ReadEventFrame;
  reset: ResetFrame;
  resumed: ResumedFrame;
  /** Errors not tied to a pending send or request (those reject their promise instead). */
  error: ErrorFrame;
  /** The outbox changed (a send was queued, acknowledged or failed). */
  outbox: readonly PendingSend[];
  /** Every valid frame, after the typed events above. */
  frame: ServerFrame;
}

export type SendInput = {
  text: string;
  conversationId?: string;
  kind?: MessageKind;
  /** Agents' ids @mentioned in a note. */
  mentions?: string[];
  /** Reuse to retry a failed send; generated (`timeOrderedId`, ids.ts) when absent. */
  clientId?: string;
};

export type UpdatePatch = Omit<UpdateFrame, 'type' | 'requestId' | 'conversationId'>;

export interface ParleyClient {
  readonly status: ClientStatus;
  /** Opens the connection (idempotent). Reconnects by itself until `close()`. */
  connect(): void;
  /** Closes for good: no reconnect; pending sends stay in the outbox, unresolved. */
  close(): void;
  /**
   * Queues a message and sends it as soon as the connection is open; resent on every reconnect,
   * with the same client id, until acknowledged. Resolves with the ack; rejects with a
   * `ParleyClientError` when the relay refuses it.
   */
  send(input: SendInput): { clientId: string; ack: Promise<AckFrame> };
  /** Retries a failed send with its original client id. */
  retry(clientId: string): Promise<AckFrame> | undefined;
  history(conversationId: string, options?: { beforeSeq?: number; limit?: number }): Promise<HistoryFrame>;
  update(conversationId: string, patch: UpdatePatch): Promise<void>;
  profile(fields: { name?: string; email?: string }): Promise<void>;
  /** Best effort: dropped while disconnected. `note`: an agent drafting a private note (the visitor is not told). */
  typing(conversationId: string, typing: boolean, options?: { note?: boolean }): void;
  /** Agents: online or away. Remembered and said again after every reconnect. */
  presence(status: AgentStatus): void;
  /** Agents: the conversation on screen (null for none). Remembered and said again after every reconnect. */
  viewing(conversationId: string | null): void;
  markRead(conversationId: string, seq: number): void;
  /** The highest `seq` the client holds for a conversation (0 if none). Resume asks for everything after it. */
  lastSeq(conversationId: string): number;
  /** Start resuming a conversation from `seq` (e.g. after loading its history). */
  track(conversationId: string, seq: number): void;
  outbox(): readonly PendingSend[];
  on<K extends keyof ClientEvents>(event: K, listener: (value: ClientEvents[K]) => void): () => void;
}

/** The client without the agent's calls: what `createVisitorClient` returns (`./visitor.ts`). */
export type VisitorClient = Omit<ParleyClient, 'update' | 'presence' | 'viewing'>;

export class ParleyClientError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  constructor(code: ErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'ParleyClientError';
    this.code = code;
    this.field = field;
  }
}
