import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DEFAULT_SITE_SETTINGS, ErrorCode } from '@parley/protocol';
import { ParleyError, notFound } from '../../core/errors.ts';
import { newId, newTimeOrderedId } from '../../core/ids.ts';
import { cutWithoutSplitting } from '../../core/well-formed.ts';
import type { AppendMessage, AppendResult, ConversationPatch, Store } from '../../core/store.ts';
import { createGroupCommit } from './group-commit.ts';
import { createInboxQueries } from './inbox-queries.ts';
import { createFtsIndexer } from './fts-indexer.ts';
import { HotRows, type HotConversation } from './hot-rows.ts';
import { uniqueOrConflict } from './unique.ts';
import { migrate } from './migrations.ts';
import { preparer } from './prepare.ts';
import {
  CONVERSATION_SELECT,
  PREVIEW_LENGTH,
  conversationOf,
  toAgent,
  toContact,
  toConversation,
  toConversationAccess,
  toConversationRef,
  toMessage,
  toSite,
  type AgentRow,
  type ContactBriefRow,
  type ContactRow,
  type ConversationRow,
  type MessageRow,
  type PlainConversationRow,
  type SiteRow,
} from './rows.ts';

export interface SqliteStoreOptions {
  /** A file path, or `:memory:` for tests. The folder is created if missing. */
  filename: string;
  /**
   * `FULL` (default): a committed message survives power loss, not only a process crash.
   * Group commit keeps its fsync cost to one per batch. `NORMAL` survives crashes only.
   */
  synchronous?: 'FULL' | 'NORMAL';
  /**
   * Least time between two commits under load (see group-commit.ts); 0 commits every turn. 5 ms
   * by default: against 2 ms, 17 % less CPU per message at 2,000 msg/s and 7 % at 10,000 (fewer
   * commits, each one's fsync and shared pages spread over more messages), for ~1.5 ms more median
   * latency under load; 10 ms saved more but doubled p99 at 10,000 msg/s (docs/performance.md).
   * A lone message on an idle relay still commits on the next turn.
   */
  commitIntervalMs?: number;
  /** Told before an existing database is migrated to a newer schema. */
  onUpgrade?: (from: number, to: number) => void;
}

