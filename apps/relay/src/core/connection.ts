import {
  ErrorCode,
  LIMITS,
  PROTOCOL_VERSION,
  ResetReason,
  parseClientFrame,
  type AgentHello,
  type Author,
  type ClientFrame,
  type ErrorFrame,
  type HistoryRequestFrame,
  type ReadFrame,
  type ResumePoint,
  type SendFrame,
  type ServerFrame,
  type TypingFrame,
  type UpdateFrame,
  type VisitorHello,
  type ProfileFrame,
  type PresenceFrame,
  type ViewingFrame,
} from '@parley/protocol';
import { topics, type BusEvent } from './bus.ts';
import type { CoreDeps } from './deps.ts';
import { ParleyError, forbidden, notFound, rateLimited, toParleyError } from './errors.ts';
import { cutWithoutSplitting, mayHoldLoneSurrogate, wellFormed } from './well-formed.ts';
import type { AgentRecord, AppendMessage, ContactRecord, ConversationAccess, ConversationPatch, ConversationRecord, SiteRecord } from './store.ts';
import { agentSummaries } from './agents.ts';
import { announcePresence, announceViewers } from './team-events.ts';
import { toSummary } from './summary.ts';
import { withinBusinessHours } from './business-hours.ts';
import { resolveVisitor, type ResolvedVisitor } from './resolve-visitor.ts';

/** The transport's side of a connection, as the core sees it: no WebSocket types here. */
export interface Peer {
  /** Unique per connection; used to avoid echoing typing and read events back to their sender. */
  readonly id: string;
  send(frame: ServerFrame): void;
  close(code: number, reason: string): void;
}

export interface ConnectionContext {
  /** Which endpoint the peer connected to: an agent session never talks on the visitor endpoint, nor the reverse. */
  endpoint: 'visitor' | 'agent';
  /** The Origin header of the upgrade request, checked against the site's allowed origins. */
  origin: string | null;
  /** For the agent endpoint: the agent the session cookie authenticated (the edge refuses the upgrade otherwise). */
  agent: AgentRecord | null;
  /** The browser's User-Agent, shown to agents in the contact panel. */
  userAgent?: string | null;
  /** The client's address, for per-IP limits. */
  ip?: string | null;
  /** For agents: the hash of the session behind the socket, so signing out closes it. */
  sessionId?: string | null;
}

/** Close codes the core asks for (RFC 6455 §7.4 and the 4000–4999 private range). */
export const CloseCode = { POLICY: 1008, PROTOCOL_MISMATCH: 4000, SIGNED_OUT: 4001 } as const;

// The topics a connection publishes to on every message are spelled once, at hello: a topic
// built per message is a new string that the bus's map must flatten and hash again.
type Identity =
  | { role: 'visitor'; contact: ContactRecord; workspaceId: string; siteId: string; settings: SiteRecord['settings']; workspaceTopic: string; contactTopic: string }
  | { role: 'agent'; agent: AgentRecord; workspaceId: string; workspaceTopic: string };

/** How many messages a resume replays per query: bounded memory per reconnecting client. */
const REPLAY_PAGE = 200;

/**
 * One client connection: authenticates with `hello`, then handles frames in arrival order.
 * Knows the protocol and the domain, not the transport.
 */
export function createConnection(deps: CoreDeps, peer: Peer, ctx: ConnectionContext): Connection {
  return new Connection(deps, peer, ctx);
}

/** The state of one connection, with its handlers on the prototype: a closure per handler per socket added up to 1.5 KB per idle visitor. */
export class Connection {
  private readonly deps: CoreDeps;
  private readonly peer: Peer;
  private readonly ctx: ConnectionContext;
  private identity: Identity | null = null;
  private isClosed = false;
  /** Frames waiting their turn (and the rare answer to one that failed to parse), while `drain` runs. */
  private pending: Array<ClientFrame | (() => void)> | null = null;
  /** The running drain, or a settled promise: what `closed()` waits for. */
  private queue: Promise<void> = Promise.resolve();
  private readonly unsubscribes: Array<() => Promise<void>> = [];
  // While a resume replays from the database, live events wait here so that nothing overtakes the replay.
  private replayBuffer: BusEvent[] | null = null;
  // Highest seq delivered per resumed conversation: a live event the replay already covered is dropped.
  // Created by the first resume: most visitors resume nothing.
  private delivered: Map<string, number> | null = null;

