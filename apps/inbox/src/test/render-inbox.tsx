import { vi } from 'vitest';
import type { AgentSummary, CannedResponse, ContactDetail, ConversationSummary, Label, MeResponse, Message, Team } from '@parley/protocol';
import { render, screen } from '@testing-library/preact';
import { createApi } from '../api.ts';
import { createInbox, type InboxDeps } from '../store/inbox.ts';
import { App } from '../ui/App.tsx';
import { createFakeClient } from './fake-client.ts';
import { createFakeFetch, type FakeReply, type FakeRequest } from './fake-fetch.ts';
import { memoryHistory } from '../store/router.ts';
import { AGENTS, CANNED, LABELS, ME, TEAMS } from './fixtures.ts';

export interface Scenario {
  /** The session on load; `null` shows the sign-in screen. */
  me?: MeResponse | null;
  conversations?: ConversationSummary[];
  messages?: Record<string, Message[]>;
  agents?: AgentSummary[];
  labels?: Label[];
  teams?: Team[];
  canned?: CannedResponse[];
  contacts?: Record<string, ContactDetail>;
  /** The path the app starts on; default `/inbox/`. */
  path?: string;
  /** Answers before the defaults, for requests a test wants to shape itself. */
  route?: (request: FakeRequest) => FakeReply | undefined;
}

/** Renders the whole app against a fake relay (REST stubs and a fake client). */
export function renderInbox(scenario: Scenario = {}) {
  const me = scenario.me === undefined ? ME : scenario.me;
  const fake = createFakeClient();
  const fetch = createFakeFetch((request) => {
    const custom = scenario.route?.(request);
    if (custom) return custom;
    const { pathname, searchParams } = new URL(request.url, 'http://inbox.test');
    if (pathname === '/api/v1/me') {
      return me ? { status: 200, body: me } : { status: 401, body: { error: { code: 'NOT_AUTHENTICATED', message: 'Not signed in' } } };
    }
    if (pathname === '/api/v1/conversations') {
      const status = searchParams.get('status') ?? 'all';
      const list = (scenario.conversations ?? []).filter((c) => status === 'all' || c.status === status);
      return { status: 200, body: { conversations: list } };
    }
    const thread = /^\/api\/v1\/conversations\/([\w-]+)\/messages$/.exec(pathname);
    if (thread) return { status: 200, body: { messages: scenario.messages?.[thread[1]!] ?? [], hasMore: false } };
    if (pathname === '/api/v1/auth/logout') return { status: 204 };
    if (pathname === '/api/v1/agents') return { status: 200, body: { agents: scenario.agents ?? AGENTS } };
    if (pathname === '/api/v1/labels') return { status: 200, body: { labels: scenario.labels ?? LABELS } };
    if (pathname === '/api/v1/teams') return { status: 200, body: { teams: scenario.teams ?? TEAMS } };
    if (pathname === '/api/v1/canned-responses') return { status: 200, body: { cannedResponses: scenario.canned ?? CANNED } };
    const contactPath = /^\/api\/v1\/contacts\/([\w-]+)$/.exec(pathname);
    if (contactPath) {
      const found = scenario.contacts?.[contactPath[1]!];
      return found ? { status: 200, body: { contact: found } } : { status: 404, body: { error: { code: 'NOT_FOUND', message: 'No contact' } } };
    }
    return undefined;
  });
  const createClient = vi.fn<InboxDeps['createClient']>(() => fake.client);
  const inbox = createInbox({ api: createApi({ fetch }), createClient, socketUrl: 'ws://inbox.test/ws/agent' });
  const history = memoryHistory(scenario.path ?? '/inbox/');
  const result = render(<App inbox={inbox} history={history} />);
  return { ...result, inbox, fake, fetch, createClient, screen, history };
}
