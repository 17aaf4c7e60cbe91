import type {
  AgentRole,
  AgentStatus,
  Author,
  ConversationRef,
  ConversationStatus,
  ConversationSummary,
  Message,
  MessageKind,
  Priority,
  SiteAppearance,
  SiteSettings,
} from '@parley/protocol';

/**
 * The storage seam. The domain core speaks only this interface; SQLite (storage/sqlite) is the
 * embedded default and a Postgres adapter implements the same contract (storage/store.contract.ts).
 * Every method is async so that a networked store fits without changing callers.
 */
export interface Store extends InboxStore {
  /** True when no workspace exists yet: the first start seeds one. */
  isEmpty(): Promise<boolean>;
  createWorkspace(input: { name: string; now: number }): Promise<WorkspaceRecord>;
  workspace(id: string): Promise<WorkspaceRecord | null>;

  createSite(input: NewSite): Promise<SiteRecord>;
  siteByKey(key: string): Promise<SiteRecord | null>;
  /** The oldest site: the one `/demo` embeds. */
  firstSite(): Promise<SiteRecord | null>;
  listSites(workspaceId: string): Promise<SiteRecord[]>;
  updateSite(id: string, patch: SitePatch): Promise<SiteRecord>;

  createAgent(input: NewAgent): Promise<AgentRecord>;
  agentByEmail(email: string): Promise<AgentRecord | null>;
  agentById(id: string): Promise<AgentRecord | null>;

  createSession(input: { tokenHash: string; agentId: string; now: number; expiresAt: number }): Promise<void>;
  /** The active agent behind a session token hash, or null when unknown, expired or deactivated. */
  sessionAgent(tokenHash: string, now: number): Promise<AgentRecord | null>;
  deleteSession(tokenHash: string): Promise<void>;

  /** A new contact with one device token; `externalId` for a verified site user. */
  createContact(input: {
    siteId: string;
    workspaceId: string;
    tokenHash: string;
    externalId?: string;
    now: number;
  }): Promise<ContactRecord>;
  contactByToken(siteId: string, tokenHash: string): Promise<ContactRecord | null>;
  contactByExternalId(siteId: string, externalId: string): Promise<ContactRecord | null>;
  /** Another device's token for the same contact. */
  addVisitorToken(input: { contactId: string; siteId: string; tokenHash: string; now: number }): Promise<void>;
  updateContact(id: string, patch: ContactPatch): Promise<ContactRecord>;
  /**
   * Folds an anonymous contact into an identified one (a visitor who chatted, then signed in):
   * its conversations and device tokens move over, and it is deleted.
   */
  mergeContact(fromId: string, intoId: string): Promise<void>;

  /** The contact's conversations, newest first. */
  conversationsOfContact(contactId: string, limit: number): Promise<ConversationRef[]>;
  conversation(id: string): Promise<ConversationRecord | null>;
  /**
   * Whose a conversation is and how far it has got: what the live path checks before a typing or
   * read event, a history page or a resume (one primary-key read, none of the list's joins). A send
   * is checked inside `appendMessage` instead.
   */
  conversationAccess(id: string): Promise<ConversationAccess | null>;
  listConversations(workspaceId: string, query: ConversationQuery): Promise<ConversationRecord[]>;
  updateConversation(id: string, patch: ConversationPatch, now: number): Promise<ConversationRecord>;

  /**
   * Stores a message and assigns the next `seq` of its conversation, atomically and durably:
   * the promise settles only after the row is committed. Idempotent on (conversation, clientId);
   * for a visitor writing without a conversation id, on (contact, clientId), and the visitor's
   * current conversation is used or one is opened.
   */
  appendMessage(input: AppendMessage): Promise<AppendResult>;
  /** Messages with seq > afterSeq, ascending, at most `limit`. */
  messagesAfter(conversationId: string, afterSeq: number, limit: number, options: { includeNotes: boolean }): Promise<Message[]>;
  /** The `limit` messages before `beforeSeq` (or the latest), ascending. */
  messagesBefore(
    conversationId: string,
    beforeSeq: number | undefined,
    limit: number,
    options: { includeNotes: boolean },
  ): Promise<{ messages: Message[]; hasMore: boolean }>;
  /** Raises the reader's read mark; returns false when it was already at or past `seq`. */
  markRead(conversationId: string, reader: 'visitor' | 'agent', seq: number): Promise<boolean>;