  constructor(deps: CoreDeps, peer: Peer, ctx: ConnectionContext) {
    this.deps = deps;
    this.peer = peer;
    this.ctx = ctx;
  }

  private send(frame: ServerFrame) {
    if (!this.isClosed) this.peer.send(frame);
  }

  private sendError(error: ParleyError, ref: string | undefined) {
    const frame: ErrorFrame = { type: 'error', code: error.code, message: error.message };
    if (ref !== undefined) frame.ref = ref;
    if (error.field !== undefined) frame.field = error.field;
    if (error.retryAfterMs !== undefined) frame.retryAfterMs = error.retryAfterMs;
    this.send(frame);
  }

  private readonly deliver = (event: BusEvent) => {
    if (event.origin === this.peer.id) return;
    if (event.control === 'disconnect') {
      this.send(event.frame);
      this.peer.close(CloseCode.SIGNED_OUT, 'signed out');
      return;
    }
    if (this.replayBuffer) {
      this.replayBuffer.push(event);
      return;
    }
    const { frame } = event;
    if (frame.type === 'message') {
      // Defence in depth: notes are never published to visitors, and never delivered to one either.
      if (this.identity?.role === 'visitor' && frame.message.kind === 'note') return;
      const seen = this.delivered?.get(frame.message.conversationId);
      if (seen !== undefined) {
        if (frame.message.seq <= seen) return;
        this.delivered!.set(frame.message.conversationId, frame.message.seq);
      }
    }
    this.send(frame);
  };

  private async subscribe(topic: string) {
    this.unsubscribes.push(await this.deps.bus.subscribe(topic, this.deliver));
  }

  /**
   * Not async itself: a frame goes straight to its handler's promise (an async wrapper here cost
   * one more promise per frame). The caller awaits the result in a try, so a throw here is
   * answered like a rejection.
   */
  private handle(frame: ClientFrame): Promise<void> | void {
    if (frame.type === 'hello') return this.handleHello(frame);
    if (!this.identity) throw new ParleyError(ErrorCode.NOT_AUTHENTICATED, 'Send hello first');
    switch (frame.type) {
      case 'send':
        return this.handleSend(this.identity, frame);
      case 'typing':
        return this.handleTyping(this.identity, frame);
      case 'read':
        return this.handleRead(this.identity, frame);
      case 'history':
        return this.handleHistory(this.identity, frame);
      case 'update':
        return this.handleUpdate(this.identity, frame);
      case 'profile':
        return this.handleProfile(this.identity, frame);
      case 'presence':
        return this.handlePresence(this.identity, frame);
      case 'viewing':
        return this.handleViewing(this.identity, frame);
      case 'ping':
        this.send(frame.t === undefined ? { type: 'pong' } : { type: 'pong', t: frame.t });
        return;
    }
  }

  private async handleHello(frame: VisitorHello | AgentHello): Promise<void> {
    if (this.identity) throw new ParleyError(ErrorCode.ALREADY_AUTHENTICATED, 'hello was already received');
    if (frame.protocol !== PROTOCOL_VERSION) {
      this.sendError(new ParleyError(ErrorCode.UNSUPPORTED_VERSION, `This relay speaks protocol ${PROTOCOL_VERSION}`), undefined);
      this.peer.close(CloseCode.PROTOCOL_MISMATCH, 'unsupported protocol version');
      return;
    }
    if (frame.role !== this.ctx.endpoint) {
      throw forbidden(`A ${frame.role} cannot say hello on the ${this.ctx.endpoint} endpoint`);
    }
    try {
      return await (frame.role === 'visitor' ? this.helloVisitor(frame) : this.helloAgent(frame));
    } catch (error) {
      // A hello that failed half-way must not leave live events buffered forever.
      const buffered = this.replayBuffer;
      this.replayBuffer = null;
      for (const event of buffered ?? []) this.deliver(event);
      throw error;
    }
  }

