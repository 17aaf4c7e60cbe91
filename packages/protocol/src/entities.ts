import * as v from 'valibot';
import { object, strictObject } from './schema.ts';
import { LIMITS } from './version.ts';

/** Ids are opaque URL-safe strings (nanoid by default). */
export const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(64), v.regex(/^[\w-]+$/, 'Invalid id'));

/** Milliseconds since the Unix epoch, UTC. */
export const Timestamp = v.pipe(v.number(), v.integer(), v.minValue(0));

/** Per-conversation sequence number: 1 for the first message, strictly increasing, assigned by the relay. */
export const Seq = v.pipe(v.number(), v.integer(), v.minValue(0));

export const MessageText = v.pipe(
  v.string(),
  v.maxLength(LIMITS.maxTextLength, `Message text is longer than ${LIMITS.maxTextLength} characters`),
  v.check((text) => text.trim().length > 0, 'Message text is empty'),
);

export const DisplayName = v.pipe(v.string(), v.maxLength(LIMITS.maxNameLength));
export const Email = v.pipe(v.string(), v.maxLength(LIMITS.maxNameLength), v.email('Invalid email'));

export const AuthorKind = v.picklist(['visitor', 'agent', 'system']);
export type AuthorKind = v.InferOutput<typeof AuthorKind>;

/** A text message everyone in the conversation sees, or an agents-only internal note. */
export const MessageKind = v.picklist(['text', 'note']);
export type MessageKind = v.InferOutput<typeof MessageKind>;

export const ConversationStatus = v.picklist(['open', 'pending', 'snoozed', 'resolved']);
export type ConversationStatus = v.InferOutput<typeof ConversationStatus>;

export const Priority = v.picklist(['none', 'low', 'medium', 'high', 'urgent']);
export type Priority = v.InferOutput<typeof Priority>;

export const AgentRole = v.picklist(['admin', 'agent']);
export type AgentRole = v.InferOutput<typeof AgentRole>;

export const Author = object({
  kind: AuthorKind,
  /** The agent's or contact's id; null for system messages. */
  id: v.nullable(Id),
  /** The name to show; null when the author has none (an anonymous visitor). */
  name: v.nullable(v.string()),
});
export type Author = v.InferOutput<typeof Author>;

export const Message = object({
  id: Id,
  conversationId: Id,
  seq: Seq,
  /** The id the sender generated; a resend with the same id is the same message. */
  clientId: Id,
  kind: MessageKind,
  author: Author,
  text: v.string(),
  createdAt: Timestamp,
});
export type Message = v.InferOutput<typeof Message>;

export const Contact = object({
  id: Id,
  name: v.nullable(v.string()),
  email: v.nullable(v.string()),
  /** The site owner's own id for an identified user. */
  externalId: v.nullable(v.string()),
});
export type Contact = v.InferOutput<typeof Contact>;

export const AgentProfile = object({
  id: Id,
  email: v.string(),
  name: v.string(),
  role: AgentRole,
});

/** What an agent sets: `online` takes new chats (and makes the widget say so), `away` does not. */
export const AgentStatus = v.picklist(['online', 'away']);
export type AgentStatus = v.InferOutput<typeof AgentStatus>;
export type AgentProfile = v.InferOutput<typeof AgentProfile>;

/** What a visitor may know of a conversation of theirs. */
export const ConversationRef = object({
  id: Id,
  status: ConversationStatus,
  lastSeq: Seq,
  createdAt: Timestamp,
});
export type ConversationRef = v.InferOutput<typeof ConversationRef>;