  close(): Promise<void>;
}

export interface WorkspaceRecord {
  id: string;
  name: string;
  createdAt: number;
}

export interface SiteRecord {
  id: string;
  workspaceId: string;
  key: string;
  name: string;
  allowedOrigins: string[];
  appearance: SiteAppearance;
  settings: SiteSettings;
  /** The HMAC key for identity verification; null until an admin creates one. Never sent to browsers. */
  identitySecret: string | null;
  createdAt: number;
}
export type NewSite = Omit<SiteRecord, 'id' | 'createdAt' | 'settings' | 'identitySecret'> & {
  settings?: SiteSettings;
  identitySecret?: string | null;
  now: number;
};
export type SitePatch = Partial<Pick<SiteRecord, 'name' | 'allowedOrigins' | 'appearance' | 'settings' | 'identitySecret'>>;

export interface AgentRecord {
  id: string;
  workspaceId: string;
  email: string;
  name: string;
  role: AgentRole;
  passwordHash: string;
  active: boolean;
  status: AgentStatus;
  /** For round-robin: who was assigned least recently goes next. */
  lastAssignedAt: number | null;
  createdAt: number;
}
export type NewAgent = Omit<AgentRecord, 'id' | 'createdAt' | 'active' | 'status' | 'lastAssignedAt'> & { now: number };
export type AgentPatch = Partial<Pick<AgentRecord, 'name' | 'role' | 'active' | 'status' | 'lastAssignedAt'>>;

export interface ContactRecord {
  id: string;
  workspaceId: string;
  siteId: string;
  name: string | null;
  email: string | null;
  /** The site's own user id, set only through a verified `identify`. */
  externalId: string | null;
  attributes: Record<string, string | number | boolean | null>;
  lastPage: { url: string; title?: string | undefined; referrer?: string | undefined } | null;
  locale: string | null;
  timezone: string | null;
  userAgent: string | null;
  lastSeenAt: number | null;
  createdAt: number;
}

export interface ContactPatch {
  name?: string;
  email?: string;
  externalId?: string;
  attributes?: ContactRecord['attributes'];
  lastPage?: NonNullable<ContactRecord['lastPage']>;
  locale?: string;
  timezone?: string;
  userAgent?: string;
  lastSeenAt?: number;
}

/** A conversation summary plus what only the relay needs to know. */
export type ConversationRecord = ConversationSummary & { workspaceId: string };

/** The part of a conversation that authorises access to it. */
export interface ConversationAccess {
  id: string;
  workspaceId: string;
  siteId: string;
  contactId: string;
  lastSeq: number;
}

export interface ConversationPatch {
  status?: ConversationStatus;
  assigneeId?: string | null;
  teamId?: string | null;
  priority?: Priority;
  /** Set with status `snoozed`; cleared by any other status. */
  snoozedUntil?: number | null;
  addLabelIds?: string[];
  removeLabelIds?: string[];
}

export interface ConversationQuery {
  status: ConversationStatus | 'all';
  /** An agent id, or null for unassigned; absent for any. */
  assigneeId?: string | null;
  labelId?: string;
  teamId?: string;
  /** Continue after this conversation (ordered by last activity, newest first, then id). */
  after?: { updatedAt: number; id: string };
  limit: number;
}

export interface LabelRecord { id: string; workspaceId: string; name: string; color: string }
export interface TeamRecord { id: string; workspaceId: string; name: string; agentIds: string[] }
export interface CannedResponseRecord { id: string; workspaceId: string; shortcut: string; title: string; body: string }
export interface InviteRecord {
  workspaceId: string;
  email: string;
  role: AgentRole;
  invitedBy: string;
  expiresAt: number;
  acceptedAt: number | null;
}
export interface SearchHitRecord {
  conversationId: string;
  messageId: string | null;
  snippet: string;
  contactName: string | null;
  createdAt: number;
}