  private async helloVisitor(frame: VisitorHello) {
    const site = await this.deps.store.siteByKey(frame.siteKey);
    if (!site) {
      this.sendError(notFound('Site'), undefined);
      this.peer.close(CloseCode.POLICY, 'unknown site');
      return;
    }
    if (!site.allowedOrigins.includes('*') && (this.ctx.origin === null || !site.allowedOrigins.includes(this.ctx.origin))) {
      this.sendError(forbidden('This site does not allow chat from this origin'), undefined);
      this.peer.close(CloseCode.POLICY, 'origin not allowed');
      return;
    }
    let resolved: ResolvedVisitor;
    try {
      resolved = await resolveVisitor(this.deps, site, frame, this.ctx.userAgent ?? null);
    } catch (error) {
      // A refused identify ends the connection: the widget falls back to an anonymous visitor.
      this.sendError(toParleyError(error), undefined);
      this.peer.close(CloseCode.POLICY, 'identity refused');
      return;
    }
    const { contact, token } = resolved;
    // Only the settings are kept, not the whole site (its appearance is a few hundred bytes per socket).
    const me: Identity = {
      role: 'visitor', contact, workspaceId: site.workspaceId, siteId: site.id, settings: site.settings,
      workspaceTopic: topics.workspace(site.workspaceId), contactTopic: topics.contact(contact.id),
    };
    this.identity = me;
    this.replayBuffer = [];
    await this.subscribe(me.contactTopic);
    await this.subscribe(topics.availability(site.workspaceId));
    const conversations = await this.deps.store.conversationsOfContact(contact.id, 20);
    this.send({
      type: 'welcome',
      protocol: PROTOCOL_VERSION,
      role: 'visitor',
      visitorToken: token,
      contact: { id: contact.id, name: contact.name, email: contact.email, externalId: resolved.identified ? contact.externalId : null },
      identified: resolved.identified,
      site: {
        key: site.key,
        appearance: site.appearance,
        preChat: site.settings.preChat,
        agentsOnline: this.deps.presence.agentsOnline(site.workspaceId),
        withinBusinessHours: withinBusinessHours(site.settings.businessHours, this.deps.now()),
      },
      conversations,
      heartbeatMs: this.deps.heartbeatMs,
    });
    await this.resume(me, frame.resume ?? []);
  }

  private async helloAgent(frame: AgentHello) {
    const agent = this.ctx.agent;
    if (!agent) throw new ParleyError(ErrorCode.NOT_AUTHENTICATED, 'Sign in first');
    const workspace = await this.deps.store.workspace(agent.workspaceId);
    if (!workspace) throw notFound('Workspace');
    const me: Identity = { role: 'agent', agent, workspaceId: agent.workspaceId, workspaceTopic: topics.workspace(agent.workspaceId) };
    this.identity = me;
    this.replayBuffer = [];
    await this.subscribe(me.workspaceTopic);
    await this.subscribe(topics.agent(agent.id));
    if (this.ctx.sessionId) await this.subscribe(topics.session(this.ctx.sessionId));
    const wasOnline = this.deps.presence.agentsOnline(agent.workspaceId);
    this.deps.presence.agentConnected(agent.workspaceId, agent.id, agent.status);
    this.send({
      type: 'welcome',
      protocol: PROTOCOL_VERSION,
      role: 'agent',
      agent: { id: agent.id, email: agent.email, name: agent.name, role: agent.role },
      workspace: { id: workspace.id, name: workspace.name },
      agents: await agentSummaries(this.deps, agent.workspaceId),
      heartbeatMs: this.deps.heartbeatMs,
    });
    await this.resume(me, frame.resume ?? []);
    await announcePresence(this.deps, agent.workspaceId, wasOnline);
  }

