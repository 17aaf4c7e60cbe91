import type { ClientOptions, ParleyClient, SendInput } from '@parley/client';
import type {
  AckFrame,
  AgentStatus,
  AgentSummary,
  ConversationStatus,
  ConversationSummary,
  MeResponse,
  Message,
  MessageKind,
  Priority,
  ReadEventFrame,
  SearchHit,
  ServerFrame,
  TypingEventFrame,
  UpdateFrame,
} from '@parley/protocol';
import { ApiError, type Api, type StatusFilter } from '../api.ts';
import { contactName } from '../format.ts';
import type { Alerter } from '../notify.ts';
import {
  applyMessage,
  createConversationsStore,
  createVisibleSelector,
  freshConversations,
  replaceInto,
  upsertInto,
  type ConversationsStore,
  type Scope,
} from './conversations.ts';
import { createMessagesStore, emptyThread, initialMessages, mergeMessages, type MessagesStore, type Thread } from './messages.ts';
import { createSessionStore, type SessionStore } from './session.ts';
import { createTypingNotifier, type TypingNotifier } from './typing.ts';
import { createUiStore, type UiStore } from './ui.ts';
import { createWorkspaceStore, initialWorkspace, type WorkspaceStore } from './workspace.ts';

/**
 * What the inbox asks of its live client. `presence` and `viewing` are optional until every
 * client has them: without them the relay simply does not learn of presence or collision.
 */
export type InboxClient = ParleyClient & {
  presence?(status: AgentStatus): void;
  viewing?(conversationId: string | null): void;
};

/** Every field of an agent's `update` frame. */
export type ConversationPatch = Omit<UpdateFrame, 'type' | 'requestId' | 'conversationId'>;

/** A message as the composer hands it over. */
export interface Outgoing {
  text: string;
  kind?: MessageKind;
  /** Agent ids @mentioned in a note. */
  mentions?: string[];
}

/** Messages fetched per REST page when a thread is opened or scrolled back. */
export const PAGE_SIZE = 50;
/** A visitor's typing indicator disappears after this long without news (a lost `typing: false`). */
export const VISITOR_TYPING_TIMEOUT_MS = 8_000;
/** Conversations asked for per folder; the relay's maximum. Live frames add the rest. */
export const LIST_LIMIT = 1000;

export interface InboxDeps {
  api: Api;
  /** Opens the agent's live connection: `createParleyClient` in the app, a fake in tests. */
  createClient: (options: ClientOptions) => InboxClient;
  /** `ws(s)://<host>/ws/agent`; the session cookie authenticates the upgrade. */
  socketUrl: string;
  /** Whether the agent can see the page; read marks are sent only then. Default: always. */
  isVisible?: () => boolean;
  /** Desktop notifications and a chime while the tab is hidden; none in tests unless given. */
  alerter?: Alerter;
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
  readonly workspace: WorkspaceStore;
  /** Which overlay is open, reply or note: screen state the keyboard drives. */
  readonly ui: UiStore;
  /** For the admin screens, which edit resources the live stores only mirror. */
  readonly api: Api;
  readonly alerter: Alerter | undefined;
  /** On load: skips the sign-in screen when the session cookie is still valid. */
  restore(): Promise<void>;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  /** `/inbox/invite/<token>`: the invited agent picks a name and password and is signed in. */
  acceptInvite(token: string, name: string, password: string): Promise<void>;
  setFilter(filter: StatusFilter): Promise<void>;
  setScope(scope: Scope): Promise<void>;
  /** j / k: move the list's cursor by `delta` in the visible order; returns the new cursor. */
  moveCursor(delta: number): string | null;
  /** Opens a conversation that may not be in any loaded list (a search hit, a past conversation). */
  openById(conversationId: string): Promise<void>;
  /** Selects a conversation (or none) and loads its thread the first time. */
  open(conversationId: string | null): Promise<void>;
  loadEarlier(conversationId: string): Promise<void>;
  send(conversationId: string, message: string | Outgoing): void;
  retry(clientId: string): void;
  /** Resolves with the relay's `ok`; the status itself changes when the `conversation` frame arrives. */
  setStatus(conversationId: string, status: ConversationStatus): Promise<void>;
  /** Any change an agent may make: status, assignee, team, priority, snooze, labels. */
  update(conversationId: string, patch: ConversationPatch): Promise<void>;
  snooze(conversationId: string, until: number): Promise<void>;
  setPriority(conversationId: string, priority: Priority): Promise<void>;
  toggleLabel(conversationId: string, labelId: string): Promise<void>;
  /**
   * Assigns to an agent and/or a team. With a note, the note goes first (mentioning the new
   * assignee) so they find the context waiting when they open it: a transfer.
   */
  assign(conversationId: string, to: { assigneeId?: string | null; teamId?: string | null }, note?: string): Promise<void>;
  setPresence(status: AgentStatus): void;
  loadContact(contactId: string, force?: boolean): Promise<void>;
  search(q: string): Promise<SearchHit[]>;
  /** Reloads labels, teams, canned responses and agents (after an admin changed them). */
  refreshWorkspace(): Promise<void>;
  /** The reply draft changed: drives the agent's (throttled) typing signal. */
  draftChanged(conversationId: string, draft: string, note?: boolean): void;
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
  const workspace = createWorkspaceStore();
  const ui = createUiStore();
  const selectVisible = createVisibleSelector();