/** The embedded default store: one SQLite file in WAL mode, statements prepared once. */
export function createSqliteStore(options: SqliteStoreOptions): Store & { readonly db: Database.Database } {
  if (options.filename !== ':memory:') mkdirSync(dirname(options.filename), { recursive: true });
  const db = new Database(options.filename);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Savepoint journals and sorts stay in memory rather than in temporary files.
  db.pragma('temp_store = MEMORY');
  migrate(db, options.onUpgrade);

  const prepare = preparer(db);
  const q = prepareStatements(prepare);
  const fts = createFtsIndexer(db);
  const hot = new HotRows();
  const inbox = createInboxQueries(db, { conversationsChanged: () => hot.clear() });
  const listStatements = new Map<string, Database.Statement>();
  // Built once: better-sqlite3 compiles a wrapper per db.transaction() call (about 10 µs each).
  // Nested inside the group commit's transaction, each call is a savepoint.
  const inTransaction = db.transaction((work: () => unknown) => work());
  // Another connection's commit (a second process, the sqlite3 shell) changes data_version; ours do
  // not. Read inside the batch's transaction, it costs no lock of its own (a read transaction
  // outside one takes and drops a file lock: two system calls).
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  let seenVersion = dataVersion.get();
  const groupCommit = createGroupCommit(
    (work) => {
      try {
        inTransaction(() => {
          const version = dataVersion.get();
          if (version !== seenVersion) {
            seenVersion = version;
            hot.clear();
          }
          work();
        });
      } catch (error) {
        // Nothing of the batch is on disk: the copies its writes made are not true either.
        hot.clear();
        throw error;
      }
    },
    { minIntervalMs: options.commitIntervalMs ?? 5 },
  );
  /**
   * Writes on the live path (a visitor's hello, read marks, status changes) join the group commit:
   * with synchronous=FULL a standalone write is an fsync that blocks the event loop, and a
   * reconnect storm of thousands of hellos would stall it for seconds. Each runs in a savepoint
   * of its own, so a failing write rolls back alone.
   */
  const write = <T>(work: () => T): Promise<T> => groupCommit.enqueue(() => inTransaction(work) as T);

  /**
   * Runs without a savepoint of its own (group-commit.ts, `enqueueOptimistic`): it throws a
   * ParleyError only before its first write, and any other error makes the batch run again with
   * the message in a savepoint. Keep it so: a ParleyError after a write would commit half a message.
   */
  function append(input: AppendMessage): AppendResult {
    // The hot path: the conversation from HotRows (a primary-key read when it is not there), one
    // write each, and the returned record built from what was read and written rather than read
    // again through the joined list query.
    let row: PlainConversationRow | undefined;
    let labelIds: readonly string[] = [];
    let created = false;
    let known: HotConversation | undefined;
    if (input.conversationId !== undefined) {
      // A resend is found by the INSERT below (its unique index), not by a lookup before it.
      known = hotConversation(input.conversationId);
      // The writer's own conversations only (the core asks nothing before a send): a visitor's
      // message goes into that visitor's conversations, anyone's into their workspace's.
      if (
        !known ||
        known.row.workspace_id !== input.workspaceId ||
        (input.contactId !== null && known.row.contact_id !== input.contactId)
      ) {
        throw notFound('Conversation');
      }
      ({ row, labelIds } = known);
    } else {
      if (input.contactId === null || input.siteId === null) {
        throw new ParleyError(ErrorCode.INVALID_FRAME, 'conversationId is required', { field: 'conversationId' });
      }
      const existing = q.messageByContactClientId.get(input.clientId, input.contactId) as MessageRow | undefined;
      if (existing) return duplicateOf(existing);
      row = q.plainCurrentConversation.get(input.contactId) as PlainConversationRow | undefined;
      // The row was just read; only its labels may come from the copies.
      if (row) labelIds = hot.conversation(row.id)?.labelIds ?? labelIdsOf(row.id);
      else {
        input.beforeOpen?.();
        const id = newId();
        q.insertConversation.run(id, input.workspaceId, input.siteId, input.contactId, input.now, input.now);
        row = q.plainConversation.get(id) as PlainConversationRow;
        created = true;
      }
    }

    const seq = row.last_seq + 1;
    const message = {
      id: newTimeOrderedId(input.now),
      conversationId: row.id,
      seq,
      clientId: input.clientId,
      kind: input.kind,
      author: input.author,
      text: input.text,
      createdAt: input.now,
    };
    const inserted = q.insertMessage.run(
      message.id, row.id, seq, input.clientId, input.kind, input.author.kind, input.author.id, input.author.name,
      input.text, input.now,
    );
    if (inserted.changes === 0) return duplicateOf(q.messageByClientId.get(input.clientId, row.id) as MessageRow);

    const fromVisitor = input.author.kind === 'visitor';
    const agentReply = input.author.kind === 'agent' && input.kind === 'text';
    // A visitor writing brings any conversation back to the queue; an agent reply stops the wait clock.
    const status = fromVisitor ? 'open' : row.status;
    const update = {
      text: cutWithoutSplitting(input.text, PREVIEW_LENGTH),
      resolvedAt: status === 'resolved' ? row.resolved_at : null,
      waitingSince: fromVisitor ? (row.waiting_since ?? input.now) : agentReply ? null : row.waiting_since,
      firstResponseAt: agentReply ? (row.first_response_at ?? input.now) : row.first_response_at,
    };
    q.updateAfterMessage.run(
      seq, seq, input.kind, input.author.kind, update.text, input.now, input.now, status, update.resolvedAt,
      update.waitingSince, update.firstResponseAt, status, row.id,
    );
    // The row changed in place, not copied: the copy lives until the conversation's next
    // message, long enough to reach the old generation, where a new row per message was garbage
    // only a full GC collects (hot-rows.ts). Only now, once every statement of the message
    // succeeded; a batch that fails after this drops the copies (the group commit's wrapper).
    row.status = status;
    row.last_seq = seq;
    row.last_message_seq = seq;
    row.last_message_kind = input.kind;
    row.last_message_author_kind = input.author.kind;
    row.last_message_text = update.text;
    row.last_message_at = input.now;
    row.updated_at = input.now;
    row.resolved_at = update.resolvedAt;
    row.waiting_since = update.waitingSince;
    row.first_response_at = update.firstResponseAt;
    if (status !== 'snoozed') row.snoozed_until = null;
    const conversation = conversationOf(row, contactBrief(row.contact_id), [...labelIds]);
    hot.keepConversation(known ?? { row, labelIds });
    return { message, conversation, duplicate: false, created };
  }

  /** The conversation's row and labels: from the copies when the message path has them (hot-rows.ts). */
  function hotConversation(id: string): HotConversation | undefined {
    let entry = hot.conversation(id);
    if (!entry) {
      const row = q.plainConversation.get(id) as PlainConversationRow | undefined;
      if (!row) return undefined;
      entry = { row, labelIds: labelIdsOf(id) };
      hot.keepConversation(entry);
    }
    return entry;
  }

  function labelIdsOf(conversationId: string): string[] {
    return q.labelIdsOf.pluck().all(conversationId) as string[];
  }

  function contactBrief(id: string): ContactBriefRow {
    let brief = hot.contact(id);
    if (!brief) {
      brief = q.contactBrief.get(id) as ContactBriefRow;
      hot.keepContact(id, brief);
    }
    return brief;
  }

  function duplicateOf(existing: MessageRow): AppendResult {
    const conversation = toConversation(q.conversation.get(existing.conversation_id) as ConversationRow);
    return { message: toMessage(existing), conversation, duplicate: true, created: false };
  }

  const store: Store & { readonly db: Database.Database } = {
    db,
    ...inbox,
    async search(workspaceId, query, limit) {
      fts.catchUp();
      return inbox.search(workspaceId, query, limit);
    },
    async isEmpty() {
      return q.countWorkspaces.get() === undefined;
    },
    async createWorkspace({ name, now }) {
      const id = newId();
      q.insertWorkspace.run(id, name, now);
      return { id, name, createdAt: now };
    },
    async workspace(id) {
      const row = q.workspace.get(id) as { id: string; name: string; created_at: number } | undefined;
      return row ? { id: row.id, name: row.name, createdAt: row.created_at } : null;
    },
    async createSite(input) {
      const id = newId();
      q.insertSite.run(
        id, input.workspaceId, input.key, input.name, JSON.stringify(input.allowedOrigins), JSON.stringify(input.appearance),
        JSON.stringify(input.settings ?? DEFAULT_SITE_SETTINGS), input.identitySecret ?? null, input.now,
      );
      return toSite(q.siteById.get(id) as SiteRow);
    },
    async siteByKey(key) {
      const row = q.siteByKey.get(key) as SiteRow | undefined;
      return row ? toSite(row) : null;
    },
    async firstSite() {
      const row = q.firstSite.get() as SiteRow | undefined;
      return row ? toSite(row) : null;
    },
    async listSites(workspaceId) {
      return (q.sitesOfWorkspace.all(workspaceId) as SiteRow[]).map(toSite);
    },
    async updateSite(id, patch) {
      const row = q.siteById.get(id) as SiteRow | undefined;
      if (!row) throw notFound('Site');
      const site = { ...toSite(row), ...patch };
      q.updateSite.run({
        id,
        name: site.name,
        allowedOrigins: JSON.stringify(site.allowedOrigins),
        appearance: JSON.stringify(site.appearance),
        settings: JSON.stringify(site.settings),
        identitySecret: site.identitySecret,
      });
      return toSite(q.siteById.get(id) as SiteRow);
    },
    async createAgent(input) {
      const id = newId();
      uniqueOrConflict('email', 'An agent with this email exists', () =>
        q.insertAgent.run(id, input.workspaceId, input.email, input.name, input.role, input.passwordHash, input.now),
      );
      return toAgent(q.agentById.get(id) as AgentRow);
    },
    async agentByEmail(email) {
      const row = q.agentByEmail.get(email) as AgentRow | undefined;
      return row ? toAgent(row) : null;
    },
    async agentById(id) {
      const row = q.agentById.get(id) as AgentRow | undefined;
      return row ? toAgent(row) : null;
    },
    async createSession({ tokenHash, agentId, now, expiresAt }) {
      q.insertSession.run(tokenHash, agentId, now, expiresAt);
    },
    async sessionAgent(tokenHash, now) {
      const row = q.sessionAgent.get(tokenHash, now) as AgentRow | undefined;
      return row ? toAgent(row) : null;
    },
    async deleteSession(tokenHash) {
      q.deleteSession.run(tokenHash);
    },
    createContact({ siteId, workspaceId, tokenHash, externalId, now }) {
      return write(() => {
        const id = newId();
        q.insertContact.run(id, workspaceId, siteId, externalId ?? null, now, now);
        q.insertVisitorToken.run(tokenHash, id, siteId, now);
        return toContact(q.contactById.get(id) as ContactRow);
      });
    },
    async contactByToken(siteId, tokenHash) {
      const row = q.contactByToken.get(tokenHash, siteId) as ContactRow | undefined;
      return row ? toContact(row) : null;
    },
    async contactByExternalId(siteId, externalId) {
      const row = q.contactByExternalId.get(siteId, externalId) as ContactRow | undefined;
      return row ? toContact(row) : null;
    },
    addVisitorToken({ contactId, siteId, tokenHash, now }) {
      return write(() => {
        q.insertVisitorToken.run(tokenHash, contactId, siteId, now);
      });
    },
    updateContact(id, patch) {
      return write(() => {
        hot.dropContact(id);
        q.updateContact.run({
          id,
          name: patch.name ?? null,
          email: patch.email ?? null,
          externalId: patch.externalId ?? null,
          attributes: patch.attributes === undefined ? null : JSON.stringify(patch.attributes),
          lastPage: patch.lastPage === undefined ? null : JSON.stringify(patch.lastPage),
          locale: patch.locale ?? null,
          timezone: patch.timezone ?? null,
          userAgent: patch.userAgent ?? null,
          lastSeenAt: patch.lastSeenAt ?? null,
        });
        const row = q.contactById.get(id) as ContactRow | undefined;
        if (!row) throw notFound('Contact');
        return toContact(row);
      });
    },
    mergeContact(fromId, intoId) {
      return write(() => {
        hot.clear();
        q.moveConversations.run(intoId, fromId);
        q.moveTokens.run(intoId, fromId);
        q.deleteContact.run(fromId);
      });
    },
    async conversationsOfContact(contactId, limit) {
      return (q.conversationsOfContact.all(contactId, limit) as Parameters<typeof toConversationRef>[0][]).map(toConversationRef);
    },
    async conversation(id) {
      const row = q.conversation.get(id) as ConversationRow | undefined;
      return row ? toConversation(row) : null;
    },
    async conversationAccess(id) {
      // The live path asks before typing, read marks, history and resumes. From the copies it
      // touches no file lock; another connection's commit is noticed by the next batch.
      const entry = hotConversation(id);
      return entry ? toConversationAccess(entry.row) : null;
    },
    async listConversations(workspaceId, query) {
      const where = ['c.workspace_id = @workspaceId'];
      if (query.status !== 'all') where.push('c.status = @status');
      if (query.assigneeId === null) where.push('c.assignee_id IS NULL');
      else if (query.assigneeId !== undefined) where.push('c.assignee_id = @assigneeId');
      if (query.teamId !== undefined) where.push('c.team_id = @teamId');
      if (query.labelId !== undefined) {
        where.push('EXISTS (SELECT 1 FROM conversation_label l WHERE l.conversation_id = c.id AND l.label_id = @labelId)');
      }
      if (query.after !== undefined) where.push('(c.updated_at, c.id) < (@afterAt, @afterId)');
      const sql = `${CONVERSATION_SELECT} WHERE ${where.join(' AND ')} ORDER BY c.updated_at DESC, c.id DESC LIMIT @limit`;
      // A handful of filter combinations exist; each is prepared once.
      let stmt = listStatements.get(sql);
      if (!stmt) listStatements.set(sql, (stmt = prepare(sql)));
      const rows = stmt.all({
        workspaceId,
        status: query.status,
        assigneeId: query.assigneeId ?? null,
        teamId: query.teamId ?? null,
        labelId: query.labelId ?? null,
        afterAt: query.after?.updatedAt ?? null,
        afterId: query.after?.id ?? null,
        limit: query.limit,
      }) as ConversationRow[];
      return rows.map(toConversation);
    },
    updateConversation(id, patch: ConversationPatch, now) {
      return write(() => {
        hot.dropConversation(id);
        const row = q.conversation.get(id) as ConversationRow | undefined;
        if (!row) throw notFound('Conversation');
        const status = patch.status ?? row.status;
        const resolvedAt = status === 'resolved' ? (row.status === 'resolved' ? row.resolved_at : now) : null;
        q.updateConversation.run({
          id,
          status,
          resolvedAt,
          assigneeId: patch.assigneeId === undefined ? row.assignee_id : patch.assigneeId,
          teamId: patch.teamId === undefined ? row.team_id : patch.teamId,
          priority: patch.priority ?? row.priority,
          snoozedUntil: status === 'snoozed' ? (patch.snoozedUntil ?? row.snoozed_until) : null,
          now,
        });
        for (const labelId of patch.addLabelIds ?? []) q.addLabel.run(id, labelId, now);
        for (const labelId of patch.removeLabelIds ?? []) q.removeLabel.run(id, labelId);
        return toConversation(q.conversation.get(id) as ConversationRow);
      });
    },
    appendMessage(input) {
      return groupCommit.enqueueOptimistic(
        () => append(input),
        () => inTransaction(() => append(input)) as AppendResult,
        refusedBeforeWriting,
      );
    },
    async messagesAfter(conversationId, afterSeq, limit, { includeNotes }) {
      const rows = (includeNotes ? q.messagesAfterAll : q.messagesAfterText).all(conversationId, afterSeq, limit) as MessageRow[];
      return rows.map(toMessage);
    },
    async messagesBefore(conversationId, beforeSeq, limit, { includeNotes }) {
      const stmt = includeNotes ? q.messagesBeforeAll : q.messagesBeforeText;
      const rows = stmt.all(conversationId, beforeSeq ?? Number.MAX_SAFE_INTEGER, limit + 1) as MessageRow[];
      const hasMore = rows.length > limit;
      return { messages: rows.slice(0, limit).reverse().map(toMessage), hasMore };
    },
    markRead(conversationId, reader, seq) {
      const stmt = reader === 'agent' ? q.markAgentRead : q.markVisitorRead;
      return write(() => {
        hot.dropConversation(conversationId);
        return stmt.run(seq, conversationId, seq).changes > 0;
      });
    },
    async close() {
      fts.stop();
      groupCommit.flushNow();
      db.close();
    },
  };
  return store;
}