  private async handlePresence(me: Identity, frame: PresenceFrame) {
    if (me.role !== 'agent') throw forbidden('Only agents have a presence');
    const wasOnline = this.deps.presence.agentsOnline(me.workspaceId);
    me.agent = await this.deps.store.updateAgent(me.agent.id, { status: frame.status });
    this.deps.presence.setStatus(me.workspaceId, me.agent.id, frame.status);
    await announcePresence(this.deps, me.workspaceId, wasOnline);
  }

  private async handleViewing(me: Identity, frame: ViewingFrame) {
    if (me.role !== 'agent') throw forbidden('Only agents view conversations');
    if (frame.conversationId !== null) await this.accessibleConversation(me, frame.conversationId);
    const changed = this.deps.presence.setViewing(this.peer.id, me.agent.id, frame.conversationId);
    await announceViewers(this.deps, me.workspaceId, changed);
  }

  /** Replays what the client missed, from the database (the record), then releases live events. */
  private async resume(me: Identity, points: readonly ResumePoint[]) {
    const resumed: Array<{ conversationId: string; seq: number }> = [];
    try {
      for (const point of points.slice(0, LIMITS.maxResumePoints)) {
        const conversation = await this.deps.store.conversationAccess(point.conversationId);
        if (!conversation || !this.mayAccess(me, conversation)) {
          // Replay is authorised exactly like live delivery: someone else's conversation does not exist.
          this.sendError(notFound('Conversation'), point.conversationId);
          continue;
        }
        if (point.seq > conversation.lastSeq) {
          this.send({ type: 'reset', conversationId: conversation.id, reason: ResetReason.AHEAD_OF_SERVER });
          continue;
        }
        let after = point.seq;
        for (;;) {
          const page = await this.deps.store.messagesAfter(conversation.id, after, REPLAY_PAGE, { includeNotes: me.role === 'agent' });
          for (const message of page) this.send({ type: 'message', message });
          if (page.length > 0) after = page[page.length - 1]!.seq;
          if (page.length < REPLAY_PAGE) break;
        }
        (this.delivered ??= new Map()).set(conversation.id, after);
        resumed.push({ conversationId: conversation.id, seq: after });
      }
      this.send({ type: 'resumed', conversations: resumed });
    } finally {
      const buffered = this.replayBuffer ?? [];
      this.replayBuffer = null;
      for (const event of buffered) this.deliver(event);
    }
  }

