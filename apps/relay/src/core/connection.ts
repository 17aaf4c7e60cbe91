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
import { mayHoldLoneSurrogate, wellFormed } from './well-formed.ts';
import type { AgentRecord, ContactRecord, ConversationPatch, ConversationRecord, SiteRecord } from './store.ts';
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

type Identity =
  | { role: 'visitor'; contact: ContactRecord; workspaceId: string; siteId: string; site: SiteRecord }
  | { role: 'agent'; agent: AgentRecord; workspaceId: string };

/** How many messages a resume replays per query: bounded memory per reconnecting client. */
const REPLAY_PAGE = 200;

/**
 * One client connection: authenticates with `hello`, then handles frames in arrival order.
 * Knows the protocol and the domain, not the transport.
 */
export function createConnection(deps: CoreDeps, peer: Peer, ctx: ConnectionContext) {
  let identity: Identity | null = null;
  let closed = false;
  let queue: Promise<void> = Promise.resolve();
  const unsubscribes: Array<() => Promise<void>> = [];
  // While a resume replays from the database, live events wait here so that nothing overtakes the replay.
  let replayBuffer: BusEvent[] | null = null;
  // Highest seq delivered per resumed conversation: a live event the replay already covered is dropped.
  const delivered = new Map<string, number>();

  const send = (frame: ServerFrame) => {
    if (!closed) peer.send(frame);
  };

  const sendError = (error: ParleyError, ref: string | undefined) => {
    const frame: ErrorFrame = { type: 'error', code: error.code, message: error.message };
    if (ref !== undefined) frame.ref = ref;
    if (error.field !== undefined) frame.field = error.field;
    if (error.retryAfterMs !== undefined) frame.retryAfterMs = error.retryAfterMs;
    send(frame);
  };

  const deliver = (event: BusEvent) => {
    if (event.origin === peer.id) return;
    if (event.control === 'disconnect') {
      send(event.frame);
      peer.close(CloseCode.SIGNED_OUT, 'signed out');
      return;
    }
    if (replayBuffer) {
      replayBuffer.push(event);
      return;
    }
    const { frame } = event;
    if (frame.type === 'message') {
      // Defence in depth: notes are never published to visitors, and never delivered to one either.
      if (identity?.role === 'visitor' && frame.message.kind === 'note') return;
      const seen = delivered.get(frame.message.conversationId);
      if (seen !== undefined) {
        if (frame.message.seq <= seen) return;
        delivered.set(frame.message.conversationId, frame.message.seq);
      }
    }
    send(frame);
  };

  async function subscribe(topic: string) {
    unsubscribes.push(await deps.bus.subscribe(topic, deliver));
  }

  async function handle(frame: ClientFrame): Promise<void> {
    if (frame.type === 'hello') {
      if (identity) throw new ParleyError(ErrorCode.ALREADY_AUTHENTICATED, 'hello was already received');
      if (frame.protocol !== PROTOCOL_VERSION) {
        sendError(new ParleyError(ErrorCode.UNSUPPORTED_VERSION, `This relay speaks protocol ${PROTOCOL_VERSION}`), undefined);
        peer.close(CloseCode.PROTOCOL_MISMATCH, 'unsupported protocol version');
        return;
      }
      if (frame.role !== ctx.endpoint) {
        throw forbidden(`A ${frame.role} cannot say hello on the ${ctx.endpoint} endpoint`);
      }
      try {
        return await (frame.role === 'visitor' ? helloVisitor(frame) : helloAgent(frame));
      } catch (error) {
        // A hello that failed half-way must not leave live events buffered forever.
        const buffered = replayBuffer;
        replayBuffer = null;
        for (const event of buffered ?? []) deliver(event);
        throw error;
      }
    }
    if (!identity) throw new ParleyError(ErrorCode.NOT_AUTHENTICATED, 'Send hello first');
    switch (frame.type) {
      case 'send':
        return handleSend(identity, frame);
      case 'typing':
        return handleTyping(identity, frame);
      case 'read':
        return handleRead(identity, frame);
      case 'history':
        return handleHistory(identity, frame);
      case 'update':
        return handleUpdate(identity, frame);
      case 'profile':
        return handleProfile(identity, frame);
      case 'presence':
        return handlePresence(identity, frame);
      case 'viewing':
        return handleViewing(identity, frame);
      case 'ping':
        send(frame.t === undefined ? { type: 'pong' } : { type: 'pong', t: frame.t });
        return;
    }
  }

  async function helloVisitor(frame: VisitorHello) {
    const site = await deps.store.siteByKey(frame.siteKey);
    if (!site) {
      sendError(notFound('Site'), undefined);
      peer.close(CloseCode.POLICY, 'unknown site');
      return;
    }
    if (!site.allowedOrigins.includes('*') && (ctx.origin === null || !site.allowedOrigins.includes(ctx.origin))) {
      sendError(forbidden('This site does not allow chat from this origin'), undefined);
      peer.close(CloseCode.POLICY, 'origin not allowed');
      return;
    }
    let resolved: ResolvedVisitor;
    try {
      resolved = await resolveVisitor(deps, site, frame, ctx.userAgent ?? null);
    } catch (error) {
      // A refused identify ends the connection: the widget falls back to an anonymous visitor.
      sendError(toParleyError(error), undefined);
      peer.close(CloseCode.POLICY, 'identity refused');
      return;
    }
    const { contact, token } = resolved;
    const me: Identity = { role: 'visitor', contact, workspaceId: site.workspaceId, siteId: site.id, site };
    identity = me;
    replayBuffer = [];
    await subscribe(topics.contact(contact.id));
    await subscribe(topics.availability(site.workspaceId));
    const conversations = await deps.store.conversationsOfContact(contact.id, 20);
    send({
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
        agentsOnline: deps.presence.agentsOnline(site.workspaceId),
        withinBusinessHours: withinBusinessHours(site.settings.businessHours, deps.now()),
      },
      conversations,
      heartbeatMs: deps.heartbeatMs,
    });
    await resume(me, frame.resume ?? []);
  }

  async function helloAgent(frame: AgentHello) {
    const agent = ctx.agent;
    if (!agent) throw new ParleyError(ErrorCode.NOT_AUTHENTICATED, 'Sign in first');
    const workspace = await deps.store.workspace(agent.workspaceId);
    if (!workspace) throw notFound('Workspace');
    const me: Identity = { role: 'agent', agent, workspaceId: agent.workspaceId };
    identity = me;
    replayBuffer = [];
    await subscribe(topics.workspace(agent.workspaceId));
    await subscribe(topics.agent(agent.id));
    if (ctx.sessionId) await subscribe(topics.session(ctx.sessionId));
    const wasOnline = deps.presence.agentsOnline(agent.workspaceId);
    deps.presence.agentConnected(agent.workspaceId, agent.id, agent.status);
    send({
      type: 'welcome',
      protocol: PROTOCOL_VERSION,
      role: 'agent',
      agent: { id: agent.id, email: agent.email, name: agent.name, role: agent.role },
      workspace: { id: workspace.id, name: workspace.name },
      agents: await agentSummaries(deps, agent.workspaceId),
      heartbeatMs: deps.heartbeatMs,
    });
    await resume(me, frame.resume ?? []);
    await announcePresence(deps, agent.workspaceId, wasOnline);
  }

  async function handlePresence(me: Identity, frame: PresenceFrame) {
    if (me.role !== 'agent') throw forbidden('Only agents have a presence');
    const wasOnline = deps.presence.agentsOnline(me.workspaceId);
    me.agent = await deps.store.updateAgent(me.agent.id, { status: frame.status });
    deps.presence.setStatus(me.workspaceId, me.agent.id, frame.status);
    await announcePresence(deps, me.workspaceId, wasOnline);
  }

  async function handleViewing(me: Identity, frame: ViewingFrame) {
    if (me.role !== 'agent') throw forbidden('Only agents view conversations');
    if (frame.conversationId !== null) await visibleConversation(me, frame.conversationId);
    const changed = deps.presence.setViewing(peer.id, me.agent.id, frame.conversationId);
    await announceViewers(deps, me.workspaceId, changed);
  }

  /** Replays what the client missed, from the database (the record), then releases live events. */
  async function resume(me: Identity, points: readonly ResumePoint[]) {
    const resumed: Array<{ conversationId: string; seq: number }> = [];
    try {
      for (const point of points.slice(0, LIMITS.maxResumePoints)) {
        const conversation = await deps.store.conversation(point.conversationId);
        if (!conversation || !canSee(me, conversation)) {
          // Replay is authorised exactly like live delivery: someone else's conversation does not exist.
          sendError(notFound('Conversation'), point.conversationId);
          continue;
        }
        if (point.seq > conversation.lastSeq) {
          send({ type: 'reset', conversationId: conversation.id, reason: ResetReason.AHEAD_OF_SERVER });
          continue;
        }
        let after = point.seq;
        for (;;) {
          const page = await deps.store.messagesAfter(conversation.id, after, REPLAY_PAGE, { includeNotes: me.role === 'agent' });
          for (const message of page) send({ type: 'message', message });
          if (page.length > 0) after = page[page.length - 1]!.seq;
          if (page.length < REPLAY_PAGE) break;
        }
        delivered.set(conversation.id, after);
        resumed.push({ conversationId: conversation.id, seq: after });
      }
      send({ type: 'resumed', conversations: resumed });
    } finally {
      const buffered = replayBuffer ?? [];
      replayBuffer = null;
      for (const event of buffered) deliver(event);
    }
  }

  async function handleSend(me: Identity, frame: SendFrame) {
    const kind = frame.kind ?? 'text';
    let author: Author;
    let contactId: string | null = null;
    let siteId: string;
    let beforeOpen: (() => void) | undefined;
    if (me.role === 'visitor') {
      if (kind === 'note') throw forbidden('Visitors cannot write notes');
      if (frame.conversationId !== undefined) await visibleConversation(me, frame.conversationId);
      else beforeOpen = () => checkMayOpenConversation(me);
      // Checked here, counted after the write: a resend of a stored message is not a new one,
      // and a client catching up after an outage must not be refused its own resends.
      const allowed = deps.limits.visitorMessages.blocked(me.contact.id, deps.now());
      if (!allowed.ok) throw rateLimited('You are sending messages too fast; wait a moment', allowed.retryAfterMs);
      author = { kind: 'visitor', id: me.contact.id, name: me.contact.name };
      contactId = me.contact.id;
      siteId = me.siteId;
    } else {
      if (frame.conversationId === undefined) {
        throw new ParleyError(ErrorCode.INVALID_FRAME, 'conversationId: required for agents', { field: 'conversationId' });
      }
      const conversation = await visibleConversation(me, frame.conversationId);
      author = { kind: 'agent', id: me.agent.id, name: me.agent.name };
      siteId = conversation.siteId;
    }
    const result = await deps.store.appendMessage({
      workspaceId: me.workspaceId,
      siteId,
      contactId,
      conversationId: frame.conversationId,
      clientId: frame.clientId,
      kind,
      author,
      text: frame.text,
      now: deps.now(),
      ...(beforeOpen ? { beforeOpen } : {}),
    });
    const { message, conversation } = result;
    if (me.role === 'visitor' && !result.duplicate) deps.limits.visitorMessages.take(me.contact.id, deps.now());
    send({
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
    const events: Array<[string, BusEvent]> = [[topics.workspace(me.workspaceId), { frame: messageFrame }]];
    if (message.kind !== 'note') events.push([topics.contact(conversation.contact.id), { frame: messageFrame }]);
    events.push([topics.workspace(me.workspaceId), { frame: { type: 'conversation', conversation: toSummary(conversation) } }]);
    await publishAll(events);
    if (me.role === 'agent' && message.kind === 'note' && frame.mentions?.length) {
      await notifyMentions(me, conversation, message.id, frame.mentions, message.text);
    }
    if (me.role === 'visitor' && result.created && me.site.settings.autoAssign === 'round-robin') {
      await autoAssign(me.workspaceId, conversation);
    }
  }

  /**
   * The rules for opening a conversation, checked by the store inside the write, only when the
   * message would open one (so continuing a conversation, or resending, never pays for them):
   * the pre-chat email when the site requires it, and how many an address may open per hour
   * (spam bots open conversations, people continue them).
   */
  function checkMayOpenConversation(me: Extract<Identity, { role: 'visitor' }>): void {
    if (me.site.settings.preChat === 'email-required' && !me.contact.email) {
      // The widget asks first; this holds the rule for any other client too.
      throw new ParleyError(ErrorCode.FORBIDDEN, 'This site asks for your email before the first message', { field: 'email' });
    }
    if (!ctx.ip) return;
    // Counted here, as the check passes, not after the write: the first messages of many visitors
    // share one group commit, and each must see the ones before it counted (a burst from one
    // address once opened 40 conversations past a limit of 30). A batch that then fails to commit
    // has counted a conversation it did not open; the limit errs on the safe side.
    const allowed = deps.limits.conversationsPerIp.take(ctx.ip, deps.now());
    if (!allowed.ok) throw rateLimited('Too many new conversations from this network; try again later', allowed.retryAfterMs);
  }

  /**
   * Publishes without yielding between events: messages committed in one batch then reach every
   * subscriber in commit order, so no connection sees seq 7 (or its ack) before seq 6.
   */
  function publishAll(events: ReadonlyArray<[string, BusEvent]>) {
    return Promise.all(events.map(([topic, event]) => deps.bus.publish(topic, event)));
  }

  async function notifyMentions(
    me: Extract<Identity, { role: 'agent' }>,
    conversation: ConversationRecord,
    messageId: string,
    mentions: readonly string[],
    text: string,
  ) {
    const by: Author = { kind: 'agent', id: me.agent.id, name: me.agent.name };
    for (const agentId of new Set(mentions)) {
      if (agentId === me.agent.id) continue;
      const mentioned = await deps.store.agentById(agentId);
      // A mention of someone outside the workspace is dropped, not an error: the note is already stored.
      if (!mentioned || mentioned.workspaceId !== me.workspaceId || !mentioned.active) continue;
      await deps.bus.publish(topics.agent(agentId), {
        frame: { type: 'notification', kind: 'mention', conversationId: conversation.id, messageId, by, text: text.slice(0, 200) },
      });
    }
  }

  /** Round-robin: the online agent assigned least recently takes the new conversation. */
  async function autoAssign(workspaceId: string, conversation: ConversationRecord) {
    const online = new Set(deps.presence.onlineAgents(workspaceId));
    if (online.size === 0) return;
    const candidates = (await deps.store.listAgents(workspaceId)).filter((agent) => agent.active && online.has(agent.id));
    candidates.sort((a, b) => (a.lastAssignedAt ?? 0) - (b.lastAssignedAt ?? 0) || a.id.localeCompare(b.id));
    const chosen = candidates[0];
    if (!chosen) return;
    const now = deps.now();
    await deps.store.updateAgent(chosen.id, { lastAssignedAt: now });
    const updated = await deps.store.updateConversation(conversation.id, { assigneeId: chosen.id }, now);
    await publishAll([
      [topics.workspace(workspaceId), { frame: { type: 'conversation', conversation: toSummary(updated) } }],
      [topics.agent(chosen.id), {
        frame: {
          type: 'notification', kind: 'assigned', conversationId: updated.id, messageId: null,
          by: { kind: 'system', id: null, name: null }, text: updated.lastMessage?.text ?? '',
        },
      }],
    ]);
  }

  async function handleTyping(me: Identity, frame: TypingFrame) {
    const conversation = await visibleConversation(me, frame.conversationId);
    const author: Author =
      me.role === 'visitor'
        ? { kind: 'visitor', id: me.contact.id, name: me.contact.name }
        : { kind: 'agent', id: me.agent.id, name: me.agent.name };
    const event: BusEvent = {
      frame: { type: 'typing', conversationId: conversation.id, author, typing: frame.typing },
      origin: peer.id,
    };
    const events: Array<[string, BusEvent]> = [[topics.workspace(me.workspaceId), event]];
    // An agent drafting a note is typing too, but the visitor must not see it: the client says which.
    if (me.role === 'agent' && frame.note !== true) events.push([topics.contact(conversation.contact.id), event]);
    await publishAll(events);
  }

  async function handleRead(me: Identity, frame: ReadFrame) {
    const conversation = await visibleConversation(me, frame.conversationId);
    const changed = await deps.store.markRead(conversation.id, me.role, frame.seq);
    if (!changed) return;
    const seq = Math.min(frame.seq, conversation.lastSeq);
    const event: BusEvent = { frame: { type: 'read', conversationId: conversation.id, reader: me.role, seq }, origin: peer.id };
    await publishAll([
      [topics.workspace(me.workspaceId), event],
      [topics.contact(conversation.contact.id), event],
    ]);
  }

  async function handleHistory(me: Identity, frame: HistoryRequestFrame) {
    const conversation = await visibleConversation(me, frame.conversationId);
    const page = await deps.store.messagesBefore(conversation.id, frame.beforeSeq, frame.limit ?? 50, {
      includeNotes: me.role === 'agent',
    });
    send({ type: 'history', ref: frame.requestId, conversationId: conversation.id, messages: page.messages, hasMore: page.hasMore });
  }

  async function handleUpdate(me: Identity, frame: UpdateFrame) {
    if (me.role !== 'agent') throw forbidden('Only agents can change a conversation');
    const before = await visibleConversation(me, frame.conversationId);
    const patch = await validatedPatch(me, frame);
    const updated = await deps.store.updateConversation(frame.conversationId, patch, deps.now());
    send({ type: 'ok', ref: frame.requestId });
    const events: Array<[string, BusEvent]> = [
      [topics.workspace(me.workspaceId), { frame: { type: 'conversation', conversation: toSummary(updated) } }],
    ];
    if (updated.assigneeId && updated.assigneeId !== before.assigneeId && updated.assigneeId !== me.agent.id) {
      events.push([topics.agent(updated.assigneeId), {
        frame: {
          type: 'notification', kind: 'assigned', conversationId: updated.id, messageId: null,
          by: { kind: 'agent', id: me.agent.id, name: me.agent.name }, text: updated.lastMessage?.text ?? '',
        },
      }]);
    }
    await publishAll(events);
  }

  /** Every id in an update must belong to the agent's workspace; a snooze needs a time ahead. */
  async function validatedPatch(me: Extract<Identity, { role: 'agent' }>, frame: UpdateFrame): Promise<ConversationPatch> {
    const patch: ConversationPatch = {};
    if (frame.assigneeId) {
      const assignee = await deps.store.agentById(frame.assigneeId);
      if (!assignee || assignee.workspaceId !== me.workspaceId || !assignee.active) {
        throw new ParleyError(ErrorCode.NOT_FOUND, 'assigneeId: no such agent', { field: 'assigneeId' });
      }
    }
    if (frame.teamId) {
      const team = await deps.store.team(frame.teamId);
      if (!team || team.workspaceId !== me.workspaceId) throw new ParleyError(ErrorCode.NOT_FOUND, 'teamId: no such team', { field: 'teamId' });
    }
    for (const field of ['addLabelIds', 'removeLabelIds'] as const) {
      for (const labelId of frame[field] ?? []) {
        const label = await deps.store.label(labelId);
        if (!label || label.workspaceId !== me.workspaceId) throw new ParleyError(ErrorCode.NOT_FOUND, `${field}: no such label`, { field });
      }
    }
    if (frame.status === 'snoozed' && (frame.snoozedUntil === undefined || frame.snoozedUntil <= deps.now())) {
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

  async function handleProfile(me: Identity, frame: ProfileFrame) {
    if (me.role !== 'visitor') throw forbidden('Only visitors have a profile here');
    const patch: { name?: string; email?: string } = {};
    if (frame.name !== undefined) patch.name = frame.name.trim();
    if (frame.email !== undefined) patch.email = frame.email.trim().toLowerCase();
    me.contact = await deps.store.updateContact(me.contact.id, patch);
    send({ type: 'ok', ref: frame.requestId });
  }

  async function visibleConversation(me: Identity, id: string): Promise<ConversationRecord> {
    const conversation = await deps.store.conversation(id);
    // "Not yours" and "does not exist" are the same answer, so ids cannot be probed.
    if (!conversation || !canSee(me, conversation)) throw notFound('Conversation');
    return conversation;
  }

  function canSee(me: Identity, conversation: ConversationRecord): boolean {
    return me.role === 'visitor'
      ? conversation.contact.id === me.contact.id
      : conversation.workspaceId === me.workspaceId;
  }

  return {
    /** A text frame from the peer. Frames are handled strictly one after another, in arrival order. */
    receive(text: string) {
      const parsed = parseClientFrame(text);
      if (!parsed.ok) {
        const { code, message, ref, field } = parsed.error;
        // Through the queue too, so that replies come back in the order their frames arrived.
        queue = queue.then(() => {
          sendError(new ParleyError(code, message, field === undefined ? {} : { field }), ref);
          // The parser may answer a hello of another version itself (before its schema, which a newer
          // peer's extra fields would fail): hang up exactly as `handle` does for that case.
          if (code === ErrorCode.UNSUPPORTED_VERSION) peer.close(CloseCode.PROTOCOL_MISMATCH, 'unsupported protocol version');
        });
        return;
      }
      // Checked on the raw text first, so the common frame pays for one regex test, not a walk.
      const frame = mayHoldLoneSurrogate(text) ? wellFormed(parsed.value) : parsed.value;
      queue = queue.then(async () => {
        if (closed) return;
        try {
          await handle(frame);
        } catch (error) {
          const failure = toParleyError(error);
          if (failure.code === ErrorCode.INTERNAL) deps.log('error', `frame ${frame.type} failed`, error);
          sendError(failure, refOf(frame));
        }
      });
    },
    /** Binary frames are not part of the protocol: answered, not fatal. */
    receiveBinary() {
      queue = queue.then(() =>
        sendError(new ParleyError(ErrorCode.BAD_JSON, 'Binary frames are not accepted; send JSON text'), undefined),
      );
    },
    /** The transport closed: release subscriptions and presence. */
    async closed() {
      if (closed) return;
      closed = true;
      await queue;
      await Promise.all(unsubscribes.map((unsubscribe) => unsubscribe()));
      if (identity?.role === 'agent') {
        const { workspaceId, agent } = identity;
        const wasOnline = deps.presence.agentsOnline(workspaceId);
        deps.presence.agentDisconnected(workspaceId, agent.id);
        const changed = deps.presence.setViewing(peer.id, agent.id, null);
        await announceViewers(deps, workspaceId, changed);
        await announcePresence(deps, workspaceId, wasOnline);
      }
    },
  };
}

function refOf(frame: ClientFrame): string | undefined {
  if ('clientId' in frame) return frame.clientId;
  if ('requestId' in frame) return frame.requestId;
  return undefined;
}
