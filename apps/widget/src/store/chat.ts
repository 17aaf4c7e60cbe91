import type { ClientStatus, HelloIdentity, ParleyClient, SendInput } from '@parley/client';
import type { AckFrame, SiteAppearance, VisitorHello } from '@parley/protocol';
import type { VisitorStorage } from '../storage.ts';
import { parseCachedAppearance } from './appearance.ts';
import { createStore, type Store } from './store.ts';
import {
  VISITOR,
  fromMessage,
  lastSeqOf,
  patchMessage,
  replaceConversation,
  upsertMessage,
  type ChatMessage,
} from './thread.ts';

/** How many of the visitor's conversations (newest first) the thread shows after `welcome`. */
const HISTORY_CONVERSATIONS = 3;
/** The visitor counts as typing until this long after their last keystroke. */
const TYPING_IDLE_MS = 3_000;
/** A `typing: true` is repeated at most this often while they keep typing. */
const TYPING_THROTTLE_MS = 2_000;
/** An agent's typing indicator disappears after this long without news, should their `false` be lost. */
const AGENT_TYPING_TIMEOUT_MS = 8_000;

export interface ChatState {
  open: boolean;
  status: ClientStatus;
  /** From `welcome`, or cached from an earlier one; undefined before either. */
  appearance: SiteAppearance | undefined;
  /** The visitor's recent conversations merged into one thread, ordered by `createdAt`. */
  messages: readonly ChatMessage[];
  /** Per conversation, the highest `seq` an agent has read: the visitor's messages up to it are "Seen". */
  agentRead: ReadonlyMap<string, number>;
  /** Per conversation, the highest `seq` the visitor has seen: agents' messages after it are unread. */
  visitorRead: ReadonlyMap<string, number>;
  /** The name of the agent typing now ('' for one without a name); undefined when nobody is. */
  typing: string | undefined;
}

export interface ChatOptions {
  siteKey: string;
  storage: VisitorStorage;
  /** Creates (not connects) the client; called at most once, when the widget first needs the relay. */
  createClient: (hello: () => HelloIdentity) => ParleyClient;
  /** Page and locale for `hello`, asked afresh on every (re)connect. */
  context?: () => Pick<VisitorHello, 'page' | 'locale'>;
}

export interface Chat {
  readonly store: Store<ChatState>;
  /** Connects at once for a returning visitor (so agents' replies reach the badge); others wait for `open`. */
  start(): void;
  open(): void;
  close(): void;
  toggle(): void;
  send(text: string): void;
  retry(clientId: string): void;
  /** The visitor's draft changed: `true` while it has text. */
  typing(active: boolean): void;
}

/** Agents' messages the visitor has not seen yet: the launcher's badge. */
export function unreadCount(state: ChatState): number {
  let count = 0;
  for (const m of state.messages) {
    if (m.author.kind === 'agent' && m.conversationId && m.seq > (state.visitorRead.get(m.conversationId) ?? 0)) count++;
  }
  return count;
}

/**
 * The visitor's side of the chat, framework-free: owns the client, turns its events into
 * `ChatState`, and remembers the visitor's token and read marks on this device.
 */
