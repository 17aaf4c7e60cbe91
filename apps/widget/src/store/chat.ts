import type { ClientStatus, HelloIdentity, SendInput, VisitorClient } from '@parley/client';
import type { AckFrame, PreChatMode, SiteAppearance, VisitorHello } from '@parley/protocol';
import type { Locale } from '../i18n.ts';
import type { VisitorStorage } from '../storage.ts';
import { onAccent } from '../ui/contrast.ts';
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
  /** What the last `welcome` said of the site: pre-chat mode and whether anyone is there to answer. */
  site: SiteState | undefined;
  /** The email the visitor gave (pre-chat, offline form, `identify`), or the one the relay knows. */
  email: string | null;
  /** The visitor answered (or skipped) the email form on this page view. */
  emailDone: boolean;
  /** The visitor's recent conversations merged into one thread, ordered by `createdAt`. */
  messages: readonly ChatMessage[];
  /** Per conversation, the highest `seq` an agent has read: the visitor's messages up to it are "Seen". */
  agentRead: ReadonlyMap<string, number>;
  /** Per conversation, the highest `seq` the visitor has seen: agents' messages after it are unread. */
  visitorRead: ReadonlyMap<string, number>;
  /** The name of the agent typing now ('' for one without a name); undefined when nobody is. */
  typing: string | undefined;
  /** Launcher shown (`Parley('show' | 'hide')`). */
  visible: boolean;
  locale: Locale;
}

export interface SiteState {
  preChat: PreChatMode;
  /** An agent is online and it is within business hours. */
  online: boolean;
}

/** The `identify` payload, as the owner's page passes it (checked by `readIdentity`). */
export type Identity = NonNullable<VisitorHello['identity']>;

/** Events the chat raises for `Parley('on', …)`. */
export interface ChatEvents {
  open: undefined;
  close: undefined;
  message: { from: 'agent' | 'visitor'; text: string; conversationId: string; createdAt: number; author: string | null };
  unread: number;
  error: { code: string; message: string };
  shutdown: undefined;
}

export interface ChatOptions {
  siteKey: string;
  storage: VisitorStorage;
  /** Per-tab memory for messages not yet acknowledged (sessionStorage): a reload does not lose them. */
  session?: VisitorStorage;
  /** Creates (not connects) the client; called when the widget first needs the relay, and again after `identify` or `shutdown`. */
  createClient: (hello: () => HelloIdentity) => VisitorClient;
  /** Page and locale for `hello`, asked afresh on every (re)connect. */
  context?: () => Pick<VisitorHello, 'page' | 'locale'>;
  emit?: <K extends keyof ChatEvents>(event: K, value: ChatEvents[K]) => void;
  /** Plays the new-message sound (only called when the owner turned sound on and the panel is closed). */
  beep?: () => void;
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
  /** Pre-chat or offline form: stores the email on the contact. Rejects if the relay refuses it. */
  submitEmail(email: string): Promise<void>;
  skipEmail(): void;
  /** `Parley('identify', …)`: reconnects as that user when already connected. */
  identify(identity: Identity): void;
  /** `Parley('shutdown')`: forgets the visitor on this device. */
  shutdown(): void;
  setSound(on: boolean): void;
}

/** Agents' messages the visitor has not seen yet: the launcher's badge. */
export function unreadCount(state: ChatState): number {
  let count = 0;
  for (const m of state.messages) {
    if (m.author.kind === 'agent' && m.conversationId && m.seq > (state.visitorRead.get(m.conversationId) ?? 0)) count++;
  }
  return count;
}

/** Which email form the panel shows instead of the composer: the team is away, or the site's pre-chat form. */
export type EmailGate = 'offline' | 'required' | 'optional';

/** Which email form the panel shows instead of the composer, if any. */
export function emailGate(state: ChatState): EmailGate | undefined {
  const { site } = state;
  // Once the thread has begun, or the email is known, the visitor just chats.
  if (!site || state.emailDone || state.email || state.messages.length > 0) return undefined;
  if (!site.online) return 'offline';
  return site.preChat === 'email-required' ? 'required' : site.preChat === 'email-optional' ? 'optional' : undefined;
}

/** Good enough to catch typos; the relay has the last word. */
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The visitor's side of the chat, framework-free: owns the client, turns its events into
 * `ChatState`, and remembers the visitor's token, read marks and unsent messages on this device.
 */
