import type { ClientEvents, ClientStatus, HelloIdentity, ParleyClient, PendingSend, SendInput } from '@parley/client';
import type { AckFrame, HistoryFrame, Message, VisitorWelcome } from '@parley/protocol';

interface FakeSend {
  input: SendInput;
  clientId: string;
  ack(patch?: Partial<AckFrame>): void;
  fail(message?: string): void;
}

/** A `ParleyClient` the test drives by hand: it records what the widget asks and emits what the test says. */
export interface FakeClient extends ParleyClient {
  readonly hello: () => HelloIdentity;
  readonly sends: FakeSend[];
  readonly typings: Array<[conversationId: string, typing: boolean]>;
  readonly reads: Array<[conversationId: string, seq: number]>;
  readonly historyRequests: string[];
  readonly profiles: Array<{ name?: string; email?: string }>;
  /** What `history(id)` answers with; a conversation not listed has no messages. */
  readonly histories: Map<string, Message[]>;
  connected: boolean;
  emit<K extends keyof ClientEvents>(event: K, value: ClientEvents[K]): void;
}

export function createFakeClient(hello: () => HelloIdentity = () => ({ role: 'visitor', siteKey: 'site_1' })): FakeClient {
  const listeners = new Map<keyof ClientEvents, Set<(value: never) => void>>();
  const pending = new Map<string, FakeSend>();
  let status: ClientStatus = 'idle';
  let nextId = 1;

  function deferredSend(input: SendInput, clientId: string): FakeSend & { promise: Promise<AckFrame> } {
    let resolve!: (ack: AckFrame) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<AckFrame>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const seq = nextId;
    const send = {
      input,
      clientId,
      promise,
      ack: (patch: Partial<AckFrame> = {}) =>
        resolve({
          type: 'ack',
          clientId,
          conversationId: 'conv_1',
          messageId: `msg_${clientId}`,
          seq,
          createdAt: Date.now(),
          duplicate: false,
          ...patch,
        }),
      fail: (message = 'Refused') => reject(new Error(message)),
    };
    pending.set(clientId, send);
    return send;
  }

  const client: FakeClient = {
    hello,
    sends: [],
    typings: [],
    reads: [],
    historyRequests: [],
    profiles: [],
    histories: new Map(),
    connected: false,
    get status() {
      return status;
    },
    connect() {
      client.connected = true;
    },
    close() {
      client.connected = false;
    },
    send(input) {
      const clientId = input.clientId ?? `c${nextId++}`;
      const send = deferredSend(input, clientId);
      client.sends.push(send);
      return { clientId, ack: send.promise };
    },
    retry(clientId) {
      const previous = pending.get(clientId);
      if (!previous) return undefined;
      const send = deferredSend(previous.input, clientId);
      client.sends.push(send);
      return send.promise;
    },
    history(conversationId) {
      client.historyRequests.push(conversationId);
      const page: HistoryFrame = {
        type: 'history',
        ref: `req_${conversationId}`,
        conversationId,
        messages: client.histories.get(conversationId) ?? [],
        hasMore: false,
      };
      return Promise.resolve(page);
    },
    update: () => Promise.resolve(),
    profile(fields) {
      client.profiles.push(fields);
      return Promise.resolve();
    },
    typing(conversationId, typing) {
      client.typings.push([conversationId, typing]);
    },
    markRead(conversationId, seq) {
      client.reads.push([conversationId, seq]);
    },
    presence: () => {},
    viewing: () => {},
    lastSeq: () => 0,
    track: () => {},
    outbox: (): readonly PendingSend[] => [],
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (value: never) => void);
      return () => void set.delete(listener as (value: never) => void);
    },
    emit<K extends keyof ClientEvents>(event: K, value: ClientEvents[K]) {
      if (event === 'status') status = value as ClientStatus;
      for (const listener of listeners.get(event) ?? []) (listener as (value: ClientEvents[K]) => void)(value);
    },
  };
  return client;
}

export function welcome(patch: Partial<VisitorWelcome> = {}): VisitorWelcome {
  return {
    type: 'welcome',
    protocol: 1,
    role: 'visitor',
    visitorToken: 'tok_0123456789abcdef',
    contact: { id: 'contact_1', name: null, email: null, externalId: null },
    identified: false,
    site: {
      key: 'site_1',
      appearance: {
        name: 'Acme Support',
        greeting: 'Hi! Ask us anything.',
        color: '#0f766e',
        position: 'right',
        launcherLabel: 'Chat',
        replyTime: 'Usually replies in a few minutes',
      },
      preChat: 'off',
      agentsOnline: true,
      withinBusinessHours: true,
    },
    conversations: [],
    heartbeatMs: 25_000,
    ...patch,
  };
}

let messageCounter = 0;

export function agentMessage(text: string, patch: Partial<Message> = {}): Message {
  messageCounter++;
  return {
    id: `m_agent_${messageCounter}`,
    conversationId: 'conv_1',
    seq: messageCounter,
    clientId: `agent_client_${messageCounter}`,
    kind: 'text',
    author: { kind: 'agent', id: 'agent_1', name: 'Alex' },
    text,
    createdAt: Date.now(),
    ...patch,
  };
}
