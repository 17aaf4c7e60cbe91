import { Hono } from 'hono';
import {
  ConversationListQuery,
  ErrorCode,
  LoginRequest,
  MessageListQuery,
  type ConversationListResponse,
  type ConversationResponse,
  type MeResponse,
  type MessageListResponse,
  type SiteListResponse,
  type SiteResponse,
  type IdentitySecretResponse,
  SiteUpdateRequest,
} from '@parley/protocol';
import { verifyPassword } from '../auth/passwords.ts';
import { ParleyError, forbidden, notFound, rateLimited } from '../core/errors.ts';
import { clientIp } from './client-ip.ts';
import type { AgentRecord, ConversationQuery, SitePatch, SiteRecord } from '../core/store.ts';
import { DEFAULT_SITE_SETTINGS, SiteCreateRequest } from '@parley/protocol';
import { agentRoutes } from './routes/agents.ts';
import { contactRoutes } from './routes/contacts.ts';
import { resourceRoutes } from './routes/resources.ts';
import { siteKey } from '../seed.ts';
import { newToken } from '../auth/tokens.ts';
import { toSummary } from '../core/summary.ts';
import type { AppDeps, AppEnv } from './env.ts';
import { isSameOrigin, ownOrigin } from './origin.ts';
import { readBody, readQuery } from './read-body.ts';
import { endSession, requireAgent, startSession } from './session.ts';
import { scriptTag } from './snippet.ts';
import { DEFAULT_APPEARANCE } from '../seed.ts';

/**
 * A verifier run against this when the email is unknown, so that a wrong email and a wrong
 * password take the same time and answer the same way.
 */
