import type { ClientOptions, ParleyClient } from '@parley/client';
import type {
  AckFrame,
  ConversationStatus,
  ConversationSummary,
  MeResponse,
  Message,
  MessageKind,
  ReadEventFrame,
  TypingEventFrame,
} from '@parley/protocol';
import { ApiError, type Api, type StatusFilter } from '../api.ts';
import {
  applyMessage,
  createConversationsStore,
  initialConversations,
  upsertConversations,
  type ConversationsStore,
} from './conversations.ts';
import { createMessagesStore, emptyThread, initialMessages, mergeMessages, type MessagesStore, type Thread } from './messages.ts';
import { createSessionStore, type SessionStore } from './session.ts';
import { createTypingNotifier, type TypingNotifier } from './typing.ts';

/** Messages fetched per REST page when a thread is opened or scrolled back. */
export const PAGE_SIZE = 50;
/** A visitor's typing indicator disappears after this long without news (a lost `typing: false`). */
export const VISITOR_TYPING_TIMEOUT_MS = 8_000;

export interface InboxDeps {
  api: Api;
  /** Opens the agent's live connection: `createParleyClient` in the app, a fake in tests. */
  createClient: (options: ClientOptions) => ParleyClient;
  /** `ws(s)://<host>/ws/agent`; the session cookie authenticates the upgrade. */
  socketUrl: string;
  /** Whether the agent can see the page; read marks are sent only then. Default: always. */
  isVisible?: () => boolean;
}

/**
 * The inbox's state and every action on it, framework-free. It owns the `ParleyClient` (the UI
 * never touches the socket), feeds the three stores from REST and live events, and is the one
 * place that decides what a frame means for the screen.
 */
export interface Inbox {
  readonly session: SessionStore;
  readonly conversations: ConversationsStore;
  readonly messages: MessagesStore;
  /** On load: skips the sign-in screen when the session cookie is still valid. */
  restore(): Promise<void>;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  setFilter(filter: StatusFilter): Promise<void>;
  /** Selects a conversation (or none) and loads its thread the first time. */
  open(conversationId: string | null): Promise<void>;
  loadEarlier(conversationId: string): Promise<void>;
  send(conversationId: string, text: string): void;
  retry(clientId: string): void;
  /** Resolves with the relay's `ok`; the status itself changes when the `conversation` frame arrives. */
  setStatus(conversationId: string, status: ConversationStatus): Promise<void>;
  /** The reply draft changed: drives the agent's (throttled) typing signal. */
  draftChanged(conversationId: string, draft: string): void;
  /** The page became visible or focused: mark the open conversation read. */
  markSelectedRead(): void;
  dispose(): void;
}