  let client: InboxClient | null = null;
  let typing: TypingNotifier | null = null;
  let unsubscribe: Array<() => void> = [];
  /** What this tab sent, by client id, so an `ack` can become a message in the thread at once. */
  const sent = new Map<string, { conversationId: string; text: string; kind: MessageKind }>();
  const typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  let listRequest = 0;
  /** Until the first list is in, every conversation is "new": no alerts for those. */
  let listLoaded = false;
  /** Bumped when a session ends: REST answers that arrive after it belong to no one. */
  let generation = 0;

  // ── stores ────────────────────────────────────────────────────────────────

  function patchSummary(id: string, patch: (summary: ConversationSummary) => ConversationSummary) {
    conversations.setState((state) => {
      const held = state.byId[id];
      if (!held) return state;
      return replaceInto(state, patch(held));
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
    const held = conversations.getState().byId[message.conversationId];
    const me = session.getState().me?.agent.id;
    if (held && message.author.kind === 'visitor' && held.assigneeId === me && message.seq > held.lastSeq) {
      alert(`${contactName(held.contact)}`, message.text, message.conversationId);
    }
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

  function alert(title: string, body: string, conversationId: string) {
    if (isVisible()) return;
    deps.alerter?.alert({ title, body, tag: conversationId, onClick: () => void openById(conversationId) });
  }

  function onConversation(summary: ConversationSummary) {
    const known = summary.id in conversations.getState().byId;
    conversations.setState((state) => upsertInto(state, [summary]));
    if (!known && listLoaded && summary.status === 'open') {
      alert('New conversation', `${contactName(summary.contact)}: ${summary.lastMessage?.text ?? ''}`, summary.id);
    }
  }

  /** Frames the client has no typed event for: presence, collision, notifications. */
  function onFrame(frame: ServerFrame) {
    switch (frame.type) {
      case 'agents':
        return setAgents(frame.agents);
      case 'viewers': {
        const me = session.getState().me?.agent.id;
        const ids = frame.agentIds.filter((id) => id !== me);
        return workspace.setState((state) => ({ viewers: { ...state.viewers, [frame.conversationId]: ids } }));
      }
      case 'notification': {
        const what = frame.kind === 'mention' ? 'mentioned you' : 'assigned you a conversation';
        return alert(`${frame.by.name ?? 'A teammate'} ${what}`, frame.text, frame.conversationId);
      }
      default:
        return;
    }
  }

  function setAgents(agents: readonly AgentSummary[]) {
    const me = session.getState().me?.agent.id;
    const mine = agents.find((agent) => agent.id === me);
    workspace.setState({ agents, ...(mine ? { myStatus: mine.status } : {}) });
  }

  function setAgentTyping(frame: TypingEventFrame) {
    const agentId = frame.author.id;
    if (!agentId || agentId === session.getState().me?.agent.id) return;
    const key = `${frame.conversationId}:${agentId}`;
    clearTimeout(typingTimers.get(key));
    typingTimers.delete(key);
    if (frame.typing) {
      typingTimers.set(key, setTimeout(() => setAgentTyping({ ...frame, typing: false }), VISITOR_TYPING_TIMEOUT_MS));
    }
    workspace.setState((state) => {
      const current = { ...state.agentTyping[frame.conversationId] };
      if (frame.typing) current[agentId] = frame.author;
      else if (agentId in current) delete current[agentId];
      else return state;
      return { agentTyping: { ...state.agentTyping, [frame.conversationId]: current } };
    });
  }

  function startLive() {
    const live = deps.createClient({ url: deps.socketUrl, hello: () => ({ role: 'agent' }) });
    client = live;
    // A note's typing reaches teammates only: the relay keeps it from the visitor.
    typing = createTypingNotifier((id, isTyping, note) => live.typing(id, isTyping, note ? { note: true } : {}));
    let welcomed = false;
    unsubscribe = [
      live.on('status', (connection) => session.setState({ connection })),
      live.on('welcome', (frame) => {
        if (frame.role === 'agent') setAgents(frame.agents);
        // The relay forgets presence and what is on screen with the connection: say them again.
        live.presence?.(workspace.getState().myStatus);
        live.viewing?.(conversations.getState().selectedId);
        // Resume replays the tracked threads; summaries of the rest may have moved while we were away.
        if (welcomed) void loadList();
        welcomed = true;
      }),
      live.on('conversation', onConversation),
      live.on('frame', onFrame),
      live.on('message', receive),
      live.on('ack', onAck),
      live.on('read', onRead),
      live.on('typing', (frame) => {
        if (frame.author.kind === 'visitor') setVisitorTyping(frame.conversationId, frame.typing ? frame.author : null);
        else if (frame.author.kind === 'agent') setAgentTyping(frame);
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
    conversations.setState(freshConversations(), true);
    messages.setState({ ...initialMessages }, true);
    workspace.setState({ ...initialWorkspace }, true);
    listLoaded = false;
    session.setState({ phase: 'signedOut', me: null, error, connection: 'idle' });
  }

  function signedIn(me: MeResponse) {
    session.setState({ phase: 'signedIn', me, error: null });
    conversations.setState({ meId: me.agent.id });
    startLive();
    void loadList();
    void refreshWorkspace();
  }

  /** Labels, teams, canned responses and agents; each on its own, so one failing spoils nothing. */
  async function refreshWorkspace() {
    const current = generation;
    const load = async <T>(fetch: () => Promise<T>, apply: (value: T) => void) => {
      try {
        const value = await fetch();
        if (current === generation) apply(value);
      } catch (error) {
        if (current === generation) isSessionEnd(error);
      }
    };
    await Promise.all([
      load(api.labels, (labels) => workspace.setState({ labels })),
      load(api.teams, (teams) => workspace.setState({ teams })),
      load(api.cannedResponses, (cannedResponses) => workspace.setState({ cannedResponses })),
      load(api.agents, (agents) => setAgents(agents)),
    ]);
  }

  function listQuery() {
    const { filter, scope } = conversations.getState();
    const query: Parameters<Api['listConversations']>[0] = { status: filter, limit: LIST_LIMIT };
    if (scope === 'mine') query.assignee = 'me';
    else if (scope === 'unassigned') query.assignee = 'unassigned';
    else if (scope.startsWith('label:')) query.labelId = scope.slice(6);
    else if (scope.startsWith('team:')) query.teamId = scope.slice(5);
    return query;
  }

  async function loadList() {
    const request = ++listRequest;
    const current = generation;
    conversations.setState({ loading: true, error: null });
    try {
      const list = await api.listConversations(listQuery());
      if (current !== generation) return;
      if (request !== listRequest) {
        // A newer request owns the spinner, but the data is still good.
        conversations.setState((state) => upsertInto(state, list));
        return;
      }
      conversations.setState((state) => ({ ...upsertInto(state, list), loading: false }));
      listLoaded = true;
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

  async function open(id: string | null) {
    if (conversations.getState().selectedId !== id) {
      typing?.stop();
      conversations.setState({ selectedId: id, ...(id !== null ? { cursorId: id } : {}) });
      client?.viewing?.(id);
    }
    if (id === null) return;
    const summary = conversations.getState().byId[id];
    if (summary) void loadContact(summary.contact.id);
    // Opening again retries a thread that failed to load.
    const thread = messages.getState().threads[id];
    if (!thread || thread.status === 'error') await loadThread(id);
    else markSelectedRead();
  }

  async function openById(id: string) {
    if (!conversations.getState().byId[id]) {
      try {
        const summary = await api.conversation(id);
        conversations.setState((state) => upsertInto(state, [summary]));
      } catch (error) {
        if (isSessionEnd(error)) return;
        throw error;
      }
    }
    // Show it where it is: switch to a folder that holds it if the current one does not.
    const state = conversations.getState();
    const summary = state.byId[id]!;
    if (!selectVisible(state).some((candidate) => candidate.id === id)) {
      conversations.setState({ scope: 'all', filter: summary.status });
      void loadList();
    }
    await open(id);
  }

  async function loadContact(contactId: string, force = false) {
    const held = workspace.getState().contacts[contactId];
    if (held && !force && held.status !== 'error') return;
    const current = generation;
    const set = (entry: (typeof workspace extends { getState(): infer S } ? S : never)['contacts'][string]) =>
      workspace.setState((state) => ({ contacts: { ...state.contacts, [contactId]: entry } }));
    if (!held || held.status === 'error') set({ status: 'loading' });
    try {
      const contact = await api.contact(contactId);
      if (current === generation) set({ status: 'ready', contact });
    } catch (error) {
      if (current !== generation || isSessionEnd(error)) return;
      set({ status: 'error', error: describe(error) });
    }
  }

  async function update(conversationId: string, patch: ConversationPatch) {
    if (!client) throw new Error('Not connected.');
    await client.update(conversationId, patch);
  }

  function send(conversationId: string, outgoing: string | Outgoing) {
    const { text, kind = 'text', mentions = [] } = typeof outgoing === 'string' ? { text: outgoing } : outgoing;
    const body = text.trim();
    if (!client || body.length === 0) return;
    typing?.stop();
    const input: SendInput & { mentions?: string[] } = { conversationId, text: body };
    if (kind === 'note') input.kind = 'note';
    if (kind === 'note' && mentions.length > 0) input.mentions = mentions;
    const { clientId, ack } = client.send(input);
    sent.set(clientId, { conversationId, text: body, kind });
    // A refusal is shown from the outbox (state `failed`) with a Retry button.
    ack.catch(() => {});
  }

  return {
    session,
    conversations,
    messages,
    workspace,
    ui,
    api,
    alerter: deps.alerter,

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

    async acceptInvite(token, name, password) {
      session.setState({ phase: 'signingIn', error: null });
      try {
        signedIn(await api.acceptInvite({ token, name, password }));
      } catch (error) {
        session.setState({ phase: 'signedOut', error: inviteError(error) });
      }
    },

    async setFilter(filter) {
      if (conversations.getState().filter === filter) return;
      conversations.setState({ filter });
      await loadList();
    },

    async setScope(scope) {
      if (conversations.getState().scope === scope) return;
      conversations.setState({ scope });
      await loadList();
    },

    moveCursor(delta) {
      const state = conversations.getState();
      const visible = selectVisible(state);
      if (visible.length === 0) return null;
      const from = visible.findIndex((summary) => summary.id === (state.cursorId ?? state.selectedId));
      const index = from === -1 ? (delta > 0 ? 0 : visible.length - 1) : Math.min(visible.length - 1, Math.max(0, from + delta));
      const cursorId = visible[index]!.id;
      conversations.setState({ cursorId });
      return cursorId;
    },

    open,
    openById,

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

    send,

    retry(clientId) {
      client?.retry(clientId)?.catch(() => {});
    },

    async setStatus(conversationId, status) {
      await update(conversationId, { status });
    },

    update,

    async snooze(conversationId, until) {
      await update(conversationId, { status: 'snoozed', snoozedUntil: until });
    },

    async setPriority(conversationId, priority) {
      await update(conversationId, { priority });
    },

    async toggleLabel(conversationId, labelId) {
      const summary = conversations.getState().byId[conversationId];
      const has = summary?.labelIds.includes(labelId) ?? false;
      await update(conversationId, has ? { removeLabelIds: [labelId] } : { addLabelIds: [labelId] });
    },

    async assign(conversationId, to, note) {
      const text = note?.trim();
      if (text) {
        const mentions = to.assigneeId ? [to.assigneeId] : [];
        send(conversationId, { text, kind: 'note', mentions });
      }
      const patch: ConversationPatch = {};
      if (to.assigneeId !== undefined) patch.assigneeId = to.assigneeId;
      if (to.teamId !== undefined) patch.teamId = to.teamId;
      await update(conversationId, patch);
    },

    setPresence(status) {
      workspace.setState({ myStatus: status });
      client?.presence?.(status);
    },

    loadContact,

    async search(q) {
      try {
        return await api.search(q);
      } catch (error) {
        isSessionEnd(error);
        throw error;
      }
    },

    refreshWorkspace,

    draftChanged(conversationId, draft, note = false) {
      if (draft.trim().length > 0) typing?.input(conversationId, note);
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

function inviteError(error: unknown): string {
  if (error instanceof ApiError && (error.status === 404 || error.status === 410 || error.code === 'NOT_FOUND')) {
    return 'This invite link has expired or was already used. Ask an admin for a new one.';
  }
  return describe(error);
}

function signInError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return 'Incorrect email or password.';
    if (error.status === 429) return 'Too many attempts. Wait a minute, then try again.';
    if (error.status === 400) return 'Enter a valid email address and your password.';
  }
  return describe(error);
}