export function createChat(options: ChatOptions): Chat {
  const { storage, session } = options;
  const emit = options.emit ?? (() => {});
  const store = createStore<ChatState>({
    open: false,
    status: 'idle',
    appearance: parseCachedAppearance(storage.get('appearance')),
    site: undefined,
    email: null,
    emailDone: false,
    messages: [],
    agentRead: new Map(),
    visitorRead: readMarks(storage.get('read')),
    typing: undefined,
    visible: true,
    locale: 'en',
  });

  let client: VisitorClient | undefined;
  let token = validToken(storage.get('token'));
  let identity: Identity | undefined;
  let sound = false;
  /** The conversation this page's last send landed in (the relay picks it): where typing goes. */
  let conversationId: string | undefined;
  /** The newest open conversation from `welcome`, for typing before this page's first send. */
  let currentConversation: string | undefined;
  /** Conversations whose history is loaded or loading. */
  const loaded = new Set<string>();
  let agentTypingTimer: ReturnType<typeof setTimeout> | undefined;
  let typingIdleTimer: ReturnType<typeof setTimeout> | undefined;
  let typingSentAt = 0;
  let lastUnread = 0;

  store.subscribe((state) => {
    const unread = unreadCount(state);
    if (unread !== lastUnread) emit('unread', (lastUnread = unread));
  });

  function hello(): HelloIdentity {
    const frame: HelloIdentity = { role: 'visitor', siteKey: options.siteKey, ...options.context?.() };
    if (token) frame.visitorToken = token;
    if (identity) frame.identity = identity;
    return frame;
  }

  function ensureClient(): VisitorClient {
    if (client) return client;
    const created = options.createClient(hello);
    client = created;
    // Every handler checks it still belongs to the current client: `identify` and `shutdown` replace it.
    const current = () => client === created;
    created.on('status', (status) => current() && store.set({ status }));
    created.on('welcome', (frame) => {
      if (frame.role !== 'visitor' || !current()) return;
      token = frame.visitorToken;
      storage.set('token', token);
      // Cached with its text colour, so the loader paints the launcher right on the next page view.
      storage.set('appearance', JSON.stringify({ ...frame.site.appearance, onAccent: onAccent(frame.site.appearance.color) }));
      store.set((s) => ({
        appearance: frame.site.appearance,
        site: { preChat: frame.site.preChat, online: frame.site.agentsOnline && frame.site.withinBusinessHours },
        email: frame.contact.email ?? s.email,
      }));
      const newest = frame.conversations[0];
      currentConversation = newest && newest.status !== 'resolved' ? newest.id : undefined;
      // Every reconnect brings a `welcome`; the client's resume fills gaps in what is loaded,
      // so only conversations not loaded yet are fetched.
      for (const ref of frame.conversations.slice(0, HISTORY_CONVERSATIONS)) {
        if (!loaded.has(ref.id)) loadHistory(ref.id);
      }
    });
    created.on('frame', (frame) => {
      // Newer relays push availability changes; older ones only say it in `welcome`.
      const f = frame as { type: string; agentsOnline?: boolean; withinBusinessHours?: boolean };
      if (f.type === 'availability' && current()) {
        store.set((s) => ({ site: s.site && { ...s.site, online: !!f.agentsOnline && !!f.withinBusinessHours } }));
      }
    });
    created.on('message', (message) => {
      if (message.kind !== 'text' || !current()) return;
      const fresh = !store.get().messages.some((m) => m.id === message.id);
      store.set((s) => ({
        messages: upsertMessage(s.messages, fromMessage(message)),
        typing: message.author.kind === 'agent' ? undefined : s.typing,
      }));
      if (fresh && message.author.kind === 'agent') {
        emit('message', { from: 'agent', text: message.text, conversationId: message.conversationId, createdAt: message.createdAt, author: message.author.name });
        if (sound && !store.get().open) options.beep?.();
      }
      markSeen();
    });
    created.on('reset', (frame) => current() && loadHistory(frame.conversationId));
    created.on('read', (frame) => {
      if (!current()) return;
      if (frame.reader === 'agent') {
        store.set((s) => ({ agentRead: raise(s.agentRead, frame.conversationId, frame.seq) }));
      } else {
        // The visitor read it in another tab: the badge here clears too.
        setVisitorRead(frame.conversationId, frame.seq);
      }
    });
    created.on('typing', (frame) => {
      if (frame.author.kind !== 'agent' || !current()) return;
      clearTimeout(agentTypingTimer);
      store.set({ typing: frame.typing ? (frame.author.name ?? '') : undefined });
      if (frame.typing) agentTypingTimer = setTimeout(() => store.set({ typing: undefined }), AGENT_TYPING_TIMEOUT_MS);
    });
    // Errors not tied to a send: most often a setup problem (a wrong site key, an origin the
    // site does not allow, a bad identity hash). Said once each in the console, for the site owner.
    const warned = new Set<string>();
    created.on('error', (frame) => {
      if (!current()) return;
      emit('error', { code: frame.code, message: frame.message });
      if (frame.field?.startsWith('identity')) {
        // A refused identify (forged, expired, or unsigned where the site insists): the relay
        // closes the socket; the visitor carries on anonymously rather than losing the chat.
        console.error(`[Parley] identify refused: ${frame.message}`);
        identity = undefined;
        restart();
        return;
      }
      if (warned.has(frame.code)) return;
      warned.add(frame.code);
      console.warn(`[Parley] ${frame.code}: ${frame.message}`);
    });
    created.connect();
    return created;
  }

  /** Drops the current client for a new one (new identity, or none), carrying over unsent messages. */
  function restart(): void {
    const old = client;
    if (!old) return;
    const unsent = old.outbox().filter((entry) => entry.state === 'sending');
    client = undefined;
    old.close();
    loaded.clear();
    store.set((s) => ({ messages: s.messages.filter((m) => m.delivery === 'sending'), typing: undefined }));
    const next = ensureClient();
    for (const entry of unsent) follow(entry.clientId, next.send({ text: entry.text, clientId: entry.clientId }).ack);
  }

  function loadHistory(id: string): void {
    const owner = client;
    if (!owner) return;
    loaded.add(id);
    owner.history(id).then(
      (page) => {
        if (owner !== client) return;
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

  // --- Unsent messages survive a reload (sessionStorage, this tab only) ----------------------

  function readUnsent(): Unsent[] {
    try {
      const value: unknown = JSON.parse(session?.get('outbox') ?? '[]');
      return Array.isArray(value)
        ? value.filter((u): u is Unsent => typeof u?.clientId === 'string' && typeof u.text === 'string' && typeof u.createdAt === 'number')
        : [];
    } catch {
      return [];
    }
  }

  function writeUnsent(list: Unsent[]): void {
    if (list.length) session?.set('outbox', JSON.stringify(list));
    else session?.remove('outbox');
  }

  function follow(clientId: string, ack: Promise<AckFrame>): void {
    const owner = client;
    const settled = () => writeUnsent(readUnsent().filter((u) => u.clientId !== clientId));
    ack.then(
      (frame) => {
        settled();
        if (owner !== client) return;
        conversationId = frame.conversationId;
        const mine = store.get().messages.find((m) => m.clientId === clientId && m.author.kind === 'visitor');
        store.set((s) => ({
          messages: patchMessage(s.messages, clientId, {
            id: frame.messageId,
            conversationId: frame.conversationId,
            seq: frame.seq,
            createdAt: frame.createdAt,
            delivery: 'sent',
          }),
        }));
        if (mine && !frame.duplicate) {
          emit('message', { from: 'visitor', text: mine.text, conversationId: frame.conversationId, createdAt: frame.createdAt, author: null });
        }
        // Writing a message means having read the thread up to it.
        setVisitorRead(frame.conversationId, frame.seq);
      },
      () => {
        settled();
        store.set((s) => ({ messages: patchMessage(s.messages, clientId, { delivery: 'failed' }) }));
      },
    );
  }

  function queue(connection: VisitorClient, input: SendInput, createdAt: number): void {
    const { clientId, ack } = connection.send(input);
    const pending: ChatMessage = {
      clientId,
      id: undefined,
      conversationId,
      seq: 0,
      author: VISITOR,
      text: input.text,
      createdAt,
      delivery: 'sending',
    };
    store.set((s) => ({ messages: upsertMessage(s.messages, pending) }));
    if (!readUnsent().some((u) => u.clientId === clientId)) writeUnsent([...readUnsent(), { clientId, text: input.text, createdAt }]);
    follow(clientId, ack);
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
      const unsent = readUnsent();
      if (token || unsent.length) ensureClient();
      // Sent on the last page view but never acknowledged: out again, same client ids, so the
      // relay stores each once however many times it hears it.
      for (const u of unsent) queue(ensureClient(), { text: u.text, clientId: u.clientId }, u.createdAt);
    },
    open() {
      const was = store.get().open;
      store.set({ open: true });
      ensureClient();
      markSeen();
      if (!was) emit('open', undefined);
    },
    close() {
      const was = store.get().open;
      store.set({ open: false });
      sendTyping(false);
      if (was) emit('close', undefined);
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
      queue(connection, { text }, Date.now());
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
    async submitEmail(raw) {
      const email = raw.trim();
      if (!EMAIL.test(email)) throw new Error('invalid email');
      await ensureClient().profile({ email });
      store.set({ email, emailDone: true });
    },
    skipEmail() {
      store.set({ emailDone: true });
    },
    identify(next) {
      identity = next;
      if (next.email) store.set({ email: next.email });
      // Not connected yet: the first `hello` carries it. Connected: say hello again as that user.
      if (client) restart();
    },
    shutdown() {
      const old = client;
      client = undefined;
      old?.close();
      token = undefined;
      identity = undefined;
      conversationId = currentConversation = undefined;
      loaded.clear();
      storage.remove('token');
      storage.remove('read');
      session?.remove('outbox');
      const was = store.get().open;
      store.set({
        open: false,
        status: 'idle',
        site: undefined,
        email: null,
        emailDone: false,
        messages: [],
        agentRead: new Map(),
        visitorRead: new Map(),
        typing: undefined,
      });
      if (was) emit('close', undefined);
      emit('shutdown', undefined);
    },
    setSound(on) {
      sound = on;
    },
  };
  return chat;
}

interface Unsent {
  clientId: string;
  text: string;
  createdAt: number;
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