/**
 * The inbox's resources. Part of every Store; kept apart so the core chat path above stays small.
 * Lookups by id return records with their workspace, and callers check it (404 across workspaces).
 */
export interface InboxStore {
  listAgents(workspaceId: string): Promise<AgentRecord[]>;
  updateAgent(id: string, patch: AgentPatch): Promise<AgentRecord>;
  /** Ends every session of an agent (deactivation, password change). */
  deleteSessionsOf(agentId: string): Promise<void>;

  listLabels(workspaceId: string): Promise<LabelRecord[]>;
  label(id: string): Promise<LabelRecord | null>;
  createLabel(input: Omit<LabelRecord, 'id'> & { now: number }): Promise<LabelRecord>;
  updateLabel(id: string, patch: Partial<Pick<LabelRecord, 'name' | 'color'>>): Promise<LabelRecord>;
  deleteLabel(id: string): Promise<void>;

  listTeams(workspaceId: string): Promise<TeamRecord[]>;
  team(id: string): Promise<TeamRecord | null>;
  createTeam(input: Omit<TeamRecord, 'id'> & { now: number }): Promise<TeamRecord>;
  updateTeam(id: string, patch: Partial<Pick<TeamRecord, 'name' | 'agentIds'>>): Promise<TeamRecord>;
  deleteTeam(id: string): Promise<void>;

  listCannedResponses(workspaceId: string): Promise<CannedResponseRecord[]>;
  cannedResponse(id: string): Promise<CannedResponseRecord | null>;
  createCannedResponse(input: Omit<CannedResponseRecord, 'id'> & { now: number }): Promise<CannedResponseRecord>;
  updateCannedResponse(id: string, patch: Partial<Pick<CannedResponseRecord, 'shortcut' | 'title' | 'body'>>): Promise<CannedResponseRecord>;
  deleteCannedResponse(id: string): Promise<void>;

  createInvite(input: InviteRecord & { tokenHash: string; now: number }): Promise<void>;
  /** A pending, unexpired invite. */
  invite(tokenHash: string, now: number): Promise<InviteRecord | null>;
  acceptInvite(tokenHash: string, now: number): Promise<void>;

  contact(id: string): Promise<ContactRecord | null>;
  /** The contact's conversations, newest first, each with the first visitor message as its summary. */
  contactConversations(contactId: string, limit: number): Promise<Array<{ id: string; status: ConversationStatus; createdAt: number; summary: string }>>;
  /** Snoozed conversations whose time has come. */
  dueSnoozed(now: number): Promise<string[]>;
  /** Full text over the workspace's messages (notes included) and contacts. */
  search(workspaceId: string, query: string, limit: number): Promise<SearchHitRecord[]>;
}

export interface AppendMessage {
  /** The writer's workspace: a named conversation of another workspace is NOT_FOUND. */
  workspaceId: string;
  /** The site a visitor writes from, where a new conversation opens; null when the message names its conversation (agents). */
  siteId: string | null;
  /** Set for visitor messages: whose conversation it is (a named conversation of another contact is NOT_FOUND). */
  contactId: string | null;
  /** Absent only for a visitor writing into their current conversation. */
  conversationId: string | undefined;
  clientId: string;
  kind: MessageKind;
  author: Author;
  text: string;
  now: number;
  /**
   * Called inside the write just before a new conversation would be opened for it; throwing
   * refuses the message (a limit, a missing pre-chat email) and nothing is stored.
   */
  beforeOpen?: () => void;
}

export interface AppendResult {
  message: Message;
  conversation: ConversationRecord;
  /** True when the clientId was already stored: `message` is the original. */
  duplicate: boolean;
  /** True when this message opened a new conversation. */
  created: boolean;
}
