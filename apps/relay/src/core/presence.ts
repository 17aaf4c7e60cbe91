/**
 * Which agents are connected, per workspace, so the widget can say "online". In-process for now;
 * with several relays this moves behind the bus (each relay publishing its counts).
 */
export interface Presence {
  agentConnected(workspaceId: string, agentId: string): void;
  agentDisconnected(workspaceId: string, agentId: string): void;
  agentsOnline(workspaceId: string): boolean;
}

export function createMemoryPresence(): Presence {
  // workspace -> agent -> open connections (an agent may have several tabs)
  const online = new Map<string, Map<string, number>>();
  return {
    agentConnected(workspaceId, agentId) {
      let agents = online.get(workspaceId);
      if (!agents) online.set(workspaceId, (agents = new Map()));
      agents.set(agentId, (agents.get(agentId) ?? 0) + 1);
    },
    agentDisconnected(workspaceId, agentId) {
      const agents = online.get(workspaceId);
      const count = agents?.get(agentId) ?? 0;
      if (!agents || count <= 1) agents?.delete(agentId);
      else agents.set(agentId, count - 1);
      if (agents && agents.size === 0) online.delete(workspaceId);
    },
    agentsOnline(workspaceId) {
      return (online.get(workspaceId)?.size ?? 0) > 0;
    },
  };
}
