import { Hono } from 'hono';
import {
  AcceptInviteRequest,
  AgentUpdateRequest,
  ErrorCode,
  InviteRequest,
  type AgentListResponse,
  type AgentResponse,
  type InviteResponse,
  type InviteInfoResponse,
  type MeResponse,
} from '@parley/protocol';
import { hashPassword } from '../../auth/passwords.ts';
import { hashToken, newToken } from '../../auth/tokens.ts';
import { agentSummaries, toAgentSummary } from '../../core/agents.ts';
import { topics } from '../../core/bus.ts';
import { ParleyError, forbidden, notFound } from '../../core/errors.ts';
import { announcePresence } from '../../core/team-events.ts';
import type { AgentPatch, AgentRecord } from '../../core/store.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { isSameOrigin, ownOrigin } from '../origin.ts';
import { readBody } from '../read-body.ts';
import { requireAgent, startSession } from '../session.ts';

const INVITE_DAYS = 7;

/** Agents of the workspace, invitations, and admins' changes to roles and access. */
export function agentRoutes(deps: AppDeps) {
  const api = new Hono<AppEnv>();
  api.use('/agents', requireAgent(deps));
  api.use('/agents/*', requireAgent(deps));

  api.get('/agents', async (c) => {
    const body: AgentListResponse = { agents: await agentSummaries(deps, c.get('agent').workspaceId) };
    return c.json(body);
  });

  api.post('/agents/invite', async (c) => {
    const admin = adminOnly(c.get('agent'));
    const body = await readBody(c, InviteRequest);
    if (await deps.store.agentByEmail(body.email)) {
      throw new ParleyError(ErrorCode.CONFLICT, 'An agent with this email exists', { field: 'email' });
    }
    const token = newToken();
    const now = deps.now();
    const expiresAt = now + INVITE_DAYS * 24 * 3600 * 1000;
    await deps.store.createInvite({
      tokenHash: hashToken(token), workspaceId: admin.workspaceId, email: body.email, role: body.role,
      invitedBy: admin.id, expiresAt, acceptedAt: null, now,
    });
    const response: InviteResponse = { inviteUrl: `${ownOrigin(c, deps) ?? ''}/inbox/invite/${token}`, expiresAt };
    return c.json(response, 201);
  });

  api.patch('/agents/:id', async (c) => {
    const admin = adminOnly(c.get('agent'));
    const target = await deps.store.agentById(c.req.param('id'));
    if (!target || target.workspaceId !== admin.workspaceId) throw notFound('Agent');
    const body = await readBody(c, AgentUpdateRequest);
    const losesAdmin = target.role === 'admin' && (body.role === 'agent' || body.active === false);
    if (losesAdmin) {
      const admins = (await deps.store.listAgents(admin.workspaceId)).filter((a) => a.role === 'admin' && a.active);
      if (admins.length <= 1) {
        throw new ParleyError(ErrorCode.CONFLICT, 'A workspace keeps at least one active admin', { field: 'role' });
      }
    }
    const patch: AgentPatch = {};
    if (body.role !== undefined) patch.role = body.role;
    if (body.active !== undefined) patch.active = body.active;
    if (body.name !== undefined) patch.name = body.name;
    const wasOnline = deps.presence.agentsOnline(admin.workspaceId);
    const updated = await deps.store.updateAgent(target.id, patch);
    if (body.active === false) {
      // Deactivation takes effect now: sessions are gone and open sockets are closed.
      await deps.store.deleteSessionsOf(target.id);
      await deps.bus.publish(topics.agent(target.id), {
        frame: { type: 'error', code: ErrorCode.NOT_AUTHENTICATED, message: 'Your account was deactivated' },
        control: 'disconnect',
      });
    }
    await announcePresence(deps, admin.workspaceId, wasOnline);
    const response: AgentResponse = { agent: toAgentSummary(deps, updated) };
    return c.json(response);
  });

  api.get('/invites/:token', async (c) => {
    const token = c.req.param('token');
    const invite = token.length <= 128 ? await deps.store.invite(hashToken(token), deps.now()) : null;
    if (!invite) throw notFound('Invitation');
    const workspace = await deps.store.workspace(invite.workspaceId);
    if (!workspace) throw notFound('Invitation');
    const body: InviteInfoResponse = { workspace: { name: workspace.name }, email: invite.email, role: invite.role, expiresAt: invite.expiresAt };
    return c.json(body);
  });

  api.post('/auth/accept-invite', async (c) => {
    if (!isSameOrigin(c, deps)) throw forbidden('Cross-origin request refused');
    const body = await readBody(c, AcceptInviteRequest);
    const tokenHash = hashToken(body.token);
    const now = deps.now();
    const invite = await deps.store.invite(tokenHash, now);
    if (!invite) throw new ParleyError(ErrorCode.NOT_FOUND, 'This invitation is invalid, used or expired', { field: 'token' });
    const agent = await deps.store.createAgent({
      workspaceId: invite.workspaceId,
      email: invite.email,
      name: body.name,
      role: invite.role,
      passwordHash: await hashPassword(body.password),
      now,
    });
    await deps.store.acceptInvite(tokenHash, now);
    await startSession(c, deps, agent);
    const workspace = await deps.store.workspace(agent.workspaceId);
    if (!workspace) throw notFound('Workspace');
    const response: MeResponse = {
      agent: { id: agent.id, email: agent.email, name: agent.name, role: agent.role },
      workspace: { id: workspace.id, name: workspace.name },
    };
    return c.json(response, 201);
  });

  return api;
}

export function adminOnly(agent: AgentRecord): AgentRecord {
  if (agent.role !== 'admin') throw forbidden('Admins only');
  return agent;
}