/** A conversation as the inbox lists it. */
export const ConversationSummary = object({
  id: Id,
  siteId: Id,
  status: ConversationStatus,
  priority: Priority,
  assigneeId: v.nullable(Id),
  teamId: v.nullable(Id),
  /** Label ids, in the order they were added. */
  labelIds: v.array(Id),
  /** For `snoozed`: when it returns to `open` by itself (a visitor writing brings it back sooner). */
  snoozedUntil: v.nullable(Timestamp),
  contact: Contact,
  lastSeq: Seq,
  lastMessage: v.nullable(
    object({ seq: Seq, kind: MessageKind, authorKind: AuthorKind, text: v.string(), createdAt: Timestamp }),
  ),
  /** When the visitor's oldest unanswered message was sent; null when the agents have replied. */
  waitingSince: v.nullable(Timestamp),
  /** The last `seq` any agent has read, and the last the visitor has read: for unread counts and seen marks. */
  agentReadSeq: Seq,
  visitorReadSeq: Seq,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  firstResponseAt: v.nullable(Timestamp),
  resolvedAt: v.nullable(Timestamp),
});
export type ConversationSummary = v.InferOutput<typeof ConversationSummary>;

/** How new conversations of a site find an agent. */
export const AutoAssign = v.picklist(['off', 'round-robin']);
export type AutoAssign = v.InferOutput<typeof AutoAssign>;

/** The public face of a site, as the widget shows it. */
export const SiteAppearance = object({
  name: v.string(),
  greeting: v.string(),
  color: v.pipe(v.string(), v.regex(/^#[0-9a-fA-F]{6}$/)),
  position: v.picklist(['left', 'right']),
  launcherLabel: v.string(),
  replyTime: v.string(),
});
export type SiteAppearance = v.InferOutput<typeof SiteAppearance>;

/** Whether the widget asks for an email before the first message. */
export const PreChatMode = v.picklist(['off', 'email-optional', 'email-required']);
export type PreChatMode = v.InferOutput<typeof PreChatMode>;

const ClockTime = v.pipe(v.string(), v.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Expected HH:MM'));

/** Opening hours in the site's time zone; a weekday without an entry is closed. */
export const BusinessHours = object({
  /** IANA time zone, e.g. "Europe/Berlin". */
  timezone: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  days: v.pipe(
    v.array(object({ day: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(6)), open: ClockTime, close: ClockTime })),
    v.maxLength(14),
  ),
});
export type BusinessHours = v.InferOutput<typeof BusinessHours>;

/** How a site behaves, as its admins set it. */
export const SiteSettings = object({
  preChat: PreChatMode,
  /** Null: always open (agents' presence alone decides "online"). */
  businessHours: v.nullable(BusinessHours),
  /** When true, `identify` without a valid `userHash` is refused. */
  requireIdentityVerification: v.boolean(),
  /** `round-robin`: each new conversation goes to the online agent who was assigned least recently. */
  autoAssign: v.optional(AutoAssign, 'off'),
});
export type SiteSettings = v.InferOutput<typeof SiteSettings>;

export const DEFAULT_SITE_SETTINGS: SiteSettings = {
  preChat: 'off',
  businessHours: null,
  requireIdentityVerification: false,
  autoAssign: 'off',
};

export const PublicSite = object({
  key: Id,
  appearance: SiteAppearance,
  preChat: PreChatMode,
  /** Whether any agent of the workspace is connected and set to online now. */
  agentsOnline: v.boolean(),
  /** Whether it is within the site's business hours now (always true without hours). */
  withinBusinessHours: v.boolean(),
});
export type PublicSite = v.InferOutput<typeof PublicSite>;

export const Site = object({
  id: Id,
  key: Id,
  name: v.string(),
  /** Origins allowed to embed the widget; `["*"]` allows any (the first site's default). */
  allowedOrigins: v.array(v.string()),
  appearance: SiteAppearance,
  settings: SiteSettings,
  /** Whether an identity-verification secret exists (the secret itself is shown once, when created). */
  identitySecretSet: v.boolean(),
  createdAt: Timestamp,
});
export type Site = v.InferOutput<typeof Site>;

export const ResumePoint = strictObject({
  conversationId: Id,
  /** The highest `seq` the client holds for this conversation; 0 for none. */
  seq: Seq,
});
export type ResumePoint = v.InferOutput<typeof ResumePoint>;
