import type { AgentSummary } from '@parley/protocol';
import type { CoreDeps } from './deps.ts';
import type { AgentRecord } from './store.ts';

/** An agent as teammates see them, with live presence. */
export function toAgentSummary(deps: Pick<CoreDeps, 'presence'>, agent: AgentRecord): AgentSummary {
  return {
    id: agent.id,
    email: agent.email,
    name: agent.name,
    role: agent.role,
    status: agent.status,
    connected: deps.presence.isConnected(agent.workspaceId, agent.id),
    active: agent.active,
  };
}

export async function agentSummaries(deps: Pick<CoreDeps, 'presence' | 'store'>, workspaceId: string): Promise<AgentSummary[]> {
  return (await deps.store.listAgents(workspaceId)).map((agent) => toAgentSummary(deps, agent));
}