export function createChat(options: ChatOptions): Chat {
  const { storage } = options;
  const store = createStore<ChatState>({
    open: false,
    status: 'idle',
    appearance: parseCachedAppearance(storage.get('appearance')),
    messages: [],
    agentRead: new Map(),
    visitorRead: readMarks(storage.get('read')),
    typing: undefined,
  });

  let client: ParleyClient | undefined;
  let token = validToken(storage.get('token'));
  /** The conversation this page's last send landed in (the relay picks it): where typing goes. */
  let conversationId: string | undefined;
  /** The newest open conversation from `welcome`, for typing before this page's first send. */
  let currentConversation: string | undefined;
  /** Conversations whose history is loaded or loading. */
  const loaded = new Set<string>();
  let agentTypingTimer: ReturnType<typeof setTimeout> | undefined;
  let typingIdleTimer: ReturnType<typeof setTimeout> | undefined;
  let typingSentAt = 0;

  function hello(): HelloIdentity {
    const identity: HelloIdentity = { role: 'visitor', siteKey: options.siteKey, ...options.context?.() };
    if (token) identity.visitorToken = token;
    return identity;
  }

  function ensureClient(): ParleyClient {
    if (client) return client;
    const created = options.createClient(hello);
    client = created;
    created.on('status', (status) => store.set({ status }));
    created.on('welcome', (frame) => {
      if (frame.role !== 'visitor') return;
      token = frame.visitorToken;
      storage.set('token', token);
      storage.set('appearance', JSON.stringify(frame.site.appearance));
      store.set({ appearance: frame.site.appearance });
      const newest = frame.conversations[0];
      currentConversation = newest && newest.status !== 'resolved' ? newest.id : undefined;
      // Every reconnect brings a `welcome`; the client's resume fills gaps in what is loaded,
      // so only conversations not loaded yet are fetched.
      for (const ref of frame.conversations.slice(0, HISTORY_CONVERSATIONS)) {
        if (!loaded.has(ref.id)) loadHistory(ref.id);
      }
    });
    created.on('message', (message) => {
      if (message.kind !== 'text') return;
      store.set((s) => ({
        messages: upsertMessage(s.messages, fromMessage(message)),
        typing: message.author.kind === 'agent' ? undefined : s.typing,
      }));
      markSeen();
    });
    created.on('reset', (frame) => loadHistory(frame.conversationId));
    created.on('read', (frame) => {
      if (frame.reader === 'agent') {
        store.set((s) => ({ agentRead: raise(s.agentRead, frame.conversationId, frame.seq) }));
      } else {
        // The visitor read it in another tab: the badge here clears too.
        setVisitorRead(frame.conversationId, frame.seq);
      }
    });
    created.on('typing', (frame) => {
      if (frame.author.kind !== 'agent') return;
      clearTimeout(agentTypingTimer);
      store.set({ typing: frame.typing ? (frame.author.name ?? '') : undefined });
      if (frame.typing) agentTypingTimer = setTimeout(() => store.set({ typing: undefined }), AGENT_TYPING_TIMEOUT_MS);
    });
    // Errors not tied to a send: most often a setup problem (a wrong site key, an origin the
    // site does not allow). Said once each in the console, for the site owner, not the visitor.
    const warned = new Set<string>();
    created.on('error', (frame) => {
      if (warned.has(frame.code)) return;
      warned.add(frame.code);
      console.warn(`[Parley] ${frame.code}: ${frame.message}`);
    });
    created.connect();
    return created;
  }

  function loadHistory(id: string): void {
    if (!client) return;
    loaded.add(id);
    client.history(id).then(
      (page) => {
        store.set((s) => ({ messages: replaceConversation(s.messages, id, page.messages) }));
        // A conversation this device has no read mark for (storage was cleared, or it began
        // elsewhere) counts as read: a badge of old replies would be noise, not news.
        if (!store.get().visitorRead.has(id)) setVisitorRead(id, lastSeqOf(store.get().messages, id));
        markSeen();
      },
      () => loaded.delete(id),
    );
  }

  /** While the panel is open, everything in the thread is seen: tell the relay (for "Seen" in the inbox) and the badge. */
  function markSeen(): void {
    const state = store.get();
    if (!state.open || !client) return;
    const latest = new Map<string, number>();
    for (const m of state.messages) if (m.conversationId) latest.set(m.conversationId, Math.max(latest.get(m.conversationId) ?? 0, m.seq));
    for (const [id, seq] of latest) {
      if (seq > (state.visitorRead.get(id) ?? 0)) {
        client.markRead(id, seq);
        setVisitorRead(id, seq);
      }
    }
  }

  function setVisitorRead(id: string, seq: number): void {
    const current = store.get().visitorRead;
    if ((current.get(id) ?? -1) >= seq) return;
    const next = raise(current, id, seq);
    store.set({ visitorRead: next });
    storage.set('read', JSON.stringify(Object.fromEntries(next)));
  }

  function follow(clientId: string, ack: Promise<AckFrame>): void {
    ack.then(
      (frame) => {
        conversationId = frame.conversationId;
        store.set((s) => ({
          messages: patchMessage(s.messages, clientId, {
            id: frame.messageId,
            conversationId: frame.conversationId,
            seq: frame.seq,
            createdAt: frame.createdAt,
            delivery: 'sent',
          }),
        }));
        // Writing a message means having read the thread up to it.
        setVisitorRead(frame.conversationId, frame.seq);
      },
      () => store.set((s) => ({ messages: patchMessage(s.messages, clientId, { delivery: 'failed' }) })),
    );
  }

  function sendTyping(active: boolean): void {
    clearTimeout(typingIdleTimer);
    const target = conversationId ?? currentConversation;
    if (!client || !target) return;
    if (!active) {
      if (typingSentAt) client.typing(target, false);
      typingSentAt = 0;
      return;
    }
    const now = Date.now();
    if (now - typingSentAt >= TYPING_THROTTLE_MS) {
      client.typing(target, true);
      typingSentAt = now;
    }
    typingIdleTimer = setTimeout(() => sendTyping(false), TYPING_IDLE_MS);
  }

  const chat: Chat = {
    store,
    start() {
      if (token) ensureClient();
    },
    open() {
      store.set({ open: true });
      ensureClient();
      markSeen();
    },
    close() {
      store.set({ open: false });
      sendTyping(false);
    },
    toggle() {
      if (store.get().open) chat.close();
      else chat.open();
    },
    send(raw) {
      const text = raw.trim();
      if (!text) return;
      const connection = ensureClient();
      sendTyping(false);
      // No conversation id: the relay writes into the visitor's current conversation, or opens one
      // when the last was resolved. The same rule then holds before and after a reload.
      const input: SendInput = { text };
      const { clientId, ack } = connection.send(input);
      const pending: ChatMessage = {
        clientId,
        id: undefined,
        conversationId,
        seq: 0,
        author: VISITOR,
        text,
        createdAt: Date.now(),
        delivery: 'sending',
      };
      store.set((s) => ({ messages: upsertMessage(s.messages, pending) }));
      follow(clientId, ack);
    },
    retry(clientId) {
      const message = store.get().messages.find((m) => m.clientId === clientId && m.delivery === 'failed');
      if (!message) return;
      const connection = ensureClient();
      store.set((s) => ({ messages: patchMessage(s.messages, clientId, { delivery: 'sending' }) }));
      // The client forgets a failed send once the page reloads; then it goes out afresh, same id.
      const input: SendInput = { text: message.text, clientId };
      follow(clientId, connection.retry(clientId) ?? connection.send(input).ack);
    },
    typing: sendTyping,
  };
  return chat;
}

function raise(map: ReadonlyMap<string, number>, key: string, seq: number): Map<string, number> {
  const next = new Map(map);
  next.set(key, Math.max(map.get(key) ?? 0, seq));
  return next;
}

/** The relay issues tokens of 16–128 characters; anything else in storage is not one of ours. */
function validToken(value: string | undefined): string | undefined {
  return value && value.length >= 16 && value.length <= 128 ? value : undefined;
}

function readMarks(raw: string | undefined): Map<string, number> {
  const marks = new Map<string, number>();
  if (!raw) return marks;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return marks;
    for (const [id, seq] of Object.entries(value)) if (typeof seq === 'number') marks.set(id, seq);
  } catch {
    // A corrupt value is as good as none.
  }
  return marks;
}