  private async handleSend(me: Identity, frame: SendFrame) {
    const kind = frame.kind ?? 'text';
    let author: Author;
    let contactId: string | null = null;
    let siteId: string | null = null;
    let beforeOpen: (() => void) | undefined;
    // Whose conversation a named one is, the store checks inside the write (appendMessage): a
    // read of its own before every send was a fifth of the frame's allocations.
    if (me.role === 'visitor') {
      if (kind === 'note') throw forbidden('Visitors cannot write notes');
      if (frame.conversationId === undefined) beforeOpen = () => this.checkMayOpenConversation(me);
      // Checked here, counted after the write: a resend of a stored message is not a new one,
      // and a client catching up after an outage must not be refused its own resends.
      const allowed = this.deps.limits.visitorMessages.blocked(me.contact.id, this.deps.now());
      if (!allowed.ok) throw rateLimited('You are sending messages too fast; wait a moment', allowed.retryAfterMs);
      author = { kind: 'visitor', id: me.contact.id, name: me.contact.name };
      contactId = me.contact.id;
      siteId = me.siteId;
    } else {
      if (frame.conversationId === undefined) {
        throw new ParleyError(ErrorCode.INVALID_FRAME, 'conversationId: required for agents', { field: 'conversationId' });
      }
      author = { kind: 'agent', id: me.agent.id, name: me.agent.name };
    }
    const input: AppendMessage = {
      workspaceId: me.workspaceId,
      siteId,
      contactId,
      conversationId: frame.conversationId,
      clientId: frame.clientId,
      kind,
      author,
      text: frame.text,
      now: this.deps.now(),
    };
    // Assigned, not spread in: a spread copies the whole object through a slow path, per message.
    if (beforeOpen) input.beforeOpen = beforeOpen;
    const result = await this.deps.store.appendMessage(input);
    const { message, conversation } = result;
    if (me.role === 'visitor' && !result.duplicate) this.deps.limits.visitorMessages.take(me.contact.id, this.deps.now());
    this.send({
      type: 'ack',
      clientId: message.clientId,
      conversationId: message.conversationId,
      messageId: message.id,
      seq: message.seq,
      createdAt: message.createdAt,
      duplicate: result.duplicate,
    });
    if (result.duplicate) return;
    const messageFrame: ServerFrame = { type: 'message', message };
    const toAgents: BusEvent = { frame: messageFrame };
    const summary: [string, BusEvent] = [me.workspaceTopic, { frame: { type: 'conversation', conversation: toSummary(conversation) } }];
    const events: Array<[string, BusEvent]> = message.kind === 'note'
      ? [[me.workspaceTopic, toAgents], summary]
      : [[me.workspaceTopic, toAgents], [me.role === 'visitor' ? me.contactTopic : topics.contact(conversation.contact.id), toAgents], summary];
    await this.publishAll(events);
    if (me.role === 'agent' && message.kind === 'note' && frame.mentions?.length) {
      await this.notifyMentions(me, conversation, message.id, frame.mentions, message.text);
    }
    if (me.role === 'visitor' && result.created && me.settings.autoAssign === 'round-robin') {
      await this.autoAssign(me.workspaceId, conversation);
    }
  }

  /**
   * The rules for opening a conversation, checked by the store inside the write, only when the
   * message would open one (so continuing a conversation, or resending, never pays for them):
   * the pre-chat email when the site requires it, and how many an address may open per hour
   * (spam bots open conversations, people continue them).
   */
  private checkMayOpenConversation(me: Extract<Identity, { role: 'visitor' }>): void {
    if (me.settings.preChat === 'email-required' && !me.contact.email) {
      // The widget asks first; this holds the rule for any other client too.
      throw new ParleyError(ErrorCode.FORBIDDEN, 'This site asks for your email before the first message', { field: 'email' });
    }
    if (!this.ctx.ip) return;
    // Counted here, as the check passes, not after the write: the first messages of many visitors
    // share one group commit, and each must see the ones before it counted (a burst from one
    // address once opened 40 conversations past a limit of 30). A batch that then fails to commit,
    // or runs twice because a write in it failed half-way (group-commit.ts), has counted a
    // conversation it did not open; the limit errs on the safe side.
    const allowed = this.deps.limits.conversationsPerIp.take(this.ctx.ip, this.deps.now());
    if (!allowed.ok) throw rateLimited('Too many new conversations from this network; try again later', allowed.retryAfterMs);
  }

  /**
   * Publishes without yielding between events: messages committed in one batch then reach every
   * subscriber in commit order, so no connection sees seq 7 (or its ack) before seq 6.
   */
  private publishAll(events: ReadonlyArray<[string, BusEvent]>) {
    return this.deps.bus.publishAll(events);
  }

  private async notifyMentions(
    me: Extract<Identity, { role: 'agent' }>,
    conversation: ConversationRecord,
    messageId: string,
    mentions: readonly string[],
    text: string,
  ) {
    const by: Author = { kind: 'agent', id: me.agent.id, name: me.agent.name };
    for (const agentId of new Set(mentions)) {
      if (agentId === me.agent.id) continue;
      const mentioned = await this.deps.store.agentById(agentId);
      // A mention of someone outside the workspace is dropped, not an error: the note is already stored.
      if (!mentioned || mentioned.workspaceId !== me.workspaceId || !mentioned.active) continue;
      await this.deps.bus.publish(topics.agent(agentId), {
        frame: { type: 'notification', kind: 'mention', conversationId: conversation.id, messageId, by, text: cutWithoutSplitting(text, 200) },
      });
    }
  }