const DUMMY_HASH = 'scrypt$131072$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/** `/api/v1`: the agents' REST API (cookie session). */
export function apiRoutes(deps: AppDeps) {
  const api = new Hono<AppEnv>();

  api.post('/auth/login', async (c) => {
    if (!isSameOrigin(c, deps)) throw forbidden('Cross-origin sign-in refused');
    const body = await readBody(c, LoginRequest);
    // Guessing is slowed per account and per address; unknown emails are counted the same way,
    // so the answer never tells whether an account exists.
    const now = deps.now();
    const ip = clientIp(c, deps) ?? 'unknown';
    for (const check of [deps.limits.signInPerAccount.blocked(body.email, now), deps.limits.signInPerIp.blocked(ip, now)]) {
      if (!check.ok) throw rateLimited('Too many sign-in attempts; try again later', check.retryAfterMs);
    }
    // Every attempt counts as a failure from here, before the first await: scrypt takes a while,
    // and guesses sent all at once would otherwise all pass the check above before the first of
    // them was counted (40 parallel guesses were all tried against a limit of 5 per account).
    // A success gives its count back below.
    deps.limits.signInPerAccount.take(body.email, now);
    deps.limits.signInPerIp.take(ip, now);
    const agent = await deps.store.agentByEmail(body.email);
    const ok = await verifyPassword(body.password, agent?.passwordHash ?? DUMMY_HASH);
    if (!agent || !ok || !agent.active) {
      throw new ParleyError(ErrorCode.NOT_AUTHENTICATED, 'Wrong email or password');
    }
    deps.limits.signInPerAccount.reset(body.email);
    deps.limits.signInPerIp.refund(ip);
    await startSession(c, deps, agent);
    return c.json(await me(agent));
  });

  api.post('/auth/logout', async (c) => {
    if (!isSameOrigin(c, deps)) throw forbidden('Cross-origin request refused');
    await endSession(c, deps);
    return c.body(null, 204);
  });

  api.use('/me', requireAgent(deps));
  api.get('/me', async (c) => c.json(await me(c.get('agent'))));

  api.use('/conversations/*', requireAgent(deps));
  api.use('/conversations', requireAgent(deps));
  api.get('/conversations', async (c) => {
    const query = readQuery(c, ConversationListQuery);
    const agent = c.get('agent');
    const filter: ConversationQuery = { status: query.status, limit: query.limit };
    if (query.assignee === 'me') filter.assigneeId = agent.id;
    else if (query.assignee === 'unassigned') filter.assigneeId = null;
    else if (query.assignee !== undefined) filter.assigneeId = query.assignee;
    if (query.labelId !== undefined) filter.labelId = query.labelId;
    if (query.teamId !== undefined) filter.teamId = query.teamId;
    if (query.cursor !== undefined) {
      const dot = query.cursor.indexOf('.');
      filter.after = { updatedAt: Number(query.cursor.slice(0, dot)), id: query.cursor.slice(dot + 1) };
    }
    const conversations = await deps.store.listConversations(agent.workspaceId, filter);
    const last = conversations.at(-1);
    const body: ConversationListResponse = {
      conversations: conversations.map(toSummary),
      nextCursor: last && conversations.length === query.limit ? `${last.updatedAt}.${last.id}` : null,
    };
    return c.json(body);
  });

  api.get('/conversations/:id', async (c) => {
    const conversation = await deps.store.conversation(c.req.param('id'));
    // Another workspace's conversation is a 404, never a 403: ids cannot be probed.
    if (!conversation || conversation.workspaceId !== c.get('agent').workspaceId) throw notFound('Conversation');
    const body: ConversationResponse = { conversation: toSummary(conversation) };
    return c.json(body);
  });

  api.get('/conversations/:id/messages', async (c) => {
    const query = readQuery(c, MessageListQuery);
    const conversation = await deps.store.conversation(c.req.param('id'));
    if (!conversation || conversation.workspaceId !== c.get('agent').workspaceId) throw notFound('Conversation');
    const page = await deps.store.messagesBefore(conversation.id, query.before, query.limit, { includeNotes: true });
    const body: MessageListResponse = page;
    return c.json(body);
  });

  api.use('/sites', requireAgent(deps));
  api.use('/sites/*', requireAgent(deps));
  api.get('/sites', async (c) => {
    const agent = adminOnly(c.get('agent'));
    const origin = ownOrigin(c, deps) ?? '';
    const sites = await deps.store.listSites(agent.workspaceId);
    const body: SiteListResponse = { sites: sites.map((site) => publicSite(site, origin)) };
    return c.json(body);
  });

  api.patch('/sites/:id', async (c) => {
    const site = await ownSite(adminOnly(c.get('agent')), c.req.param('id'));
    const body = await readBody(c, SiteUpdateRequest);
    const patch: SitePatch = {};
    if (body.name !== undefined) patch.name = body.name;
    if (body.allowedOrigins !== undefined) patch.allowedOrigins = body.allowedOrigins;
    if (body.appearance !== undefined) patch.appearance = body.appearance;
    if (body.settings !== undefined) patch.settings = body.settings;
    if (patch.settings?.requireIdentityVerification && !site.identitySecret) {
      throw new ParleyError(ErrorCode.CONFLICT, 'Create an identity secret before requiring verification', {
        field: 'settings.requireIdentityVerification',
      });
    }
    const updated = await deps.store.updateSite(site.id, patch);
    const response: SiteResponse = { site: publicSite(updated, ownOrigin(c, deps) ?? '') };
    return c.json(response);
  });

  api.post('/sites', async (c) => {
    const agent = adminOnly(c.get('agent'));
    const body = await readBody(c, SiteCreateRequest);
    const first = (await deps.store.listSites(agent.workspaceId))[0];
    const site = await deps.store.createSite({
      workspaceId: agent.workspaceId,
      key: siteKey(),
      name: body.name,
      // A new site starts locked down: its owner adds the origins it lives on.
      allowedOrigins: [],
      appearance: first?.appearance ?? DEFAULT_APPEARANCE,
      settings: DEFAULT_SITE_SETTINGS,
      now: deps.now(),
    });
    const response: SiteResponse = { site: publicSite(site, ownOrigin(c, deps) ?? '') };
    return c.json(response, 201);
  });

  api.post('/sites/:id/identity-secret', async (c) => {
    const site = await ownSite(adminOnly(c.get('agent')), c.req.param('id'));
    const secret = newToken();
    await deps.store.updateSite(site.id, { identitySecret: secret });
    const body: IdentitySecretResponse = { secret };
    return c.json(body);
  });

  async function ownSite(agent: AgentRecord, id: string): Promise<SiteRecord> {
    const site = (await deps.store.listSites(agent.workspaceId)).find((candidate) => candidate.id === id);
    if (!site) throw notFound('Site');
    return site;
  }

  function adminOnly(agent: AgentRecord): AgentRecord {
    if (agent.role !== 'admin') throw forbidden('Admins only');
    return agent;
  }

  api.route('/', agentRoutes(deps));
  api.route('/', resourceRoutes(deps));
  api.route('/', contactRoutes(deps));

  async function me(agent: AgentRecord): Promise<MeResponse> {
    const workspace = await deps.store.workspace(agent.workspaceId);
    if (!workspace) throw notFound('Workspace');
    return {
      agent: { id: agent.id, email: agent.email, name: agent.name, role: agent.role },
      workspace: { id: workspace.id, name: workspace.name },
    };
  }

  return api;
}

/** A site as admins see it: the secret itself never leaves the relay after it is created. */
function publicSite(site: SiteRecord, origin: string) {
  const { workspaceId: _workspaceId, identitySecret, ...rest } = site;
  return { ...rest, identitySecretSet: identitySecret !== null, snippet: scriptTag(origin, site.key) };
}
