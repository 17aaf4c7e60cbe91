import type { AgentSummary, AgentWelcome, CannedResponse, ConversationSummary, Label, MeResponse, Message, Team } from '@parley/protocol';

export const ME: MeResponse = {
  agent: { id: 'agent_1', email: 'ada@example.com', name: 'Ada Lovelace', role: 'admin' },
  workspace: { id: 'ws_1', name: 'Acme' },
};

/** A fixed "now" the fixtures are relative to. */
export const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

export function summary(overrides: Partial<ConversationSummary> & { id: string }): ConversationSummary {
  return {
    siteId: 'site_1',
    status: 'open',
    priority: 'none',
    assigneeId: null,
    teamId: null,
    labelIds: [],
    snoozedUntil: null,
    contact: { id: `contact_${overrides.id}`, name: null, email: null, externalId: null },
    lastSeq: 1,
    lastMessage: { seq: 1, kind: 'text', authorKind: 'visitor', text: 'Hello', createdAt: NOW - 60_000 },
    waitingSince: null,
    agentReadSeq: 0,
    visitorReadSeq: 0,
    createdAt: NOW - 3_600_000,
    updatedAt: NOW - 60_000,
    firstResponseAt: null,
    resolvedAt: null,
    ...overrides,
  };
}

export function message(overrides: Partial<Message> & { id: string; seq: number }): Message {
  return {
    conversationId: 'c1',
    clientId: `client_${overrides.id}`,
    kind: 'text',
    author: { kind: 'visitor', id: 'contact_c1', name: null },
    text: `Message ${overrides.seq}`,
    createdAt: NOW - 60_000 + overrides.seq * 1000,
    ...overrides,
  };
}

export function contact(id: string, name: string | null, email: string | null = null): ConversationSummary['contact'] {
  return { id, name, email, externalId: null };
}

export function agent(overrides: Partial<AgentSummary> & { id: string; name: string }): AgentSummary {
  return {
    email: `${overrides.name.split(' ')[0]!.toLowerCase()}@example.com`,
    role: 'agent',
    status: 'online',
    connected: true,
    active: true,
    ...overrides,
  };
}

/** The signed-in admin and two teammates. */
export const AGENTS: AgentSummary[] = [
  agent({ id: 'agent_1', name: 'Ada Lovelace', email: 'ada@example.com', role: 'admin' }),
  agent({ id: 'agent_2', name: 'Bea Turing' }),
  agent({ id: 'agent_3', name: 'Alex Kay', status: 'away', connected: false }),
];

export const LABELS: Label[] = [
  { id: 'lab_billing', name: 'billing', color: '#b45309' },
  { id: 'lab_bug', name: 'bug', color: '#b91c1c' },
];

export const TEAMS: Team[] = [{ id: 'team_support', name: 'Support', agentIds: ['agent_1', 'agent_2'] }];

export const CANNED: CannedResponse[] = [
  { id: 'cr_1', shortcut: 'hello', title: 'Greeting', body: 'Hi {{contact.firstName}}, this is {{agent.name}}. How can I help?' },
  { id: 'cr_2', shortcut: 'refund', title: 'Refund policy', body: 'Refunds take 5 days, {{contact.name}}.' },
];

export function welcome(agents: AgentSummary[] = AGENTS): AgentWelcome {
  return { type: 'welcome', protocol: 1, role: 'agent', agent: ME.agent, workspace: ME.workspace, agents, heartbeatMs: 25_000 };
}