  /** Round-robin: the online agent assigned least recently takes the new conversation. */
  private async autoAssign(workspaceId: string, conversation: ConversationRecord) {
    const online = new Set(this.deps.presence.onlineAgents(workspaceId));
    if (online.size === 0) return;
    const candidates = (await this.deps.store.listAgents(workspaceId)).filter((agent) => agent.active && online.has(agent.id));
    candidates.sort((a, b) => (a.lastAssignedAt ?? 0) - (b.lastAssignedAt ?? 0) || a.id.localeCompare(b.id));
    const chosen = candidates[0];
    if (!chosen) return;
    const now = this.deps.now();
    await this.deps.store.updateAgent(chosen.id, { lastAssignedAt: now });
    const updated = await this.deps.store.updateConversation(conversation.id, { assigneeId: chosen.id }, now);
    await this.publishAll([
      [topics.workspace(workspaceId), { frame: { type: 'conversation', conversation: toSummary(updated) } }],
      [topics.agent(chosen.id), {
        frame: {
          type: 'notification', kind: 'assigned', conversationId: updated.id, messageId: null,
          by: { kind: 'system', id: null, name: null }, text: updated.lastMessage?.text ?? '',
        },
      }],
    ]);
  }

  private async handleTyping(me: Identity, frame: TypingFrame) {
    const conversation = await this.accessibleConversation(me, frame.conversationId);
    const author: Author =
      me.role === 'visitor'
        ? { kind: 'visitor', id: me.contact.id, name: me.contact.name }
        : { kind: 'agent', id: me.agent.id, name: me.agent.name };
    const event: BusEvent = {
      frame: { type: 'typing', conversationId: conversation.id, author, typing: frame.typing },
      origin: this.peer.id,
    };
    const events: Array<[string, BusEvent]> = [[me.workspaceTopic, event]];
    // An agent drafting a note is typing too, but the visitor must not see it: the client says which.
    if (me.role === 'agent' && frame.note !== true) events.push([topics.contact(conversation.contactId), event]);
    await this.publishAll(events);
  }

  private async handleRead(me: Identity, frame: ReadFrame) {
    const conversation = await this.accessibleConversation(me, frame.conversationId);
    const changed = await this.deps.store.markRead(conversation.id, me.role, frame.seq);
    if (!changed) return;
    const seq = Math.min(frame.seq, conversation.lastSeq);
    const event: BusEvent = { frame: { type: 'read', conversationId: conversation.id, reader: me.role, seq }, origin: this.peer.id };
    await this.publishAll([
      [me.workspaceTopic, event],
      [topics.contact(conversation.contactId), event],
    ]);
  }

  private async handleHistory(me: Identity, frame: HistoryRequestFrame) {
    const conversation = await this.accessibleConversation(me, frame.conversationId);
    // Per person, not per socket: another tab or connection does not buy another allowance.
    const allowed = this.deps.limits.historyPages.take(me.role === 'visitor' ? `contact:${me.contact.id}` : `agent:${me.agent.id}`, this.deps.now());
    if (!allowed.ok) throw rateLimited('Too many history requests; wait a moment', allowed.retryAfterMs);
    const page = await this.deps.store.messagesBefore(conversation.id, frame.beforeSeq, frame.limit ?? 50, {
      includeNotes: me.role === 'agent',
    });
    this.send({ type: 'history', ref: frame.requestId, conversationId: conversation.id, messages: page.messages, hasMore: page.hasMore });
  }

