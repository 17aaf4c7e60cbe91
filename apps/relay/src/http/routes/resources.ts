import { Hono, type Context } from 'hono';
import {
  CannedResponseRequest,
  LabelRequest,
  TeamRequest,
  type CannedResponseListResponse,
  type CannedResponseResponse,
  type LabelListResponse,
  type LabelResponse,
  type TeamListResponse,
  type TeamResponse,
} from '@parley/protocol';
import { notFound, ParleyError } from '../../core/errors.ts';
import type { AgentRecord } from '../../core/store.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { readBody } from '../read-body.ts';
import { requireAgent } from '../session.ts';
import { adminOnly } from './agents.ts';

type Owned = { id: string; workspaceId: string };

/** Labels, teams and canned responses: every agent reads them; admins change labels and teams. */
export function resourceRoutes(deps: AppDeps) {
  const api = new Hono<AppEnv>();
  for (const path of ['/labels', '/labels/*', '/teams', '/teams/*', '/canned-responses', '/canned-responses/*']) {
    api.use(path, requireAgent(deps));
  }
  const { store } = deps;

  /** A resource of the agent's own workspace, or 404 (never 403: ids of others cannot be probed). */
  async function owned<T extends Owned>(c: Context<AppEnv>, find: (id: string) => Promise<T | null>, what: string): Promise<T> {
    const found = await find(c.req.param('id') ?? '');
    if (!found || found.workspaceId !== c.get('agent').workspaceId) throw notFound(what);
    return found;
  }
  const strip = <T extends Owned>({ workspaceId: _w, ...rest }: T) => rest;

  api.get('/labels', async (c) => {
    const body: LabelListResponse = { labels: (await store.listLabels(c.get('agent').workspaceId)).map(strip) };
    return c.json(body);
  });
  api.post('/labels', async (c) => {
    const agent = adminOnly(c.get('agent'));
    const input = await readBody(c, LabelRequest);
    const body: LabelResponse = { label: strip(await store.createLabel({ ...input, workspaceId: agent.workspaceId, now: deps.now() })) };
    return c.json(body, 201);
  });
  api.patch('/labels/:id', async (c) => {
    adminOnly(c.get('agent'));
    const label = await owned(c, store.label, 'Label');
    const body: LabelResponse = { label: strip(await store.updateLabel(label.id, await readBody(c, LabelRequest))) };
    return c.json(body);
  });
  api.delete('/labels/:id', async (c) => {
    adminOnly(c.get('agent'));
    await store.deleteLabel((await owned(c, store.label, 'Label')).id);
    return c.body(null, 204);
  });

  api.get('/teams', async (c) => {
    const body: TeamListResponse = { teams: (await store.listTeams(c.get('agent').workspaceId)).map(strip) };
    return c.json(body);
  });
  api.post('/teams', async (c) => {
    const agent = adminOnly(c.get('agent'));
    const input = await readBody(c, TeamRequest);
    await checkAgents(agent, input.agentIds);
    const body: TeamResponse = { team: strip(await store.createTeam({ ...input, workspaceId: agent.workspaceId, now: deps.now() })) };
    return c.json(body, 201);
  });
  api.patch('/teams/:id', async (c) => {
    const agent = adminOnly(c.get('agent'));
    const team = await owned(c, store.team, 'Team');
    const input = await readBody(c, TeamRequest);
    await checkAgents(agent, input.agentIds);
    const body: TeamResponse = { team: strip(await store.updateTeam(team.id, input)) };
    return c.json(body);
  });
  api.delete('/teams/:id', async (c) => {
    adminOnly(c.get('agent'));
    await store.deleteTeam((await owned(c, store.team, 'Team')).id);
    return c.body(null, 204);
  });

  // Saved replies are every agent's to curate, as in Chatwoot.
  api.get('/canned-responses', async (c) => {
    const list = await store.listCannedResponses(c.get('agent').workspaceId);
    const body: CannedResponseListResponse = { cannedResponses: list.map(strip) };
    return c.json(body);
  });
  api.post('/canned-responses', async (c) => {
    const input = await readBody(c, CannedResponseRequest);
    const created = await store.createCannedResponse({ ...input, workspaceId: c.get('agent').workspaceId, now: deps.now() });
    const body: CannedResponseResponse = { cannedResponse: strip(created) };
    return c.json(body, 201);
  });
  api.patch('/canned-responses/:id', async (c) => {
    const canned = await owned(c, store.cannedResponse, 'Canned response');
    const body: CannedResponseResponse = {
      cannedResponse: strip(await store.updateCannedResponse(canned.id, await readBody(c, CannedResponseRequest))),
    };
    return c.json(body);
  });
  api.delete('/canned-responses/:id', async (c) => {
    await store.deleteCannedResponse((await owned(c, store.cannedResponse, 'Canned response')).id);
    return c.body(null, 204);
  });

  async function checkAgents(agent: AgentRecord, agentIds: readonly string[]) {
    const ids = new Set((await store.listAgents(agent.workspaceId)).map((a) => a.id));
    const stranger = agentIds.find((id) => !ids.has(id));
    if (stranger !== undefined) throw new ParleyError('NOT_FOUND', `agentIds: no agent ${stranger}`, { field: 'agentIds' });
  }

  return api;
}
