import type { ConversationSummary, MeResponse, Message } from '@parley/protocol';

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
