import * as v from 'valibot';
import { strictObject } from './schema.ts';
import {
  AgentStatus, ConversationStatus, DisplayName, Id, MessageKind, MessageText, Priority, ResumePoint, Seq, Timestamp,
} from './entities.ts';
import { LIMITS } from './version.ts';

/**
 * Client → relay frames. Strict objects: an unknown field is an error naming the field,
 * so a typo in a client is found on its first frame rather than silently ignored.
 */

const ResumePoints = v.pipe(v.array(ResumePoint), v.maxLength(LIMITS.maxResumePoints));

const PageInfo = strictObject({
  url: v.pipe(v.string(), v.maxLength(2048)),
  title: v.optional(v.pipe(v.string(), v.maxLength(500))),
  referrer: v.optional(v.pipe(v.string(), v.maxLength(2048))),
});

const AttributeValue = v.union([v.pipe(v.string(), v.maxLength(1000)), v.number(), v.boolean(), v.null()]);

/**
 * A logged-in user of the site, from `Parley('identify', …)`. With a valid `userHash` the relay
 * links the visitor to that user on every device; without one, name and email are kept as the
 * visitor's unverified profile only (and refused outright where the site requires verification).
 */
export const VisitorIdentity = strictObject({
  userId: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  /** Hex HMAC-SHA256 of `${userId}:${issuedAt}` under the site's identity secret, computed by the owner's server. */
  userHash: v.optional(v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/i, 'Expected 64 hex characters'))),
  /** Unix time in seconds when the owner's server computed `userHash`; hashes expire, so a leaked one is not good forever. */
  issuedAt: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  email: v.optional(v.pipe(v.string(), v.maxLength(200), v.email('Invalid email'))),
  name: v.optional(DisplayName),
  attributes: v.optional(
    v.pipe(
      v.record(v.pipe(v.string(), v.regex(/^[\w.-]{1,64}$/, 'Attribute names are 1–64 letters, digits, _ . -')), AttributeValue),
      v.check((record) => Object.keys(record).length <= 50, 'At most 50 attributes'),
    ),
  ),
});
export type VisitorIdentity = v.InferOutput<typeof VisitorIdentity>;

/** The first frame a visitor sends: which site, who they are (their token, if they have one), what they hold. */
export const VisitorHello = strictObject({
  type: v.literal('hello'),
  protocol: v.pipe(v.number(), v.integer()),
  role: v.literal('visitor'),
  siteKey: Id,
  /** The anonymous token from an earlier `welcome`; absent on the first visit, and a new one is issued. */
  visitorToken: v.optional(v.pipe(v.string(), v.minLength(16), v.maxLength(128))),
  resume: v.optional(ResumePoints),
  page: v.optional(PageInfo),
  locale: v.optional(v.pipe(v.string(), v.maxLength(35))),
  /** The browser's IANA time zone, so agents see the visitor's local time. */
  timezone: v.optional(v.pipe(v.string(), v.maxLength(64))),
  identity: v.optional(VisitorIdentity),
});

/** The first frame an agent sends; the agent is authenticated by the session cookie of the upgrade request. */
export const AgentHello = strictObject({
  type: v.literal('hello'),
  protocol: v.pipe(v.number(), v.integer()),
  role: v.literal('agent'),
  resume: v.optional(ResumePoints),
});

export const HelloFrame = v.variant('role', [VisitorHello, AgentHello]);

/**
 * Send a message. Idempotent on `clientId`: a resend gets the original `ack` and nothing is stored twice.
 * A visitor may omit `conversationId` to write into their current conversation (one is opened if none is).
 */
export const SendFrame = strictObject({
  type: v.literal('send'),
  clientId: Id,
  conversationId: v.optional(Id),
  text: MessageText,
  /** `note` is agents-only and never reaches the visitor. Default `text`. */
  kind: v.optional(MessageKind),
  /** Agents' ids @mentioned in a note; each is notified. */
  mentions: v.optional(v.pipe(v.array(Id), v.maxLength(20))),
});