/** `append` throws a ParleyError only before its first write: such a failure left nothing behind. */
const refusedBeforeWriting = (error: unknown): boolean => error instanceof ParleyError;

function prepareStatements(prepare: ReturnType<typeof preparer>) {
  return {
    countWorkspaces: prepare('SELECT 1 FROM workspace LIMIT 1'),
    insertWorkspace: prepare('INSERT INTO workspace (id, name, created_at) VALUES (?, ?, ?)'),
    workspace: prepare('SELECT * FROM workspace WHERE id = ?'),
    insertSite: prepare(
      `INSERT INTO site (id, workspace_id, key, name, allowed_origins, appearance, settings, identity_secret, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    updateSite: prepare(
      `UPDATE site SET name = @name, allowed_origins = @allowedOrigins, appearance = @appearance, settings = @settings,
       identity_secret = @identitySecret WHERE id = @id`,
    ),
    siteById: prepare('SELECT * FROM site WHERE id = ?'),
    siteByKey: prepare('SELECT * FROM site WHERE key = ?'),
    firstSite: prepare('SELECT * FROM site ORDER BY created_at, rowid LIMIT 1'),
    sitesOfWorkspace: prepare('SELECT * FROM site WHERE workspace_id = ? ORDER BY created_at'),
    insertAgent: prepare(
      'INSERT INTO agent (id, workspace_id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    agentById: prepare('SELECT * FROM agent WHERE id = ?'),
    agentByEmail: prepare('SELECT * FROM agent WHERE email = ?'),
    insertSession: prepare('INSERT INTO agent_session (token_hash, agent_id, created_at, expires_at) VALUES (?, ?, ?, ?)'),
    sessionAgent: prepare(
      'SELECT a.* FROM agent_session s JOIN agent a ON a.id = s.agent_id WHERE s.token_hash = ? AND s.expires_at > ? AND a.active = 1',
    ),
    deleteSession: prepare('DELETE FROM agent_session WHERE token_hash = ?'),
    insertContact: prepare(
      'INSERT INTO contact (id, workspace_id, site_id, external_id, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    insertVisitorToken: prepare('INSERT INTO visitor_token (token_hash, contact_id, site_id, created_at) VALUES (?, ?, ?, ?)'),
    contactById: prepare('SELECT * FROM contact WHERE id = ?'),
    contactByToken: prepare(
      'SELECT k.* FROM visitor_token t JOIN contact k ON k.id = t.contact_id WHERE t.token_hash = ? AND t.site_id = ?',
    ),
    contactByExternalId: prepare('SELECT * FROM contact WHERE site_id = ? AND external_id = ?'),
    updateContact: prepare(
      `UPDATE contact SET name = COALESCE(@name, name), email = COALESCE(@email, email),
       external_id = COALESCE(@externalId, external_id), attributes = COALESCE(@attributes, attributes),
       last_page = COALESCE(@lastPage, last_page), locale = COALESCE(@locale, locale),
       timezone = COALESCE(@timezone, timezone), user_agent = COALESCE(@userAgent, user_agent),
       last_seen_at = COALESCE(@lastSeenAt, last_seen_at) WHERE id = @id`,
    ),
    moveConversations: prepare('UPDATE conversation SET contact_id = ? WHERE contact_id = ?'),
    moveTokens: prepare('UPDATE visitor_token SET contact_id = ? WHERE contact_id = ?'),
    deleteContact: prepare('DELETE FROM contact WHERE id = ?'),
    conversationsOfContact: prepare(
      'SELECT id, status, last_seq, created_at FROM conversation WHERE contact_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?',
    ),
    conversation: prepare(`${CONVERSATION_SELECT} WHERE c.id = ?`),
    plainConversation: prepare('SELECT * FROM conversation WHERE id = ?'),
    plainCurrentConversation: prepare(
      "SELECT * FROM conversation WHERE contact_id = ? AND status != 'resolved' ORDER BY created_at DESC, rowid DESC LIMIT 1",
    ),
    contactBrief: prepare('SELECT name, email, external_id FROM contact WHERE id = ?'),
    labelIdsOf: prepare('SELECT label_id FROM conversation_label WHERE conversation_id = ? ORDER BY added_at, rowid'),
    insertConversation: prepare(
      'INSERT INTO conversation (id, workspace_id, site_id, contact_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    updateConversation: prepare(
      `UPDATE conversation SET status = @status, resolved_at = @resolvedAt, assignee_id = @assigneeId,
       team_id = @teamId, priority = @priority, snoozed_until = @snoozedUntil, updated_at = @now WHERE id = @id`,
    ),
    addLabel: prepare('INSERT OR IGNORE INTO conversation_label (conversation_id, label_id, added_at) VALUES (?, ?, ?)'),
    removeLabel: prepare('DELETE FROM conversation_label WHERE conversation_id = ? AND label_id = ?'),
    // Positional: binding by name looks every key up, and this runs for every message.
    updateAfterMessage: prepare(
      `UPDATE conversation SET last_seq = ?, last_message_seq = ?, last_message_kind = ?,
       last_message_author_kind = ?, last_message_text = ?, last_message_at = ?, updated_at = ?,
       status = ?, resolved_at = ?, waiting_since = ?, first_response_at = ?,
       snoozed_until = CASE WHEN ? = 'snoozed' THEN snoozed_until END
       WHERE id = ?`,
    ),
    insertMessage: prepare(
      `INSERT INTO message (id, conversation_id, seq, client_id, kind, author_kind, author_id, author_name, body, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (client_id, conversation_id) DO NOTHING`,
    ),
    messageByClientId: prepare('SELECT * FROM message WHERE client_id = ? AND conversation_id = ?'),
    // CROSS JOIN keeps this order: the contact's few conversations first, then one probe each. Started
    // from the client id, a client that reuses ids ("1", "2"…) across visitors would make it scan them all.
    messageByContactClientId: prepare(
      'SELECT m.* FROM conversation c CROSS JOIN message m ON m.conversation_id = c.id AND m.client_id = ? WHERE c.contact_id = ?',
    ),
    messagesAfterAll: prepare('SELECT * FROM message WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
    messagesAfterText: prepare(
      "SELECT * FROM message WHERE conversation_id = ? AND seq > ? AND kind != 'note' ORDER BY seq LIMIT ?",
    ),
    messagesBeforeAll: prepare('SELECT * FROM message WHERE conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?'),
    messagesBeforeText: prepare(
      "SELECT * FROM message WHERE conversation_id = ? AND seq < ? AND kind != 'note' ORDER BY seq DESC LIMIT ?",
    ),
    markAgentRead: prepare('UPDATE conversation SET agent_read_seq = MIN(?, last_seq) WHERE id = ? AND agent_read_seq < MIN(?, last_seq)'),
    markVisitorRead: prepare('UPDATE conversation SET visitor_read_seq = MIN(?, last_seq) WHERE id = ? AND visitor_read_seq < MIN(?, last_seq)'),
  };
}