  private async handleUpdate(me: Identity, frame: UpdateFrame) {
    if (me.role !== 'agent') throw forbidden('Only agents can change a conversation');
    const before = await this.visibleConversation(me, frame.conversationId);
    const patch = await this.validatedPatch(me, frame);
    const updated = await this.deps.store.updateConversation(frame.conversationId, patch, this.deps.now());
    this.send({ type: 'ok', ref: frame.requestId });
    const events: Array<[string, BusEvent]> = [
      [me.workspaceTopic, { frame: { type: 'conversation', conversation: toSummary(updated) } }],
    ];
    if (updated.assigneeId && updated.assigneeId !== before.assigneeId && updated.assigneeId !== me.agent.id) {
      events.push([topics.agent(updated.assigneeId), {
        frame: {
          type: 'notification', kind: 'assigned', conversationId: updated.id, messageId: null,
          by: { kind: 'agent', id: me.agent.id, name: me.agent.name }, text: updated.lastMessage?.text ?? '',
        },
      }]);
    }
    await this.publishAll(events);
  }

  /** Every id in an update must belong to the agent's workspace; a snooze needs a time ahead. */
  private async validatedPatch(me: Extract<Identity, { role: 'agent' }>, frame: UpdateFrame): Promise<ConversationPatch> {
    const patch: ConversationPatch = {};
    if (frame.assigneeId) {
      const assignee = await this.deps.store.agentById(frame.assigneeId);
      if (!assignee || assignee.workspaceId !== me.workspaceId || !assignee.active) {
        throw new ParleyError(ErrorCode.NOT_FOUND, 'assigneeId: no such agent', { field: 'assigneeId' });
      }
    }
    if (frame.teamId) {
      const team = await this.deps.store.team(frame.teamId);
      if (!team || team.workspaceId !== me.workspaceId) throw new ParleyError(ErrorCode.NOT_FOUND, 'teamId: no such team', { field: 'teamId' });
    }
    for (const field of ['addLabelIds', 'removeLabelIds'] as const) {
      for (const labelId of frame[field] ?? []) {
        const label = await this.deps.store.label(labelId);
        if (!label || label.workspaceId !== me.workspaceId) throw new ParleyError(ErrorCode.NOT_FOUND, `${field}: no such label`, { field });
      }
    }
    if (frame.status === 'snoozed' && (frame.snoozedUntil === undefined || frame.snoozedUntil <= this.deps.now())) {
      throw new ParleyError(ErrorCode.INVALID_FRAME, 'snoozedUntil: a snooze needs a time in the future', { field: 'snoozedUntil' });
    }
    if (frame.status !== undefined) patch.status = frame.status;
    if (frame.snoozedUntil !== undefined) patch.snoozedUntil = frame.snoozedUntil;
    if (frame.assigneeId !== undefined) patch.assigneeId = frame.assigneeId;
    if (frame.teamId !== undefined) patch.teamId = frame.teamId;
    if (frame.priority !== undefined) patch.priority = frame.priority;
    if (frame.addLabelIds !== undefined) patch.addLabelIds = frame.addLabelIds;
    if (frame.removeLabelIds !== undefined) patch.removeLabelIds = frame.removeLabelIds;
    return patch;
  }

  private async handleProfile(me: Identity, frame: ProfileFrame) {
    if (me.role !== 'visitor') throw forbidden('Only visitors have a profile here');
    const patch: { name?: string; email?: string } = {};
    if (frame.name !== undefined) patch.name = frame.name.trim();
    if (frame.email !== undefined) patch.email = frame.email.trim().toLowerCase();
    me.contact = await this.deps.store.updateContact(me.contact.id, patch);
    this.send({ type: 'ok', ref: frame.requestId });
  }

  /** The whole record, for changes that compare before and after. */
  private async visibleConversation(me: Identity, id: string): Promise<ConversationRecord> {
    const conversation = await this.deps.store.conversation(id);
    // "Not yours" and "does not exist" are the same answer, so ids cannot be probed.
    if (!conversation || !this.mayAccess(me, { workspaceId: conversation.workspaceId, contactId: conversation.contact.id })) {
      throw notFound('Conversation');
    }
    return conversation;
  }