export const TypingFrame = strictObject({
  type: v.literal('typing'),
  conversationId: Id,
  typing: v.boolean(),
  /** Agents: true while drafting a private note, so the visitor is not shown "typing…". */
  note: v.optional(v.boolean()),
});

/** The sender has seen every message up to and including `seq`. */
export const ReadFrame = strictObject({
  type: v.literal('read'),
  conversationId: Id,
  seq: Seq,
});

/** Ask for a page of a thread: the latest `limit` messages, or those before `beforeSeq`. */
export const HistoryRequestFrame = strictObject({
  type: v.literal('history'),
  requestId: Id,
  conversationId: Id,
  beforeSeq: v.optional(Seq),
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(LIMITS.maxHistoryPage))),
});

/** Agents only: change a conversation's status, assignee or priority. Answered with `ok` and a `conversation` broadcast. */
export const UpdateFrame = strictObject({
  type: v.literal('update'),
  requestId: Id,
  conversationId: Id,
  status: v.optional(ConversationStatus),
  assigneeId: v.optional(v.nullable(Id)),
  teamId: v.optional(v.nullable(Id)),
  priority: v.optional(Priority),
  /** Required with `status: 'snoozed'`: when the conversation comes back by itself. */
  snoozedUntil: v.optional(Timestamp),
  addLabelIds: v.optional(v.pipe(v.array(Id), v.maxLength(20))),
  removeLabelIds: v.optional(v.pipe(v.array(Id), v.maxLength(20))),
});

/** Visitors: set the name or email they gave (e.g. in a pre-chat form). */
export const ProfileFrame = strictObject({
  type: v.literal('profile'),
  requestId: Id,
  name: v.optional(DisplayName),
  email: v.optional(v.pipe(v.string(), v.maxLength(200), v.email('Invalid email'))),
});

/** Agents: set online (takes chats, the widget says "online") or away. */
export const PresenceFrame = strictObject({
  type: v.literal('presence'),
  status: AgentStatus,
});

/** Agents: the conversation on screen now (null: none), so teammates see who else is on it. */
export const ViewingFrame = strictObject({
  type: v.literal('viewing'),
  conversationId: v.nullable(Id),
});

/** Application-level heartbeat: browsers cannot see WebSocket pings, so the client sends its own. */
export const PingFrame = strictObject({
  type: v.literal('ping'),
  t: v.optional(v.number()),
});

export const ClientFrame = v.variant('type', [
  HelloFrame,
  SendFrame,
  TypingFrame,
  ReadFrame,
  HistoryRequestFrame,
  UpdateFrame,
  ProfileFrame,
  PresenceFrame,
  ViewingFrame,
  PingFrame,
]);
export type ClientFrame = v.InferOutput<typeof ClientFrame>;
export type HelloFrame = v.InferOutput<typeof HelloFrame>;
export type VisitorHello = v.InferOutput<typeof VisitorHello>;
export type AgentHello = v.InferOutput<typeof AgentHello>;
export type SendFrame = v.InferOutput<typeof SendFrame>;
export type TypingFrame = v.InferOutput<typeof TypingFrame>;
export type ReadFrame = v.InferOutput<typeof ReadFrame>;
export type HistoryRequestFrame = v.InferOutput<typeof HistoryRequestFrame>;
export type UpdateFrame = v.InferOutput<typeof UpdateFrame>;
export type ProfileFrame = v.InferOutput<typeof ProfileFrame>;
export type PingFrame = v.InferOutput<typeof PingFrame>;
export type PresenceFrame = v.InferOutput<typeof PresenceFrame>;
export type ViewingFrame = v.InferOutput<typeof ViewingFrame>;

export const CLIENT_FRAME_TYPES = [
  'hello', 'send', 'typing', 'read', 'history', 'update', 'profile', 'presence', 'viewing', 'ping',
] as const;
export type ClientFrameType = ClientFrame['type'];
