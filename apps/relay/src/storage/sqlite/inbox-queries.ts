import type Database from 'better-sqlite3';
import { notFound } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { InboxStore, LabelRecord, CannedResponseRecord, TeamRecord } from '../../core/store.ts';
import { uniqueOrConflict } from './unique.ts';
import { preparer } from './prepare.ts';
import { toAgent, toContact, type AgentRow, type ContactRow } from './rows.ts';

/**
 * The InboxStore half of the SQLite store: teams, labels, saved replies, invites, contacts, search.
 * `conversationsChanged` is told when a write changes conversation rows in bulk (a deleted label
 * or team), so the store's copies of them go (hot-rows.ts).
 */
export function createInboxQueries(db: Database.Database, events: { conversationsChanged(): void }): InboxStore {
  const prepare = preparer(db);
  const q = {
    agents: prepare('SELECT * FROM agent WHERE workspace_id = ? ORDER BY name COLLATE NOCASE'),
    agentById: prepare('SELECT * FROM agent WHERE id = ?'),
    updateAgent: prepare(
      `UPDATE agent SET name = @name, role = @role, active = @active, status = @status, last_assigned_at = @lastAssignedAt
       WHERE id = @id`,
    ),
    deleteSessionsOf: prepare('DELETE FROM agent_session WHERE agent_id = ?'),
    labels: prepare('SELECT * FROM label WHERE workspace_id = ? ORDER BY name COLLATE NOCASE'),
    label: prepare('SELECT * FROM label WHERE id = ?'),
    insertLabel: prepare('INSERT INTO label (id, workspace_id, name, color, created_at) VALUES (?, ?, ?, ?, ?)'),
    updateLabel: prepare('UPDATE label SET name = ?, color = ? WHERE id = ?'),
    deleteLabel: prepare('DELETE FROM label WHERE id = ?'),
    teams: prepare('SELECT * FROM team WHERE workspace_id = ? ORDER BY name COLLATE NOCASE'),
    team: prepare('SELECT * FROM team WHERE id = ?'),
    teamMembers: prepare('SELECT agent_id FROM team_member WHERE team_id = ? ORDER BY agent_id'),
    insertTeam: prepare('INSERT INTO team (id, workspace_id, name, created_at) VALUES (?, ?, ?, ?)'),
    renameTeam: prepare('UPDATE team SET name = ? WHERE id = ?'),
    clearMembers: prepare('DELETE FROM team_member WHERE team_id = ?'),
    addMember: prepare('INSERT OR IGNORE INTO team_member (team_id, agent_id) VALUES (?, ?)'),
    unsetTeam: prepare('UPDATE conversation SET team_id = NULL WHERE team_id = ?'),
    deleteTeam: prepare('DELETE FROM team WHERE id = ?'),
    canned: prepare('SELECT * FROM canned_response WHERE workspace_id = ? ORDER BY shortcut'),
    cannedById: prepare('SELECT * FROM canned_response WHERE id = ?'),
    insertCanned: prepare(
      'INSERT INTO canned_response (id, workspace_id, shortcut, title, body, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    updateCanned: prepare('UPDATE canned_response SET shortcut = ?, title = ?, body = ? WHERE id = ?'),
    deleteCanned: prepare('DELETE FROM canned_response WHERE id = ?'),
    insertInvite: prepare(
      `INSERT INTO agent_invite (token_hash, workspace_id, email, role, invited_by, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    invite: prepare('SELECT * FROM agent_invite WHERE token_hash = ? AND expires_at > ? AND accepted_at IS NULL'),
    acceptInvite: prepare('UPDATE agent_invite SET accepted_at = ? WHERE token_hash = ?'),
    contact: prepare('SELECT * FROM contact WHERE id = ?'),
    contactConversations: prepare(
      `SELECT c.id, c.status, c.created_at,
        (SELECT substr(m.body, 1, 120) FROM message m WHERE m.conversation_id = c.id AND m.author_kind = 'visitor'
          ORDER BY m.seq LIMIT 1) AS summary
       FROM conversation c WHERE c.contact_id = ? ORDER BY c.created_at DESC LIMIT ?`,
    ),
    dueSnoozed: prepare("SELECT id FROM conversation WHERE status = 'snoozed' AND snoozed_until <= ? LIMIT 500"),
    searchMessages: prepare(
      `SELECT m.conversation_id, m.id, m.created_at, k.name AS contact_name,
         snippet(message_fts, 0, '[', ']', '…', 12) AS snippet
       FROM message_fts JOIN message m ON m.rowid = message_fts.rowid
       JOIN conversation c ON c.id = m.conversation_id JOIN contact k ON k.id = c.contact_id
       WHERE message_fts MATCH ? AND c.workspace_id = ? ORDER BY rank LIMIT ?`,
    ),
    searchContacts: prepare(
      `SELECT k.id, k.name, k.email, k.created_at,
         (SELECT c.id FROM conversation c WHERE c.contact_id = k.id ORDER BY c.created_at DESC LIMIT 1) AS conversation_id
       FROM contact_fts JOIN contact k ON k.rowid = contact_fts.rowid
       WHERE contact_fts MATCH ? AND k.workspace_id = ? ORDER BY rank LIMIT ?`,
    ),
  };

  const unique = <T>(field: string, write: () => T): T => uniqueOrConflict(field, `That ${field} is already taken`, write);
  type LabelRow = { id: string; workspace_id: string; name: string; color: string };
  const toLabel = (r: LabelRow): LabelRecord => ({ id: r.id, workspaceId: r.workspace_id, name: r.name, color: r.color });
  type TeamRow = { id: string; workspace_id: string; name: string };
  const toTeam = (r: TeamRow): TeamRecord => ({
    id: r.id,
    workspaceId: r.workspace_id,
    name: r.name,
    agentIds: (q.teamMembers.all(r.id) as Array<{ agent_id: string }>).map((m) => m.agent_id),
  });
  type CannedRow = { id: string; workspace_id: string; shortcut: string; title: string; body: string };
  const toCanned = (r: CannedRow): CannedResponseRecord => ({
    id: r.id, workspaceId: r.workspace_id, shortcut: r.shortcut, title: r.title, body: r.body,
  });

  return {
    async listAgents(workspaceId) {
      return (q.agents.all(workspaceId) as AgentRow[]).map(toAgent);
    },
    async updateAgent(id, patch) {
      const row = q.agentById.get(id) as AgentRow | undefined;
      if (!row) throw notFound('Agent');
      const agent = { ...toAgent(row), ...patch };
      q.updateAgent.run({
        id, name: agent.name, role: agent.role, active: agent.active ? 1 : 0, status: agent.status, lastAssignedAt: agent.lastAssignedAt,
      });
      return toAgent(q.agentById.get(id) as AgentRow);
    },
    async deleteSessionsOf(agentId) {
      q.deleteSessionsOf.run(agentId);
    },

    async listLabels(workspaceId) {
      return (q.labels.all(workspaceId) as LabelRow[]).map(toLabel);
    },
    async label(id) {
      const row = q.label.get(id) as LabelRow | undefined;
      return row ? toLabel(row) : null;
    },
    async createLabel({ workspaceId, name, color, now }) {
      const id = newId();
      unique('name', () => q.insertLabel.run(id, workspaceId, name, color, now));
      return { id, workspaceId, name, color };
    },
    async updateLabel(id, patch) {
      const row = q.label.get(id) as LabelRow | undefined;
      if (!row) throw notFound('Label');
      const label = { ...toLabel(row), ...patch };
      unique('name', () => q.updateLabel.run(label.name, label.color, id));
      return label;
    },
    async deleteLabel(id) {
      q.deleteLabel.run(id);
      events.conversationsChanged();
    },

    async listTeams(workspaceId) {
      return (q.teams.all(workspaceId) as TeamRow[]).map(toTeam);
    },
    async team(id) {
      const row = q.team.get(id) as TeamRow | undefined;
      return row ? toTeam(row) : null;
    },
    async createTeam({ workspaceId, name, agentIds, now }) {
      const id = newId();
      db.transaction(() => {
        unique('name', () => q.insertTeam.run(id, workspaceId, name, now));
        for (const agentId of agentIds) q.addMember.run(id, agentId);
      })();
      return toTeam(q.team.get(id) as TeamRow);
    },
    async updateTeam(id, patch) {
      const row = q.team.get(id) as TeamRow | undefined;
      if (!row) throw notFound('Team');
      db.transaction(() => {
        if (patch.name !== undefined) unique('name', () => q.renameTeam.run(patch.name, id));
        if (patch.agentIds !== undefined) {
          q.clearMembers.run(id);
          for (const agentId of patch.agentIds) q.addMember.run(id, agentId);
        }
      })();
      return toTeam(q.team.get(id) as TeamRow);
    },
    async deleteTeam(id) {
      db.transaction(() => {
        q.unsetTeam.run(id);
        q.deleteTeam.run(id);
      })();
      events.conversationsChanged();
    },

    async listCannedResponses(workspaceId) {
      return (q.canned.all(workspaceId) as CannedRow[]).map(toCanned);
    },
    async cannedResponse(id) {
      const row = q.cannedById.get(id) as CannedRow | undefined;
      return row ? toCanned(row) : null;
    },
    async createCannedResponse({ workspaceId, shortcut, title, body, now }) {
      const id = newId();
      unique('shortcut', () => q.insertCanned.run(id, workspaceId, shortcut, title, body, now));
      return { id, workspaceId, shortcut, title, body };
    },
    async updateCannedResponse(id, patch) {
      const row = q.cannedById.get(id) as CannedRow | undefined;
      if (!row) throw notFound('Canned response');
      const canned = { ...toCanned(row), ...patch };
      unique('shortcut', () => q.updateCanned.run(canned.shortcut, canned.title, canned.body, id));
      return canned;
    },
    async deleteCannedResponse(id) {
      q.deleteCanned.run(id);
    },

    async createInvite({ tokenHash, workspaceId, email, role, invitedBy, now, expiresAt }) {
      q.insertInvite.run(tokenHash, workspaceId, email, role, invitedBy, now, expiresAt);
    },
    async invite(tokenHash, now) {
      const row = q.invite.get(tokenHash, now) as
        | { workspace_id: string; email: string; role: 'admin' | 'agent'; invited_by: string; expires_at: number; accepted_at: number | null }
        | undefined;
      return row
        ? { workspaceId: row.workspace_id, email: row.email, role: row.role, invitedBy: row.invited_by, expiresAt: row.expires_at, acceptedAt: row.accepted_at }
        : null;
    },
    async acceptInvite(tokenHash, now) {
      q.acceptInvite.run(now, tokenHash);
    },

    async contact(id) {
      const row = q.contact.get(id) as ContactRow | undefined;
      return row ? toContact(row) : null;
    },
    async contactConversations(contactId, limit) {
      const rows = q.contactConversations.all(contactId, limit) as Array<{
        id: string; status: 'open' | 'pending' | 'snoozed' | 'resolved'; created_at: number; summary: string | null;
      }>;
      return rows.map((r) => ({ id: r.id, status: r.status, createdAt: r.created_at, summary: r.summary ?? '' }));
    },
    async dueSnoozed(now) {
      return (q.dueSnoozed.all(now) as Array<{ id: string }>).map((r) => r.id);
    },
    async search(workspaceId, query, limit) {
      const match = ftsQuery(query);
      if (!match) return [];
      type MessageHit = { conversation_id: string; id: string; created_at: number; contact_name: string | null; snippet: string };
      type ContactHit = { id: string; name: string | null; email: string | null; created_at: number; conversation_id: string | null };
      const contacts = (q.searchContacts.all(match, workspaceId, limit) as ContactHit[])
        .filter((r) => r.conversation_id !== null)
        .map((r) => ({
          conversationId: r.conversation_id!,
          messageId: null,
          snippet: [r.name, r.email].filter(Boolean).join(' · '),
          contactName: r.name,
          createdAt: r.created_at,
        }));
      const messages = (q.searchMessages.all(match, workspaceId, limit) as MessageHit[]).map((r) => ({
        conversationId: r.conversation_id,
        messageId: r.id,
        snippet: r.snippet,
        contactName: r.contact_name,
        createdAt: r.created_at,
      }));
      return [...contacts, ...messages].slice(0, limit);
    },
  };
}

/**
 * Turns what an agent typed into an FTS5 query: every word must match, the last as a prefix
 * (results while typing). Words are quoted, so FTS5 syntax in the input (`AND`, `*`, `"`,
 * `col:`) is searched for as text, never interpreted.
 */
export function ftsQuery(input: string): string | null {
  const words = input.match(/[\p{L}\p{N}_]+/gu)?.slice(0, 12) ?? [];
  if (words.length === 0) return null;
  return words.map((word, i) => `"${word}"${i === words.length - 1 ? '*' : ''}`).join(' ');
}
