import type {
  AgentRole,
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
export interface Store {
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
  listConversations(workspaceId: string, query: { status: ConversationStatus | 'all'; limit: number }): Promise<ConversationRecord[]>;
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
  createdAt: number;
}
export type NewAgent = Omit<AgentRecord, 'id' | 'createdAt' | 'active'> & { now: number };

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
  createdAt: number;
}

export interface ContactPatch {
  name?: string;
  email?: string;
  externalId?: string;
  attributes?: ContactRecord['attributes'];
  lastPage?: NonNullable<ContactRecord['lastPage']>;
  locale?: string;
  lastSeenAt?: number;
}

/** A conversation summary plus what only the relay needs to know. */
export type ConversationRecord = ConversationSummary & { workspaceId: string };

export interface ConversationPatch {
  status?: ConversationStatus;
  assigneeId?: string | null;
  priority?: Priority;
}

export interface AppendMessage {
  workspaceId: string;
  siteId: string;
  /** Set for visitor messages: whose conversation it is. */
  contactId: string | null;
  /** Absent only for a visitor writing into their current conversation. */
  conversationId: string | undefined;
  clientId: string;
  kind: MessageKind;
  author: Author;
  text: string;
  now: number;
}

export interface AppendResult {
  message: Message;
  conversation: ConversationRecord;
  /** True when the clientId was already stored: `message` is the original. */
  duplicate: boolean;
  /** True when this message opened a new conversation. */
  created: boolean;
}
