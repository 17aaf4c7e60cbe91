import type { Author, ConversationRef, Message } from '@parley/protocol';
import type { AgentRecord, ContactRecord, ConversationAccess, ConversationRecord, SiteRecord } from '../../core/store.ts';

/** Row shapes as SQLite returns them, and their mapping to domain records. */

export interface SiteRow {
  id: string; workspace_id: string; key: string; name: string; allowed_origins: string; appearance: string;
  settings: string; identity_secret: string | null; created_at: number;
}
export const toSite = (r: SiteRow): SiteRecord => ({
  id: r.id,
  workspaceId: r.workspace_id,
  key: r.key,
  name: r.name,
  allowedOrigins: JSON.parse(r.allowed_origins) as string[],
  appearance: JSON.parse(r.appearance) as SiteRecord['appearance'],
  settings: JSON.parse(r.settings) as SiteRecord['settings'],
  identitySecret: r.identity_secret,
  createdAt: r.created_at,
});

export interface AgentRow {
  id: string; workspace_id: string; email: string; name: string; role: 'admin' | 'agent';
  password_hash: string; active: number; status: 'online' | 'away'; last_assigned_at: number | null; created_at: number;
}
export const toAgent = (r: AgentRow): AgentRecord => ({
  id: r.id,
  workspaceId: r.workspace_id,
  email: r.email,
  name: r.name,
  role: r.role,
  passwordHash: r.password_hash,
  active: r.active === 1,
  status: r.status,
  lastAssignedAt: r.last_assigned_at,
  createdAt: r.created_at,
});

export interface ContactRow {
  id: string; workspace_id: string; site_id: string; name: string | null; email: string | null;
  external_id: string | null; attributes: string; last_page: string | null; locale: string | null;
  timezone: string | null; user_agent: string | null; last_seen_at: number | null; created_at: number;
}
export const toContact = (r: ContactRow): ContactRecord => ({
  id: r.id,
  workspaceId: r.workspace_id,
  siteId: r.site_id,
  name: r.name,
  email: r.email,
  externalId: r.external_id,
  attributes: JSON.parse(r.attributes) as ContactRecord['attributes'],
  lastPage: r.last_page === null ? null : (JSON.parse(r.last_page) as ContactRecord['lastPage']),
  locale: r.locale,
  timezone: r.timezone,
  userAgent: r.user_agent,
  lastSeenAt: r.last_seen_at,
  createdAt: r.created_at,
});

export interface MessageRow {
  id: string; conversation_id: string; seq: number; client_id: string; kind: Message['kind'];
  author_kind: Author['kind']; author_id: string | null; author_name: string | null; body: string; created_at: number;
}
export const toMessage = (r: MessageRow): Message => ({
  id: r.id,
  conversationId: r.conversation_id,
  seq: r.seq,
  clientId: r.client_id,
  kind: r.kind,
  author: { kind: r.author_kind, id: r.author_id, name: r.author_name },
  text: r.body,
  createdAt: r.created_at,
});

/** A conversation joined with its contact (`SELECT ... FROM conversation c JOIN contact k`). */
export interface ConversationRow {
  id: string; workspace_id: string; site_id: string; contact_id: string; status: ConversationRecord['status'];
  priority: ConversationRecord['priority']; assignee_id: string | null; last_seq: number;
  last_message_seq: number | null; last_message_kind: Message['kind'] | null; last_message_author_kind: Author['kind'] | null;
  last_message_text: string | null; last_message_at: number | null; waiting_since: number | null;
  agent_read_seq: number; visitor_read_seq: number; created_at: number; updated_at: number;
  first_response_at: number | null; resolved_at: number | null; team_id: string | null; snoozed_until: number | null;
  label_ids: string;
  contact_name: string | null; contact_email: string | null; contact_external_id: string | null;
}
export const CONVERSATION_SELECT = `
  SELECT c.*, k.name AS contact_name, k.email AS contact_email, k.external_id AS contact_external_id,
    (SELECT json_group_array(label_id) FROM
      (SELECT label_id FROM conversation_label WHERE conversation_id = c.id ORDER BY added_at, rowid)) AS label_ids
  FROM conversation c JOIN contact k ON k.id = c.contact_id`;

/** How much of the last message the list shows; the full text is in `message`. */
export const PREVIEW_LENGTH = 140;

/** A conversation row alone (`SELECT * FROM conversation`), without the list's joins. */
export type PlainConversationRow = Omit<ConversationRow, 'contact_name' | 'contact_email' | 'contact_external_id' | 'label_ids'>;
/** What a conversation summary shows of its contact. */
export interface ContactBriefRow { name: string | null; email: string | null; external_id: string | null }

export const toConversation = (r: ConversationRow): ConversationRecord =>
  conversationOf(r, { name: r.contact_name, email: r.contact_email, external_id: r.contact_external_id }, JSON.parse(r.label_ids) as string[]);

/** The record from its parts, read apart (the message path) or joined (the list). */
export const conversationOf = (r: PlainConversationRow, contact: ContactBriefRow, labelIds: string[]): ConversationRecord => ({
  id: r.id,
  workspaceId: r.workspace_id,
  siteId: r.site_id,
  status: r.status,
  priority: r.priority,
  assigneeId: r.assignee_id,
  teamId: r.team_id,
  labelIds,
  snoozedUntil: r.snoozed_until,
  contact: { id: r.contact_id, name: contact.name, email: contact.email, externalId: contact.external_id },
  lastSeq: r.last_seq,
  lastMessage:
    r.last_message_seq === null
      ? null
      : {
          seq: r.last_message_seq,
          kind: r.last_message_kind ?? 'text',
          authorKind: r.last_message_author_kind ?? 'visitor',
          text: r.last_message_text ?? '',
          createdAt: r.last_message_at ?? r.updated_at,
        },
  waitingSince: r.waiting_since,
  agentReadSeq: r.agent_read_seq,
  visitorReadSeq: r.visitor_read_seq,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  firstResponseAt: r.first_response_at,
  resolvedAt: r.resolved_at,
});

export const toConversationRef = (r: { id: string; status: ConversationRef['status']; last_seq: number; created_at: number }): ConversationRef => ({
  id: r.id,
  status: r.status,
  lastSeq: r.last_seq,
  createdAt: r.created_at,
});

export type ConversationAccessRow = Pick<PlainConversationRow, 'id' | 'workspace_id' | 'site_id' | 'contact_id' | 'last_seq'>;
export const toConversationAccess = (r: ConversationAccessRow): ConversationAccess => ({
  id: r.id,
  workspaceId: r.workspace_id,
  siteId: r.site_id,
  contactId: r.contact_id,
  lastSeq: r.last_seq,
});
