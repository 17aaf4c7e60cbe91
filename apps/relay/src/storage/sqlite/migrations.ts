import type { Database } from 'better-sqlite3';

/**
 * Schema migrations, in order; never edit one that has shipped, add the next.
 * `schema_version` holds one row with the number of migrations applied.
 */
export const MIGRATIONS: readonly string[] = [
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
];

/** Applies every migration not yet applied, each in its own transaction. Returns the resulting version. */
export function migrate(db: Database): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
  let version = row?.version ?? 0;
  if (!row) db.prepare('INSERT INTO schema_version (version) VALUES (0)').run();
  if (version > MIGRATIONS.length) {
    throw new Error(`Database schema version ${version} is newer than this Parley (${MIGRATIONS.length}); upgrade Parley`);
  }
  const bump = db.prepare('UPDATE schema_version SET version = ?');
  for (; version < MIGRATIONS.length; version++) {
    const sql = MIGRATIONS[version]!;
    db.transaction(() => {
      db.exec(sql);
      bump.run(version + 1);
    })();
  }
  return version;
}
