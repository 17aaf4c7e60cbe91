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

  createAgent(input: NewAgent): Promise<AgentRecord>;
  agentByEmail(email: string): Promise<AgentRecord | null>;
  agentById(id: string): Promise<AgentRecord | null>;

  createSession(input: { tokenHash: string; agentId: string; now: number; expiresAt: number }): Promise<void>;
  /** The active agent behind a session token hash, or null when unknown, expired or deactivated. */
  sessionAgent(tokenHash: string, now: number): Promise<AgentRecord | null>;
  deleteSession(tokenHash: string): Promise<void>;

  createContact(input: { siteId: string; workspaceId: string; tokenHash: string; now: number }): Promise<ContactRecord>;
  contactByToken(siteId: string, tokenHash: string): Promise<ContactRecord | null>;
  updateContact(id: string, patch: { name?: string; email?: string; lastSeenAt?: number }): Promise<ContactRecord>;

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
  createdAt: number;
}
export type NewSite = Omit<SiteRecord, 'id' | 'createdAt'> & { now: number };

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
  externalId: string | null;
  createdAt: number;
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
