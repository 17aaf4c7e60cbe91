import type { AgentStatus, AgentSummary, Author, CannedResponse, ContactDetail, Label, Team } from '@parley/protocol';
import { createStore } from 'zustand/vanilla';

/** A contact panel's data: loading, loaded, or why not. */
export type ContactEntry =
  | { status: 'loading' }
  | { status: 'ready'; contact: ContactDetail }
  | { status: 'error'; error: string };

export interface WorkspaceState {
  /** Every agent of the workspace with presence, from `welcome` and `agents` frames. */
  agents: readonly AgentSummary[];
  labels: readonly Label[];
  teams: readonly Team[];
  cannedResponses: readonly CannedResponse[];
  /** Who else has each conversation on screen (never this agent). */
  viewers: Readonly<Record<string, readonly string[]>>;
  /** Teammates typing in each conversation, by agent id (collision). */
  agentTyping: Readonly<Record<string, Readonly<Record<string, Author>>>>;
  /** Contact panels loaded this session, by contact id. */
  contacts: Readonly<Record<string, ContactEntry>>;
  /** This agent's own presence, as set here; `welcome` tells the relay's view. */
  myStatus: AgentStatus;
}

export const initialWorkspace: WorkspaceState = {
  agents: [],
  labels: [],
  teams: [],
  cannedResponses: [],
  viewers: {},
  agentTyping: {},
  contacts: {},
  myStatus: 'online',
};

export type WorkspaceStore = ReturnType<typeof createWorkspaceStore>;

/** Teammates, labels, teams, canned responses and collision state: all that is not a conversation. */
export function createWorkspaceStore() {
  return createStore<WorkspaceState>()(() => ({ ...initialWorkspace }));
}

/** Names of the teammates (not `meId`) viewing a conversation, in the agents' order. */
export function viewerNames(state: WorkspaceState, conversationId: string, meId: string | null): string[] {
  const ids = state.viewers[conversationId] ?? [];
  return state.agents.filter((agent) => agent.id !== meId && ids.includes(agent.id)).map((agent) => agent.name);
}