  /** The check alone, for the live path: typing, read marks, history, resumes (a send is checked by the store's append). */
  private async accessibleConversation(me: Identity, id: string): Promise<ConversationAccess> {
    const conversation = await this.deps.store.conversationAccess(id);
    if (!conversation || !this.mayAccess(me, conversation)) throw notFound('Conversation');
    return conversation;
  }

  private mayAccess(me: Identity, conversation: Pick<ConversationAccess, 'workspaceId' | 'contactId'>): boolean {
    return me.role === 'visitor' ? conversation.contactId === me.contact.id : conversation.workspaceId === me.workspaceId;
  }

  /** A text frame from the peer. Frames are handled strictly one after another, in arrival order. */
  receive(text: string) {
    const parsed = parseClientFrame(text);
    if (!parsed.ok) {
      const { code, message, ref, field } = parsed.error;
      // Through the queue too, so that replies come back in the order their frames arrived.
      this.enqueue(() => {
        this.sendError(new ParleyError(code, message, field === undefined ? {} : { field }), ref);
        // The parser may answer a hello of another version itself (before its schema, which a newer
        // peer's extra fields would fail): hang up exactly as `handle` does for that case.
        if (code === ErrorCode.UNSUPPORTED_VERSION) this.peer.close(CloseCode.PROTOCOL_MISMATCH, 'unsupported protocol version');
      });
      return;
    }
    // Checked on the raw text first, so the common frame pays for one regex test, not a walk.
    this.enqueue(mayHoldLoneSurrogate(text) ? wellFormed(parsed.value) : parsed.value);
  }
  /** Binary frames are not part of the protocol: answered, not fatal. */
  receiveBinary() {
    this.enqueue(() => this.sendError(new ParleyError(ErrorCode.BAD_JSON, 'Binary frames are not accepted; send JSON text'), undefined));
  }

  /**
   * Frames join a list that one drain works through, instead of a promise chain: a `then` with a
   * closure and an async function per frame were a twentieth of what a message allocated. An
   * idle connection's first frame starts the drain at once.
   */
  private enqueue(item: ClientFrame | (() => void)) {
    if (this.pending) {
      this.pending.push(item);
      return;
    }
    this.pending = [item];
    this.queue = this.drain(this.pending);
  }

  private async drain(pending: Array<ClientFrame | (() => void)>): Promise<void> {
    try {
      // Frames arriving while one is handled join this list, and are taken in turn.
      for (let item = pending.shift(); item !== undefined; item = pending.shift()) {
        if (typeof item === 'function') {
          try {
            item();
          } catch (error) {
            this.deps.log('error', 'answering a refused frame failed', error);
          }
          continue;
        }
        if (this.isClosed) continue;
        try {
          await this.handle(item);
        } catch (error) {
          const failure = toParleyError(error);
          if (failure.code === ErrorCode.INTERNAL) this.deps.log('error', `frame ${item.type} failed`, error);
          this.sendError(failure, refOf(item));
        }
      }
    } finally {
      // Even if answering failed: the next frame starts a drain of its own rather than waiting forever.
      this.pending = null;
    }
  }
  /** The transport closed: release subscriptions and presence. */
  async closed() {
    if (this.isClosed) return;
    this.isClosed = true;
    await this.queue;
    await Promise.all(this.unsubscribes.map((unsubscribe) => unsubscribe()));
    if (this.identity?.role === 'agent') {
      const { workspaceId, agent } = this.identity;
      const wasOnline = this.deps.presence.agentsOnline(workspaceId);
      this.deps.presence.agentDisconnected(workspaceId, agent.id);
      const changed = this.deps.presence.setViewing(this.peer.id, agent.id, null);
      await announceViewers(this.deps, workspaceId, changed);
      await announcePresence(this.deps, workspaceId, wasOnline);
    }
  }
}

function refOf(frame: ClientFrame): string | undefined {
  if ('clientId' in frame) return frame.clientId;
  if ('requestId' in frame) return frame.requestId;
  return undefined;
}
