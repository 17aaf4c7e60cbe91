import type { AgentStatus } from '@parley/protocol';

/**
 * Which agents are connected and how they set themselves, and who has which conversation on
 * screen, per workspace. In-process: with several relays this moves behind the bus (each relay
 * publishing its share), which is why it is an interface.
 */
export interface Presence {
  agentConnected(workspaceId: string, agentId: string, status: AgentStatus): void;
  agentDisconnected(workspaceId: string, agentId: string): void;
  setStatus(workspaceId: string, agentId: string, status: AgentStatus): void;
  isConnected(workspaceId: string, agentId: string): boolean;
  /** Any agent connected and online: what the widget shows as "online". */
  agentsOnline(workspaceId: string): boolean;
  /** Connected agents set to online, for round-robin assignment. */
  onlineAgents(workspaceId: string): string[];
  /** Records what a connection has on screen; returns the conversations whose viewers changed. */
  setViewing(connectionId: string, agentId: string, conversationId: string | null): string[];
  viewers(conversationId: string): string[];
}

export function createMemoryPresence(): Presence {
  // workspace -> agent -> { open connections (an agent may have several tabs), status }
  const agents = new Map<string, Map<string, { connections: number; status: AgentStatus }>>();
  // connection -> what it views; conversation -> connection -> agent
  const viewingBy = new Map<string, string>();
  const viewersOf = new Map<string, Map<string, string>>();

  const ofWorkspace = (workspaceId: string) => {
    let map = agents.get(workspaceId);
    if (!map) agents.set(workspaceId, (map = new Map()));
    return map;
  };

  return {
    agentConnected(workspaceId, agentId, status) {
      const map = ofWorkspace(workspaceId);
      const entry = map.get(agentId);
      map.set(agentId, { connections: (entry?.connections ?? 0) + 1, status });
    },
    agentDisconnected(workspaceId, agentId) {
      const map = agents.get(workspaceId);
      const entry = map?.get(agentId);
      if (!map || !entry) return;
      if (entry.connections <= 1) map.delete(agentId);
      else entry.connections--;
      if (map.size === 0) agents.delete(workspaceId);
    },
    setStatus(workspaceId, agentId, status) {
      const entry = agents.get(workspaceId)?.get(agentId);
      if (entry) entry.status = status;
    },
    isConnected(workspaceId, agentId) {
      return agents.get(workspaceId)?.has(agentId) ?? false;
    },
    agentsOnline(workspaceId) {
      for (const entry of agents.get(workspaceId)?.values() ?? []) if (entry.status === 'online') return true;
      return false;
    },
    onlineAgents(workspaceId) {
      return [...(agents.get(workspaceId) ?? [])].filter(([, entry]) => entry.status === 'online').map(([id]) => id);
    },
    setViewing(connectionId, agentId, conversationId) {
      const previous = viewingBy.get(connectionId) ?? null;
      if (previous === conversationId) return [];
      const changed: string[] = [];
      if (previous !== null) {
        const viewers = viewersOf.get(previous);
        viewers?.delete(connectionId);
        if (viewers?.size === 0) viewersOf.delete(previous);
        viewingBy.delete(connectionId);
        changed.push(previous);
      }
      if (conversationId !== null) {
        let viewers = viewersOf.get(conversationId);
        if (!viewers) viewersOf.set(conversationId, (viewers = new Map()));
        viewers.set(connectionId, agentId);
        viewingBy.set(connectionId, conversationId);
        changed.push(conversationId);
      }
      return changed;
    },
    viewers(conversationId) {
      return [...new Set(viewersOf.get(conversationId)?.values() ?? [])];
    },
  };
}
