import * as v from 'valibot';
import { AgentProfile, AgentStatus, ConversationStatus, Id, Timestamp } from './entities.ts';
import { object } from './schema.ts';

/** What the inbox works with besides conversations and messages. */

export const Label = object({
  id: Id,
  name: v.string(),
  color: v.pipe(v.string(), v.regex(/^#[0-9a-fA-F]{6}$/)),
});
export type Label = v.InferOutput<typeof Label>;

export const Team = object({
  id: Id,
  name: v.string(),
  agentIds: v.array(Id),
});
export type Team = v.InferOutput<typeof Team>;

/** A saved reply, inserted in the composer by typing `/` and its shortcut. */
export const CannedResponse = object({
  id: Id,
  /** Letters, digits, `-` and `_`, as typed after `/`. */
  shortcut: v.string(),
  title: v.string(),
  /** May hold `{{contact.name}}`, `{{contact.email}}`, `{{contact.firstName}}`, `{{agent.name}}`. */
  body: v.string(),
});
export type CannedResponse = v.InferOutput<typeof CannedResponse>;

/** An agent as teammates see them: for assignment, mentions and presence. */
export const AgentSummary = object({
  ...AgentProfile.entries,
  status: AgentStatus,
  /** Whether the agent has the inbox open right now. */
  connected: v.boolean(),
  active: v.boolean(),
});
export type AgentSummary = v.InferOutput<typeof AgentSummary>;


/** Everything the contact panel shows. */
export const ContactDetail = object({
  id: Id,
  siteId: Id,
  name: v.nullable(v.string()),
  email: v.nullable(v.string()),
  externalId: v.nullable(v.string()),
  attributes: v.record(v.string(), v.union([v.string(), v.number(), v.boolean(), v.null()])),
  lastPage: v.nullable(object({ url: v.string(), title: v.optional(v.string()), referrer: v.optional(v.string()) })),
  locale: v.nullable(v.string()),
  /** IANA time zone the visitor's browser reported, for their local time. */
  timezone: v.nullable(v.string()),
  userAgent: v.nullable(v.string()),
  createdAt: Timestamp,
  lastSeenAt: v.nullable(Timestamp),
  conversations: v.array(
    object({
      id: Id,
      status: ConversationStatus,
      createdAt: Timestamp,
      /** The first visitor message, shortened: the one-line summary. */
      summary: v.string(),
    }),
  ),
});
export type ContactDetail = v.InferOutput<typeof ContactDetail>;

export const SearchHit = object({
  conversationId: Id,
  /** The matching message, or null when the contact matched. */
  messageId: v.nullable(Id),
  /** The matching text with the match between `[` and `]`, shortened around it. */
  snippet: v.string(),
  contactName: v.nullable(v.string()),
  createdAt: Timestamp,
});
export type SearchHit = v.InferOutput<typeof SearchHit>;
