import type { Database } from 'better-sqlite3';
import { rewriteInListChecks } from './in-list-checks.ts';

/** A step of the schema: SQL, or code for what SQL alone cannot do (7). */
export type Migration = string | ((db: Database) => void);

/**
 * Schema migrations, in order; never edit one that has shipped, add the next.
 * `schema_version` holds one row with the number of migrations applied.
 */
export const MIGRATIONS: readonly Migration[] = [
  `
  CREATE TABLE workspace (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE site (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspace(id),
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    allowed_origins TEXT NOT NULL,
    appearance TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE agent (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspace(id),
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'agent')),
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE agent_session (
    token_hash TEXT PRIMARY KEY,
    agent_id TEXT NOT NULL REFERENCES agent(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE TABLE contact (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspace(id),
    site_id TEXT NOT NULL REFERENCES site(id),
    token_hash TEXT UNIQUE,
    name TEXT,
    email TEXT,
    external_id TEXT,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER
  );
  CREATE UNIQUE INDEX contact_external_id ON contact(site_id, external_id) WHERE external_id IS NOT NULL;
  CREATE TABLE conversation (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspace(id),
    site_id TEXT NOT NULL REFERENCES site(id),
    contact_id TEXT NOT NULL REFERENCES contact(id),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'pending', 'snoozed', 'resolved')),
    priority TEXT NOT NULL DEFAULT 'none' CHECK (priority IN ('none', 'low', 'medium', 'high', 'urgent')),
    assignee_id TEXT REFERENCES agent(id),
    last_seq INTEGER NOT NULL DEFAULT 0,
    last_message_seq INTEGER,
    last_message_kind TEXT,
    last_message_author_kind TEXT,
    last_message_text TEXT,
    last_message_at INTEGER,
    waiting_since INTEGER,
    agent_read_seq INTEGER NOT NULL DEFAULT 0,
    visitor_read_seq INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    first_response_at INTEGER,
    resolved_at INTEGER
  );
  CREATE INDEX conversation_by_workspace ON conversation(workspace_id, status, updated_at);
  CREATE INDEX conversation_by_contact ON conversation(contact_id, created_at);
  CREATE TABLE message (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversation(id),
    seq INTEGER NOT NULL,
    client_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('text', 'note')),
    author_kind TEXT NOT NULL CHECK (author_kind IN ('visitor', 'agent', 'system')),
    author_id TEXT,
    author_name TEXT,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (conversation_id, seq),
    UNIQUE (conversation_id, client_id)
  );
  CREATE INDEX message_by_client_id ON message(client_id);
  `,
  // 2: site settings and identity secret; visitor tokens per device (an identified user has one
  // per browser); what the contact panel shows of a visitor. contact.token_hash is superseded by
  // visitor_token and no longer written (SQLite cannot drop a UNIQUE column).
  `
  ALTER TABLE site ADD COLUMN settings TEXT NOT NULL
    DEFAULT '{"preChat":"off","businessHours":null,"requireIdentityVerification":false}';
  ALTER TABLE site ADD COLUMN identity_secret TEXT;
  CREATE TABLE visitor_token (
    token_hash TEXT PRIMARY KEY,
    contact_id TEXT NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
    site_id TEXT NOT NULL REFERENCES site(id),
    created_at INTEGER NOT NULL
  );
  CREATE INDEX visitor_token_by_contact ON visitor_token(contact_id);
  INSERT INTO visitor_token (token_hash, contact_id, site_id, created_at)
    SELECT token_hash, id, site_id, created_at FROM contact WHERE token_hash IS NOT NULL;
  ALTER TABLE contact ADD COLUMN attributes TEXT NOT NULL DEFAULT '{}';
  ALTER TABLE contact ADD COLUMN last_page TEXT;
  ALTER TABLE contact ADD COLUMN locale TEXT;
  `,
  // 3: the inbox's working tools: teams, labels, snooze, presence, canned responses, invites,
  // round-robin bookkeeping, and full-text search over messages and contacts (FTS5).
  `
  ALTER TABLE conversation ADD COLUMN team_id TEXT;
  ALTER TABLE conversation ADD COLUMN snoozed_until INTEGER;
  CREATE INDEX conversation_snoozed ON conversation(snoozed_until) WHERE status = 'snoozed';
  CREATE INDEX conversation_by_assignee ON conversation(workspace_id, assignee_id);
  ALTER TABLE agent ADD COLUMN status TEXT NOT NULL DEFAULT 'online' CHECK (status IN ('online', 'away'));
  ALTER TABLE agent ADD COLUMN last_assigned_at INTEGER;
  ALTER TABLE contact ADD COLUMN timezone TEXT;
  ALTER TABLE contact ADD COLUMN user_agent TEXT;
  CREATE TABLE label (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspace(id),
    name TEXT NOT NULL,
    color TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (workspace_id, name)
  );
  CREATE TABLE conversation_label (
    conversation_id TEXT NOT NULL REFERENCES conversation(id),
    label_id TEXT NOT NULL REFERENCES label(id) ON DELETE CASCADE,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, label_id)
  );
  CREATE INDEX conversation_label_by_label ON conversation_label(label_id);
  CREATE TABLE team (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspace(id),
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (workspace_id, name)
  );
  CREATE TABLE team_member (
    team_id TEXT NOT NULL REFERENCES team(id) ON DELETE CASCADE,
    agent_id TEXT NOT NULL REFERENCES agent(id),
    PRIMARY KEY (team_id, agent_id)
  );
  CREATE TABLE canned_response (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspace(id),
    shortcut TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (workspace_id, shortcut)
  );
  CREATE TABLE agent_invite (
    token_hash TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspace(id),
    email TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'agent')),
    invited_by TEXT NOT NULL REFERENCES agent(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    accepted_at INTEGER
  );
  CREATE VIRTUAL TABLE message_fts USING fts5(
    body, content='message', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
  );
  INSERT INTO message_fts(rowid, body) SELECT rowid, body FROM message;
  CREATE TRIGGER message_fts_insert AFTER INSERT ON message BEGIN
    INSERT INTO message_fts(rowid, body) VALUES (new.rowid, new.body);
  END;
  CREATE TRIGGER message_fts_delete AFTER DELETE ON message BEGIN
    INSERT INTO message_fts(message_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
  END;
  CREATE VIRTUAL TABLE contact_fts USING fts5(
    name, email, content='contact', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
  );
  INSERT INTO contact_fts(rowid, name, email) SELECT rowid, name, email FROM contact;
  CREATE TRIGGER contact_fts_insert AFTER INSERT ON contact BEGIN
    INSERT INTO contact_fts(rowid, name, email) VALUES (new.rowid, new.name, new.email);
  END;
  CREATE TRIGGER contact_fts_update AFTER UPDATE OF name, email ON contact BEGIN
    INSERT INTO contact_fts(contact_fts, rowid, name, email) VALUES ('delete', old.rowid, old.name, old.email);
    INSERT INTO contact_fts(rowid, name, email) VALUES (new.rowid, new.name, new.email);
  END;
  CREATE TRIGGER contact_fts_delete AFTER DELETE ON contact BEGIN
    INSERT INTO contact_fts(contact_fts, rowid, name, email) VALUES ('delete', old.rowid, old.name, old.email);
  END;
  `,
  // 4: messages are indexed for search in batches off the write path (storage/sqlite/fts-indexer.ts)
  // rather than by a trigger in every message's commit: FTS5 writes a segment per transaction, and
  // the merges made every commit several times dearer. fts_state holds the last indexed rowid.
  `
  DROP TRIGGER message_fts_insert;
  DROP TRIGGER message_fts_delete;
  CREATE TABLE fts_state (last_rowid INTEGER NOT NULL);
  INSERT INTO fts_state (last_rowid) SELECT COALESCE(MAX(rowid), 0) FROM message;
  CREATE TRIGGER message_fts_delete AFTER DELETE ON message
  WHEN old.rowid <= (SELECT last_rowid FROM fts_state) BEGIN
    INSERT INTO message_fts(message_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
  END;
  `,
  // 5: the message path's cost. A visitor's resend is found through the contact's conversations
  // and the unique (conversation_id, client_id) index: a fifth B-tree written on every message was
  // one too many. A conversation's labels are read in the order they were added, which the primary
  // key cannot give: without this index every read sorted them in a temporary B-tree.
  `
  DROP INDEX message_by_client_id;
  CREATE INDEX conversation_label_in_order ON conversation_label(conversation_id, added_at);
  `,
  // 6: a resend is still one row per (conversation, clientId), but the unique index starts with the
  // client id: clients make time-ordered client ids (packages/client), so a new message's entry lands
  // on the index's last page, which a commit's messages share, instead of on a random page of its
  // conversation's (a 4 KB WAL frame per message: a fifth of a durable message's writes, measured in
  // docs/performance.md). A table constraint's index cannot be dropped, so the table is rebuilt:
  // same columns and checks, rowids kept (the search index refers to them), the FTS delete trigger
  // recreated on the new table.
  `
  CREATE TABLE message_v6 (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversation(id),
    seq INTEGER NOT NULL,
    client_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('text', 'note')),
    author_kind TEXT NOT NULL CHECK (author_kind IN ('visitor', 'agent', 'system')),
    author_id TEXT,
    author_name TEXT,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (conversation_id, seq)
  );
  INSERT INTO message_v6 (rowid, id, conversation_id, seq, client_id, kind, author_kind, author_id, author_name, body, created_at)
    SELECT rowid, id, conversation_id, seq, client_id, kind, author_kind, author_id, author_name, body, created_at FROM message ORDER BY rowid;
  DROP TRIGGER message_fts_delete;
  DROP TABLE message;
  ALTER TABLE message_v6 RENAME TO message;
  CREATE UNIQUE INDEX message_by_client_id ON message(client_id, conversation_id);
  CREATE TRIGGER message_fts_delete AFTER DELETE ON message
  WHEN old.rowid <= (SELECT last_rowid FROM fts_state) BEGIN
    INSERT INTO message_fts(message_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
  END;
  `,
  // 7: CHECK constraints listing three values or more are spelt with = and OR, which SQLite
  // evaluates without building a temporary B-tree per statement (in-list-checks.ts).
  rewriteInListChecks,
];

export function applyMigration(db: Database, step: Migration): void {
  if (typeof step === 'string') db.exec(step);
  else step(db);
}

/** Applies every migration not yet applied, each in its own transaction. Returns the resulting version. */
export function migrate(db: Database, onUpgrade?: (from: number, to: number) => void): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
  let version = row?.version ?? 0;
  if (!row) db.prepare('INSERT INTO schema_version (version) VALUES (0)').run();
  if (version > MIGRATIONS.length) {
    throw new Error(`Database schema version ${version} is newer than this Parley (${MIGRATIONS.length}); upgrade Parley`);
  }
  const bump = db.prepare('UPDATE schema_version SET version = ?');
  // An existing database about to change: said first, since a migration that rebuilds a table
  // (6: about 10 s per million messages) would otherwise look like a relay that hangs at start.
  if (row && version < MIGRATIONS.length) onUpgrade?.(version, MIGRATIONS.length);
  for (; version < MIGRATIONS.length; version++) {
    const step = MIGRATIONS[version]!;
    db.transaction(() => {
      applyMigration(db, step);
      bump.run(version + 1);
    })();
  }
  return version;
}