export function createInbox(deps: InboxDeps): Inbox {
  const { api } = deps;
  const isVisible = deps.isVisible ?? (() => true);
  const session = createSessionStore();
  const conversations = createConversationsStore();
  const messages = createMessagesStore();

  let client: ParleyClient | null = null;
  let typing: TypingNotifier | null = null;
  let unsubscribe: Array<() => void> = [];
  /** What this tab sent, by client id, so an `ack` can become a message in the thread at once. */
  const sent = new Map<string, { conversationId: string; text: string; kind: MessageKind }>();
  const typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  let listRequest = 0;
  /** Bumped when a session ends: REST answers that arrive after it belong to no one. */
  let generation = 0;

  // ── stores ────────────────────────────────────────────────────────────────

  function patchSummary(id: string, patch: (summary: ConversationSummary) => ConversationSummary) {
    conversations.setState((state) => {
      const held = state.byId[id];
      if (!held) return state;
      const next = patch(held);
      return next === held ? state : { byId: { ...state.byId, [id]: next } };
    });
  }

  function patchThread(id: string, patch: (thread: Thread) => Thread) {
    messages.setState((state) => ({ threads: { ...state.threads, [id]: patch(state.threads[id] ?? emptyThread) } }));
  }

  function setVisitorTyping(id: string, author: TypingEventFrame['author'] | null) {
    clearTimeout(typingTimers.get(id));
    typingTimers.delete(id);
    if (author) typingTimers.set(id, setTimeout(() => setVisitorTyping(id, null), VISITOR_TYPING_TIMEOUT_MS));
    messages.setState((state) => {
      if (!author && !state.typing[id]) return state;
      const next = { ...state.typing };
      if (author) next[id] = author;
      else delete next[id];
      return { typing: next };
    });
  }

  // ── live events ───────────────────────────────────────────────────────────

  function receive(message: Message) {
    patchSummary(message.conversationId, (summary) => applyMessage(summary, message));
    messages.setState((state) => {
      const thread = state.threads[message.conversationId];
      if (!thread) return state;
      const merged = mergeMessages(thread.messages, [message]);
      if (merged === thread.messages) return state;
      return { threads: { ...state.threads, [message.conversationId]: { ...thread, messages: merged } } };
    });
    if (message.author.kind === 'visitor') setVisitorTyping(message.conversationId, null);
    markSelectedRead();
  }

  function onAck(ack: AckFrame) {
    const origin = sent.get(ack.clientId);
    const me = session.getState().me;
    sent.delete(ack.clientId);
    if (!origin || !me) return;
    // The relay may or may not echo our own message back; the ack carries all we need to show
    // it now, and the echo (same id) is deduplicated.
    receive({
      id: ack.messageId,
      conversationId: ack.conversationId,
      seq: ack.seq,
      clientId: ack.clientId,
      kind: origin.kind,
      author: { kind: 'agent', id: me.agent.id, name: me.agent.name },
      text: origin.text,
      createdAt: ack.createdAt,
    });
  }

  function onRead(frame: ReadEventFrame) {
    const key = frame.reader === 'visitor' ? 'visitorReadSeq' : 'agentReadSeq';
    patchSummary(frame.conversationId, (summary) =>
      summary[key] >= frame.seq ? summary : { ...summary, [key]: frame.seq },
    );
  }

  function startLive() {
    const live = deps.createClient({ url: deps.socketUrl, hello: () => ({ role: 'agent' }) });
    client = live;
    typing = createTypingNotifier((id, isTyping) => live.typing(id, isTyping));
    let welcomed = false;
    unsubscribe = [
      live.on('status', (connection) => session.setState({ connection })),
      live.on('welcome', () => {
        // Resume replays the tracked threads; summaries of the rest may have moved while we were away.
        if (welcomed) void loadList();
        welcomed = true;
      }),
      live.on('conversation', (summary) =>
        conversations.setState((state) => {
          const byId = upsertConversations(state.byId, [summary]);
          return byId === state.byId ? state : { byId };
        }),
      ),
      live.on('message', receive),
      live.on('ack', onAck),
      live.on('read', onRead),
      live.on('typing', (frame) => {
        // Other agents' typing is for collision detection, a later feature.
        if (frame.author.kind === 'visitor') setVisitorTyping(frame.conversationId, frame.typing ? frame.author : null);
      }),
      live.on('outbox', (outbox) => messages.setState({ outbox })),
      live.on('reset', ({ conversationId }) => {
        if (!messages.getState().threads[conversationId]) return;
        patchThread(conversationId, () => emptyThread);
        void loadThread(conversationId);
      }),
    ];
    live.connect();
  }

  function stopLive() {
    for (const off of unsubscribe) off();
    unsubscribe = [];
    typing?.stop();
    typing = null;
    client?.close();
    client = null;
    sent.clear();
    for (const timer of typingTimers.values()) clearTimeout(timer);
    typingTimers.clear();
  }

  // ── REST ──────────────────────────────────────────────────────────────────

  /** A 401 mid-session means the cookie expired or the agent was deactivated: back to sign-in. */
  function isSessionEnd(error: unknown): boolean {
    if (!(error instanceof ApiError) || error.status !== 401) return false;
    endSession('Your session has ended. Sign in again.');
    return true;
  }

  function endSession(error: string | null) {
    stopLive();
    generation++;
    conversations.setState({ ...initialConversations }, true);
    messages.setState({ ...initialMessages }, true);
    session.setState({ phase: 'signedOut', me: null, error, connection: 'idle' });
  }

  function signedIn(me: MeResponse) {
    session.setState({ phase: 'signedIn', me, error: null });
    startLive();
    void loadList();
  }

  async function loadList() {
    const request = ++listRequest;
    const current = generation;
    const filter = conversations.getState().filter;
    conversations.setState({ loading: true, error: null });
    try {
      const list = await api.listConversations(filter);
      if (current !== generation) return;
      if (request !== listRequest) {
        // A newer request owns the spinner, but the data is still good.
        conversations.setState((state) => ({ byId: upsertConversations(state.byId, list) }));
        return;
      }
      conversations.setState((state) => ({ byId: upsertConversations(state.byId, list), loading: false }));
    } catch (error) {
      if (current !== generation || isSessionEnd(error) || request !== listRequest) return;
      conversations.setState({ loading: false, error: describe(error) });
    }
  }

  async function loadThread(id: string) {
    const current = generation;
    patchThread(id, (thread) => ({ ...thread, status: 'loading', error: null }));
    try {
      const page = await api.listMessages(id, { limit: PAGE_SIZE });
      if (current !== generation) return;
      patchThread(id, (thread) => ({
        ...thread,
        messages: mergeMessages(thread.messages, page.messages),
        status: 'ready',
        hasMore: page.hasMore,
      }));
      const last = messages.getState().threads[id]?.messages.at(-1);
      client?.track(id, last?.seq ?? 0);
      markSelectedRead();
    } catch (error) {
      if (current !== generation || isSessionEnd(error)) return;
      patchThread(id, (thread) => ({ ...thread, status: 'error', error: describe(error) }));
    }
  }

  function markSelectedRead() {
    const id = conversations.getState().selectedId;
    if (id === null || !client || !isVisible()) return;
    const last = messages.getState().threads[id]?.messages.at(-1);
    const summary = conversations.getState().byId[id];
    if (!last || !summary || summary.agentReadSeq >= last.seq) return;
    client.markRead(id, last.seq);
    // Locally at once, so the unread dot and the title do not wait for the relay's echo.
    patchSummary(id, (held) => ({ ...held, agentReadSeq: Math.max(held.agentReadSeq, last.seq) }));
  }

  // ── actions ───────────────────────────────────────────────────────────────

  return {
    session,
    conversations,
    messages,

    async restore() {
      try {
        const me = await api.me();
        if (me) signedIn(me);
        else session.setState({ phase: 'signedOut' });
      } catch (error) {
        session.setState({ phase: 'signedOut', error: describe(error) });
      }
    },

    async signIn(email, password) {
      session.setState({ phase: 'signingIn', error: null });
      try {
        signedIn(await api.login({ email, password }));
      } catch (error) {
        session.setState({ phase: 'signedOut', error: signInError(error) });
      }
    },

    async signOut() {
      stopLive();
      try {
        await api.logout();
      } catch {
        // The cookie may already be gone; signing out locally is what the agent asked for.
      }
      endSession(null);
    },

    async setFilter(filter) {
      if (conversations.getState().filter === filter) return;
      conversations.setState({ filter });
      await loadList();
    },

    async open(id) {
      if (conversations.getState().selectedId !== id) {
        typing?.stop();
        conversations.setState({ selectedId: id });
      }
      if (id === null) return;
      // Opening again retries a thread that failed to load.
      const thread = messages.getState().threads[id];
      if (!thread || thread.status === 'error') await loadThread(id);
      else markSelectedRead();
    },

    async loadEarlier(id) {
      const thread = messages.getState().threads[id];
      const first = thread?.messages[0];
      if (!thread || !first || thread.loadingEarlier || !thread.hasMore) return;
      const current = generation;
      patchThread(id, (held) => ({ ...held, loadingEarlier: true, error: null }));
      try {
        const page = await api.listMessages(id, { before: first.seq, limit: PAGE_SIZE });
        if (current !== generation) return;
        patchThread(id, (held) => ({
          ...held,
          messages: mergeMessages(held.messages, page.messages),
          hasMore: page.hasMore,
          loadingEarlier: false,
        }));
      } catch (error) {
        if (current !== generation || isSessionEnd(error)) return;
        patchThread(id, (held) => ({ ...held, loadingEarlier: false, error: describe(error) }));
      }
    },

    send(conversationId, text) {
      const body = text.trim();
      if (!client || body.length === 0) return;
      typing?.stop();
      const { clientId, ack } = client.send({ conversationId, text: body });
      sent.set(clientId, { conversationId, text: body, kind: 'text' });
      // A refusal is shown from the outbox (state `failed`) with a Retry button.
      ack.catch(() => {});
    },

    retry(clientId) {
      client?.retry(clientId)?.catch(() => {});
    },

    async setStatus(conversationId, status) {
      if (!client) throw new Error('Not connected.');
      await client.update(conversationId, { status });
    },

    draftChanged(conversationId, draft) {
      if (draft.trim().length > 0) typing?.input(conversationId);
      else typing?.stop();
    },

    markSelectedRead,

    dispose() {
      stopLive();
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : 'Something went wrong.';
}

function signInError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return 'Incorrect email or password.';
    if (error.status === 429) return 'Too many attempts. Wait a minute, then try again.';
    if (error.status === 400) return 'Enter a valid email address and your password.';
  }
  return describe(error);
}
