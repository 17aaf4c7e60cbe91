import * as v from 'valibot';
import { object } from './schema.ts';
import {
  AgentProfile,
  Author,
  Contact,
  ConversationRef,
  ConversationSummary,
  Id,
  Message,
  PublicSite,
  Seq,
  Timestamp,
} from './entities.ts';
import { ERROR_CODES, ResetReason } from './errors.ts';
import { AgentSummary } from './inbox.ts';

/**
 * Relay → client frames. Plain (not strict) objects: a client ignores fields a newer
 * relay adds, so additive changes need no version bump.
 */

export const VisitorWelcome = object({
  type: v.literal('welcome'),
  protocol: v.number(),
  role: v.literal('visitor'),
  /** Keep it (e.g. in localStorage) and send it in the next `hello`: it is the visitor's only key to their threads. */
  visitorToken: v.string(),
  contact: Contact,
  /** True when the visitor is linked to a site user through a verified `identify`. */
  identified: v.boolean(),
  site: PublicSite,
  /** The visitor's conversations, newest first. */
  conversations: v.array(ConversationRef),
  heartbeatMs: v.number(),
});

export const AgentWelcome = object({
  type: v.literal('welcome'),
  protocol: v.number(),
  role: v.literal('agent'),
  agent: AgentProfile,
  workspace: object({ id: Id, name: v.string() }),
  /** Every agent of the workspace with presence, as `agents` frames will update it. */
  agents: v.array(AgentSummary),
  heartbeatMs: v.number(),
});

export const WelcomeFrame = v.variant('role', [VisitorWelcome, AgentWelcome]);

/** Sent to the sender only after the message's row is committed. */
export const AckFrame = object({
  type: v.literal('ack'),
  clientId: Id,
  conversationId: Id,
  messageId: Id,
  seq: Seq,
  createdAt: Timestamp,
  /** True when this was a resend of a message already stored. */
  duplicate: v.boolean(),
});

/** A message in a conversation this peer may see, live or replayed on resume. */
export const MessageFrame = object({
  type: v.literal('message'),
  message: Message,
});

/** Agents only: a conversation was created or changed. */
export const ConversationFrame = object({
  type: v.literal('conversation'),
  conversation: ConversationSummary,
});

export const TypingEventFrame = object({
  type: v.literal('typing'),
  conversationId: Id,
  author: Author,
  typing: v.boolean(),
});

export const ReadEventFrame = object({
  type: v.literal('read'),
  conversationId: Id,
  reader: v.picklist(['visitor', 'agent']),
  seq: Seq,
});

export const HistoryFrame = object({
  type: v.literal('history'),
  ref: Id,
  conversationId: Id,
  /** Ascending by `seq`. */
  messages: v.array(Message),
  hasMore: v.boolean(),
});

/** Sent after `welcome` once every resume point has been replayed (or reset). */
export const ResumedFrame = object({
  type: v.literal('resumed'),
  conversations: v.array(object({ conversationId: Id, seq: Seq })),
});

/** The relay cannot serve this resume point: drop what you hold for the conversation and load it afresh. */
export const ResetFrame = object({
  type: v.literal('reset'),
  conversationId: Id,
  reason: v.picklist(Object.values(ResetReason)),
});

/** Agents only: the workspace's agents changed (presence, connected, deactivated). */
export const AgentsFrame = object({
  type: v.literal('agents'),
  agents: v.array(AgentSummary),
});

/** Agents only: who has a conversation on screen now. */
export const ViewersFrame = object({
  type: v.literal('viewers'),
  conversationId: Id,
  agentIds: v.array(Id),
});

/** Agents only, to the one concerned: a mention in a note, or a conversation assigned to them. */
export const NotificationFrame = object({
  type: v.literal('notification'),
  kind: v.picklist(['mention', 'assigned']),
  conversationId: Id,
  messageId: v.nullable(Id),
  by: Author,
  /** What to show in a browser notification. */
  text: v.string(),
});

/** Visitors: whether the team is reachable changed (an agent came online or went away). */
export const AvailabilityFrame = object({
  type: v.literal('availability'),
  agentsOnline: v.boolean(),
  withinBusinessHours: v.boolean(),
});

/** A request (by `requestId`) succeeded and has nothing else to return. */
export const OkFrame = object({
  type: v.literal('ok'),
  ref: Id,
});

export const PongFrame = object({
  type: v.literal('pong'),
  t: v.optional(v.number()),
});

export const ErrorFrame = object({
  type: v.literal('error'),
  code: v.picklist(ERROR_CODES),
  message: v.string(),
  /** The `clientId` or `requestId` of the frame that failed, when it could be read. */
  ref: v.optional(v.string()),
  /** The dotted path of the offending field, for `INVALID_FRAME`. */
  field: v.optional(v.string()),
  /** For `RATE_LIMITED`: milliseconds until a retry can succeed. */
  retryAfterMs: v.optional(v.number()),
});

export const ServerFrame = v.variant('type', [
  WelcomeFrame,
  AckFrame,
  MessageFrame,
  ConversationFrame,
  TypingEventFrame,
  ReadEventFrame,
  HistoryFrame,
  ResumedFrame,
  ResetFrame,
  AgentsFrame,
  ViewersFrame,
  NotificationFrame,
  AvailabilityFrame,
  OkFrame,
  PongFrame,
  ErrorFrame,
]);
export type ServerFrame = v.InferOutput<typeof ServerFrame>;
export type WelcomeFrame = v.InferOutput<typeof WelcomeFrame>;
export type VisitorWelcome = v.InferOutput<typeof VisitorWelcome>;
export type AgentWelcome = v.InferOutput<typeof AgentWelcome>;
export type AckFrame = v.InferOutput<typeof AckFrame>;
export type MessageFrame = v.InferOutput<typeof MessageFrame>;
export type ConversationFrame = v.InferOutput<typeof ConversationFrame>;
export type TypingEventFrame = v.InferOutput<typeof TypingEventFrame>;
export type ReadEventFrame = v.InferOutput<typeof ReadEventFrame>;
export type HistoryFrame = v.InferOutput<typeof HistoryFrame>;
export type ResumedFrame = v.InferOutput<typeof ResumedFrame>;
export type ResetFrame = v.InferOutput<typeof ResetFrame>;
export type OkFrame = v.InferOutput<typeof OkFrame>;
export type PongFrame = v.InferOutput<typeof PongFrame>;
export type ErrorFrame = v.InferOutput<typeof ErrorFrame>;
export type AgentsFrame = v.InferOutput<typeof AgentsFrame>;
export type ViewersFrame = v.InferOutput<typeof ViewersFrame>;
export type NotificationFrame = v.InferOutput<typeof NotificationFrame>;
export type AvailabilityFrame = v.InferOutput<typeof AvailabilityFrame>;

export const SERVER_FRAME_TYPES = [
  'welcome', 'ack', 'message', 'conversation', 'typing', 'read', 'history', 'resumed', 'reset',
  'agents', 'viewers', 'notification', 'availability', 'ok', 'pong', 'error',
] as const;
